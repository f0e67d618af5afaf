"""dashboard/formatting.py: the defaults and pass-throughs that pages lean on without saying
so: one decimal unless asked, suppressed-cell text kept, the decimals asked for a share
honoured, and table rounding that takes text and nullable counts and stays a float column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.formatting import format_number, format_percent, format_share, round_half_up


def test_a_number_has_no_decimals_unless_asked():
    assert format_number(806) == "806" and format_number(1234.5) == "1.235"


def test_a_percent_has_one_decimal_unless_asked():
    assert format_percent(14.85) == "14,9%"
    assert format_share(0.1485) == "14,9%"


def test_a_share_keeps_the_decimals_asked_for():
    assert format_share(0.14853, 2) == "14,85%"
    assert format_share(0.5, 0) == "50%"


def test_a_suppressed_share_keeps_its_text():
    assert format_share("<5") == "<5"


def test_table_rounding_has_one_decimal_unless_asked():
    assert round_half_up([60.25, 14.85]).tolist() == [60.3, 14.9]


def test_table_rounding_of_a_text_column_blanks_what_is_not_a_number():
    rounded = round_half_up(pd.Series(["2.25", "teks", None]), 1)
    assert rounded.iloc[0] == 2.3 and rounded.iloc[1:].isna().all()


def test_table_rounding_of_a_nullable_count_column():
    rounded = round_half_up(pd.Series([12, None], dtype="Int64"), 0)
    assert rounded.iloc[0] == 12.0 and np.isnan(rounded.iloc[1])


def test_rounded_cells_stay_a_float_column_with_nan_for_missing():
    rounded = round_half_up([1.25, None, float("inf")], 1)
    assert rounded.dtype == np.float64
    assert rounded.iloc[0] == 1.3 and rounded.iloc[1:].isna().all()


def test_table_rounding_reads_pd_na_and_text_in_a_list_as_missing():
    # numpy cannot read pd.NA or "<5" as a number: the values are then read one by one
    rounded = round_half_up([1.25, pd.NA, "<5", "2.35", None], 1)
    assert rounded.iloc[0] == 1.3 and rounded.iloc[3] == 2.4
    assert rounded.iloc[[1, 2, 4]].isna().all() and rounded.dtype == np.float64


def test_table_rounding_keeps_the_row_labels_of_a_text_column():
    values = pd.Series(["<5", 14.85, pd.NA], index=[30, 31, 32], name="Persen", dtype=object)
    rounded = round_half_up(values, 1)
    assert rounded.index.tolist() == [30, 31, 32] and rounded.name == "Persen"
    assert rounded.iloc[1] == 14.9 and rounded.iloc[[0, 2]].isna().all()


def test_an_empty_column_rounds_to_an_empty_float_column():
    assert round_half_up([], 1).dtype == np.float64 and round_half_up(pd.Series([], dtype=object)).empty


def test_a_missing_share_is_a_dash_whatever_kind_of_missing():
    assert format_share(pd.NA) == format_share(float("nan")) == format_share(None) == "–"
