"""Search for a desa or posyandu by name (a searchable picker) that opens its profile page.

The profile is addressed by the URL (`/profil?desa=64.02.06.1013`, `/profil?posyandu=P0368`),
so it can be sent as a link like any filtered view.

Every page draws the search, so its list is paid on every page run (the select's options are
formatted, hashed into its id, serialized and hashed again) and sent whole to every new
browser. At 10× data it held 9.237 places: measured with bench/bench_place_search.py (README,
performance). So the list is prepared once per warehouse version and scope, and past
MAX_OPTIONS it keeps every desa but only the posyandu of the chosen kecamatan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from dashboard.db import file_version, warehouse_path
from dashboard.filter_link import PERIOD_PARAM, format_period_param
from dashboard.filters import Filters
from dashboard.queries.profile import query_place_options

PROFILE_PAGE = "pages/profil.py"
KINDS = ("desa", "posyandu")  # the URL parameter names, also the kind of place
SEARCH_KEY, PENDING_KEY = "place_search", "place_search_opened"
# Kukar at 1× lists about 1.150 places (237 desa, about 900 posyandu): all of them. Past this a
# list is slow to send and to scroll, and posyandu names repeat by the hundred.
MAX_OPTIONS = 2_000
PLACEHOLDER = "Ketik nama desa atau posyandu…"
PLACEHOLDER_DESA_ONLY = "Ketik nama desa… (pilih kecamatan untuk mencari posyandu)"


@dataclass(frozen=True)
class PlaceChoices:
    values: tuple[str, ...]  # "desa:64.02.06.1013", "posyandu:P0368", by name
    labels: dict[str, str]  # value -> "Desa X · Kec. Y", "Posyandu Z · X, Y"
    posyandu_of: str | None  # "all", a kecamatan code, or None (desa only: no kecamatan chosen)


def place_choices(filters: Filters) -> PlaceChoices:
    """The search's list for the reader's scope and chosen kecamatan (see the module docstring)."""
    return _place_choices(filters.scope_kec, filters.kode_kec, file_version(warehouse_path()), filters.month)


@st.cache_resource(show_spinner=False, max_entries=64)
def _place_choices(
    scope_kec: tuple[str, ...] | None, kode_kec: str | None, version: str, _month: dt.date
) -> PlaceChoices:
    """Cached without copying (never changed once made); `version` keys it on the warehouse
    file. The list does not depend on the month (`_month` only completes the Filters)."""
    options = query_place_options(Filters(month=_month, scope_kec=scope_kec))  # any place the reader may see
    posyandu_of: str | None = "all"
    if len(options) > MAX_OPTIONS:
        visible = Filters(month=_month, kode_kec=kode_kec, scope_kec=scope_kec).visible_kec if kode_kec else ()
        posyandu_of = kode_kec if visible else None
        options = options[(options["kind"] == "desa") | options["kode_kec"].isin(visible or ())]
    values = tuple(f"{kind}:{code}" for kind, code in zip(options["kind"], options["code"], strict=True))
    return PlaceChoices(values, dict(zip(values, options["label"], strict=True)), posyandu_of)


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
    """A searchable picker of the desa and posyandu in the reader's scope (place_choices); a choice opens its profile."""
    where = container or st.sidebar
    choices = place_choices(filters)
    where.selectbox(
        "Cari desa atau posyandu",
        choices.values,
        index=None,
        placeholder=PLACEHOLDER if choices.posyandu_of else PLACEHOLDER_DESA_ONLY,
        format_func=choices.labels.__getitem__,
        key=key,
        on_change=_remember_choice,
        args=(key,),
        help="Membuka profil desa atau posyandu: kader, legalitas, layanan SPM, penimbangan, stunting, "
        "pendampingan dan tindak lanjutnya.",
    )
    if chosen := st.session_state.pop(PENDING_KEY, None):
        kind, code = chosen.split(":", 1)
        st.switch_page(PROFILE_PAGE, query_params=profile_params(kind, code, filters))
