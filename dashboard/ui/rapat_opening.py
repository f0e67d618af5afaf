"""The two opening screens of Presentasi Rapat: the previous rapat's follow-up, and what changed since."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.filters import Filters, months_before
from dashboard.followup.store import Actor
from dashboard.followup.summary import CANCELLED, DONE, OPEN, OVERDUE
from dashboard.formatting import format_number
from dashboard.rapat.changes import Screen
from dashboard.rapat.opening import (
    Opening,
    build_opening,
    changes_table,
    data_month_for_rapat,
    load_followup_summary,
)
from dashboard.rapat.screens import build_rapat_screens
from dashboard.ui.followup import choose_previous_rapat, followup_store, kecamatan_names
from dashboard.ui.widgets import show_table

OPENING_SCREENS = 2


def rapat_with_opening(
    filters: Filters, meeting_date: dt.date, weights: dict[str, float] | None = None
) -> tuple[list[Screen], Opening]:
    """The rapat screens compared with the chosen previous rapat (picked in the sidebar), and the opening."""
    with st.sidebar:
        previous_rapat = choose_previous_rapat(meeting_date, "presentasi_previous_rapat")
    previous_month = (
        data_month_for_rapat(previous_rapat, filters.month) if previous_rapat else months_before(filters.month, 1)
    )
    screens = build_rapat_screens(filters, previous_month, weights)
    summary = None
    if previous_rapat is not None:
        store = followup_store()
        summary = load_followup_summary(
            store,
            Actor(st.session_state.get("user_name") or "presentasi", filters.scope_kec),
            previous_rapat,
            meeting_date,
        )
    return screens, build_opening(screens, previous_rapat, previous_month, summary, kecamatan_names())


def show_followup_screen(opening: Opening) -> None:
    st.header(opening.followup_title)
    st.markdown(f"**{opening.followup_lead}.**")
    summary = opening.followup
    if summary is None or not summary.items:
        return
    columns = st.columns(4)
    for column, (label, state) in zip(
        columns,
        (("Selesai", DONE), ("Terlambat", OVERDUE), ("Masih berjalan", OPEN), ("Dibatalkan", CANCELLED)),
        strict=True,
    ):
        column.metric(label, format_number(summary.count(state)))
    st.markdown("\n".join(f"- {line}" for line in opening.followup_lines))
    st.caption(
        "Mencakup rekomendasi yang diputuskan pada atau sebelum rapat itu dan belum ditutup saat rapat; "
        "terlambat = belum selesai dan tenggatnya sebelum hari rapat ini. Ubah status di halaman Tindak Lanjut."
    )


def show_changes_screen(opening: Opening, screens: list[Screen]) -> None:
    st.header(opening.changes_title)
    st.markdown(f"**{opening.changes_lead}.**")
    st.markdown("\n".join(f"- {point}" for point in opening.changes_points))
    table = changes_table(screens)
    if len(table):
        show_table(table, opening.changes_title, opening.changes_lead, key="presentasi-changes")
        st.caption("Δ = selisih dalam poin persen (nilai dibulatkan satu desimal, seperti yang ditampilkan).")
