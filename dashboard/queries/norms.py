"""Norms and thresholds as loaded from data/reference/norms.csv, each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard.db import query


@dataclass(frozen=True)
class Norm:
    key: str
    value: str
    unit: str
    label: str
    source: str
    source_kind: str
    note: str

    def as_int(self) -> int:
        return int(float(self.value))

    def as_bool(self) -> bool:
        return self.value.strip().lower() in {"1", "ya", "true", "yes"}

    def as_date(self) -> date:
        return date.fromisoformat(self.value.strip())

    def citation(self) -> str:
        """ "sumber: … (pernyataan pejabat …)" for a caption beside the figure that uses it."""
        return f"sumber: {self.source} ({self.source_kind})"


def query_norms() -> dict[str, Norm]:
    """Every norm by key (the same for every user: reference data, not area data)."""
    frame = query("select key, value, unit, label, source, source_kind, note from ref_norm order by key")
    return {row.key: Norm(**row._asdict()) for row in frame.itertuples(index=False)}
