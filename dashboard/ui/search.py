"""Search for a desa or posyandu by name (a searchable picker) that opens its profile page.

The profile is addressed by the URL (`/profil?desa=64.02.06.1013`, `/profil?posyandu=P0368`),
so it can be sent as a link like any filtered view.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard.filter_link import PERIOD_PARAM, format_period_param
from dashboard.filters import Filters
from dashboard.queries.profile import query_place_options

PROFILE_PAGE = "pages/profil.py"
KINDS = ("desa", "posyandu")  # the URL parameter names, also the kind of place
SEARCH_KEY, PENDING_KEY = "place_search", "place_search_opened"


def profile_target(params: Mapping[str, str]) -> tuple[str, str] | None:
    """(kind, code) a profile URL names: `?desa=` or `?posyandu=` (posyandu wins); None when neither."""
    for kind in ("posyandu", "desa"):
        value = (params.get(kind) or "").strip()
        if value:
            return kind, value[:40]  # codes are short; a tampered value is cut, then simply not found
    return None


def profile_params(kind: str, code: str, filters: Filters) -> dict[str, str]:
    return {kind: code, PERIOD_PARAM: format_period_param(filters.month)}


def _remember_choice(key: str) -> None:
    choice = st.session_state.get(key)
    if choice:
        st.session_state[PENDING_KEY] = choice
        st.session_state[key] = None  # the box is empty again when the user comes back


def place_search(filters: Filters, container=None, key: str = SEARCH_KEY) -> None:
    """A searchable picker of every desa and posyandu in the reader's scope; a choice opens its profile."""
    where = container or st.sidebar
    scope_only = Filters(month=filters.month, scope_kec=filters.scope_kec)  # any place the reader may see
    options = query_place_options(scope_only)
    values = [f"{kind}:{code}" for kind, code in zip(options["kind"], options["code"], strict=True)]
    labels = dict(zip(values, options["label"], strict=True))
    where.selectbox(
        "Cari desa atau posyandu",
        values,
        index=None,
        placeholder="Ketik nama desa atau posyandu…",
        format_func=lambda v: labels.get(v, v),
        key=key,
        on_change=_remember_choice,
        args=(key,),
        help="Membuka profil desa atau posyandu: kader, legalitas, layanan SPM, penimbangan, stunting, "
        "pendampingan dan tindak lanjutnya.",
    )
    if chosen := st.session_state.pop(PENDING_KEY, None):
        kind, code = chosen.split(":", 1)
        st.switch_page(PROFILE_PAGE, query_params=profile_params(kind, code, filters))
