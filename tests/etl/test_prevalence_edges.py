"""etl/transform/prevalence.py at its edges: oedema given as register codes, the warnings
numpy would print for an empty domain, a lonely posyandu or a 0 % / 100 % estimate, and
sums, values or domain codes handed over as plain lists with None or as floats. Every
expected value is worked out by hand in the test's docstring or comment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from etl.transform.prevalence import (
    build_design,
    classify_children,
    compute_prevalence_table,
    estimate_domains,
    estimate_from_sums,
    logit_interval,
    sum_domains,
)

# numpy's "divide by zero" and "invalid value" RuntimeWarnings end up in the ETL log and on
# the terminal of `python -m etl prevalence`: expected NaN and inf must not raise them
quiet = pytest.mark.filterwarnings("error::RuntimeWarning")


def test_oedema_codes_are_read_as_parse_oedema_reads_them() -> None:
    """z-scores 0 for everyone, so only oedema makes a child wasted, severely wasted and
    underweight (WHO: below -3 SD) and never overweight. "n", "N", "T" (tidak), blank, None,
    False and 0 are no oedema; y, Ya, yes, "1", 1 and True are."""
    codes = ["n", "N", "T", "", None, False, 0, "y", "Ya", "yes", "1", 1, True]
    expected = [0.0] * 7 + [1.0] * 6
    out = classify_children([0.0] * 13, [0.0] * 13, [0.0] * 13, codes)
    for indicator in ("wasting", "severe_wasting", "underweight"):
        assert out[indicator].tolist() == expected, indicator
    assert out["overweight"].tolist() == [0.0] * 13
    assert out["stunting"].tolist() == [0.0] * 13


def test_a_no_oedema_code_in_the_command_s_table_is_no_case() -> None:
    # two children of 400 days, z-scores 0: "n" is not oedema, "y" is, so wasting is 1 of 2
    table = compute_prevalence_table(
        haz=[0.0, 0.0], waz=[0.0, 0.0], whz=[0.0, 0.0], age_days=[400, 400], sex=[1, 2], oedema=["n", "y"]
    )
    wasting = table[(table.group_type == "all") & (table.indicator == "wasting")].iloc[0]
    assert (wasting["n"], wasting["prevalence_pct"]) == (2, 50.0)


@quiet
def test_empty_cells_a_lonely_posyandu_and_0_or_100_percent_warn_nothing() -> None:
    """Kecamatan S has posyandu A (children stunted and not) and B (stunted); kecamatan T
    has only posyandu C (stunted): a lonely PSU. Nobody is under 6 months (empty cells),
    nobody is overweight (0 %), every boy is stunted (100 %).

    Stunting, all: n = 4, p = 3/4. Residuals y - p per PSU: U_A = 1/4 - 3/4 = -1/2,
    U_B = 1/4, U_C = 1/4. Stratum S (2 PSUs, mean U -1/8): 2/(2-1) ((-3/8)^2 + (3/8)^2)
    = 9/16; stratum T (one PSU, centred on 0): (1/4)^2 = 1/16. Variance (9/16 + 1/16)/4^2
    = 5/128, SE = 19.764235 %; df = 3 PSUs - 2 strata = 1.
    """
    table = compute_prevalence_table(
        haz=[-2.5, 0.0, -2.5, -2.5],
        waz=[0.0] * 4,
        whz=[0.0] * 4,
        age_days=[400, 400, 800, 800],
        sex=[1, 2, 1, 2],
        cluster=["A", "A", "B", "C"],
        strata=["S", "S", "S", "T"],
    )
    rows = table.set_index(["group_type", "group_value", "indicator"])
    stunting = rows.loc[("all", "", "stunting")]
    assert (stunting["n"], stunting["prevalence_pct"]) == (4, 75.0)
    assert stunting["se_pct"] == pytest.approx(100 * math.sqrt(5 / 128), abs=1e-9)
    assert stunting["ci95_low_pct"] < 75.0 < stunting["ci95_high_pct"]
    overweight = rows.loc[("all", "", "overweight")]
    assert overweight[["prevalence_pct", "ci95_low_pct", "ci95_high_pct"]].tolist() == [0.0, 0.0, 0.0]
    boys = rows.loc[("sex", "1", "stunting")]
    assert boys[["n", "prevalence_pct", "ci95_low_pct", "ci95_high_pct"]].tolist() == [2, 100.0, 100.0, 100.0]
    youngest = rows.loc[("age", "00-05", "stunting")]
    assert youngest["n"] == 0 and youngest[["prevalence_pct", "se_pct", "ci95_low_pct"]].isna().all()


@quiet
def test_sums_of_an_empty_domain_give_no_estimate_quietly() -> None:
    # second row: the sums by hand of test_estimate_from_psu_sums_by_hand, p = 1/3, SE = 2/9
    p, se, low, high = estimate_from_sums([0, 3], [0, 1], [0, 1], [0, 1], [0, 1], [1, 1])
    assert math.isnan(p[0]) and math.isnan(se[0]) and math.isnan(low[0]) and math.isnan(high[0])
    assert (p[1], se[1]) == pytest.approx((1 / 3, 2 / 9))


@quiet
def test_an_interval_at_0_or_100_percent_is_the_point_itself_quietly() -> None:
    low, high = logit_interval([0.0, 1.0, math.nan], [0.0, 0.0, math.nan], [4, 4, 4])
    assert low[:2].tolist() == [0.0, 1.0] and high[:2].tolist() == [0.0, 1.0]
    assert math.isnan(low[2]) and math.isnan(high[2])


def test_sums_given_as_a_list_with_none_are_missing() -> None:
    """Row 0 has every sum (by hand: p = 1/3, SE = 2/9, see test_estimate_from_psu_sums_by_hand);
    each later row misses one: n or cases leave no proportion, yy, ym, mm or the degrees of
    freedom leave the proportion without an SE or interval."""
    n = [3, None, 3, 3, 3, 3, 3]
    cases = [1, 1, None, 1, 1, 1, 1]
    yy = [1, 1, 1, None, 1, 1, 1]
    ym = [1, 1, 1, 1, None, 1, 1]
    mm = [1, 1, 1, 1, 1, None, 1]
    df = [1, 1, 1, 1, 1, 1, None]
    p, se, low, high = estimate_from_sums(n, cases, yy, ym, mm, df)
    assert (p[0], se[0]) == pytest.approx((1 / 3, 2 / 9))
    assert np.isnan(p[1:3]).all() and p[3:] == pytest.approx([1 / 3] * 4)
    assert np.isnan(se[1:6]).all() and se[6] == pytest.approx(2 / 9)
    assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()


def test_an_interval_of_a_missing_proportion_or_se_given_as_none_is_missing() -> None:
    low, high = logit_interval([0.5, None, 0.5], [0.0, 0.1, None], [10, 10, 10])
    assert (low[0], high[0]) == (0.5, 0.5)  # SE 0: logit 0 -/+ 0
    assert np.isnan(low[1:]).all() and np.isnan(high[1:]).all()


def test_values_with_none_and_domain_codes_typed_as_floats() -> None:
    """Posyandu A: a child with the indicator and one not counted (None); B: a child without
    it and one in no domain (code -1). Domain 0: n = 2, p = 1/2. PSU totals Y = (1, 0),
    m = (1, 1), one stratum of 2 PSUs: yy = 2((1 - 1/2)^2 + (0 - 1/2)^2) = 1, ym = 0,
    mm = 0; SE = sqrt(1 / 2^2) = 1/2. Domains 1 and 2 have nobody."""
    design = build_design(4, cluster=["A", "A", "B", "B"], strata=["S"] * 4)
    values = [1.0, None, 0.0, 1.0]
    codes = np.array([0.0, 0.0, 0.0, -1.0])  # as a code column with a gap reads back from a frame
    sums = sum_domains(values, codes, 3, design)
    assert sums.n.tolist() == [2, 0, 0] and sums.cases.tolist() == [1.0, 0.0, 0.0]
    assert (sums.yy[0], sums.ym[0], sums.mm[0]) == pytest.approx((1.0, 0.0, 0.0))
    estimates = estimate_domains(values, codes, 3, design)
    assert estimates.n.tolist() == [2, 0, 0]
    assert estimates.n_clusters.tolist() == [2, 0, 0]
    assert (estimates.proportion[0], estimates.se[0]) == pytest.approx((0.5, 0.5))
    assert np.isnan(estimates.proportion[1:]).all()


def test_a_table_from_pandas_columns_equals_the_one_from_lists() -> None:
    """What the command hands over (numpy arrays, pandas columns with missing values) and
    plain lists give the same table."""
    columns = {
        "haz": [-2.5, 0.0, None, -3.5],
        "waz": [0.0, -2.5, 0.0, 0.0],
        "whz": [0.0, 2.5, 0.0, -2.5],
        "age_days": [30, 400, None, 1500],
        "sex": [1, 2, 2, None],
        "cluster": ["A", "A", "B", "B"],
        "group": ["x", "y", None, "x"],
    }
    text = {"cluster", "group"}
    as_pandas = {name: pd.Series(v, dtype="string" if name in text else "Float64") for name, v in columns.items()}
    from_lists = compute_prevalence_table(**columns)
    from_pandas = compute_prevalence_table(**as_pandas)
    pd.testing.assert_frame_equal(from_pandas, from_lists)
