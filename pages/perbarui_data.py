"""Perbarui Data: upload new exports, check them with a dry run, rebuild, see what changed."""

import streamlit as st

from dashboard.auth.login import KABUPATEN, require_role
from dashboard.db import read_warehouse_info, warehouse_exists, warehouse_path
from dashboard.formatting import format_date, format_month, format_number, format_percent
from dashboard.refresh import (
    ALLOWED_SUFFIXES,
    MAX_UPLOAD_MB,
    UPLOAD_RETENTION_DAYS,
    active_source_dir,
    compare_snapshots,
    discard_staged_uploads,
    dry_run_in_child,
    expired_upload_folders,
    list_uploads,
    protect_uploads,
    rebuild_in_child,
    refresh_config,
    save_uploads,
    staged_folders,
    upload_folders,
    uploads_signature,
)
from dashboard.ui.column_config import show_frame
from dashboard.ui.page import leave_legacy_pages_mode
from dashboard.ui.uploader import file_uploader_in_bahasa
from etl.build import BuildError
from etl.isolate import ChildFailed
from etl.load import BuildInProgress
from etl.pseudonymise import SecretError
from etl.registers import REGISTERS

UPLOADER_KEY, REPORT_KEY, CHANGE_KEY, NOTICE_KEY = (
    "refresh_uploader",
    "refresh_report",
    "refresh_change",
    "refresh_notice",
)
AUTO = "Kenali dari nama file"


def show_change(changed: tuple) -> None:
    old_version, new_version, change = changed
    st.header("Perubahan data")
    st.caption(f"Versi {old_version or '–'} → {new_version}")
    left, middle, right = st.columns(3)
    left.metric("Bulan baru", format_number(len(change.new_months)))
    if change.new_months:
        left.caption(", ".join(format_month(m) for m in change.new_months))
    if change.dropped_months:
        left.warning("Bulan hilang: " + ", ".join(format_month(m) for m in change.dropped_months))
    if change.stunting_after:
        month, value = change.stunting_after
        delta = None
        if change.stunting_before and change.stunting_before[0] == month:
            points = round((value - change.stunting_before[1]) * 100, 1)
            delta = f"{format_number(points, 1)} poin" if points else None
        middle.metric(
            f"Stunting rutin kabupaten, {format_month(month)}",
            format_percent(value * 100),
            delta,
            delta_color="inverse",
        )
        if change.stunting_before:
            old_month, old_value = change.stunting_before
            middle.caption(f"Sebelumnya: {format_month(old_month)} {format_percent(old_value * 100)}")
    right.metric(
        "Baris ditolak",
        format_number(change.rejected_after),
        format_number(change.rejected_after - change.rejected_before)
        if change.rejected_after != change.rejected_before
        else None,
        delta_color="inverse",
    )
    right.caption(f"Sebelumnya {format_number(change.rejected_before)} baris")
    show_frame(
        change.counts,
        key="pd-change",
        hide_index=True,
        column_config={
            "table": "Tabel",
            "before": "Sebelum",
            "after": "Sesudah",
            "change": "Selisih",
        },
    )


leave_legacy_pages_mode()
require_role(KABUPATEN)
st.title("Perbarui Data")
st.caption("Unggah file ekspor baru, periksa hasil validasinya, lalu bangun ulang data dasbor.")

source = active_source_dir()
if warehouse_exists():
    info = read_warehouse_info()
    st.info(
        f"Data yang tampil sekarang: versi **{info.version}**, dibangun {format_date(info.built_at)} "
        f"pukul {info.built_at:%H.%M} dari folder `{info.source_dir}`."
    )
if notice := st.session_state.pop(NOTICE_KEY, None):
    st.success(notice)
if changed := st.session_state.get(CHANGE_KEY):
    show_change(changed)


# --- 1. upload ---------------------------------------------------------------------
st.header("1. Unggah file")
st.markdown(
    f"File **{', '.join(s.lstrip('.') for s in ALLOWED_SUFFIXES[:-1])} atau {ALLOWED_SUFFIXES[-1].lstrip('.')}**"
    f" (.xls: tabel ekspor aplikasi web), paling besar **{MAX_UPLOAD_MB} MB per file**. "
    f"File dibaca bersama isi folder sumber `{source}`. Register dikenali dari nama file; "
    "jika nama file lain, pilih jenis datanya di bawah."
)
with st.expander("Aturan nama file per register"):
    st.dataframe(
        [{"Register": r.label, "Nama file": ", ".join(p for p in r.patterns if "/" not in p)} for r in REGISTERS],
        hide_index=True,
    )
register_choice = st.selectbox(
    "Jenis data",
    [None, *(r.name for r in REGISTERS)],
    format_func=lambda name: AUTO if name is None else next(r.label for r in REGISTERS if r.name == name),
    help="Semua file dalam satu unggahan diberi jenis yang sama.",
)
generation = st.session_state.setdefault(UPLOADER_KEY, 0)
files = file_uploader_in_bahasa("Pilih file ekspor", ALLOWED_SUFFIXES, MAX_UPLOAD_MB, key=f"uploader-{generation}")
if st.button("Simpan unggahan", disabled=not files, type="primary"):
    saved = save_uploads(files, register=register_choice)
    for line in saved.refused:
        st.error(line)
    if saved.saved:
        st.session_state[UPLOADER_KEY] = generation + 1
        st.session_state.pop(REPORT_KEY, None)
        st.session_state.pop(CHANGE_KEY, None)
        st.session_state[NOTICE_KEY] = (
            f"{len(saved.saved)} file disimpan di `{saved.folder}`. Lanjutkan dengan pemeriksaan."
        )
        st.rerun()

protect_uploads()
listing = list_uploads()
if len(listing):
    show_frame(
        listing,
        key="pd-listing",
        hide_index=True,
        column_config={
            "folder": "Folder",
            "file": "File",
            "status": "Status",
            "size_kb": "Ukuran (KB)",
        },
    )
    st.caption(
        "File yang sudah dimuat ikut dibaca lagi pada setiap pembangunan ulang dari halaman ini. "
        "`python -m etl build` hanya membaca folder sumber: salin file ke sana bila ingin dipakai dari baris perintah. "
        f"File unggahan berisi data pribadi: hanya bisa dibaca akun server, dan dihapus {UPLOAD_RETENTION_DAYS} hari "
        "setelah dimuat (pada bangun ulang berikutnya)."
    )
staged = staged_folders()
if staged and st.button("Batalkan unggahan", help="Hapus file yang belum dimuat ke data dasbor"):
    removed = discard_staged_uploads()
    st.session_state.pop(REPORT_KEY, None)
    st.session_state[NOTICE_KEY] = f"Unggahan dibatalkan: {format_number(removed)} file dihapus."
    st.rerun()

# --- 2. dry run --------------------------------------------------------------------
st.header("2. Periksa")
st.write("Uji coba tanpa menulis apa pun: semua file dibaca dan divalidasi seperti saat pembangunan ulang.")
if st.button("Periksa data"):
    bar = st.progress(0.0, text="Memulai pemeriksaan…")
    try:
        report = dry_run_in_child(
            refresh_config(warehouse_path()), progress=lambda m, f: bar.progress(min(1.0, f), text=m)
        )
    except (ChildFailed, SecretError) as error:
        bar.empty()
        st.error(f"Pemeriksaan gagal. {error}")
    except Exception as error:  # noqa: BLE001 - one Bahasa line (no cell values); nothing was written
        bar.empty()
        st.error(f"Pemeriksaan gagal ({type(error).__name__}); data dasbor tidak diubah. Lihat log server.")
    else:
        bar.empty()
        st.session_state[REPORT_KEY] = (uploads_signature(), report)

checked = st.session_state.get(REPORT_KEY)
report = None
if checked:
    signature, report = checked
    if signature != uploads_signature():
        st.warning("Unggahan berubah sejak pemeriksaan terakhir; periksa ulang sebelum membangun ulang.")
        report = None
if report is not None:
    total_rejected = int(report.registers["rows_rejected"].sum())
    left, middle, right = st.columns(3)
    left.metric("Baris dibaca", format_number(int(report.registers["rows_read"].sum())))
    middle.metric("Baris dimuat", format_number(report.rows_loaded))
    right.metric("Baris ditolak", format_number(total_rejected))
    st.subheader("Per register")
    show_frame(
        report.registers.drop(columns="register"),
        key="pd-registers",
        hide_index=True,
        column_config={
            "label": "Register",
            "files": "File",
            "rows_read": "Dibaca",
            "rows_loaded": "Dimuat",
            "rows_rejected": "Ditolak",
            "values_blanked": "Nilai dikosongkan",
        },
    )
    if report.missing:
        st.caption("Tidak ada file untuk: " + "; ".join(report.missing))
    if len(report.uploads):
        st.subheader("File unggahan")
        unknown = report.uploads["register"].str.startswith("tidak dikenali")
        if unknown.any():
            st.warning(
                f"{int(unknown.sum())} file tidak dikenali dari namanya dan tidak akan dibaca. "
                "Batalkan unggahan lalu unggah lagi dengan memilih jenis data."
            )
        show_frame(
            report.uploads,
            key="pd-uploads",
            hide_index=True,
            column_config={
                "file": "File",
                "folder": "Folder",
                "status": "Status",
                "register": "Register",
                "rows_rejected": "Baris ditolak",
                "values_blanked": "Nilai dikosongkan",
            },
        )
    st.subheader("Alasan penolakan")
    if len(report.reasons):
        show_frame(
            report.reasons,
            key="pd-reasons",
            hide_index=True,
            column_config={
                "register": "Register",
                "reason": "Alasan",
                "action": "Tindakan",
                "rows": "Jumlah",
            },
        )
        st.caption("Contoh baris bermasalah (isi sel tidak ditampilkan agar data pribadi tidak terlihat):")
        show_frame(
            report.sample,
            key="pd-sample",
            hide_index=True,
            column_config={
                "register": "Register",
                "file": "File",
                "row_number": st.column_config.NumberColumn("Baris", format="%d"),
                "column_name": "Kolom",
                "reason": "Alasan",
                "action": "Tindakan",
            },
        )
    else:
        st.write("Tidak ada baris yang ditolak.")
    if report.notes:
        with st.expander(f"Catatan pembacaan file ({len(report.notes)})"):
            for note in report.notes[:50]:
                st.write(f"- {note}")

# --- 3. rebuild --------------------------------------------------------------------
st.header("3. Bangun ulang")
if report is None:
    st.write("Jalankan pemeriksaan dulu; tombol bangun ulang muncul setelah laporan validasi terlihat.")
elif report.rows_loaded == 0:
    st.error("Tidak ada baris yang bisa dimuat; data dasbor tidak diubah.")
else:
    if expired := expired_upload_folders(upload_folders()):
        st.warning(
            f"Unggahan yang dimuat lebih dari {UPLOAD_RETENTION_DAYS} hari lalu akan dihapus saat bangun ulang, "
            "dan barisnya tidak dimuat lagi (salin file ke folder sumber bila masih diperlukan): "
            + ", ".join(f.name for f in expired)
        )
    confirmed = st.checkbox("Saya sudah memeriksa laporan validasi di atas")
    if st.button("Bangun ulang data dasbor", disabled=not confirmed, type="primary"):
        bar = st.progress(0.0, text="Memulai…")
        try:
            before, build, after = rebuild_in_child(
                refresh_config(warehouse_path()), progress=lambda m, f: bar.progress(min(1.0, f), text=m)
            )
        except (ChildFailed, SecretError) as error:
            bar.empty()
            st.error(f"Gagal. {error}")
        except BuildInProgress as error:
            bar.empty()
            st.error(str(error))
        except BuildError as error:
            bar.empty()
            st.error(f"Gagal: {error}")
        except Exception as error:  # noqa: BLE001 - the previous warehouse stays; say so in one line
            bar.empty()
            st.error(f"Gagal ({type(error).__name__}): {error}. Data lama tetap dipakai.")
        else:
            st.session_state[CHANGE_KEY] = (before.version, build.run_id, compare_snapshots(before, after))
            st.session_state.pop(REPORT_KEY, None)
            st.session_state[NOTICE_KEY] = (
                f"Data dasbor diperbarui ke versi {build.run_id} ({build.total_seconds:.0f} detik)."
            )
            st.rerun()
