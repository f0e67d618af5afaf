"""Measurement facts parked on disk file by file, so a build holds one e-PPGBM file's rows in
memory at a time (a kabupaten-year is a million rows; a province, a hundred million).

Each e-PPGBM file is read, validated and transformed on its own; its facts go to a Parquet
part here and the load step inserts all parts into DuckDB, which works out of core.
Duplicates within a file are found by `build_measurements`; duplicates across files (the
same child and date in two exports) are found here against a compact index of the
(child, date) pairs already kept: the first file, in file-name order, keeps the row.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.validate import REJECTED

KEY_COLUMNS = ["child_key", "measured_on"]


class MeasurementSpill:
    """Parquet parts of the measurement staging table, plus the (child, date) pairs kept."""

    def __init__(self, columns: list[str]):
        self.columns = columns
        # Deleted when the build is done (or, for a dry run, when this object is collected).
        self._folder = tempfile.TemporaryDirectory(prefix="dasbor-measurements-")
        self.paths: list[Path] = []
        self.rows = 0
        self.rows_by_file: dict[str, int] = {}  # rows kept per source file (row accounting)
        self._keys: list[np.ndarray] = []  # uint64 hashes of (child_key, measured_on), per part
        self._origin: list[pd.DataFrame] = []  # _file, _row of each kept pair, per part

    def __len__(self) -> int:
        return self.rows

    def add(self, facts: pd.DataFrame) -> pd.DataFrame:
        """Park one file's facts; return rejections for pairs an earlier file already had."""
        facts, rejections = self._drop_seen(facts)
        if not len(facts):
            return rejections
        table = pa.Table.from_pandas(facts.reindex(columns=self.columns), preserve_index=False)
        path = Path(self._folder.name) / f"part-{len(self.paths):05d}.parquet"
        pq.write_table(table, path)
        self.paths.append(path)
        self.rows += len(facts)
        for file, count in facts["_file"].value_counts().items():
            self.rows_by_file[file] = self.rows_by_file.get(file, 0) + int(count)
        return rejections

    def _drop_seen(self, facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        keys = pd.util.hash_pandas_object(facts[KEY_COLUMNS], index=False).to_numpy()
        seen = np.concatenate(self._keys) if self._keys else np.empty(0, dtype=np.uint64)
        again = np.isin(keys, seen)
        kept = facts[~again]
        self._keys.append(keys[~again])
        self._origin.append(kept[["_file", "_row"]].reset_index(drop=True))
        if not again.any():
            return kept, pd.DataFrame()
        order = np.argsort(seen, kind="stable")
        first = order[np.searchsorted(seen, keys[again], sorter=order)]
        origin = pd.concat(self._origin[:-1], ignore_index=True).iloc[first]
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

    def cleanup(self) -> None:
        self._folder.cleanup()
