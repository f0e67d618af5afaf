"""Presentasi Rapat: one message per screen: the previous rapat's follow-up, what changed since,
the kabupaten headline, then one screen per kecamatan, worst first (with its tindak lanjut).

Laid out to fit a 1280x720 projector without scrolling: the message on top, the four
figures on the left, the chart on the right (the presenter script sizes it to the screen).
Indicator names, definitions, targets and minimum n come from the catalogue.
"""

import datetime as dt

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.catalogue.indicators import INDICATORS
from dashboard.formatting import format_month, format_number, format_percent
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY
from dashboard.queries.common import query_data_as_of
from dashboard.rapat.changes import NOT_SIGNIFICANT, ROUTINE_NOTE, STUNTING_MIN_N, Change
from dashboard.rapat.projection import fit_for_screen
from dashboard.rapat.screens import screen_chart
from dashboard.ui.followup import followup_expander
from dashboard.ui.page import start_page
from dashboard.ui.presentation import (
    go_to_screen,
    hide_page_title,
    install_presenter_keys,
    show_screen_chart,
    sync_screen_number,
)
from dashboard.ui.rapat_opening import OPENING_SCREENS, rapat_with_opening, show_changes_screen, show_followup_screen
from dashboard.ui.widgets import presentation_mode

filters = start_page("Presentasi Rapat")
weights = st.session_state.get(WEIGHTS_STATE_KEY, DEFAULT_WEIGHTS)
screens, opening = rapat_with_opening(filters, dt.date.today(), weights)
period, before = format_month(filters.month), format_month(opening.previous_month)
total = OPENING_SCREENS + len(screens)
number = sync_screen_number(total)
screen = screens[max(0, number - OPENING_SCREENS - 1)]
projector = presentation_mode()
if projector:
    hide_page_title()


def step_button(column: DeltaGenerator, label: str, key: str, target: int, disabled: bool, keys: str) -> None:
    """The previous or next control: a whole-width button that shows screen ``target``."""
    column.button(label, key=key, on_click=go_to_screen, args=(target,), disabled=disabled, width="stretch", help=keys)


back, counter, forward = st.columns([1, 3, 1], vertical_alignment="center")
step_button(back, "◀ Sebelumnya", "rapat_previous", number - 1, number <= 1, "Page Up atau panah kiri")
if number <= OPENING_SCREENS:
    where = ""
elif screen.priority_rank is not None:
    where = f" · prioritas ke-{format_number(screen.priority_rank)} dari {format_number(screen.priority_of)}"
else:
    where = ""
counter.markdown(f"**Layar {number} dari {total}**{where} · {period} dibanding {before}")
with counter:
    install_presenter_keys("rapat_next", "rapat_previous")
step_button(forward, "Berikutnya ▶", "rapat_next", number + 1, number >= total, "Page Down atau panah kanan")

if number == 1:
    show_followup_screen(opening)
    st.stop()
if number == 2:
    show_changes_screen(opening, screens)
    st.stop()

st.header(screen.title)
if screen.kind == "kabupaten" and len(screen.points) > 1:
    st.caption(screen.points[1])  # how many kecamatan moved which way

stunting, kader, ds = (screen.change(code) for code in ("stunting", "kader_participation", "ds_ratio"))
catalogue = {code: INDICATORS[code] for code in ("stunting", "kader_participation", "ds_ratio", "legality")}
figures, chart_column = st.columns([2, 3], gap="medium")
with figures:
    top, bottom = st.columns(2), st.columns(2)
    cells = (top[0], top[1], bottom[0], bottom[1])

    def caption_with_target(code: str, text: str) -> str:
        target = catalogue[code].target(filters.month.year)  # its source is in the note under the screen
        return f"{text} · {target.short_label().split(' (')[0]}" if target is not None else text

    def show_tile(cell: DeltaGenerator, code: str, value: float | None, change: Change | None, caption: str) -> None:
        """One figure: the catalogue's short name, the value, the change (coloured by the
        indicator's direction) and the counts behind it."""
        entry = catalogue[code]
        moved = change is not None and bool(change.delta)  # no colour for "0,0 poin"
        cell.metric(
            entry.short_name,
            format_percent(value),
            change.metric_delta() if change is not None else None,
            delta_color=("normal" if entry.higher_is_better else "inverse") if moved else "off",
            delta_arrow="auto" if moved else "off",  # "0,0 poin" went neither up nor down
            help=f"{entry.definition} Sumber: {entry.source_register}.",
        )
        cell.caption(caption)

    show_tile(
        cells[0],
        "stunting",
        stunting.current,
        stunting,
        caption_with_target(
            "stunting", f"{format_number(screen.stunted)} dari {format_number(screen.children)} balita diukur"
        )
        if screen.children
        else f"Tidak ada pengukuran pada {period}.",
    )
    show_tile(
        cells[1],
        "kader_participation",
        kader.current,
        kader,
        f"{format_number(screen.kader_present)} hadir dari {format_number(screen.kader_registered)} kader"
        if screen.kader_registered
        else f"Tidak ada laporan kehadiran kader pada {period}.",
    )
    show_tile(
        cells[2],
        "ds_ratio",
        ds.current,
        ds,
        caption_with_target(
            "ds_ratio", f"{format_number(screen.d_total)} ditimbang dari {format_number(screen.s_total)} sasaran"
        )
        if screen.s_total
        else f"Tidak ada laporan SKDN pada {period}.",
    )
    show_tile(
        cells[3],
        "legality",
        screen.legality_pct,
        None,
        f"{format_number(screen.full_legality)} dari {format_number(screen.posyandu)} posyandu"
        if screen.posyandu
        else "Belum ada posyandu di master posyandu.",
    )
    if not projector:
        st.markdown(f"**{screen.summary}**")

with chart_column:
    chart = screen_chart(filters, screen, query_data_as_of())
    show_screen_chart(fit_for_screen(chart.figure), chart.meta, key=f"presentasi-{screen.code}")

targets = [t for t in (catalogue[c].target(filters.month.year) for c in ("stunting", "ds_ratio")) if t is not None]
st.caption(
    f"Stunting: {ROUTINE_NOTE}. "
    + "".join(f"{t.label()}. " for t in targets)
    + f"“{NOT_SIGNIFICANT}”: selang kepercayaan 95% berbasis desain (klaster posyandu) "
    f"kedua bulan bertumpang tindih; perubahan dengan kurang dari {format_number(STUNTING_MIN_N)} "
    "balita diukur tidak dinilai. Legalitas: master posyandu yang berlaku akhir bulan."
)
if screen.kind == "kecamatan":
    followup_expander(filters, f"presentasi-fu-{screen.code}", kode_kec=screen.code)

if not projector:
    st.caption(
        "Untuk layar proyektor: nyalakan **Mode presentasi** di sidebar atau buka halaman ini dengan "
        f"`?presentasi=1`. Page Down/Page Up (tombol presenter) dan panah kanan/kiri berpindah layar. "
        f"Tautan ke layar ini: `?layar={number}`. Layar mencakup semua kecamatan dalam cakupan Anda, "
        "yang paling perlu perhatian lebih dulu (skor prioritas dengan bobot halaman Prioritas); "
        "pilihan kecamatan di sidebar tidak dipakai di sini."
    )
