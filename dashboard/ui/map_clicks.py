"""What a click on a map does: the clicked area's kecamatan becomes the shared filter.

One handler for every map, so the scope check cannot be forgotten on one of them.
"""

from __future__ import annotations

import streamlit as st

from dashboard.maps.draw import clicked_area_code
from dashboard.ui.page import current_scope
from dashboard.ui.sidebar import select_kecamatan


def select_clicked_area(map_key: str, desa_key: str | None = None) -> str | None:
    """``st_folium`` on_change callback: choose the clicked kecamatan (or the clicked desa's).

    With ``desa_key`` (a desa map beside a desa picker) the clicked desa is chosen there too.
    Runs before the page script, so it may set the sidebar's widget state. A click on a
    posyandu point, or on an area outside the user's scope, changes nothing.
    Returns the code chosen (the desa's when one was chosen), or None.
    """
    returned = st.session_state.get(map_key)
    kode_kec = clicked_area_code(returned, "kecamatan")
    scope = current_scope()
    if kode_kec is None or (scope is not None and kode_kec not in scope):
        return None
    select_kecamatan(kode_kec)
    kode_desa = clicked_area_code(returned, "desa") if desa_key else None
    if kode_desa is not None:
        st.session_state[desa_key] = kode_desa
        return kode_desa
    return kode_kec
