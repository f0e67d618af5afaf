"""What a click on the Peta map does: the clicked area's kecamatan becomes the shared filter."""

from __future__ import annotations

import streamlit as st

from dashboard.filters import select_kecamatan
from dashboard.maps.draw import clicked_area_code
from dashboard.ui.page import current_scope


def select_clicked_kecamatan(map_key: str) -> str | None:
    """``st_folium`` on_change callback: choose the clicked kecamatan (or the clicked desa's).

    Runs before the page script, so it may set the sidebar's widget state. A click on a
    posyandu point, or on a kecamatan outside the user's scope, changes nothing.
    Returns the code chosen, or None.
    """
    code = clicked_area_code(st.session_state.get(map_key), "kecamatan")
    scope = current_scope()
    if code is None or (scope is not None and code not in scope):
        return None
    select_kecamatan(code)
    return code
