"""dashboard/queries/mentoring.py against recomputations on the sample warehouse."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.queries import mentoring as queries


@pytest.fixture
def data(warehouse) -> dict[str, pd.DataFrame]:
    frames = {
        "teams": "select team, kode_kec from dim_mentoring_team",
        "posyandu": "select posyandu_id, kode_kec, has_full_legality from dim_posyandu",
        "kader": "select posyandu_id, active_from, active_to from dim_kader",
        "report": "select posyandu_id, month, s, d from fct_posyandu_month",
        "visits": "select team, kode_kec, kode_desa, visited_on from fct_mentoring_visit",
        "desa": "select kode_desa, kode_kec from dim_desa",
        "stunting": "select area_code, month, n_haz, stunting_prevalence from mart_stunting_by_area_month where area_level = 'desa'",
        "index": "select kode_desa, index_name, year, value from fct_desa_index",
    }
    out = {name: warehouse.execute(sql).df() for name, sql in frames.items()}
    for name, column in [
        ("kader", "active_from"),
        ("kader", "active_to"),
        ("report", "month"),
        ("visits", "visited_on"),
        ("stunting", "month"),
    ]:
        out[name][column] = pd.to_datetime(out[name][column])
    return out


@pytest.fixture
def period(data) -> date:
    return data["report"]["month"].max().date()


def test_team_kecamatan_rows_match_recomputation(data, period):
    frame = queries.query_team_kecamatan(Filters(month=period)).set_index(["team", "kode_kec"])
    start = pd.Timestamp(period)
    end = start + pd.offsets.MonthEnd(0)
    recent_start = start - pd.DateOffset(months=2)
    year_start = pd.Timestamp(period.year, 1, 1)
    kader = data["kader"]
    active = kader[
        (kader["active_from"].isna() | (kader["active_from"] <= end))
        & (kader["active_to"].isna() | (kader["active_to"] >= start))
    ]
    active_count = active.groupby("posyandu_id").size()
    report = data["report"][
        (data["report"]["month"] == start) & (data["report"]["s"] > 0) & data["report"]["d"].notna()
    ]
    ds = (report["d"] / report["s"]).set_axis(report["posyandu_id"])
    visits = data["visits"][data["visits"]["visited_on"] <= end]
    assert len(frame) == len(data["teams"])
    for team, kode_kec in data["teams"].itertuples(index=False):
        row = frame.loc[(team, kode_kec)]
        ids = data["posyandu"].loc[data["posyandu"]["kode_kec"] == kode_kec, "posyandu_id"]
        legality = data["posyandu"].set_index("posyandu_id")["has_full_legality"]
        assert row["posyandu"] == len(ids)
        assert row["posyandu_below_norm"] == (active_count.reindex(ids, fill_value=0) < 15).sum()
        assert row["posyandu_without_legality"] == (~legality.loc[ids]).sum()
        assert row["posyandu_reporting_ds"] == ds.index.isin(ids).sum()
        assert row["posyandu_low_ds"] == (ds[ds.index.isin(ids)] < 0.8).sum()
        in_kec = visits[visits["kode_kec"] == kode_kec]
        assert row["visits_recent"] == (in_kec["visited_on"] >= recent_start).sum()
        assert row["visits_year"] == (in_kec["visited_on"] >= year_start).sum()
        assert pd.Timestamp(row["last_visit"]) == in_kec["visited_on"].max()
        desa = data["desa"].loc[data["desa"]["kode_kec"] == kode_kec, "kode_desa"]
        assert row["desa"] == len(desa)
        assert row["desa_never_visited"] == (~desa.isin(visits["kode_desa"])).sum()


def test_summarise_teams_adds_up_kecamatan_in_natural_order(period):
    detail = queries.query_team_kecamatan(Filters(month=period))
    teams = queries.summarise_teams(detail)
    assert teams["posyandu"].sum() == detail["posyandu"].sum()
    assert teams["visits_year"].sum() == detail["visits_year"].sum()
    numbers = [int(t.split()[-1]) for t in teams["team"] if t.split()[-1].isdigit()]
    assert numbers == sorted(numbers)
    for row in teams.itertuples():
        assert row.kecamatan == " & ".join(detail.loc[detail["team"] == row.team, "nama_kec"])


def test_priority_desa_is_highest_stunting_with_enough_children_else_lowest_layanan_dasar(data, period):
    priority = queries.query_priority_desa(Filters(month=period)).set_index("team")
    stunting = data["stunting"][(data["stunting"]["month"] == pd.Timestamp(period)) & (data["stunting"]["n_haz"] >= 30)]
    stunting = stunting.merge(data["desa"], left_on="area_code", right_on="kode_desa")
    index = data["index"][
        (data["index"]["index_name"] == "Indeks Desa - Layanan Dasar") & (data["index"]["year"] <= period.year)
    ]
    index = index.sort_values("year").groupby("kode_desa").tail(1).merge(data["desa"], on="kode_desa")
    for team, kecs in data["teams"].groupby("team")["kode_kec"]:
        candidates = stunting[stunting["kode_kec"].isin(kecs)]
        if len(candidates):
            best = candidates.sort_values(["stunting_prevalence", "kode_desa"], ascending=[False, True]).iloc[0]
            assert priority.loc[team, "rule"] == "stunting"
            assert priority.loc[team, "kode_desa"] == best["kode_desa"]
            assert priority.loc[team, "value"] == pytest.approx(best["stunting_prevalence"])
            assert priority.loc[team, "children"] == best["n_haz"]
        else:
            fallback = index[index["kode_kec"].isin(kecs)]
            if fallback.empty:
                assert team not in priority.index
                continue
            lowest = fallback.sort_values(["value", "kode_desa"]).iloc[0]
            assert priority.loc[team, "rule"] == "layanan_dasar"
            assert priority.loc[team, "kode_desa"] == lowest["kode_desa"]


def test_priority_falls_back_to_lowest_layanan_dasar(data, period, monkeypatch):
    # No desa can reach this many children, so every team uses the index.
    monkeypatch.setattr(queries, "MIN_CHILDREN_FOR_RANK", 10**9)
    priority = queries.query_priority_desa(Filters(month=period)).set_index("team")
    index = data["index"][
        (data["index"]["index_name"] == "Indeks Desa - Layanan Dasar") & (data["index"]["year"] <= period.year)
    ]
    latest = index.sort_values("year").groupby("kode_desa").tail(1).merge(data["desa"], on="kode_desa")
    assert not latest.empty, "the sample should carry Indeks Desa - Layanan Dasar"
    for team, kecs in data["teams"].groupby("team")["kode_kec"]:
        lowest = latest[latest["kode_kec"].isin(kecs)].sort_values(["value", "kode_desa"]).iloc[0]
        assert priority.loc[team, "rule"] == "layanan_dasar"
        assert priority.loc[team, "kode_desa"] == lowest["kode_desa"]
        assert priority.loc[team, "value"] == pytest.approx(lowest["value"])
        assert priority.loc[team, "year"] == lowest["year"]


def test_no_priority_before_any_measurement_or_index(data):
    early = (data["stunting"]["month"].min() - pd.DateOffset(months=1)).date()
    has_index = not data["index"][
        (data["index"]["index_name"] == "Indeks Desa - Layanan Dasar") & (data["index"]["year"] <= early.year)
    ].empty
    priority = queries.query_priority_desa(Filters(month=early))
    assert priority.empty != has_index


def test_desa_never_visited_lists_unvisited_desa_of_each_team(data, period):
    frame = queries.query_desa_never_visited(Filters(month=period))
    end = pd.Timestamp(period) + pd.offsets.MonthEnd(0)
    visited = set(data["visits"].loc[data["visits"]["visited_on"] <= end, "kode_desa"].dropna())
    expected = data["desa"].merge(data["teams"], on="kode_kec")
    expected = expected[~expected["kode_desa"].isin(visited)]
    assert sorted(zip(frame["team"], frame["kode_desa"], strict=True)) == sorted(
        zip(expected["team"], expected["kode_desa"], strict=True)
    )


def test_visits_by_month_has_every_month_and_team(data, period):
    frame = queries.query_visits_by_month(Filters(month=period))
    assert len(frame) == 12 * data["teams"]["team"].nunique()
    start = pd.Timestamp(period) - pd.DateOffset(months=11)
    end = pd.Timestamp(period) + pd.offsets.MonthEnd(0)
    in_window = data["visits"][data["visits"]["visited_on"].between(start, end)]
    assert frame["visits"].sum() == in_window["kode_kec"].isin(data["teams"]["kode_kec"]).sum()


def test_chosen_kecamatan_keeps_its_team_only(data, period):
    kode_kec = data["teams"]["kode_kec"].iloc[0]
    frame = queries.query_team_kecamatan(Filters(month=period, kode_kec=kode_kec))
    assert list(frame["kode_kec"]) == [kode_kec]
    never = queries.query_desa_never_visited(Filters(month=period, kode_kec=kode_kec))
    assert set(never["kode_kec"]) <= {kode_kec}
