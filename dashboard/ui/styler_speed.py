"""A faster copy of the step in which Streamlit turns a pandas Styler's display values into a
frame (`streamlit.elements.lib.pandas_styler_utils._use_display_values`).

Why: every table is shown through a Styler so that numbers read 1.234,5 whatever the
browser's language. Streamlit's step assigns each column's display strings with one pandas
`iloc` assignment, which under pandas 3 costs about 6 ms a column: on the table-heavy pages
(Pendampingan, Gizi Balita) it was over half of a warm page run (bench/profile_pages.py).
This version fills plain arrays and builds the frame once. The result is the same frame
(tests/dashboard/test_styler_speed.py compares it with Streamlit's own on every column type
the pages show, so an upgrade that changes Streamlit's step fails there, not on screen).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

import pandas as pd
from streamlit.elements.lib import pandas_styler_utils

_CELL_ID = re.compile(r"row(\d+)_col(\d+)")
STREAMLIT_USE_DISPLAY_VALUES = pandas_styler_utils._use_display_values


def use_display_values(df: pd.DataFrame, styles: Mapping[str, Any]) -> pd.DataFrame:
    """`df` as strings, each styled cell replaced by its display value."""
    base = df.astype(str)
    columns = [base.iloc[:, i].to_numpy(dtype=object, copy=True) for i in range(base.shape[1])]
    for row in styles.get("body", []):
        for cell in row:
            cell_id = cell.get("id")
            match = _CELL_ID.match(cell_id) if cell_id else None
            if not match:
                continue
            row_index, column_index = map(int, match.groups())
            value = cell.get("display_value")
            columns[column_index][row_index] = str(value.value) if isinstance(value, Enum) else str(value)
    out = pd.DataFrame(
        {i: pd.array(values, dtype=base.dtypes.iloc[i]) for i, values in enumerate(columns)}, index=base.index
    )
    out.columns = base.columns
    return out


def install() -> None:
    """Use the faster step from now on in this process (idempotent)."""
    pandas_styler_utils._use_display_values = use_display_values
