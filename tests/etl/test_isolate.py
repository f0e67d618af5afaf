"""etl/isolate.py: a file check or build in a child process; whatever the child does, the
caller gets a result or a Bahasa exception naming the file, and keeps running."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from etl.isolate import Caps, ChildFailed, run_isolated
from etl.load import BuildInProgress
from tests.support.hostile_files import write_far_corner_xlsx

TARGETS = "tests.support.child_targets"


def test_result_and_progress_come_back():
    seen = []
    assert run_isolated(f"{TARGETS}:answer", 21, progress=lambda m, f: seen.append((m, f))) == 42
    assert seen == [("Selesai", 1.0)]


def test_known_exceptions_are_raised_again():
    with pytest.raises(BuildInProgress, match="sedang berjalan"):
        run_isolated(f"{TARGETS}:refuse")


def test_a_reader_that_aborts_kills_only_the_child(tmp_path: Path):
    """The far-corner workbook read without the size checks aborts the process (exit 134
    when it was the server); here the caller gets a message naming the file."""
    path = write_far_corner_xlsx(tmp_path / "pojok_jauh.xlsx")
    with pytest.raises(ChildFailed, match=r"berhenti mendadak saat membaca pojok_jauh\.xlsx"):
        run_isolated(f"{TARGETS}:read_unchecked", path, caps=Caps(memory_mb=8192, timeout_s=120))


def test_abort_names_the_file():
    with pytest.raises(ChildFailed, match=r"saat membaca rusak\.xlsx \(kode -6\)"):
        run_isolated(f"{TARGETS}:abort")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS does not exist on Windows")
def test_memory_cap():
    with pytest.raises(ChildFailed, match=r"kehabisan memori \(batas 1\.024 MB\) saat membaca besar\.csv"):
        run_isolated(f"{TARGETS}:allocate", 4096, caps=Caps(memory_mb=1024, timeout_s=120))


def test_time_cap():
    with pytest.raises(ChildFailed, match=r"dihentikan .* saat membaca lambat\.xlsx: terlalu lama"):
        run_isolated(f"{TARGETS}:sleep_reading", 600, caps=Caps(memory_mb=1024, timeout_s=15))
