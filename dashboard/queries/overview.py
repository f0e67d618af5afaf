"""Ringkasan: the headline figures."""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, posyandu_clause


def query_posyandu_summary(filters: Filters) -> pd.Series:
    return query(
        f"""
        select
            count(*) as posyandu,
            count(*) filter (where is_balita) as posyandu_balita,
            count(*) filter (where is_registered) as registered,
            count(*) filter (where has_full_legality) as full_legality,
            count(*) filter (where spm_field_count = 6) as all_six_spm
        from dim_posyandu
        where {kec_clause()} and {posyandu_clause()}
        """,
        filters.params(),
    ).iloc[0]


def query_kader_participation(filters: Filters) -> pd.Series:
    """Kader present on hari buka ÷ kader registered, summed over posyandu, in the month."""
    return query(
        f"""
        select
            sum(kader_present) as kader_present,
            sum(kader_registered) as kader_registered,
            sum(kader_present) / nullif(sum(kader_registered), 0) as participation,
            count(*) as posyandu_reporting
        from mart_kader_by_posyandu_month
        where month = $month and {kec_clause()} and {posyandu_clause()}
        """,
        filters.params(),
    ).iloc[0]


def query_routine_stunting(filters: Filters) -> pd.Series | None:
    """Routine (e-PPGBM) stunting prevalence for the month and area, with its CI."""
    if filters.visible_kec is None:
        level, code = "kabupaten", "64.02"
    elif filters.single_kec:
        level, code = "kecamatan", filters.single_kec
    else:
        return None  # several or no kecamatan visible: no single published area figure to show
    frame = query(
        """
        select month, n_haz, stunted, stunting_prevalence, stunting_ci_low, stunting_ci_high
        from mart_stunting_by_area_month
        where area_level = $level and area_code = $code and month = $month
        """,
        {"level": level, "code": code, "month": filters.month},
    )
    return None if frame.empty else frame.iloc[0]


def query_latest_survey_stunting() -> pd.Series | None:
    frame = query(
        """
        select year, value_pct, source
        from fct_official_stunting
        where kind = 'survei' and lower(area) in ('kutai kartanegara', 'kukar', 'kab. kutai kartanegara')
        order by year desc
        limit 1
        """
    )
    return None if frame.empty else frame.iloc[0]


def query_stunting_months(filters: Filters, months: int = 12) -> pd.DataFrame:
    """Routine stunting of the visible area for the ``months`` months up to the chosen one
    (sums of the kecamatan rows of mart_stunting_by_area_month, as the Gizi Balita trend).

    Columns: month, n_haz, stunted, prevalence_pct (NaN where nobody was measured).
    """
    return query(
        f"""
        with monthly as (
            select
                month,
                sum(n_haz) as n_haz,
                sum(stunted) as stunted
            from mart_stunting_by_area_month
            where area_level = 'kecamatan'
                and month <= $month
                and month > $month - to_months($months)
                and {kec_clause("area_code")}
            group by month
        ),

        final as (
            select
                month,
                n_haz,
                stunted,
                100 * stunted / nullif(n_haz, 0) as prevalence_pct
            from monthly
        )

        select * from final
        order by month
        """,
        filters.params() | {"months": months},
    )
