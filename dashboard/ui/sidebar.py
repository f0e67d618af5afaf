"""The shared period, kecamatan, puskesmas and desa pickers in the sidebar, kept across pages
and mirrored in the URL (`?periode=&kecamatan=&puskesmas=&desa=`) so a view can be sent as a link."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.filter_link import DESA_PARAM, FILTER_PARAMS, DesaPlace, LinkChoice, link_params, read_link
from dashboard.filters import Filters
from dashboard.formatting import format_month

MONTH_KEY, KECAMATAN_KEY, PUSKESMAS_KEY = "filter_month", "filter_kecamatan", "filter_puskesmas"
DESA_KEY = "filter_desa"
# Each page draws its own sidebar, and Streamlit forgets a widget's value when the next
# page draws it anew: the choice is kept under these keys too and put back on every page.
KEPT_KEYS = {
    MONTH_KEY: "kept_filter_month",
    KECAMATAN_KEY: "kept_filter_kecamatan",
    PUSKESMAS_KEY: "kept_filter_puskesmas",
    DESA_KEY: "kept_filter_desa",
}
LINK_WRITTEN_KEY = "filter_link_written"  # the parameters this session last wrote to the URL
LINK_NOTES_KEY = "filter_link_notes"  # why a link's value was not followed, with the view it gave
ALL_KECAMATAN, ALL_PUSKESMAS, ALL_DESA = "Semua kecamatan", "Semua puskesmas", "Semua desa/kelurahan"


def sidebar_filters(
    months: list[date],
    kecamatan: pd.DataFrame,
    scope_kec: tuple[str, ...] | None = None,
    puskesmas: pd.DataFrame | None = None,
    desa: pd.DataFrame | None = None,
    desa_in_url: bool = True,
) -> Filters:
    """Draw the shared pickers in the sidebar and return the choice.

    kecamatan: kode_kec, nama_kec (in the order to list); puskesmas: puskesmas, kode_kec, nama_kec;
    desa: kode_desa, nama_desa, kode_kec, puskesmas (a list; see query_desa_list).
    desa_in_url=False: the page owns `?desa=` (the profile of a desa), so the desa filter is
    neither read from nor written to the URL there.
    """
    if not months:
        return Filters(month=date.today().replace(day=1), scope_kec=scope_kec)
    months = sorted(months, reverse=True)
    names = dict(zip(kecamatan["kode_kec"], kecamatan["nama_kec"]))
    if puskesmas is None:
        puskesmas = pd.DataFrame(columns=["puskesmas", "kode_kec", "nama_kec"])
    puskesmas_kec = dict(zip(puskesmas["puskesmas"], puskesmas["kode_kec"]))
    places = _desa_places(desa)
    for key, kept in KEPT_KEYS.items():
        # Re-assigning through the Session State API is what makes this page's new widget
        # take the value; the kept copy covers a page in between that drew no filters.
        if key in st.session_state:
            _set_choice(key, st.session_state[key])
        elif kept in st.session_state:
            _set_choice(key, st.session_state[kept])
    params = FILTER_PARAMS if desa_in_url else tuple(p for p in FILTER_PARAMS if p != DESA_PARAM)
    _follow_link(months, names, puskesmas_kec, scope_kec, places, params)

    if st.session_state.get(MONTH_KEY) not in months:
        st.session_state[MONTH_KEY] = months[0]
    month = st.sidebar.selectbox("Periode", months, key=MONTH_KEY, format_func=format_month)

    allowed = {c: n for c, n in names.items() if scope_kec is None or c in scope_kec}
    options = ([None] if scope_kec is None or len(scope_kec) > 1 else []) + list(allowed)
    if st.session_state.get(KECAMATAN_KEY) not in options:
        _set_choice(KECAMATAN_KEY, options[0])
    kode_kec = st.sidebar.selectbox(
        "Kecamatan",
        options,
        key=KECAMATAN_KEY,
        format_func=lambda c: ALL_KECAMATAN if c is None else allowed[c],
    )

    shown = puskesmas[puskesmas["kode_kec"].isin([kode_kec] if kode_kec else list(allowed))]
    labels = dict(
        zip(shown["puskesmas"], shown["puskesmas"] if kode_kec else shown["puskesmas"] + " · " + shown["nama_kec"])
    )
    pkm_options = [None, *labels]
    # Another kecamatan (or all) drops a puskesmas outside it; choosing a puskesmas sets its
    # kecamatan first (the callback), so the two never disagree.
    if st.session_state.get(PUSKESMAS_KEY) not in pkm_options or (
        kode_kec is None and st.session_state.get(PUSKESMAS_KEY) is not None
    ):
        _set_choice(PUSKESMAS_KEY, None)
    chosen_pkm = st.sidebar.selectbox(
        "Puskesmas",
        pkm_options,
        key=PUSKESMAS_KEY,
        format_func=lambda p: ALL_PUSKESMAS if p is None else labels[p],
        on_change=_puskesmas_names_its_kecamatan,
        args=(puskesmas_kec,),
        help="Wilayah kerja puskesmas menurut master posyandu. Angka per posyandu dan desa dibatasi ke "
        "wilayahnya; angka yang hanya ada per kecamatan (mis. prevalensi dengan interval kepercayaan) "
        "tetap untuk seluruh kecamatannya.",
    )
    if chosen_pkm is not None and kode_kec is None:  # a puskesmas always names its kecamatan
        kode_kec = puskesmas_kec[chosen_pkm]
    kode_desa = _desa_picker(places, kode_kec, chosen_pkm)
    chosen = ((MONTH_KEY, month), (KECAMATAN_KEY, kode_kec), (PUSKESMAS_KEY, chosen_pkm), (DESA_KEY, kode_desa))
    for key, value in chosen:
        st.session_state[KEPT_KEYS[key]] = value
    filters = Filters(month=month, kode_kec=kode_kec, scope_kec=scope_kec, puskesmas=chosen_pkm, kode_desa=kode_desa)
    narrowest = places[kode_desa].name if kode_desa else chosen_pkm
    if narrowest is not None:
        st.sidebar.caption(
            f"{narrowest}: daftar dan angka per desa/posyandu hanya wilayah ini; angka tingkat "
            f"kecamatan tetap untuk seluruh Kecamatan {names.get(kode_kec, kode_kec)}."
        )
    _write_link(filters, params)
    _show_link_notes(filters)
    return filters


def _desa_places(desa: pd.DataFrame | None) -> dict[str, DesaPlace]:
    if desa is None:
        return {}
    rows = zip(desa["kode_desa"], desa["nama_desa"], desa["kode_kec"], desa["puskesmas"], strict=True)
    return {code: DesaPlace(name, kec, frozenset(pkm)) for code, name, kec, pkm in rows}


def _desa_picker(places: dict[str, DesaPlace], kode_kec: str | None, chosen_pkm: str | None) -> str | None:
    """The desa/kelurahan of the shown kecamatan (of the chosen puskesmas's area when one is
    chosen), listed by name; with the whole kabupaten shown, a prompt to pick a kecamatan first."""
    offered = {
        code: place.name
        for code, place in places.items()
        if kode_kec is not None and place.kode_kec == kode_kec and (chosen_pkm is None or chosen_pkm in place.puskesmas)
    }
    options = [None, *offered]
    if st.session_state.get(DESA_KEY) not in options:
        _set_choice(DESA_KEY, None)
    return st.sidebar.selectbox(
        "Desa/kelurahan",
        options,
        key=DESA_KEY,
        format_func=lambda code: (
            (ALL_DESA if kode_kec else "Pilih kecamatan dahulu") if code is None else offered[code]
        ),
        disabled=kode_kec is None,
        help="Membatasi daftar dan angka per desa dan posyandu ke satu desa/kelurahan; angka yang hanya ada "
        "per kecamatan tetap untuk seluruh kecamatannya.",
    )


def _set_choice(key: str, value: object) -> None:
    if value is None:
        # None is the "Semua …" option, always first; assigning None would instead
        # empty the selectbox ("Choose an option"), so drop the state and let it default.
        st.session_state.pop(key, None)
    else:
        st.session_state[key] = value


def _puskesmas_names_its_kecamatan(puskesmas_kec: dict[str, str]) -> None:
    chosen = st.session_state.get(PUSKESMAS_KEY)
    if chosen is not None and chosen in puskesmas_kec:
        _set_choice(KECAMATAN_KEY, puskesmas_kec[chosen])


def _link_in_url(params: tuple[str, ...]) -> dict[str, str]:
    return {p: st.query_params[p] for p in params if p in st.query_params}


def _follow_link(
    months: list[date],
    names: dict[str, str],
    puskesmas_kec: dict[str, str],
    scope_kec: tuple[str, ...] | None,
    places: dict[str, DesaPlace],
    params: tuple[str, ...],
) -> None:
    """Apply the URL's filters when they are not what this session wrote there: a link someone
    opened or typed. Streamlit drops the parameters on a page change: nothing to follow then."""
    in_url = _link_in_url(params)
    if not in_url or in_url == st.session_state.get(LINK_WRITTEN_KEY):
        return
    choice: LinkChoice = read_link(in_url, months, names, puskesmas_kec, scope_kec, places)
    if choice.month is not None:
        st.session_state[MONTH_KEY] = choice.month
    _set_choice(KECAMATAN_KEY, choice.kode_kec)
    _set_choice(PUSKESMAS_KEY, choice.puskesmas)
    _set_choice(DESA_KEY, choice.kode_desa)
    st.session_state[LINK_NOTES_KEY] = choice.notes


def _write_link(filters: Filters, params: tuple[str, ...]) -> None:
    wanted = {p: v for p, v in link_params(filters).items() if p in params}
    for param in params:
        if param in wanted and st.query_params.get(param) != wanted[param]:
            st.query_params[param] = wanted[param]
        elif param not in wanted and param in st.query_params:
            del st.query_params[param]
    st.session_state[LINK_WRITTEN_KEY] = wanted


def _show_link_notes(filters: Filters) -> None:
    """Why the link's view was not followed in full; shown until the user picks another view."""
    notes = st.session_state.get(LINK_NOTES_KEY)
    if not notes:
        return
    if isinstance(notes, tuple):  # first run after the link: remember the view it gave
        notes = st.session_state[LINK_NOTES_KEY] = (list(notes), filters)
    messages, view = notes
    if view != filters:
        st.session_state.pop(LINK_NOTES_KEY, None)
        return
    for message in messages:
        st.warning(message, icon=":material/link_off:")


def select_kecamatan(kode_kec: str | None) -> None:
    """Set the shared kecamatan filter (e.g. from a click on the map); call from a callback."""
    _set_choice(KECAMATAN_KEY, kode_kec)
    st.session_state[KEPT_KEYS[KECAMATAN_KEY]] = kode_kec
    for key in (PUSKESMAS_KEY, DESA_KEY):
        _set_choice(key, None)
        st.session_state[KEPT_KEYS[key]] = None
