from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest

from dashboard.formatting import (
    MISSING,
    apply_indonesian_layout,
    format_date,
    format_month,
    format_number,
    format_percent,
    indonesian_month_ticks,
    month_name,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234.5, 0, "1.235"),
        (12345, 0, "12.345"),
        (1234567.891, 2, "1.234.567,89"),
        (0.5, 1, "0,5"),
        (-1234.56, 1, "-1.234,6"),
        (np.int64(806), 0, "806"),
        (np.float64(14.85), 1, "14,9"),  # half-up, not babel's half-even on the float
        (2.5, 0, "3"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (Decimal("0.05"), 1, "0,1"),
    ],
)
def test_format_number_writes_indonesian_separators(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, float("inf")])
def test_missing_values_are_an_en_dash(missing):
    assert format_number(missing) == MISSING == "–"
    assert format_percent(missing) == "–"


def test_suppressed_cell_text_passes_through():
    assert format_number("<5") == "<5"
    assert format_percent("<5") == "<5"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(14.9, 1, "14,9%"), (12.63, 1, "12,6%"), (93, 0, "93%"), (84.05, 1, "84,1%"), (100, 1, "100,0%")],
)
def test_format_percent_takes_percent_units(value, decimals, expected):
    assert format_percent(value, decimals) == expected


def test_format_date_and_month_in_bahasa():
    assert format_date(dt.date(2025, 9, 18)) == "18 September 2025"
    assert format_date(dt.datetime(2025, 10, 31, 23, 59)) == "31 Oktober 2025"
    assert format_date(pd.Timestamp("2026-03-07")) == "7 Maret 2026"
    assert format_date("2025-08-17") == "17 Agustus 2025"
    assert format_date(None) == "–"
    assert format_date(pd.NaT) == "–"
    assert format_month(dt.date(2025, 10, 17)) == "Oktober 2025"
    assert format_month(pd.Timestamp("2025-02-01")) == "Februari 2025"


def test_month_names():
    assert [month_name(m) for m in (1, 5, 8, 12)] == ["Januari", "Mei", "Agustus", "Desember"]
    assert month_name(8, abbreviated=True) == "Agu"
    assert month_name(10, abbreviated=True) == "Okt"
    with pytest.raises(ValueError):
        month_name(13)


def test_month_ticks_write_the_year_at_the_start_and_each_january():
    months = pd.date_range("2024-10-01", periods=6, freq="MS")
    tickvals, ticktext = indonesian_month_ticks(months)
    assert tickvals == [d.date() for d in months]
    assert ticktext == ["Okt<br>2024", "Nov", "Des", "Jan<br>2025", "Feb", "Mar"]


def test_month_ticks_thin_out_long_series_to_whole_quarters():
    tickvals, ticktext = indonesian_month_ticks(pd.date_range("2023-01-01", periods=30, freq="MS"), max_ticks=12)
    assert len(tickvals) <= 12
    assert ticktext[:5] == ["Jan<br>2023", "Apr", "Jul", "Okt", "Jan<br>2024"]


def test_month_ticks_of_daily_dates_and_nothing():
    days = ["2025-01-03", "2025-01-20", "2025-02-11", None]
    assert indonesian_month_ticks(days) == ([dt.date(2025, 1, 1), dt.date(2025, 2, 1)], ["Jan<br>2025", "Feb"])
    assert indonesian_month_ticks([]) == ([], [])


def test_apply_indonesian_layout_sets_separators_and_month_ticks():
    df = pd.DataFrame(
        {"month": pd.date_range("2025-06-01", periods=5, freq="MS"), "pct": [15.1, 14.8, 14.2, 13.9, 13.0]}
    )
    fig = apply_indonesian_layout(px.line(df, x="month", y="pct"))
    assert fig.layout.separators == ",."
    assert list(fig.layout.xaxis.ticktext) == ["Jun<br>2025", "Jul", "Agu", "Sep", "Okt"]
    assert fig.layout.xaxis.tickmode == "array"


def test_apply_indonesian_layout_leaves_categories_and_explicit_ticks_alone():
    fig = go.Figure(go.Bar(x=["Tabang", "Kenohan"], y=[20.4, 8.6]))
    apply_indonesian_layout(fig)
    assert fig.layout.xaxis.ticktext is None
    custom = go.Figure(go.Scatter(x=["2025-01-01", "2025-02-01"], y=[1, 2]))
    custom.update_xaxes(tickvals=["2025-01-01"], ticktext=["awal"])
    apply_indonesian_layout(custom)
    assert list(custom.layout.xaxis.ticktext) == ["awal"]


@pytest.mark.parametrize("value", [0, 7, -7, 12.5, 999.95, 1234.5, -1234.56, 14.85, 1_234_567.049, 0.05, -0.04])
@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_fast_number_format_equals_babel_id_ID(value, decimals):
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_decimal

    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert format_number(value, decimals) == format_decimal(rounded, format=pattern, locale="id_ID")


def test_table_rounding_agrees_with_the_text_beside_it():
    from dashboard.formatting import round_half_up

    values = [60.25, 14.85, 0.05, -2.25, None, float("nan")]
    rounded = round_half_up(values, 1)
    assert list(rounded[:4]) == [60.3, 14.9, 0.1, -2.3]  # pandas' own .round(1) gives 60.2 and 14.8
    assert rounded[4:].isna().all()
    for value, cell in zip(values[:4], rounded[:4], strict=True):
        assert format_number(value, 1) == format_number(cell, 1)


@pytest.mark.parametrize(("fraction", "text"), [(0.149, "14,9%"), (0.1485, "14,9%"), (1, "100,0%"), (None, MISSING)])
def test_a_share_of_one_is_shown_in_percent(fraction, text):
    from dashboard.formatting import format_share

    assert format_share(fraction) == text


def test_round_half_up_keeps_a_series_index_and_agrees_with_format_number_on_many_values():
    import numpy as np
    import pandas as pd

    from dashboard.formatting import round_half_up

    values = pd.Series(np.round(np.random.default_rng(3).normal(0, 50, 2000), 3), index=range(10, 2010), name="x")
    rounded = round_half_up(values, 1)
    assert rounded.index.equals(values.index) and rounded.name == "x"
    assert [format_number(v, 1) for v in values] == [format_number(v, 1) for v in rounded]
    assert round_half_up(["2.25", "teks"], 1).tolist()[0] == 2.3 and round_half_up(["teks"], 1).isna().all()
