"""The area a page shows, in words for chart subtitles: "Kecamatan Tenggarong"."""

from __future__ import annotations

from dashboard.filters import Filters
from dashboard.formatting import format_number
from dashboard.queries.common import query_kecamatan

KABUPATEN = "Kabupaten Kutai Kartanegara"


def describe_area(filters: Filters) -> str:
    """The visible area in words for subtitles: "Kabupaten Kutai Kartanegara", "Kecamatan Tenggarong"."""
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
