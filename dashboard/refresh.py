"""Updating the data from the app: stage uploaded exports, validate them with a dry run,
rebuild the warehouse, and say what changed. No Streamlit here; pages/perbarui_data.py
draws it.

Uploads go to data/uploads/<timestamp>/ (folder mode 700, files mode 600: they hold NIKs
and names). A folder is "staged" until a rebuild that read it succeeds; then it is marked
applied and every later rebuild from the app reads it again (otherwise the next rebuild
would silently drop those rows), for UPLOAD_RETENTION_DAYS after it was loaded: then the
next rebuild from the app deletes it (the page lists such folders before the rebuild). Newer upload folders
are read first, so on a duplicate key a newer upload wins over an older upload; the
source folder is read before all uploads and wins over them.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from etl.build import BuildReport, OnFile, Progress, build_warehouse, discover_files, extract_registers
from etl.config import REPO_DIR, SAMPLE_DIR, EtlConfig
from etl.isolate import run_isolated
from etl.registers import REGISTERS
from etl.report import REGISTER_COUNT_COLUMNS
from etl.validate import BLANKED, REJECTED

UPLOADS_DIR = REPO_DIR / "data" / "uploads"
MAX_UPLOAD_MB = 200  # also server.maxUploadSize in .streamlit/config.toml
# .xls: what web applications call their HTML-table "Excel" export (the reader reads it by content)
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xls")
APPLIED_MARKER = ".applied"  # holds the warehouse version that first read the folder
UPLOAD_RETENTION_DAYS = 365  # raw files with personal data are not kept longer than this after loading
SAMPLE_ROWS = 50
_REGISTER_LABELS = {r.name: r.label for r in REGISTERS}
_ROW_REFERENCE = re.compile(r"(?<=dengan ).+?\.(?:csv|txt|xlsx|xlsm|xls) baris \d+", re.IGNORECASE)


class UploadedFile(Protocol):
    """What st.file_uploader returns (and what tests pass)."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


# --- folders -----------------------------------------------------------------------


def active_source_dir() -> Path:
    """The folder rebuilds read: DASBOR_SOURCE_DIR, else the bundled sample."""
    return Path(os.environ.get("DASBOR_SOURCE_DIR", SAMPLE_DIR))


def uploads_root() -> Path:
    return Path(os.environ.get("DASBOR_UPLOADS_DIR", UPLOADS_DIR))


def upload_folders(root: Path | None = None) -> list[Path]:
    """Every upload folder, newest first."""
    root = root or uploads_root()
    if not root.is_dir():
        return []
    return sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name, reverse=True
    )


def is_applied(folder: Path) -> bool:
    return (folder / APPLIED_MARKER).exists()


def staged_folders(root: Path | None = None) -> list[Path]:
    """Uploads not yet in the warehouse."""
    return [p for p in upload_folders(root) if not is_applied(p)]


def mark_applied(folders: Iterable[Path], version: str) -> None:
    for folder in folders:
        marker = folder / APPLIED_MARKER
        if not marker.exists():
            marker.write_text(version + "\n", encoding="utf-8")


def expired_upload_folders(
    folders: Iterable[Path], days: int = UPLOAD_RETENTION_DAYS, now: datetime | None = None
) -> list[Path]:
    """Those of `folders` loaded more than `days` ago (the applied marker's time)."""
    cutoff = (now or datetime.now()).timestamp() - days * 86400
    return [f for f in folders if is_applied(f) and (f / APPLIED_MARKER).stat().st_mtime < cutoff]


def protect_uploads(root: Path | None = None) -> None:
    """Upload folders 700 and files 600 (also those saved before this rule)."""
    if os.name == "nt":  # no POSIX modes; the folder inherits the user's own permissions
        return
    for folder in upload_folders(root):
        os.chmod(folder, 0o700)
        for path in folder.iterdir():
            if path.is_file():
                os.chmod(path, 0o600)


def discard_staged_uploads(root: Path | None = None) -> int:
    """Delete upload folders not yet in the warehouse; returns the number of files deleted."""
    deleted = 0
    for folder in staged_folders(root):
        deleted += sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder)
    return deleted


def list_uploads(root: Path | None = None) -> pd.DataFrame:
    """Every uploaded file: folder, file, status (baru / sudah dimuat), size in KB."""
    rows = [
        {
            "folder": folder.name,
            "file": path.name,
            "status": _status(folder, path.name),
            "size_kb": round(path.stat().st_size / 1024),
        }
        for folder in upload_folders(root)
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".")
    ]
    return pd.DataFrame(rows, columns=["folder", "file", "status", "size_kb"])


def _status(folder: Path, filename: str) -> str:
    if register_of(filename) is None:
        return "tidak dibaca (nama tidak dikenali)"
    return "sudah dimuat" if is_applied(folder) else "belum dimuat"


def uploads_signature(root: Path | None = None) -> tuple:
    """Changes whenever uploads are added or removed (a dry run of other files no longer applies)."""
    return tuple((f.name, is_applied(f), tuple(sorted(p.name for p in f.iterdir()))) for f in upload_folders(root))


def refresh_config(db_path: Path, source_dir: Path | None = None, root: Path | None = None) -> EtlConfig:
    """The source folder plus every upload folder (newest first)."""
    return EtlConfig(
        source_dir=source_dir or active_source_dir(), extra_source_dirs=tuple(upload_folders(root)), db_path=db_path
    )


# --- saving uploads ----------------------------------------------------------------


_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def sanitise_filename(name: str) -> str:
    """A safe file name: no folders, ASCII letters, digits, `._-` only, an allowed suffix."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")
    stem = re.sub(r"_{2,}", "_", stem)[:100] or "unggahan"
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:  # "CON.csv" opens the console on Windows, not a file
        stem = f"unggahan_{stem}"
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())
    return f"{stem}.{suffix}" if suffix else stem


def register_of(filename: str) -> str | None:
    """Which register a file name belongs to (the ETL's own rules), or None."""
    lower = filename.lower()
    for register in REGISTERS:
        if any(x in lower for x in register.exclude):
            continue
        if any(fnmatch(lower, p.lower()) for p in register.patterns if "/" not in p):
            return register.name
    return None


def name_for_register(filename: str, register: str | None) -> str:
    """Prefix the name so the ETL files it under the chosen register (unchanged if it already is)."""
    if register is None or register_of(filename) == register:
        return filename
    chosen = next(r for r in REGISTERS if r.name == register)
    prefixes = [chosen.name, *(p.strip("*").replace(" ", "_") for p in chosen.patterns if "/" not in p)]
    for prefix in prefixes:
        candidate = f"{prefix}_{filename}"
        if register_of(candidate) == register:
            return candidate
    return filename


@dataclass
class SavedUploads:
    folder: Path | None
    saved: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one Bahasa line per refused file


def save_uploads(
    files: Iterable[UploadedFile],
    root: Path | None = None,
    *,
    register: str | None = None,
    max_mb: int = MAX_UPLOAD_MB,
    now: datetime | None = None,
) -> SavedUploads:
    """Save accepted files into a new data/uploads/<timestamp>/ folder."""
    root = root or uploads_root()
    result = SavedUploads(folder=None)
    accepted: list[tuple[str, bytes]] = []
    taken: set[str] = set()
    for upload in files:
        name = sanitise_filename(upload.name)
        suffix = Path(name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            result.refused.append(f"{upload.name}: jenis file tidak diterima (hanya {', '.join(ALLOWED_SUFFIXES)})")
            continue
        if upload.size > max_mb * 1024 * 1024:
            result.refused.append(f"{upload.name}: lebih dari {max_mb} MB")
            continue
        name = name_for_register(name, register)
        stem, counter = Path(name).stem, 2
        while name.lower() in taken:
            name, counter = f"{stem}_{counter}{suffix}", counter + 1
        taken.add(name.lower())
        accepted.append((name, upload.getvalue()))
    if not accepted:
        return result
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    counter = 2
    while folder.exists():
        folder, counter = root / f"{stamp}-{counter}", counter + 1
    folder.mkdir(parents=True, mode=0o700)
    for name, data in accepted:
        path = folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        result.saved.append(path)
    result.folder = folder
    return result


# --- dry run -----------------------------------------------------------------------


@dataclass
class ValidationReport:
    registers: pd.DataFrame  # register, label, files, rows_read, rows_loaded, rows_rejected, values_blanked
    reasons: pd.DataFrame  # register, reason, action, rows
    sample: pd.DataFrame  # register, file, row_number, column_name, reason, action (never the value)
    uploads: pd.DataFrame  # file, folder, register label or "tidak dikenali", rejected, blanked
    missing: list[str]  # register labels with no file
    notes: list[str]

    @property
    def rows_loaded(self) -> int:
        return int(self.registers["rows_loaded"].sum()) if len(self.registers) else 0


def dry_run(
    config: EtlConfig, progress: Progress | None = None, sample_rows: int = SAMPLE_ROWS, on_file: OnFile | None = None
) -> ValidationReport:
    """Read and validate everything a rebuild would read; write nothing."""
    extraction = extract_registers(config, progress, on_file)
    registers = pd.DataFrame([r.counts() for r in extraction.reports.values()], columns=list(REGISTER_COUNT_COLUMNS))
    rejections = extraction.rejections
    if len(rejections):
        labelled = rejections.assign(
            register=rejections["register"].map(lambda r: _REGISTER_LABELS.get(r, r)),
            reason=rejections["reason"].astype(str).map(reason_kind),
        )
        reasons = (
            labelled.groupby(["register", "reason", "action"], as_index=False)
            .size()
            .rename(columns={"size": "rows"})
            .sort_values(["rows", "register"], ascending=[False, True], ignore_index=True)
        )
        sample = _sample_rejections(rejections, sample_rows).assign(
            register=lambda f: f["register"].map(lambda r: _REGISTER_LABELS.get(r, r))
        )
    else:
        reasons = pd.DataFrame(columns=["register", "reason", "action", "rows"])
        sample = pd.DataFrame(columns=["register", "file", "row_number", "column_name", "reason", "action"])
    notes = [n for r in extraction.reports.values() for n in r.notes]
    return ValidationReport(
        registers=registers,
        reasons=reasons,
        sample=sample,
        uploads=_upload_summary(config.extra_source_dirs, rejections),
        missing=[_REGISTER_LABELS.get(name, name) for name in extraction.missing],
        notes=notes,
    )


def reason_kind(reason: str) -> str:
    """A reason without the row it points at, so that like reasons are counted together
    ("sama dengan eppgbm_2024-01.csv baris 12" → "sama dengan baris sebelumnya")."""
    return _ROW_REFERENCE.sub("baris sebelumnya", reason)


def _sample_rejections(rejections: pd.DataFrame, rows: int) -> pd.DataFrame:
    """A few rows per reason (so a rare reason is not hidden by a common one), without values."""
    columns = ["register", "file", "row_number", "column_name", "reason", "action"]
    per_reason = max(1, rows // max(1, rejections["reason"].nunique()))
    picked = rejections.groupby(["register", "reason"], sort=False).head(per_reason)
    return picked[columns].head(rows).reset_index(drop=True)


def _upload_summary(folders: Iterable[Path], rejections: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for folder in folders:
        found = {p: name for name, paths in discover_files(folder).items() for p in paths} if folder.is_dir() else {}
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            register = found.get(path)
            mine = (
                rejections[(rejections["file"] == path.name) & (rejections["register"] == register)]
                if register and len(rejections)
                else rejections.iloc[0:0]
            )
            rows.append(
                {
                    "file": path.name,
                    "folder": folder.name,
                    "status": _status(folder, path.name),
                    "register": _REGISTER_LABELS[register] if register else "tidak dikenali (nama file)",
                    "rows_rejected": int(mine.loc[mine["action"] == REJECTED, "row_number"].nunique())
                    if len(mine)
                    else 0,
                    "values_blanked": int((mine["action"] == BLANKED).sum()) if len(mine) else 0,
                }
            )
    return pd.DataFrame(rows, columns=["file", "folder", "status", "register", "rows_rejected", "values_blanked"])


# --- snapshot, rebuild, comparison --------------------------------------------------


@dataclass(frozen=True)
class WarehouseSnapshot:
    """Key figures of one warehouse version, taken before and after a rebuild."""

    version: str | None
    built_at: datetime | None
    table_counts: dict[str, int]
    months: tuple[date, ...]  # months with measurements or monthly reports
    stunting_by_month: dict[date, float]  # kabupaten routine prevalence (0–1)
    rows_rejected: int

    @property
    def latest_stunting(self) -> tuple[date, float] | None:
        if not self.stunting_by_month:
            return None
        month = max(self.stunting_by_month)
        return month, self.stunting_by_month[month]


EMPTY_SNAPSHOT = WarehouseSnapshot(None, None, {}, (), {}, 0)


def take_snapshot(db_path: Path) -> WarehouseSnapshot:
    """Read the key figures of the warehouse file (a fresh read-only connection)."""
    if not db_path.exists():
        return EMPTY_SNAPSHOT
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main' order by 1"
            ).fetchall()
        ]
        counts = {
            t: con.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in tables
            if t.startswith(("dim_", "fct_", "mart_"))
        }
        run = (
            con.execute(
                "select warehouse_version, finished_at from etl_run order by finished_at desc limit 1"
            ).fetchone()
            if "etl_run" in tables
            else None
        )
        months: set[date] = set()
        for table in ("fct_measurement", "fct_posyandu_month"):
            if table in tables:
                months.update(
                    pd.Timestamp(m).date()
                    for (m,) in con.execute(f"select distinct month from {table} where month is not null").fetchall()
                )
        stunting = {}
        if "mart_stunting_by_area_month" in tables:
            rows = con.execute(
                "select month, stunting_prevalence from mart_stunting_by_area_month "
                "where area_level = 'kabupaten' and stunting_prevalence is not null"
            ).fetchall()
            stunting = {pd.Timestamp(m).date(): float(v) for m, v in rows}
        rejected = 0
        if "etl_register_load" in tables:
            rejected = con.execute("select coalesce(sum(rows_rejected), 0) from etl_register_load").fetchone()[0]
    finally:
        con.close()
    return WarehouseSnapshot(
        version=run[0] if run else None,
        built_at=run[1] if run else None,
        table_counts=counts,
        months=tuple(sorted(months)),
        stunting_by_month=stunting,
        rows_rejected=int(rejected),
    )


def rebuild(
    config: EtlConfig, progress: Progress | None = None, on_file: OnFile | None = None
) -> tuple[WarehouseSnapshot, BuildReport, WarehouseSnapshot]:
    """Snapshot, rebuild (BuildInProgress when another build runs), snapshot again; the
    upload folders read are marked applied only when the build succeeded."""
    expired = set(expired_upload_folders(config.extra_source_dirs))
    for folder in expired:
        shutil.rmtree(folder)
    if expired:
        config = replace(config, extra_source_dirs=tuple(f for f in config.extra_source_dirs if f not in expired))
    before = take_snapshot(config.db_path)
    report = build_warehouse(config, progress, on_file)
    mark_applied(config.extra_source_dirs, report.run_id)
    return before, report, take_snapshot(config.db_path)


def dry_run_in_child(config: EtlConfig, progress: Progress | None = None) -> ValidationReport:
    """dry_run in a child process with memory and time caps (ChildFailed names the file)."""
    return run_isolated("dashboard.refresh:dry_run", config, progress=progress, what="pemeriksaan")


def rebuild_in_child(
    config: EtlConfig, progress: Progress | None = None
) -> tuple[WarehouseSnapshot, BuildReport, WarehouseSnapshot]:
    """rebuild in a child process with memory and time caps; a killed child leaves the
    previous warehouse (the build writes a temporary file) and releases the build lock."""
    return run_isolated("dashboard.refresh:rebuild", config, progress=progress, what="pembangunan ulang")


@dataclass(frozen=True)
class WarehouseChange:
    counts: pd.DataFrame  # table, before, after, change
    new_months: tuple[date, ...]
    dropped_months: tuple[date, ...]
    stunting_before: tuple[date, float] | None
    stunting_after: tuple[date, float] | None
    stunting_same_month_after: float | None  # the old latest month, recomputed in the new data
    rejected_before: int
    rejected_after: int


def compare_snapshots(before: WarehouseSnapshot, after: WarehouseSnapshot) -> WarehouseChange:
    tables = sorted(set(before.table_counts) | set(after.table_counts))
    counts = pd.DataFrame(
        {
            "table": tables,
            "before": [before.table_counts.get(t, 0) for t in tables],
            "after": [after.table_counts.get(t, 0) for t in tables],
        }
    )
    counts["change"] = counts["after"] - counts["before"]
    old_latest = before.latest_stunting
    return WarehouseChange(
        counts=counts,
        new_months=tuple(m for m in after.months if m not in set(before.months)),
        dropped_months=tuple(m for m in before.months if m not in set(after.months)),
        stunting_before=old_latest,
        stunting_after=after.latest_stunting,
        stunting_same_month_after=after.stunting_by_month.get(old_latest[0]) if old_latest else None,
        rejected_before=before.rows_rejected,
        rejected_after=after.rows_rejected,
    )
