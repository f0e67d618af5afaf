"""Dates, decimals and counts as exports and people write them in Kukar and elsewhere:
each form the validator now reads gives the one value a reader of the cell would see,
and an English "1,234.5" is never taken for 1.2345."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etl.registers import EPPGBM, MONTHLY_REPORT
from etl.validate import _parse_date, _parse_decimal, _parse_int, _parse_sex

TODAY = date(2025, 11, 30)
FIELDS = {f.name: f for f in (*EPPGBM.fields, *MONTHLY_REPORT.fields)}


def _dates(*cells: str | None) -> list[date | None]:
    values, reasons = _parse_date(pd.Series(cells, dtype="string"), TODAY)
    assert reasons.isna().all(), reasons.tolist()
    return [None if pd.isna(v) else v.date() for v in values]


@pytest.mark.parametrize(
    "cell",
    [
        "2025/10/15",  # Excel's short date in some locales
        "2025.10.15",
        "15-Okt-25",  # Excel's d-mmm-yy in Indonesian
        "15-Oct-25",
        "15 Okt. 2025",
        "Rabu, 15 Oktober 2025",  # Excel's long date in Indonesian
        "Wednesday, 15 October 2025",
        "Oct 15, 2025",
        "15 / 10 / 2025",
        "15\u201310\u20132025",  # en dashes from a word processor
        "20251015",  # a database's compact date
    ],
)
def test_more_date_forms_read_as_the_same_day(cell):
    assert _dates(cell) == [date(2025, 10, 15)]


def test_a_column_written_month_first_is_read_month_first():
    # 10/25/2025 can only be month first, so the whole column is: 1/5/2025 is 5 January
    assert _dates("10/25/2025", "1/5/2025", None) == [date(2025, 10, 25), date(2025, 1, 5), None]


def test_a_column_written_day_first_stays_day_first():
    assert _dates("25/10/2025", "1/5/2025") == [date(2025, 10, 25), date(2025, 5, 1)]
    assert _dates("1/5/2025") == [date(2025, 5, 1)]  # nothing says otherwise: DD/MM as e-PPGBM writes


def test_an_impossible_date_is_still_named_as_such():
    _, reasons = _parse_date(pd.Series(["31/02/2025", "15-Okt-2025x"], dtype="string"), TODAY)
    assert reasons.tolist() == ["tanggal tidak dikenali (pakai DD/MM/YYYY)"] * 2


@pytest.mark.parametrize(
    ("cell", "value", "reason"),
    [
        ("11,2 kg", 11.2, None),
        ("11kg", 11.0, None),
        ("11,2 KG", 11.2, None),
        ("1,234.5", None, "di luar rentang wajar (0,5–40)"),  # 1234.5, not 1.2345
        ("1.234,5", None, "di luar rentang wajar (0,5–40)"),
        ("11,2 cm", None, "bukan angka"),  # another column's unit
        ("11,2 g", None, "bukan angka"),
    ],
)
def test_weights_with_their_unit_and_both_decimal_marks(cell, value, reason):
    values, reasons = _parse_decimal(pd.Series([cell], dtype="string"), FIELDS["weight_kg"])
    assert (None if pd.isna(values[0]) else values[0]) == value
    assert (None if pd.isna(reasons[0]) else reasons[0]) == reason


def test_a_typographic_minus_is_a_minus():
    values, reasons = _parse_decimal(
        pd.Series(["\u22122,15", "\u20131,5", "-0,3"], dtype="string"), FIELDS["export_haz"]
    )
    assert values.tolist() == [-2.15, -1.5, -0.3] and reasons.isna().all()


def test_counts_read_thousands_marks_as_thousands():
    values, reasons = _parse_int(pd.Series(["1.234", "1,234", "12", "12,0", "12,5"], dtype="string"), FIELDS["s"])
    assert values.tolist()[:4] == [1234, 1234, 12, 12]
    assert reasons.iloc[:4].isna().all()
    assert reasons.iloc[4] == "harus bilangan bulat"


def test_sex_in_english():
    values, reasons = _parse_sex(pd.Series(["Male", "female", "L", "x"], dtype="string"))
    assert values.tolist()[:3] == [1, 2, 1]
    assert reasons.iloc[3] == "jenis kelamin harus L atau P"
