"""The shared filters as URL parameters, so a view can be sent as a link. No streamlit here.

`?periode=2025-10&kecamatan=64.02.06&puskesmas=Puskesmas%20Rapak%20Mahang&desa=64.02.06.1013`. A link is
only a wish: every value is checked against what exists and against the reader's scope.
A value that fails is dropped with one Bahasa sentence saying why, and the default stands;
a pembina never gets a kecamatan outside their scope from a link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dashboard.filters import Filters
from dashboard.formatting import format_month

PERIOD_PARAM, KECAMATAN_PARAM, PUSKESMAS_PARAM, DESA_PARAM = "periode", "kecamatan", "puskesmas", "desa"
FILTER_PARAMS = (PERIOD_PARAM, KECAMATAN_PARAM, PUSKESMAS_PARAM, DESA_PARAM)
_PERIOD = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})(-\d{1,2})?")
_MAX_SHOWN = 60  # a tampered value is quoted in the note, never at any length


@dataclass(frozen=True)
class LinkChoice:
    """What a link asks for, after checking: None = not asked (or refused, see notes)."""

    month: date | None = None
    kode_kec: str | None = None
    puskesmas: str | None = None
    notes: tuple[str, ...] = ()
    kode_desa: str | None = None


@dataclass(frozen=True)
class DesaPlace:
    """A desa/kelurahan as the sidebar offers it: its name, kecamatan and the puskesmas serving its posyandu."""

    name: str
    kode_kec: str
    puskesmas: frozenset[str] = frozenset()


def format_period_param(month: date) -> str:
    return f"{month:%Y-%m}"


def parse_period_param(raw: str) -> date | None:
    """ "2025-10" (or "2025-10-01") → 1 Oct 2025; anything else → None."""
    match = _PERIOD.fullmatch(raw.strip())
    if match is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), 1)
    except ValueError:
        return None


def _quote(raw: str) -> str:
    text = " ".join(raw.split())
    return f"“{text[:_MAX_SHOWN]}…”" if len(text) > _MAX_SHOWN else f"“{text}”"


def read_link(
    params: Mapping[str, str],
    months: list[date],
    kecamatan: Mapping[str, str],
    puskesmas_kec: Mapping[str, str],
    scope_kec: tuple[str, ...] | None,
    desa: Mapping[str, DesaPlace] | None = None,
) -> LinkChoice:
    """Check a link's filter parameters.

    months: periods with data; kecamatan: {code: name}; puskesmas_kec: {puskesmas: kode_kec};
    scope_kec: the reader's kecamatan (None = all); desa: {kode_desa: DesaPlace}. A kecamatan
    may be given by code or name, a desa by code (names repeat across kecamatan).
    """
    notes: list[str] = []
    month = kode_kec = puskesmas = None
    if (raw := params.get(PERIOD_PARAM)) is not None:
        month = parse_period_param(raw)
        if month is None or month not in months:
            shown = format_month(month) if month else _quote(raw)
            notes.append(f"Periode {shown} dari tautan tidak ada dalam data; ditampilkan periode terbaru.")
            month = None
    allowed = set(kecamatan) if scope_kec is None else set(kecamatan) & set(scope_kec)
    if (raw := params.get(KECAMATAN_PARAM)) is not None and raw.strip():
        by_name = {name.casefold(): code for code, name in kecamatan.items()}
        code = raw.strip() if raw.strip() in kecamatan else by_name.get(raw.strip().casefold())
        if code is None:
            notes.append(f"Kecamatan {_quote(raw)} dari tautan tidak dikenal; ditampilkan wilayah bawaan.")
        elif code not in allowed:
            notes.append(
                f"Tautan ini menunjuk Kecamatan {kecamatan[code]}, di luar cakupan akun Anda; "
                "ditampilkan wilayah cakupan Anda."
            )
        else:
            kode_kec = code
    if (raw := params.get(PUSKESMAS_PARAM)) is not None and raw.strip():
        by_name = {name.casefold(): name for name in puskesmas_kec}
        name = by_name.get(raw.strip().casefold())
        if name is None:
            notes.append(f"Puskesmas {_quote(raw)} dari tautan tidak dikenal; ditampilkan semua puskesmas.")
        elif puskesmas_kec[name] not in allowed:
            notes.append(f"Tautan ini menunjuk {name}, di luar cakupan akun Anda; ditampilkan semua puskesmas Anda.")
        elif kode_kec is not None and puskesmas_kec[name] != kode_kec:
            notes.append(f"{name} tidak berada di Kecamatan {kecamatan[kode_kec]}; ditampilkan seluruh kecamatan itu.")
        else:
            puskesmas, kode_kec = name, puskesmas_kec[name]
    kode_desa = None
    if (raw := params.get(DESA_PARAM)) is not None and raw.strip():
        place = (desa or {}).get(raw.strip())
        if place is None:
            notes.append(f"Desa/kelurahan {_quote(raw)} dari tautan tidak dikenal; ditampilkan semua desa.")
        elif place.kode_kec not in allowed:
            notes.append(f"Tautan ini menunjuk {place.name}, di luar cakupan akun Anda; ditampilkan semua desa Anda.")
        elif kode_kec is not None and place.kode_kec != kode_kec:
            notes.append(
                f"{place.name} tidak berada di Kecamatan {kecamatan[kode_kec]}; ditampilkan seluruh kecamatan itu."
            )
        elif puskesmas is not None and puskesmas not in place.puskesmas:
            notes.append(f"{place.name} tidak dilayani {puskesmas}; ditampilkan seluruh wilayah kerjanya.")
        else:
            kode_desa, kode_kec = raw.strip(), place.kode_kec
    return LinkChoice(month, kode_kec, puskesmas, tuple(notes), kode_desa)


def link_params(filters: Filters) -> dict[str, str]:
    """The URL parameters of a Filters: the period always (a link keeps meaning the same
    month when newer data arrives), kecamatan, puskesmas and desa when chosen."""
    values = {PERIOD_PARAM: format_period_param(filters.month)}
    if filters.kode_kec:
        values[KECAMATAN_PARAM] = filters.kode_kec
    if filters.puskesmas:
        values[PUSKESMAS_PARAM] = filters.puskesmas
    if filters.kode_desa:
        values[DESA_PARAM] = filters.kode_desa
    return values
