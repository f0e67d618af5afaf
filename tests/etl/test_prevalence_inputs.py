"""etl/transform/prevalence.py on inputs as callers hand them over: unknown values written as
None, group codes typed as numbers, z-scores known while sex is not; the PSUs behind an
estimate, and the estimate from summed PSU totals that the marts add up across kecamatan.
Every expected count is read off the rows written in each test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from etl.transform.prevalence import (
    assign_age_groups,
    build_design,
    combine_codes,
    compute_prevalence_table,
    drop_flagged,
    estimate_domains,
    estimate_from_sums,
    logit_interval,
    sum_domains,
)


def _stunting(table: pd.DataFrame, group_type: str) -> pd.DataFrame:
    rows = table[(table.group_type == group_type) & (table.indicator == "stunting")]
    return rows.set_index("group_value")


def test_a_child_of_unknown_sex_is_in_no_age_by_sex_cell() -> None:
    """The z-scores come with the register (ZS TB/U), so a child whose sex cell is blank still
    counts in the total and in its age group, but in no age x sex cell: 400 days is 12-23."""
    table = compute_prevalence_table(
        haz=[-2.5, -2.5, 0.0], waz=[0.0] * 3, whz=[0.0] * 3, age_days=[400, 400, 400], sex=[None, "X", 1]
    )
    assert _stunting(table, "all").loc["", "n"] == 3
    assert _stunting(table, "age").loc["12-23", "n"] == 3
    age_sex = _stunting(table, "age_sex")["n"]
    assert age_sex.sum() == 1 and age_sex["12-23.1"] == 1


def test_group_codes_read_as_numbers_with_empty_cells_keep_their_spelling() -> None:
    # a spreadsheet column read as objects: whole numbers, and None for the empty cell
    codes = np.array([6402012001, 6402012002, 6402012001, None], dtype=object)
    table = compute_prevalence_table(
        haz=[-2.5, 0.0, -2.5, 0.0],
        waz=[0.0] * 4,
        whz=[0.0] * 4,
        age_days=[400] * 4,
        sex=[1] * 4,
        group=codes,
    )
    groups = _stunting(table, "group")
    assert groups.index.tolist() == ["6402012001", "6402012002"]  # not "6402012001.0", no "None"
    assert groups["n"].tolist() == [2, 1]


def test_unknown_ages_given_as_none_are_kept_without_an_age_group() -> None:
    assert assign_age_groups([None, 182.5, 1826.0]).tolist() == [None, "06-11", "48-59"]
    table = compute_prevalence_table(haz=[-2.5, 0.0], waz=[0.0] * 2, whz=[0.0] * 2, age_days=[None, 400], sex=[1, 1])
    assert _stunting(table, "all").loc["", "n"] == 2
    assert _stunting(table, "age")["n"].sum() == 1


def test_flagged_z_scores_given_as_a_list_with_none() -> None:
    dropped = drop_flagged([None, -6.01, -6.0, 1.0], "haz")
    assert math.isnan(dropped[0]) and math.isnan(dropped[1])
    assert dropped[2:].tolist() == [-6.0, 1.0]


def test_the_table_is_numbered_from_zero() -> None:
    table = compute_prevalence_table(haz=[-2.5, 0.0], waz=[0.0] * 2, whz=[0.0] * 2, age_days=[400, 800], sex=[1, 2])
    assert table.index.equals(pd.RangeIndex(len(table)))


def test_clusters_behind_an_estimate_are_those_with_a_counted_child() -> None:
    """Domain 0: posyandu A (two counted children), B (one), C (its only child flagged out,
    NaN). Domain 1: posyandu C's second child. Domain 2: one flagged child in D. A domain
    counts the PSUs holding one of its counted children: 2, 1 and 0."""
    values = np.array([1.0, 0.0, 1.0, np.nan, 0.0, np.nan])
    domain = np.array([0, 0, 0, 0, 1, 2])
    design = build_design(6, cluster=["A", "A", "B", "C", "C", "D"], strata=["S"] * 6)
    estimates = estimate_domains(values, domain, 3, design)
    assert estimates.n.tolist() == [3, 1, 0]
    assert estimates.n_clusters.tolist() == [2, 1, 0]


def test_a_file_of_children_all_over_the_age_limit_gives_empty_estimates() -> None:
    table = compute_prevalence_table(haz=[-2.5, 0.0], waz=[0.0] * 2, whz=[0.0] * 2, age_days=[1900, 2000], sex=[1, 2])
    assert len(table) == 6 * (1 + 6 + 2 + 12)  # every breakdown is still listed
    assert (table["n"] == 0).all() and table["prevalence_pct"].isna().all()


def test_a_posyandu_name_repeated_in_two_kecamatan_is_two_clusters() -> None:
    """Posyandu are named within a desa: "Melati" in kecamatan S and in kecamatan T are two
    PSUs (nested in their strata, as WHO's svydesign(nest = TRUE)). The estimate must equal
    the one with the names made unique: 4 PSUs, 2 strata, df = 2."""
    values = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
    strata = ["S", "S", "S", "S", "T", "T", "T", "T"]
    shared = ["Melati", "Melati", "Mawar", "Mawar", "Melati", "Melati", "Mawar", "Mawar"]
    unique = [f"{s}/{c}" for s, c in zip(strata, shared, strict=True)]
    domain = np.zeros(8, dtype=np.intp)
    with_shared = build_design(8, cluster=shared, strata=strata)
    with_unique = build_design(8, cluster=unique, strata=strata)
    assert with_shared.degrees_of_freedom.tolist() == [2.0]
    a = estimate_domains(values, domain, 1, with_shared)
    b = estimate_domains(values, domain, 1, with_unique)
    assert (a.proportion[0], a.se[0], a.n_clusters[0]) == pytest.approx((b.proportion[0], b.se[0], 4))
    assert (a.ci_low[0], a.ci_high[0]) == pytest.approx((b.ci_low[0], b.ci_high[0]))


def test_combined_codes_tell_every_pair_apart() -> None:
    # (0, 1), (1, 0), (2, 0), (0, 1): three combinations, first seen in rows 0, 1 and 2
    dense, first = combine_codes(np.array([0, 1, 2, 0]), np.array([1, 0, 0, 1]))
    assert dense.tolist() == [0, 1, 2, 0]
    assert first.tolist() == [0, 1, 2]


def test_estimate_from_psu_sums_by_hand() -> None:
    """Clusters A (children 1, 0) and B (0) in one stratum: p = 1/3. PSU totals Y = (1, 0),
    m = (2, 1), n_h = 2, so with c = n_h/(n_h - 1) = 2:
    yy = 2 ((1 - 1/2)^2 + (0 - 1/2)^2) = 1, ym = 2 ((1/2)(1/2) + (-1/2)(-1/2)) = 1, mm = 1;
    var = (yy - 2p ym + p^2 mm) / n^2 = (1 - 2/3 + 1/9) / 9 = 4/81, SE = 2/9: the same as
    the residuals give (estimate_domains), with df = 2 PSUs - 1 stratum = 1."""
    design = build_design(3, cluster=["A", "A", "B"], strata=["S"] * 3)
    sums = sum_domains([1.0, 0.0, 0.0], np.zeros(3, dtype=np.intp), 1, design)
    assert (sums.yy[0], sums.ym[0], sums.mm[0]) == pytest.approx((1.0, 1.0, 1.0))
    p, se, low, high = estimate_from_sums(sums.n, sums.cases, sums.yy, sums.ym, sums.mm, [1.0])
    assert (p[0], se[0]) == pytest.approx((1 / 3, 2 / 9))
    direct = estimate_domains([1.0, 0.0, 0.0], np.zeros(3, dtype=np.intp), 1, design)
    assert (low[0], high[0]) == pytest.approx((direct.ci_low[0], direct.ci_high[0]))


def test_zero_or_full_prevalence_with_one_degree_of_freedom_is_its_own_interval() -> None:
    low, high = logit_interval([0.0, 1.0], [0.0, 0.0], [1.0, 1.0])
    assert low.tolist() == [0.0, 1.0] and high.tolist() == [0.0, 1.0]


def test_a_missing_cluster_is_refused_in_these_words() -> None:
    with pytest.raises(ValueError, match=r"^cluster, strata and design must not be missing$"):
        build_design(2, cluster=["A", None])
