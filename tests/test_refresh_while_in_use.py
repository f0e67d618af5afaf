"""A rebuild while the dashboard is in use: readers are never blocked or broken, pages keep
rendering, and the new data shows once the warehouse is replaced (etl/load.py, dashboard/db.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.db import file_version, run_query
from etl.build import build_warehouse
from etl.config import EtlConfig

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
LATEST_RUN = "select warehouse_version from etl_run order by finished_at desc limit 1"
VERSION = re.compile(r"versi data (\S+)")
ROUNDS = 2


@pytest.fixture
def warehouse_copy(warehouse_path, tmp_path) -> Path:
    """The session warehouse copied, so a rebuild replaces nobody else's file."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy2(warehouse_path, copy)
    return copy


def test_rebuild_never_blocks_or_breaks_readers(sample_dir, warehouse_copy, tmp_path):
    old_file, old_run = file_version(warehouse_copy), run_query(LATEST_RUN, path=warehouse_copy).iloc[0, 0]
    reads: list[tuple[float, float, str]] = []  # (finished at, seconds, run seen)
    failures: list[str] = []
    stop = threading.Event()

    def read_repeatedly() -> None:
        while not stop.is_set():
            tick = time.perf_counter()
            try:  # a fresh read-only connection each time, as every dashboard query
                frame = run_query(
                    f"select ({LATEST_RUN}) as run, (select count(*) from fct_measurement) as rows", path=warehouse_copy
                )
                reads.append((time.perf_counter(), time.perf_counter() - tick, frame.iloc[0, 0]))
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                failures.append(repr(error))

    reader = threading.Thread(target=read_repeatedly, daemon=True)
    reader.start()
    build_started = time.perf_counter()
    report = build_warehouse(EtlConfig(source_dir=sample_dir, db_path=warehouse_copy, secret_path=tmp_path / "key"))
    build_finished = time.perf_counter()
    time.sleep(0.5)  # keep reading the replaced file a little
    stop.set()
    reader.join(30)

    assert not failures, failures[:3]
    during = [seconds for finished, seconds, _ in reads if build_started < finished < build_finished]
    assert len(during) >= 10, f"only {len(during)} reads finished while the build ran"
    # a read that waited for the writer would last about as long as the build
    assert max(seconds for _, seconds, _ in reads) < (build_finished - build_started) / 2
    seen = [run for _, _, run in reads]
    assert seen[0] == old_run and seen[-1] == report.run_id != old_run
    assert old_run not in seen[seen.index(report.run_id) :], "an old read after the new file was seen"
    assert file_version(warehouse_copy) != old_file
    assert run_query(LATEST_RUN, path=warehouse_copy).iloc[0, 0] == report.run_id


def _page_scripts() -> list[str]:
    return re.findall(r'st\.Page\("([^"]+)"', APP.read_text(encoding="utf-8"))


def _start_build(sample_dir: Path, db: Path, tmp_path: Path, number: int) -> tuple[subprocess.Popen, Path]:
    env = {
        **os.environ,
        "DASBOR_WAREHOUSE": str(db),
        "DASBOR_PSEUDONYM_KEY_FILE": str(tmp_path / "key"),
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "etl", "build", "--source", str(sample_dir), "--db", str(db)]
    log = tmp_path / f"build-{number}.log"
    with open(log, "w") as output:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT), log


def test_pages_render_while_a_rebuild_runs(sample_dir, warehouse_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(warehouse_copy))
    monkeypatch.setenv("DASBOR_LOGIN_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))  # login off
    scripts = _page_scripts()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    # Builds run back to back while every page is opened ROUNDS times, so page runs
    # overlap a build however fast it is, including the moment it replaces the file.
    problems, builds, overlapping = [], [], 0
    build, log = _start_build(sample_dir, warehouse_copy, tmp_path, 0)
    try:
        for _ in range(ROUNDS):
            for script in scripts:
                if build.poll() is not None:
                    builds.append((build.returncode, log))
                    build, log = _start_build(sample_dir, warehouse_copy, tmp_path, len(builds))
                at.switch_page(script)
                at.run()
                overlapping += build.poll() is None
                if at.exception:
                    problems.append(f"{script}: {[e.value for e in at.exception]}")
    finally:
        builds.append((build.wait(timeout=300), log))

    assert all(code == 0 for code, _ in builds), [log.read_text()[-2000:] for code, log in builds if code]
    assert not problems, problems
    assert overlapping >= len(scripts), f"only {overlapping} page runs overlapped a build"
    new_run = run_query(LATEST_RUN, path=warehouse_copy).iloc[0, 0]
    at.switch_page(scripts[0])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = VERSION.search(" ".join(c.value for c in at.sidebar.caption))
    assert shown and shown.group(1) == new_run, "the sidebar does not show the new data version"
