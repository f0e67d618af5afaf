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
