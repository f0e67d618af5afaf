"""Write a complete warehouse into a temporary file next to the target, run the SQL models
and checks there, and only then atomically replace the warehouse (os.replace)."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.config import EtlConfig
from etl.lifecycle import keep_previous, write_manifest
from etl.models import SQL_DIR, Model, model_dependencies, ordered_models
from etl.norms import read_norms
from etl.regions import desa_frame, kecamatan_frame
from etl.registers import EPPGBM, REGISTERS, SPM_FIELD_NAMES, SPM_FIELDS, Register
from etl.report import REGISTER_COUNT_COLUMNS, RegisterReport
from etl.spill import MeasurementSpill, return_freed_memory
from etl.transform.nutrition_marts import compute_area_month_prevalence
from etl.validate import REJECTION_COLUMNS

# Tests of killed builds set this to "<stage>:<marker file>": see _pause_if_asked.
PAUSE_ENV = "DASBOR_BUILD_PAUSE"
PREVALENCE_MART = "mart_nutrition_prevalence"
# Relations computed in Python, placed in the model order by the input SQL they read.
PYTHON_MODELS = {PREVALENCE_MART: SQL_DIR / "inputs" / "nutrition_children.sql"}
_KIND_TYPES = {
    "int": "BIGINT",
    "decimal": "DOUBLE",
    "rupiah": "DOUBLE",
    "date": "DATE",
    "month": "DATE",
    "year": "INTEGER",
    "sex": "TINYINT",
    "spm_list": "VARCHAR[]",
}
# e-PPGBM after the transform: personal columns gone, keys and z-scores added.
_MEASUREMENT_COLUMNS = {
    "child_key": "VARCHAR",
    "kode_kec": "VARCHAR",
    "kode_desa": "VARCHAR",
    "puskesmas": "VARCHAR",
    "posyandu_name": "VARCHAR",
    "posyandu_id": "VARCHAR",
    "measured_on": "DATE",
    "month": "DATE",
    "age_days": "INTEGER",
    "age_months": "INTEGER",
    "sex": "TINYINT",
    "weight_kg": "DOUBLE",
    "height_cm": "DOUBLE",
    "measure": "VARCHAR",
    "muac_cm": "DOUBLE",
    "weight_gain": "VARCHAR",
    "haz": "DOUBLE",
    "waz": "DOUBLE",
    "whz": "DOUBLE",
    "bmiz": "DOUBLE",
    "haz_flag": "TINYINT",
    "waz_flag": "TINYINT",
    "whz_flag": "TINYINT",
    "bmiz_flag": "TINYINT",
    "position_error": "BOOLEAN",
    "export_haz": "DOUBLE",
    "export_waz": "DOUBLE",
    "export_whz": "DOUBLE",
    "_file": "VARCHAR",
    "_row": "BIGINT",
}


class BuildInProgress(Exception):
    """Another build holds the lock."""


class BuildLock:
    """One build at a time per warehouse; a second one is refused, not queued."""

    def __init__(self, db_path: Path):
        self.path = db_path.with_name(db_path.name + ".lock")
        self.handle = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self.handle.close()
            raise BuildInProgress(
                "Pembaruan data lain sedang berjalan; tunggu sampai selesai lalu coba lagi."
            ) from error
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def staging_columns(register: Register) -> dict[str, str]:
    if register is EPPGBM:
        return dict(_MEASUREMENT_COLUMNS)
    columns = {}
    for f in register.fields:
        name = {"kecamatan": "kode_kec", "desa": "kode_desa"}.get(f.kind, f.name)
        columns[name] = _KIND_TYPES.get(f.kind, "VARCHAR")
    if register.name == "posyandu":
        columns["posyandu_key"] = "VARCHAR"
    columns["_file"] = "VARCHAR"
    columns["_row"] = "BIGINT"
    return columns


def load_warehouse(
    *,
    config: EtlConfig,
    run_id: str,
    started_at: datetime,
    frames: dict[str, pd.DataFrame | MeasurementSpill],
    reports: dict[str, RegisterReport],
    missing: dict[str, str],
    rejections: pd.DataFrame,
    stage_seconds: dict[str, float],
) -> dict[str, int]:
    """Consumes `frames`: each register's frame is emptied once its rows are in DuckDB, so the
    models run without the registers' Python copies (gigabytes at 100x) beside them."""
    target = config.db_path
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{run_id}.tmp")
    spill_dir = temporary.with_name(temporary.name + ".spill")  # DuckDB's out-of-core work
    for stale in target.parent.glob(f".{target.name}.*.tmp*"):  # left by a killed build; we hold the lock
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink(missing_ok=True)
    _pause_if_asked("before-temporary-file")
    try:
        con = duckdb.connect(
            str(temporary), config={"memory_limit": config.duckdb_memory_limit, "temp_directory": str(spill_dir)}
        )
        _pause_if_asked("temporary-file")
        try:
            _write_reference(con)
            for register in REGISTERS:
                frame = frames.get(register.name)
                _write_staging(con, register, frame)
                if isinstance(frame, pd.DataFrame):  # its rows are in DuckDB now: the models get the memory
                    frames[register.name] = frame.iloc[0:0].copy()  # a slice would keep its buffers
                del frame
            return_freed_memory()
            models = ordered_models(SQL_DIR, PYTHON_MODELS)
            done_with = staging_last_readers(models)
            for model in models:
                if model.name == PREVALENCE_MART:
                    _write_prevalence_mart(con)
                else:
                    con.execute(f"create or replace table {model.name} as {model.path.read_text()}")
                for staging in done_with.get(model.name, ()):  # its space is reused by the next tables
                    con.execute(f"drop table {staging}")
            _write_operations(con, config, run_id, started_at, reports, missing, rejections, stage_seconds)
            _run_checks(con)
            for register in REGISTERS:  # staging is an internal step, not for analysts
                con.execute(f"drop table if exists stg_{register.name}")
            counts = {
                name: con.execute(f'select count(*) from "{name}"').fetchone()[0]
                for (name,) in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'main' order by 1"
                ).fetchall()
            }
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(temporary)
        keep_previous(target)
        _pause_if_asked("before-replace")
        os.replace(temporary, target)
        _fsync(target.parent)
        write_manifest(config, run_id)
        return counts
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(spill_dir, ignore_errors=True)


def staging_last_readers(models: list[Model]) -> dict[str, list[str]]:
    """model name -> the staging tables no model after it reads. Dropped there, the 100 M
    measurement rows of stg_eppgbm free their blocks for the facts built from them, instead
    of the warehouse file holding both until the end (at 100x, gigabytes of disk)."""
    staging = {f"stg_{register.name}" for register in REGISTERS}
    known = staging | {model.name for model in models}  # declared dependencies name models
    last: dict[str, str] = {}
    for model in models:
        for table in model_dependencies(model.path.read_text(encoding="utf-8"), known) & staging:
            last[table] = model.name
    readers: dict[str, list[str]] = {}
    for table, model_name in sorted(last.items()):
        readers.setdefault(model_name, []).append(table)
    return readers


def _pause_if_asked(stage: str) -> None:
    """When PAUSE_ENV names this stage, write the marker file and wait to be killed, so a test
    kills the build at a known point instead of racing it."""
    wanted, _, marker = os.environ.get(PAUSE_ENV, "").partition(":")
    if wanted != stage or not marker:
        return
    Path(marker).write_text(str(os.getpid()))
    time.sleep(600)


def _write_prevalence_mart(con: duckdb.DuckDBPyConnection) -> None:
    """Design-based prevalence by month, area and group, computed with the WHO engine.

    Each month is its own survey (etl/transform/nutrition_marts.py), so the children are
    read a month at a time: at 100x a month is a few million rows, all months together
    a hundred million."""
    children_sql = (SQL_DIR / "inputs" / "nutrition_children.sql").read_text()
    con.execute(f"create temporary view nutrition_children as {children_sql}")
    months = [m for (m,) in con.execute("select distinct month from nutrition_children order by 1").fetchall()]
    parts = [
        compute_area_month_prevalence(
            con.execute("select * from nutrition_children where month = $month", {"month": month}).df()
        )
        for month in months
    ]
    if not parts:
        parts = [compute_area_month_prevalence(con.execute("select * from nutrition_children").df())]
    _create_from_frame(con, PREVALENCE_MART, pd.concat(parts, ignore_index=True))
    con.execute("drop view nutrition_children")


def _write_reference(con: duckdb.DuckDBPyConnection) -> None:
    _create_from_frame(con, "ref_kecamatan", kecamatan_frame())
    _create_from_frame(con, "ref_desa", desa_frame())
    _create_from_frame(con, "ref_norm", read_norms())
    spm_fields = pd.DataFrame(
        {
            "spm_field": list(SPM_FIELDS),
            "field_order": range(1, len(SPM_FIELDS) + 1),
            "field_name": [SPM_FIELD_NAMES[f] for f in SPM_FIELDS],
        }
    )
    _create_from_frame(con, "ref_spm_field", spm_fields)


def _create_from_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("frame_to_copy", frame)
    con.execute(f"create table {table} as select * from frame_to_copy")
    con.unregister("frame_to_copy")


def _write_staging(
    con: duckdb.DuckDBPyConnection, register: Register, frame: pd.DataFrame | MeasurementSpill | None
) -> None:
    columns = staging_columns(register)
    ddl = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns.items())
    con.execute(f"create table stg_{register.name} ({ddl})")
    if frame is None or not len(frame):
        return
    if not isinstance(frame, pd.DataFrame):  # a MeasurementSpill: Parquet parts, read out of core
        names = ", ".join(f'"{c}"' for c in columns)
        parts = [str(p) for p in frame.paths]
        con.execute(
            f"insert into stg_{register.name} ({names}) select {names} from read_parquet($parts, union_by_name = true)",
            {"parts": parts},
        )
        return
    present = [c for c in columns if c in frame.columns]
    data = frame[present]
    con.register("staging_frame", data)
    names = ", ".join(f'"{c}"' for c in present)
    con.execute(f"insert into stg_{register.name} ({names}) select {names} from staging_frame")
    con.unregister("staging_frame")


def _write_operations(con, config, run_id, started_at, reports, missing, rejections, stage_seconds) -> None:
    finished = datetime.now()
    con.execute(
        """
        create table etl_run as select
            $run_id as run_id,
            $started_at::timestamp as started_at,
            $finished_at::timestamp as finished_at,
            $source_dir as source_dir,
            'berhasil' as status,
            $run_id as warehouse_version,
            $seconds::double as seconds
        """,
        {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": finished,
            "source_dir": str(config.source_dir),
            "seconds": (finished - started_at).total_seconds(),
        },
    )
    register_rows = pd.DataFrame(
        [{"run_id": run_id, **r.counts(), "seconds": r.seconds} for r in reports.values()],
        columns=["run_id", *REGISTER_COUNT_COLUMNS, "seconds"],
    )
    _create_from_frame(con, "etl_register_load", register_rows)
    file_rows = pd.DataFrame(
        [{"run_id": run_id, **vars(f)} for r in reports.values() for f in r.file_rows.values()],
        columns=["run_id", "register", "file", "header_row", "rows_read", "rows_loaded", "rows_rejected"],
    )
    _create_from_frame(con, "etl_file_load", file_rows)
    rejected = rejections.reindex(columns=REJECTION_COLUMNS).assign(run_id=run_id)
    rejected["row_number"] = rejected["row_number"].astype("int64")
    con.register("rejected", rejected)
    con.execute(
        """
        create table etl_rejected_row as select
            run_id, register, file, row_number::bigint as row_number, column_name,
            value::varchar as value, reason, action
        from rejected
        """
    )
    missing_rows = pd.DataFrame(
        [
            {"run_id": run_id, "register": name, "message": f"{label}: tidak ada file di folder sumber"}
            for name, label in missing.items()
        ],
        columns=["run_id", "register", "message"],
    )
    _create_from_frame(con, "etl_missing_register", missing_rows)
    stage_rows = pd.DataFrame(
        [{"run_id": run_id, "stage": k, "seconds": v} for k, v in stage_seconds.items()],
        columns=["run_id", "stage", "seconds"],
    )
    _create_from_frame(con, "etl_stage_time", stage_rows)


def _run_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Every checks/assert_*.sql must return no rows, or the build fails and the old warehouse stays."""
    failures = []
    for path in sorted((SQL_DIR / "checks").glob("assert_*.sql")):
        rows = con.execute(path.read_text()).fetchall()
        if rows:
            failures.append(f"{path.stem}: {len(rows)} baris melanggar (contoh: {rows[0]})")
    if failures:
        raise RuntimeError("pemeriksaan warehouse gagal: " + "; ".join(failures))


def _fsync(path: Path) -> None:
    """Flush a file (or a folder's entry list) to disk so a power cut cannot half-replace it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
