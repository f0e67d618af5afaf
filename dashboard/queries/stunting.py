"""Stunting page: routine prevalence (e-PPGBM), survey figures, areas, HAZ spread, data quality.

Routine figures count each child's latest measurement in the month, 0-59 months, with a
plausible HAZ (WHO flag 0), as `mart_stunting_by_area_month` does. Area figures are sums of
kecamatan rows, so a user restricted to some kecamatan sees exactly their kecamatan; the
design-based 95% interval (WHO's method) comes from the marts, combined exactly over the
visible kecamatan (dashboard.queries.nutrition).

Shares, intervals, ranks and data-quality ratings are computed in `dashboard.metrics`.
"""

from __future__ import annotations

import pandas as pd

from dashboard.db import cached_on_version, query
from dashboard.filters import Filters, desa_clause, kec_clause, posyandu_clause
from dashboard.metrics.prevalence import HAZ_BIN_WIDTH, add_ranks, with_prevalence
from dashboard.queries.nutrition import query_nutrition_trend
from etl.registers import EPPGBM

KUKAR_AREA_NAMES = ("kutai kartanegara", "kukar", "kab. kutai kartanegara", "kabupaten kutai kartanegara")


def _run(sql: str, filters: Filters, **extra: object) -> pd.DataFrame:
    values = {**filters.params(), **extra}
    return query(sql, values)


# --- prevalence -----------------------------------------------------------------------


@cached_on_version  # the page asks twice a run (trend, headline); the join and ratios cost more than the query
def query_stunting_trend(filters: Filters) -> pd.DataFrame:
    """Monthly routine prevalence up to the chosen month for the visible area.

    Columns: month, children_measured, n_haz, stunted, severely_stunted, prevalence, ci_low, ci_high
    (fractions).
    """
    frame = _run(
        f"""
        select
            month,
            sum(children_measured) as children_measured,
            sum(n_haz) as n_haz,
            sum(stunted) as stunted,
            sum(severely_stunted) as severely_stunted
        from mart_stunting_by_area_month
        where area_level = 'kecamatan'
            and month <= $month
            and {kec_clause("area_code")}
        group by month
        order by month
        """,
        filters,
    )
    frame["month"] = pd.to_datetime(frame["month"])
    design = query_nutrition_trend(filters)
    stunting = design[design["indicator"] == "stunting"].set_index("month")
    frame["ci_low"] = frame["month"].map(stunting["ci_low"])
    frame["ci_high"] = frame["month"].map(stunting["ci_high"])
    return with_prevalence(frame)


def query_stunting_headline(filters: Filters) -> pd.Series | None:
    """Routine prevalence of the chosen month (None when nobody was measured then)."""
    trend = query_stunting_trend(filters)
    row = trend[trend["month"] == pd.Timestamp(filters.month)]
    if row.empty or row.iloc[0]["n_haz"] == 0:
        return None
    return row.iloc[0]


def query_survey_stunting() -> pd.DataFrame:
    """Published survey figures for Kukar (SSGI/SKI): year, value_pct, source; oldest first."""
    names = ", ".join(f"'{name}'" for name in KUKAR_AREA_NAMES)  # constants, not user input
    return query(
        f"""
        select
            year,
            value_pct,
            source
        from fct_official_stunting
        where kind = 'survei'
            and lower(trim(area)) in ({names})
        order by year, source
        """
    )


# level -> (dimension table, code column, name column)
_AREA_TABLES = {
    "kecamatan": ("dim_kecamatan", "kode_kec", "nama_kec"),
    "desa": ("dim_desa", "kode_desa", "nama_desa"),
}


def query_area_prevalence(filters: Filters, level: str) -> pd.DataFrame:
    """Prevalence per kecamatan (level "kecamatan") or desa ("desa") in the chosen month.

    Every visible area is listed, those with nobody measured too. Columns: code, name,
    kode_kec, nama_kec, children_measured, n_haz, stunted, prevalence, ci_low, ci_high, rank
    (1 = highest prevalence among areas with at least 30 children; <NA> otherwise), rank_label.
    """
    if level not in _AREA_TABLES:
        raise ValueError(f"unknown level {level!r}")
    table, code, name = _AREA_TABLES[level]
    scope = kec_clause("a.kode_kec") + (f" and {desa_clause('a.kode_desa')}" if level == "desa" else "")
    sql = f"""
        select
            a.{code} as code,
            a.{name} as name,
            a.kode_kec,
            a.nama_kec,
            m.children_measured,
            m.n_haz,
            m.stunted,
            m.severely_stunted,
            m.stunting_ci_low as ci_low,
            m.stunting_ci_high as ci_high
        from {table} as a
        left join mart_stunting_by_area_month as m
            on m.area_level = '{level}'
            and m.area_code = a.{code}
            and m.month = $month
        where {scope}
        order by a.{code}
    """
    return add_ranks(with_prevalence(_run(sql, filters)))


def query_desa_options(filters: Filters) -> pd.DataFrame:
    """Desa of the chosen kecamatan (kode_desa, nama_desa, jenis), for the drill-down picker."""
    if not filters.kode_kec or not filters.single_kec:
        return pd.DataFrame(columns=["kode_desa", "nama_desa", "jenis"])
    return query(
        f"""
        select kode_desa, nama_desa, jenis
        from dim_desa
        where kode_kec = $single_kec and {desa_clause()}
        order by lower(nama_desa), kode_desa
        """,
        {**filters.params(), "single_kec": filters.single_kec},
    )


def query_posyandu_prevalence(filters: Filters, kode_desa: str) -> pd.DataFrame:
    """Prevalence per posyandu of one desa in the chosen month, ranked like areas.

    Children whose record named no known posyandu are one extra row ("posyandu tidak dikenali").
    """
    frame = _run(
        f"""
        with posyandu as (
            select
                p.posyandu_id as code,
                p.posyandu_name as name,
                m.children_measured,
                m.n_haz,
                m.stunted,
                m.severely_stunted
            from dim_posyandu as p
            left join mart_stunting_by_area_month as m
                on m.area_level = 'posyandu'
                and m.area_code = p.posyandu_id
                and m.month = $month
            where p.kode_desa = $drill_desa
                and {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        ),

        desa as (
            select
                children_measured,
                n_haz,
                stunted,
                severely_stunted
            from mart_stunting_by_area_month
            where area_level = 'desa'
                and area_code = $drill_desa
                and month = $month
                and {kec_clause("left(area_code, 8)")} and {desa_clause("area_code")}
        ),

        unmatched as (
            select
                null as code,
                'Posyandu tidak dikenali' as name,
                children_measured - (select coalesce(sum(children_measured), 0) from posyandu) as children_measured,
                n_haz - (select coalesce(sum(n_haz), 0) from posyandu) as n_haz,
                stunted - (select coalesce(sum(stunted), 0) from posyandu) as stunted,
                severely_stunted - (select coalesce(sum(severely_stunted), 0) from posyandu) as severely_stunted
            from desa
        ),

        final as (
            select * from posyandu
            union all
            select * from unmatched where children_measured > 0
        )

        select * from final
        order by name
        """,
        filters,
        drill_desa=kode_desa,
    )
    return add_ranks(with_prevalence(frame))


# --- HAZ distribution -----------------------------------------------------------------


# Each child's latest measurement of the month, 0-59 months: the model fct_child_month.
_LATEST_HAZ_CTE = """with latest as (
            select
                kode_kec,
                posyandu_id,
                haz,
                haz_flag
            from fct_child_month
            where month = $month
        )"""


def query_haz_distribution(filters: Filters) -> pd.DataFrame:
    """Plausible HAZ of the month's children in 0.25 SD bins: bin_start, children."""
    return _run(
        f"""
        {_LATEST_HAZ_CTE},

        final as (
            select
                floor(haz / $width) * $width as bin_start,
                count(*) as children
            from latest
            where haz_flag = 0
                and {kec_clause()}
                and {posyandu_clause()}
            group by 1
        )

        select * from final
        order by bin_start
        """,
        filters,
        width=HAZ_BIN_WIDTH,
    )


def query_haz_summary(filters: Filters) -> pd.Series:
    """Exact n, mean and SD of plausible HAZ of the month's children (for titles and checks)."""
    return _run(
        f"""
        {_LATEST_HAZ_CTE}

        select
            count(*) as n,
            avg(haz) as mean,
            stddev_samp(haz) as sd,
            count(*) filter (where haz < -2) as below_minus_2
        from latest
        where haz_flag = 0
            and {kec_clause()}
            and {posyandu_clause()}
        """,
        filters,
    ).iloc[0]


# --- data quality ---------------------------------------------------------------------

_QUALITY_KEYS = ("month", "kode_kec", "flagged_share", "sd_haz", "sd_whz")


def query_data_quality_totals(filters: Filters) -> pd.Series:
    """Data-quality counts of the month summed over the visible kecamatan (empty sums are 0)."""
    frame = _run(
        f"""
        select sum(columns(* exclude ({", ".join(_QUALITY_KEYS)})))
        from mart_data_quality_by_kecamatan_month
        where month = $month
            and {kec_clause()}
        """,
        filters,
    )
    return frame.iloc[0].fillna(0)


def query_data_quality_by_kecamatan(filters: Filters) -> pd.DataFrame:
    """Data-quality counts of the month per visible kecamatan, with nama_kec."""
    return _run(
        f"""
        select
            k.nama_kec,
            q.*
        from mart_data_quality_by_kecamatan_month as q
        join dim_kecamatan as k using (kode_kec)
        where q.month = $month
            and {kec_clause("q.kode_kec")}
        order by k.nama_kec
        """,
        filters,
    )


def query_data_quality_trend(filters: Filters) -> pd.DataFrame:
    """Data-quality counts per month (up to the chosen one) summed over the visible kecamatan."""
    frame = _run(
        f"""
        select
            month,
            sum(columns(* exclude ({", ".join(_QUALITY_KEYS)})))
        from mart_data_quality_by_kecamatan_month
        where month <= $month
            and {kec_clause()}
        group by month
        order by month
        """,
        filters,
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def query_import_problems() -> pd.DataFrame:
    """e-PPGBM rows refused in the last build for a missing/invalid date or sex: problem, rows.

    Refused rows carry no trusted kecamatan, so this is for the whole source, last build only.
    """
    date_headers = [h.lower() for f in EPPGBM.fields if f.name in ("birth_date", "measured_on") for h in f.headers]
    sex_headers = [h.lower() for f in EPPGBM.fields if f.name == "sex" for h in f.headers]
    frame = query(
        """
        with last_run as (
            select run_id from etl_run order by finished_at desc limit 1
        ),

        refused as (
            select
                r.file,
                r.row_number,
                case
                    when r.reason = 'tanggal lahir setelah tanggal pengukuran' then 'Tanggal lahir setelah tanggal ukur'
                    when lower(r.column_name) in (select unnest($date_headers)) then 'Tanggal kosong atau tidak sah'
                    when lower(r.column_name) in (select unnest($sex_headers)) then 'Jenis kelamin kosong atau tidak sah'
                end as problem
            from etl_rejected_row as r
            join last_run using (run_id)
            where r.register = 'eppgbm'
        ),

        final as (
            select
                problem,
                count(distinct (file, row_number)) as rows
            from refused
            where problem is not null
            group by problem
        )

        select * from final
        order by problem
        """,
        {"date_headers": date_headers, "sex_headers": sex_headers},
    )
    read = query(
        """
        select coalesce(sum(l.rows_read), 0) as rows_read
        from etl_register_load as l
        join (select run_id from etl_run order by finished_at desc limit 1) using (run_id)
        where l.register = 'eppgbm'
        """
    ).iloc[0, 0]
    frame["rows_read"] = int(read)
    return frame
