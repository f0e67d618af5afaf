"""Posyandu budget (register anggaran_posyandu): money per kecamatan and desa for a year,
against posyandu, children weighed (D) and kader. Ratios are defined once, in the marts
mart_budget_by_desa_year and mart_budget_by_kecamatan_year; the total over the kecamatan in
view divides the same numerators and denominators."""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause


def query_budget_years(filters: Filters) -> list[int]:
    """Budget years with at least one desa row in view, oldest first."""
    frame = query(
        f"""
        select distinct year
        from mart_budget_by_kecamatan_year
        where {kec_clause("kode_kec")}
        order by year
        """,
        filters.params(),
    )
    return [int(y) for y in frame["year"]]


def _year_or_latest(filters: Filters, year: int | None) -> int | None:
    years = query_budget_years(filters)
    if not years:
        return None
    return year if year in years else years[-1]


def query_budget_by_kecamatan(filters: Filters, year: int | None = None) -> pd.DataFrame:
    """One row per kecamatan in view for `year` (default: the latest): kode_kec, nama_kec,
    year, desa_total, desa_with_budget, posyandu_allocation_rp, kader_incentive_rp, budget_rp,
    posyandu, children_weighed, kader_registered, rp_per_posyandu, rp_per_child_weighed,
    incentive_rp_per_kader_month. Kecamatan without any budget row come with zero desa."""
    return query(
        f"""
        with kecamatan as (
            select
                k.kode_kec,
                k.nama_kec,
                count(*) as desa_total
            from dim_kecamatan as k
            inner join dim_desa as d using (kode_kec)
            where {kec_clause("k.kode_kec")}
            group by all
        ),

        budget as (
            select *
            from mart_budget_by_kecamatan_year
            where year = $year
        ),

        final as (
            select
                k.kode_kec,
                k.nama_kec,
                $year::integer as year,
                k.desa_total,
                coalesce(b.desa_with_budget, 0) as desa_with_budget,
                b.posyandu_allocation_rp,
                b.kader_incentive_rp,
                b.budget_rp,
                b.posyandu,
                b.children_weighed,
                b.kader_registered,
                b.rp_per_posyandu,
                b.rp_per_child_weighed,
                b.incentive_rp_per_kader_month
            from kecamatan as k
            left join budget as b using (kode_kec)
        )

        select * from final
        order by nama_kec
        """,
        {**filters.params(), "year": _year_or_latest(filters, year)},
    )


def query_budget_total(filters: Filters, year: int | None = None) -> pd.Series:
    """The kecamatan in view together for `year` (default: the latest): the same columns as
    a kecamatan row (without codes), ratios over the summed numerators and denominators."""
    frame = query(
        f"""
        with budget as (
            select *
            from mart_budget_by_kecamatan_year
            where year = $year and {kec_clause("kode_kec")}
        ),

        desa as (
            select count(*) as desa_total
            from dim_desa
            where {kec_clause("kode_kec")}
        ),

        final as (
            select
                $year::integer as year,
                (select desa_total from desa) as desa_total,
                coalesce(sum(desa_with_budget), 0) as desa_with_budget,
                sum(posyandu_allocation_rp) as posyandu_allocation_rp,
                sum(kader_incentive_rp) as kader_incentive_rp,
                sum(budget_rp) as budget_rp,
                sum(posyandu) as posyandu,
                sum(children_weighed) as children_weighed,
                sum(kader_registered) as kader_registered,
                sum(budget_rp_of_desa_with_posyandu) / nullif(sum(posyandu), 0) as rp_per_posyandu,
                sum(budget_rp_of_desa_weighing) / nullif(sum(children_weighed), 0) as rp_per_child_weighed,
                sum(incentive_rp_of_desa_with_kader) / nullif(sum(kader_registered), 0) / 12
                    as incentive_rp_per_kader_month
            from budget
        )

        select * from final
        """,
        {**filters.params(), "year": _year_or_latest(filters, year)},
    )
    return frame.iloc[0]


def query_budget_by_desa(filters: Filters, year: int | None = None) -> pd.DataFrame:
    """One row per desa in view with a budget for `year` (default: the latest): kode_kec,
    nama_kec, kode_desa, nama_desa, sources and the columns of mart_budget_by_desa_year."""
    return query(
        f"""
        with final as (
            select
                b.kode_kec,
                d.nama_kec,
                b.kode_desa,
                d.nama_desa,
                b.year,
                b.sources,
                b.posyandu_allocation_rp,
                b.kader_incentive_rp,
                b.budget_rp,
                b.posyandu,
                b.posyandu_reporting,
                b.children_weighed,
                b.kader_registered,
                b.rp_per_posyandu,
                b.rp_per_child_weighed,
                b.incentive_rp_per_kader_month
            from mart_budget_by_desa_year as b
            inner join dim_desa as d using (kode_desa)
            where b.year = $year and {kec_clause("b.kode_kec")}
        )

        select * from final
        order by nama_kec, nama_desa
        """,
        {**filters.params(), "year": _year_or_latest(filters, year)},
    )
