"""etl/validate.py through the reader: dates, sex and the age boundary, on files written as
users have them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.extract.reader import read_register_file
from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.validate import validate_table
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv, write_eppgbm_xlsx

TODAY = date(2025, 12, 1)
KEY_HEADERS = {h for f in EPPGBM.fields if f.required for h in f.headers}


def _accepted(path: Path) -> pd.DataFrame:
    table = read_register_file(path, KEY_HEADERS)
    result = validate_table(EPPGBM, table, RegionMatcher(), TODAY)
    return result.accepted


# 03/04/2024 is 3 April in Indonesia (day first), never 4 March; 04/03/2024 is 4 March.
AMBIGUOUS = [
    {"Tgl Lahir": "03/04/2024", "Tanggal Pengukuran": "04/03/2025"},
    {"Tgl Lahir": "12/01/2024", "Tanggal Pengukuran": "01/12/2024"},
]
EXPECTED = [(date(2024, 4, 3), date(2025, 3, 4)), (date(2024, 1, 12), date(2024, 12, 1))]


def _dates(frame: pd.DataFrame) -> list[tuple[date, date]]:
    return [(b.date(), m.date()) for b, m in zip(frame["birth_date"], frame["measured_on"], strict=True)]


@pytest.mark.parametrize(
    "writer",
    [
        pytest.param(
            lambda p, rows: write_eppgbm_csv(p / "e.csv", rows, sep=";", encoding="cp1252"), id="csv-semicolon"
        ),
        pytest.param(
            lambda p, rows: write_eppgbm_csv(p / "e.csv", rows, sep=",", encoding="utf-8", comma_decimals=False),
            id="csv-comma",
        ),
        pytest.param(lambda p, rows: write_eppgbm_xlsx(p / "e.xlsx", rows), id="xlsx-text-cells"),
    ],
)
def test_ambiguous_dates_are_read_day_first_in_every_reader(tmp_path, writer):
    rows = [eppgbm_row(**{"NIK": f"640206550523000{i}", **dates}) for i, dates in enumerate(AMBIGUOUS, start=1)]
    accepted = _accepted(writer(tmp_path, rows))
    assert _dates(accepted) == EXPECTED


def test_excel_date_cells_and_serial_numbers_keep_their_date(tmp_path):
    import xlsxwriter

    from tests.support.eppgbm_files import EPPGBM_HEADER

    path = tmp_path / "dates.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, EPPGBM_HEADER)
    as_date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    row = eppgbm_row()
    for c, header in enumerate(EPPGBM_HEADER):
        value = row[header]
        if header == "Tanggal Pengukuran":
            sheet.write_datetime(1, c, pd.Timestamp(2025, 3, 4).to_pydatetime(), as_date)
        elif header == "Tgl Lahir":
            sheet.write_number(1, c, 45385)  # Excel serial of 3 April 2024
        else:
            sheet.write(1, c, value)
    workbook.close()
    assert _dates(_accepted(path)) == [(date(2024, 4, 3), date(2025, 3, 4))]


def test_sex_codes_and_unknown_sex(tmp_path):
    rows = [
        eppgbm_row(NIK="6402065505230001", JK="L"),
        eppgbm_row(NIK="6402065505230002", JK="P"),
        eppgbm_row(NIK="6402065505230003", JK="X"),
    ]
    table = read_register_file(write_eppgbm_csv(tmp_path / "e.csv", rows), KEY_HEADERS)
    result = validate_table(EPPGBM, table, RegionMatcher(), TODAY)
    assert result.accepted["sex"].tolist() == [1, 2]
    rejected = result.rejections[result.rejections["column_name"] == "JK"]
    assert len(rejected) == 1 and rejected["row_number"].tolist() == [4]
