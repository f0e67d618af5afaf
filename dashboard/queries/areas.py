"""The area a page shows, in words for chart subtitles: "Kecamatan Tenggarong",
"wilayah kerja Puskesmas Loa Ipuh, Kecamatan Tenggarong", "Kelurahan Jahab, Kecamatan Tenggarong"."""

from __future__ import annotations

from dashboard.filters import Filters
from dashboard.formatting import format_number
from dashboard.queries.common import query_desa_list, query_kecamatan

KABUPATEN = "Kabupaten Kutai Kartanegara"


def describe_area(filters: Filters) -> str:
    """The area of figures kept per posyandu or desa, which a chosen puskesmas or desa narrows:
    the chosen desa, else the chosen puskesmas's area, else describe_kecamatan_area."""
    kecamatan = _describe_kecamatan(filters)
    if filters.single_kec is None:
        return kecamatan
    if filters.kode_desa and filters.kode_desa.startswith(filters.single_kec):
        return f"{_desa_name(filters.kode_desa)}, {kecamatan}"
    if filters.puskesmas:
        return f"wilayah kerja {filters.puskesmas}, {kecamatan}"
    return kecamatan


def describe_kecamatan_area(filters: Filters) -> str:
    """The area of figures that exist only per kecamatan (a design-based interval, a scorecard
    row): the whole kecamatan, saying so when a puskesmas or desa is chosen."""
    kecamatan = _describe_kecamatan(filters)
    if filters.single_kec is None or not (filters.kode_desa or filters.puskesmas):
        return kecamatan
    narrower = _desa_name(filters.kode_desa) if filters.kode_desa else filters.puskesmas
    return f"seluruh {kecamatan} (angka tingkat kecamatan, tidak dipisah untuk {narrower})"


def kecamatan_level_note(filters: Filters) -> str:
    """ " · angka seluruh Kecamatan Tenggarong" after a kecamatan-level figure when a puskesmas or
    desa is chosen (the reader would otherwise take it for theirs); empty otherwise."""
    if filters.single_kec is None or not (filters.kode_desa or filters.puskesmas):
        return ""
    return f" · angka seluruh {_describe_kecamatan(filters)}"


def _describe_kecamatan(filters: Filters) -> str:
    codes = filters.visible_kec
    if codes is None:
        return KABUPATEN
    if not codes:  # a chosen kecamatan outside the user's scope shows nothing
        return "wilayah di luar cakupan Anda"
    names = dict(query_kecamatan()[["kode_kec", "nama_kec"]].itertuples(index=False))
    if len(codes) == 1:
        return f"Kecamatan {names.get(codes[0], codes[0])}"
    if len(codes) <= 3:
        return "Kecamatan " + ", ".join(names.get(c, c) for c in codes)
    return f"{format_number(len(codes))} kecamatan dalam cakupan Anda"


def _desa_name(kode_desa: str) -> str:
    """ "Desa Jahab" / "Kelurahan Loa Ipuh" (a Kemendagri village code 64.02.KK.1xxx is a kelurahan)."""
    desa = query_desa_list()
    names = dict(zip(desa["kode_desa"], desa["nama_desa"], strict=True))
    word = "Kelurahan" if kode_desa[9:10] == "1" else "Desa"
    return f"{word} {names.get(kode_desa, kode_desa)}"
