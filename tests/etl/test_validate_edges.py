"""etl/validate.py at the edges of its own rules: when a date column counts as written month
first (a second number above 12, never a first one: 12 and 13 on either side), numbers that
mix both marks in no number format, a mistyped thousands grouping in rupiah, and area names
quoted in a reason whole up to 60 characters. Each expectation is read off the cell."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.validate import _parse_date, _parse_decimal, rupiah_to_number
from tests.etl.test_validate_values import _posyandu, _reasons

TODAY = date(2025, 11, 30)
WEIGHT = next(f for f in EPPGBM.fields if f.name == "weight_kg")


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher()


def _dates(*cells: str) -> list[date | None]:
    values, _ = _parse_date(pd.Series(cells, dtype="string"), TODAY)
    return [None if pd.isna(v) else v.date() for v in values]


def test_a_second_number_of_12_does_not_make_a_column_month_first():
    assert _dates("05/12/2024", "03/04/2024") == [date(2024, 12, 5), date(2024, 4, 3)]


def test_a_second_number_of_13_makes_a_column_month_first():
    assert _dates("12/13/2024", "1/5/2024") == [date(2024, 12, 13), date(2024, 1, 5)]


def test_a_first_number_of_12_still_allows_month_first():
    assert _dates("12/25/2024", "1/5/2024") == [date(2024, 12, 25), date(2024, 1, 5)]


def test_a_first_number_of_13_rules_month_first_out():
    # 13/05 can only be day first, so the column is: 05/25 is then no date
    assert _dates("13/05/2024", "05/25/2024") == [date(2024, 5, 13), None]


def test_a_month_first_column_reads_two_digit_years_too():
    # 10/25/25: a second number above 12, so the column is month first; '25 is 2025
    assert _dates("10/25/25", "03/04/25", "1/5/2024") == [date(2025, 10, 25), date(2025, 3, 4), date(2024, 1, 5)]


@pytest.mark.parametrize("cell", ["1 now 2024", "1 NOW 2024", "now 1, 2024"])
def test_now_in_a_text_date_is_no_month(cell):
    # pandas reads "now" as the current month, even with format="%b"
    values, reasons = _parse_date(pd.Series([cell], dtype="string"), TODAY)
    assert pd.isna(values[0]) and reasons[0] == "tanggal tidak dikenali (pakai DD/MM/YYYY)"


@pytest.mark.parametrize(("cell", "day"), [("12 March 2024", date(2024, 3, 12)), ("Oct 15, 2025", date(2025, 10, 15))])
def test_english_month_names_still_read(cell, day):
    assert _dates(cell) == [day]


def test_an_eight_digit_number_that_is_no_calendar_date_is_refused_not_raised():
    # 2025-13-40 and 2025-02-30 look like a database's compact date but name no day
    values, reasons = _parse_date(pd.Series(["20251340", "20250230", "20251015"], dtype="string"), TODAY)
    assert values.tolist()[2] == pd.Timestamp(2025, 10, 15)
    assert values.isna().tolist() == [True, True, False]
    assert reasons.tolist()[:2] == ["tanggal tidak dikenali (pakai DD/MM/YYYY)"] * 2


@pytest.mark.parametrize("cell", ["1,2.3,4", "1.234,5.6"])
def test_marks_in_no_number_format_are_not_a_number(cell):
    values, reasons = _parse_decimal(pd.Series([cell], dtype="string"), WEIGHT)
    assert pd.isna(values[0]) and reasons[0] == "bukan angka"


def test_two_thousands_marks_read_as_thousands_even_in_uneven_groups():
    # more than one of the same mark can only be thousands marks: 1.50.000 is 150.000
    assert rupiah_to_number(pd.Series(["1.50.000", "2,50,000"], dtype="string")).tolist() == [150_000, 250_000]


def test_an_area_name_of_60_characters_is_quoted_whole_and_61_cut(matcher):
    sixty = "Mangkura" + " -" * 26
    sixty_one = sixty + "-"
    assert (len(sixty), len(sixty_one)) == (60, 61)
    result = _posyandu(matcher, Kecamatan=["Tenggarong"] * 2, **{"Desa/Kelurahan": [sixty, sixty_one]})
    reasons = _reasons(result, "Desa/Kelurahan")
    assert reasons[2].startswith(f"Desa/kelurahan '{sixty}' tidak dikenal")
    assert reasons[3].startswith(f"Desa/kelurahan '{sixty}…' tidak dikenal")


def test_a_kecamatan_near_a_real_one_is_quoted_in_its_reason(matcher):
    result = _posyandu(matcher, Kecamatan=["Loa Kulo"], **{"Desa/Kelurahan": ["Loa Ipuh"]})
    assert _reasons(result, "Kecamatan") == {
        2: "Kecamatan 'Loa Kulo' tidak dikenal di Kutai Kartanegara; mungkin maksudnya Loa Kulu (64.02.02)"
    }
