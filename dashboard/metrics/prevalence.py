"""Prevalence of a yes/no indicator among measured children: share, interval, ranks.

Pure: frames of counts in, frames with `prevalence`, `ci_low`, `ci_high` (fractions) and ranks out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.catalogue.indicators import MIN_CHILDREN_FOR_RANK

NOT_RANKED_LABEL = f"n < {MIN_CHILDREN_FOR_RANK}"
WILSON_Z = 1.96
HAZ_BIN_WIDTH = 0.25


def wilson_interval(
    events: Sequence[float] | np.ndarray | pd.Series, n: Sequence[float] | np.ndarray | pd.Series, z: float = WILSON_Z
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of events/n as fractions; NaN where n is 0."""
    k = np.asarray(events, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, k / total, np.nan)
        denominator = 1 + z**2 / total
        centre = (p + z**2 / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    return centre - half, centre + half


def with_prevalence(frame: pd.DataFrame) -> pd.DataFrame:
    """Prevalence from the counts. The 95% interval is the design-based one the marts carry
    (WHO's method, computed at build time: `ci_low`, `ci_high` in the frame), left empty
    where there is none (a posyandu is one cluster)."""
    frame = frame.copy()
    for column in ("children_measured", "n_haz", "stunted", "severely_stunted"):
        if column in frame:
            frame[column] = frame[column].fillna(0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["prevalence"] = np.where(
            frame["n_haz"] > 0, frame["stunted"] / frame["n_haz"].where(frame["n_haz"] > 0), np.nan
        )
    for column in ("ci_low", "ci_high"):
        frame[column] = frame[column].astype("float64") if column in frame else np.nan
    return frame


def add_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank by prevalence (1 = highest) only where the catalogue's ranking minimum of children was measured."""
    frame = frame.copy()
    rankable = frame["n_haz"] >= MIN_CHILDREN_FOR_RANK
    ranks = frame.loc[rankable, "prevalence"].rank(method="min", ascending=False)
    frame["rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame.loc[rankable, "rank"] = ranks.astype("int64").to_numpy()
    frame["rank_label"] = np.where(
        rankable,
        frame["rank"].astype("string").fillna(""),
        np.where(frame["n_haz"] > 0, NOT_RANKED_LABEL, "tidak ada data"),
    )
    return frame
