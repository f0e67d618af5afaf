"""Child-nutrition page: six WHO indicators with design-based intervals, age × sex, and the
coverage behind each prevalence. Read from `mart_nutrition_prevalence` (computed at build
time with the WHO-parity engine) and `mart_nutrition_coverage_by_kecamatan_month`.

Figures for the visible area are combined from kecamatan rows (exact for any set of
kecamatan, see dashboard.metrics.nutrition), so a pembina's scope is applied in SQL.
"""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause
from dashboard.metrics.nutrition import SUM_COLUMNS, coverage_ratios, estimates_from_kecamatan_sums

_SUMS = """
    sum(n) as n,
    sum(cases) as cases,
    sum(ss_cases) as ss_cases,
    sum(sp_cases_children) as sp_cases_children,
    sum(ss_children) as ss_children,
    sum(n_clusters) as n_clusters,
    max(degrees_of_freedom) as degrees_of_freedom
"""


def query_nutrition_trend(filters: Filters) -> pd.DataFrame:
    """Per month up to the chosen one and per indicator, for the visible area: n, cases,
    prevalence, se, ci_low, ci_high (fractions), n_clusters."""
    frame = query(
        f"""
        select
            month,
            indicator,
            {_SUMS}
        from mart_nutrition_prevalence
        where area_level = 'kecamatan'
            and group_type = 'all'
            and month <= $month
            and {kec_clause("area_code")}
        group by month, indicator
        order by month, indicator
        """,
        filters.params(),
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return estimates_from_kecamatan_sums(frame)


def query_nutrition_breakdown(filters: Filters) -> pd.DataFrame:
    """The chosen month's age, sex and age × sex groups per indicator for the visible area:
    group_type, group_value ("12-23", "2", "12-23.2"), n, cases, prevalence, se, ci_low, ci_high."""
    frame = query(
        f"""
        select
            group_type,
            group_value,
            indicator,
            {_SUMS}
        from mart_nutrition_prevalence
        where area_level = 'kecamatan'
            and group_type in ('age', 'sex', 'age_sex')
            and month = $month
            and {kec_clause("area_code")}
        group by group_type, group_value, indicator
        order by group_type, group_value, indicator
        """,
        filters.params(),
    )
    return estimates_from_kecamatan_sums(frame)


def query_nutrition_coverage(filters: Filters) -> pd.DataFrame:
    """Per month up to the chosen one, for the visible area: counts and the shares of
    `coverage_ratios` (valid measurement ÷ S, D/S, reporting completeness, N/D, 2T)."""
    frame = query(
        f"""
        select
            month,
            sum(children_measured) as children_measured,
            sum(children_valid_haz) as children_valid_haz,
            sum(children_weighed) as children_weighed,
            sum(children_with_gain_status) as children_with_gain_status,
            sum(gained_n) as gained_n,
            sum(not_gained_2t) as not_gained_2t,
            sum(sasaran_s) as sasaran_s,
            sum(weighed_d) as weighed_d,
            sum(posyandu_reported) as posyandu_reported,
            sum(posyandu_expected) as posyandu_expected
        from mart_nutrition_coverage_by_kecamatan_month
        where month <= $month
            and {kec_clause("kode_kec")}
        group by month
        order by month
        """,
        filters.params(),
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return coverage_ratios(frame)


WHOLE_AREA = "*"  # the code of query_stunting_intervals' row for the whole visible area


def query_stunting_intervals(filters: Filters) -> pd.DataFrame:
    """Stunting in the chosen month, design-based (posyandu clusters, kecamatan strata), per
    kecamatan of the visible area and for the visible area as a whole (code WHOLE_AREA): code, n, cases,
    prevalence, se, ci_low, ci_high (fractions). The rapat's "belum berbeda nyata" compares these."""
    frame = query(
        f"""
        select
            area_code as code,
            {_SUMS}
        from mart_nutrition_prevalence
        where area_level = 'kecamatan'
            and group_type = 'all'
            and indicator = 'stunting'
            and month = $month
            and {kec_clause("area_code")}
        group by area_code
        order by area_code
        """,
        filters.params(),
    )
    totals = frame[list(SUM_COLUMNS)].sum().to_frame().T
    totals["degrees_of_freedom"] = frame["degrees_of_freedom"].max() if len(frame) else float("nan")
    totals["code"] = WHOLE_AREA
    return estimates_from_kecamatan_sums(pd.concat([frame, totals], ignore_index=True))
