"""Targets and norms as data: data/reference/targets.csv, one row per sourced value.

A target is never a bare number in code: it is looked up here, for the year of the data it
is compared with, and shown with its source. The RPJMN 2020–2024 line (14%) applies to data up
to 2024 only; 2025 data is compared with RPJMN 2025–2029 (18,8% in 2025).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dashboard.formatting import format_number

REGISTER = Path(__file__).resolve().parents[2] / "data" / "reference" / "targets.csv"

Kind = Literal["target", "norm"]
Comparison = Literal["at_most", "at_least"]


@dataclass(frozen=True)
class Reference:
    """One sourced target or norm; years None = not tied to a year."""

    code: str
    indicator: str  # catalogue code
    kind: Kind
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

    def value_text(self) -> str:
        decimals = 0 if float(self.value).is_integer() else 1
        number = format_number(self.value, decimals)
        return f"{number}%" if self.unit == "%" else f"{number} {self.unit}".strip()

    def short_label(self) -> str:
        """For a chart: "Target 2025: 18,8% (RPJMN 2025–2029)"; the full source goes in the caption."""
        return f"{self._heading()}: {self.value_text()} ({self.source.split(' (')[0].split(';')[0]})"

    def _heading(self) -> str:
        word = "Target" if self.kind == "target" else "Norma"
        if self.year_from is None:
            return word
        years = f"{self.year_from}" if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"
        return f"{word} {years}"

    def label(self) -> str:
        """For a caption or the catalogue: "Target 2025: 18,8% (RPJMN 2025–2029 (Bappenas, …))"."""
        return f"{self._heading()}: {self.value_text()} ({self.source})"


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


@functools.cache
def read_register(path: Path = REGISTER) -> tuple[Reference, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Reference(
                code=row["code"],
                indicator=row["indicator"],
                kind=row["kind"],  # type: ignore[arg-type]
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
    raise KeyError(f"no row {code!r} in {REGISTER.name}")


def target_for(indicator: str, year: int) -> Reference | None:
    """The target that applies to data of `year`, or None when no sourced target covers that year."""
    rows = [r for r in read_register() if r.indicator == indicator and r.kind == "target" and r.applies_to(year)]
    return min(rows, key=lambda r: (r.year_to or 9999) - (r.year_from or 0), default=None)


def next_target(indicator: str, year: int) -> Reference | None:
    """The nearest sourced target for `year` or later (for "target 2029: 14,2%" on 2026 data)."""
    later = [
        r
        for r in read_register()
        if r.indicator == indicator and r.kind == "target" and r.year_from is not None and r.year_from >= year
    ]
    return target_for(indicator, year) or min(later, key=lambda r: r.year_from or 0, default=None)


def norm(indicator: str) -> Reference:
    """The norm for an indicator (e.g. kader per posyandu); one per indicator."""
    rows = [r for r in read_register() if r.indicator == indicator and r.kind == "norm"]
    if len(rows) != 1:
        raise KeyError(f"expected one norm for {indicator!r} in {REGISTER.name}, found {len(rows)}")
    return rows[0]


def kader_norm() -> int:
    """Minimum active kader per posyandu (the Kukar DPMD statement in the register)."""
    return int(norm("kader_active").value)


def ds_target() -> float:
    """D/S target as a fraction of 1 (0.80); a posyandu below it is a gap."""
    return reference("ds_skdn").value / 100
