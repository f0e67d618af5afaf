"""dashboard/db.py: one binding helper, read-only connections, and a cache keyed on the file's version."""

from __future__ import annotations

import os

import duckdb
import pytest

from dashboard import db


def _warehouse(path, value: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table t as select $v as value", {"v": value})
    con.close()


def test_only_the_parameters_a_statement_names_are_bound():
    params = {"month": 1, "all_kec": True, "kec": [], "unused": 5}
    assert db.bind_params("select $month, $kec where $all_kec", params) == {"month": 1, "all_kec": True, "kec": []}
    assert db.bind_params("select 1", params) == {}
    assert db.bind_params("select $month_end", {"month": 1, "month_end": 2}) == {"month_end": 2}


def test_a_query_connection_cannot_write(tmp_path):
    path = tmp_path / "w.duckdb"
    _warehouse(path, 1)
    assert db.run_query("select value from t where value = $v", {"v": 1, "other": 2}, path)["value"].tolist() == [1]
    with pytest.raises(duckdb.Error):
        db.run_query("create table u as select 1", None, path)


def test_a_replaced_warehouse_is_seen_at_once_and_cached_results_are_copies(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    _warehouse(path, 1)
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(path))
    first = db.query("select value from t")
    first.loc[0, "value"] = 99  # a caller changing its frame does not change the cache
    assert db.query("select value from t")["value"].tolist() == [1]
    version = db.file_version(path)
    replacement = tmp_path / "new.duckdb"
    _warehouse(replacement, 2)
    os.replace(replacement, path)  # as a rebuild swaps the file
    assert db.file_version(path) != version
    assert db.query("select value from t")["value"].tolist() == [2]
