"""Indonesian (id_ID) display of numbers, percentages, dates and month axes.

Everything a user reads goes through here so that the dashboard, the exported
charts and the rapat pack all write "1.234,5", "14,9%" and "Oktober 2025".
Missing values (None, NaN, NaT, pd.NA) are shown as an en dash.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date as _babel_format_date
from babel.dates import get_month_names

LOCALE = "id_ID"
MISSING = "–"
# plotly's layout.separators: decimal mark first, then the thousands mark.
PLOTLY_SEPARATORS = ",."

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def is_missing(x: Any) -> bool:
    """True for None, NaN, NaT and pd.NA; False for anything else, including ""."""
    if x is None:
        return True
    if isinstance(x, str | bytes):
        return False
    try:
        result = pd.isna(x)
    except (TypeError, ValueError):
        return False
    return isinstance(result, bool | np.bool_) and bool(result)


def _round_half_up(x: Any, decimals: int) -> Decimal:
    # Babel, pandas and numpy round half-even on the binary float (60.25 -> 60.2); users
    # expect 14,85 -> 14,9, so the shortest decimal repr of the float is rounded half-up.
    # The one rounding of the dashboard: texts and table cells go through here and agree.
    if isinstance(x, Decimal):
        value = x
    elif isinstance(x, int | np.integer):
        value = Decimal(int(x))
    else:
        value = Decimal(repr(float(x)))
    return value.quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=1 << 16)
def _rounded_float(text: str, decimals: int) -> float:
    # Keyed on the float's repr: pages round the same few thousand values on every rerun.
    return float(Decimal(text).quantize(Decimal(10) ** -decimals, rounding=ROUND_HALF_UP))


def round_half_up(values: pd.Series | np.ndarray | list, decimals: int = 1) -> pd.Series:
    """Each value rounded as `format_number` shows it (half up); a missing, infinite or
    non-numeric value (a suppressed cell "<5") gives NaN."""
    numbers = _as_floats(values)
    rounded = np.full(len(numbers), np.nan)
    finite = np.isfinite(numbers)
    rounded[finite] = [_rounded_float(repr(x), decimals) for x in numbers[finite].tolist()]
    if isinstance(values, pd.Series):
        return pd.Series(rounded, index=values.index, name=values.name)
    return pd.Series(rounded)


def _as_floats(values: pd.Series | np.ndarray | list) -> np.ndarray:
    try:  # numbers, with None or NaN for missing: numpy reads them at once
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):  # text such as "<5", or pd.NA: value by value
        return np.array([_as_float(x) for x in values])


def _as_float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


_TO_INDONESIAN = str.maketrans({",": ".", ".": ","})


def format_number(x: Any, decimals: int = 0) -> str:
    """1234.5 -> "1.234,5" (decimals=1); None/NaN -> "–".

    Text that is not a number (such as a suppressed cell "<5") is returned as is.
    """
    if is_missing(x):
        return MISSING
    try:
        value = _round_half_up(x, decimals)
    except (InvalidOperation, TypeError, ValueError, OverflowError):
        return x if isinstance(x, str) else MISSING
    if not value.is_finite():
        return MISSING
    if value == 0:
        value = abs(value)  # no "-0,0"
    # id_ID is "#,##0.0" with "." for thousands and "," for decimals (babel's pattern,
    # checked in the tests); Python's own formatting of the rounded Decimal is ~50x faster
    # than babel's, which matters for tables of thousands of cells.
    return f"{value:,.{decimals}f}".translate(_TO_INDONESIAN)


_RUPIAH_UNITS = ((1e12, "T"), (1e9, "M"), (1e6, "jt"), (1e3, "rb"))  # triliun, miliar, juta, ribu


def format_rupiah(x: Any) -> str:
    """Rupiah as read aloud in a rapat: 12_500_000 -> "Rp 12,5 jt", 1.2e9 -> "Rp 1,2 M",
    150_000 -> "Rp 150 rb", 850 -> "Rp 850"; one decimal, none when it is ",0"; missing -> "–"."""
    if is_missing(x) or isinstance(x, str):
        return MISSING if is_missing(x) else x
    value = float(x)
    sign = "-" if value < 0 else ""
    size = abs(value)
    units = [(step, unit) for step, unit in reversed(_RUPIAH_UNITS) if size >= step]  # smallest first
    if not units:
        return f"{sign}Rp {format_number(size)}"
    step, unit = units[-1]
    bigger = [(s, u) for s, u in _RUPIAH_UNITS if s > step]
    if bigger and _round_half_up(size / step, 1) >= 1000:  # 999.950 -> "1 jt", not "1.000 rb"
        step, unit = bigger[-1]
    return f"{sign}Rp {format_number(size / step, 1).removesuffix(',0')} {unit}"


def format_percent(x_pct: Any, decimals: int = 1) -> str:
    """A value already in percent units: 14.9 -> "14,9%"."""
    if isinstance(x_pct, str):
        return x_pct
    text = format_number(x_pct, decimals)
    return text if text == MISSING else f"{text}%"


def format_share(fraction: Any, decimals: int = 1) -> str:
    """A share as a fraction of 1: 0.149 -> "14,9%"; missing -> "–"; text as given."""
    as_text = isinstance(fraction, str) or is_missing(fraction)
    return format_percent(fraction if as_text else float(fraction) * 100, decimals)


def _to_date(d: Any) -> dt.date | None:
    if is_missing(d):
        return None
    if isinstance(d, pd.Timestamp):
        return d.date()
    if isinstance(d, dt.datetime):
        return d.date()
    if isinstance(d, dt.date):
        return d
    try:
        ts = pd.Timestamp(d)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts.date()


def format_date(d: Any) -> str:
    """date(2025, 9, 18) -> "18 September 2025"; also datetimes, Timestamps, ISO strings."""
    day = _to_date(d)
    if day is None:
        return MISSING
    return _babel_format_date(day, "d MMMM y", locale=LOCALE)


def format_month(d: Any) -> str:
    """Any day in October 2025 -> "Oktober 2025"."""
    day = _to_date(d)
    if day is None:
        return MISSING
    return f"{month_name(day.month)} {day.year}"


def month_name(m: int, abbreviated: bool = False) -> str:
    """1 -> "Januari" (or "Jan" when abbreviated); 8 abbreviated -> "Agu"."""
    if not 1 <= int(m) <= 12:
        raise ValueError(f"month must be 1..12, got {m!r}")
    names = get_month_names("abbreviated" if abbreviated else "wide", locale=LOCALE)
    return str(names[int(m)])


def _month_starts(dates: Iterable[Any]) -> list[dt.date]:
    months = set()
    for d in dates:
        day = _to_date(d)
        if day is not None:
            months.add(day.replace(day=1))
    return sorted(months)


def indonesian_month_ticks(
    dates: Iterable[Any], max_ticks: int = 12, abbreviated: bool = True
) -> tuple[list[dt.date], list[str]]:
    """Tick positions (first day of each month) and Indonesian labels for a plotly date axis.

    The year is written under the first tick and under every January
    ("Okt<br>2025", "Nov", "Des", "Jan<br>2026"). With more months than
    max_ticks, every k-th month is labelled so the axis stays legible.
    """
    months = _month_starts(dates)
    if not months:
        return [], []
    first, last = months[0], months[-1]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = max(1, math.ceil(span / max(1, max_ticks)))
    if step > 1:
        # Nice steps keep ticks on quarters or half-years, not on odd months.
        step = next((s for s in (2, 3, 4, 6, 12) if s >= step), 12 * math.ceil(step / 12))
    ticks: list[dt.date] = []
    year, month = first.year, first.month
    for i in range(span):
        if i % step == 0:
            ticks.append(dt.date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    labels = []
    previous_year = None
    for tick in ticks:
        name = month_name(tick.month, abbreviated=abbreviated)
        labels.append(name if tick.year == previous_year else f"{name}<br>{tick.year}")
        previous_year = tick.year
    return ticks, labels


def looks_like_dates(values: Any) -> bool:
    if values is None:
        return False
    try:
        series = pd.Series(list(values) if not isinstance(values, pd.Series) else values)
    except TypeError:
        return False
    series = series.dropna()
    if series.empty:
        return False
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    sample = series.iloc[: min(len(series), 1000)]
    return all(_is_date_like(v) for v in sample)


def _is_date_like(value: Any) -> bool:
    """Dates, timestamps, numpy datetimes and ISO date strings, possibly mixed in one axis
    (a routine monthly series beside survey points given as "2024-07-01")."""
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        return True
    return isinstance(value, str) and bool(_ISO_DATE.match(value))


def _axis_values(fig: Any, axis_letter: str) -> dict[str, list[Any]]:
    """Values on each x (or y) axis of the figure, keyed by layout name (xaxis, xaxis2...)."""
    per_axis: dict[str, list[Any]] = {}
    for trace in fig.data:
        values = getattr(trace, axis_letter, None)
        if values is None:
            continue
        ref = getattr(trace, f"{axis_letter}axis", None) or axis_letter
        layout_name = f"{axis_letter}axis{ref[1:]}"
        per_axis.setdefault(layout_name, []).extend(list(values))
    return per_axis


def apply_indonesian_layout(fig: Any, max_ticks: int = 12) -> Any:
    """Indonesian separators and month names on a plotly figure; returns the same figure.

    Date axes (declared type="date", or holding dates) get explicit Indonesian
    month ticks, because plotly.js writes English month names otherwise. Axes
    that already carry explicit tick text are left alone.
    """
    fig.update_layout(separators=PLOTLY_SEPARATORS)
    for letter in ("x", "y"):
        for layout_name, values in _axis_values(fig, letter).items():
            axis = fig.layout[layout_name] if layout_name in fig.layout else None
            if axis is None:
                continue
            if axis.ticktext is not None or axis.type not in (None, "-", "date"):
                continue
            if axis.type != "date" and not looks_like_dates(values):
                continue
            tickvals, ticktext = indonesian_month_ticks(values, max_ticks=max_ticks)
            if tickvals:
                axis.update(type="date", tickmode="array", tickvals=tickvals, ticktext=ticktext)
    return fig


def source_note(sources: str, as_of: object) -> str:
    """The standard source line: "Sumber: …, data per 31 Oktober 2025, diolah DPMD Kukar"."""
    return f"Sumber: {sources}, data per {format_date(as_of)}, diolah DPMD Kukar"


# --- table cells: one rule for the screen and the spreadsheet -------------------------------


@dataclass(frozen=True)
class NumberStyle:
    """How a numeric table column reads: decimals, and whether the value is in percent units
    (24.9 -> "24,9%"). The screen and the Excel download take the same style."""

    decimals: int = 0
    percent: bool = False
    grouping: bool = True  # False for a year: 2025, not 2.025

    def format(self, value: Any) -> str:
        text = format_number(value, self.decimals)
        if not self.grouping:
            text = text.replace(".", "")
        return f"{text}%" if self.percent and text != MISSING else text

    def excel_format(self) -> str:
        """Excel's own (locale-independent) code; Indonesian Excel shows it as 1.234,5 and 24,9%."""
        digits = "." + "0" * self.decimals if self.decimals else ""
        if self.percent:
            return f"0{digits}%"
        return f"#,##0{digits}" if self.grouping else f"0{digits}"


# A header naming a percent: "Prevalensi", "D/S (%)", "Cakupan (%, Oktober 2025)", "persen".
_PERCENT_HEADER = re.compile(r"%|persen|prevalensi|\bpct\b", re.IGNORECASE)
# A header naming a year ("Tahun indeks", "Tahun"): digits without a thousands mark.
_YEAR_HEADER = re.compile(r"\btahun\b|\byear\b", re.IGNORECASE)
# A header naming a change in percentage points ("Δ Stunting (poin, …)"): a number, not a percent.
_POINTS_HEADER = re.compile(r"\bpoin\b", re.IGNORECASE)


def is_number_column(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def infer_number_style(name: Any, series: pd.Series) -> NumberStyle:
    """Whole numbers without decimals; other numbers with one decimal (two below 2, such as an
    SD of z-scores or a 0-1 index); a column whose header names a percent reads "24,9%"."""
    percent = bool(_PERCENT_HEADER.search(str(name))) and not _POINTS_HEADER.search(str(name))
    if percent:
        return NumberStyle(1, True)
    # numpy, not pandas: this runs for every number column of every table on every rerun
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    magnitudes = np.abs(numbers[np.isfinite(numbers)])
    largest = float(magnitudes.max()) if magnitudes.size else 0.0
    whole = bool(np.all(magnitudes == np.floor(magnitudes)))
    if _YEAR_HEADER.search(str(name)) and whole and largest < 10_000:
        return NumberStyle(0, grouping=False)
    if pd.api.types.is_integer_dtype(series) or whole:
        return NumberStyle(0)
    return NumberStyle(2 if largest < 2 else 1)


def number_styles(frame: pd.DataFrame, overrides: Mapping[str, NumberStyle] | None = None) -> dict[Any, NumberStyle]:
    """The style of each numeric column of a table, inferred unless named in overrides."""
    given = dict(overrides or {})
    return {
        column: given.get(column) or infer_number_style(column, frame[column])
        for column in frame.columns
        if is_number_column(frame[column])
    }


def format_cells(series: pd.Series, style: NumberStyle | None = None) -> list[str]:
    """Every cell of a column as a user reads it; missing cells are "–", never None/nan/NaT.

    Numbers go through the one half-up rounding (cached per value, so a rerun is cheap).
    """
    if style is not None:
        rounded = round_half_up(series, style.decimals).to_numpy()
        suffix = "%" if style.percent else ""
        pattern = f"{{:{',' if style.grouping else ''}.{style.decimals}f}}"
        return [
            MISSING if value != value else pattern.format(value + 0.0).translate(_TO_INDONESIAN) + suffix
            for value in rounded.tolist()
        ]
    if pd.api.types.is_datetime64_any_dtype(series):
        seen: dict[Any, str] = {}
        return [seen.setdefault(v, format_date(v)) if not is_missing(v) else MISSING for v in series.tolist()]
    return [_format_object_cell(v) for v in series.tolist()]


def _format_object_cell(value: Any) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "Ya" if value else "Tidak"
    if isinstance(value, int | np.integer):
        return format_number(value)
    if isinstance(value, float | np.floating):
        return format_number(value, 0 if float(value).is_integer() else 1)
    if isinstance(value, dt.date | pd.Timestamp):
        return format_date(value)
    return str(value)
