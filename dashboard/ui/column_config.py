"""Tables on screen read in Indonesian (1.234; 24,9%; 18 September 2025; "–" for a missing
cell) whatever the browser's language, and still sort on the numbers and dates.

Streamlit 1.67 formats a number column either with the browser's locale ("localized") or
with a printf pattern whose thousands separator may be any character (`%'.,d` → 1.234) but
whose decimal mark is always "."; nothing on the server sets the browser's locale. So:
- whole-number columns with no missing cell take the printf pattern (free, exact);
- every other number column, and dates, carry display text beside their values, the way a
  pandas Styler does: the grid shows the text and sorts on the value;
- a missing cell reads "–": st.dataframe(placeholder=MISSING) (Streamlit draws "None" otherwise,
  even under display text).
A plain Styler builds a dict per cell of the whole table (~8 µs a cell on every rerun);
`display_text_styler` hands Streamlit display text for the cells that need it only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.formatting import MISSING, NumberStyle, format_cells, is_number_column, number_styles

# What st.dataframe draws in a missing cell (pass as placeholder=): never "None".
PLACEHOLDER = MISSING
# sprintf-js as vendored by Streamlit: the `'.` pad character becomes the thousands separator.
WHOLE_NUMBER_FORMAT = "%'.,d"
# A number column is at most this wide (px) unless its cells need more: a long header ("Kader aktif
# termasuk pengurus (jumlah, Oktober 2025)") is cut and reads in full as the column's help, so a
# kecamatan table fits a 1366-px laptop beside the sidebar instead of scrolling sideways.
MAX_NUMBER_WIDTH = 170
CHAR_PX, PADDING_PX = 7, 24  # the grid's 14-px font, about 7 px a character, plus cell padding
PIN_FROM_COLUMNS = 4  # a wider table keeps its first (naming) column in view when scrolled
MAX_PINNED_WIDTH = 260  # the naming column: "Ketenteraman, Ketertiban Umum & Linmas" whole
MAX_TEXT_WIDTH = 320  # a long text cell (a reason, a definition) is cut; a click on it shows it whole


def display_text_styler(data: pd.DataFrame, display: Mapping[int, list[str]], uuid: str) -> Styler:
    """A pandas Styler carrying ready display text for some columns.

    Streamlit accepts a Styler by its exact class name and reads only `_compute()` and
    `_translate()["body"]` (cell ids and display values) from it; this one answers both from
    text computed once per column (vectorised) instead of pandas' per-cell rendering. The
    overrides are on this instance only. tests/dashboard/test_column_config.py runs
    Streamlit's own marshalling over it, so a change on either side fails a test, not a page.
    """
    styler = Styler(data, uuid=uuid)
    texts = dict(display)
    cells = [
        {"id": f"row{row}_col{col}", "display_value": text}
        for col, column_texts in texts.items()
        for row, text in enumerate(column_texts)
    ]
    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = lambda *args, **kwargs: {"body": [cells], "cellstyle": [], "table_styles": []}  # type: ignore[method-assign]
    styler.display_text = texts  # for tests: what the grid shows per column position
    return styler


def _needs_display_text(series: pd.Series, style: NumberStyle | None) -> bool:
    if style is None:
        return pd.api.types.is_datetime64_any_dtype(series)
    return style.decimals > 0 or style.percent or bool(series.isna().any())


def indonesian_table(
    frame: pd.DataFrame, key: str, styles: Mapping[Any, NumberStyle] | None = None
) -> tuple[pd.DataFrame | Styler, dict]:
    """(data for st.dataframe, column_config) showing `frame` in Indonesian; see the module doc.

    styles overrides the inferred style of named number columns (decimals, percent).
    """
    frame = frame.reset_index(drop=True)
    styles = number_styles(frame, styles)
    data = frame.copy()
    config: dict = {}
    display: dict[int, list[str]] = {}
    for position, column in enumerate(frame.columns):
        series = frame[column]
        style = styles.get(column)
        if style is None and not is_number_column(series) and not pd.api.types.is_datetime64_any_dtype(series):
            if text_width := _text_width(series):
                config[column] = {**st.column_config.Column(), "width": text_width}
            continue
        if _needs_display_text(series, style):
            display[position] = format_cells(series, style)
            config[column] = st.column_config.Column()  # no number format: it would override the text
            config[column].update(_number_width(column, lambda texts=display[position]: texts))
        elif style is not None:
            config[column] = st.column_config.NumberColumn(format=WHOLE_NUMBER_FORMAT if style.grouping else "%d")
            config[column].update(_number_width(column, lambda s=series, st_=style: format_cells(s, st_)))
    _pin_first_column(frame, config)
    if not display:
        return data, config
    uuid = "t" + hashlib.blake2b(key.encode(), digest_size=4).hexdigest()
    return display_text_styler(data, display, uuid), config


def _number_width(column: object, texts: Callable[[], list[str]]) -> dict:
    """Width and help for a number column whose header is longer than its cells need; {} otherwise
    (the cells' text is only formatted for such a column)."""
    header_px = CHAR_PX * len(str(column)) + PADDING_PX
    if header_px <= MAX_NUMBER_WIDTH:
        return {}
    content_px = CHAR_PX * max((len(t) for t in texts()), default=0) + PADDING_PX
    return {"width": max(content_px, MAX_NUMBER_WIDTH), "help": str(column)}


def _text_width(series: pd.Series) -> int | None:
    """MAX_TEXT_WIDTH for a text column with cells longer than that; None otherwise."""
    if series.dtype != object and not pd.api.types.is_string_dtype(series):
        return None
    longest = series.dropna().astype(str).str.len().max()
    return MAX_TEXT_WIDTH if pd.notna(longest) and CHAR_PX * longest + PADDING_PX > MAX_TEXT_WIDTH else None


def _pin_first_column(frame: pd.DataFrame, config: dict) -> None:
    """Pin the naming column (kecamatan, desa, posyandu…) of a wide table."""
    if len(frame.columns) < PIN_FROM_COLUMNS:
        return
    first = frame.columns[0]
    if is_number_column(frame[first]) or pd.api.types.is_datetime64_any_dtype(frame[first]):
        return
    # As wide as its names (up to MAX_PINNED_WIDTH): a pinned column is not widened by the grid.
    lengths = frame[first].dropna().astype(str).str.len()
    longest = max(len(str(first)), int(lengths.max()) if len(lengths) else 0)
    width = min(max(CHAR_PX * longest + PADDING_PX, 80), MAX_PINNED_WIDTH)
    config[first] = {**config.get(first, st.column_config.Column()), "pinned": True, "width": width}


def table_column_config(frame: pd.DataFrame) -> dict:
    """The column settings `indonesian_table` gives `frame` (pages merge their widths into it)."""
    return indonesian_table(frame, "config")[1]


def merge_column_config(ours: Mapping[Any, Any], given: Mapping[Any, Any] | None) -> dict:
    """A page's column settings over ours: a label (a str) or the settings it gives (width,
    help, a TextColumn) replace ours one by one, so a labelled number column keeps its
    Indonesian format."""
    merged = dict(ours)
    for column, setting in (given or {}).items():
        if isinstance(setting, str):
            merged[column] = {**merged.get(column, {}), "label": setting}
        elif isinstance(setting, Mapping):
            merged[column] = {**merged.get(column, {}), **{k: v for k, v in setting.items() if v is not None}}
        else:
            merged[column] = setting
    return merged


def show_frame(frame: pd.DataFrame, key: str, column_config: Mapping[Any, Any] | None = None, **kwargs: Any) -> Any:
    """st.dataframe of `frame` in Indonesian with "–" in missing cells (no downloads)."""
    shown, config = indonesian_table(frame, key)
    return st.dataframe(
        shown,
        column_config=merge_column_config(config, column_config),
        key=key,
        placeholder=PLACEHOLDER,
        **kwargs,
    )


def short_headers(headers: Mapping[str, tuple[str, int]]) -> dict:
    """Column settings giving each named column a short header and a width (px); the full
    header becomes the column's help (hover), and downloads keep the full header. For tables
    that must fit a 1366-px laptop beside the sidebar: the grid cannot wrap a header."""
    return {column: {"label": label, "help": column, "width": width} for column, (label, width) in headers.items()}
