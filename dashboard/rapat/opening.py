"""How a rapat opens: "Tindak lanjut rapat sebelumnya" and "Apa yang berubah sejak rapat lalu".

The previous rapat is a date the user chooses (recorded rapat dates come from the
follow-up store). Its data month is the last full month before that date: a rapat on
3 November 2025 saw October's data at best. The comparison screens of the whole rapat
then compare the period shown with that month instead of just the month before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.filters import months_before
from dashboard.followup.store import Actor, FollowupStore
from dashboard.followup.summary import FollowupSummary, summarise_followup
from dashboard.formatting import format_date, format_month, format_number
from dashboard.rapat.slides import TextSlide

if TYPE_CHECKING:  # screens imports this module to open the pack
    from dashboard.rapat.changes import Screen

FOLLOWUP_TITLE = "Tindak lanjut rapat sebelumnya"
CHANGES_TITLE = "Apa yang berubah sejak rapat lalu"


def data_month_for_rapat(rapat_date: dt.date, current_month: dt.date) -> dt.date:
    """The last full month before the rapat; never the period shown or later (then: the month before it)."""
    month = months_before(rapat_date.replace(day=1), 1)
    return month if month < current_month else months_before(current_month, 1)


def default_previous_rapat(rapat_dates: list[dt.date], meeting_date: dt.date) -> dt.date | None:
    """The latest recorded rapat before the meeting."""
    earlier = [d for d in rapat_dates if d < meeting_date]
    return max(earlier) if earlier else None


def load_followup_summary(
    store: FollowupStore, actor: Actor, previous_rapat: dt.date, meeting_date: dt.date
) -> FollowupSummary:
    return summarise_followup(store.recommendations(actor), previous_rapat, meeting_date)


@dataclass(frozen=True)
class Opening:
    """The two opening screens/slides, in words."""

    previous_rapat: dt.date | None
    previous_month: dt.date
    followup: FollowupSummary | None
    followup_lines: tuple[str, ...]
    changes_lead: str
    changes_points: tuple[str, ...]

    @property
    def followup_title(self) -> str:
        return FOLLOWUP_TITLE

    @property
    def followup_lead(self) -> str:
        if self.followup is None:
            return "Belum ada rapat sebelumnya yang tercatat; catat tanggal rapat dan rekomendasinya di halaman Tindak Lanjut"
        return self.followup.headline

    @property
    def changes_title(self) -> str:
        return CHANGES_TITLE


def _movers(screens: list[Screen]) -> tuple[str, ...]:
    """The kecamatan whose stunting improved and worsened most (clear changes first)."""
    rows = [(s, s.changes[0]) for s in screens[1:] if s.changes[0].delta not in (None, 0)]
    if not rows:
        return ()
    lines = []
    best = min(rows, key=lambda r: r[1].delta)
    worst = max(rows, key=lambda r: r[1].delta)
    if best[1].delta < 0:
        lines.append(f"Penurunan stunting terbesar: {best[0].name}, {best[1].bullet().split(' ', 1)[1]}")
    if worst[1].delta > 0:
        lines.append(f"Kenaikan stunting terbesar: {worst[0].name}, {worst[1].bullet().split(' ', 1)[1]}")
    return tuple(lines)


def build_opening(
    screens: list[Screen],
    previous_rapat: dt.date | None,
    previous_month: dt.date,
    followup: FollowupSummary | None,
    names: dict[str, str],
) -> Opening:
    """Pure: the words of both opening screens from the rapat screens (already compared with
    ``previous_month``) and the follow-up summary."""
    headline = screens[0]
    compared = format_month(previous_month)
    if previous_rapat is None:
        lead = f"Dibanding {compared} (belum ada tanggal rapat sebelumnya yang dipilih)"
    elif previous_month == months_before(previous_rapat.replace(day=1), 1):
        lead = f"Dibanding data {compared} (bulan penuh terakhir sebelum rapat {format_date(previous_rapat)})"
    else:
        lead = (
            f"Dibanding data {compared}: periode yang ditampilkan tidak lebih baru dari data rapat "
            f"{format_date(previous_rapat)}, jadi dibandingkan dengan bulan sebelumnya"
        )
    # the whole area's moves, then the kecamatan that moved most; where it stands is the headline slide's
    points = [*headline.points, *_movers(screens)]
    if followup is not None and followup.items:
        points.append(
            f"Tindak lanjut: {format_number(followup.count('selesai'))} dari {format_number(len(followup.items))} "
            "rekomendasi rapat lalu sudah selesai"
        )
    return Opening(
        previous_rapat=previous_rapat,
        previous_month=previous_month,
        followup=followup,
        followup_lines=followup.lines(names) if followup is not None else (),
        changes_lead=lead,
        changes_points=tuple(points),
    )


def changes_table(screens: list[Screen]) -> pd.DataFrame:
    """One row per kecamatan screen: each indicator now and its change (points) since the compared month."""
    rows = []
    for screen in screens[1:]:
        row = {"Kecamatan": screen.name.removeprefix("Kecamatan ")}
        for change in screen.changes:
            row[f"{change.label} (%)"] = change.current
            row[f"Δ {change.label}"] = change.delta
        rows.append(row)
    return pd.DataFrame(rows)


def opening_slides(opening: Opening) -> tuple[TextSlide, TextSlide]:
    return (
        TextSlide(opening.followup_title, opening.followup_lead, opening.followup_lines),
        TextSlide(opening.changes_title, opening.changes_lead, opening.changes_points),
    )
