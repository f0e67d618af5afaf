"""What every page starts with: title, shared filters, and the data version shown."""

from __future__ import annotations

import streamlit as st

from dashboard.auth.login import require_login
from dashboard.db import read_warehouse_info
from dashboard.filters import Filters
from dashboard.formatting import format_date
from dashboard.queries.common import (
    query_data_as_of,
    query_desa_list,
    query_kecamatan,
    query_loaded_registers,
    query_months,
    query_puskesmas_list,
)
from dashboard.ui.presentation import sync_presentation_mode
from dashboard.ui.search import place_search
from dashboard.ui.sidebar import sidebar_filters


def current_scope() -> tuple[str, ...] | None:
    """Kecamatan the signed-in user may see (None = all); set by the login gate."""
    require_login(show_account=False)  # a page script run without app.py is gated too
    return st.session_state.get("user_scope_kec")


def leave_legacy_pages_mode() -> None:
    """Make sure app.py (login gate, page config, navigation) runs before any page.

    Until st.navigation has run once in the process, Streamlit treats a folder named
    `pages/` as old-style multipage and runs a deep-linked page (say /kader) on its own,
    skipping app.py. Switching that mode off and rerunning sends the request through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def start_page(title: str, subtitle: str | None = None, desa_in_url: bool = True) -> Filters:
    """Title, the shared filters (desa_in_url=False where the page owns `?desa=`: the profile)
    and the data version; returns the reader's choice."""
    leave_legacy_pages_mode()
    st.title(title)
    if subtitle:
        st.caption(subtitle)
    filters = sidebar_filters(
        query_months(), query_kecamatan(), current_scope(), query_puskesmas_list(), query_desa_list(), desa_in_url
    )
    place_search(filters)
    info = read_warehouse_info()
    as_of = query_data_as_of()
    st.sidebar.caption(
        f"Data per {format_date(as_of) if as_of else '–'} · versi data {info.version} "
        f"(dibangun {format_date(info.built_at)} {info.built_at:%H.%M})"
    )
    sync_presentation_mode()
    return filters


def require_register(register: str, label: str) -> bool:
    """True when the register was loaded; otherwise say so in Bahasa and return False."""
    if register in query_loaded_registers():
        return True
    st.warning(
        f"Data {label} belum dimuat, sehingga bagian ini tidak bisa ditampilkan. "
        "Tambahkan file register ke folder sumber lalu bangun ulang data (halaman Perbarui Data atau `python -m etl build`)."
    )
    return False
