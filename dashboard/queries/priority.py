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

# Per level: the areas in the user's scope.
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
# Rows of the area marts that make up one area of the level: the area's own row, except for
# the kabupaten of a user limited to some kecamatan, which is the sum of those kecamatan.
_MART_ROWS = """
    (
        (area_level = $level and ($level <> 'kabupaten' or $all_kec))
        or ($level = 'kabupaten' and not $all_kec and area_level = 'kecamatan' and area_code = any($kec))
    )
"""
_AREA_CODE = f"case when $level = 'kabupaten' then '{KABUPATEN_CODE}' else area_code end"


def scope_params(filters: Filters, month: date | None = None) -> dict:
    """Bound values restricting to the user's scope (not to the chosen kecamatan)."""
    scope = filters.scope_kec
    return {
        "month": month or filters.month,
        "all_kec": scope is None,
        "kec": list(scope or ()),
        "all_pkm": True,
        "pkm": "",
        "all_desa": True,
        "desa": "",
    }


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
    (posyandu reporting both S and D); kader_registered, kader_present, kader_pct (posyandu
    that opened in the month); posyandu, registered, registered_pct, full_legality,
    legality_pct, valid_sk, valid_sk_pct (SK pembentukan with number and date; master
    posyandu in force at the month end); basic_index, basic_index_n
    (desa with a value; kecamatan: their mean); spm_posyandu, spm_fields_mean ("bidang SPM
    dilayani": fields with a service > 0 in the month, mean over every posyandu in the
    master). Percentages are 0-100.
    """
    if level not in _AREAS:
        raise ValueError(f"unknown area level {level!r}")
    index_name, index_year = query_basic_index_choice()
    sql = f"""
        with areas as (
            {_AREAS[level]}
        ),

        monthly as (
            select
                {_AREA_CODE} as code,
                sum(children)::bigint as children,
                sum(stunted)::bigint as stunted,
                sum(s_total) as s_total,
                sum(d_total) as d_total,
                sum(kader_registered) as kader_registered,
                sum(kader_present) as kader_present,
                sum(spm_posyandu)::bigint as spm_posyandu,
                sum(spm_fields_sum) as spm_fields_sum,
                sum(posyandu)::bigint as posyandu,
                sum(registered)::bigint as registered,
                sum(full_legality)::bigint as full_legality,
                sum(valid_sk)::bigint as valid_sk
            from mart_area_indicators_month
            where month = $month
                and {_MART_ROWS}
            group by 1
        ),

        snapshot as (
            select
                {_AREA_CODE} as code,
                -- one row: the mart's own mean; several kecamatan: the mean over their desa
                case when count(*) = 1 then any_value(basic_index) else sum(basic_index_sum) / nullif(sum(basic_index_n), 0) end as basic_index,
                sum(basic_index_n)::bigint as basic_index_n
            from mart_area_snapshot
            where {_MART_ROWS}
            group by 1
        ),

        final as (
            select
                a.code,
                a.name,
                a.kode_kec,
                a.nama_kec,
                a.jenis,
                coalesce(m.children, 0) as children,
                coalesce(m.stunted, 0) as stunted,
                100 * (m.stunted / nullif(m.children, 0)) as stunting_pct,
                coalesce(m.s_total, 0) as s_total,
                coalesce(m.d_total, 0) as d_total,
                100 * m.d_total / nullif(m.s_total, 0) as ds_pct,
                coalesce(m.kader_registered, 0) as kader_registered,
                coalesce(m.kader_present, 0) as kader_present,
                100 * m.kader_present / nullif(m.kader_registered, 0) as kader_pct,
                coalesce(m.posyandu, 0) as posyandu,
                coalesce(m.registered, 0) as registered,
                100 * m.registered / nullif(m.posyandu, 0) as registered_pct,
                coalesce(m.full_legality, 0) as full_legality,
                100 * m.full_legality / nullif(m.posyandu, 0) as legality_pct,
                coalesce(m.valid_sk, 0) as valid_sk,
                100 * m.valid_sk / nullif(m.posyandu, 0) as valid_sk_pct,
                s.basic_index,
                coalesce(s.basic_index_n, 0) as basic_index_n,
                coalesce(m.spm_posyandu, 0) as spm_posyandu,
                m.spm_fields_sum / nullif(m.spm_posyandu, 0) as spm_fields_mean
            from areas as a
            left join monthly as m using (code)
            left join snapshot as s using (code)
        )

        select * from final
        order by code
    """
    params = scope_params(filters, month) | {"level": level}
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
