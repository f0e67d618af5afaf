"""Size checks made before a workbook is opened by a reader.

A reader sizes its grid from the sheet's declared dimension and from its farthest cell,
and it inflates every zip part: a 3 KB workbook with one cell at XFD1048576, or a small
zip bomb, makes it ask for hundreds of GiB and the process aborts (no exception to catch).
So the zip directory and the first sheet's XML are checked first, streaming and counting
actual bytes (declared sizes can lie), and a file over a limit is refused in Bahasa.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_ROWS = 1_048_576  # Excel's own sheet limit
MAX_COLUMNS = 256  # registers have at most 40 columns; exports add a few
MAX_CELLS = 40_000_000  # rows x columns of the grid a reader allocates (1 M rows x 38 columns)
MAX_CELL_CHARS = 32_767  # Excel's own limit on the text of one cell
MAX_UNCOMPRESSED_BYTES = 1_500_000_000  # all parts together, inflated
MAX_COMPRESSION_RATIO = 200  # real sheets compress 5-15x; zip bombs 1000x and more
_RATIO_FROM_BYTES = 1_000_000  # tiny parts may compress oddly; judge the ratio only above this
_CHUNK = 1 << 20

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
# ' r="AB12"' is a cell reference whatever the attribute order (rows are ' r="12"', ranges
# 'ref="A1:B2"'); a literal start keeps the scan far faster than the reader.
_WIDE_CELL = re.compile(rb' r="([A-Z]{2,})\d')
_FAR_ROW = re.compile(rb' r="[A-Z]*(\d{7,})"')
_SHEET_ID = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?r:id="([^"]+)"')
_RELATION = re.compile(rb"<Relationship\s[^>]*>")


class WorkbookTooLarge(Exception):
    """The message is Bahasa, without the file name (the caller adds it)."""


@dataclass(frozen=True)
class SheetSize:
    rows: int
    columns: int


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_workbook(path: Path, sheet_index: int = 0) -> SheetSize:
    """Raise WorkbookTooLarge unless the workbook can be opened (zip directory, every part
    inflated, compression ratios) and its sheet number `sheet_index` (0-based, in the
    workbook's order, as the reader counts) read within the limits."""
    with zipfile.ZipFile(path) as archive:
        _check_directory(archive)
        parts = sheet_parts(archive)
        sheet = parts[sheet_index] if sheet_index < len(parts) else None
        inflated = 0
        for info in archive.infolist():
            if info.filename != sheet:
                inflated += _inflated_size(archive, info, MAX_UNCOMPRESSED_BYTES - inflated)
        if sheet is None:
            return SheetSize(0, 0)
        size, _ = _scan_sheet(archive, sheet, MAX_UNCOMPRESSED_BYTES - inflated)
    return _within_limits(size)


def check_sheet(path: Path, sheet_index: int) -> SheetSize:
    """Another sheet of a workbook check_workbook has passed: only its grid is measured."""
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        if sheet_index >= len(parts):
            return SheetSize(0, 0)
        size, _ = _scan_sheet(archive, parts[sheet_index], MAX_UNCOMPRESSED_BYTES)
    return _within_limits(size)


def _within_limits(size: SheetSize) -> SheetSize:
    if size.rows > MAX_ROWS:
        raise WorkbookTooLarge(f"sheet menyatakan {size.rows:,} baris (batas {MAX_ROWS:,})".replace(",", "."))
    if size.columns > MAX_COLUMNS:
        raise WorkbookTooLarge(
            f"sheet memakai kolom sampai ke-{size.columns:,} (batas {MAX_COLUMNS})".replace(",", ".")
        )
    if size.rows * size.columns > MAX_CELLS:
        raise WorkbookTooLarge(
            f"sheet terlalu besar: {size.rows:,} baris × {size.columns} kolom "
            f"(batas {MAX_CELLS:,} sel); pecah menjadi beberapa file".replace(",", ".")
        )
    return size


def _check_directory(archive: zipfile.ZipFile) -> None:
    declared = sum(info.file_size for info in archive.infolist())
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookTooLarge(_too_big(declared))
    for info in archive.infolist():
        if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(1, info.compress_size):
            raise WorkbookTooLarge(
                f"bagian '{info.filename}' mengembang {info.file_size // max(1, info.compress_size):,}× "
                "saat dibuka (bom zip?); simpan ulang file dari Excel".replace(",", ".")
            )


def _too_big(size: int) -> str:
    return (
        f"isi workbook {size / 1e9:.1f} GB setelah dibuka (batas {MAX_UNCOMPRESSED_BYTES / 1e9:.1f} GB)".replace(
            ".", ","
        )
        + "; pecah menjadi beberapa file"
    )


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Actual inflated size, stopping as soon as it passes the budget."""
    total = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > budget:
                raise WorkbookTooLarge(_too_big(MAX_UNCOMPRESSED_BYTES - budget + total))
    return total


def sheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The zip paths of the workbook's sheets in the workbook's order (what the reader opens
    by index); a workbook without its index falls back to the sheet files by name."""
    names = set(archive.namelist())
    fallback = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    try:
        workbook = archive.read("xl/workbook.xml")[:1_000_000]
        relations = archive.read("xl/_rels/workbook.xml.rels")[:1_000_000]
    except KeyError:
        return fallback
    targets = {}
    for relation in _RELATION.findall(relations):
        ident = re.search(rb'Id="([^"]+)"', relation)
        target = re.search(rb'Target="([^"]+)"', relation)
        if ident and target:
            text = target.group(1).decode(errors="replace")
            targets[ident.group(1)] = text.lstrip("/") if text.startswith("/") else posixpath.normpath("xl/" + text)
    parts = [targets.get(ident) for ident in _SHEET_ID.findall(workbook)]
    found = [part for part in parts if part in names]
    return found if found and len(found) == len(parts) else fallback


def _scan_sheet(archive: zipfile.ZipFile, part: str, budget: int) -> tuple[SheetSize, int]:
    """Rows and columns of the grid a reader would build: the declared dimension and the
    farthest row and column actually used, whichever is larger."""
    rows = columns = total = row_tags = 0
    tail = b""
    seen_start = False
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > budget:
                raise WorkbookTooLarge(_too_big(MAX_UNCOMPRESSED_BYTES - budget + total))
            data = tail + chunk
            if not seen_start:
                dimension = _DIMENSION.search(data[:8192])
                if dimension and dimension.group(3):
                    rows = max(rows, int(dimension.group(4)))
                    columns = max(columns, column_number(dimension.group(3).decode()))
                seen_start = True
            for letters in set(_WIDE_CELL.findall(data)):
                columns = max(columns, column_number(letters.decode()))
            rows = max(rows, _last_row(data))
            row_tags += data.count(b"<row") - tail.count(b"<row")
            tail = data[-64:]
    rows = max(rows, row_tags)
    # single-letter columns are not scanned for: count them as the full 26
    return SheetSize(rows, max(columns, 26 if rows else 0)), total


_ROW_NUMBER = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="[A-Z]+(\d+)"|<(?:\w+:)?row\s[^>]*?r="(\d+)"')


def _last_row(data: bytes) -> int:
    """The largest row number among the last references of a chunk (rows come in order;
    a cell far below its row is caught by the reference that names it)."""
    found = 0
    for match in _ROW_NUMBER.finditer(data[-4096:]):
        found = max(found, int(match.group(1) or match.group(2)))
    for match in _FAR_ROW.finditer(data):  # any reference past a million rows
        found = max(found, int(match.group(1)))
    return found
