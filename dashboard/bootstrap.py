"""Make sure a warehouse exists before any page runs: build it from the bundled sample
on first start, with visible progress. A broken warehouse, or a missing one where real data
was loaded before, gets the recovery page instead (dashboard/ui/recovery.py)."""

from __future__ import annotations

import time

import streamlit as st

from dashboard.db import warehouse_exists, warehouse_path
from dashboard.ui.recovery import cached_state, show_recovery
from etl.build import build_warehouse
from etl.config import EtlConfig
from etl.lifecycle import CORRUPT, OK, may_build_from_sample
from etl.load import BuildInProgress, BuildLock

WAIT_LIMIT_S = 900  # a session waiting for another's build gives up after this


def ensure_warehouse() -> None:
    state = cached_state(warehouse_path())
    if state == OK:
        return
    if state == CORRUPT or not may_build_from_sample(warehouse_path()):
        show_recovery(warehouse_path(), state)
    st.title("Dasbor Posyandu Kukar")
    st.info(
        "Warehouse belum ada. Dasbor sedang menyiapkannya dari data contoh bawaan (sekali saja, sekitar satu menit)."
    )
    bar = st.progress(0.0, text="Memulai…")
    try:
        build_warehouse(
            EtlConfig(db_path=warehouse_path()),
            progress=lambda message, fraction: bar.progress(min(1.0, fraction), text=message),
        )
    except BuildInProgress:
        bar.progress(0.5, text="Warehouse sedang dibangun oleh sesi lain; menunggu…")
        if not wait_for_other_build():
            bar.empty()
            st.error(
                "Pembangunan data oleh sesi lain tidak selesai. Muat ulang halaman ini untuk mencoba lagi; "
                "bila terulang, hubungi pengelola dasbor."
            )
            st.stop()
    bar.empty()
    st.rerun()


def wait_for_other_build(limit_s: float = WAIT_LIMIT_S, poll_s: float = 2.0) -> bool:
    """True when the warehouse appeared; False when the other build ended without one (its
    lock is free) or `limit_s` passed."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if warehouse_exists():
            return True
        try:
            with BuildLock(warehouse_path()):
                return warehouse_exists()  # the lock is free: the other build has ended
        except BuildInProgress:
            time.sleep(poll_s)
    return warehouse_exists()
