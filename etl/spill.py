"""Measurement facts parked on disk file by file, so a build holds one e-PPGBM file's rows in
memory at a time (a kabupaten-year is a million rows; a province, a hundred million).

Each e-PPGBM file is read, validated and transformed on its own; its facts go to a Parquet
part here and the load step inserts all parts into DuckDB, which works out of core.
Duplicates within a file are found by `build_measurements`; duplicates across files (the
same child and date in two exports) are found here against a compact index of the
(child, date) pairs already kept: the first file, in file-name order, keeps the row.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.validate import REJECTED

KEY_COLUMNS = ["child_key", "measured_on"]
SPILL_MARK = ".measurements-"  # <warehouse name><mark><pid>-<random>: a folder beside the warehouse


def return_freed_memory() -> None:
    """Give the memory of freed frames back to the system before DuckDB takes its share.

    pandas 3 keeps text columns in Arrow buffers, and Arrow's allocator (mimalloc) and glibc
    both keep freed pages for reuse: without this the build's resident size stays at its
    high-water mark through the load step (measured: 1.8 GB of freed register frames at 100x
    stayed resident until `release_unused`)."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    if name is None:  # not glibc (macOS, Windows): nothing to trim
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def spill_folder_prefix(db_path: Path) -> str:
    return f".{db_path.name}{SPILL_MARK}{os.getpid()}-"


def remove_orphaned_spills(db_path: Path) -> list[Path]:
    """Delete the spill folders of builds whose process is gone (killed builds leave them; at
    100x one holds gigabytes). A live process's folder, a dry run's say, is left alone."""
    removed = []
    for folder in db_path.parent.glob(f".{db_path.name}{SPILL_MARK}*"):
        pid = folder.name.removeprefix(f".{db_path.name}{SPILL_MARK}").split("-", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


class MeasurementSpill:
    """Parquet parts of the measurement staging table, plus the (child, date) pairs kept."""

    def __init__(self, columns: list[str], db_path: Path | None = None):
        self.columns = columns
        # Deleted when the build is done (or, for a dry run, when this object is collected);
        # beside the warehouse when given, where the next build finds it if this one is killed.
        if db_path is not None:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        self._folder = tempfile.TemporaryDirectory(
            prefix=spill_folder_prefix(db_path) if db_path is not None else "dasbor-measurements-",
            dir=db_path.parent if db_path is not None else None,
        )
        self.paths: list[Path] = []
        self.rows = 0
        self.rows_by_file: dict[str, int] = {}  # rows kept per source file (row accounting)
        # Sorted uint64 hashes of the (child_key, measured_on) pairs kept so far, and beside
        # each the ordinal of its row among all kept rows: 12 bytes a row, so 100 M rows
        # stay near 1.2 GB, and a file is checked by binary search instead of re-sorting
        # everything seen (np.isin over a growing array made the step quadratic).
        self._seen = np.empty(0, dtype=np.uint64)
        self._ordinal = np.empty(0, dtype=np.uint32)
        self._starts: list[int] = []  # ordinal of each part's first row
        self._sealed = False

    def __len__(self) -> int:
        return self.rows

    def add(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Park one file's facts; return rejections for pairs an earlier file already had."""
        if self._sealed:
            raise RuntimeError("the spill is sealed: its duplicate index is gone")
        facts, rejections = self._drop_seen(facts)
        if not len(facts):
            return rejections
        table = pa.Table.from_pandas(facts.reindex(columns=self.columns), preserve_index=False)
        path = Path(self._folder.name) / f"part-{len(self.paths):05d}.parquet"
        pq.write_table(table, path)
        self.paths.append(path)
        self._starts.append(self.rows)
        self.rows += len(facts)
        for file, count in facts["_file"].value_counts().items():
            self.rows_by_file[file] = self.rows_by_file.get(file, 0) + int(count)
        return rejections

    def _drop_seen(self, facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        keys = pd.util.hash_pandas_object(facts[KEY_COLUMNS], index=False).to_numpy()
        found = np.searchsorted(self._seen, keys)
        again = found < len(self._seen)
        again[again] = self._seen[found[again]] == keys[again]
        first_ordinals = self._ordinal[found[again]]  # before the insert below shifts positions
        kept_keys = keys[~again]
        order = np.argsort(kept_keys, kind="stable")
        at = np.searchsorted(self._seen, kept_keys[order])
        ordinals = (self.rows + np.arange(len(kept_keys), dtype=np.uint64)).astype(np.uint32)
        self._seen = np.insert(self._seen, at, kept_keys[order])
        self._ordinal = np.insert(self._ordinal, at, ordinals[order])
        kept = facts[~again]
        if not again.any():
            return kept, pd.DataFrame()
        origin = self._origin(first_ordinals)
        dupes = facts[again]
        rejections = pd.DataFrame(
            {
                "register": "eppgbm",
                "file": dupes["_file"].to_numpy(),
                "row_number": dupes["_row"].to_numpy(dtype="int64"),
                "column_name": "(baris)",
                "value": "",
                "reason": "baris duplikat: anak dan tanggal ukur sama dengan "
                + origin["_file"].astype(str).to_numpy()
                + " baris "
                + origin["_row"].astype(str).to_numpy(),
                "action": REJECTED,
            }
        )
        return kept, rejections

    def _origin(self, ordinals: np.ndarray) -> pd.DataFrame:
        """_file and _row of kept rows by ordinal, read back from their parts (duplicates are rare)."""
        part = np.searchsorted(np.asarray(self._starts, dtype=np.int64), ordinals, side="right") - 1
        out = pd.DataFrame({"_file": pd.Series([""] * len(ordinals), dtype=object), "_row": 0})
        for number in np.unique(part):
            mine = np.flatnonzero(part == number)
            rows = ordinals[mine].astype(np.int64) - self._starts[number]
            table = pq.read_table(self.paths[number], columns=["_file", "_row"]).take(pa.array(rows))
            out.loc[mine, "_file"] = table.column("_file").to_numpy(zero_copy_only=False)
            out.loc[mine, "_row"] = table.column("_row").to_numpy()
        return out

    def seal(self) -> None:
        """No file comes after this one: drop the duplicate index (12 bytes a row, 1.2 GB at
        100 M rows), which the load step would otherwise hold beside DuckDB's own memory."""
        self._seen = np.empty(0, dtype=np.uint64)
        self._ordinal = np.empty(0, dtype=np.uint32)
        self._sealed = True

    def cleanup(self) -> None:
        self._folder.cleanup()
