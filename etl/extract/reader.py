"""Read one register file (CSV or Excel) as text cells, wherever its header row is.

Every cell comes back as a string (or NA) so that validation sees exactly what the user
typed and can name the file, row and column of a bad value. `row_number` is the row as
the user sees it: the line in a CSV, the row in Excel.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from etl.extract.bounds import MAX_CELL_CHARS, WorkbookTooLarge, check_workbook

ROW_COLUMN = "_row"
RAGGED_COLUMN = "_extra_cells"  # number of cells beyond the header in that row
ROW_PROBLEM_COLUMN = "_row_problem"  # a reason (Bahasa) the reader refuses the row, else NA
INTERNAL_COLUMNS = (ROW_COLUMN, RAGGED_COLUMN, ROW_PROBLEM_COLUMN)
LONG_CELL = f"sel lebih dari {MAX_CELL_CHARS:,} karakter (batas sel Excel); baris tidak dimuat".replace(",", ".")
# Control characters (NUL, form feed, vertical tab, C1, U+2028/9 line and paragraph
# separators) become spaces before parsing: str.splitlines() and the csv module disagree
# on which of them end a line, and none of them belongs in a name.
_CONTROLS = {c: " " for c in [*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0), 0x2028, 0x2029]}
# The same characters as one regex class: a scan that finds none costs a tenth of translate().
_CONTROL_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CONTROLS)) + "]")
_LONE_CR = re.compile(r"\r(?!\n)")
_HEADER_SCAN_ROWS = 30
_ENCODINGS = ("utf-8-sig", "cp1252")


class ReadError(Exception):
    """A file that cannot be read at all; the message is in Bahasa and names the file."""


@dataclass(frozen=True)
class RawTable:
    path: Path
    frame: pd.DataFrame  # text cells, original headers, plus ROW_COLUMN
    header_row: int  # 1-based row of the header in the file


def normalise_header(text: object) -> str:
    return " ".join(str(text).replace("\n", " ").split()).lower() if text is not None else ""


def read_register_file(path: Path, key_headers: set[str]) -> RawTable:
    """Read a .csv/.xlsx file whose header row contains at least one of `key_headers`."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name}: file kosong")
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        return _read_excel(path, key_headers)
    if suffix in {".csv", ".txt"}:
        return _read_csv(path, key_headers)
    raise ReadError(f"{path.name}: jenis file '{suffix}' tidak didukung (gunakan .csv atau .xlsx)")


def _find_header(rows: list[list[object]], key_headers: set[str]) -> int:
    wanted = {normalise_header(h) for h in key_headers}
    best, best_hits = -1, 0
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        hits = len(wanted & {normalise_header(c) for c in row})
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text": UTF-16 with BOM, tab separated
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReadError(f"{path.name}: file teks UTF-16 rusak, tidak bisa dibaca") from error
    head = raw[:4096]
    if head.count(b"\x00") > len(head) // 100:  # a stray NUL in a cell is cleaned; many mean binary
        raise ReadError(f"{path.name}: bukan file teks CSV (berisi data biner)")
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _clean_text(text: str) -> str:
    """One kind of line end and no control characters: "\\r\\n" and "\\n" end lines; a lone
    "\\r" ends lines only in a file that has no "\\n" at all (old Mac), else it is a space."""
    text = _CONTROL_CHARS.sub(" ", text)
    if "\r" not in text:
        return text
    if "\n" not in text:
        return text.replace("\r", "\n")
    return _LONE_CR.sub(" ", text)


def _sniff_separator(lines: list[str]) -> str:
    sample = "\n".join(lines[:_HEADER_SCAN_ROWS])
    counts = {sep: sample.count(sep) for sep in (";", ",", "\t", "|")}
    return max(counts, key=counts.get)


def _allow_long_fields() -> None:
    """The csv module refuses fields over 128 KB with an exception that would stop the
    whole file; read them, and refuse the row afterwards (LONG_CELL)."""
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _head_records(lines: list[str], sep: str) -> tuple[list[list[str]], list[int]]:
    """The first records and, for each, the number of lines read up to its end (a quoted
    title cell may span lines)."""
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=sep)
    rows, ends = [], []
    for cells in reader:
        rows.append(cells)
        ends.append(reader.line_num)
    return rows, ends


def _read_csv(path: Path, key_headers: set[str]) -> RawTable:
    _allow_long_fields()
    text = _clean_text(_decode(path))
    head_lines = text.split("\n", _HEADER_SCAN_ROWS)[:_HEADER_SCAN_ROWS]
    if not head_lines or not any(line.strip() for line in head_lines):
        raise ReadError(f"{path.name}: file kosong")
    sep = _sniff_separator(head_lines)
    head_rows, head_ends = _head_records(head_lines, sep)
    header_index = _find_header(head_rows, key_headers)
    if header_index < 0:
        if not text.replace(sep, "").strip():  # only separators and blank lines
            raise ReadError(f"{path.name}: file kosong")
        raise ReadError(
            f"{path.name}: baris judul kolom tidak ditemukan (kolom yang dicari: {', '.join(sorted(key_headers))})"
        )
    header = [h.strip() for h in head_rows[header_index]]
    header_end = head_ends[header_index]  # the header's last line (1-based)
    body_lines = _lines_after(text, header_end)
    frame = _parse_csv_body(body_lines, sep, len(header), path)
    frame = _name_columns(frame, header)
    frame[ROW_COLUMN] = frame.pop("__line").astype("int64") + header_end
    frame = _drop_blank_rows(_mark_long_cells(frame, header))
    return RawTable(path=path, frame=frame, header_row=header_index + 1)


def _lines_after(text: str, skip: int) -> str:
    position = 0
    for _ in range(skip):
        newline = text.find("\n", position)
        if newline < 0:
            return ""
        position = newline + 1
    return text[position:]


def _parse_csv_body(body: str, sep: str, width: int, path: Path) -> pd.DataFrame:
    columns = [f"c{i}" for i in range(width)]
    if not body.strip():
        frame = pd.DataFrame(columns=columns, dtype="string")
        frame["__line"] = pd.Series(dtype="int64")
        return frame
    try:
        frame = pd.read_csv(
            io.StringIO(body),
            sep=sep,
            header=None,
            names=columns,
            dtype="string",
            engine="pyarrow",
        )
    except Exception:  # ragged rows: fall back to a reader that keeps line numbers
        return _parse_ragged_csv(body, sep, width)
    line_count = body.count("\n") + (0 if body.endswith("\n") else 1)
    if len(frame) != line_count:  # blank or multi-line rows: numbering needs the slow path
        return _parse_ragged_csv(body, sep, width)
    frame["__line"] = range(1, len(frame) + 1)
    return frame


def _parse_ragged_csv(body: str, sep: str, width: int) -> pd.DataFrame:
    records = []
    reader = csv.reader(io.StringIO(body), delimiter=sep)
    line_number = 1  # a record is numbered by the line it starts on (a quoted cell may span lines)
    for cells in reader:
        start, line_number = line_number, reader.line_num + 1
        if not cells:
            continue
        extra = max(0, len(cells) - width)
        spanned = line_number - start
        problem = _unclosed_quote(start, spanned) if spanned > _MAX_LINES_PER_RECORD else None
        cells = [c.replace("\r", " ").replace("\n", " ") if "\n" in c or "\r" in c else c for c in cells[:width]]
        records.append([*cells, *[None] * (width - len(cells)), start, extra, problem])
    frame = pd.DataFrame(
        records, columns=[*[f"c{i}" for i in range(width)], "__line", RAGGED_COLUMN, ROW_PROBLEM_COLUMN]
    )
    frame[ROW_PROBLEM_COLUMN] = frame[ROW_PROBLEM_COLUMN].astype("string")
    for column in frame.columns[:width]:
        frame[column] = frame[column].astype("string")
    return frame


_MAX_LINES_PER_RECORD = 5  # an address over two or three lines is normal; more is a lost quote


def _unclosed_quote(start: int, lines: int) -> str:
    return (
        f'tanda petik (") tidak ditutup: baris {start:,}–{start + lines - 1:,} terbaca sebagai satu baris; '
        "perbaiki tanda petik lalu muat ulang"
    ).replace(",", ".")


def _name_columns(frame: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    names = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        name = name or f"(kolom tanpa judul {index + 1})"
        if name in seen:  # duplicated header: keep both, the second marked
            seen[name] += 1
            name = f"{name} [{seen[name]}]"
        else:
            seen[name] = 1
        names.append(name)
    frame = frame.rename(columns=dict(zip(frame.columns[: len(names)], names)))
    if RAGGED_COLUMN in frame.columns:
        frame[RAGGED_COLUMN] = frame[RAGGED_COLUMN].astype("int64")
    for column in names:
        frame[column] = frame[column].str.strip().replace("", pd.NA)
    return frame


def _mark_long_cells(frame: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    """Cells over MAX_CELL_CHARS are dropped and their row refused with LONG_CELL."""
    problem = frame.get(ROW_PROBLEM_COLUMN, pd.Series(pd.NA, index=frame.index, dtype="string"))
    for column in frame.columns:
        if column in INTERNAL_COLUMNS or column == "__line" or frame[column].dtype != "string":
            continue
        long = (frame[column].str.len() > MAX_CELL_CHARS).fillna(False)
        if long.any():
            frame[column] = frame[column].mask(long)
            problem = problem.mask(long, LONG_CELL)
    frame[ROW_PROBLEM_COLUMN] = problem
    return frame


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if RAGGED_COLUMN not in frame.columns:
        frame[RAGGED_COLUMN] = 0
    if ROW_PROBLEM_COLUMN not in frame.columns:
        frame[ROW_PROBLEM_COLUMN] = pd.Series(pd.NA, index=frame.index, dtype="string")
    data_columns = [c for c in frame.columns if c not in INTERNAL_COLUMNS]
    if not data_columns:
        return frame
    kept = frame[data_columns].notna().any(axis=1) | frame[ROW_PROBLEM_COLUMN].notna()
    return frame[kept].reset_index(drop=True)


def _read_excel(path: Path, key_headers: set[str]) -> RawTable:
    if not zipfile.is_zipfile(path):
        if path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise ReadError(
                f"{path.name}: workbook terkunci kata sandi atau format Excel lama (.xls); "
                "buka di Excel, hapus kata sandi, dan simpan sebagai .xlsx"
            )
        raise ReadError(f"{path.name}: bukan file Excel .xlsx yang sah (mungkin file lain yang diganti namanya)")
    try:
        check_workbook(path)
    except WorkbookTooLarge as error:
        raise ReadError(f"{path.name}: {error}") from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ReadError(f"{path.name}: file Excel rusak, tidak bisa dibaca ({type(error).__name__})") from error
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except Exception as error:  # noqa: BLE001 - any reader failure is the file's fault
        raise ReadError(f"{path.name}: file Excel tidak bisa dibaca ({error})") from error
    if not any(c not in (None, "") for row in rows[:_HEADER_SCAN_ROWS] for c in row):
        raise ReadError(f"{path.name}: sheet pertama kosong (hanya sheet pertama yang dibaca)")
    header_index = _find_header(rows, key_headers)
    if header_index < 0:
        raise ReadError(
            f"{path.name}: baris judul kolom tidak ditemukan (kolom yang dicari: {', '.join(sorted(key_headers))})"
        )
    header, last_header_index = _merged_header(rows, header_index, merged)
    width = len(header)
    body = [
        [_cell_text(c) for c in (row[:width] + [None] * (width - len(row)))] for row in rows[last_header_index + 1 :]
    ]
    frame = pd.DataFrame(body, columns=[f"c{i}" for i in range(width)], dtype="string")
    frame["__line"] = range(1, len(frame) + 1)
    frame = _name_columns(frame, header)
    frame[ROW_COLUMN] = frame.pop("__line").astype("int64") + last_header_index + 1
    frame = _mark_long_cells(frame, header)
    return RawTable(path=path, frame=_drop_blank_rows(frame), header_row=header_index + 1)


def _merged_header(rows: list[list[object]], index: int, merged: list) -> tuple[list[str], int]:
    """The header cells and the last header row (0-based), reading merged cells as a user does.

    A header cell merged down over the next row(s) makes a two-level header: each column's
    name is its lowest non-empty header cell ("Hasil Pengukuran" above "Berat" gives
    "Berat"), a cell merged from above keeps the merged text, and data starts below.
    """
    last = index
    for (top, _), (bottom, _) in merged:
        if top <= index < bottom:
            last = max(last, bottom)
    levels = [list(rows[r]) for r in range(index, last + 1)]
    width = max(len(level) for level in levels)
    levels = [level + [None] * (width - len(level)) for level in levels]
    for (top, left), (bottom, right) in merged:
        if bottom < index or top > last or top == bottom:
            continue  # only vertical merges fill header cells; a wide group title does not
        text = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        for r in range(max(top, index), min(bottom, last) + 1):
            for c in range(left, min(right, width - 1) + 1):
                if levels[r - index][c] in (None, ""):
                    levels[r - index][c] = text
    header = []
    for c in range(width):
        names = [_cell_text(level[c]) for level in levels]
        header.append(next((n for n in reversed(names) if n), ""))
    return header, last


def _cell_text(cell: object) -> str | None:
    """Excel cells as the text a user would read (no 6.4e15 for a NIK, ISO for dates)."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e17 else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return " ".join(str(cell).translate(_CONTROLS).split()) or None
