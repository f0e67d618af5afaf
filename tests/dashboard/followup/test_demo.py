"""Example rapat and recommendations: dated from an injected today, so the demo shows done,
overdue and open items whichever year it is given in."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.followup.__main__ import main
from dashboard.followup.demo import DEMO_ITEMS, DemoRefused, seed_demo
from dashboard.followup.store import WITA, Actor, FollowupStore
from dashboard.followup.summary import classify


@pytest.mark.parametrize("today", [dt.date(2026, 12, 6), dt.date(2031, 3, 1)])
def test_mix_of_done_overdue_and_open_on_any_day(tmp_path, today):
    path = tmp_path / "tl.sqlite"
    assert seed_demo(path, today) == len(DEMO_ITEMS) == 10
    store = FollowupStore(path, clock=lambda: dt.datetime.combine(today, dt.time(10), tzinfo=WITA))
    items = store.recommendations(Actor("kabid"))
    states = sorted(classify(r, today) for r in items)
    assert states.count("selesai") == 3 and states.count("dibatalkan") == 1
    assert states.count("terlambat") == 3 and states.count("berjalan") == 3
    rapat = today - dt.timedelta(days=28)
    assert store.rapat_dates() == [rapat, today - dt.timedelta(days=91)]
    last = [r for r in items if r.rapat_date == rapat]
    assert sorted(classify(r, today) for r in last) == ["berjalan"] * 3 + ["selesai"] + ["terlambat"] * 2


def test_history_reads_as_it_happened(tmp_path):
    today = dt.date(2026, 12, 6)
    path = tmp_path / "tl.sqlite"
    seed_demo(path, today)
    store = FollowupStore(path)
    done = next(r for r in store.recommendations(Actor("kabid")) if r.kode_kec == "64.02.11")
    assert done.created_at.astimezone(WITA).date() == done.rapat_date == today - dt.timedelta(days=28)
    assert done.closed_on == today - dt.timedelta(days=5) and done.version == 2
    assert [e.action for e in store.history(Actor("kabid"), done.id)] == ["dibuat", "diubah"]


def test_refused_when_the_store_holds_recommendations(tmp_path):
    path = tmp_path / "tl.sqlite"
    seed_demo(path, dt.date(2026, 12, 6))
    with pytest.raises(DemoRefused):
        seed_demo(path, dt.date(2026, 12, 6))
    assert len(FollowupStore(path).recommendations(Actor("kabid"))) == 10


def test_cli_seeds_from_a_given_day(tmp_path, capsys):
    path = tmp_path / "tl.sqlite"
    assert main(["--store", str(path), "contoh", "--hari-ini", "2027-05-01"]) == 0
    assert "10 rekomendasi contoh" in capsys.readouterr().out
    assert max(FollowupStore(path).rapat_dates()) == dt.date(2027, 4, 3)
    assert main(["--store", str(path), "contoh"]) == 1
