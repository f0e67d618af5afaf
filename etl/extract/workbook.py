"""Which sheet of a workbook holds the register, and its rows as a user numbers them.

Real workbooks open with a cover or instruction sheet, keep an old copy in a hidden sheet,
or carry a pivot beside the data: the register is the first visible worksheet whose first
rows hold the header (hidden sheets are tried last). Each sheet is size-checked before it
is opened (etl/extract/bounds.py). Rows are streamed and blank rows dropped as they come,
so a sheet formatted down to row 1,048,576 costs no more than its data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.extract.bounds import WorkbookTooLarge, check_sheet

HEAD_ROWS = 30  # the header is looked for in this many rows of each sheet

FindHeader = Callable[[list[list[object]]], int]


class NoDataSheet(Exception):
    """No sheet holds the header; the message is Bahasa, without the file name."""


@dataclass
class DataSheet:
    name: str
    head: list[list[object]]  # the first rows (0-based as in the file), for the header
    rows: Iterator[tuple[int, list[object]]]  # (0-based row, cells) of the non-blank rows after `head`
    merged: list
    header_index: int  # 0-based row of the header in `head`
    notes: list[str]


def open_data_sheet(path: Path, find_header: FindHeader, checked: int = 0) -> DataSheet:
    """The first sheet with a header: visible worksheets in order, then hidden ones.
    `checked`: the sheet check_workbook already measured (with the whole zip)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    metadata = list(workbook.sheets_metadata)
    worksheets = [i for i, m in enumerate(metadata) if "WorkSheet" in str(m.typ)]
    visible = [i for i in worksheets if str(metadata[i].visible).endswith(".Visible")]
    order = visible + [i for i in worksheets if i not in visible]
    empty = True
    for index in order:
        try:
            if index != checked:
                check_sheet(path, index)
        except WorkbookTooLarge as error:
            raise WorkbookTooLarge(f"sheet '{metadata[index].name}': {error}") from error
        sheet = workbook.get_sheet_by_index(index)
        rows = _rows(sheet)
        head = [row for _, row in _take(rows, HEAD_ROWS)]
        if any(cell not in (None, "") for row in head for cell in row):
            empty = False
        header_index = find_header(head)
        if header_index < 0:
            continue
        notes = _notes(metadata, index, visible)
        return DataSheet(metadata[index].name, head, rows, sheet.merged_cell_ranges or [], header_index, notes)
    if not order:
        raise NoDataSheet("workbook tidak berisi sheet data")
    if empty:
        raise NoDataSheet("semua sheet kosong" if len(order) > 1 else "sheet kosong")
    raise NoDataSheet(f"baris judul kolom tidak ditemukan di sheet mana pun ({', '.join(_names(metadata, order))})")


def _names(metadata: list, indices: list[int]) -> list[str]:
    return [f"'{metadata[i].name}'" for i in indices[:8]] + (["…"] if len(indices) > 8 else [])


def _notes(metadata: list, chosen: int, visible: list[int]) -> list[str]:
    others = [i for i in visible if i != chosen]
    if chosen not in visible:
        return [
            f"data dibaca dari sheet tersembunyi '{metadata[chosen].name}' "
            "(tidak ada sheet terlihat yang memuat judul kolom)"
        ]
    if not others:
        return []
    return [
        f"data dibaca dari sheet '{metadata[chosen].name}'; sheet lain tidak dibaca "
        f"({', '.join(_names(metadata, others))}): bila berisi data juga, simpan tiap sheet sebagai file sendiri"
    ]


def _take(rows: Iterator[tuple[int, list[object]]], count: int) -> Iterator[tuple[int, list[object]]]:
    for _ in range(count):
        try:
            yield next(rows)
        except StopIteration:
            return


def _rows(sheet) -> Iterator[tuple[int, list[object]]]:
    """Every row from the sheet's first row, cells from column A. calamine's rows start at
    row 1 but at the range's first used column: the leading columns are put back, so that
    merged ranges (absolute positions) line up."""
    start = sheet.start
    pad = [None] * (start[1] if start else 0)
    for number, row in enumerate(sheet.iter_rows()):
        yield number, pad + list(row) if pad else list(row)


def non_blank(rows: Iterator[tuple[int, list[object]]], width: int) -> Iterator[tuple[int, list[object]]]:
    for number, row in rows:
        cells = row[:width]
        if any(cell is not None and cell != "" for cell in cells):
            yield number, cells


_MAX_FILLED_MERGES = 100_000  # more merged blocks than any register holds: leave them as they are


def fill_vertical_merges(
    rows: Iterator[tuple[int, list[object]]], merged: list, below: int
) -> Iterator[tuple[int, list[object]]]:
    """A cell merged down over data rows (a kecamatan typed once beside its desa) reads as a
    user reads it: its value on every row of the block. Rows above `below` (0-based, the
    header) are left alone; so are merges within one row."""
    blocks = sorted(
        (top, bottom, left) for (top, left), (bottom, _) in merged[:_MAX_FILLED_MERGES] if bottom > top and top > below
    )
    if not blocks:
        yield from rows
        return
    pending = iter(blocks)
    upcoming = next(pending, None)
    active: list[tuple[int, int, object]] = []  # (bottom, column, value)
    for number, row in rows:
        while upcoming is not None and upcoming[0] < number:  # a block starting on a blank, dropped row
            upcoming = next(pending, None)
        while upcoming is not None and upcoming[0] == number:
            top, bottom, left = upcoming
            value = row[left] if left < len(row) else None
            if value not in (None, ""):
                active.append((bottom, left, value))
            upcoming = next(pending, None)
        active = [block for block in active if block[0] >= number]
        for _, column, value in active:
            if column < len(row) and row[column] in (None, ""):
                row[column] = value
        yield number, row
