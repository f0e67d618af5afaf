"""Indicators per area (desa, kecamatan or kabupaten) for one month: the inputs of the
priority score, the map and the scorecard.

Areas are restricted to the user's scope only, not to the chosen kecamatan: a priority
score is relative to the other areas, so it is computed over all the areas the user may
see and the page narrows what it shows.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from dashboard.db import cached_on_version, query
from dashboard.filters import Filters, kec_clause
from dashboard.metrics.priority import components_for, score_priority

AreaLevel = Literal["kabupaten", "kecamatan", "desa"]

KABUPATEN_CODE = "64.02"
KABUPATEN_NAME = "Kabupaten Kutai Kartanegara"
# Preferred first: the newer Indeks Desa dimension, else IDM (desa only, 0-1).
BASIC_INDEX_NAMES = ("Indeks Desa - Layanan Dasar", "IDM")

# Per level: the area list and the expressions that give an area's code.
_AREAS = {
    "desa": f"""
        select kode_desa as code, nama_desa as name, kode_kec, nama_kec, jenis
        from dim_desa
        where {kec_clause("kode_kec")}
    """,
    "kecamatan": f"""
        select kode_kec as code, nama_kec as name, kode_kec, nama_kec, null::varchar as jenis
        from dim_kecamatan
        where {kec_clause("kode_kec")}
    """,
    "kabupaten": f"""
        select '{KABUPATEN_CODE}' as code, '{KABUPATEN_NAME}' as name, null::varchar as kode_kec,
            null::varchar as nama_kec, null::varchar as jenis
    """,
}
_POSYANDU_KEY = {"desa": "p.kode_desa", "kecamatan": "p.kode_kec", "kabupaten": f"'{KABUPATEN_CODE}'"}
_DESA_KEY = {"desa": "d.kode_desa", "kecamatan": "d.kode_kec", "kabupaten": f"'{KABUPATEN_CODE}'"}


def scope_params(filters: Filters, month: date | None = None) -> dict:
    """Bound values restricting to the user's scope (not to the chosen kecamatan)."""
    scope = filters.scope_kec
    return {"month": month or filters.month, "all_kec": scope is None, "kec": list(scope or ())}


def query_basic_index_choice() -> tuple[str | None, int | None]:
    """The basic-service index used (Layanan Dasar if loaded, else IDM) and its latest year."""
    frame = query(
        """
        select
            index_name,
            max(year) as year
        from fct_desa_index
        where index_name in ('Indeks Desa - Layanan Dasar', 'IDM')
            and value is not null
        group by index_name
        """
    )
    years = dict(zip(frame["index_name"], frame["year"], strict=True))
    for name in BASIC_INDEX_NAMES:
        if name in years:
            return name, int(years[name])
    return None, None


def query_area_indicators(filters: Filters, level: AreaLevel, month: date | None = None) -> pd.DataFrame:
    """One row per area of ``level`` in the user's scope, for ``month`` (default: the filter's).

    Columns: code, name, kode_kec, nama_kec, jenis; children, stunted, stunting_pct (latest
    measurement per child in the month, WHO flags excluded); s_total, d_total, ds_pct
    (posyandu reporting both S and D); kader_registered, kader_present, kader_pct;
    posyandu, registered, registered_pct, full_legality, legality_pct (master posyandu, as
    loaded); basic_index, basic_index_n (desa with a value; kecamatan: their mean);
    spm_posyandu, spm_fields_mean (SPM fields with a service > 0 in the month, per
    posyandu that reported SPM services). Percentages are 0-100.
    """
    if level not in _AREAS:
        raise ValueError(f"unknown area level {level!r}")
    index_name, index_year = query_basic_index_choice()
    posyandu_key, desa_key = _POSYANDU_KEY[level], _DESA_KEY[level]
    sql = f"""
        with areas as (
            {_AREAS[level]}
        ),

        stunting as (
            select
                area_code as code,
                n_haz as children,
                stunted,
                100 * stunting_prevalence as stunting_pct
            from mart_stunting_by_area_month
            where area_level = $level
                and month = $month
        ),

        posyandu as (
            select
                {posyandu_key} as code,
                count(*) as posyandu,
                count(*) filter (where p.is_registered) as registered,
                count(*) filter (where p.has_full_legality) as full_legality
            from dim_posyandu as p
            where {kec_clause("p.kode_kec")}
            group by 1
        ),

        skdn as (
            select
                {posyandu_key} as code,
                sum(r.s) as s_total,
                sum(r.d) as d_total
            from fct_posyandu_month as r
            inner join dim_posyandu as p using (posyandu_id)
            where r.month = $month
                and r.s is not null
                and r.d is not null
                and {kec_clause("p.kode_kec")}
            group by 1
        ),

        kader as (
            select
                {posyandu_key} as code,
                sum(p.kader_registered) as kader_registered,
                sum(p.kader_present) as kader_present
            from mart_kader_by_posyandu_month as p
            where p.month = $month
                and p.kader_registered is not null
                and p.kader_present is not null
                and {kec_clause("p.kode_kec")}
            group by 1
        ),

        basic_index as (
            select
                {desa_key} as code,
                avg(i.value) as basic_index,
                count(i.value) as basic_index_n
            from fct_desa_index as i
            inner join dim_desa as d using (kode_desa)
            where i.index_name = $index_name
                and i.year = $index_year
                and {kec_clause("d.kode_kec")}
            group by 1
        ),

        spm_by_posyandu as (
            select
                posyandu_id,
                count(distinct spm_field) filter (where value > 0) as fields_served
            from fct_spm_service
            where month = $month
            group by posyandu_id
        ),

        spm as (
            select
                {posyandu_key} as code,
                count(*) as spm_posyandu,
                avg(s.fields_served) as spm_fields_mean
            from spm_by_posyandu as s
            inner join dim_posyandu as p using (posyandu_id)
            where {kec_clause("p.kode_kec")}
            group by 1
        ),

        final as (
            select
                a.code,
                a.name,
                a.kode_kec,
                a.nama_kec,
                a.jenis,
                coalesce(st.children, 0) as children,
                coalesce(st.stunted, 0) as stunted,
                st.stunting_pct,
                coalesce(k.s_total, 0) as s_total,
                coalesce(k.d_total, 0) as d_total,
                100 * k.d_total / nullif(k.s_total, 0) as ds_pct,
                coalesce(kd.kader_registered, 0) as kader_registered,
                coalesce(kd.kader_present, 0) as kader_present,
                100 * kd.kader_present / nullif(kd.kader_registered, 0) as kader_pct,
                coalesce(p.posyandu, 0) as posyandu,
                coalesce(p.registered, 0) as registered,
                100 * p.registered / nullif(p.posyandu, 0) as registered_pct,
                coalesce(p.full_legality, 0) as full_legality,
                100 * p.full_legality / nullif(p.posyandu, 0) as legality_pct,
                b.basic_index,
                coalesce(b.basic_index_n, 0) as basic_index_n,
                coalesce(sp.spm_posyandu, 0) as spm_posyandu,
                sp.spm_fields_mean
            from areas as a
            left join stunting as st using (code)
            left join skdn as k using (code)
            left join kader as kd using (code)
            left join posyandu as p using (code)
            left join basic_index as b using (code)
            left join spm as sp using (code)
        )

        select * from final
        order by code
    """
    params = scope_params(filters, month) | {"level": level, "index_name": index_name, "index_year": index_year}
    frame = query(sql, params)
    frame.attrs["basic_index_name"] = index_name
    frame.attrs["basic_index_year"] = index_year
    return frame


@cached_on_version  # the score and its reasons cost more than the query
def query_scored_areas(
    filters: Filters, level: AreaLevel, weights: dict[str, float] | None = None, month: date | None = None
) -> pd.DataFrame:
    """``query_area_indicators`` with the priority score (``dashboard.metrics.priority``) added."""
    areas = query_area_indicators(filters, level, month)
    scored = score_priority(areas, weights, components_for(areas.attrs["basic_index_name"]))
    scored.attrs.update(areas.attrs)
    return scored
