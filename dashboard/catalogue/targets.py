"""Targets and norms as data: data/reference/targets.csv, one row per sourced value.

A target is never a bare number in code: it is looked up here, for the year of the data it
is compared with, and shown with its source. The RPJMN 2020–2024 line (14%) applies to data up
to 2024 only; 2025 data is compared with RPJMN 2025–2029 (18,8% in 2025).

Each row has a level and an area (nasional with no code, provinsi "64", kabupaten "64.02",
kecamatan "64.02.05"). The rule for which target applies to data of area A in year Y: among
the rows of the indicator whose years cover Y and whose area contains A, the most local one
(kabupaten before provinsi before nasional); among equally local rows, the narrowest years.
So a Kukar RPJMD/RKPD row for 2025 replaces the national RPJMN value for Kukar and its
kecamatan, and the screen names which one it used. No row for Y → no target, never a guess.
DASBOR_TARGETS points at another register file (a kabupaten keeping its own copy, tests).
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dashboard.formatting import format_number

REGISTER = Path(__file__).resolve().parents[2] / "data" / "reference" / "targets.csv"
REGISTER_ENV = "DASBOR_TARGETS"
KUKAR = "64.02"

# "threshold": a sourced line between yellow and red on a traffic light (WHO's "high" band).
# "deadline": an obligation with a date (every posyandu registered by 30 June 2025), not a
# planned level: it colours a light like a target, but is named "tenggat", never "target".
Kind = Literal["target", "deadline", "norm", "threshold"]
# Kinds that set the green line of a traffic light.
GOAL_KINDS: tuple[Kind, ...] = ("target", "deadline")
# "below" is strict: WHO's "high" stunting band starts at 20%, so 20,0% is not below it.
Comparison = Literal["at_most", "at_least", "below"]
Level = Literal["nasional", "provinsi", "kabupaten", "kecamatan"]
LEVEL_LABELS: dict[str, str] = {
    "nasional": "nasional",
    "provinsi": "Provinsi Kalimantan Timur",
    "kabupaten": "Kabupaten Kutai Kartanegara",
    "kecamatan": "kecamatan",
}


@dataclass(frozen=True)
class Reference:
    """One sourced target or norm; years None = not tied to a year."""

    code: str
    indicator: str  # catalogue code
    kind: Kind
    level: Level
    area_code: str  # "" = nasional; "64" provinsi; "64.02" Kukar; "64.02.05" a kecamatan
    year_from: int | None
    year_to: int | None
    value: float
    unit: str
    comparison: Comparison
    source: str
    confidence: str  # H read in a primary source, M one secondary source
    note: str

    def applies_to(self, year: int) -> bool:
        return (self.year_from is None or self.year_from <= year) and (self.year_to is None or year <= self.year_to)

    def covers(self, area_code: str) -> bool:
        """Whether the area (e.g. a kecamatan "64.02.05") lies inside this row's area."""
        return not self.area_code or area_code == self.area_code or area_code.startswith(self.area_code + ".")

    def met_by(self, value: float) -> bool:
        if self.comparison == "at_least":
            return value >= self.value
        if self.comparison == "below":
            return value < self.value
        return value <= self.value

    def rule_text(self) -> str:
        """ "≤ 18,8%": the comparison and value, for a legend."""
        sign = {"at_least": "≥", "at_most": "≤", "below": "<"}[self.comparison]
        return f"{sign} {self.value_text()}"

    def level_text(self) -> str:
        """ "target nasional" / "target Kabupaten Kutai Kartanegara": which tier the row is."""
        word = {"target": "target", "deadline": "tenggat"}.get(self.kind, "acuan")
        return f"{word} {LEVEL_LABELS.get(self.level, self.level)}"

    def value_text(self) -> str:
        decimals = 0 if float(self.value).is_integer() else 1
        number = format_number(self.value, decimals)
        return f"{number}%" if self.unit == "%" else f"{number} {self.unit}".strip()

    def short_label(self) -> str:
        """For a chart: "Target 2025: 18,8% (RPJMN 2025–2029)"; the full source goes in the caption."""
        return f"{self._heading()}: {self.value_text()} ({self.source.split(' (')[0].split(';')[0]})"

    def years_text(self) -> str:
        """ "2025", "2025–2029", or "" for a row not tied to a year."""
        if self.year_from is None:
            return ""
        return f"{self.year_from}" if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"

    def _heading(self) -> str:
        word = {"target": "Target", "deadline": "Tenggat", "norm": "Norma", "threshold": "Ambang"}[self.kind]
        return f"{word} {self.years_text()}".strip()

    def label(self) -> str:
        """For a caption or the catalogue: "Target 2025: 18,8% (RPJMN 2025–2029 (Bappenas, …))"."""
        return f"{self._heading()}: {self.value_text()} ({self.source})"


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


def register_path() -> Path:
    return Path(os.environ.get(REGISTER_ENV) or REGISTER)


def read_register(path: Path | None = None) -> tuple[Reference, ...]:
    return _read(path or register_path())


@functools.cache
def _read(path: Path) -> tuple[Reference, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Reference(
                code=row["code"],
                indicator=row["indicator"],
                kind=row["kind"],  # type: ignore[arg-type]
                level=row["level"],  # type: ignore[arg-type]
                area_code=row["area_code"].strip(),
                year_from=_year(row["year_from"]),
                year_to=_year(row["year_to"]),
                value=float(row["value"]),
                unit=row["unit"],
                comparison=row["comparison"],  # type: ignore[arg-type]
                source=row["source"],
                confidence=row["confidence"],
                note=row["note"],
            )
            for row in csv.DictReader(handle)
        )


def reference(code: str) -> Reference:
    """The register row with this code (KeyError names the code when it is missing)."""
    for row in read_register():
        if row.code == code:
            return row
    raise KeyError(f"no row {code!r} in {register_path().name}")


def _most_local(rows: list[Reference]) -> Reference | None:
    """The rule: the most local area first, then the narrowest span of years."""
    return min(
        rows,
        key=lambda r: (-len(r.area_code), (r.year_to or 9999) - (r.year_from or 0)),
        default=None,
    )


def _rows(indicator: str, kind: Kind | tuple[Kind, ...], area: str) -> list[Reference]:
    kinds = (kind,) if isinstance(kind, str) else kind
    return [r for r in read_register() if r.indicator == indicator and r.kind in kinds and r.covers(area)]


def target_for(indicator: str, year: int, area: str = KUKAR) -> Reference | None:
    """The target that applies to data of `year` for `area` (the most local one), or None when
    no sourced target covers that year. A deadline (kind "deadline") counts as the target."""
    return _most_local([r for r in _rows(indicator, GOAL_KINDS, area) if r.applies_to(year)])


def threshold_for(indicator: str, year: int, area: str = KUKAR) -> Reference | None:
    """The sourced yellow/red line of a traffic light, when the register has one."""
    return _most_local([r for r in _rows(indicator, "threshold", area) if r.applies_to(year)])


def next_target(indicator: str, year: int, area: str = KUKAR) -> Reference | None:
    """The nearest sourced target for `year` or later (for "target 2029: 14,2%" on 2026 data)."""
    later = [r for r in _rows(indicator, GOAL_KINDS, area) if r.year_from is not None and r.year_from >= year]
    first = min((r.year_from or 0 for r in later), default=None)
    return target_for(indicator, year, area) or _most_local([r for r in later if r.year_from == first])


def norm(indicator: str) -> Reference:
    """The norm for an indicator (e.g. kader per posyandu); one per indicator."""
    rows = [r for r in read_register() if r.indicator == indicator and r.kind == "norm"]
    if len(rows) != 1:
        raise KeyError(f"expected one norm for {indicator!r} in {register_path().name}, found {len(rows)}")
    return rows[0]


def kader_norm() -> int:
    """Minimum active kader per posyandu (the Kukar DPMD statement in the register)."""
    return int(norm("kader_active").value)


def ds_target() -> float:
    """D/S target as a fraction of 1 (0.80); a posyandu below it is a gap."""
    return reference("ds_skdn").value / 100
