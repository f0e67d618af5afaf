"""Bound values for the page queries: month windows, and only the parameters a statement names."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


def bind(sql: str, params: dict) -> dict:
    """The parameters `sql` names; DuckDB rejects a statement given unused named parameters."""
    names = set(_PARAMETER.findall(sql))
    return {name: value for name, value in params.items() if name in names}


def months_before(month: date, months: int) -> date:
    """First day of the month `months` months before `month` (months_before(Oct 2025, 2) = Aug 2025)."""
    return (pd.Timestamp(month).replace(day=1) - pd.DateOffset(months=months)).date()


def month_end(month: date) -> date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
