"""Bandingkan dua periode: two month pickers and the key indicators of both, with the change.

API (for any page; Ringkasan and the Scorecard use it):

``select_periods(months, *, key="period_compare", month=None) -> PeriodPair``
    Draws two pickers side by side, "Periode" and "Dibanding dengan", over ``months``
    (the dates of ``query_months()``, any order), labelled in Bahasa ("Oktober 2025").
    Default: ``month`` (pass ``filters.month``; None = the latest month) against the
    latest available month before it. When ``month`` changes (the sidebar period moved)
    both pickers go back to that default; otherwise the user's choice is kept across
    reruns. Widget keys: ``f"{key}_current"`` and ``f"{key}_previous"`` (set these in
    AppTest). Returns ``PeriodPair(current, previous)``; the two may be equal, or
    ``previous`` later than ``current``: changes are always current − previous.

``show_period_comparison(filters, months, *, key="period_compare") -> PeriodPair``
    ``select_periods`` plus one metric per indicator of
    ``dashboard.rapat.period_compare.COMPARED`` (stunting, kader participation, D/S,
    registered, valid SK as the Scorecard's Legalitas) for the area the filters show: value in the chosen period,
    change in points against the other (arrow green when better), and under each the
    other period's value, both n, "belum berbeda nyata" for stunting when the intervals
    overlap, and the catalogue's minimum-n note.

The numbers come from ``dashboard.rapat.period_compare.load_period_comparison(filters,
month, previous)`` (pure part: ``compare_periods``), so a page can also use the frame
without the widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.filters import Filters
from dashboard.formatting import format_month, format_number, format_percent, is_missing
from dashboard.rapat.changes import NOT_SIGNIFICANT
from dashboard.rapat.period_compare import change_of, load_period_comparison


@dataclass(frozen=True)
class PeriodPair:
    current: date  # first day of the month shown
    previous: date  # first day of the month compared with

    @property
    def label(self) -> str:
        """ "Oktober 2025 dibanding Agustus 2025"."""
        return f"{format_month(self.current)} dibanding {format_month(self.previous)}"


def default_periods(months: Sequence[date], month: date | None = None) -> PeriodPair | None:
    """``month`` (or the latest) against the latest available month before it; None without months.

    With a single month, or ``month`` the earliest, both are that month.
    """
    available = sorted(set(months))
    if not available:
        return None
    current = month if month in available else available[-1]
    earlier = [m for m in available if m < current]
    return PeriodPair(current, earlier[-1] if earlier else current)


def select_periods(months: Sequence[date], *, key: str = "period_compare", month: date | None = None) -> PeriodPair:
    """Two month pickers; see the module docstring."""
    options = sorted(set(months), reverse=True)
    default = default_periods(options, month)
    if default is None:
        st.info("Belum ada periode data untuk dibandingkan.")
        today = date.today().replace(day=1)
        return PeriodPair(today, today)
    current_key, previous_key, seen_key = f"{key}_current", f"{key}_previous", f"{key}_default"
    if st.session_state.get(seen_key) != default.current:
        # The page's period moved (or first run): start again from its default pair.
        st.session_state[seen_key] = default.current
        st.session_state[current_key] = default.current
        st.session_state[previous_key] = default.previous
    for widget_key, value in ((current_key, default.current), (previous_key, default.previous)):
        if st.session_state.get(widget_key) not in options:
            st.session_state[widget_key] = value
    left, right = st.columns(2)
    current = left.selectbox("Periode", options, key=current_key, format_func=format_month)
    previous = right.selectbox("Dibanding dengan", options, key=previous_key, format_func=format_month)
    return PeriodPair(current, previous)


def _value_text(value: object, unit: str) -> str:
    return format_percent(value) if unit == "%" else format_number(value, 1)


def _side_text(row: pd.Series, which: str, month: date) -> str:
    """ "Agustus 2025: 15,5% (7.176 dari 46.264 balita diukur)"."""
    value, n, count = row[which], row[f"n_{which}"], row[f"count_{which}"]
    if is_missing(value):
        return f"{format_month(month)}: tidak ada data"
    return (
        f"{format_month(month)}: {_value_text(value, row['unit'])} "
        f"({format_number(count)} dari {format_number(n)} {row['n_unit']})"
    )


def show_period_comparison(filters: Filters, months: Sequence[date], *, key: str = "period_compare") -> PeriodPair:
    """Pickers plus the comparison of the filters' area; see the module docstring."""
    pair = select_periods(months, key=key, month=filters.month)
    if pair.current == pair.previous:
        st.info("Pilih dua periode yang berbeda untuk melihat perubahannya.")
    frame = load_period_comparison(filters, pair.current, pair.previous)
    columns = st.columns(len(frame))
    for column, (_, row) in zip(columns, frame.iterrows(), strict=True):
        change = change_of(row, pair.current, pair.previous)
        column.metric(
            change.label,
            _value_text(row["current"], row["unit"]),
            change.metric_delta() if pair.current != pair.previous else None,
            delta_color="normal" if row["higher_is_better"] else "inverse",
            help=row["name"],
        )
        lines = [_side_text(row, "current", pair.current), _side_text(row, "previous", pair.previous)]
        if not is_missing(row["significant"]) and not row["significant"] and row["direction"] != "tetap":
            lines.append(NOT_SIGNIFICANT + " (IK 95% berbasis desain tumpang tindih)")
        if row["note"]:
            lines.append(row["note"])
        column.caption(" · ".join(lines))
    st.caption(
        f"Perubahan = {format_month(pair.current)} dikurangi {format_month(pair.previous)}, dalam poin persen, "
        "dari nilai yang ditampilkan (dibulatkan 1 desimal); panah hijau = membaik. Stunting: data rutin e-PPGBM, "
        "bukan survei."
    )
    return pair
