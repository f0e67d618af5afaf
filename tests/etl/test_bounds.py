"""etl/extract/bounds.py: a workbook's size is judged from its zip directory and its first
sheet's XML before any reader allocates for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.extract import bounds
from etl.extract.bounds import WorkbookTooLarge, check_workbook
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_xlsx
from tests.support.hostile_files import (
    _SHEET_OPEN,
    _header_row,
    write_far_corner_xlsx,
    write_wide_xlsx,
    write_workbook,
    write_zip_bomb_xlsx,
)


def test_a_real_export_passes_with_its_size(tmp_path: Path):
    path = write_eppgbm_xlsx(tmp_path / "eppgbm.xlsx", [eppgbm_row() for _ in range(50)])
    size = check_workbook(path)
    assert size.rows == 53 and size.columns == 39  # title, blank row, header, 50 rows; No + 38 columns


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (write_far_corner_xlsx, "kolom sampai ke-16.384"),
        (lambda p: write_far_corner_xlsx(p, declare=False), "kolom sampai ke-16.384"),
        (write_wide_xlsx, "kolom sampai ke-1.000"),
        (lambda p: write_zip_bomb_xlsx(p, megabytes=20), "bom zip"),
    ],
)
def test_hostile_workbooks_are_refused(tmp_path: Path, write, message: str):
    path = tmp_path / "x.xlsx"
    write(path)
    assert path.stat().st_size < 200_000
    with pytest.raises(WorkbookTooLarge, match=message):
        check_workbook(path)


def test_the_reference_is_found_whatever_the_attribute_order(tmp_path: Path):
    sheet = (
        _SHEET_OPEN
        + "<sheetData>"
        + _header_row()
        + '<row r="2"><c t="inlineStr" s="0" r="XFD2"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(WorkbookTooLarge, match="16.384"):
        check_workbook(write_workbook(tmp_path / "x.xlsx", sheet))


def test_a_row_past_excel_limit_is_refused(tmp_path: Path):
    sheet = (
        _SHEET_OPEN
        + "<sheetData>"
        + _header_row()
        + '<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(WorkbookTooLarge, match="2.000.000 baris"):
        check_workbook(write_workbook(tmp_path / "x.xlsx", sheet))


def test_inflated_bytes_are_counted_not_trusted(tmp_path: Path, monkeypatch):
    """A ratio under the limit but more inflated bytes than allowed (the count stops early)."""
    monkeypatch.setattr(bounds, "MAX_UNCOMPRESSED_BYTES", 5_000_000)
    with pytest.raises(WorkbookTooLarge, match="setelah dibuka"):
        check_workbook(write_workbook(tmp_path / "x.xlsx", _SHEET_OPEN + "<sheetData>" + "<row/>" * 2_000_000, level=0))
