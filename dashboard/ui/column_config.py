"""Column settings for tables shown with widgets.show_table: numbers in the reader's own
separators (as the Excel download does), dates as DD/MM/YYYY."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def table_column_config(frame: pd.DataFrame) -> dict:
    config: dict = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            config[column] = st.column_config.NumberColumn(format="localized")
        elif pd.api.types.is_datetime64_any_dtype(series):
            config[column] = st.column_config.DateColumn(format="DD/MM/YYYY")
    return config
