"""Make sure a warehouse exists before any page runs: build it from the bundled sample
on first start, with visible progress."""

from __future__ import annotations

import time

import streamlit as st

from dashboard.db import warehouse_exists, warehouse_path
from etl.build import build_warehouse
from etl.config import EtlConfig
from etl.load import BuildInProgress


def ensure_warehouse() -> None:
    if warehouse_exists():
        return
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
        while not warehouse_exists():
            time.sleep(2)
    bar.empty()
    st.rerun()
