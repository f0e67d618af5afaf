"""The targets register: one row per indicator, year, level (and area) with its source.

`data/reference/targets.csv` ships the national path; a `targets.csv` (or `target*.csv`)
in the source folder adds Kukar's own targets (RPJMD/RKPD) or replaces a shipped row with
the same indicator, year, level and area. A row without a source, with a value outside
0-100 or an unknown level stops the build: a target nobody can trace is not shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pandas as pd

from etl.config import REPO_DIR

SHIPPED_TARGETS: Final = REPO_DIR / "data" / "reference" / "targets.csv"
TARGET_COLUMNS: Final = ("indicator", "year", "value_pct", "level", "area_code", "source")
LEVELS: Final = ("nasional", "provinsi", "kabupaten")
INDICATORS: Final = ("stunting", "severe_stunting", "wasting", "severe_wasting", "underweight", "overweight")
_KEY: Final = ["indicator", "year", "level", "area_code"]


class TargetError(ValueError):
    """A target row that cannot be loaded; the message is for the user (Bahasa)."""


def read_targets(source_dir: Path | None = None) -> pd.DataFrame:
    """The shipped register, then the source folder's rows (which win on the same key)."""
    frames = [_read_target_file(SHIPPED_TARGETS)]
    if source_dir is not None and source_dir.is_dir():
        frames += [_read_target_file(path) for path in sorted(source_dir.glob("target*.csv"))]
    targets = pd.concat(frames, ignore_index=True)
    targets = targets.drop_duplicates(_KEY, keep="last")
    return targets.sort_values(_KEY, kind="stable").reset_index(drop=True)


def _read_target_file(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python", encoding="utf-8-sig")
    frame.columns = [column.strip().lower() for column in frame.columns]
    missing = [column for column in TARGET_COLUMNS if column not in frame.columns]
    if missing:
        raise TargetError(f"{path.name}: kolom {', '.join(missing)} tidak ada")
    frame = frame.loc[:, list(TARGET_COLUMNS)].apply(lambda column: column.str.strip())
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        where = f"{path.name} baris {number}"
        if not row.source:
            raise TargetError(f"{where}: target tanpa sumber tidak dimuat")
        if row.indicator not in INDICATORS:
            raise TargetError(f"{where}: indikator '{row.indicator}' tidak dikenal")
        if row.level not in LEVELS:
            raise TargetError(f"{where}: level '{row.level}' bukan salah satu dari {', '.join(LEVELS)}")
        value = pd.to_numeric(row.value_pct.replace(",", "."), errors="coerce")
        if pd.isna(value) or not 0 <= value <= 100:
            raise TargetError(f"{where}: nilai target '{row.value_pct}' bukan persen 0–100")
        if not row.year.isdigit():
            raise TargetError(f"{where}: tahun '{row.year}' tidak sah")
    return pd.DataFrame(
        {
            "indicator": frame["indicator"],
            "year": frame["year"].astype("int64"),
            "value_pct": pd.to_numeric(frame["value_pct"].str.replace(",", ".")),
            "level": frame["level"],
            "area_code": frame["area_code"].mask(frame["area_code"] == ""),
            "source": frame["source"],
        }
    )
