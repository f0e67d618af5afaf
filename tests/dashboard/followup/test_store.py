"""The follow-up store: create/edit/close with history, optimistic versions, pembina scope, migrations."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from dashboard.followup.schema import LATEST_VERSION, SchemaTooNewError
from dashboard.followup.store import (
    Actor,
    FollowupStore,
    InvalidRecommendationError,
    NotFoundError,
    RecommendationDraft,
    ScopeError,
    StaleVersionError,
    connect,
    store_path,
)

KAB = Actor("kabid")
PEMBINA = Actor("pembina_tgr", ("64.02.06",))


class FixedClock:
    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2025, 11, 3, 2, 30, tzinfo=dt.UTC))  # 10.30 WITA


@pytest.fixture
def store(tmp_path, clock) -> FollowupStore:
    return FollowupStore(tmp_path / "tindak_lanjut.sqlite", clock=clock)


def draft(kode_kec: str = "64.02.06", **overrides) -> RecommendationDraft:
    values = dict(text="Latih 10 kader baru di Desa Bukit Biru", pic="Dinkes", due_date=dt.date(2025, 12, 1))
    return RecommendationDraft(kode_kec, **(values | overrides))


def test_path_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASBOR_TINDAK_LANJUT", str(tmp_path / "x.sqlite"))
    assert store_path() == tmp_path / "x.sqlite"


def test_new_file_is_wal_and_migrated(tmp_path):
    con = connect(tmp_path / "new.sqlite")
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert con.execute("pragma user_version").fetchone()[0] == LATEST_VERSION
    assert con.execute("pragma busy_timeout").fetchone()[0] >= 5000
    con.close()
    # opening again applies nothing and keeps the version
    con = connect(tmp_path / "new.sqlite")
    assert con.execute("pragma user_version").fetchone()[0] == LATEST_VERSION
    con.close()


def test_a_newer_schema_is_refused_in_bahasa(tmp_path):
    path = tmp_path / "future.sqlite"
    con = sqlite3.connect(path)
    con.execute(f"pragma user_version = {LATEST_VERSION + 1}")
    con.close()
    with pytest.raises(SchemaTooNewError, match="lebih baru"):
        connect(path)


def test_create_edit_close_keeps_who_and_when(store, clock):
    rec = store.create(KAB, draft(rapat_date=dt.date(2025, 11, 3), indicator="stunting_pct"))
    assert (rec.version, rec.status, rec.created_by, rec.closed_on) == (1, "terbuka", "kabid", None)
    clock.now += dt.timedelta(days=2)
    rec = store.update(PEMBINA, rec.id, 1, status="dalam proses", note="Jadwal pelatihan disusun")
    clock.now += dt.timedelta(days=20)
    rec = store.update(PEMBINA, rec.id, 2, status="selesai")
    assert (rec.version, rec.status, rec.updated_by) == (3, "selesai", "pembina_tgr")
    assert rec.closed_on == dt.date(2025, 11, 25)
    history = store.history(KAB, rec.id)
    assert [(h.version, h.action, h.changed_by, h.snapshot.status) for h in history] == [
        (1, "dibuat", "kabid", "terbuka"),
        (2, "diubah", "pembina_tgr", "dalam proses"),
        (3, "diubah", "pembina_tgr", "selesai"),
    ]
    assert history[1].changed_at == dt.datetime(2025, 11, 5, 2, 30, tzinfo=dt.UTC)
    assert history[1].snapshot.note == "Jadwal pelatihan disusun"
    # reopening clears the closing date
    rec = store.update(KAB, rec.id, 3, status="terbuka")
    assert rec.closed_on is None


def test_saving_unchanged_values_adds_no_version(store):
    rec = store.create(KAB, draft())
    again = store.update(KAB, rec.id, 1, text="  Latih 10 kader baru di Desa Bukit Biru  ")
    assert again.version == 1
    assert len(store.history(KAB, rec.id)) == 1


def test_stale_edit_is_refused_and_keeps_the_first(store):
    rec = store.create(KAB, draft())
    seen_by_a = store.get(KAB, rec.id)
    seen_by_b = store.get(PEMBINA, rec.id)
    store.update(KAB, rec.id, seen_by_a.version, pic="Bappeda")
    with pytest.raises(StaleVersionError, match="sudah diubah oleh kabid.*tidak disimpan"):
        store.update(PEMBINA, rec.id, seen_by_b.version, pic="DP2KB")
    assert store.get(KAB, rec.id).pic == "Bappeda"
    assert len(store.history(KAB, rec.id)) == 2


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": "   "}, "tidak boleh kosong"),
        ({"pic": ""}, "PIC"),
        ({"status": "beres"}, "Status harus"),
        ({"due_date": "besok"}, "Tenggat"),
        ({"kode_desa": "64.02.07.2001"}, "tidak berada di kecamatan"),
        ({"kode_kec": "6402"}, "tidak sah"),
    ],
)
def test_invalid_values_are_refused(store, changes, message):
    with pytest.raises(InvalidRecommendationError, match=message):
        store.create(KAB, draft(**changes) if "kode_kec" not in changes else draft(changes["kode_kec"]))


def test_pembina_sees_and_edits_only_their_kecamatan(store):
    own = store.create(PEMBINA, draft("64.02.06"))
    other = store.create(KAB, draft("64.02.07", pic="Dinsos"))
    with pytest.raises(ScopeError, match="cakupan Anda"):
        store.create(PEMBINA, draft("64.02.07"))
    with pytest.raises(ScopeError):
        store.get(PEMBINA, other.id)
    with pytest.raises(ScopeError):
        store.update(PEMBINA, other.id, other.version, status="selesai")
    with pytest.raises(ScopeError):
        store.history(PEMBINA, other.id)
    with pytest.raises(ScopeError):  # moving one's own item out of scope
        store.update(PEMBINA, own.id, own.version, kode_kec="64.02.07")
    assert [r.id for r in store.recommendations(PEMBINA)] == [own.id]
    assert [r.id for r in store.recommendations(PEMBINA, kode_kec=["64.02.07"])] == []
    assert {r.id for r in store.recommendations(KAB)} == {own.id, other.id}
    assert store.recommendations(Actor("nobody", ())) == []
    assert store.get(KAB, other.id).status == "terbuka"  # untouched
    with pytest.raises(ScopeError):
        store.mark_priority(PEMBINA, "64.02.06", dt.date(2025, 1, 1))


def test_filters_narrow(store):
    a = store.create(KAB, draft(indicator="stunting_pct", kode_desa="64.02.06.2001"))
    store.create(KAB, draft(indicator="kader_pct", status="selesai"))
    assert [r.id for r in store.recommendations(KAB, indicator="stunting_pct")] == [a.id]
    assert [r.id for r in store.recommendations(KAB, kode_desa="64.02.06.2001")] == [a.id]
    assert [r.id for r in store.recommendations(KAB, statuses=["terbuka"])] == [a.id]
    assert store.recommendations(KAB, statuses=[]) == []


def test_unknown_recommendation(store):
    with pytest.raises(NotFoundError, match="tidak ditemukan"):
        store.update(KAB, 99, 1, status="selesai")


def test_rapat_dates_from_rapat_and_recommendations(store):
    store.record_rapat(KAB, dt.date(2025, 10, 6))
    store.record_rapat(KAB, dt.date(2025, 10, 6))  # idempotent
    store.create(KAB, draft(rapat_date=dt.date(2025, 11, 3)))
    assert store.rapat_dates() == [dt.date(2025, 11, 3), dt.date(2025, 10, 6)]


def test_priority_markings(store):
    marking = store.mark_priority(KAB, "64.02.06", dt.date(2025, 3, 1), "stunting tertinggi")
    assert (marking.kode_kec, marking.marked_from, marking.ended_on) == ("64.02.06", dt.date(2025, 3, 1), None)
    with pytest.raises(Exception, match="sudah ditandai"):
        store.mark_priority(KAB, "64.02.06", dt.date(2025, 4, 1))
    with pytest.raises(InvalidRecommendationError):
        store.end_priority(KAB, marking.id, dt.date(2025, 2, 1))
    store.end_priority(KAB, marking.id, dt.date(2025, 9, 30))
    assert store.priority_markings(KAB)[0].ended_on == dt.date(2025, 9, 30)
    assert [m.kode_kec for m in store.priority_markings(Actor("p", ("64.02.07",)))] == []
