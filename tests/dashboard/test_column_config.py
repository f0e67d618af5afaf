"""dashboard/ui/column_config.py: tables read in Indonesian whatever the browser's language,
through Streamlit's own marshalling of the table (what the browser receives)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from dashboard.formatting import NumberStyle
from dashboard.ui.column_config import PLACEHOLDER, WHOLE_NUMBER_FORMAT, indonesian_table, table_column_config


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Kecamatan": ["Tenggarong", None],
            "Balita": [1234, 5],
            "Prevalensi": [14.85, None],
            "Indeks": [0.7072, 0.81],
            "Skor": [3.0, None],
            "Tanggal": pd.to_datetime([dt.date(2025, 9, 18), None]),
            "Aktif": [True, False],
        }
    )


def _sent_to_browser(data) -> pd.DataFrame:
    proto = ArrowData()
    marshall_styler(proto, data, "default")
    return pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()


def test_cells_reach_the_browser_as_indonesian_text_and_values_stay_numbers():
    data, config = indonesian_table(_frame(), "k")
    assert type(data).__name__ == "Styler"  # Streamlit accepts a Styler by its exact class
    assert dataframe_util.is_pandas_styler(data)
    shown = _sent_to_browser(data)
    assert shown["Prevalensi"].tolist() == ["14,9%", "–"]
    assert shown["Indeks"].tolist() == ["0,71", "0,81"]
    assert shown["Skor"].tolist() == ["3", "–"]
    assert shown["Tanggal"].tolist() == ["18 September 2025", "–"]
    # the grid sorts on these
    assert data.data["Prevalensi"].dtype == "float64" and data.data["Balita"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(data.data["Tanggal"])
    # whole numbers: a printf pattern with "." between thousands, no browser locale anywhere
    assert config["Balita"]["type_config"]["format"] == WHOLE_NUMBER_FORMAT
    assert all("localized" not in str(c) for c in config.values())
    assert "format" not in str(config["Prevalensi"])  # a number format would hide the text


def test_styles_override_decimals_and_percent():
    frame = pd.DataFrame({"D/S": [81.25, 7.0]})
    data, _ = indonesian_table(frame, "k", {"D/S": NumberStyle(2, True)})
    assert _sent_to_browser(data)["D/S"].tolist() == ["81,25%", "7,00%"]


def test_a_table_of_whole_numbers_and_text_needs_no_styler():
    frame = pd.DataFrame({"Tim": ["A", None], "Posyandu": [1008, 12]})
    data, config = indonesian_table(frame, "k")
    assert table_column_config(frame) == config
    assert isinstance(data, pd.DataFrame) and data.equals(frame)
    assert PLACEHOLDER == "–"  # st.dataframe(placeholder=...) draws it in missing cells, not "None"
    assert config["Posyandu"]["type_config"]["format"] == "%'.,d"


def test_sprintf_pattern_groups_thousands_with_a_dot():
    # Streamlit's vendored sprintf: `%'X,d` uses X as the thousands separator. Pinned here as
    # the pattern string the frontend receives; tests/test_browser_formats.py sees the pixels.
    assert WHOLE_NUMBER_FORMAT == "%'.,d"


def test_a_wide_table_pins_its_naming_column_and_cuts_long_headers_to_their_help():
    from dashboard.ui.column_config import MAX_NUMBER_WIDTH, MAX_TEXT_WIDTH

    frame = pd.DataFrame(
        {
            "Kecamatan": ["Tenggarong", "Loa Kulu"],
            "Kader aktif termasuk pengurus (jumlah, Oktober 2025)": [1234, 56],
            "Prevalensi (%)": [24.9, 16.8],
            "Alasan": ["stunting 24,9% · D/S 80,1% · " * 20, "pendek"],
        }
    )
    config = table_column_config(frame)
    assert config["Kecamatan"]["pinned"] is True
    long_header = config["Kader aktif termasuk pengurus (jumlah, Oktober 2025)"]
    assert long_header["width"] == MAX_NUMBER_WIDTH and long_header["help"].startswith("Kader aktif termasuk")
    assert long_header["type_config"]["format"] == WHOLE_NUMBER_FORMAT  # still Indonesian
    assert config["Prevalensi (%)"].get("width") is None  # a short header keeps its natural width
    assert config["Alasan"]["width"] == MAX_TEXT_WIDTH
    narrow = table_column_config(frame[["Kecamatan", "Prevalensi (%)"]])
    assert not narrow.get("Kecamatan", {}).get("pinned")  # a narrow table needs no pinning
