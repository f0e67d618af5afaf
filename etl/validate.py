"""Validate one register file: map headers, parse types, return accepted and rejected rows.

Accepted rows carry our column names and typed values. Every problem becomes a row in the
rejection frame naming file, row, column, value and a Bahasa reason, with the action taken:
`ditolak` (the whole row is left out) or `dikosongkan` (only that value is blanked).
Personal values (NIK, names, addresses) are never copied into a rejection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

from etl.desa_codes import desa_code_mismatch
from etl.extract.reader import (
    INTERNAL_COLUMNS,
    RAGGED_COLUMN,
    ROW_COLUMN,
    ROW_PROBLEM_COLUMN,
    RawTable,
    bare_header,
    normalise_header,
)
from etl.pseudonymise import is_usable_nik
from etl.regions import RegionMatcher, desa_frame, describe_failure, normalise_area_name
from etl.registers import SPM_FIELDS, Field, Register

REJECTION_COLUMNS = ["register", "file", "row_number", "column_name", "value", "reason", "action"]
REJECTED, BLANKED = "ditolak", "dikosongkan"
MASKED_VALUE = "(data pribadi disamarkan)"
MAX_TEXT_LENGTH = 200
MAX_NAME_IN_REASON = 60
# 16 digits, maybe grouped by spaces, dots or dashes: an NIK wherever it was typed
NIK_LIKE = re.compile(r"(?<!\d)(?:\d[ .\-]?){15}\d(?!\d)")
NIK_MASK = "(angka seperti NIK disamarkan)"
# text fields that legitimately hold long numbers (a registration number has region codes)
_NUMBER_TEXT_FIELDS = frozenset({"sk_number", "kemendagri_reg_number", "kode_desa_raw"})
# Text a spreadsheet would run as a formula ("CSV injection"); "-" unless a space or a plain
# number follows, so "-", "-5" and "- Melati -" stay text but "-2+3+cmd|' /C calc'!A0" does not.
_FORMULA = r"^(?:[=+@]|-(?!\s|[\d.,]*$))"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}  # fmt: skip
# "15/10/2025 14.30", "2025-10-15T14:30:00.5", "2025-10-15 08:00:00+08:00"
_TIME_OF_DAY = r"(?:[ T]+\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*(?:[AaPp][Mm]|Z|[+-]\d{2}:?\d{2}))?)$"
# "15 Oktober 2025", "15-Okt-25" (Excel's d-mmm-yy), "15 Oct. 2025"
_TEXT_DATE = re.compile(r"^(\d{1,2})[\s\-/.]+([a-zA-Z]+)\.?[\s\-/.]+(\d{4}|\d{2})$")
# "Oct 15, 2025" (an English long date)
_TEXT_DATE_MONTH_FIRST = re.compile(r"^([a-zA-Z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
# "Rabu, 15 Oktober 2025" (Excel's long date in Indonesian) and "Wednesday, 15 October 2025"
_WEEKDAY = re.compile(
    r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    r"mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+",
    re.IGNORECASE,
)
NOT_DATA_ROW = "bukan baris data: semua kolom wajib kosong (judul, catatan atau jumlah?); tidak dimuat"
_TEXT_MONTH = re.compile(r"^([a-zA-Z]+)[\s\-]+(\d{4})$")


@dataclass
class ValidationResult:
    accepted: pd.DataFrame
    rejections: pd.DataFrame
    rows_read: int
    notes: list[str] = field(default_factory=list)


class _Problems:
    """Collects (row, column, value, reason, action) problems for one file."""

    def __init__(self, register: Register, table: RawTable):
        self.register, self.file = register.name, table.path.name
        self.parts: list[pd.DataFrame] = []

    def add(self, rows: pd.Series, column: str, values: pd.Series | str, reason: pd.Series | str, action: str) -> None:
        if len(rows) == 0:
            return
        self.parts.append(
            pd.DataFrame(
                {
                    "register": self.register,
                    "file": self.file,
                    "row_number": rows.to_numpy(dtype="int64"),
                    "column_name": column,
                    "value": values
                    if isinstance(values, str)
                    else values.astype("string").str.slice(0, 120).to_numpy(),
                    "reason": reason if isinstance(reason, str) else reason.to_numpy(),
                    "action": action,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=REJECTION_COLUMNS)
        return pd.concat(self.parts, ignore_index=True)


def validate_table(register: Register, table: RawTable, matcher: RegionMatcher, today: date) -> ValidationResult:
    raw = table.frame
    problems = _Problems(register, table)
    notes: list[str] = list(table.notes)  # which sheet or format the reader chose
    columns = _map_headers(register, list(raw.columns))
    missing = [f for f in register.fields if f.name not in columns and f.required]
    if missing:
        for f in missing:
            problems.add(
                pd.Series([table.header_row]),
                f.headers[0],
                "",
                f"kolom wajib '{f.headers[0]}' tidak ada di baris judul",
                REJECTED,
            )
        return ValidationResult(_empty(register), problems.frame(), len(raw), notes)
    if raw.empty:
        problems.add(pd.Series([table.header_row]), "(file)", "", "tidak ada baris data di bawah baris judul", REJECTED)
    mapped = set(columns.values())
    duplicated = _duplicated_columns(register, columns, list(raw.columns))
    for header, _, reason in duplicated:
        problems.add(pd.Series([table.header_row]), header, "", reason, BLANKED)
    known = {normalise_header(h) for h in register.ignored} | {header for _, header, _ in duplicated}
    internal = INTERNAL_COLUMNS
    extra = [
        c
        for c in raw.columns
        if c not in mapped and c not in internal and c not in known and normalise_header(c) not in known
    ]
    if extra:
        more = f" (dan {len(extra) - 12} lainnya)" if len(extra) > 12 else ""
        notes.append(f"{table.path.name}: kolom tidak dikenal, diabaikan: {', '.join(map(str, extra[:12]))}{more}")
    absent = [f.headers[0] for f in register.fields if f.name not in columns]
    if absent:
        notes.append(f"{table.path.name}: kolom tidak ada (dibiarkan kosong): {', '.join(absent)}")

    rows = raw[ROW_COLUMN]
    out = pd.DataFrame({"_file": table.path.name, "_row": rows.to_numpy()}, index=raw.index)
    # the reader adds both row columns to every table (reader._drop_blank_rows)
    ragged = raw[RAGGED_COLUMN] > 0
    problems.add(rows[ragged], "(baris)", "", "jumlah sel lebih banyak dari jumlah kolom judul", REJECTED)
    refused = raw[ROW_PROBLEM_COLUMN].notna() & ~ragged
    problems.add(rows[refused], "(baris)", "", raw.loc[refused, ROW_PROBLEM_COLUMN], REJECTED)
    bad_row = ragged | refused
    # A title, note or total row below or inside the table ("Jumlah", "Dicetak pada ..."):
    # one message for the row, not one per empty required column.
    required = [columns[f.name] for f in register.fields if f.required]
    not_data = raw[required].isna().all(axis=1) & ~bad_row if required else bad_row & False
    problems.add(rows[not_data], "(baris)", "", NOT_DATA_ROW, REJECTED)
    bad_row |= not_data
    # In a ragged row the cells are shifted (often a name typed with the separator): one
    # message for the row, none per column, so no shifted personal value is quoted.
    reported = ~bad_row

    for f in register.fields:
        source = raw[columns[f.name]] if f.name in columns else pd.Series(index=raw.index, dtype="string")
        if f.kind == "desa":
            values, reasons = _parse_desa(source, out.get("kode_kec"), matcher)
        else:
            values, reasons = _parse(f, source, matcher, today)
        out[_target(f)] = values
        failed = reasons.notna()
        header = columns.get(f.name, f.headers[0])
        if f.required:
            missing_value = source.isna() & ~failed
            reasons = reasons.mask(missing_value, f"'{header}' kosong")
            failed = failed | missing_value
        private = f.kind in {"nik", "personal"} or f.masked
        shown = pd.Series(MASKED_VALUE, index=source.index) if private else source.fillna("")
        if f.kind in {"kecamatan", "desa"}:  # quoted only when the reason quotes it (a near-miss of a real name)
            quoted = reasons.fillna("").str.contains("'", regex=False)
            shown = shown.where(quoted | source.isna(), MASKED_VALUE)
        action = REJECTED if f.required else BLANKED
        problems.add(rows[failed & reported], header, shown[failed & reported], reasons[failed & reported], action)
        if f.required:
            bad_row |= failed
    for f in register.fields:  # a typed Kode Desa must name the desa the names found
        if f.kind == "desa_code" and f.name in columns and "kode_desa" in out:
            mismatch = pd.Series(list(map(desa_code_mismatch, out[f.name], out["kode_desa"])), index=raw.index)
            failed = mismatch.notna() & reported
            problems.add(rows[failed], columns[f.name], raw.loc[failed, columns[f.name]], mismatch[failed], REJECTED)
            bad_row |= failed
    accepted = out[~bad_row].reset_index(drop=True)
    return ValidationResult(accepted, problems.frame(), len(raw), notes)


def _target(f: Field) -> str:
    return {"kecamatan": "kode_kec", "desa": "kode_desa"}.get(f.kind, f.name)


_KIND_DTYPES = {
    "int": "Int64", "year": "Int64", "sex": "Int64", "decimal": "float64", "rupiah": "float64",
    "date": "datetime64[ns]", "month": "datetime64[ns]", "spm_list": "object",
}  # fmt: skip


def _empty(register: Register) -> pd.DataFrame:
    """No accepted rows, typed as accepted rows are: an untyped empty frame would turn the
    dates of every other file of the register into objects when the files are concatenated."""
    columns = {"_file": pd.Series(dtype="str"), "_row": pd.Series(dtype="int64")}  # str: as a file name fills it
    for f in register.fields:
        columns[_target(f)] = pd.Series(dtype=_KIND_DTYPES.get(f.kind, "string"))
    return pd.DataFrame(columns)


def _duplicated_columns(register: Register, columns: dict[str, str], headers: list[str]) -> list[tuple[str, str, str]]:
    """(header as shown, header in the frame, reason) for every further column carrying a
    field already read from another column."""
    field_of = {normalise_header(alias): f for f in register.fields for alias in f.headers}
    position = {header: index + 1 for index, header in enumerate(headers)}
    used = set(columns.values())
    found = []
    for header in headers:
        if header in used or header in INTERNAL_COLUMNS:
            continue
        shown = re.sub(r" \[\d+\]$", "", str(header))  # the reader marks a repeated header "Berat [2]"
        f = field_of.get(normalise_header(shown))
        if f is not None and f.name in columns:
            first = columns[f.name]
            found.append(
                (
                    shown,
                    header,
                    f"kolom '{shown}' muncul lebih dari sekali: yang dibaca kolom ke-{position[first]} ('{first}'), "
                    f"kolom ke-{position[header]} diabaikan",
                )
            )
    return found


def _map_headers(register: Register, headers: list[str]) -> dict[str, str]:
    """field name -> header in the file, aliases allowed, first match wins; then, for the
    fields still unmatched, the same without parenthesised notes ("Jenis Kelamin (L/P)")."""
    by_normal: dict[str, str] = {}
    by_bare: dict[str, str] = {}
    for header in headers:
        if header in INTERNAL_COLUMNS:
            continue
        by_normal.setdefault(normalise_header(header), header)
        by_bare.setdefault(bare_header(header), header)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for lookup, key in ((by_normal, normalise_header), (by_bare, bare_header)):
        for f in register.fields:
            if f.name in mapping:
                continue
            for alias in f.headers:
                header = lookup.get(key(alias))
                if header is not None and header not in used:
                    mapping[f.name] = header
                    used.add(header)
                    break
    return mapping


def _parse(f: Field, s: pd.Series, matcher: RegionMatcher, today: date) -> tuple[pd.Series, pd.Series]:
    """Returns typed values and a reason Series (NA where fine)."""
    if f.kind == "nik":
        return _parse_nik(s)
    if f.kind == "personal":
        return _parse_personal(s)
    # Registers repeat the same dates, areas and weights over and over: parse each distinct
    # value once and spread the results back (a million rows hold a few thousand values).
    return _per_unique(s, lambda unique: _parse_values(f, unique, matcher, today))


def _per_unique(s: pd.Series, parse: Callable[[pd.Series], tuple[pd.Series, pd.Series]]) -> tuple[pd.Series, pd.Series]:
    codes, uniques = pd.factorize(s)
    values, reasons = parse(pd.Series(uniques).reset_index(drop=True))  # uniques keep the column's dtype
    return _spread(values, codes, s.index), _spread(reasons, codes, s.index)


def _spread(unique: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Per-row values from per-distinct-value ones; code -1 (a missing cell) gives the dtype's
    missing value (NaN in an object column such as the SPM lists)."""
    taken = pd.api.extensions.take(unique.array, codes, allow_fill=True)
    return pd.Series(taken, index=index, dtype=unique.dtype)


def _parse_values(f: Field, s: pd.Series, matcher: RegionMatcher, today: date) -> tuple[pd.Series, pd.Series]:
    parser = {
        "text": _parse_text,
        "desa_code": _parse_text,
        "id": _parse_id,
        "int": _parse_int,
        "decimal": _parse_decimal,
        "rupiah": _parse_rupiah,
        "date": _parse_date,
        "month": _parse_month,
        "year": _parse_year,
        "sex": _parse_sex,
        "measure": _parse_measure,
        "enum": _parse_enum,
        "spm_list": _parse_spm_list,
        "kecamatan": _parse_kecamatan,
    }[f.kind]
    if f.kind == "kecamatan":
        return parser(s, matcher)
    if f.kind == "date":
        return parser(s, today)
    if f.kind in {"int", "decimal", "rupiah", "enum"}:
        return parser(s, f)
    if f.kind == "text" and f.name not in _NUMBER_TEXT_FIELDS:
        return _parse_name_text(s)
    return parser(s)


def _no_problem(s: pd.Series) -> pd.Series:
    return pd.Series(index=s.index, dtype="string")


def _too_long(s: pd.Series) -> pd.Series:
    return (s.str.len() > MAX_TEXT_LENGTH).fillna(False)


_TOO_LONG = f"teks terlalu panjang (lebih dari {MAX_TEXT_LENGTH} karakter)"


def _parse_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    reasons = _no_problem(s)
    formula = s.str.contains(_FORMULA).fillna(False)
    reasons[formula] = "teks diawali =, +, - atau @ seperti rumus spreadsheet; tidak dimuat"
    too_long = _too_long(s)
    reasons[too_long] = _TOO_LONG
    return s.mask(formula | too_long), reasons


def _parse_name_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Free text naming a place, a posyandu or a team: as _parse_text, and an NIK typed
    into it is blanked (the record masks it)."""
    values, reasons = _parse_text(s)
    nik = s.str.contains(NIK_LIKE).fillna(False) & reasons.isna()
    reasons[nik] = "berisi angka seperti NIK (data pribadi); dikosongkan"
    return values.mask(nik), reasons


def mask_echoes(rejections: pd.DataFrame) -> pd.DataFrame:
    """No NIK-like number in any rejection value or reason, whichever column it came from."""
    if rejections.empty:
        return rejections
    value = rejections["value"].astype("string").fillna("")
    reason = rejections["reason"].astype("string").fillna("")
    return rejections.assign(
        value=value.mask(value.str.contains(NIK_LIKE), MASKED_VALUE).to_numpy(dtype=object),
        reason=reason.str.replace(NIK_LIKE, NIK_MASK, regex=True).to_numpy(dtype=object),
    )


def _parse_id(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    reasons = _no_problem(s)
    bad = s.notna() & ~s.str.fullmatch(r"[A-Za-z0-9._\-/]{1,40}").fillna(False)
    reasons[bad] = "kode tidak sah (hanya huruf, angka, titik, garis; maks. 40 karakter)"
    return s.mask(bad), reasons


def _parse_personal(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    # Kept only for pseudonymisation in this process; never written anywhere.
    return s.str.slice(0, MAX_TEXT_LENGTH), _no_problem(s)


def _parse_nik(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Spaces, dots and quotes typed into a NIK are dropped; a NIK still not usable (not 16
    digits, or a dummy like 0000… or 1234567890123456) is left out and the child is keyed
    on name, birth date and sex instead."""
    nik = s.str.replace(r"[ \t\r\n\xa0.'`]", "", regex=True)
    usable = is_usable_nik(nik)
    sixteen_digits = nik.str.fullmatch(r"\d{16}").fillna(False)
    reasons = _no_problem(s)
    fallback = "; anak dikenali dari nama, tanggal lahir dan jenis kelamin"
    reasons[nik.notna() & ~sixteen_digits] = "NIK bukan 16 angka" + fallback
    reasons[sixteen_digits & ~usable] = "NIK dummy atau tidak mungkin (mis. 0000…, 1234…)" + fallback
    return nik.mask(reasons.notna()), reasons


def _to_number(s: pd.Series) -> pd.Series:
    """Indonesian "1.234,5" and English "1,234.5": with both marks the last is the decimal
    one (a guess the other way would turn 1.234,5 into 1,2345 and pass a range check).
    A minus sign copied from a web page or Word (U+2212, or an en dash) is a minus."""
    text = s.str.strip().str.replace(r"^[\u2212\u2013]", "-", regex=True)
    # str.replace reads plain text by default; a comma is itself in a regular expression too
    both = (text.str.contains(".", regex=False) & text.str.contains(",")).fillna(False)
    comma_decimal = both & (text.str.rfind(",") > text.str.rfind("."))
    text = text.mask(comma_decimal, text.str.replace(".", ""))
    text = text.mask(both & ~comma_decimal, text.str.replace(",", ""))
    text = text.str.replace(",", ".")
    return pd.to_numeric(text, errors="coerce").astype("float64")


# A unit typed after a measure ("11,2 kg") when it is the column's own unit
_UNITS = {"_kg": "kg", "_cm": "cm", "_pct": "%"}


def _without_unit(s: pd.Series, f: Field) -> pd.Series:
    unit = next((u for suffix, u in _UNITS.items() if f.name.endswith(suffix)), None)
    if unit is None:
        return s
    return s.str.replace(rf"\s*{re.escape(unit)}\s*$", "", regex=True, case=False)


def _parse_decimal(
    s: pd.Series, f: Field, to_number: Callable[[pd.Series], pd.Series] = _to_number
) -> tuple[pd.Series, pd.Series]:
    numbers = to_number(_without_unit(s, f))
    reasons = _no_problem(s)
    not_number = s.notna() & numbers.isna()
    reasons[not_number] = "bukan angka"
    if f.sentinels:
        sentinel = numbers.isin(f.sentinels)
        reasons[sentinel] = "nilai " + s[sentinel].astype(str) + " adalah kode isian, bukan hasil ukur"
    else:
        sentinel = pd.Series(False, index=s.index)
    out_of_range = pd.Series(False, index=s.index)
    if f.minimum is not None:
        out_of_range |= numbers < f.minimum
    if f.maximum is not None:
        out_of_range |= numbers > f.maximum
    out_of_range &= ~sentinel
    reasons[out_of_range] = f"di luar rentang wajar ({_fmt(f.minimum)}–{_fmt(f.maximum)})"
    return numbers.mask(reasons.notna()), reasons


_RUPIAH_PREFIX = r"^(?:rp\.?|idr)\s*"


def rupiah_to_number(s: pd.Series) -> pd.Series:
    """Whole rupiah as typed in Indonesia: "Rp 12.500.000", "12.500.000,00", "12500000",
    "1.500" (thousands, never one and a half rupiah); an English "12,500,000.00" too.

    A separator is a thousands mark when it repeats or has exactly three digits after it;
    otherwise it is the decimal mark (a spreadsheet's "12500000.0")."""
    text = s.str.strip().str.lower().str.replace(_RUPIAH_PREFIX, "", regex=True)
    text = text.str.replace(r"\s", "", regex=True)  # \s includes the no-break space
    both = text.str.contains(".", regex=False) & text.str.contains(",")
    comma_decimal = both & (text.str.rfind(",") > text.str.rfind("."))
    out = text.copy()
    # Both marks: the last one is the decimal mark.
    out = out.mask(comma_decimal, text.str.replace(".", "").str.replace(",", "."))
    out = out.mask(both & ~comma_decimal, text.str.replace(",", ""))
    for mark in (".", ","):
        only = ~both & text.str.contains(mark, regex=False)
        thousands = only & (
            (text.str.count(re.escape(mark)) > 1) | text.str.fullmatch(rf"-?\d{{1,3}}(?:\{mark}\d{{3}})+")
        )
        out = out.mask(thousands.fillna(False), text.str.replace(mark, ""))
        decimal = only & ~thousands.fillna(False)
        out = out.mask(decimal.fillna(False), text.str.replace(mark, "."))
    return pd.to_numeric(out, errors="coerce").astype("float64")


def _parse_rupiah(s: pd.Series, f: Field) -> tuple[pd.Series, pd.Series]:
    numbers = rupiah_to_number(s)
    reasons = _no_problem(s)
    reasons[s.notna() & numbers.isna()] = "bukan jumlah rupiah (tulis mis. 12500000 atau Rp 12.500.000)"
    out_of_range = pd.Series(False, index=s.index)
    if f.minimum is not None:
        out_of_range |= numbers < f.minimum
    if f.maximum is not None:
        out_of_range |= numbers > f.maximum
    reasons[out_of_range.fillna(False)] = (
        f"di luar rentang wajar (Rp {_fmt_rupiah(f.minimum)}–Rp {_fmt_rupiah(f.maximum)})"
    )
    return numbers.round().mask(reasons.notna()), reasons


def _fmt_rupiah(x: float | None) -> str:
    return "…" if x is None else f"{x:,.0f}".replace(",", ".")


def _fmt(x: float | None) -> str:
    if x is None:
        return "…"
    return f"{x:g}".replace(".", ",")


def _parse_int(s: pd.Series, f: Field) -> tuple[pd.Series, pd.Series]:
    # A count has no fraction: "1.234" is one thousand two hundred and thirty-four, as Rupiah are read
    numbers, reasons = _parse_decimal(s, f, rupiah_to_number)
    fractional = numbers.notna() & (numbers != np.floor(numbers))
    reasons[fractional] = "harus bilangan bulat"
    return numbers.mask(fractional).round().astype("Int64"), reasons


def _as_object_text(s: pd.Series) -> pd.Series:
    """Plain Python strings (None for missing): pandas' date parsing wants these."""
    return s.str.strip().astype(object).where(s.notna(), None)


def _parse_date(s: pd.Series, today: date) -> tuple[pd.Series, pd.Series]:
    """Calendar dates: a time of day typed or stored with the date is dropped (never rounded),
    so two weighings on one day are one child-day everywhere, checks included."""
    text = _as_object_text(s)
    text = text.where(text.isna(), text.str.replace(_TIME_OF_DAY, "", regex=True))
    # "15 / 10 / 2025" as "15/10/2025", "15–10–2025" (a word processor's dash) as "15-10-2025";
    # a weekday before the date says nothing more
    text = text.where(text.isna(), text.str.replace(r"\s*([/.\-\u2013\u2212])\s*", r"\1", regex=True))
    text = text.where(text.isna(), text.str.replace(r"[\u2013\u2212]", "-", regex=True))
    text = text.where(text.isna(), text.str.replace(_WEEKDAY, "", regex=True))
    parsed = pd.Series(index=s.index, dtype="datetime64[ns]")
    slashed = ("%m/%d/%Y", "%m/%d/%y") if _month_first(text) else ("%d/%m/%Y", "%d/%m/%y")
    for fmt in (*slashed, "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y.%m.%d"):
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = parsed.isna() & text.notna()
    if todo.any():
        serial = _to_number(text[todo])  # "45750,75" from a comma-decimal CSV too
        serial = serial[(serial > 20000) & (serial < 80000)]
        parsed[serial.index] = _EXCEL_EPOCH + pd.to_timedelta(np.floor(serial), unit="D")
    todo = parsed.isna() & text.notna()
    if todo.any():
        parsed[todo] = text[todo].map(_parse_text_date)
    todo = parsed.isna() & text.notna() & text.str.fullmatch(r"(?:19|20)\d{6}").fillna(False)
    if todo.any():  # 20251015: a database's compact date (an Excel serial has five digits)
        parsed[todo] = pd.to_datetime(text[todo], format="%Y%m%d", errors="coerce")
    reasons = _no_problem(s)
    reasons[text.notna() & parsed.isna()] = "tanggal tidak dikenali (pakai DD/MM/YYYY)"
    future = parsed > pd.Timestamp(today)
    reasons[future] = "tanggal di masa depan"
    ancient = parsed < pd.Timestamp("1950-01-01")
    reasons[ancient] = "tanggal sebelum 1950"
    return parsed.mask(future | ancient), reasons


def _month_first(text: pd.Series) -> bool:
    """A column written month first (Excel or a browser set to English (US) saves
    10/25/2025): some second number above 12 and no first one. The column is one file's."""
    parts = text.str.extract(r"^(\d{1,2})/(\d{1,2})/\d{2,4}$").astype("float64")
    return bool((parts[1] > 12).any() and not (parts[0] > 12).any())


def _parse_text_date(text: str) -> pd.Timestamp | None:
    match = _TEXT_DATE.match(text)
    if match:
        day, month_name, year = match.groups()
    elif match := _TEXT_DATE_MONTH_FIRST.match(text):
        month_name, day, year = match.groups()
    else:
        return pd.NaT
    month = _MONTHS_ID.get(month_name.lower()) or _english_month(month_name)
    if not month:
        return pd.NaT
    full_year = int(year) + (
        2000 if len(year) == 2 else 0
    )  # two digits: this century (births from 1950 are refused anyway)
    try:
        return pd.Timestamp(full_year, month, int(day))
    except ValueError:
        return pd.NaT


def _english_month(name: str) -> int | None:
    """The English month named by the first three letters ("Oct", "October"). Not pandas: it
    reads "now" as the current month even with format="%b"."""
    try:
        return datetime.strptime(name[:3], "%b").month
    except ValueError:
        return None


def _parse_month(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_object_text(s)
    parsed = pd.to_datetime(text, format="%Y-%m", errors="coerce").astype("datetime64[ns]")
    for fmt in ("%m/%Y", "%Y/%m", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = parsed.isna() & text.notna()
    if todo.any():
        parsed[todo] = text[todo].map(_parse_text_month)
    reasons = _no_problem(s)
    reasons[text.notna() & parsed.isna()] = "bulan tidak dikenali (pakai YYYY-MM)"
    return parsed.dt.to_period("M").dt.start_time.astype("datetime64[ns]"), reasons  # as dates are


def _parse_text_month(text: str) -> pd.Timestamp:
    match = _TEXT_MONTH.match(text)
    if not match:
        return pd.NaT
    month = _MONTHS_ID.get(match.group(1).lower())
    return pd.Timestamp(int(match.group(2)), month, 1) if month else pd.NaT


def _parse_year(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    numbers = pd.to_numeric(s.str.strip(), errors="coerce")
    reasons = _no_problem(s)
    bad = s.notna() & ~numbers.between(2000, 2100).fillna(False)  # text ("dua ribu") is NA here, not out of range
    reasons[bad] = "tahun tidak sah"
    return numbers.mask(bad).astype("Int64"), reasons


_SEX = {
    "l": 1,
    "laki-laki": 1,
    "laki laki": 1,
    "lk": 1,
    "1": 1,
    "m": 1,
    "p": 2,
    "perempuan": 2,
    "pr": 2,
    "2": 2,
    "f": 2,
    "male": 1,
    "female": 2,
}


def _parse_sex(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    values = s.str.strip().str.lower().map(_SEX)
    reasons = _no_problem(s)
    reasons[s.notna() & values.isna()] = "jenis kelamin harus L atau P"
    return values.astype("Int64"), reasons


_MEASURE = {"berdiri": "H", "terlentang": "L", "telentang": "L", "berbaring": "L", "h": "H", "l": "L"}


def _parse_measure(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    values = s.str.strip().str.lower().map(_MEASURE)
    reasons = _no_problem(s)
    reasons[s.notna() & values.isna()] = "cara ukur harus Berdiri atau Terlentang"
    return values.astype("string"), reasons


def _parse_enum(s: pd.Series, f: Field) -> tuple[pd.Series, pd.Series]:
    lookup = {c.lower(): c for c in f.choices}
    values = s.str.strip().str.lower().map(lookup)
    reasons = _no_problem(s)
    reasons[s.notna() & values.isna()] = f"harus salah satu dari: {', '.join(f.choices)}"
    return values.astype("string"), reasons


def _parse_spm_list(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    reasons = _no_problem(s)
    values = []
    for index, text in s.items():
        if pd.isna(text):
            values.append(None)
            continue
        codes = [c.strip().upper() for c in re.split(r"[;,/|\s]+", str(text)) if c.strip()]
        unknown = [c for c in codes if c not in SPM_FIELDS]
        if unknown:
            reasons[index] = f"bidang SPM tidak dikenal: {', '.join(unknown)} (pakai {', '.join(SPM_FIELDS)})"
            values.append(None)
        else:
            values.append(sorted(set(codes), key=SPM_FIELDS.index))
    return pd.Series(values, index=s.index, dtype="object"), reasons


def _short(name: str) -> str:
    """An area name as quoted in a reason: a pasted paragraph is cut, not copied whole."""
    return name if len(name) <= MAX_NAME_IN_REASON else name[:MAX_NAME_IN_REASON] + "…"


def _parse_kecamatan(s: pd.Series, matcher: RegionMatcher) -> tuple[pd.Series, pd.Series]:
    """`s` holds distinct names (see _per_unique)."""
    codes, reasons = [], []
    for name in s:
        if pd.isna(name):
            codes.append(None)
            reasons.append(None)
        elif len(name) > MAX_TEXT_LENGTH:
            codes.append(None)
            reasons.append(_TOO_LONG)
        else:
            result = matcher.match_kecamatan(name)
            codes.append(result.code)
            reasons.append(None if result.ok else describe_failure("kecamatan", _short(name), result))
    return pd.Series(codes, index=s.index, dtype="string"), pd.Series(reasons, index=s.index, dtype="string")


def _parse_desa(s: pd.Series, kec_codes: pd.Series | None, matcher: RegionMatcher) -> tuple[pd.Series, pd.Series]:
    """Matched once per distinct (desa, kecamatan) pair."""
    kec = kec_codes if kec_codes is not None else pd.Series(index=s.index, dtype="string")
    pair = s.astype("string").fillna("\x00") + "\x1f" + kec.astype("string").fillna("\x00")
    codes, _ = pd.factorize(pair)
    first = np.unique(codes, return_index=True)[1]
    unique_code, unique_reason = [], []
    for desa, kode_kec in zip(s.iloc[first], kec.iloc[first]):
        code, reason = _match_desa(desa, None if pd.isna(kode_kec) else kode_kec, matcher)
        unique_code.append(code)
        unique_reason.append(reason)
    return (
        _spread(pd.Series(unique_code, dtype="string"), codes, s.index),
        _spread(pd.Series(unique_reason, dtype="string"), codes, s.index),
    )


def _match_desa(desa: object, kode_kec: str | None, matcher: RegionMatcher) -> tuple[str | None, str | None]:
    if pd.isna(desa):
        return None, None
    if len(desa) > MAX_TEXT_LENGTH:
        return None, _TOO_LONG
    result = matcher.match_desa(desa, kode_kec)
    if result.ok:
        return result.code, None
    elsewhere = _desa_elsewhere().get(normalise_area_name(desa), []) if kode_kec else []
    if result.status == "unmatched" and elsewhere:
        return None, (
            f"Desa/kelurahan '{_short(desa)}' tidak ada di Kecamatan {matcher.name_of(kode_kec)}; "
            f"nama ini ada di {' dan '.join(elsewhere)} (periksa kolom kecamatan)"
        )
    return None, describe_failure("desa", _short(desa), result)


@lru_cache(maxsize=1)
def _desa_elsewhere() -> dict[str, list[str]]:
    """Normalised desa name -> where it is ("Kec. Loa Kulu (64.02.02.2004)")."""
    found: dict[str, list[str]] = {}
    for row in desa_frame().itertuples(index=False):
        found.setdefault(normalise_area_name(row.nama_desa), []).append(f"Kec. {row.nama_kec} ({row.kode_desa})")
    return found
