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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path

import pandas as pd

from etl.extract.bounds import MAX_CELL_CHARS, WorkbookTooLarge, check_workbook
from etl.extract.markup import looks_like_markup, markup_rows
from etl.extract.workbook import NoDataSheet, fill_vertical_merges, non_blank, open_data_sheet

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
    notes: tuple[str, ...] = ()  # what the reader chose on the user's behalf (Bahasa, file named)


_HEADER_PUNCTUATION = str.maketrans({"_": " ", ".": " ", ":": " ", "*": " ", "\n": " "})


def normalise_header(text: object) -> str:
    """Headers compare without case, spacing, underscores, dots, colons or the asterisk
    of a required column: "TGL_LAHIR", "Tgl. Lahir:" and "tgl lahir*" are "tgl lahir"."""
    return " ".join(str(text).translate(_HEADER_PUNCTUATION).split()).lower() if text is not None else ""


_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_TEXT_SUFFIXES = {".csv", ".txt"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_register_file(path: Path, key_headers: set[str]) -> RawTable:
    """Read a .csv/.xlsx file whose header row contains at least one of `key_headers`.

    The content decides how, not the name: a workbook named .csv is read as a workbook, and
    a CSV or an HTML table named .xls/.xlsx (what many web applications export) as text,
    each with a note saying so.
    """
    try:
        return _read_by_content(path, key_headers)
    except PermissionError as error:
        raise ReadError(
            f"{path.name}: file tidak bisa dibuka (izin ditolak, atau file sedang dibuka di program lain "
            "seperti Excel); tutup file itu lalu ulangi"
        ) from error
    except OSError as error:
        raise ReadError(f"{path.name}: file tidak bisa dibuka ({error.strerror or type(error).__name__})") from error


def _read_by_content(path: Path, key_headers: set[str]) -> RawTable:
    suffix = path.suffix.lower()
    if suffix not in _EXCEL_SUFFIXES | _TEXT_SUFFIXES:
        raise ReadError(f"{path.name}: jenis file '{suffix}' tidak didukung (gunakan .csv atau .xlsx)")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name}: file kosong")
    with path.open("rb") as stream:
        magic = stream.read(8)
    if magic.startswith(b"PK"):
        table = _read_excel(path, key_headers)
        if suffix in _TEXT_SUFFIXES:
            return _with_note(table, f"{path.name}: isinya workbook Excel walau bernama {suffix}; dibaca sebagai Excel")
        return table
    if magic == _OLE2:
        raise ReadError(
            f"{path.name}: workbook terkunci kata sandi atau format Excel lama (.xls); "
            "buka di Excel, hapus kata sandi, dan simpan sebagai .xlsx"
        )
    if suffix in _EXCEL_SUFFIXES:
        text = _decode_or_none(path)
        if text is None:
            raise ReadError(f"{path.name}: bukan file Excel .xlsx yang sah (mungkin file lain yang diganti namanya)")
        if looks_like_markup(text):
            return _with_note(
                _read_markup(path, text, key_headers),
                f"{path.name}: isinya tabel HTML/XML (ekspor aplikasi web) walau bernama {suffix}; dibaca sebagai tabel",
            )
        return _with_note(
            _read_csv(path, key_headers, text),
            f"{path.name}: isinya teks CSV walau bernama {suffix}; dibaca sebagai CSV",
        )
    text = _decode(path)
    if looks_like_markup(text):
        return _read_markup(path, text, key_headers)
    return _read_csv(path, key_headers, text)


def _with_note(table: RawTable, note: str) -> RawTable:
    return RawTable(table.path, table.frame, table.header_row, (note, *table.notes))


def bare_header(text: object) -> str:
    """The normalised header without its parenthesised notes: "Jenis Kelamin (L/P)" and
    "Berat Badan (kg)" are "jenis kelamin" and "berat badan"."""
    return " ".join(re.sub(r"\([^)]*\)", " ", normalise_header(text)).split())


def _find_header(rows: list[list[object]], key_headers: set[str]) -> int:
    wanted = {bare_header(h) for h in key_headers} - {""}
    best, best_hits = -1, 0
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        hits = len(wanted & {bare_header(c) for c in row if c not in (None, "")})
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                if encoding == "utf-8":  # one cp1252 byte typed into a UTF-8 file: keep the rest
                    return raw[len(bom) :].decode("utf-8", errors="replace")
                raise ReadError(f"{path.name}: file teks {encoding.upper()} rusak, tidak bisa dibaca") from error
    head = raw[:4096]
    unmarked = _utf16_without_bom(head)
    if unmarked:  # Excel's "Unicode Text" saved by other tools: UTF-16 with no BOM
        return raw.decode(unmarked, errors="replace")
    if head.count(b"\x00") > len(head) // 100:  # a stray NUL in a cell is cleaned; many mean binary
        raise ReadError(f"{path.name}: bukan file teks CSV (berisi data biner)")
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _decode_or_none(path: Path) -> str | None:
    try:
        return _decode(path)
    except ReadError:
        return None


# Longest first: the UTF-32 little-endian mark begins with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16_without_bom(head: bytes) -> str | None:
    """Text of Latin letters in UTF-16 has a NUL in every other byte and nowhere else."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    if odd > 0.6 * pairs and even < 0.02 * pairs:
        return "utf-16-le"
    if even > 0.6 * pairs and odd < 0.02 * pairs:
        return "utf-16-be"
    return None


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


def _read_csv(path: Path, key_headers: set[str], text: str) -> RawTable:
    _allow_long_fields()
    text = _clean_text(text)
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
    body_lines = _blank_separator_lines(_lines_after(text, header_end), sep)
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


def _blank_separator_lines(body: str, sep: str) -> str:
    """Lines of separators only (";;;;", what Excel writes for every formatted but empty row
    of a sheet saved as CSV, up to a million) become blank lines: same numbering, no rows."""
    if sep * 2 not in body:
        return body
    return re.sub(rf"(?m)^[ \t]*(?:{re.escape(sep)}[ \t]*)+\r?$", "", body)


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
    if len(frame) == line_count:
        frame["__line"] = range(1, len(frame) + 1)
        return frame
    if '"' not in body:  # blank lines but no quoted cell spanning lines: the others are the records
        lines = body.split("\n")
        numbers = [number for number, line in enumerate(lines, start=1) if line not in ("", "\r")]
        if len(numbers) == len(frame):
            frame["__line"] = numbers
            return frame
    return _parse_ragged_csv(body, sep, width)  # multi-line rows: numbering needs the slow path


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
    try:
        check_workbook(path)  # the zip itself: directory, inflated size, compression ratio
        sheet = open_data_sheet(path, lambda rows: _find_header(rows, key_headers))
    except WorkbookTooLarge as error:
        raise ReadError(f"{path.name}: {error}") from error
    except NoDataSheet as error:
        reason = str(error)
        if "judul kolom" in reason:
            reason += f" (kolom yang dicari: {', '.join(sorted(key_headers))})"
        raise ReadError(f"{path.name}: {reason}") from error
    except PermissionError:
        raise  # not a damaged file: read_register_file says to close it in Excel
    except _BROKEN_ZIP as error:
        raise ReadError(f"{path.name}: file Excel rusak, tidak bisa dibaca ({_broken_zip_reason(error)})") from error
    except Exception as error:  # noqa: BLE001 - any reader failure is the file's fault
        raise ReadError(f"{path.name}: file Excel tidak bisa dibaca: {_reader_failure(error)}") from error
    return _grid_table(path, sheet.head, sheet.header_index, sheet.merged, sheet.rows, sheet.notes)


def _read_markup(path: Path, text: str, key_headers: set[str]) -> RawTable:
    try:
        rows = [[_cell_text(c) for c in row] for row in markup_rows(_CONTROL_CHARS.sub(" ", text))]
    except WorkbookTooLarge as error:
        raise ReadError(f"{path.name}: {error}") from error
    if not any(c for row in rows for c in row):
        raise ReadError(f"{path.name}: tidak ada tabel berisi data di dalam file")
    head = rows[:_HEADER_SCAN_ROWS]
    header_index = _find_header(head, key_headers)
    if header_index < 0:
        raise ReadError(
            f"{path.name}: baris judul kolom tidak ditemukan (kolom yang dicari: {', '.join(sorted(key_headers))})"
        )
    rest = ((number, row) for number, row in enumerate(rows) if number >= len(head))
    return _grid_table(path, head, header_index, [], rest, [])


def _grid_table(
    path: Path,
    head: list[list[object]],
    header_index: int,
    merged: list,
    rest: Iterator[tuple[int, list[object]]],
    notes: list[str],
) -> RawTable:
    """A sheet-like grid (first rows in `head`, the others streamed) as a RawTable."""
    header, last_header_index = _merged_header(head, header_index, merged)
    width = len(header)
    body = ((number, row) for number, row in enumerate(head) if number > last_header_index)
    body = fill_vertical_merges(chain(body, rest), merged, last_header_index)
    records = [
        [*(_cell_text(c) for c in cells), *[None] * (width - len(cells)), number + 1]
        for number, cells in non_blank(body, width)
        if number > last_header_index
    ]
    frame = pd.DataFrame(records, columns=[*(f"c{i}" for i in range(width)), "__line"])
    for column in frame.columns[:width]:
        frame[column] = frame[column].astype("string")
    frame = _name_columns(frame, header)
    frame[ROW_COLUMN] = frame.pop("__line").astype("int64")
    frame = _mark_long_cells(frame, header)
    notes = tuple(f"{path.name}: {note}" for note in notes)
    return RawTable(path=path, frame=_drop_blank_rows(frame), header_row=header_index + 1, notes=notes)


# What a damaged zip raises while it is inflated: a broken deflate stream (zlib.error), a
# compression method no one supports, an encrypted entry, a bad CRC, a truncated part.
_BROKEN_ZIP = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError)


def _reader_failure(error: Exception) -> str:
    """What went wrong inside the workbook, in Bahasa (the reader's own words after it)."""
    kind, detail = type(error).__name__, str(error)[:120]
    if kind == "XmlError":
        return f"isi XML rusak atau memakai entitas buatan sendiri ({detail})"
    if kind == "WorksheetNotFound":
        return f"sheet yang tercantum tidak ada di dalam file ({detail})"
    if kind == "PasswordError":
        return "workbook terkunci kata sandi; hapus kata sandi lalu simpan ulang"
    if "File not found" in detail:
        return f"arsip zip ini bukan workbook Excel, mungkin file zip lain yang diganti namanya ({detail})"
    if "shared strings" in detail:
        return f"daftar teks workbook rusak ({detail})"
    return detail


def _broken_zip_reason(error: BaseException) -> str:
    if isinstance(error, NotImplementedError):
        return "metode kompresi tidak dikenal"
    if isinstance(error, RuntimeError) and "password" in str(error).lower():
        return "isi zip terkunci kata sandi"
    return "isi zip rusak atau terpotong"


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
    last = min(last, len(rows) - 1)
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
