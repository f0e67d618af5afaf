"""WHO's prevalence rules, pinned on cases small enough to compute by hand.

The expected standard errors below are worked out in the docstrings from the textbook
linearised variance of a domain mean (equal weights, PSUs nested in strata):
u_i = (y_i - p)/n for each counted child, U = sum of u in a PSU, and per stratum with n_h
PSUs n_h/(n_h - 1) * sum (U - mean U)^2; a stratum with one PSU adds U^2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import t as student_t

from etl.transform.prevalence import (
    AGE_GROUPS,
    INDICATORS,
    OEDEMA_Z,
    assign_age_groups,
    build_design,
    classify_children,
    compute_prevalence_table,
    estimate_domains,
    estimate_from_sums,
    logit_interval,
    round_zscores,
    within_age_limit,
)

NAN = float("nan")


def expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# -- rounding as R's round(z, 2) ------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "rounded"),
    [
        (-2.004, -2.0),
        # -2.005 is stored as -2.00499999999999989...: nearer to -2.00 than to -2.01.
        (-2.005, -2.0),
        (-2.0051, -2.01),
        (-2.006, -2.01),
        (2.675, 2.67),  # stored as 2.67499999999999982...
        (0.125, 0.12),  # an exact tie in binary: to the even neighbour
        (0.375, 0.38),  # an exact tie: 0.38 is the even neighbour
        (-6.004, -6.0),
        (5.006, 5.01),
        (0.0, 0.0),
    ],
)
def test_round_zscores_like_r(z: float, rounded: float) -> None:
    assert round_zscores([z])[0] == rounded


def test_round_zscores_keeps_missing_and_huge_values() -> None:
    out = round_zscores([NAN, 1e20, -1e20])
    assert math.isnan(out[0])
    assert out[1] == 1e20 and out[2] == -1e20


def test_stunting_boundary_after_rounding() -> None:
    """-2.004 and -2.005 round to -2.00, which is not < -2: not stunted; -2.0051 is."""
    result = classify_children([-2.004, -2.005, -2.0051, -1.999], [0.0] * 4, [0.0] * 4)
    assert list(result["stunting"]) == [0.0, 0.0, 1.0, 0.0]


def test_overweight_boundary_after_rounding() -> None:
    result = classify_children([0.0] * 3, [0.0] * 3, [2.004, 2.005, 2.0051])
    # 2.005 is stored as 2.00499999999999989..., so it rounds to 2.00: not > 2.
    assert list(result["overweight"]) == [0.0, 0.0, 1.0]


# -- flags on the rounded value ------------------------------------------------------


def test_flags_apply_to_the_rounded_value() -> None:
    """HAZ -6.004 rounds to -6.00 (kept, severely stunted); -6.006 to -6.01 (flagged).
    WHZ 5.004 -> 5.00 kept (overweight); 5.006 -> 5.01 flagged. WAZ 5.004 kept, 5.006
    flagged: the child leaves the underweight denominator."""
    result = classify_children([-6.004, -6.006, 0.0, 0.0], [0.0, 0.0, 5.004, 5.006], [0.0, 0.0, 5.004, 5.006])
    assert result["severe_stunting"][0] == 1.0
    assert math.isnan(result["severe_stunting"][1])
    assert result["overweight"][2] == 1.0
    assert math.isnan(result["overweight"][3])
    assert result["underweight"][2] == 0.0
    assert math.isnan(result["underweight"][3])


def test_flagged_child_leaves_numerator_and_denominator() -> None:
    table = compute_prevalence_table(
        haz=[-7.0, -2.5, 0.0, 0.0],
        waz=[0.0] * 4,
        whz=[0.0] * 4,
        age_days=[400] * 4,
        sex=[1, 2, 1, 2],
    )
    row = table[(table.group_type == "all") & (table.indicator == "stunting")].iloc[0]
    assert row.n == 3
    assert row.prevalence_pct == pytest.approx(100 / 3)


# -- oedema -----------------------------------------------------------------------------


def test_oedema_counts_as_severe_for_weight_based_indicators() -> None:
    """A child with oedema has no usable weight; WHO gives it -3.1 for prevalence."""
    result = classify_children([-1.0, -1.0], [NAN, 1.5], [NAN, 2.5], oedema=[True, True])
    for indicator in ("wasting", "severe_wasting", "underweight"):
        assert list(result[indicator]) == [1.0, 1.0], indicator
    assert list(result["overweight"]) == [0.0, 0.0]
    assert list(result["stunting"]) == [0.0, 0.0]  # height-for-age is not weight-based
    assert OEDEMA_Z < -3


def test_oedema_child_over_age_limit_is_not_counted() -> None:
    table = compute_prevalence_table(
        haz=[0.0, 0.0], waz=[0.0, NAN], whz=[0.0, NAN], age_days=[800, 1827], sex=[1, 1], oedema=[False, True]
    )
    wasting = table[(table.group_type == "all") & (table.indicator == "wasting")].iloc[0]
    assert wasting.n == 1
    assert wasting.prevalence_pct == 0.0


# -- ages -----------------------------------------------------------------------------


def test_age_groups_on_unrounded_months() -> None:
    # 182 days = 5.98 months, 183 = 6.01; 365 = 11.99, 366 = 12.02; 1826 = 59.99.
    groups = assign_age_groups([0, 182, 183, 365, 366, 730, 731, 1826, 1827, NAN])
    assert list(groups) == ["00-05", "00-05", "06-11", "06-11", "12-23", "12-23", "24-35", "48-59", None, None]


def test_age_limit_keeps_unknown_ages() -> None:
    # WHO compares whole days (x.5 up): 1826.4 days is day 1826 and stays; 1826.5 is day 1827.
    assert list(within_age_limit([1826, 1826.4, 1826.5, 1827, NAN])) == [True, True, False, False, True]


# -- design-based standard errors and intervals -----------------------------------------


def test_simple_random_sample_closed_form() -> None:
    """No cluster: every child is a PSU. With N children in the design of whom n are
    counted, var(p) = N/(N - 1) * p(1 - p)/n; df = N - 1."""
    y = np.array([1, 0, 0, 1, 0, 0, 0, 1, NAN, NAN])
    design = build_design(len(y))
    est = estimate_domains(y, np.zeros(len(y), dtype=int), 1, design)
    n, p, big_n = 8, 3 / 8, 10
    se = math.sqrt(big_n / (big_n - 1) * p * (1 - p) / n)
    assert est.n[0] == n
    assert est.proportion[0] == pytest.approx(p)
    assert est.se[0] == pytest.approx(se, rel=1e-12)
    q = student_t.ppf(0.975, big_n - 1)
    half = q * se / (p * (1 - p))
    logit = math.log(p / (1 - p))
    assert est.ci_low[0] == pytest.approx(expit(logit - half), rel=1e-12)
    assert est.ci_high[0] == pytest.approx(expit(logit + half), rel=1e-12)


def test_cluster_with_one_child() -> None:
    """Clusters A = [1, 0] and B = [1] (one child), one stratum: n = 3, p = 2/3.
    U_A = (1/3 - 2/3)/3 = -1/9, U_B = (1/3)/3 = 1/9, mean 0;
    var = 2/1 * (1/81 + 1/81) = 4/81, se = 2/9; df = 2 clusters - 1 stratum = 1;
    logit interval: log 2 -/+ t(0.975, 1) * (2/9)/(2/9)."""
    design = build_design(3, cluster=["A", "A", "B"])
    est = estimate_domains(np.array([1.0, 0.0, 1.0]), np.zeros(3, dtype=int), 1, design)
    assert est.proportion[0] == pytest.approx(2 / 3)
    assert est.se[0] == pytest.approx(2 / 9, rel=1e-12)
    q = student_t.ppf(0.975, 1)  # 12.706...
    assert est.ci_low[0] == pytest.approx(expit(math.log(2) - q), rel=1e-12)
    assert est.ci_high[0] == pytest.approx(expit(math.log(2) + q), rel=1e-12)


def test_stratum_with_one_psu_is_centred_on_the_population_mean() -> None:
    """Stratum S1: A = [1, 0], B = [0, 0]; S2: C = [1] alone. n = 5, p = 2/5.
    U_A = 0.04, U_B = -0.16, U_C = 0.12. S1: 2 * ((0.04 + 0.06)^2 + (-0.16 + 0.06)^2)
    = 0.04; S2 (one PSU): 0.12^2 = 0.0144; var = 0.0544. df = 3 PSUs - 2 strata = 1."""
    design = build_design(5, cluster=["A", "A", "B", "B", "C"], strata=["S1", "S1", "S1", "S1", "S2"])
    est = estimate_domains(np.array([1.0, 0.0, 0.0, 0.0, 1.0]), np.zeros(5, dtype=int), 1, design)
    assert est.se[0] == pytest.approx(math.sqrt(0.0544), rel=1e-12)
    assert design.degrees_of_freedom[0] == 1


def test_domain_keeps_the_whole_designs_psus() -> None:
    """Domain {rows 0, 2}: y = 1 in A, 0 in B; PSU C has no domain child (U = 0).
    p = 1/2, U_A = 1/4, U_B = -1/4, U_C = 0: var = 3/2 * (1/16 + 1/16) = 3/16."""
    design = build_design(4, cluster=["A", "A", "B", "C"])
    est = estimate_domains(np.array([1.0, 1.0, 0.0, 1.0]), np.array([0, -1, 0, -1]), 1, design)
    assert est.n[0] == 2
    assert est.se[0] == pytest.approx(math.sqrt(3 / 16), rel=1e-12)


def test_independent_designs_have_their_own_degrees_of_freedom() -> None:
    design = build_design(6, cluster=["A", "B", "C", "A", "B", "B"], design=[1, 1, 1, 2, 2, 2])
    assert list(design.degrees_of_freedom) == [2.0, 1.0]
    est = estimate_domains(np.array([1.0, 0, 0, 1, 0, 0]), np.array([0, 0, 0, 1, 1, 1]), 2, design)
    assert est.se[0] == pytest.approx(math.sqrt(3 / 2 * ((2 / 9) ** 2 + 2 * (1 / 9) ** 2)), rel=1e-12)


def test_interval_at_zero_and_one_collapses_onto_the_estimate() -> None:
    low, high = logit_interval(np.array([0.0, 1.0]), np.array([0.0, 0.0]), np.array([10.0, 10.0]))
    assert list(low) == [0.0, 1.0] and list(high) == [0.0, 1.0]


def test_single_cluster_means_every_child_is_a_psu() -> None:
    """WHO's code drops the cluster when there is only one: same as no cluster."""
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
    one = estimate_domains(y, np.zeros(5, dtype=int), 1, build_design(5, cluster=["P"] * 5))
    none = estimate_domains(y, np.zeros(5, dtype=int), 1, build_design(5))
    assert one.se[0] == pytest.approx(none.se[0], rel=1e-12)


# -- the breakdown table --------------------------------------------------------------


def test_table_lists_every_breakdown_and_indicator() -> None:
    table = compute_prevalence_table(
        haz=[-2.5, 0.0, -3.5],
        waz=[0.0, -2.5, 0.0],
        whz=[0.0, 2.5, -2.5],
        age_days=[100, 400, 1500],
        sex=[1, 2, 2],
        group=["x", "y", "x"],
    )
    counts = table.groupby("group_type").size().to_dict()
    assert counts == {"all": 6, "age": 36, "sex": 12, "age_sex": 72, "group": 12}
    assert set(table.indicator) == set(INDICATORS)
    assert list(table[table.group_type == "age"].group_value.unique()) == list(AGE_GROUPS)
    assert "00-05.1" in set(table.group_value)
    empty = table[(table.group_type == "age") & (table.group_value == "06-11")]
    assert (empty.n == 0).all() and empty.prevalence_pct.isna().all()
    x = table[(table.group_type == "group") & (table.group_value == "x") & (table.indicator == "stunting")].iloc[0]
    assert (x.n, x.prevalence_pct) == (2, 100.0)


# -- inputs as the marts and the command pass them -------------------------------------


def test_flag_limits_are_inclusive_on_the_rounded_value() -> None:
    """HAZ -6..6, WAZ -6..5, WHZ -5..5 are kept at the limit itself; 0.01 beyond is flagged."""
    result = classify_children(
        [-6.0, 6.0, 6.01, -6.01, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, -6.0, 5.0, -6.01, 5.01],
        [-5.0, 5.0, -5.01, 5.01, 0.0, 0.0, 0.0, 0.0],
    )
    assert list(result["stunting"][:2]) == [1.0, 0.0] and list(result["severe_stunting"][:2]) == [1.0, 0.0]
    assert np.isnan(result["stunting"][2:4]).all()
    assert list(result["wasting"][:2]) == [1.0, 0.0] and np.isnan(result["wasting"][2:4]).all()
    assert list(result["overweight"][:2]) == [0.0, 1.0]
    assert list(result["underweight"][4:6]) == [1.0, 0.0] and np.isnan(result["underweight"][6:8]).all()


def test_severe_cut_offs_are_strict() -> None:
    result = classify_children([-3.0, -3.01, 0.0, 0.0], [0.0] * 4, [0.0, 0.0, -3.0, -3.01])
    assert list(result["severe_stunting"]) == [0.0, 1.0, 0.0, 0.0]
    assert list(result["severe_wasting"]) == [0.0, 0.0, 0.0, 1.0]
    assert list(result["wasting"]) == [0.0, 0.0, 1.0, 1.0]


def test_round_zscores_to_other_decimals_and_negative_ties() -> None:
    assert list(round_zscores([1.25, -1.25, 1.35, -0.125, 2.5], decimals=1)) == [1.2, -1.2, 1.4, -0.1, 2.5]
    assert list(round_zscores([-0.125, -0.375, 1.0049999])) == [-0.12, -0.38, 1.0]
    assert list(round_zscores([2.5, 3.5, -2.5], decimals=0)) == [2.0, 4.0, -2.0]


def test_design_inputs_must_match_the_rows_and_not_be_missing() -> None:
    with pytest.raises(ValueError, match="expected 3 values, got 2"):
        build_design(3, cluster=["A", "B"])
    with pytest.raises(ValueError, match="must not be missing"):
        build_design(3, cluster=["A", None, "B"])
    with pytest.raises(ValueError, match="must not be missing"):
        build_design(2, strata=["S", float("nan")])


def test_design_counts_strata_and_clusters() -> None:
    # two strata, three clusters in S1 and two in S2: df = 5 - 2 = 3
    design = build_design(7, cluster=["a", "b", "c", "d", "e", "a", "d"], strata=["S1"] * 3 + ["S2"] * 2 + ["S1", "S2"])
    assert list(design.degrees_of_freedom) == [3.0]
    assert design.rows == 7
    assert design.psu[0] == design.psu[5] and design.psu[3] == design.psu[6]
    assert len(set(design.psu)) == 5
    assert list(design.psu_stratum) == [0, 0, 0, 1, 1]
    # no cluster: every row its own PSU in one stratum, df = rows - 1
    assert list(build_design(4).degrees_of_freedom) == [3.0]
    assert list(build_design(0).degrees_of_freedom) == []


def test_no_degrees_of_freedom_gives_no_interval() -> None:
    low, high = logit_interval(np.array([0.25, 0.0]), np.array([0.1, 0.0]), np.array([0.0, 0.0]))
    assert np.isnan(low).all() and np.isnan(high).all()


def test_estimate_from_sums_with_no_children_and_rounding_noise() -> None:
    p, se, low, high = estimate_from_sums([0, 4], [0, 2], [0.0, -1e-20], [0.0, 0.0], [0.0, 0.0], [3.0, 3.0])
    assert np.isnan(p[0]) and np.isnan(se[0]) and np.isnan(low[0]) and np.isnan(high[0])
    assert (p[1], se[1]) == (0.5, 0.0)  # a tiny negative variance from cancellation is 0, not NaN
    assert (low[1], high[1]) == (0.5, 0.5)


def test_sex_written_in_several_ways_and_unknown_sex() -> None:
    sexes = [1, "1", 1.0, "L", "m", " l ", 2, "2.0", "P", "f", "X", None, float("nan")]
    size = len(sexes)
    table = compute_prevalence_table(
        haz=[-2.5] * size, waz=[0.0] * size, whz=[0.0] * size, age_days=[400] * size, sex=sexes
    )
    n = table[(table.group_type == "sex") & (table.indicator == "stunting")].set_index("group_value").n
    assert n.to_dict() == {"1": 6, "2": 4}
    everyone = table[(table.group_type == "all") & (table.indicator == "stunting")].iloc[0]
    assert everyone.n == size  # unknown sex still counts in the total
    cell = table[(table.group_type == "age_sex") & (table.group_value == "12-23.2") & (table.indicator == "stunting")]
    assert cell.n.tolist() == [4]


def test_group_labels_are_trimmed_and_blank_groups_left_out() -> None:
    groups = [" Loa Kulu", "Loa Kulu ", "Anggana", "", "  ", None, float("nan")]
    size = len(groups)
    table = compute_prevalence_table(
        haz=[-2.5, 0.0, -2.5, 0.0, 0.0, 0.0, 0.0],
        waz=[0.0] * size,
        whz=[0.0] * size,
        age_days=[400] * size,
        sex=[1] * size,
        group=groups,
    )
    stunting = table[(table.group_type == "group") & (table.indicator == "stunting")]
    assert stunting.group_value.tolist() == ["Anggana", "Loa Kulu"]  # sorted by name
    assert stunting.n.tolist() == [1, 2]
    assert stunting.prevalence_pct.tolist() == [100.0, 50.0]


def test_table_with_clusters_strata_and_oedema_over_the_age_limit() -> None:
    """Rows over 1,826 days leave the design too: with them gone, clusters A and B (one
    stratum) hold [1, 0] and [0]: n = 3, p = 1/3, df = 1."""
    table = compute_prevalence_table(
        haz=[-2.5, 0.0, 0.0, -2.5],
        waz=[0.0] * 4,
        whz=[0.0, 0.0, 0.0, NAN],
        age_days=[400, 500, 600, 1900],
        sex=[1, 2, 1, 2],
        oedema=[False, False, False, True],
        cluster=["A", "A", "B", "C"],
        strata=["S", "S", "S", "S"],
    )
    row = table[(table.group_type == "all") & (table.indicator == "stunting")].iloc[0]
    assert (row.n, row.prevalence_pct) == (3, pytest.approx(100 / 3))
    # U_A = (1 - 2/3)/3 = 1/9, U_B = (0 - 1/3)/3 = -1/9: var = 2 * (1/81 + 1/81) = 4/81
    assert row.se_pct == pytest.approx(100 * 2 / 9)
    wasting = table[(table.group_type == "all") & (table.indicator == "wasting")].iloc[0]
    assert (wasting.n, wasting.prevalence_pct) == (3, 0.0)
    assert list(table.columns) == [
        "group_type", "group_value", "indicator", "n", "prevalence_pct", "se_pct", "ci95_low_pct", "ci95_high_pct",
    ]  # fmt: skip
