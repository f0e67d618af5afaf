"""Make sure a warehouse exists before any page runs: build it from the bundled sample
on first start, with visible progress. A broken warehouse, or a missing one where real data
was loaded before, gets the recovery page instead (dashboard/ui/recovery.py)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.db import warehouse_exists, warehouse_path
from dashboard.first_build import FirstBuild
from dashboard.ui.recovery import cached_state, show_recovery
from etl.config import EtlConfig
from etl.lifecycle import CORRUPT, OK, may_build_from_sample

POLL_SECONDS = 1.0
FIRST_BUILD_PATH = "menyiapkan-data"


def ensure_warehouse(pages: Sequence[st.Page] = (), extra_url_paths: Sequence[str] = ()) -> None:
    """Return when the warehouse is usable; otherwise show the recovery page or the first build.

    pages (and extra_url_paths): the app's pages, so a deep link opened meanwhile shows the
    progress (not Streamlit's English "Page not found") and lands on its page once the data is
    ready. Their addresses are read only here: an st.Page made outside a running app (a child
    process re-importing app.py) has none."""
    state = cached_state(warehouse_path())
    if state == OK:
        return
    if state == CORRUPT or not may_build_from_sample(warehouse_path()):
        show_recovery(warehouse_path(), state)
    show_first_build([*url_paths(pages), *extra_url_paths])


def url_paths(pages: Sequence[st.Page]) -> list[str]:
    """The pages' addresses; a page made without a running script (a child process or a
    rerun after the recovery page's rebuild re-importing app.py) has none and is skipped."""
    paths = []
    for page in pages:
        try:
            paths.append(page.url_path)
        except AttributeError:
            continue
    return paths


def show_first_build(url_paths: Sequence[str] = ()) -> None:
    """Only the build's progress: no page list (a hidden navigation replaces the one Streamlit
    would make from pages/), and the build runs outside the script, so there is no Stop button.
    Every page address answers with the same progress screen; the URL (and its query string)
    stays as opened, so the rerun after the build opens the page the link named."""
    pages = [st.Page(_first_build_page, title="Menyiapkan data", url_path=FIRST_BUILD_PATH, default=True)]
    pages += [
        st.Page(_first_build_page, title="Menyiapkan data", url_path=path, visibility="hidden")
        for path in dict.fromkeys(url_paths)
        if path and path != FIRST_BUILD_PATH
    ]
    st.navigation(pages, position="hidden").run()
    st.stop()


@st.cache_resource(show_spinner=False)
def _first_build() -> FirstBuild:
    """One build per server process, shared by every session that opens meanwhile."""
    return FirstBuild(exists=warehouse_exists)


# The page polls the build every second; under the build's load a poll can outlast
# Streamlit's delay before it shows "Running… Stop", and stopping a poll does nothing.
_HIDE_STATUS_WIDGET = "<style>[data-testid='stStatusWidget']{display:none}</style>"


def _first_build_page() -> None:
    st.html(_HIDE_STATUS_WIDGET)  # style only: takes no space on the page
    st.title("Dasbor Posyandu Kukar")
    st.info(
        "Dasbor dibuka untuk pertama kali: data contoh bawaan sedang disiapkan (sekali saja, sekitar "
        "satu menit). Halaman ini terbuka sendiri setelah selesai."
    )
    _first_build().start(EtlConfig(db_path=warehouse_path()))
    _progress()


@st.fragment(run_every=POLL_SECONDS)
def _progress() -> None:
    status = _first_build().status()
    if status.state == "done" or warehouse_exists():
        st.rerun(scope="app")
    if status.state == "failed":
        st.error(
            "Menyiapkan data gagal. Pesan lengkapnya ada di jendela yang menjalankan dasbor; "
            "muat ulang halaman ini untuk mencoba lagi."
        )
        return
    st.progress(status.fraction, text=status.message)
