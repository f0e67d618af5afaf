"""Norms and settings that are not a numeric target (data/reference/norms.csv), each with its
source: the registration deadline and whether pengurus count toward the kader norm. Loaded
into the warehouse (ref_norm). Numeric targets and norms are in data/reference/targets.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

NORMS_FILE = Path(__file__).resolve().parents[1] / "data" / "reference" / "norms.csv"
NORM_COLUMNS = ("key", "value", "unit", "label", "source", "source_kind", "note")
# The kader minimum itself (15) is in the targets register, data/reference/targets.csv.
REQUIRED_NORMS = ("kader_norm_counts_pengurus", "registration_deadline")


def read_norms(path: Path = NORMS_FILE) -> pd.DataFrame:
    """The norms table as text columns; every required norm present once, each with a source."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing_columns = [c for c in NORM_COLUMNS if c not in frame.columns]
    if missing_columns:
        raise ValueError(f"{path.name}: kolom tidak ada: {', '.join(missing_columns)}")
    frame = frame[list(NORM_COLUMNS)]
    missing = [k for k in REQUIRED_NORMS if (frame["key"] == k).sum() != 1]
    if missing:
        raise ValueError(f"{path.name}: norma harus ada tepat satu kali: {', '.join(missing)}")
    unsourced = frame.loc[frame["source"].str.strip() == "", "key"].tolist()
    if unsourced:
        raise ValueError(f"{path.name}: norma tanpa sumber: {', '.join(unsourced)}")
    return frame.reset_index(drop=True)
