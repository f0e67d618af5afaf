"""Did the priority kecamatan improve faster than the rest since they were marked?

Pure: per-kecamatan counts for the month before the marking (baseline) and the month shown,
in; per indicator and group, the pooled rate at both months, its change and the difference
in change (priority minus the others), out. Only kecamatan with a denominator in both
months count for an indicator, so both months describe the same kecamatan. This is a
simple difference in change, not proof that prioritisation caused it; the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.formatting import format_number, round_half_up


@dataclass(frozen=True)
class EvaluatedIndicator:
    key: str
    label: str
    numerator: str
    denominator: str
    unit_label: str  # what the denominator counts, in Bahasa
    higher_is_better: bool


EVALUATED: tuple[EvaluatedIndicator, ...] = (
    EvaluatedIndicator("stunting", "Stunting", "stunted", "children", "balita diukur", higher_is_better=False),
    EvaluatedIndicator(
        "kader", "Partisipasi kader", "kader_present", "kader_registered", "kader terdaftar", higher_is_better=True
    ),
    EvaluatedIndicator("legality", "Legalitas (musdes + SK)", "legal", "posyandu", "posyandu", higher_is_better=True),
)


@dataclass(frozen=True)
class GroupChange:
    kecamatan: int
    base_n: int
    now_n: int
    base_pct: float | None
    now_pct: float | None

    @property
    def change(self) -> float | None:
        if self.base_pct is None or self.now_pct is None:
            return None
        now, before = round_half_up([self.now_pct, self.base_pct], 1)
        return round(float(now - before), 1)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: EvaluatedIndicator
    priority: GroupChange
    others: GroupChange

    @property
    def difference(self) -> float | None:
        """Change of the priority kecamatan minus change of the others, in points."""
        if self.priority.change is None or self.others.change is None:
            return None
        return round(self.priority.change - self.others.change, 1)

    def sentence(self) -> str:
        label = self.indicator.label
        if self.difference is None:
            return f"{label}: tidak dapat dibandingkan (data salah satu kelompok kosong)"
        if self.difference == 0:
            return f"{label}: perubahan kecamatan prioritas sama dengan kecamatan lain"
        better = (self.difference > 0) == self.indicator.higher_is_better
        word = "lebih baik" if better else "lebih buruk"
        return (
            f"{label}: kecamatan prioritas berubah {format_number(self.priority.change, 1)} poin, kecamatan lain "
            f"{format_number(self.others.change, 1)} poin — selisih {format_number(self.difference, 1)} poin ({word})"
        )


def _group(base: pd.DataFrame, now: pd.DataFrame, codes: set[str], ind: EvaluatedIndicator) -> GroupChange:
    merged = base.merge(now, on="code", suffixes=("_base", "_now"))
    merged = merged[merged["code"].isin(codes)]
    both = merged[(merged[f"{ind.denominator}_base"] > 0) & (merged[f"{ind.denominator}_now"] > 0)]

    def pct(suffix: str) -> float | None:
        den = float(both[f"{ind.denominator}_{suffix}"].sum())
        return 100 * float(both[f"{ind.numerator}_{suffix}"].sum()) / den if den else None

    return GroupChange(
        kecamatan=len(both),
        base_n=int(both[f"{ind.denominator}_base"].sum()),
        now_n=int(both[f"{ind.denominator}_now"].sum()),
        base_pct=pct("base"),
        now_pct=pct("now"),
    )


def evaluate_prioritisation(
    base: pd.DataFrame, now: pd.DataFrame, priority: set[str], excluded: set[str] = frozenset()
) -> list[IndicatorResult]:
    """base, now: one row per kecamatan (code and the EVALUATED counts). ``priority``: codes marked
    from the date; ``excluded``: kecamatan marked at another date, in neither group."""
    codes = set(now["code"]) | set(base["code"])
    others = codes - set(priority) - set(excluded)
    return [
        IndicatorResult(ind, _group(base, now, set(priority), ind), _group(base, now, others, ind)) for ind in EVALUATED
    ]


def evaluation_table(results: list[IndicatorResult], base_label: str, now_label: str) -> pd.DataFrame:
    """Indonesian table: one row per indicator and group, with n."""
    rows = []
    for result in results:
        for group_label, group in (("Prioritas", result.priority), ("Lainnya", result.others)):
            rows.append(
                {
                    "Indikator": result.indicator.label,
                    "Kelompok": group_label,
                    "Kecamatan (n)": group.kecamatan,
                    "n menghitung": result.indicator.unit_label,
                    f"n {base_label}": group.base_n,
                    f"n {now_label}": group.now_n,
                    f"{base_label} (%)": group.base_pct,
                    f"{now_label} (%)": group.now_pct,
                    "Perubahan (poin)": group.change,
                    "Selisih perubahan (poin)": result.difference if group_label == "Prioritas" else None,
                }
            )
    table = pd.DataFrame(rows)
    numbers = [c for c in table.columns if c.endswith("(%)") or c.endswith("(poin)")]
    table[numbers] = table[numbers].astype("float64")  # NaN, shown as "–", never None
    return table
