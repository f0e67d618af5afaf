"""Validate one register file: map headers, parse types, return accepted and rejected rows.

Accepted rows carry our column names and typed values. Every problem becomes a row in the
rejection frame naming file, row, column, value and a Bahasa reason, with the action taken:
`ditolak` (the whole row is left out) or `dikosongkan` (only that value is blanked).
Personal values (NIK, names, addresses) are never copied into a rejection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from etl.extract.reader import RAGGED_COLUMN, ROW_COLUMN, RawTable, normalise_header
from etl.regions import RegionMatcher, describe_failure
from etl.registers import SPM_FIELDS, Field, Register

REJECTION_COLUMNS = ["register", "file", "row_number", "column_name", "value", "reason", "action"]
REJECTED, BLANKED = "ditolak", "dikosongkan"
MASKED_VALUE = "(data pribadi disamarkan)"
MAX_TEXT_LENGTH = 200
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}  # fmt: skip
_TEXT_DATE = re.compile(r"^(\d{1,2})[\s\-]+([a-zA-Z]+)[\s\-]+(\d{4})$")
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
                    "value": values if isinstance(values, str) else values.astype("string").str.slice(0, 120).to_numpy(),
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
    notes: list[str] = []
    columns = _map_headers(register, list(raw.columns))
    missing = [f for f in register.fields if f.name not in columns and f.required]
    if missing:
        for f in missing:
            problems.add(pd.Series([table.header_row]), f.headers[0], "", f"kolom wajib '{f.headers[0]}' tidak ada di baris judul", REJECTED)
        return ValidationResult(_empty(register), problems.frame(), len(raw), notes)
    mapped = set(columns.values())
    extra = [c for c in raw.columns if c not in mapped and c not in (ROW_COLUMN, RAGGED_COLUMN)]
    if extra:
        notes.append(f"{table.path.name}: kolom diabaikan: {', '.join(map(str, extra[:12]))}")
    absent = [f.headers[0] for f in register.fields if f.name not in columns]
    if absent:
        notes.append(f"{table.path.name}: kolom tidak ada (dibiarkan kosong): {', '.join(absent)}")

    rows = raw[ROW_COLUMN]
    out = pd.DataFrame({"_file": table.path.name, "_row": rows.to_numpy()}, index=raw.index)
    bad_row = pd.Series(False, index=raw.index)
    ragged = raw[RAGGED_COLUMN] > 0 if RAGGED_COLUMN in raw else pd.Series(False, index=raw.index)
    problems.add(rows[ragged], "(baris)", "", "jumlah sel lebih banyak dari jumlah kolom judul", REJECTED)
    bad_row |= ragged

    for f in register.fields:
        source = raw[columns[f.name]] if f.name in columns else pd.Series(pd.NA, index=raw.index, dtype="string")
        if f.kind == "desa":
            values, reasons = _parse_desa(source, out.get("kode_kec"), matcher)
        else:
            values, reasons = _parse(f, source, matcher, today)
        out[_target(f)] = values
        failed = reasons.notna()
        if f.required:
            missing_value = source.isna() & ~failed
            reasons = reasons.mask(missing_value, f"'{f.headers[0]}' kosong")
            failed = failed | missing_value
        header = columns.get(f.name, f.headers[0])
        shown = pd.Series(MASKED_VALUE, index=source.index) if f.kind in {"nik", "personal"} else source.fillna("")
        action = REJECTED if f.required else BLANKED
        problems.add(rows[failed], header, shown[failed], reasons[failed], action)
        if f.required:
            bad_row |= failed
    accepted = out[~bad_row].reset_index(drop=True)
    return ValidationResult(accepted, problems.frame(), len(raw), notes)


def _target(f: Field) -> str:
    return {"kecamatan": "kode_kec", "desa": "kode_desa"}.get(f.kind, f.name)


def _empty(register: Register) -> pd.DataFrame:
    return pd.DataFrame(columns=["_file", "_row", *[_target(f) for f in register.fields]])


def _map_headers(register: Register, headers: list[str]) -> dict[str, str]:
    """field name -> header in the file, aliases allowed, first match wins."""
    by_normal: dict[str, str] = {}
    for header in headers:
        by_normal.setdefault(normalise_header(header), header)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for f in register.fields:
        for alias in f.headers:
            header = by_normal.get(normalise_header(alias))
            if header is not None and header not in used:
                mapping[f.name] = header
                used.add(header)
                break
    return mapping


def _parse(f: Field, s: pd.Series, matcher: RegionMatcher, today: date) -> tuple[pd.Series, pd.Series]:
    """Returns typed values and a reason Series (NA where fine)."""
    parser = {
        "text": _parse_text,
        "id": _parse_id,
        "personal": _parse_personal,
        "nik": _parse_nik,
        "int": _parse_int,
        "decimal": _parse_decimal,
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
    if f.kind in {"int", "decimal", "enum"}:
        return parser(s, f)
    return parser(s)


def _no_problem(s: pd.Series) -> pd.Series:
    return pd.Series(pd.NA, index=s.index, dtype="string")


def _parse_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    reasons = _no_problem(s)
    too_long = s.str.len() > MAX_TEXT_LENGTH
    reasons[too_long] = f"teks terlalu panjang (lebih dari {MAX_TEXT_LENGTH} karakter)"
    return s.mask(too_long), reasons


def _parse_id(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    reasons = _no_problem(s)
    bad = s.notna() & ~s.str.fullmatch(r"[A-Za-z0-9._\-/]{1,40}").fillna(False)
    reasons[bad] = "kode tidak sah (hanya huruf, angka, titik, garis; maks. 40 karakter)"
    return s.mask(bad), reasons


def _parse_personal(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    # Kept only for pseudonymisation in this process; never written anywhere.
    return s.str.slice(0, MAX_TEXT_LENGTH), _no_problem(s)


def _parse_nik(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return s.str.replace(r"[\s.'`]", "", regex=True), _no_problem(s)


def _to_number(s: pd.Series) -> pd.Series:
    text = s.str.strip()
    both = text.str.contains(".", regex=False) & text.str.contains(",", regex=False)
    text = text.mask(both.fillna(False), text.str.replace(".", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _parse_decimal(s: pd.Series, f: Field) -> tuple[pd.Series, pd.Series]:
    numbers = _to_number(s)
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


def _fmt(x: float | None) -> str:
    if x is None:
        return "…"
    return f"{x:g}".replace(".", ",")


def _parse_int(s: pd.Series, f: Field) -> tuple[pd.Series, pd.Series]:
    numbers, reasons = _parse_decimal(s, f)
    fractional = numbers.notna() & (numbers != np.floor(numbers))
    reasons[fractional] = "harus bilangan bulat"
    return numbers.mask(fractional).round().astype("Int64"), reasons


def _as_object_text(s: pd.Series) -> pd.Series:
    """Plain Python strings (None for missing): pandas' date parsing wants these."""
    return s.str.strip().astype(object).where(s.notna(), None)


def _parse_date(s: pd.Series, today: date) -> tuple[pd.Series, pd.Series]:
    text = _as_object_text(s)
    parsed = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%y"):
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = parsed.isna() & text.notna()
    if todo.any():
        serial = pd.to_numeric(text[todo], errors="coerce").astype("float64")
        serial = serial[(serial > 20000) & (serial < 80000)]
        parsed[serial.index] = _EXCEL_EPOCH + pd.to_timedelta(serial.round(), unit="D")
    todo = parsed.isna() & text.notna()
    if todo.any():
        parsed[todo] = text[todo].map(_parse_text_date)
    reasons = _no_problem(s)
    reasons[text.notna() & parsed.isna()] = "tanggal tidak dikenali (pakai DD/MM/YYYY)"
    future = parsed > pd.Timestamp(today)
    reasons[future] = "tanggal di masa depan"
    ancient = parsed < pd.Timestamp("1950-01-01")
    reasons[ancient] = "tanggal sebelum 1950"
    return parsed.mask(future | ancient), reasons


def _parse_text_date(text: str) -> pd.Timestamp | None:
    match = _TEXT_DATE.match(text)
    if not match:
        return pd.NaT
    day, month_name, year = match.groups()
    month = _MONTHS_ID.get(month_name.lower()) or _english_month(month_name)
    if not month:
        return pd.NaT
    try:
        return pd.Timestamp(int(year), month, int(day))
    except ValueError:
        return pd.NaT


def _english_month(name: str) -> int | None:
    try:
        return pd.to_datetime(name[:3], format="%b").month
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
    return parsed.dt.to_period("M").dt.start_time, reasons


def _parse_text_month(text: str) -> pd.Timestamp:
    match = _TEXT_MONTH.match(text)
    if not match:
        return pd.NaT
    month = _MONTHS_ID.get(match.group(1).lower())
    return pd.Timestamp(int(match.group(2)), month, 1) if month else pd.NaT


def _parse_year(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    numbers = pd.to_numeric(s.str.strip(), errors="coerce")
    reasons = _no_problem(s)
    bad = s.notna() & ~numbers.between(2000, 2100)
    reasons[bad] = "tahun tidak sah"
    return numbers.mask(bad).astype("Int64"), reasons


_SEX = {"l": 1, "laki-laki": 1, "laki laki": 1, "lk": 1, "1": 1, "m": 1, "p": 2, "perempuan": 2, "pr": 2, "2": 2, "f": 2}


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


def _parse_kecamatan(s: pd.Series, matcher: RegionMatcher) -> tuple[pd.Series, pd.Series]:
    results = {name: matcher.match_kecamatan(name) for name in s.dropna().unique()}
    codes = s.map(lambda n: results[n].code if n in results else None)
    reasons = s.map(lambda n: None if n not in results or results[n].ok else describe_failure("kecamatan", n, results[n]))
    return codes.astype("string"), reasons.astype("string")


def _parse_desa(s: pd.Series, kec_codes: pd.Series | None, matcher: RegionMatcher) -> tuple[pd.Series, pd.Series]:
    kec = kec_codes if kec_codes is not None else pd.Series(pd.NA, index=s.index, dtype="string")
    pairs = pd.DataFrame({"desa": s, "kec": kec})
    unique = pairs.dropna(subset=["desa"]).drop_duplicates()
    results = {
        (row.desa, row.kec): matcher.match_desa(row.desa, None if pd.isna(row.kec) else row.kec)
        for row in unique.itertuples(index=False)
    }
    keys = list(zip(pairs["desa"], pairs["kec"]))
    codes = [results[k].code if k in results else None for k in keys]
    reasons = [
        None if k not in results or results[k].ok else describe_failure("desa", k[0], results[k]) for k in keys
    ]
    return pd.Series(codes, index=s.index, dtype="string"), pd.Series(reasons, index=s.index, dtype="string")
