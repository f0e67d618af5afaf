"""What the rapat opens with: the follow-up of the previous rapat (done, overdue, open).

Pure: recommendations in, counts and lines out. "The previous rapat's follow-up" means
every recommendation agreed at or before that rapat that was not already closed before
it, so an item carried over from an older rapat is not forgotten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.followup.store import Recommendation
from dashboard.formatting import format_date, format_number

DONE, OVERDUE, OPEN, CANCELLED = "selesai", "terlambat", "berjalan", "dibatalkan"


@dataclass(frozen=True)
class FollowupItem:
    recommendation: Recommendation
    state: str  # selesai / terlambat / berjalan / dibatalkan


@dataclass(frozen=True)
class FollowupSummary:
    previous_rapat: dt.date
    meeting_date: dt.date
    items: tuple[FollowupItem, ...]

    def count(self, state: str) -> int:
        return sum(item.state == state for item in self.items)

    @property
    def headline(self) -> str:
        """ "Dari 12 tindak lanjut rapat 3 November 2025: 5 selesai, 4 terlambat, 3 masih berjalan"."""
        if not self.items:
            return f"Tidak ada tindak lanjut yang tercatat dari rapat {format_date(self.previous_rapat)}"
        text = (
            f"Dari {format_number(len(self.items))} tindak lanjut rapat {format_date(self.previous_rapat)}: "
            f"{format_number(self.count(DONE))} selesai, {format_number(self.count(OVERDUE))} terlambat, "
            f"{format_number(self.count(OPEN))} masih berjalan"
        )
        cancelled = self.count(CANCELLED)
        return text + (f", {format_number(cancelled)} dibatalkan" if cancelled else "")

    def lines(self, names: dict[str, str], limit: int = 6) -> tuple[str, ...]:
        """Overdue first (oldest due date first), then open, then done: one line each."""
        order = {OVERDUE: 0, OPEN: 1, DONE: 2, CANCELLED: 3}
        ranked = sorted(self.items, key=lambda i: (order[i.state], i.recommendation.due_date, i.recommendation.id))
        lines = [describe_item(item, names) for item in ranked[:limit]]
        if len(ranked) > limit:
            lines.append(f"… dan {format_number(len(ranked) - limit)} tindak lanjut lain (lihat halaman Tindak Lanjut)")
        return tuple(lines)


def describe_item(item: FollowupItem, names: dict[str, str]) -> str:
    rec = item.recommendation
    where = names.get(rec.kode_kec, rec.kode_kec)
    if item.state == DONE:
        when = f" {format_date(rec.closed_on)}" if rec.closed_on else ""
        state = f"selesai{when}"
    elif item.state == OVERDUE:
        state = f"TERLAMBAT, tenggat {format_date(rec.due_date)}"
    elif item.state == CANCELLED:
        state = "dibatalkan"
    else:
        state = f"{rec.status}, tenggat {format_date(rec.due_date)}"
    return f"{where}: {rec.text} — {rec.pic} ({state})"


def classify(rec: Recommendation, on: dt.date) -> str:
    if rec.status == "selesai":
        return DONE
    if rec.status == "dibatalkan":
        return CANCELLED
    return OVERDUE if rec.is_overdue(on) else OPEN


def summarise_followup(
    recommendations: list[Recommendation], previous_rapat: dt.date, meeting_date: dt.date
) -> FollowupSummary:
    """Items agreed at or before the previous rapat and still open then, as they stand now."""
    items = []
    for rec in recommendations:
        agreed_on = rec.rapat_date or (rec.created_at.astimezone(dt.UTC).date() if rec.created_at else None)
        if agreed_on is None or agreed_on > previous_rapat:
            continue
        if rec.closed_on is not None and rec.closed_on < previous_rapat:
            continue  # closed before that rapat: already reported then
        items.append(FollowupItem(rec, classify(rec, meeting_date)))
    return FollowupSummary(previous_rapat, meeting_date, tuple(items))
