"""Puskesmas as a dimension: the month's indicators per puskesmas and per posyandu of one
puskesmas (the puskesmas of each posyandu comes from the posyandu master)."""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, posyandu_clause

_POSYANDU_MONTH = f"""
    posyandu as (
        select posyandu_id, posyandu_name, kode_desa, kode_kec, coalesce(puskesmas, 'Tanpa puskesmas') as puskesmas
        from dim_posyandu
        where {kec_clause("kode_kec")} and {posyandu_clause()}
    ),

    stunting as (
        select area_code as posyandu_id, n_haz as children, stunted
        from mart_stunting_by_area_month
        where area_level = 'posyandu' and month = $month
    ),

    report as (
        select posyandu_id, s, d, kader_registered, kader_present
        from fct_posyandu_month
        where month = $month
    ),

    joined as (
        select
            p.*,
            coalesce(st.children, 0) as children,
            coalesce(st.stunted, 0) as stunted,
            case when r.s is not null and r.d is not null then r.s end as s,
            case when r.s is not null and r.d is not null then r.d end as d,
            case when r.kader_registered is not null and r.kader_present is not null then r.kader_registered end
                as kader_registered,
            case when r.kader_registered is not null and r.kader_present is not null then r.kader_present end
                as kader_present
        from posyandu as p
        left join stunting as st using (posyandu_id)
        left join report as r using (posyandu_id)
    )
"""


def query_puskesmas_indicators(filters: Filters) -> pd.DataFrame:
    """One row per puskesmas with posyandu in view: puskesmas, kecamatan (names), posyandu,
    children, stunted, stunting_pct, s_total, d_total, ds_pct, kader_registered, kader_present, kader_pct."""
    return query(
        f"""
        with {_POSYANDU_MONTH},

        final as (
            select
                j.puskesmas,
                string_agg(distinct k.nama_kec, ', ' order by k.nama_kec) as kecamatan,
                count(*) as posyandu,
                sum(j.children) as children,
                sum(j.stunted) as stunted,
                100 * sum(j.stunted) / nullif(sum(j.children), 0) as stunting_pct,
                coalesce(sum(j.s), 0) as s_total,
                coalesce(sum(j.d), 0) as d_total,
                100 * sum(j.d) / nullif(sum(j.s), 0) as ds_pct,
                coalesce(sum(j.kader_registered), 0) as kader_registered,
                coalesce(sum(j.kader_present), 0) as kader_present,
                100 * sum(j.kader_present) / nullif(sum(j.kader_registered), 0) as kader_pct
            from joined as j
            inner join dim_kecamatan as k using (kode_kec)
            group by j.puskesmas
        )

        select * from final order by lower(puskesmas)
        """,
        filters.params(),
    )


def query_posyandu_of_puskesmas(filters: Filters, puskesmas: str | None = None) -> pd.DataFrame:
    """The posyandu of one puskesmas (None: all in view) with the same indicators, worst stunting first."""
    return query(
        f"""
        with {_POSYANDU_MONTH},

        final as (
            select
                j.posyandu_id,
                j.posyandu_name,
                j.kode_desa,
                d.nama_desa,
                j.kode_kec,
                j.puskesmas,
                j.children,
                j.stunted,
                100 * j.stunted / nullif(j.children, 0) as stunting_pct,
                100 * j.d / nullif(j.s, 0) as ds_pct,
                100 * j.kader_present / nullif(j.kader_registered, 0) as kader_pct
            from joined as j
            left join dim_desa as d using (kode_desa)
            where $puskesmas is null or j.puskesmas = $puskesmas
        )

        select * from final order by stunting_pct desc nulls last, posyandu_name
        """,
        {**filters.params(), "puskesmas": puskesmas},
    )


def query_posyandu_strata(filters: Filters) -> pd.DataFrame:
    """One row per kecamatan in view: posyandu, strata counts (pratama, madya, purnama, mandiri,
    strata_known) and integration counts (integration_known, integrated, integrating) from the
    posyandu master's optional columns (all zero when the master does not carry them, or when
    the warehouse was built before these columns existed: the page then asks for a rebuild)."""
    present = set(
        query(
            "select column_name from information_schema.columns where table_name = 'dim_posyandu' "
            "and column_name in ('strata', 'integration_status')"
        )["column_name"]
    )
    # column names we choose, never user input
    strata = "p.strata" if "strata" in present else "null::varchar"
    integration = "p.integration_status" if "integration_status" in present else "null::varchar"
    return query(
        f"""
        with final as (
            select
                p.kode_kec,
                k.nama_kec,
                count(*) as posyandu,
                count({strata}) as strata_known,
                count(*) filter (where {strata} = 'Pratama') as pratama,
                count(*) filter (where {strata} = 'Madya') as madya,
                count(*) filter (where {strata} = 'Purnama') as purnama,
                count(*) filter (where {strata} = 'Mandiri') as mandiri,
                count({integration}) as integration_known,
                count(*) filter (where {integration} = 'terintegrasi') as integrated,
                count(*) filter (where {integration} = 'dalam proses') as integrating
            from dim_posyandu as p
            inner join dim_kecamatan as k using (kode_kec)
            where {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
            group by all
        )

        select * from final order by lower(nama_kec)
        """,
        filters.params(),
    )
