"""Rupiah cells of the budget register, value by value: the amount each typed form stands for
and the Bahasa reason when it is not an amount or out of range. Each expectation is written
by hand from how Indonesians type money ("." thousands, "," decimals, "Rp"/"IDR" prefixes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.extract.reader import RAGGED_COLUMN, ROW_COLUMN, ROW_PROBLEM_COLUMN, RawTable
from etl.regions import RegionMatcher
from etl.registers import DESA_BUDGET, MAX_BUDGET_RP, Field, Register
from etl.validate import REJECTED, ValidationResult, rupiah_to_number, validate_table

NOT_AN_AMOUNT = "bukan jumlah rupiah (tulis mis. 12500000 atau Rp 12.500.000)"
OUT_OF_RANGE = "di luar rentang wajar (Rp 0–Rp 2.000.000.000)"


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("RP 7.000", 7_000),  # prefix in capitals
        ("rp.1.500", 1_500),  # "Rp." with no space
        ("Rp12500", 12_500),
        ("idr 2.500", 2_500),
        ("  12500  ", 12_500),
        ("12\xa0500", 12_500),  # a non-breaking space between groups
        ("1.50", 1.5),  # two digits after the only dot: a decimal mark
        ("1,5", 1.5),
        ("1,500", 1_500),  # three digits after the only comma: thousands
        ("1234.567", 1_234.567),  # four digits before the mark: not a thousands group
        ("12.345.678", 12_345_678),
        ("1,234,567", 1_234_567),
        ("1.234,5", 1_234.5),  # both marks, comma last: comma is the decimal mark
        ("1,234.5", 1_234.5),  # both marks, dot last: dot is the decimal mark
        ("1.234.567,89", 1_234_567.89),
        ("1,234,567.89", 1_234_567.89),
        ("-1.500", -1_500),
        ("-2,5", -2.5),
    ],
)
def test_typed_amount_means(typed, rupiah):
    assert rupiah_to_number(pd.Series([typed], dtype="string")).iloc[0] == pytest.approx(rupiah)


@pytest.mark.parametrize("typed", ["", "Rp", "dua juta", "12,5 jt", "1.2.3,4,5", "Rp -"])
def test_not_an_amount_is_missing(typed):
    assert pd.isna(rupiah_to_number(pd.Series([typed], dtype="string")).iloc[0])


def test_amounts_keep_their_rows_and_missing_cells_stay_missing():
    out = rupiah_to_number(pd.Series(["1.000", None, "2,5", "3.000.000"], dtype="string"))
    assert out.dtype == "float64"
    assert out.iloc[0] == 1_000
    assert pd.isna(out.iloc[1])
    assert out.iloc[2] == 2.5
    assert out.iloc[3] == 3_000_000


def _budget(allocations: list[str | None]) -> ValidationResult:
    n = len(allocations)
    columns = {
        "Tahun": ["2025"] * n,
        "Kode Desa": ["64.02.06.1002"] * n,  # Loa Ipuh, Tenggarong
        "Kecamatan": ["Tenggarong"] * n,
        "Desa/Kelurahan": ["Loa Ipuh"] * n,
        "Sumber": ["Dana Desa"] * n,
        "Alokasi Posyandu (Rp)": allocations,
        "Insentif Kader (Rp)": ["Rp 1.000.000"] * n,
    }
    frame = pd.DataFrame({h: pd.Series(v, dtype="string") for h, v in columns.items()})
    frame[ROW_COLUMN] = range(2, n + 2)
    frame[ROW_PROBLEM_COLUMN] = pd.Series([None] * n, dtype="string")
    frame[RAGGED_COLUMN] = 0
    return validate_table(
        DESA_BUDGET, RawTable(Path("anggaran_posyandu.csv"), frame, header_row=1), RegionMatcher(), date(2025, 10, 31)
    )


def test_budget_amounts_are_read_rounded_to_whole_rupiah_and_range_is_inclusive():
    assert MAX_BUDGET_RP == 2_000_000_000  # the limit the reason below names
    result = _budget(["0", "2.000.000.000", "12.500.000,60", "Rp 3.000", "-1", "2.000.000.001", "dua juta"])
    accepted = result.accepted.sort_values("posyandu_allocation_rp")
    assert accepted["posyandu_allocation_rp"].tolist() == [0, 3_000, 12_500_001, 2_000_000_000]
    assert accepted["kader_incentive_rp"].tolist() == [1_000_000] * 4
    part = result.rejections[result.rejections["column_name"] == "Alokasi Posyandu (Rp)"]
    assert dict(zip(part["row_number"], part["reason"], strict=True)) == {
        6: OUT_OF_RANGE,
        7: OUT_OF_RANGE,
        8: NOT_AN_AMOUNT,
    }
    assert set(part["action"]) == {REJECTED}  # a required amount: the row cannot be used


@pytest.mark.parametrize("typed", ["1,234.567,89", "1.234,567.89"])
def test_marks_in_no_consistent_order_are_not_an_amount(typed):
    assert pd.isna(rupiah_to_number(pd.Series([typed], dtype="string")).iloc[0])


def test_an_amount_with_only_a_lower_limit_names_the_open_end():
    register = Register(
        name="uji",
        label="Uji",
        patterns=("uji*",),
        fields=(Field("amount_rp", ("Jumlah",), "rupiah", required=True, minimum=1_000),),
    )
    frame = pd.DataFrame({"Jumlah": pd.Series(["Rp 999", "Rp 1.000", "Rp 5.000.000.000"], dtype="string")})
    frame[ROW_COLUMN] = [2, 3, 4]
    frame[ROW_PROBLEM_COLUMN] = pd.Series([None] * 3, dtype="string")
    frame[RAGGED_COLUMN] = 0
    result = validate_table(
        register, RawTable(Path("uji.csv"), frame, header_row=1), RegionMatcher(), date(2025, 10, 31)
    )
    assert result.accepted["amount_rp"].tolist() == [1_000, 5_000_000_000]
    assert result.rejections["reason"].tolist() == ["di luar rentang wajar (Rp 1.000–Rp …)"]
