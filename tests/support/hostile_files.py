"""Hostile workbooks, written by code (nothing binary committed): small files that make a
reader ask for far more memory than they hold."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.support.eppgbm_files import EPPGBM_HEADER

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_inline(f"{_column(i + 1)}1", h) for i, h in enumerate(EPPGBM_HEADER)) + "</row>"


def write_workbook(path: Path, sheet_xml: str | bytes, level: int = 9) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def write_far_corner_xlsx(path: Path, declare: bool = True) -> Path:
    """The e-PPGBM header and one cell at the sheet's far corner XFD1048576 (about 3 KB)."""
    dimension = '<dimension ref="A1:XFD1048576"/>' if declare else ""
    sheet = (
        _SHEET_OPEN
        + dimension
        + "<sheetData>"
        + _header_row()
        + '<row r="1048576">'
        + _inline("XFD1048576", "x")
        + "</row></sheetData></worksheet>"
    )
    return write_workbook(path, sheet)


def write_zip_bomb_xlsx(path: Path, megabytes: int = 300) -> Path:
    """The e-PPGBM header, then `megabytes` of one repeated cell padding: a few hundred KB
    on disk, hundreds of MB (and a grid of millions of rows) once inflated."""
    row = "<row>" + _inline("A2", "A" * 2000) + "</row>"
    repeat = megabytes * 1_000_000 // len(row)
    body = (_SHEET_OPEN + "<sheetData>" + _header_row()).encode() + row.encode() * repeat
    return write_workbook(path, body + b"</sheetData></worksheet>")


def write_wide_xlsx(path: Path, column: int = 1000) -> Path:
    """The e-PPGBM header and one data row whose last cell sits in column `column`."""
    data = '<row r="2">' + _inline("A2", "x") + _inline(f"{_column(column)}2", "y") + "</row>"
    return write_workbook(path, _SHEET_OPEN + "<sheetData>" + _header_row() + data + "</sheetData></worksheet>")
