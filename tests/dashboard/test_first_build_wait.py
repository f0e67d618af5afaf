"""dashboard/first_build.py: a session waiting for another session's build gives up when
that build ends without a warehouse, or after its time limit."""

from __future__ import annotations

import threading
from pathlib import Path

from dashboard.first_build import wait_for_other_build
from etl.load import BuildLock


def test_gives_up_when_the_other_build_ended_without_a_warehouse(tmp_path: Path):
    db = tmp_path / "warehouse.duckdb"
    lock = BuildLock(db).__enter__()
    threading.Timer(0.5, lock.__exit__).start()  # the other build fails and releases its lock
    assert wait_for_other_build(db, db.exists, limit_s=60, poll_s=0.1) is False


def test_gives_up_after_the_limit(tmp_path: Path):
    db = tmp_path / "warehouse.duckdb"
    with BuildLock(db):  # the other build never ends
        assert wait_for_other_build(db, db.exists, limit_s=0.5, poll_s=0.1) is False


def test_returns_when_the_warehouse_appears(tmp_path: Path):
    db = tmp_path / "warehouse.duckdb"
    lock = BuildLock(db).__enter__()

    def finish() -> None:
        db.write_bytes(b"built")
        lock.__exit__()

    threading.Timer(0.3, finish).start()
    assert wait_for_other_build(db, db.exists, limit_s=60, poll_s=0.1) is True
