"""Tables leaving the dashboard as CSV or Excel: spreadsheet formulas neutralised, small child counts suppressed."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.export.indicator_text import child_rate_words, table_footnotes
from dashboard.formatting import (
    NumberStyle,
    format_number,
    infer_number_style,
    is_missing,
)
from dashboard.theme import (
    MUTED_TEXT_COLOR,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text starting with = + - @ tab or CR gets a leading apostrophe.

    Spreadsheet programs run such text as a formula (OWASP "CSV injection");
    column names are treated the same way.
    """

    def neutralise(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            return "'" + value
        return value

    out = df.copy()
    out.columns = [neutralise(c) for c in out.columns]
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(neutralise).astype(object)
    return out


def suppress_small_cells(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int = 5,
    dependent_columns: Sequence[str] | Mapping[str, Sequence[str]] = (),
) -> pd.DataFrame:
    """Hide counts from 1 to threshold - 1 (shown as "<5") and what could reveal them.

    dependent_columns are values computed from the counts (rates, percentages):
    given as a list, they are blanked on every row where any count was hidden;
    given as a mapping {rate_column: [count columns it is computed from]},
    only when one of its own counts was hidden. Zero is not hidden.
    """
    missing = [c for c in count_columns if c not in df.columns]
    if isinstance(dependent_columns, Mapping):
        missing += [c for c in dependent_columns if c not in df.columns]
        missing += [s for sources in dependent_columns.values() for s in sources if s not in count_columns]
    else:
        missing += [c for c in dependent_columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the table or not among count_columns: {missing}")

    out = df.copy()
    hidden = pd.DataFrame(False, index=df.index, columns=list(count_columns))
    for column in count_columns:
        numbers = pd.to_numeric(df[column], errors="coerce")
        small = (numbers >= 1) & (numbers < threshold)
        hidden[column] = small.fillna(False)
        values = df[column].astype(object)
        values[hidden[column]] = f"<{threshold}"
        out[column] = values
    if isinstance(dependent_columns, Mapping):
        rules = {rate: list(sources) for rate, sources in dependent_columns.items()}
    else:
        rules = {rate: list(count_columns) for rate in dependent_columns}
    for rate, sources in rules.items():
        blank = hidden[sources].any(axis=1)
        values = out[rate].copy()
        if pd.api.types.is_float_dtype(values):
            values[blank] = np.nan
        else:
            values = values.astype(object)
            values[blank] = None
        out[rate] = values
    return out


_CHILD_COUNT = re.compile(r"balita|anak", re.IGNORECASE)


def _child_rate() -> re.Pattern[str]:
    """Column names of rates counted in children, from the catalogue (stunting, wasting, …)."""
    return re.compile("|".join(re.escape(word) for word in child_rate_words()), re.IGNORECASE)


def suppress_child_cells(df: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """The export guard every table gets: child counts of 1 to threshold - 1 become "<5",
    and a child rate (stunting %, …) is blanked where it implies 1 to 4 children
    (rate × the row's children measured), since the rate would reveal the count.

    Child count columns are recognised by name ("Balita diukur", "n (balita diukur)");
    child rate columns by a percent column naming a nutrition indicator.
    """
    counts = [
        c
        for c in df.columns
        if _CHILD_COUNT.search(str(c)) and "%" not in str(c) and pd.api.types.is_numeric_dtype(df[c])
    ]
    child_rate = _child_rate()
    rates = [
        c for c in df.columns if "%" in str(c) and child_rate.search(str(c)) and pd.api.types.is_numeric_dtype(df[c])
    ]
    if not counts:
        return df
    out = df.copy()
    denominator = pd.to_numeric(df[counts[0]], errors="coerce")
    for rate in rates:
        implied = (pd.to_numeric(df[rate], errors="coerce") / 100 * denominator).round()
        revealing = ((implied >= 1) & (implied < threshold)) | ((denominator >= 1) & (denominator < threshold))
        out[rate] = out[rate].astype("float64").mask(revealing.fillna(False))
    return suppress_small_cells(out, counts, threshold=threshold)


def _prepare_table(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df.index, pd.RangeIndex) or any(name is not None for name in df.index.names):
        df = df.reset_index()
    df = df.copy()
    for column in df.columns:
        if pd.api.types.is_bool_dtype(df[column]):
            df[column] = df[column].map({True: "Ya", False: "Tidak"}).astype(object)
    return neutralise_formulas(df)


def table_to_csv(df: pd.DataFrame) -> bytes:
    """CSV that Excel with Indonesian settings opens in columns: UTF-8 with BOM, ";" and decimal comma."""
    table = _prepare_table(df)
    for column in table.columns:
        series = table[column]
        if pd.api.types.is_object_dtype(series):
            # decimal="," only reaches float columns; mixed columns are done here.
            table[column] = series.map(
                lambda v: repr(v).replace(".", ",") if isinstance(v, float) and math.isfinite(v) else v
            )
    text = table.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


_EXCEL_MAX_ROWS = 1_048_576


def _excel_sheet_name(title: str) -> str:
    name = re.sub(r"[\[\]:*?/\\']", " ", title).strip() or "Tabel"
    return name[:31]


def _column_style(label: str, series: pd.Series, styles: Mapping[str, NumberStyle]) -> NumberStyle | None:
    """The column's style as shown on screen; for a column made text by suppression ("<5"
    beside counts), inferred from the numbers left in it."""
    if label in styles:
        return styles[label]
    numbers = pd.to_numeric(
        pd.Series(
            [v for v in series if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)]
        ),
        errors="coerce",
    ).dropna()
    return infer_number_style(label, numbers) if len(numbers) else None


def table_to_xlsx(
    df: pd.DataFrame,
    title: str,
    source_note: str,
    *,
    column_formats: Mapping[str, str] | None = None,
    styles: Mapping[str, NumberStyle] | None = None,
    footnotes: Sequence[str] | None = None,
) -> bytes:
    """One-sheet workbook: title row, source note row, bold frozen header, sized columns.

    Numbers stay numbers (they sum and sort) with Excel's own formats ("#,##0.0"), which
    Excel shows with the separators of the user's regional settings: 1.234,5 on Indonesian
    Windows. styles are the columns' screen styles (decimals; a percent column is stored as
    a fraction with a "0.0%" format, so 24,9% is the number 0.249). Dates use Indonesian
    month names whatever the settings. column_formats overrides the format of named columns.
    footnotes go under the table; by default the catalogue's definition and source register of
    every indicator a column shows (export.indicator_text.table_footnotes).
    """
    import xlsxwriter

    table = _prepare_table(df)
    if len(table) + 4 > _EXCEL_MAX_ROWS:
        raise ValueError(f"Tabel terlalu besar untuk Excel ({format_number(len(table))} baris); unduh sebagai CSV.")
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    sheet = workbook.add_worksheet(_excel_sheet_name(title))
    title_fmt = workbook.add_format({"bold": True, "font_size": 14})
    note_fmt = workbook.add_format({"italic": True, "font_color": MUTED_TEXT_COLOR})
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#E8E8E8", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    text_fmt = workbook.add_format({})
    right_text_fmt = workbook.add_format({"align": "right"})
    formats_cache: dict[str, Any] = {}

    def cell_format(pattern: str) -> Any:
        if pattern not in formats_cache:
            formats_cache[pattern] = workbook.add_format({"num_format": pattern})
        return formats_cache[pattern]

    header_row = 3
    sheet.write_string(0, 0, title, title_fmt)
    sheet.write_string(1, 0, source_note, note_fmt)
    overrides = dict(column_formats or {})
    for col, name in enumerate(table.columns):
        series = table[name]
        label = str(name)
        sheet.write_string(header_row, col, label, header_fmt)
        is_datetime = pd.api.types.is_datetime64_any_dtype(series)
        if is_datetime:
            stamps = pd.to_datetime(series)
            if getattr(stamps.dt, "tz", None) is not None:
                stamps = stamps.dt.tz_localize(None)
            has_time = bool((stamps.dropna() != stamps.dropna().dt.normalize()).any())
            pattern = overrides.get(label, "[$-421]d mmmm yyyy" + (" hh:mm" if has_time else ""))
            display_width = 20 if has_time else 17
            for row, stamp in enumerate(stamps, start=header_row + 1):
                if pd.isna(stamp):
                    continue
                sheet.write_datetime(row, col, stamp.to_pydatetime(), cell_format(pattern))
            sheet.set_column(col, col, max(display_width, min(len(label), 40)) + 2)
            continue
        style = _column_style(label, series, dict(styles or {}))
        pattern = overrides.get(label) or (style.excel_format() if style else None)
        scale = 0.01 if style is not None and style.percent and label not in overrides else 1.0
        widest = len(label)
        for row, value in enumerate(series.tolist(), start=header_row + 1):
            if is_missing(value):
                continue
            if isinstance(value, bool):
                value = "Ya" if value else "Tidak"
            if isinstance(value, int | float | np.integer | np.floating):
                number = float(value)
                if not math.isfinite(number):
                    continue
                sheet.write_number(row, col, number * scale, cell_format(pattern or "General"))
                widest = max(widest, len(style.format(number) if style else format_number(number, 1)))
            elif isinstance(value, dt.date | np.datetime64):
                stamp = pd.Timestamp(value)
                sheet.write_datetime(
                    row,
                    col,
                    stamp.tz_localize(None).to_pydatetime() if stamp.tz else stamp.to_pydatetime(),
                    cell_format(overrides.get(label, "[$-421]d mmmm yyyy")),
                )
                widest = max(widest, 17)
            else:
                text = str(value)
                sheet.write_string(row, col, text, right_text_fmt if pattern else text_fmt)
                widest = max(widest, max((len(line) for line in text.splitlines()), default=0))
        sheet.set_column(col, col, min(max(widest, 6), 60) + 2)
    notes = table_footnotes(table) if footnotes is None else list(footnotes)
    first_note = header_row + len(table) + 2
    for offset, note in enumerate(notes):
        sheet.write_string(first_note + offset, 0, note, note_fmt)
    sheet.set_row(0, 20)
    sheet.freeze_panes(header_row + 1, 0)
    if len(table.columns):
        sheet.autofilter(header_row, 0, header_row + max(len(table), 1), len(table.columns) - 1)
    workbook.close()
    return buffer.getvalue()
