"""Functions the isolation tests run in a child process (importable by name there)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def read_unchecked(path: Path, progress=None, on_file=None) -> int:
    """Open a workbook with calamine without the size checks: what used to kill the server."""
    from python_calamine import CalamineWorkbook

    on_file(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    return len(rows)


def allocate(megabytes: int, progress=None, on_file=None) -> int:
    on_file(Path("besar.csv"))
    blocks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    return len(blocks)


def sleep_reading(seconds: float, progress=None, on_file=None) -> None:
    progress("Membaca…", 0.1)
    on_file(Path("lambat.xlsx"))
    time.sleep(seconds)


def refuse(progress=None, on_file=None) -> None:
    from etl.load import BuildInProgress

    raise BuildInProgress("Pembaruan data lain sedang berjalan")


def answer(value: int, progress=None, on_file=None) -> int:
    progress("Selesai", 1.0)
    return value * 2


def abort(progress=None, on_file=None) -> None:
    on_file(Path("rusak.xlsx"))
    os.abort()
