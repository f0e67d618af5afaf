"""Presentasi Rapat: one message per screen: the previous rapat's follow-up, what changed since,
the kabupaten headline, then one screen per kecamatan (with its tindak lanjut)."""

import datetime as dt

import streamlit as st

from dashboard.formatting import format_month, format_number, format_percent
from dashboard.queries.common import query_data_as_of
from dashboard.rapat.changes import ROUTINE_NOTE
from dashboard.rapat.screens import screen_chart
from dashboard.ui.followup import followup_expander
from dashboard.ui.page import start_page
from dashboard.ui.presentation import go_to_screen, hide_page_title, sync_screen_number
from dashboard.ui.rapat_opening import OPENING_SCREENS, rapat_with_opening, show_changes_screen, show_followup_screen
from dashboard.ui.widgets import presentation_mode, show_chart

filters = start_page("Presentasi Rapat")
screens, opening = rapat_with_opening(filters, dt.date.today())
period, before = format_month(filters.month), format_month(opening.previous_month)
total = OPENING_SCREENS + len(screens)
number = sync_screen_number(total)
screen = screens[max(0, number - OPENING_SCREENS - 1)]
if presentation_mode():
    hide_page_title()

back, counter, forward = st.columns([1, 3, 1], vertical_alignment="center")
back.button(
    "◀ Sebelumnya",
    key="rapat_previous",
    on_click=go_to_screen,
    args=(number - 1,),
    disabled=number <= 1,
    width="stretch",
    shortcut="Left",
)
name = (opening.followup_title, opening.changes_title)[number - 1] if number <= OPENING_SCREENS else screen.name
counter.markdown(f"**Layar {number} dari {total}** · {name} · {period}, dibanding {before}")
forward.button(
    "Berikutnya ▶",
    key="rapat_next",
    on_click=go_to_screen,
    args=(number + 1,),
    disabled=number >= total,
    width="stretch",
    shortcut="Right",
)

if number == 1:
    show_followup_screen(opening)
    st.stop()
if number == 2:
    show_changes_screen(opening, screens)
    st.stop()

st.header(screen.title)

stunting, kader, ds = (screen.change(label) for label in ("Stunting", "Partisipasi kader", "D/S"))
columns = st.columns(4)
columns[0].metric(
    "Stunting (e-PPGBM)",
    format_percent(stunting.current),
    stunting.metric_delta(),
    delta_color="inverse" if stunting.delta else "off",
)
columns[0].caption(
    f"{period}: {format_number(screen.stunted)} dari {format_number(screen.children)} balita diukur · {ROUTINE_NOTE}"
    if screen.children
    else f"Tidak ada pengukuran pada {period}."
)
columns[1].metric(
    "Partisipasi kader",
    format_percent(kader.current),
    kader.metric_delta(),
    delta_color="normal" if kader.delta else "off",
)
columns[1].caption(
    f"{format_number(screen.kader_present)} hadir dari {format_number(screen.kader_registered)} kader terdaftar"
    if screen.kader_registered
    else f"Tidak ada laporan kehadiran kader pada {period}."
)
columns[2].metric(
    "D/S (balita ditimbang)", format_percent(ds.current), ds.metric_delta(), delta_color="normal" if ds.delta else "off"
)
columns[2].caption(
    f"{format_number(screen.d_total)} ditimbang dari {format_number(screen.s_total)} balita sasaran"
    if screen.s_total
    else f"Tidak ada laporan SKDN pada {period}."
)
columns[3].metric("Legalitas lengkap", format_percent(screen.legality_pct))
columns[3].caption(
    f"{format_number(screen.full_legality)} dari {format_number(screen.posyandu)} posyandu; teregistrasi Kemendagri "
    f"{format_percent(screen.registered_pct)} · master posyandu terkini"
    if screen.posyandu
    else "Belum ada posyandu di master posyandu."
)

st.markdown(f"**{screen.summary}**")
for point in screen.points[1:2]:  # headline screen: how many kecamatan moved which way
    st.markdown(f"**{point}.**")

chart = screen_chart(filters, screen, query_data_as_of())
show_chart(chart.figure, chart.meta, key=f"presentasi-{screen.code}")
if screen.kind == "kecamatan":
    followup_expander(filters, f"presentasi-fu-{screen.code}", kode_kec=screen.code)

if not presentation_mode():
    st.caption(
        "Untuk layar proyektor: nyalakan **Mode presentasi** di sidebar atau buka halaman ini dengan "
        f"`?presentasi=1`. Tombol panah kiri/kanan pada papan ketik berpindah layar. Tautan ke layar ini: `?layar={number}`. Layar mencakup semua kecamatan dalam cakupan Anda; "
        "pilihan kecamatan di sidebar tidak dipakai di sini. Perubahan stunting yang selang kepercayaan 95%-nya "
        "bertumpang tindih ditandai “belum berbeda nyata”."
    )
