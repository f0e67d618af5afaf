"""Which day a posyandu master describes, so every master received is kept as a snapshot
and registration status can be followed month by month."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pandas as pd

# posyandu_2025-06-30.xlsx, posyandu 2025-06.csv, master_posyandu_202506.xlsx
_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d)[-_ .]?(0[1-9]|1[0-2])(?:[-_ .]?([0-3]\d))?(?!\d)")


def date_from_file_name(name: str) -> date | None:
    """The date written in a file name; a month alone means its last day (the state at month end)."""
    match = _DATE_IN_NAME.search(name)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    last = calendar.monthrange(year, month)[1]
    day = int(match.group(3)) if match.group(3) else last
    return date(year, month, day) if 1 <= day <= last else None


def stamp_snapshot_dates(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """Fill a blank ``snapshot_date`` from the file name (a ``Tanggal Data`` column wins)."""
    if "snapshot_date" not in frame.columns or not len(frame):
        return frame
    named = date_from_file_name(file_name)
    if named is None:
        return frame
    out = frame.copy()
    out["snapshot_date"] = pd.to_datetime(out["snapshot_date"]).fillna(pd.Timestamp(named))
    return out


def resolve_undated_snapshots(frame: pd.DataFrame, latest_data_month: date | None, today: date) -> pd.DataFrame:
    """An undated master is the newest one received: it describes the end of the latest month
    of activity data (monthly report, SPM services), or today without any, and never a day
    before a dated snapshot."""
    if "snapshot_date" not in frame.columns or not len(frame):
        return frame
    dates = pd.to_datetime(frame["snapshot_date"])
    if dates.notna().all():
        return frame
    if latest_data_month is not None:
        last = calendar.monthrange(latest_data_month.year, latest_data_month.month)[1]
        undated = pd.Timestamp(date(latest_data_month.year, latest_data_month.month, last))
    else:
        undated = pd.Timestamp(today)
    if dates.notna().any():
        undated = max(undated, dates.max() + pd.Timedelta(days=1))
    out = frame.copy()
    out["snapshot_date"] = dates.fillna(undated)
    return out
