"""Rounding numbers in tables the way formatting.format_number shows them (half up).

pandas and numpy round half to even on the binary float (60.25 -> 60.2) while the text in
the same page says "60,3": tables use this so both agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd


def round_half_up(values: pd.Series | np.ndarray | list, decimals: int = 1) -> pd.Series:
    """Each value rounded half up at its shortest decimal representation; missing stays NaN."""
    series = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    step = Decimal(1).scaleb(-decimals)

    def one(x: float) -> float:
        if not np.isfinite(x):
            return np.nan
        return float(Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP))

    return series.map(one)
