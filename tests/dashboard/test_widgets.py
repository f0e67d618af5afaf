"""dashboard/ui/widgets.py: tables read in Indonesian whatever the browser's language."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.ui.widgets import indonesian_styler


def test_table_cells_are_formatted_in_indonesian_and_keep_their_values():
    frame = pd.DataFrame(
        {
            "Balita": [1234, 5],
            "Prevalensi (%)": [14.85, None],
            "Skor": [3.0, 4.0],
            "Tanggal": pd.to_datetime([dt.date(2025, 9, 18), None]),
            "Aktif": [True, False],
        }
    )
    styler = indonesian_styler(frame)
    html = styler.to_html()
    for text in ("1.234", "14,9", ">3<", "18 September 2025", "–"):
        assert text in html, text
    assert "14.85" not in html and "nan" not in html.lower() and "NaT" not in html
    assert styler.data.equals(frame)  # sorting still works on the numbers and dates
