"""dashboard/ui/styler_speed.py: the faster display-values step gives Streamlit's own frame."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from dashboard.ui.column_config import indonesian_table
from dashboard.ui.styler_speed import STREAMLIT_USE_DISPLAY_VALUES, use_display_values


def _translated(styler):
    styler._compute()
    return styler._translate(False, False)


def test_same_frame_as_streamlit_for_every_column_type_the_pages_show():
    frame = pd.DataFrame(
        {
            "Kecamatan": ["Tenggarong", None, "Loa Janan"],
            "Balita": [1234, 5, 0],
            "Prevalensi (%)": [14.85, np.nan, 2.25],
            "n": pd.array([3, None, 7], dtype="Int64"),
            "Tanggal": pd.to_datetime([dt.date(2025, 9, 18), None, dt.date(2025, 1, 1)]),
            "Aktif": [True, False, True],
        },
        index=[10, 11, 12],
    )
    styler, _ = indonesian_table(frame, "k")
    styles = _translated(styler)
    data = styler.data
    assert_frame_equal(use_display_values(data, styles), STREAMLIT_USE_DISPLAY_VALUES(data, styles))
    shown = use_display_values(data, styles)
    # whole numbers are drawn by the column's printf format; the rest carry display text
    assert shown.loc[0, "Prevalensi (%)"] == "14,9%" and shown.loc[1, "Prevalensi (%)"] == "–"
    assert shown.loc[0, "Tanggal"] == "18 September 2025"


def test_same_frame_with_repeated_column_names_and_with_a_colour_style():
    repeated = pd.DataFrame(np.arange(12.0).reshape(3, 4), columns=["a", "b", "a", "c"])
    styles = _translated(repeated.style.format("{:.1f}"))
    assert_frame_equal(use_display_values(repeated, styles), STREAMLIT_USE_DISPLAY_VALUES(repeated, styles))
    coloured = pd.DataFrame(np.arange(12.0).reshape(3, 4), columns=["a", "b", "c", "d"])
    styles = _translated(coloured.style.format("{:.1f}").background_gradient(subset=["c"]))
    assert_frame_equal(use_display_values(coloured, styles), STREAMLIT_USE_DISPLAY_VALUES(coloured, styles))


def test_a_table_of_text_alone_is_shown_without_a_styler():
    frame = pd.DataFrame({"Desa": ["Bukit Biru", "Jahab"], "Status": ["teregistrasi", None]})
    shown, _ = indonesian_table(frame, "k")
    assert isinstance(shown, pd.DataFrame)  # a gap reads "–" through st.dataframe(placeholder=...)
