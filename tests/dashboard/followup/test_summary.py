"""The rapat's opening: follow-up of the previous rapat, done / overdue / open."""

from __future__ import annotations

import datetime as dt

from dashboard.followup.store import Recommendation
from dashboard.followup.summary import CANCELLED, DONE, OPEN, OVERDUE, summarise_followup

PREVIOUS, MEETING = dt.date(2025, 11, 3), dt.date(2025, 12, 8)
NAMES = {"64.02.06": "Tenggarong", "64.02.07": "Tenggarong Seberang"}


def rec(i: int, status: str, due: dt.date, rapat: dt.date | None = PREVIOUS, closed: dt.date | None = None, **kw):
    return Recommendation(
        kode_kec=kw.get("kode_kec", "64.02.06"),
        text=f"Rekomendasi {i}",
        pic="Dinkes",
        due_date=due,
        status=status,
        rapat_date=rapat,
        id=i,
        closed_on=closed,
        created_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
    )


def test_states_and_headline():
    items = [
        rec(1, "selesai", dt.date(2025, 11, 30), closed=dt.date(2025, 11, 20)),
        rec(2, "terbuka", dt.date(2025, 12, 1)),  # due before the meeting, still open: overdue
        rec(3, "dalam proses", dt.date(2025, 12, 31)),  # not yet due
        rec(4, "dibatalkan", dt.date(2025, 12, 31), closed=dt.date(2025, 11, 10)),
        rec(5, "terbuka", dt.date(2026, 1, 15), rapat=dt.date(2025, 12, 8)),  # decided after: not included
        rec(6, "dalam proses", dt.date(2025, 10, 31), rapat=dt.date(2025, 10, 6)),  # carried over, overdue
        rec(7, "selesai", dt.date(2025, 10, 20), rapat=dt.date(2025, 10, 6), closed=dt.date(2025, 10, 25)),  # old
    ]
    summary = summarise_followup(items, PREVIOUS, MEETING)
    states = {item.recommendation.id: item.state for item in summary.items}
    assert states == {1: DONE, 2: OVERDUE, 3: OPEN, 4: CANCELLED, 6: OVERDUE}
    assert summary.headline == (
        "Dari 5 tindak lanjut rapat 3 November 2025: 1 selesai, 2 terlambat, 1 masih berjalan, 1 dibatalkan"
    )
    lines = summary.lines(NAMES)
    assert lines[0] == "Tenggarong: Rekomendasi 6 — Dinkes (TERLAMBAT, tenggat 31 Oktober 2025)"
    assert lines[2] == "Tenggarong: Rekomendasi 3 — Dinkes (dalam proses, tenggat 31 Desember 2025)"
    assert lines[3] == "Tenggarong: Rekomendasi 1 — Dinkes (selesai 20 November 2025)"
    assert len(summary.lines(NAMES, limit=2)) == 3 and "3 tindak lanjut lain" in summary.lines(NAMES, limit=2)[-1]


def test_nothing_recorded():
    summary = summarise_followup([], PREVIOUS, MEETING)
    assert summary.headline == "Tidak ada tindak lanjut yang tercatat dari rapat 3 November 2025"
    assert summary.lines(NAMES) == ()
