"""The warehouse's design-based mart: each month its own survey, every area a domain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.transform.nutrition_marts import MART_COLUMNS, compute_area_month_prevalence
from etl.transform.prevalence import compute_prevalence_table, estimate_from_sums


def children_frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for month in ("2025-09-01", "2025-10-01"):
        for kec, desas in (("64.02.01", ("64.02.01.2001", "64.02.01.2002")), ("64.02.02", ("64.02.02.2001",))):
            for desa in desas:
                posyandu = [f"{desa}-P{i}" for i in range(3 if desa.endswith("2001") else 1)]
                for p in posyandu:
                    for _ in range(12):
                        rows.append(
                            {
                                "month": pd.Timestamp(month),
                                "kode_kec": kec,
                                "kode_desa": desa,
                                "posyandu_id": p,
                                "age_days": int(rng.integers(0, 1827)),
                                "sex": int(rng.integers(1, 3)),
                                "haz": round(float(rng.normal(-1.2, 1.1)), 2),
                                "waz": round(float(rng.normal(-0.8, 1.0)), 2),
                                "whz": round(float(rng.normal(-0.3, 1.0)), 2),
                                "oedema": False,
                            }
                        )
    return pd.DataFrame(rows)


def test_kabupaten_month_equals_the_command_engine_on_that_month() -> None:
    children = children_frame()
    mart = compute_area_month_prevalence(children)
    assert list(mart.columns) == list(MART_COLUMNS)
    october = children[children.month == pd.Timestamp("2025-10-01")]
    table = compute_prevalence_table(
        october.haz, october.waz, october.whz, october.age_days, october.sex,
        cluster=october.posyandu_id, strata=october.kode_kec, group=october.kode_kec,
    )  # fmt: skip
    for indicator in ("stunting", "wasting", "underweight"):
        expected = table[(table.group_type == "all") & (table.indicator == indicator)].iloc[0]
        got = mart[
            (mart.month == pd.Timestamp("2025-10-01"))
            & (mart.area_level == "kabupaten")
            & (mart.group_type == "all")
            & (mart.indicator == indicator)
        ].iloc[0]
        assert got.n == expected.n
        assert 100 * got.prevalence == pytest.approx(expected.prevalence_pct)
        assert 100 * got.se == pytest.approx(expected.se_pct)
        assert 100 * got.ci_low == pytest.approx(expected.ci95_low_pct)
        kec = table[(table.group_type == "group") & (table.group_value == "64.02.01") & (table.indicator == indicator)]
        got_kec = mart[
            (mart.month == pd.Timestamp("2025-10-01"))
            & (mart.area_code == "64.02.01")
            & (mart.group_type == "all")
            & (mart.indicator == indicator)
        ].iloc[0]
        assert 100 * got_kec.se == pytest.approx(kec.iloc[0].se_pct)


def test_each_month_is_its_own_design() -> None:
    children = children_frame()
    september = children.month == pd.Timestamp("2025-09-01")
    children = children[~(september & (children.posyandu_id == "64.02.02.2001-P2"))]
    mart = compute_area_month_prevalence(children)
    # 7 posyandu in 2 kecamatan -> 5 degrees of freedom; September lost one posyandu -> 4
    df = mart.groupby("month")["degrees_of_freedom"].unique().map(list).to_dict()
    assert df == {pd.Timestamp("2025-09-01"): [4], pd.Timestamp("2025-10-01"): [5]}


def test_area_with_one_posyandu_has_no_interval() -> None:
    mart = compute_area_month_prevalence(children_frame())
    single = mart[(mart.area_code == "64.02.01.2002") & (mart.group_type == "all")]
    assert (single.n_clusters == 1).all()
    assert single.se.isna().all() and single.ci_low.isna().all()
    several = mart[(mart.area_code == "64.02.01.2001") & (mart.group_type == "all")]
    assert several.se.notna().all()


def test_breakdowns_per_level() -> None:
    mart = compute_area_month_prevalence(children_frame())
    levels = mart.groupby("area_level")["group_type"].unique().map(set).to_dict()
    assert levels == {
        "kabupaten": {"all", "age", "sex", "age_sex"},
        "kecamatan": {"all", "age", "sex", "age_sex"},
        "desa": {"all"},
    }
    assert mart[(mart.group_type == "age_sex")].group_value.str.match(r"^\d\d-\d\d\.[12]$").all()


def test_empty_input_gives_an_empty_mart() -> None:
    mart = compute_area_month_prevalence(children_frame().iloc[0:0])
    assert mart.empty and list(mart.columns) == list(MART_COLUMNS)


def test_kecamatan_rows_add_up_to_the_kabupaten_exactly() -> None:
    """Kecamatan are strata: summing their rows' sums gives the kabupaten's design-based SE."""
    mart = compute_area_month_prevalence(children_frame())
    for (month, indicator), rows in mart[mart.group_type.isin(["all", "age_sex"])].groupby(["month", "indicator"]):
        kec = rows[(rows.area_level == "kecamatan") & (rows.group_type == "all")]
        kab = rows[(rows.area_level == "kabupaten") & (rows.group_type == "all")].iloc[0]
        p, se, low, high = estimate_from_sums(
            kec.n.sum(),
            kec.cases.sum(),
            kec.ss_cases.sum(),
            kec.sp_cases_children.sum(),
            kec.ss_children.sum(),
            kab.degrees_of_freedom,
        )
        assert p == pytest.approx(kab.prevalence, rel=1e-12)
        assert se == pytest.approx(kab.se, rel=1e-9)
        assert (low, high) == pytest.approx((kab.ci_low, kab.ci_high), rel=1e-9)
        # and an age x sex cell over the kecamatan equals the kabupaten's cell
        cell = rows[(rows.group_type == "age_sex") & (rows.group_value == "24-35.2")]
        kec_cell = cell[cell.area_level == "kecamatan"]
        kab_cell = cell[cell.area_level == "kabupaten"].iloc[0]
        _, cell_se, _, _ = estimate_from_sums(
            kec_cell.n.sum(),
            kec_cell.cases.sum(),
            kec_cell.ss_cases.sum(),
            kec_cell.sp_cases_children.sum(),
            kec_cell.ss_children.sum(),
            kab.degrees_of_freedom,
        )
        assert cell_se == pytest.approx(kab_cell.se, rel=1e-9), (month, indicator)


def _hand_children() -> pd.DataFrame:
    """Six children of one kecamatan in October 2025; z-scores chosen at the cut-offs."""
    rows = [  # posyandu, desa, age in days, sex, haz
        ("A", "64.02.06.1001", 400, 1, -2.5),  # 12-23 months, stunted
        ("A", "64.02.06.1001", 800, 2, -1.0),  # 24-35
        ("B", "64.02.06.1001", 1826, 1, -3.1),  # 48-59, the last day counted; severely stunted
        ("B", "64.02.06.1001", 100, 0, -2.0),  # 00-05, sex unknown; exactly -2 is not stunted
        (None, "64.02.06.1002", 1000, 2, -2.01),  # no posyandu: a cluster of its own; 24-35
        ("A", "64.02.06.1001", 1827, 1, -4.0),  # one day too old: not in the estimate
    ]
    return pd.DataFrame(
        {
            "month": pd.Timestamp("2025-10-01"),
            "kode_kec": "64.02.06",
            "kode_desa": [r[1] for r in rows],
            "posyandu_id": pd.Series([r[0] for r in rows], dtype="string"),
            "age_days": [r[2] for r in rows],
            "sex": [r[3] for r in rows],
            "haz": [r[4] for r in rows],
            "waz": 0.0,
            "whz": 0.0,
            "oedema": False,
        }
    )


def _row(mart: pd.DataFrame, area: str, group_type: str, group_value: str, indicator: str = "stunting") -> pd.Series:
    found = mart[
        (mart.area_code == area)
        & (mart.group_type == group_type)
        & (mart.group_value == group_value)
        & (mart.indicator == indicator)
    ]
    assert len(found) == 1, (area, group_type, group_value)
    return found.iloc[0]


def test_hand_made_children_give_hand_computed_counts_clusters_and_se() -> None:
    mart = compute_area_month_prevalence(_hand_children())
    kab = _row(mart, "64.02", "all", "")
    assert (kab.n, kab.cases, kab.prevalence) == (5, 3, pytest.approx(0.6))
    # clusters A, B and the child without a posyandu; one stratum: 3 - 1 degrees of freedom
    assert (kab.n_clusters, kab.degrees_of_freedom) == (3, 2)
    # linearised: residuals (y - p·m)/n per cluster are -0.04, -0.04, 0.08;
    # variance 3/2 × (0.0016 + 0.0016 + 0.0064) = 0.0144
    assert kab.se == pytest.approx(0.12)
    assert kab.ci_low < 0.6 < kab.ci_high
    severe = _row(mart, "64.02", "all", "", "severe_stunting")
    assert (severe.n, severe.cases) == (5, 1)
    # desa: two posyandu give an interval, one child alone does not
    two = _row(mart, "64.02.06.1001", "all", "")
    assert (two.n, two.cases, two.n_clusters) == (4, 2, 2)
    assert two.se == pytest.approx(0.0)  # each posyandu has 1 of 2 stunted: no spread, but an interval
    alone = _row(mart, "64.02.06.1002", "all", "")
    assert (alone.n, alone.cases, alone.n_clusters) == (1, 1, 1)
    assert np.isnan(alone.se) and np.isnan(alone.ci_low) and np.isnan(alone.ci_high)
    # breakdowns: the child of unknown sex is in no sex group
    sexes = mart[(mart.area_code == "64.02") & (mart.group_type == "sex") & (mart.indicator == "stunting")]
    assert dict(zip(sexes.group_value, zip(sexes.n, sexes.cases, strict=True), strict=True)) == {
        "1": (2, 2),
        "2": (2, 1),
    }
    ages = mart[(mart.area_code == "64.02") & (mart.group_type == "age") & (mart.indicator == "stunting")]
    assert dict(zip(ages.group_value, zip(ages.n, ages.cases, strict=True), strict=True)) == {
        "00-05": (1, 0),
        "12-23": (1, 1),
        "24-35": (2, 1),
        "48-59": (1, 1),
    }
    assert (_row(mart, "64.02.06", "age_sex", "24-35.2").n, _row(mart, "64.02.06", "age_sex", "24-35.2").cases) == (
        2,
        1,
    )
    assert mart["n"].dtype == "int64" and mart["cases"].dtype == "int64"


def test_rows_come_by_month_level_area_and_breakdown() -> None:
    mart = compute_area_month_prevalence(_hand_children())
    keys = list(zip(mart.month, mart.area_level, mart.area_code, mart.group_type, strict=True))
    assert keys == sorted(keys)
    assert mart.index.is_unique


def test_an_empty_mart_is_typed_as_a_full_one() -> None:
    empty = compute_area_month_prevalence(_hand_children().iloc[0:0])
    full = compute_area_month_prevalence(_hand_children())
    for column in ("n", "cases", "n_clusters", "degrees_of_freedom"):
        assert empty[column].dtype == "int64" == full[column].dtype
    for column in ("prevalence", "se", "ci_low", "ci_high", "ss_cases", "sp_cases_children", "ss_children"):
        assert empty[column].dtype == "float64" == full[column].dtype


def test_children_without_a_posyandu_are_each_a_cluster_and_oedema_counts_as_wasting() -> None:
    children = pd.DataFrame(
        {
            "month": pd.Timestamp("2025-10-01"),
            "kode_kec": "64.02.06",
            "kode_desa": "64.02.06.1001",
            "posyandu_id": pd.Series(["A", "A", None, None, "A"], dtype="string"),
            "age_days": [400, 500, 600, 700, 800],
            "sex": pd.array([1, 2, 1, 2, None], dtype="Int64"),  # the last child's sex is not known
            "haz": 0.0,
            "waz": 0.0,
            "whz": 0.0,
            "oedema": pd.array([False, False, True, False, None], dtype="boolean"),
        }
    )
    mart = compute_area_month_prevalence(children)
    wasting = _row(mart, "64.02", "all", "", "wasting")
    # posyandu A and the two children without one: three clusters in one stratum
    assert (wasting.n, wasting.cases, wasting.n_clusters, wasting.degrees_of_freedom) == (5, 1, 3, 2)
    severe = _row(mart, "64.02", "all", "", "severe_wasting")
    assert (severe.n, severe.cases) == (5, 1)
    assert _row(mart, "64.02", "all", "", "overweight").cases == 0
    sexes = mart[(mart.area_code == "64.02") & (mart.group_type == "sex") & (mart.indicator == "wasting")]
    assert dict(zip(sexes.group_value, sexes.n, strict=True)) == {"1": 2, "2": 2}
