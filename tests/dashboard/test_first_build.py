"""The first warehouse build: once per process, progress readable meanwhile, a build by
another process awaited, a failure shown and retried; and the page that shows it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.first_build import FirstBuild
from etl.config import EtlConfig
from etl.load import BuildInProgress, BuildLock

REPO = Path(__file__).resolve().parents[2]


class SlowBuild:
    """A build that reports progress, then waits until the test lets it finish."""

    def __init__(self, result: Path | None = None):
        self.calls = 0
        self.reported = threading.Event()
        self.release = threading.Event()
        self.result = result

    def __call__(self, config, progress):
        self.calls += 1
        progress("Membaca Master posyandu...", 0.3)
        progress("terlalu jauh", 1.7)
        progress("Membaca Master posyandu...", 0.3)
        self.reported.set()
        self.release.wait(30)
        if self.result is not None:
            shutil.copy(self.result, config.db_path)


def test_the_build_runs_once_and_reports_progress(tmp_path):
    build = SlowBuild()
    first = FirstBuild(build=build)
    config = EtlConfig(db_path=tmp_path / "w.duckdb")
    first.start(config)
    first.start(config)  # a second tab while it runs
    assert build.reported.wait(10)
    status = first.status()
    assert (status.state, status.message, status.fraction) == ("running", "Membaca Master posyandu...", 0.3)
    build.release.set()
    first.join(10)
    assert first.status().state == "done" and first.status().fraction == 1.0
    first.start(config)
    first.join(10)
    assert build.calls == 1


def test_a_build_by_another_process_is_awaited(tmp_path):
    exists = iter([False, False, True])
    naps = []

    def busy(config, progress):
        raise BuildInProgress("locked")

    first = FirstBuild(build=busy, exists=lambda: next(exists), sleep=naps.append)
    with BuildLock(tmp_path / "w.duckdb"):  # the other process's build holds the lock meanwhile
        first.start(EtlConfig(db_path=tmp_path / "w.duckdb"))
        first.join(10)
    assert first.status().state == "done" and len(naps) == 2


def test_a_failed_build_says_so_and_is_tried_again(tmp_path, capsys):
    calls = []

    def broken(config, progress):
        calls.append(config)
        raise OSError("disk full")

    first = FirstBuild(build=broken)
    first.start(EtlConfig(db_path=tmp_path / "w.duckdb"))
    first.join(10)
    assert first.status().state == "failed"
    assert "disk full" in capsys.readouterr().err  # details to the server's log, not the page
    first.start(EtlConfig(db_path=tmp_path / "w.duckdb"))
    first.join(10)
    assert len(calls) == 2


def test_first_start_shows_only_the_progress_then_the_app(warehouse_path, tmp_path, monkeypatch):
    import dashboard.bootstrap

    build = SlowBuild(result=warehouse_path)
    first = FirstBuild(build=build, exists=dashboard.bootstrap.warehouse_exists)
    monkeypatch.setattr(dashboard.bootstrap, "_first_build", lambda: first)
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert build.reported.wait(10)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Dasbor Posyandu Kukar"
    assert "pertama kali" in at.info[0].value
    (bar,) = [e for e in at.main if getattr(e, "type", None) == "progress"]
    assert bar.proto.text == "Membaca Master posyandu..." and bar.proto.value == 30
    assert len(at.sidebar) == 0 and not at.metric  # nothing but the progress

    build.release.set()
    first.join(10)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric, "the first page shows its numbers once the build is done"
