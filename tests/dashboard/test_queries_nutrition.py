"""dashboard/queries/nutrition.py against the WHO-parity engine run directly on the
warehouse's measurements, and against a plain recount of the coverage counts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.queries import nutrition as q
from etl.transform.prevalence import build_design, classify_children, estimate_domains


@pytest.fixture(scope="module")
def children(warehouse_path) -> pd.DataFrame:
    """Each child's latest measurement per month, 0-1826 days, from fct_measurement (pandas)."""
    import duckdb

    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        frame = con.execute("select * from fct_measurement where age_days between 0 and 1826").df()
    finally:
        con.close()
    frame = frame.sort_values(["child_key", "month", "measured_on"])
    return frame.groupby(["child_key", "month"], as_index=False).tail(1).reset_index(drop=True)


@pytest.fixture(scope="module")
def latest_month(children) -> date:
    return pd.Timestamp(children["month"].max()).date()


def engine_estimate(children: pd.DataFrame, month: date, kecamatan: list[str] | None, indicator: str) -> tuple:
    """The engine on one month's full design (posyandu clusters, kecamatan strata), the
    visible kecamatan as the domain."""
    month_rows = children[children["month"] == pd.Timestamp(month)].reset_index(drop=True)
    design = build_design(len(month_rows), cluster=month_rows["posyandu_id"], strata=month_rows["kode_kec"])
    values = classify_children(month_rows["haz"], month_rows["waz"], month_rows["whz"])[indicator]
    inside = np.ones(len(month_rows), dtype=bool) if kecamatan is None else month_rows["kode_kec"].isin(kecamatan)
    est = estimate_domains(values, np.where(inside, 0, -1), 1, design)
    return est.n[0], est.proportion[0], est.se[0], est.ci_low[0], est.ci_high[0]


@pytest.mark.parametrize("indicator", ["stunting", "wasting", "severe_wasting", "underweight", "overweight"])
def test_kabupaten_figures_equal_the_engine(children, latest_month, indicator):
    trend = q.query_nutrition_trend(Filters(month=latest_month))
    row = trend[(trend["month"] == pd.Timestamp(latest_month)) & (trend["indicator"] == indicator)].iloc[0]
    n, p, se, low, high = engine_estimate(children, latest_month, None, indicator)
    assert row["n"] == n
    assert row["prevalence"] == pytest.approx(p, rel=1e-12)
    assert row["se"] == pytest.approx(se, rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)


def test_two_kecamatan_scope_equals_the_engine_on_their_domain(children, latest_month):
    """A pembina with two kecamatan: combined from kecamatan rows, exactly the domain estimate."""
    pair = sorted(children["kode_kec"].unique())[:2]
    trend = q.query_nutrition_trend(Filters(month=latest_month, scope_kec=tuple(pair)))
    row = trend[(trend["month"] == pd.Timestamp(latest_month)) & (trend["indicator"] == "stunting")].iloc[0]
    n, p, se, low, high = engine_estimate(children, latest_month, pair, "stunting")
    assert (row["n"], row["prevalence"]) == (n, pytest.approx(p, rel=1e-12))
    assert row["se"] == pytest.approx(se, rel=1e-9)
    assert row["ci_low"] == pytest.approx(low, rel=1e-9)


def test_breakdown_lists_age_sex_cells_that_add_up(children, latest_month):
    breakdown = q.query_nutrition_breakdown(Filters(month=latest_month))
    cells = breakdown[(breakdown["group_type"] == "age_sex") & (breakdown["indicator"] == "stunting")]
    assert cells["group_value"].str.match(r"^\d\d-\d\d\.[12]$").all()
    trend = q.query_nutrition_trend(Filters(month=latest_month))
    total = trend[(trend["month"] == pd.Timestamp(latest_month)) & (trend["indicator"] == "stunting")].iloc[0]
    assert cells["n"].sum() == total["n"]
    assert cells["cases"].sum() == total["cases"]


def test_coverage_equals_recount(warehouse, latest_month, children):
    coverage = q.query_nutrition_coverage(Filters(month=latest_month)).set_index("month")
    row = coverage.loc[pd.Timestamp(latest_month)]
    s, d, reported = warehouse.execute(
        """
        select sum(r.s), sum(r.d), count(distinct r.posyandu_id)
        from fct_posyandu_month r join dim_posyandu p using (posyandu_id)
        where p.is_balita and r.month = ?
        """,
        [latest_month],
    ).fetchone()
    expected_posyandu = warehouse.execute("select count(*) from dim_posyandu where is_balita").fetchone()[0]
    month_children = children[children["month"] == pd.Timestamp(latest_month)]
    valid = int((month_children["haz_flag"] == 0).sum())
    assert row["measured_of_s"] == pytest.approx(valid / s)
    assert row["ds"] == pytest.approx(d / s)
    assert row["reporting_completeness"] == pytest.approx(reported / expected_posyandu)
    weighed = int(month_children["weight_kg"].notna().sum())
    assert row["nd"] == pytest.approx((month_children["weight_gain"] == "N").sum() / weighed)
