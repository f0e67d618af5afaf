"""The shared period and kecamatan pickers in the sidebar, kept across pages."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.filters import Filters
from dashboard.formatting import format_month

MONTH_KEY, KECAMATAN_KEY = "filter_month", "filter_kecamatan"
# Each page draws its own sidebar, and Streamlit forgets a widget's value when the next
# page draws it anew: the choice is kept under these keys too and put back on every page.
KEPT_KEYS = {MONTH_KEY: "kept_filter_month", KECAMATAN_KEY: "kept_filter_kecamatan"}
ALL_KECAMATAN = "Semua kecamatan"


def sidebar_filters(months: list[date], kecamatan: pd.DataFrame, scope_kec: tuple[str, ...] | None = None) -> Filters:
    """Draw the shared period and kecamatan pickers in the sidebar and return the choice."""
    if not months:
        return Filters(month=date.today().replace(day=1), scope_kec=scope_kec)
    months = sorted(months, reverse=True)
    for key, kept in KEPT_KEYS.items():
        # Re-assigning through the Session State API is what makes this page's new widget
        # take the value; the kept copy covers a page in between that drew no filters.
        if key in st.session_state:
            _set_choice(key, st.session_state[key])
        elif kept in st.session_state:
            _set_choice(key, st.session_state[kept])
    if st.session_state.get(MONTH_KEY) not in months:
        st.session_state[MONTH_KEY] = months[0]
    month = st.sidebar.selectbox("Periode", months, key=MONTH_KEY, format_func=format_month)
    allowed = kecamatan if scope_kec is None else kecamatan[kecamatan["kode_kec"].isin(scope_kec)]
    names = dict(zip(allowed["kode_kec"], allowed["nama_kec"]))
    options = ([None] if scope_kec is None or len(scope_kec) > 1 else []) + list(names)
    if st.session_state.get(KECAMATAN_KEY) not in options:
        _set_choice(KECAMATAN_KEY, options[0])
    kode_kec = st.sidebar.selectbox(
        "Kecamatan",
        options,
        key=KECAMATAN_KEY,
        format_func=lambda c: ALL_KECAMATAN if c is None else names[c],
    )
    st.session_state[KEPT_KEYS[MONTH_KEY]] = month
    st.session_state[KEPT_KEYS[KECAMATAN_KEY]] = kode_kec
    return Filters(month=month, kode_kec=kode_kec, scope_kec=scope_kec)


def _set_choice(key: str, value: object) -> None:
    if value is None:
        # None is the "Semua kecamatan" option, always first; assigning None would instead
        # empty the selectbox ("Choose an option"), so drop the state and let it default.
        st.session_state.pop(key, None)
    else:
        st.session_state[key] = value


def select_kecamatan(kode_kec: str | None) -> None:
    """Set the shared kecamatan filter (e.g. from a click on the map); call from a callback."""
    _set_choice(KECAMATAN_KEY, kode_kec)
    st.session_state[KEPT_KEYS[KECAMATAN_KEY]] = kode_kec
