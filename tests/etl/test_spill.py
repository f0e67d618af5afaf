"""etl/spill.py: measurement facts parked per file; duplicates across files rejected."""

from __future__ import annotations

import ctypes.util

import duckdb
import pandas as pd
import pytest

from etl.spill import MeasurementSpill, return_freed_memory

COLUMNS = ["child_key", "measured_on", "weight_kg", "_file", "_row"]


def _facts(file: str, rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "child_key": [r[0] for r in rows],
            "measured_on": pd.to_datetime([r[1] for r in rows]),
            "weight_kg": [r[2] for r in rows],
            "_file": file,
            "_row": range(2, 2 + len(rows)),
        }
    )


def test_a_child_and_date_in_two_files_is_kept_from_the_first_only():
    spill = MeasurementSpill(COLUMNS)
    first = spill.add(_facts("a.csv", [("k1", "2025-01-05", 9.1), ("k2", "2025-01-05", 10.0)]))
    second = spill.add(
        _facts("b.csv", [("k3", "2025-01-06", 8.0), ("k2", "2025-01-05", 10.2), ("k1", "2025-02-05", 9.3)])
    )

    assert first.empty
    assert len(spill) == 4
    assert second[["file", "row_number"]].values.tolist() == [["b.csv", 3]]
    assert second["reason"].iloc[0] == "baris duplikat: anak dan tanggal ukur sama dengan a.csv baris 3"
    con = duckdb.connect()
    kept = con.execute(
        "select _file, child_key, weight_kg from read_parquet($p) order by _file, _row",
        {"p": [str(p) for p in spill.paths]},
    ).fetchall()
    assert kept == [("a.csv", "k1", 9.1), ("a.csv", "k2", 10.0), ("b.csv", "k3", 8.0), ("b.csv", "k1", 9.3)]
    spill.cleanup()
    assert not any(p.exists() for p in spill.paths)


def test_a_file_with_only_known_rows_writes_no_part():
    spill = MeasurementSpill(COLUMNS)
    spill.add(_facts("a.csv", [("k1", "2025-01-05", 9.1)]))
    rejected = spill.add(_facts("b.csv", [("k1", "2025-01-05", 9.1)]))
    assert len(spill.paths) == 1 and len(spill) == 1
    assert len(rejected) == 1


def test_a_later_file_names_the_earlier_file_and_row_of_each_pair_it_repeats():
    spill = MeasurementSpill(COLUMNS)
    spill.add(_facts("a.csv", [(f"a{i}", "2025-01-05", 9.0) for i in range(50)]))
    spill.add(_facts("b.csv", [(f"b{i}", "2025-01-05", 9.0) for i in range(50)]))
    rejected = spill.add(
        _facts("c.csv", [("b7", "2025-01-05", 9.0), ("new", "2025-01-05", 9.0), ("a41", "2025-01-05", 9.0)])
    )

    assert rejected["row_number"].tolist() == [2, 4]
    assert rejected["reason"].str.removeprefix("baris duplikat: anak dan tanggal ukur sama dengan ").tolist() == [
        "b.csv baris 9",
        "a.csv baris 43",
    ]
    assert len(spill) == 101


def test_parts_sit_beside_the_warehouse_and_a_dead_build_s_folder_is_removed(tmp_path):
    import subprocess
    import sys

    from etl.spill import remove_orphaned_spills, spill_folder_prefix

    db = tmp_path / "warehouse.duckdb"
    spill = MeasurementSpill(COLUMNS, db)
    spill.add(_facts("a.csv", [("k1", "2025-01-05", 9.1)]))
    assert spill.paths[0].parent.parent == tmp_path
    assert spill.paths[0].parent.name.startswith(spill_folder_prefix(db))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f".warehouse.duckdb.measurements-{dead.stdout.strip()}-x1"  # a killed build's
    orphan.mkdir()

    assert remove_orphaned_spills(db) == [orphan]
    assert spill.paths[0].exists()  # this live process's folder stays
    spill.cleanup()
    assert not list(tmp_path.glob(".warehouse.duckdb.measurements-*"))


def test_a_sealed_spill_drops_its_duplicate_index_and_refuses_more_files():
    spill = MeasurementSpill(COLUMNS)
    spill.add(_facts("a.csv", [(f"a{i}", "2025-01-05", 9.0) for i in range(1000)]))
    assert spill._seen.nbytes + spill._ordinal.nbytes == 12_000
    spill.seal()
    assert spill._seen.nbytes + spill._ordinal.nbytes == 0
    assert len(spill) == 1000 and spill.rows_by_file == {"a.csv": 1000}  # what the load step reads stays
    with pytest.raises(RuntimeError, match="sealed"):
        spill.add(_facts("b.csv", [("a1", "2025-01-05", 9.0)]))
    spill.cleanup()


def test_return_freed_memory_runs_where_there_is_no_glibc_too(monkeypatch):
    return_freed_memory()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    return_freed_memory()
