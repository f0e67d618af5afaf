"""Data-quality indicators of the measurements (WHO/UNICEF recommendations) and their ratings.

The thresholds live in `QUALITY_RULES` and are printed on the Stunting page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

GOOD, WATCH, PROBLEM, TOO_FEW = "Baik", "Perlu perhatian", "Bermasalah", "Belum dinilai"


@dataclass(frozen=True)
class QualityRule:
    """How one indicator is rated; ``good`` and ``watch`` are (low, high) ranges, high exclusive."""

    key: str
    label: str
    unit: str  # "%" for shares (values in percent), "" for SDs and indices
    good: tuple[float, float]
    watch: tuple[tuple[float, float], ...]
    min_n: int
    basis: str  # where the thresholds come from, shown on the page

    def rate(self, value: float, n: float) -> str:
        if n < self.min_n or value is None or (isinstance(value, float) and math.isnan(value)):
            return TOO_FEW
        low, high = self.good
        if low <= value < high:
            return GOOD
        if any(lo <= value < hi for lo, hi in self.watch):
            return WATCH
        return PROBLEM

    def describe(self) -> str:
        """The thresholds in Bahasa ("Baik < 1%; Perlu perhatian 1–2%; Bermasalah ≥ 2%"), lower bounds included."""
        from dashboard.formatting import format_number

        def num(x: float, unit: bool = True) -> str:
            return format_number(x, 0 if float(x).is_integer() else 1) + (self.unit if unit else "")

        def span(lo: float, hi: float) -> str:
            if lo <= 0:
                return f"< {num(hi)}"
            if math.isinf(hi):
                return f"≥ {num(lo)}"
            return f"{num(lo, unit=False)}–{num(hi)}"

        covered = sorted([self.good, *self.watch])
        problem, start = [], 0.0
        for lo, hi in covered:
            if lo > start:
                problem.append((start, lo))
            start = max(start, hi)
        if not math.isinf(start):
            problem.append((start, math.inf))
        return (
            f"Baik {span(*self.good)}; Perlu perhatian {' atau '.join(span(*w) for w in self.watch)}; "
            f"Bermasalah {' atau '.join(span(*p) for p in problem)}"
        )


INF = math.inf
QUALITY_RULES: dict[str, QualityRule] = {
    rule.key: rule
    for rule in (
        QualityRule(
            "flagged",
            "Data ditandai tidak masuk akal (flag WHO, TB/U, BB/U atau BB/TB)",
            "%",
            (0, 1),
            ((1, 2),),
            30,
            "WHO–UNICEF 2019: di atas 1% menandakan masalah pengukuran atau tanggal lahir",
        ),
        QualityRule(
            "sd_haz",
            "SD z-skor TB/U (nilai masuk akal)",
            "",
            (0.8, 1.2),
            ((0.7, 0.8), (1.2, 1.5)),
            30,
            "WHO–UNICEF 2019/WHO Anthro: SD sekitar 1 (0,8–1,2); makin lebar makin besar galat ukur",
        ),
        QualityRule(
            "sd_whz",
            "SD z-skor BB/TB (nilai masuk akal)",
            "",
            (0.8, 1.2),
            ((0.7, 0.8), (1.2, 1.5)),
            30,
            "WHO–UNICEF 2019/WHO Anthro: SD sekitar 1 (0,8–1,2)",
        ),
        QualityRule(
            "weight_digit",
            "Preferensi angka terakhir berat (indeks ketidaksamaan)",
            "",
            (0, 10),
            ((10, 20),),
            200,
            "Ambang kerja dasbor: indeks 0 = tiap angka 0–9 muncul 10%; di bawah 200 anak derau acak sudah sekitar 8",
        ),
        QualityRule(
            "height_digit",
            "Preferensi angka terakhir tinggi (indeks ketidaksamaan)",
            "",
            (0, 10),
            ((10, 20),),
            200,
            "Ambang kerja dasbor, sama dengan berat",
        ),
        QualityRule(
            "birth_day_heaping",
            "Tanggal lahir menumpuk di tanggal 1 dan 15",
            "%",
            (0, 10),
            ((10, 20),),
            100,
            "Ambang kerja dasbor: tanpa penumpukan sekitar 6,6% anak lahir pada tanggal 1 atau 15",
        ),
        QualityRule(
            "position",
            "Cara ukur tidak sesuai umur atau tidak dicatat",
            "%",
            (0, 5),
            ((5, 15),),
            30,
            "Ambang kerja dasbor; aturan WHO: terlentang di bawah 24 bulan, berdiri sejak 24 bulan",
        ),
        QualityRule(
            "inconsistent",
            "Tanggal lahir atau jenis kelamin berbeda antar-catatan anak yang sama",
            "%",
            (0, 1),
            ((1, 5),),
            30,
            "Ambang kerja dasbor",
        ),
    )
}


def dissimilarity_index(counts: Sequence[float] | np.ndarray) -> float:
    """Index of dissimilarity (0-100) of terminal digits 0-9 against 10% each; NaN with no data."""
    values = np.asarray(counts, dtype=float)
    total = values.sum()
    if total <= 0:
        return math.nan
    return float(50 * np.abs(values / total - 0.1).sum())


def digit_counts(totals: pd.Series, measure: str) -> np.ndarray:
    """Counts of terminal digits 0..9 of "weight" or "height" from a data-quality row."""
    return np.array([float(totals.get(f"{measure}_digit_{d}", 0)) for d in range(10)])


def _share(part: float, whole: float) -> float:
    return 100 * part / whole if whole else math.nan


def _sd(n: float, total: float, total_sq: float) -> float:
    if n < 2:
        return math.nan
    return math.sqrt(max(total_sq - total**2 / n, 0) / (n - 1))


def compute_quality_indicators(totals: pd.Series) -> dict[str, tuple[float, float]]:
    """Each rated indicator as (value, n) from summed data-quality counts."""
    children = float(totals.get("children", 0))
    weight, height = digit_counts(totals, "weight"), digit_counts(totals, "height")
    off_protocol = (
        totals.get("measure_missing", 0)
        + totals.get("lying_from_24_months", 0)
        + totals.get("standing_under_24_months", 0)
    )
    return {
        "flagged": (_share(totals.get("any_flagged", 0), totals.get("n_any_z", 0)), float(totals.get("n_any_z", 0))),
        "sd_haz": (
            _sd(totals.get("n_haz_plausible", 0), totals.get("sum_haz", 0), totals.get("sum_haz_sq", 0)),
            float(totals.get("n_haz_plausible", 0)),
        ),
        "sd_whz": (
            _sd(totals.get("n_whz_plausible", 0), totals.get("sum_whz", 0), totals.get("sum_whz_sq", 0)),
            float(totals.get("n_whz_plausible", 0)),
        ),
        "weight_digit": (dissimilarity_index(weight), float(weight.sum())),
        "height_digit": (dissimilarity_index(height), float(height.sum())),
        "birth_day_heaping": (_share(totals.get("born_on_1st", 0) + totals.get("born_on_15th", 0), children), children),
        "position": (_share(off_protocol, children), children),
        "inconsistent": (_share(totals.get("inconsistent_child", 0), children), children),
    }


def rate_quality(totals: pd.Series) -> pd.DataFrame:
    """One row per rated indicator: key, label, value, n, rating, thresholds, basis."""
    rows = []
    for key, (value, n) in compute_quality_indicators(totals).items():
        rule = QUALITY_RULES[key]
        rows.append(
            {
                "key": key,
                "label": rule.label,
                "unit": rule.unit,
                "value": value,
                "n": n,
                "rating": rule.rate(value, n),
                "thresholds": rule.describe(),
                "basis": rule.basis,
            }
        )
    return pd.DataFrame(rows)


def compute_export_differences(totals: pd.Series) -> pd.DataFrame:
    """How often the export's z-scores differ from ours by more than 0.1: indicator, compared, differs, share (%)."""
    rows = []
    for key, label in (("haz", "TB/U"), ("waz", "BB/U"), ("whz", "BB/TB")):
        compared = float(totals.get(f"n_export_{key}", 0))
        differs = float(totals.get(f"export_{key}_differs", 0))
        rows.append({"indicator": label, "compared": compared, "differs": differs, "share": _share(differs, compared)})
    return pd.DataFrame(rows)
