"""dashboard/queries/kader.py against pandas recomputations on the sample warehouse."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.queries import kader as queries
from etl.registers import TRAINING_THEMES


@pytest.fixture
def tables(warehouse) -> dict[str, pd.DataFrame]:
    posyandu = warehouse.execute("select posyandu_id, kode_kec, kode_desa from dim_posyandu").df()
    report = warehouse.execute(
        "select posyandu_id, month, days_open, kader_registered, kader_present from fct_posyandu_month"
    ).df()
    report["month"] = pd.to_datetime(report["month"])
    kader = warehouse.execute("select kader_id, posyandu_id, role, active_from, active_to from dim_kader").df()
    kader["active_from"] = pd.to_datetime(kader["active_from"])
    kader["active_to"] = pd.to_datetime(kader["active_to"])
    training = warehouse.execute("select kader_id, theme, trained_on from fct_kader_training").df()
    training["trained_on"] = pd.to_datetime(training["trained_on"])
    return {
        "posyandu": posyandu,
        "report": report.merge(posyandu, on="posyandu_id", how="left"),
        "kader": kader,
        "training": training,
    }


@pytest.fixture
def latest_month(tables) -> date:
    return tables["report"]["month"].max().date()


@pytest.fixture
def busiest_kec(tables) -> str:
    return tables["posyandu"]["kode_kec"].value_counts().sort_index().idxmax()


def _active(kader: pd.DataFrame, month: date) -> pd.DataFrame:
    start = pd.Timestamp(month)
    end = start + pd.offsets.MonthEnd(0)
    started = kader["active_from"].isna() | (kader["active_from"] <= end)
    not_left = kader["active_to"].isna() | (kader["active_to"] >= start)
    return kader[started & not_left]


def _opened(report: pd.DataFrame) -> pd.DataFrame:
    """Posyandu that opened in the month and reported both numbers: the participation rate's base."""
    both = report.dropna(subset=["kader_registered", "kader_present"])
    return both[both["days_open"] > 0]


def _participation(report: pd.DataFrame) -> tuple[float, float]:
    opened = _opened(report)
    return float(opened["kader_present"].sum()), float(opened["kader_registered"].sum())


def test_summary_participation_equals_monthly_report(tables, latest_month):
    summary = queries.query_kader_summary(Filters(month=latest_month))
    period = tables["report"][tables["report"]["month"] == pd.Timestamp(latest_month)]
    present, registered = _participation(period)
    assert summary["kader_present"] == present
    assert summary["kader_registered"] == registered
    assert summary["participation"] == pytest.approx(present / registered)
    assert summary["posyandu_reporting"] == len(period.dropna(subset=["kader_registered", "kader_present"]))
    assert summary["posyandu_opened"] == len(_opened(period))


def test_summary_kader_active_and_norm_follow_register(tables, latest_month):
    summary = queries.query_kader_summary(Filters(month=latest_month))
    active = _active(tables["kader"], latest_month)
    per_posyandu = active.groupby("posyandu_id").size().reindex(tables["posyandu"]["posyandu_id"], fill_value=0)
    assert summary["kader_active"] == len(active[active["posyandu_id"].isin(tables["posyandu"]["posyandu_id"])])
    assert summary["posyandu"] == len(tables["posyandu"])
    assert summary["posyandu_below_norm"] == int((per_posyandu < 15).sum())  # pengurus count by default
    members = active[active["role"] == "Anggota"].groupby("posyandu_id").size()
    members = members.reindex(tables["posyandu"]["posyandu_id"], fill_value=0)
    assert summary["posyandu_below_norm_without_pengurus"] == int((members < 15).sum())
    without = queries.query_kader_summary(Filters(month=latest_month), counts_pengurus=False)
    assert without["posyandu_below_norm"] == int((members < 15).sum())


def test_participation_by_kecamatan_over_twelve_months(tables, latest_month):
    frame = queries.query_participation_by_area(Filters(month=latest_month))
    start = pd.Timestamp(latest_month) - pd.DateOffset(months=11)
    report = _opened(tables["report"])
    report = report[(report["month"] >= start) & (report["month"] <= pd.Timestamp(latest_month))]
    expected = report.groupby(["kode_kec", "month"])[["kader_present", "kader_registered"]].sum().reset_index()
    got = frame.rename(columns={"area_code": "kode_kec"}).assign(month=lambda f: pd.to_datetime(f["month"]))
    merged = expected.merge(got, on=["kode_kec", "month"], how="outer", suffixes=("", "_query"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["kader_present"] == merged["kader_present_query"]).all()
    assert (merged["kader_registered"] == merged["kader_registered_query"]).all()
    assert merged["participation"].to_numpy() == pytest.approx(
        (merged["kader_present"] / merged["kader_registered"]).to_numpy()
    )
    assert frame["month"].nunique() <= 12


def test_participation_by_desa_when_one_kecamatan_is_chosen(tables, latest_month, busiest_kec):
    frame = queries.query_participation_by_area(Filters(month=latest_month, kode_kec=busiest_kec))
    report = tables["report"]
    period = report[(report["month"] == pd.Timestamp(latest_month)) & (report["kode_kec"] == busiest_kec)]
    expected = _opened(period).groupby("kode_desa")["kader_registered"].sum()
    got = frame[pd.to_datetime(frame["month"]) == pd.Timestamp(latest_month)].set_index("area_code")["kader_registered"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    assert all(code.startswith(busiest_kec + ".") for code in frame["area_code"])


@pytest.mark.parametrize("months_back", [0, 7])
def test_trend_counts_kader_active_each_month(tables, latest_month, months_back):
    month = (pd.Timestamp(latest_month) - pd.DateOffset(months=months_back)).date()
    trend = queries.query_participation_trend(Filters(month=month))
    assert len(trend) == 12
    assert pd.Timestamp(trend["month"].iloc[-1]) == pd.Timestamp(month)
    for row in trend.itertuples():
        assert row.kader_active == len(_active(tables["kader"], row.month)), row.month


def test_posyandu_below_norm_lists_every_short_posyandu(tables, latest_month, busiest_kec):
    filters = Filters(month=latest_month, kode_kec=busiest_kec)
    below = queries.query_posyandu_below_norm(filters)
    active = _active(tables["kader"], latest_month).groupby("posyandu_id").size()
    in_kec = tables["posyandu"][tables["posyandu"]["kode_kec"] == busiest_kec]["posyandu_id"]
    counts = active.reindex(in_kec, fill_value=0)
    assert set(below["posyandu_id"]) == set(counts[counts < 15].index)
    assert (below["kader_short"] == 15 - below["kader_counted"]).all()
    assert (below["kader_counted"] == below["kader_active"]).all()  # pengurus count by default
    assert below["nama_desa"].notna().all() and below["nama_kec"].notna().all()


def test_training_coverage_is_share_of_active_kader_trained(tables, latest_month):
    coverage = queries.query_training_coverage(Filters(month=latest_month))
    end = pd.Timestamp(latest_month) + pd.offsets.MonthEnd(0)
    active = _active(tables["kader"], latest_month).merge(tables["posyandu"], on="posyandu_id")
    trained = tables["training"][tables["training"]["trained_on"] <= end]
    for theme in TRAINING_THEMES:
        ids = set(trained.loc[trained["theme"] == theme, "kader_id"])
        for kode_kec, group in active.groupby("kode_kec"):
            row = coverage[(coverage["kode_kec"] == kode_kec) & (coverage["theme"] == theme)].iloc[0]
            assert row["kader_active"] == len(group)
            assert row["kader_trained"] == group["kader_id"].isin(ids).sum()
    assert len(coverage) == active["kode_kec"].nunique() * len(TRAINING_THEMES)


def test_weakest_training_is_the_minimum_per_theme(latest_month):
    coverage = queries.query_training_coverage(Filters(month=latest_month))
    weakest = queries.find_weakest_training(coverage)
    assert list(dict.fromkeys(weakest["theme"])) == [t for t in TRAINING_THEMES if t in set(coverage["theme"])]
    for theme, group in weakest.groupby("theme"):
        assert (group["coverage"] == coverage.loc[coverage["theme"] == theme, "coverage"].min()).all()


def test_scope_restricts_every_query(tables, latest_month):
    scope = tuple(sorted(tables["posyandu"]["kode_kec"].unique())[:2])
    filters = Filters(month=latest_month, scope_kec=scope)
    assert set(queries.query_participation_by_area(filters)["area_code"]) <= set(scope)
    assert set(queries.query_training_coverage(filters)["kode_kec"]) <= set(scope)
    assert set(queries.query_kader_by_posyandu(filters)["kode_kec"]) <= set(scope)
    summary = queries.query_kader_summary(filters)
    assert summary["posyandu"] == tables["posyandu"]["kode_kec"].isin(scope).sum()
