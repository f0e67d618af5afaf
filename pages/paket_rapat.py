"""Paket Rapat: the rapat koordinasi pack (PowerPoint and PDF) for the chosen period in one click."""

import datetime as dt

import streamlit as st

from dashboard.db import file_version
from dashboard.export.kaleido_worker import find_browser
from dashboard.filters import months_before
from dashboard.formatting import format_date, format_month, format_number
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY
from dashboard.rapat.opening import data_month_for_rapat
from dashboard.rapat.screens import build_rapat_pack, build_rapat_screens, pack_file_name
from dashboard.rapat.slides import RapatPack
from dashboard.ui.followup import choose_previous_rapat
from dashboard.ui.page import start_page

PACK_KEY = "rapat_pack"

filters = start_page(
    "Paket Rapat Koordinasi",
    "PowerPoint dan PDF untuk rapat Tim Pembina Posyandu, dibuat dari data periode yang dipilih",
)
weights = st.session_state.get(WEIGHTS_STATE_KEY, DEFAULT_WEIGHTS)
left, right = st.columns(2)
with left:
    meeting_date = st.date_input("Tanggal rapat", value=dt.date.today(), format="DD/MM/YYYY", key="rapat_meeting_date")
with right:
    previous_rapat = choose_previous_rapat(meeting_date, "paket_previous_rapat")
previous_month = (
    data_month_for_rapat(previous_rapat, filters.month) if previous_rapat else months_before(filters.month, 1)
)
period, before = format_month(filters.month), format_month(previous_month)
screens = build_rapat_screens(filters, previous_month, weights)
kecamatan = len(screens) - 1
since = f"rapat {format_date(previous_rapat)}" if previous_rapat else "bulan sebelumnya"

st.markdown(
    f"""
**Isi paket** — periode **{period}**, dibanding **{before}** ({screens[0].name}):

1. Judul rapat, lalu **Tindak lanjut rapat sebelumnya** ({since}: selesai, terlambat, masih berjalan) dan
   **Apa yang berubah sejak rapat lalu** (data {period} dibanding {before}).
2. Pesan utama: {screens[0].title}.
3. Satu slide per bagian: tren stunting, partisipasi kader, legalitas dan registrasi posyandu, wilayah prioritas.
4. Satu slide per kecamatan yang memiliki data ({format_number(kecamatan)} kecamatan): grafiknya dan tiga poin
   perubahan sejak {before} (stunting, partisipasi kader, D/S).
"""
)
st.caption(
    "Periode dipilih di sidebar. Paket mencakup semua kecamatan dalam cakupan Anda; pilihan kecamatan di sidebar "
    "tidak dipakai. Stunting = data rutin e-PPGBM, bukan survei. Skor prioritas memakai bobot halaman Prioritas."
)
if find_browser() is None:
    st.info(
        "Chromium tidak ditemukan di komputer ini: grafik dalam paket dibuat dengan matplotlib "
        "(tampilan lebih sederhana, angka sama)."
    )

# A built pack is kept for this period, scope, weights, date and warehouse version only.
signature = (
    filters.month,
    filters.scope_kec,
    tuple(sorted(weights.items())),
    meeting_date,
    previous_rapat,
    file_version(),
)

if st.button("Buat paket rapat", type="primary", icon=":material/slideshow:", key="rapat_build"):
    bar = st.progress(0.0, text="Memulai…")
    build = build_rapat_pack(
        filters,
        weights=weights,
        meeting_date=meeting_date,
        previous_rapat=previous_rapat,
        progress=lambda fraction, text: bar.progress(min(1.0, fraction), text=text),
    )
    bar.empty()
    st.session_state[PACK_KEY] = (signature, build)

stored = st.session_state.get(PACK_KEY)
if stored is not None and stored[0] == signature:
    build = stored[1]
    pack: RapatPack = build.pack
    slides = len(pack.slide_titles)
    st.success(
        f"Paket siap: {format_number(slides)} slide ({format_number(len(pack.sections))} bagian, "
        f"{format_number(len(pack.kecamatan_slides))} kecamatan), {format_number(build.charts)} grafik, "
        f"dibuat dalam {format_number(build.seconds_total, 1)} detik."
    )
    left, right = st.columns(2)
    left.download_button(
        "⬇ Unduh PowerPoint (.pptx)",
        data=build.pptx,
        file_name=pack_file_name(filters.month, "pptx"),
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="rapat_pptx",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        "⬇ Unduh PDF",
        data=build.pdf,
        file_name=pack_file_name(filters.month, "pdf"),
        mime="application/pdf",
        key="rapat_pdf",
        on_click="ignore",
        width="stretch",
    )
    renderer_text = ", ".join(
        f"{format_number(n)} dengan {'Chromium (kaleido)' if name == 'kaleido' else 'matplotlib'}"
        for name, n in sorted(build.renderers.items())
    )
    st.caption(
        f"Grafik: {renderer_text}. Waktu: menyalakan Chromium {format_number(build.seconds_warm_up, 1)} detik, "
        f"grafik {format_number(build.seconds_charts, 1)} detik, PowerPoint dan PDF "
        f"{format_number(build.seconds_files, 1)} detik."
    )
    for message in build.messages:
        st.warning(message + " Angka dan teks tetap sama; hanya tampilan grafik yang lebih sederhana.")
    with st.expander("Judul slide"):
        st.markdown("\n".join(f"{i}. {title}" for i, title in enumerate(pack.slide_titles, start=1)))
elif stored is not None:
    st.info("Periode, cakupan, bobot atau data sudah berubah sejak paket terakhir dibuat: buat ulang paketnya.")
