"""The warehouse built from the generated sample, rebuilds, and killed builds."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.build import build_warehouse
from etl.config import SAMPLE_DIR, EtlConfig
from etl.load import PAUSE_ENV, BuildInProgress, BuildLock

REPO_DIR = Path(__file__).resolve().parents[2]


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables if not t.startswith("etl_")}
    finally:
        con.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sample_warehouse_has_every_table(warehouse):
    counts = {
        t: warehouse.execute(f'select count(*) from "{t}"').fetchone()[0]
        for t in (
            "dim_kecamatan",
            "dim_desa",
            "dim_posyandu",
            "dim_kader",
            "fct_measurement",
            "fct_posyandu_month",
            "fct_spm_service",
            "fct_kader_training",
            "fct_desa_index",
            "fct_official_stunting",
            "dim_mentoring_team",
            "fct_mentoring_visit",
            "mart_stunting_by_area_month",
            "etl_run",
            "etl_rejected_row",
        )
    }
    assert counts["dim_kecamatan"] == 20
    assert counts["dim_desa"] == 237
    assert all(n > 0 for n in counts.values()), counts
    kecamatan_with_posyandu = warehouse.execute("select count(distinct kode_kec) from dim_posyandu").fetchone()[0]
    assert kecamatan_with_posyandu == 20


def test_sample_flaws_are_rejected_with_reasons(warehouse):
    reasons = warehouse.execute(
        "select reason, count(*) from etl_rejected_row where register = 'eppgbm' group by 1 order by 2 desc"
    ).fetchall()
    text = " ".join(r for r, _ in reasons)
    assert "duplikat" in text
    assert "kode isian" in text or "rentang wajar" in text


def test_second_build_gives_same_counts(sample_dir, warehouse_path, tmp_path):
    db = tmp_path / "again.duckdb"
    build_warehouse(EtlConfig(source_dir=sample_dir, db_path=db, secret_path=tmp_path / "key"))
    assert _counts(db) == _counts(warehouse_path)


def test_committed_registers_give_806_posyandu_balita(tmp_path):
    """The bundled master lists the full Kukar posyandu (the e-PPGBM bulk is left out here)."""
    source = tmp_path / "registers"
    shutil.copytree(SAMPLE_DIR, source, ignore=shutil.ignore_patterns("eppgbm*", "*ppgbm*", "generated"))
    db = tmp_path / "w.duckdb"
    build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=tmp_path / "key"))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from dim_posyandu").fetchone()[0] >= 806
    assert con.execute("select count(*) from dim_posyandu where is_balita").fetchone()[0] >= 806


@pytest.mark.parametrize("stage", ["before-temporary-file", "temporary-file", "before-replace"])
def test_build_killed_leaves_previous_warehouse(sample_dir, warehouse_path, tmp_path, stage):
    """The build pauses at `stage` (PAUSE_ENV) and is killed there: deterministic, no race. A
    build that never reaches the stage, or writes the warehouse in place, fails this test."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, db)
    before = _sha(db)
    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_DIR),
        "DASBOR_PSEUDONYM_KEY_FILE": str(tmp_path / "key"),
        PAUSE_ENV: f"{stage}:{marker}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "etl", "build", "--source", str(sample_dir), "--db", str(db)],
        cwd=REPO_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), f"the build never paused at {stage} (exit code {process.poll()})"
        temporary = list(tmp_path.glob(".warehouse.duckdb.*.tmp"))
        if stage == "before-temporary-file":
            assert not temporary
        else:
            assert len(temporary) == 1, "the build writes no temporary file: it would be writing in place"
        assert _sha(db) == before, "the warehouse changed before the swap"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _sha(db) == before
    assert _counts(db) == _counts(warehouse_path)
    # the lock died with the process: the next build may run and clears the leftovers
    build_warehouse(EtlConfig(source_dir=sample_dir, db_path=db, secret_path=tmp_path / "key"))
    assert not list(tmp_path.glob(".warehouse.duckdb.*.tmp*"))


def test_second_build_while_one_runs_is_refused(tmp_path):
    db = tmp_path / "w.duckdb"
    with BuildLock(db):
        with pytest.raises(BuildInProgress, match="sedang berjalan"):
            build_warehouse(EtlConfig(source_dir=tmp_path, db_path=db, secret_path=tmp_path / "key"))


def test_cli_reports_rows_and_seconds(sample_dir, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "DASBOR_PSEUDONYM_KEY_FILE": str(tmp_path / "key")}
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--source", str(sample_dir), "--db", str(tmp_path / "w.duckdb")],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "eppgbm" in result.stdout and "dibaca" in result.stdout and "total" in result.stdout


def test_cli_fails_with_one_line_when_nothing_usable(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "posyandu.csv").write_text("")
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "DASBOR_PSEUDONYM_KEY_FILE": str(tmp_path / "key")}
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--source", str(tmp_path / "src"), "--db", str(tmp_path / "w.duckdb")],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Gagal" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_each_childs_latest_measurement_of_the_month_is_one_model_the_marts_read(warehouse):
    # fct_child_month against an independent definition: the newest measured_on per child and month, 0-59 months
    expected = warehouse.execute(
        """
        select count(*) from (
            select child_key, month, max(measured_on) as measured_on
            from fct_measurement
            where age_days between 0 and 1826
            group by child_key, month
        )
        """
    ).fetchone()[0]
    rows, keys = warehouse.execute(
        "select count(*), count(distinct (child_key, month)) from fct_child_month"
    ).fetchone()
    assert rows == keys == expected > 0
    older = warehouse.execute(
        """
        select count(*)
        from fct_child_month as c
        inner join fct_measurement as m
            on m.child_key = c.child_key and m.month = c.month and m.measured_on > c.measured_on
        """
    ).fetchone()[0]
    assert older == 0
    kabupaten = warehouse.execute(
        "select sum(children_measured) from mart_stunting_by_area_month where area_level = 'kabupaten'"
    ).fetchone()[0]
    assert kabupaten == rows
    sql_dir = Path(__file__).resolve().parents[2] / "etl" / "sql"
    for model in (
        "mart_stunting_by_area_month",
        "mart_data_quality_by_kecamatan_month",
        "mart_nutrition_coverage_by_kecamatan_month",
        "inputs/nutrition_children",
    ):
        sql = (sql_dir / f"{model}.sql").read_text()
        assert "from fct_child_month" in sql and "row_number()" not in sql, model
