"""The page shown instead of the dashboard when the warehouse is missing (after real data
was loaded) or broken: restore the previous version or rebuild from the last sources.
Only a kabupaten user may do either; everyone else is told whom to ask."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.auth.login import KABUPATEN, current_role
from etl.build import BuildError
from etl.isolate import ChildFailed, run_isolated
from etl.lifecycle import MISSING, OK, last_sources_config, previous_path, restore_previous, warehouse_state
from etl.load import BuildInProgress, BuildLock
from etl.pseudonymise import SecretError

NOTICE_KEY = "recovery_notice"


def cached_state(db_path: Path) -> str:
    """warehouse_state, checked once per file version (a page run must not reopen the file)."""
    try:
        stat = db_path.stat()
    except FileNotFoundError:
        return MISSING
    return _state(str(db_path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


@st.cache_data(show_spinner=False, max_entries=8)
def _state(path: str, inode: int, mtime_ns: int, size: int) -> str:
    return warehouse_state(Path(path))


def show_recovery(db_path: Path, state: str) -> None:
    """Draw the recovery page and stop the script."""
    st.title("Dasbor Posyandu Kukar")
    if state == MISSING:
        st.error(
            "File data dasbor tidak ditemukan. Data nyata pernah dimuat di sini, jadi dasbor tidak "
            "menggantinya dengan data contoh."
        )
    else:
        st.error("File data dasbor rusak dan tidak bisa dibaca.")
    if notice := st.session_state.pop(NOTICE_KEY, None):
        st.warning(notice)
    if current_role() != KABUPATEN:
        st.info("Minta pengguna tingkat kabupaten (pengelola dasbor di DPMD) memulihkan data.")
        st.stop()
    previous = previous_path(db_path)
    can_restore = warehouse_state(previous) == OK
    sources = last_sources_config(db_path)
    left, right = st.columns(2)
    with left:
        st.subheader("Pulihkan versi sebelumnya")
        st.caption("Salinan data dari sebelum pembangunan terakhir. Cepat; data terbaru mungkin belum ada.")
        if st.button("Pulihkan versi sebelumnya", disabled=not can_restore, type="primary"):
            _restore(db_path)
        if not can_restore:
            st.caption("Tidak ada salinan versi sebelumnya yang utuh.")
    with right:
        st.subheader("Bangun ulang dari sumber terakhir")
        if sources is None:
            st.caption("Folder sumber pembangunan terakhir tidak ditemukan.")
        else:
            st.caption(
                f"Membaca lagi folder `{sources.source_dir}`"
                + (f" dan {len(sources.extra_source_dirs)} folder unggahan" if sources.extra_source_dirs else "")
                + ". Bisa beberapa menit."
            )
        if st.button("Bangun ulang dari sumber terakhir", disabled=sources is None):
            _rebuild(sources)
    st.stop()


def _restore(db_path: Path) -> None:
    try:
        with BuildLock(db_path):
            restore_previous(db_path)
    except (BuildInProgress, FileNotFoundError) as error:
        st.session_state[NOTICE_KEY] = f"Pemulihan gagal: {error}"
    st.rerun()


def _rebuild(config) -> None:
    bar = st.progress(0.0, text="Memulai…")
    try:
        run_isolated(
            "etl.build:build_warehouse",
            config,
            progress=lambda message, fraction: bar.progress(min(1.0, fraction), text=message),
            what="pembangunan ulang",
        )
    except (ChildFailed, BuildError, BuildInProgress, SecretError) as error:
        st.session_state[NOTICE_KEY] = f"Pembangunan ulang gagal: {error}"
    except Exception as error:  # noqa: BLE001 - one Bahasa line; the details are in the server log
        st.session_state[NOTICE_KEY] = f"Pembangunan ulang gagal ({type(error).__name__})."
    st.rerun()
