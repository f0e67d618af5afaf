"""The bad-input corpus's building blocks: what a corpus file expects, children, rows and the
CSV/xlsx writers; the registry the case modules add their files to (see corpus.py)."""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from tests.support.eppgbm_files import EPPGBM_HEADER, eppgbm_row

TODAY = date(2025, 11, 30)  # the build's "today": dates after it are in the future
REJECTED, BLANKED = "ditolak", "dikosongkan"
FILE = "(file)"
BIG_ROWS = 2_000_000
BIG_CHILDREN = 100_000  # BIG_ROWS / BIG_CHILDREN months of history

FIRST_NAMES = ("Siti", "Muhammad", "Aisyah", "Bayu", "Nabila", "Rizky", "Putri", "Ahmad", "Dewi", "Fajar")
LAST_NAMES = ("Aminah", "Pratama", "Ramadhani", "Saputra", "Kusuma", "Hidayat", "Lestari", "Wibowo")
MOTHER_NAMES = ("Rahmawati", "Nurhayati", "Sri Wahyuni", "Kartini", "Dewi Sartika", "Fitriani")
VARIANT_HEADER = (
    "NIK", "Nama Anak", "Jenis Kelamin", "Tanggal Lahir", "Kecamatan", "Puskesmas", "Kelurahan",
    "Posyandu", "Tanggal Pengukuran", "Berat (kg)", "Tinggi (cm)", "LiLA (cm)",
)  # fmt: skip
VARIANT_NAMES = {
    "Nama": "Nama Anak", "JK": "Jenis Kelamin", "Tgl Lahir": "Tanggal Lahir", "Kec": "Kecamatan",
    "Pukesmas": "Puskesmas", "Desa/Kel": "Kelurahan", "Berat": "Berat (kg)", "Tinggi": "Tinggi (cm)",
    "LiLA": "LiLA (cm)",
}  # fmt: skip
FORMULAS = ('=HYPERLINK("http://x","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)")
LONG_TEXT = "A" * 10_000
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 64
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


@dataclass(frozen=True)
class Expected:
    """One message of `etl_rejected_row`: row as the user sees it, column header, reason fragment."""

    row: int
    column: str
    reason: str
    action: str = REJECTED


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to the source folder
    register: str
    loaded: int  # rows of this file that reach the warehouse
    expected: tuple[Expected, ...]
    write: Callable[[Path], object] = field(repr=False, compare=False)
    note: str = ""  # a fragment the build report's notes must contain

    @property
    def name(self) -> str:
        return Path(self.path).name


# --------------------------------------------------------------------------
# Children and rows
# --------------------------------------------------------------------------


def _letters(number: int) -> str:
    """A letters-only tag (names are compared without digits in the fallback child key)."""
    letters = ""
    for _ in range(3):
        number, rest = divmod(number, 26)
        letters = string.ascii_lowercase[rest] + letters
    return "Q" + letters


def child(tag: int, index: int, **values: object) -> dict[str, object]:
    """A valid e-PPGBM row for child `index` of corpus file `tag`; override any header."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    row = eppgbm_row(
        NIK=f"640206{tag:04d}{index:06d}",
        Nama=f"{first} {_letters(tag)} {last}",
        **{"Nama Ortu": f"{MOTHER_NAMES[index % len(MOTHER_NAMES)]} {_letters(tag)}"},
    )
    row.update(values)
    return row


def children(tag: int, count: int, start: int = 0, **values: object) -> list[dict[str, object]]:
    return [child(tag, i, **values) for i in range(start, start + count)]


def _cells(rows: Sequence[dict], header: Sequence[str], rename: dict[str, str] | None = None) -> list[list[object]]:
    back = {v: k for k, v in (rename or {}).items()}
    return [[row.get(back.get(h, h), "") for h in header] for row in rows]


def _text(value: object, comma_decimals: bool) -> str:
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if comma_decimals else text
    return str(value)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    sep: str = ";",
    encoding: str = "utf-8",
    comma_decimals: bool = True,
    before: Sequence[str] = (),
    newline: str = "\r\n",
) -> Path:
    """`before` are raw lines above the header (titles, blank lines)."""
    buffer = io.StringIO()
    for line in before:
        buffer.write(line + newline)
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(v, comma_decimals) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    before: Sequence[str] = (),
    date_format: str = "dd/mm/yyyy",
) -> Path:
    """Text stays text (a cell starting with '=' is not turned into a formula); numbers are
    numbers; a datetime is a date cell shown in `date_format`, as Excel stores typed dates."""
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet("Sheet1")
    for r, line in enumerate(before):
        if line:
            sheet.write_string(r, 0, line)
    sheet.write_row(len(before), 0, list(header))
    dated = workbook.add_format({"num_format": date_format})
    for r, row in enumerate(rows, start=len(before) + 1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, dated)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value not in ("", None):
                sheet.write_string(r, c, str(value))
    workbook.close()
    return path


def _eppgbm(path: Path, rows: Sequence[dict], **options: object) -> Path:
    return write_csv(path, EPPGBM_HEADER, _cells(rows, EPPGBM_HEADER), **options)


def _read_error(name: str, reason: str, write: Callable[[Path], object]) -> CorpusFile:
    """An e-PPGBM file the reader cannot read at all: no row loads, one file-level record."""
    return CorpusFile(_e(name), "eppgbm", 0, (Expected(0, FILE, reason),), write, note=reason)


# --------------------------------------------------------------------------
# The corpus: one function per file
# --------------------------------------------------------------------------

_SPECS: list[Callable[[int], CorpusFile]] = []


def _spec(function: Callable[[int], CorpusFile]) -> Callable[[int], CorpusFile]:
    _SPECS.append(function)
    return function


def _e(name: str) -> str:
    return f"eppgbm/{name}"
