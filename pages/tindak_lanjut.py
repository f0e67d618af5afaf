"""Tindak Lanjut: every recommendation of the rapat, with filters, edit/close, history, Excel and backup."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.auth.login import KABUPATEN, current_role
from dashboard.followup.backup import backup_store
from dashboard.followup.excel import history_frame, recommendations_frame, recommendations_xlsx
from dashboard.followup.schema import STATUSES
from dashboard.followup.summary import classify
from dashboard.formatting import format_date, format_number
from dashboard.ui.column_config import show_frame
from dashboard.ui.followup import (
    INDICATOR_LABELS,
    current_actor,
    edit_recommendation_form,
    flash,
    followup_store,
    kecamatan_names,
    new_recommendation_form,
    recommendations_table,
    show_flash,
)
from dashboard.ui.page import start_page

filters = start_page(
    "Tindak Lanjut Rapat",
    "Rekomendasi rapat koordinasi: penanggung jawab, tenggat dan status, dengan riwayat setiap perubahan",
)
show_flash()
store = followup_store()
actor = current_actor(filters)
today = store.today()
rapat_dates = store.rapat_dates()

left, middle, right = st.columns(3)
statuses = left.multiselect("Status", STATUSES, default=["terbuka", "dalam proses"], key="tl_status")
indicator = middle.selectbox(
    "Indikator",
    [None, *INDICATOR_LABELS],
    format_func=lambda k: "Semua indikator" if k is None else INDICATOR_LABELS[k],
    key="tl_indicator",
)
rapat = right.selectbox(
    "Rapat",
    [None, *rapat_dates],
    format_func=lambda d: "Semua rapat" if d is None else format_date(d),
    key="tl_rapat",
)
only_overdue = st.toggle("Hanya yang terlambat", key="tl_overdue")

in_area = store.recommendations(actor, kode_kec=filters.visible_kec, indicator=indicator)
if rapat is not None:
    in_area = [r for r in in_area if r.rapat_date == rapat]
states = [classify(r, today) for r in in_area]
columns = st.columns(4)
columns[0].metric("Semua rekomendasi", format_number(len(in_area)))
columns[1].metric("Terlambat", format_number(states.count("terlambat")))
columns[2].metric("Berjalan", format_number(states.count("berjalan")))
columns[3].metric("Selesai", format_number(states.count("selesai")))
st.caption(
    f"Angka di atas untuk kecamatan, indikator dan rapat yang dipilih (semua status); daftar di bawah mengikuti "
    f"pilihan status. Terlambat = status terbuka atau dalam proses dengan tenggat sebelum hari ini "
    f"({format_date(today)}). Pembina hanya melihat dan mengubah kecamatan dalam cakupannya."
)
items = [r for r in in_area if not statuses or r.status in statuses]
if only_overdue:
    items = [r for r in items if r.is_overdue(today)]

if items:
    show_frame(recommendations_table(items, today), hide_index=True, key="tl-table")
    frame = recommendations_frame(items, kecamatan_names(), today, INDICATOR_LABELS)
    st.download_button(
        "⬇ Excel (.xlsx)",
        data=lambda: recommendations_xlsx(frame, "Tindak lanjut rapat", f"Dasbor Posyandu Kukar, {format_date(today)}"),
        file_name=f"tindak-lanjut-{today:%Y-%m-%d}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="tl-xlsx",
        on_click="ignore",
    )
    chosen = st.selectbox(
        "Buka rekomendasi",
        [r.id for r in items],
        format_func=lambda i: f"Nomor {i}: {next(r.text for r in items if r.id == i)[:90]}",
        key="tl_choose",
    )
    rec = next(r for r in items if r.id == chosen)
    edit_recommendation_form(filters, rec, "tl")
    with st.expander(f"Riwayat perubahan nomor {rec.id}"):
        history = history_frame(store.history(actor, rec.id))
        history["Waktu (WITA)"] = history["Waktu (WITA)"].dt.strftime("%d/%m/%Y %H.%M")
        history["Tenggat"] = history["Tenggat"].map(format_date)
        show_frame(history, hide_index=True, key="tl-history")
else:
    st.info("Belum ada rekomendasi yang cocok dengan pilihan ini.")

with st.expander("Catat rekomendasi baru", expanded=not items):
    new_recommendation_form(filters, "tl-new", rapat_dates=rapat_dates)

with st.expander("Tanggal rapat koordinasi"):
    st.caption(
        "Tanggal rapat dipakai untuk mengelompokkan rekomendasi dan untuk pembuka Presentasi dan Paket Rapat "
        "(“Tindak lanjut rapat sebelumnya”)."
    )
    st.markdown(", ".join(format_date(d) for d in rapat_dates) or "Belum ada tanggal rapat tercatat.")
    with st.form("tl-rapat-form", clear_on_submit=True):
        held_on = st.date_input("Tanggal rapat", value=dt.date.today(), format="DD/MM/YYYY", key="tl_rapat_date")
        title = st.text_input("Nama rapat", value="Rapat koordinasi Tim Pembina Posyandu", key="tl_rapat_title")
        if st.form_submit_button("Catat tanggal rapat"):
            store.record_rapat(actor, held_on, title)
            flash(f"Rapat {format_date(held_on)} dicatat.")

if current_role() == KABUPATEN:
    with st.expander("Cadangan berkas tindak lanjut"):
        st.markdown(
            f"Berkas: `{store.path}` (terpisah dari gudang data, tidak tersentuh saat data dibangun ulang). "
            "Dari terminal, aman saat aplikasi berjalan: `python -m dashboard.followup backup data/backups/`."
        )
        if st.button("Buat salinan cadangan untuk diunduh", key="tl-backup"):
            with tempfile.TemporaryDirectory() as folder:
                result = backup_store(store.path, Path(folder) / "tindak_lanjut.sqlite")
                st.session_state["tl_backup_bytes"] = result.path.read_bytes()
            st.success(
                f"Cadangan siap: {format_number(result.recommendations)} rekomendasi, "
                f"{format_number(result.history_rows)} baris riwayat, pemeriksaan keutuhan: {result.integrity}."
            )
        if "tl_backup_bytes" in st.session_state:
            st.download_button(
                "⬇ Unduh cadangan (.sqlite)",
                data=st.session_state["tl_backup_bytes"],
                file_name=f"tindak_lanjut-{today:%Y%m%d}.sqlite",
                mime="application/vnd.sqlite3",
                key="tl-backup-download",
                on_click="ignore",
            )
