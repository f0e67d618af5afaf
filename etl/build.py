"""`python -m etl build`: registers → validated staging frames → SQL models → checks →
atomic replacement of the warehouse. A failed or killed build leaves the previous one."""

from __future__ import annotations

import fnmatch
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from etl.config import EtlConfig
from etl.extract.reader import ReadError, read_register_file
from etl.load import BuildLock, load_warehouse, staging_columns
from etl.pseudonymise import load_or_create_secret
from etl.regions import RegionMatcher
from etl.registers import EPPGBM, KADER, MONTHLY_REPORT, POSYANDU, REGISTERS, SPM_SERVICE, Register
from etl.report import FileRows, RegisterReport
from etl.spill import MeasurementSpill, remove_orphaned_spills, return_freed_memory
from etl.transform.measurements import build_measurements, posyandu_key
from etl.transform.snapshots import resolve_undated_snapshots, stamp_snapshot_dates
from etl.validate import BLANKED, MASKED_VALUE, REJECTED, REJECTION_COLUMNS, mask_echoes, validate_table

SPREADSHEET_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xls"}
# Not registers: Excel's owner file while a workbook is open ("~$data.xlsx"), macOS's
# resource forks copied onto a USB stick ("._data.csv").
_NOT_DATA_PREFIXES = ("~$", "._")
Progress = Callable[[str, float], None]
OnFile = Callable[[Path], None]  # told which file is read next (names it if the process dies)


class BuildError(Exception):
    """Nothing usable was produced; the message is one line of Bahasa."""


@dataclass
class BuildReport:
    run_id: str
    db_path: Path
    registers: dict[str, RegisterReport]
    missing: list[str]
    stage_seconds: dict[str, float]
    rejections: pd.DataFrame
    table_counts: dict[str, int] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.stage_seconds.values())

    def render(self) -> str:
        lines = [f"Warehouse {self.db_path} (versi {self.run_id})", ""]
        lines.append(
            f"{'register':<20}{'file':>6}{'dibaca':>11}{'dimuat':>11}{'ditolak':>10}{'dikosongkan':>13}{'detik':>8}"
        )
        for r in self.registers.values():
            lines.append(
                f"{r.register:<20}{len(r.files):>6}{r.rows_read:>11,}{r.rows_loaded:>11,}{r.rows_rejected:>10,}{r.values_blanked:>13,}{r.seconds:>8.1f}"
            )
        for name in self.missing:
            lines.append(f"{name:<20}  tidak ada file di folder sumber")
        lines.append("")
        lines.append(
            "tahap: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in self.stage_seconds.items())
            + f"; total {self.total_seconds:.1f} s"
        )
        notes = _group_notes([n for r in self.registers.values() for n in r.notes])
        if notes:
            lines.append("catatan:")
            lines.extend(f"  - {n}" for n in notes[:30])
        if len(self.rejections):
            lines.append("contoh baris ditolak/dikosongkan (lihat tabel etl_rejected_row):")
            for row in self.rejections.head(5).itertuples(index=False):
                lines.append(
                    f"  - {row.file} baris {row.row_number}, kolom '{row.column_name}': {row.reason} [{row.action}]"
                )
        return "\n".join(lines)


def _group_notes(notes: list[str]) -> list[str]:
    """One line per message, however many files share it ("a.csv, b.csv (+22 file): …")."""
    files_by_message: dict[str, list[str]] = {}
    for note in notes:
        file, _, message = note.partition(": ")
        files_by_message.setdefault(message or file, []).append(file if message else "")
    lines = []
    for message, files in files_by_message.items():
        files = [f for f in files if f]
        shown = ", ".join(files[:2]) + (f" (+{len(files) - 2} file)" if len(files) > 2 else "")
        lines.append(f"{shown}: {message}" if shown else message)
    return lines


def discover_files(source_dir: Path) -> dict[str, list[Path]]:
    """Which files in the source folder belong to which register (each file to one)."""
    found: dict[str, list[Path]] = {r.name: [] for r in REGISTERS}
    candidates = sorted(
        p
        for p in source_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES and not p.name.startswith(_NOT_DATA_PREFIXES)
    )
    for path in candidates:
        relative = path.relative_to(source_dir).as_posix().lower()
        for register in REGISTERS:
            if any(x in path.name.lower() for x in register.exclude):
                continue
            if any(
                fnmatch.fnmatch(relative, p.lower()) or fnmatch.fnmatch(path.name.lower(), p.lower())
                for p in register.patterns
            ):
                found[register.name].append(path)
                break
    return found


@dataclass
class Extraction:
    """Validated, transformed frames of every register found, before anything is written."""

    frames: dict[str, pd.DataFrame | MeasurementSpill]  # e-PPGBM facts stay on disk
    reports: dict[str, RegisterReport]
    missing: list[str]
    rejections: pd.DataFrame
    stage_seconds: dict[str, float]


def discover_source_files(config: EtlConfig) -> dict[str, list[Path]]:
    """Files of every source folder (the main one, then uploads), by register."""
    found: dict[str, list[Path]] = {r.name: [] for r in REGISTERS}
    for folder in (config.source_dir, *config.extra_source_dirs):
        if folder.is_dir():
            for name, paths in discover_files(folder).items():
                found[name].extend(paths)
    return found


def extract_registers(config: EtlConfig, progress: Progress | None = None, on_file: OnFile | None = None) -> Extraction:
    """Read, validate, pseudonymise and compute z-scores; write nothing (used for dry runs too)."""
    notify = progress or (lambda message, fraction: None)
    stages: dict[str, float] = {}
    tick = time.perf_counter()
    if config.is_bundled_sample:
        notify("Menyiapkan data contoh (sekali saja)…", 0.02)
        from etl.sample import ensure_eppgbm

        ensure_eppgbm(config.source_dir)
    stages["sampel"] = time.perf_counter() - tick

    tick = time.perf_counter()
    files = discover_source_files(config)
    matcher = RegionMatcher()
    secret = load_or_create_secret(config.secret_path)
    reports: dict[str, RegisterReport] = {}
    frames: dict[str, pd.DataFrame] = {}
    rejections: list[pd.DataFrame] = []
    ordered = [r for r in REGISTERS if files[r.name]]
    measurement_seconds = 0.0
    for index, register in enumerate(ordered):
        notify(f"Membaca {register.label}…", 0.05 + 0.6 * index / max(1, len(ordered)))
        if register is EPPGBM:  # last in REGISTERS: the posyandu master is already read
            report, spill, rejected, measurement_seconds = _extract_measurements(
                files[register.name], matcher, config, frames.get(POSYANDU.name), secret, on_file
            )
            reports[register.name] = report
            frames[register.name] = spill
            rejections.extend(rejected)
            continue
        report, accepted, rejected = _extract_register(register, files[register.name], matcher, config, on_file)
        reports[register.name] = report
        frames[register.name] = accepted
        rejections.append(rejected)
    stages["baca+validasi"] = time.perf_counter() - tick - measurement_seconds

    tick = time.perf_counter()
    notify("Menyamarkan data pribadi dan menghitung z-skor WHO…", 0.7)
    _transform(frames, reports, rejections, matcher)
    _date_master_snapshots(frames, config)
    stages["transformasi"] = time.perf_counter() - tick + measurement_seconds
    kept = [r for r in rejections if len(r)]
    all_rejections = mask_echoes(
        pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=REJECTION_COLUMNS)
    )
    missing = [r.name for r in REGISTERS if not files[r.name]]
    return Extraction(frames, reports, missing, all_rejections, stages)


def build_warehouse(config: EtlConfig, progress: Progress | None = None, on_file: OnFile | None = None) -> BuildReport:
    notify = progress or (lambda message, fraction: None)
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    started_at = datetime.now()
    with BuildLock(config.db_path):
        remove_orphaned_spills(config.db_path)
        extraction = extract_registers(config, notify, on_file)
        try:
            if not any(len(f) for f in extraction.frames.values()):
                raise BuildError(
                    f"tidak ada baris yang bisa dimuat dari {config.source_dir}; warehouse lama tetap dipakai"
                )
            stages = extraction.stage_seconds
            return_freed_memory()
            tick = time.perf_counter()
            notify("Menulis warehouse DuckDB…", 0.8)
            counts = load_warehouse(
                config=config,
                run_id=run_id,
                started_at=started_at,
                frames=extraction.frames,
                reports=extraction.reports,
                missing={r.name: r.label for r in REGISTERS if r.name in extraction.missing},
                rejections=extraction.rejections,
                stage_seconds=stages,
            )
            stages["muat+model"] = time.perf_counter() - tick
        finally:
            spill = extraction.frames.get(EPPGBM.name)
            if isinstance(spill, MeasurementSpill):
                spill.cleanup()
        notify("Selesai", 1.0)
    return BuildReport(
        run_id, config.db_path, extraction.reports, extraction.missing, stages, extraction.rejections, counts
    )


def _read_and_validate(
    register: Register,
    path: Path,
    matcher: RegionMatcher,
    config: EtlConfig,
    report: RegisterReport,
    rejected: list[pd.DataFrame],
    on_file: OnFile | None,
) -> pd.DataFrame | None:
    """One file's accepted rows (its rejections go to `rejected`); None if unreadable."""
    rows = report.file_rows.setdefault(path.name, FileRows(register.name, path.name))
    if on_file is not None:
        on_file(path)
    try:
        table = read_register_file(path, {h for f in register.fields if f.required for h in f.headers})
        result = validate_table(register, table, matcher, config.today)
    except ReadError as error:
        rejected.append(_file_rejection(register, path, str(error).split(": ", 1)[-1]))
        report.notes.append(str(error))
        return None
    except Exception as error:  # noqa: BLE001 - one bad file never blocks the other files
        reason = f"file tidak bisa dibaca (kesalahan tak terduga: {type(error).__name__})"
        rejected.append(_file_rejection(register, path, reason))
        report.notes.append(f"{path.name}: {reason}")
        return None
    rows.header_row, rows.rows_read = table.header_row, result.rows_read
    report.rows_read += result.rows_read
    report.notes.extend(result.notes)
    rejected.append(result.rejections)
    return result.accepted


def _extract_measurements(
    paths: list[Path],
    matcher: RegionMatcher,
    config: EtlConfig,
    posyandu: pd.DataFrame | None,
    secret: bytes,
    on_file: OnFile | None = None,
) -> tuple[RegisterReport, MeasurementSpill, list[pd.DataFrame], float]:
    """e-PPGBM file by file: read, validate, pseudonymise, z-scores, park on disk, so memory
    holds one file's rows. Returns the report, the spill, rejections and transform seconds."""
    tick = time.perf_counter()
    report = RegisterReport(EPPGBM.name, EPPGBM.label, files=[p.name for p in paths])
    spill = MeasurementSpill(list(staging_columns(EPPGBM)), config.db_path)
    rejected: list[pd.DataFrame] = []
    transform_seconds = 0.0
    known_keys: dict[str, str] = {}  # pseudonyms of children already seen in earlier files
    # File-name order: where two exports hold the same child and date, the first one keeps it.
    for path in sorted(paths, key=lambda p: (p.name, str(p))):
        accepted = _read_and_validate(EPPGBM, path, matcher, config, report, rejected, on_file)
        if accepted is None or not len(accepted):
            continue
        started = time.perf_counter()
        rejected.append(_blank_unknown_puskesmas(EPPGBM, accepted, matcher))
        facts, problems = build_measurements(accepted, posyandu, secret, known_keys)
        del accepted
        rejected.append(problems)
        rejected.append(spill.add(facts))
        transform_seconds += time.perf_counter() - started
    spill.seal()
    del known_keys
    report.seconds = time.perf_counter() - tick
    return report, spill, [r for r in rejected if len(r)], transform_seconds


def _extract_register(
    register: Register, paths: list[Path], matcher: RegionMatcher, config: EtlConfig, on_file: OnFile | None = None
) -> tuple[RegisterReport, pd.DataFrame, pd.DataFrame]:
    tick = time.perf_counter()
    report = RegisterReport(register.name, register.label, files=[p.name for p in paths])
    accepted, rejected = [], []
    for path in paths:
        frame = _read_and_validate(register, path, matcher, config, report, rejected, on_file)
        if frame is not None:
            accepted.append(stamp_snapshot_dates(frame, path.name))
    frame = pd.concat(accepted, ignore_index=True) if accepted else pd.DataFrame()
    rejections = (
        pd.concat([r for r in rejected if len(r)], ignore_index=True)
        if any(len(r) for r in rejected)
        else pd.DataFrame(columns=REJECTION_COLUMNS)
    )
    if register.key and len(frame) and all(k in frame for k in register.key):
        frame, duplicates = _drop_key_duplicates(register, frame)
        rejections = pd.concat([rejections, duplicates], ignore_index=True)
    report.seconds = time.perf_counter() - tick
    return report, frame, rejections


def _file_rejection(register: Register, path: Path, reason: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "register": register.name,
                "file": path.name,
                "row_number": 0,
                "column_name": "(file)",
                "value": "",
                "reason": reason,
                "action": REJECTED,
            }
        ]
    )


def _drop_key_duplicates(register: Register, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    duplicated = frame.duplicated(list(register.key), keep="first")
    dupes = frame[duplicated]
    rejections = pd.DataFrame(
        {
            "register": register.name,
            "file": dupes["_file"].to_numpy(),
            "row_number": dupes["_row"].to_numpy(dtype="int64"),
            "column_name": ", ".join(register.key),
            "value": dupes[list(register.key)].astype(str).fillna("").agg(" | ".join, axis=1).to_numpy()
            if len(dupes)
            else [],
            "reason": "baris duplikat (kunci sama dengan baris sebelumnya)",
            "action": REJECTED,
        }
    )
    return frame[~duplicated].reset_index(drop=True), rejections


def _date_master_snapshots(frames: dict[str, pd.DataFrame], config: EtlConfig) -> None:
    """Give an undated posyandu master the latest month of the activity data loaded with it."""
    posyandu = frames.get(POSYANDU.name)
    if posyandu is None or not len(posyandu):
        return
    months = [
        pd.to_datetime(frames[r.name]["month"]).max()
        for r in (MONTHLY_REPORT, SPM_SERVICE)
        if r.name in frames and len(frames[r.name]) and "month" in frames[r.name]
    ]
    latest = max((m for m in months if pd.notna(m)), default=None)
    frames[POSYANDU.name] = resolve_undated_snapshots(
        posyandu, latest.date() if latest is not None else None, config.today
    )


def _blank_unknown_puskesmas(register: Register, frame: pd.DataFrame, matcher: RegionMatcher) -> pd.DataFrame:
    """Puskesmas are named after their place: a value that names no Kukar kecamatan or desa
    may be a person's name typed in the wrong cell, so it is blanked and its record does
    not quote it."""
    if "puskesmas" not in frame or not len(frame):
        return pd.DataFrame(columns=REJECTION_COLUMNS)
    names = frame["puskesmas"].dropna().unique()
    unknown = {name for name in names if not matcher.is_known_place(name)}
    bad = frame["puskesmas"].isin(unknown)
    frame.loc[bad, "puskesmas"] = pd.NA
    return pd.DataFrame(
        {
            "register": register.name,
            "file": frame.loc[bad, "_file"].to_numpy(),
            "row_number": frame.loc[bad, "_row"].to_numpy(dtype="int64"),
            "column_name": "Puskesmas",
            "value": MASKED_VALUE,
            "reason": "nama puskesmas bukan nama tempat di Kutai Kartanegara; dikosongkan",
            "action": BLANKED,
        }
    )


def _transform(
    frames: dict[str, pd.DataFrame | MeasurementSpill],
    reports: dict[str, RegisterReport],
    rejections: list[pd.DataFrame],
    matcher: RegionMatcher,
) -> None:
    posyandu = frames.get(POSYANDU.name)
    if posyandu is not None and len(posyandu):
        rejections.append(_blank_unknown_puskesmas(POSYANDU, posyandu, matcher))
    if posyandu is not None and len(posyandu):
        known = set(posyandu["posyandu_id"])
        for register in (KADER, MONTHLY_REPORT, SPM_SERVICE):
            frame = frames.get(register.name)
            if frame is None or not len(frame):
                continue
            orphan = ~frame["posyandu_id"].isin(known)
            if orphan.any():
                rejections.append(
                    pd.DataFrame(
                        {
                            "register": register.name,
                            "file": frame.loc[orphan, "_file"].to_numpy(),
                            "row_number": frame.loc[orphan, "_row"].to_numpy(dtype="int64"),
                            "column_name": "ID Posyandu",
                            "value": frame.loc[orphan, "posyandu_id"].astype(str).to_numpy(),
                            "reason": "ID Posyandu tidak ada di master posyandu",
                            "action": REJECTED,
                        }
                    )
                )
                frames[register.name] = frame[~orphan].reset_index(drop=True)
        posyandu["posyandu_key"] = posyandu_key(posyandu["posyandu_name"])
    counted = (
        pd.concat([r for r in rejections if len(r)], ignore_index=True)
        if any(len(r) for r in rejections)
        else pd.DataFrame(columns=REJECTION_COLUMNS)
    )
    for name, report in reports.items():
        mine = counted[counted["register"] == name]
        _count_file_rows(report, frames.get(name), mine)
        report.rows_loaded = len(frames.get(name, []))
        report.rows_rejected = sum(f.rows_rejected for f in report.file_rows.values())
        report.values_blanked = int((mine["action"] == BLANKED).sum())


def _count_file_rows(
    report: RegisterReport, frame: pd.DataFrame | MeasurementSpill | None, rejections: pd.DataFrame
) -> None:
    """Per file: rows loaded (in the final frame) and rows rejected (distinct data rows with
    a `ditolak` record; a `ditolak` record at or above the header refuses the whole file)."""
    if isinstance(frame, MeasurementSpill):
        loaded = frame.rows_by_file
    else:
        loaded = frame["_file"].value_counts() if frame is not None and len(frame) and "_file" in frame else {}
    refused = rejections[rejections["action"] == REJECTED]
    for rows in report.file_rows.values():
        mine = refused[refused["file"] == rows.file]
        rows.rows_loaded = int(loaded.get(rows.file, 0))
        if (mine["row_number"] <= rows.header_row).any():
            rows.rows_rejected = rows.rows_read
        else:
            rows.rows_rejected = int(mine["row_number"].nunique())
