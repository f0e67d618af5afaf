"""Read-only access to the warehouse.

A rebuild replaces the file atomically, so every query opens its own read-only
connection (a long-lived one would keep seeing the old file) and cached results are
keyed on the file's version.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.config import DEFAULT_DB


def warehouse_path() -> Path:
    return Path(os.environ.get("DASBOR_WAREHOUSE", DEFAULT_DB))


@dataclass(frozen=True)
class WarehouseInfo:
    path: Path
    version: str  # etl_run.warehouse_version
    built_at: object  # datetime of the build
    source_dir: str


def file_version(path: Path | None = None) -> str:
    """Changes whenever the warehouse file is replaced; cache key for every query."""
    path = path or warehouse_path()
    stat = path.stat()
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


def warehouse_exists(path: Path | None = None) -> bool:
    return (path or warehouse_path()).exists()


_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


def bind_params(sql: str, params: dict | None) -> dict:
    """The parameters `sql` names, from `params`.

    DuckDB rejects unused named parameters, and the cache key should not vary with values
    the statement ignores, so callers may pass a whole `Filters.params()` plus extras.
    """
    named = set(_PARAMETER.findall(sql))
    return {k: v for k, v in (params or {}).items() if k in named}


def run_query(sql: str, params: dict | None = None, path: Path | None = None) -> pd.DataFrame:
    """One query on a fresh read-only connection (uncached)."""
    con = duckdb.connect(str(path or warehouse_path()), read_only=True)
    try:
        return con.execute(sql, bind_params(sql, params)).df()
    finally:
        con.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(sql: str, params: tuple, version: str, path: str) -> pd.DataFrame:
    return run_query(sql, dict(params), Path(path))


def query(sql: str, params: dict | None = None) -> pd.DataFrame:
    """Cached query; the cache is keyed on the warehouse version, so a rebuild shows at once."""
    path = warehouse_path()
    bound = tuple(sorted(bind_params(sql, params).items()))
    frame = _cached(sql, bound, file_version(path), str(path))
    return frame.copy()


@st.cache_data(show_spinner=False, max_entries=256)
def _computed(name: str, _fn: Callable, args: tuple, kwargs: dict, version: str, path: str):
    return _fn(*args, **kwargs)  # `name` identifies _fn in the cache key (functions are not hashed)


def cached_on_version(fn: Callable) -> Callable:
    """Decorator for work done on query results (scores, screens): computed once per
    warehouse version and arguments, then served as a copy, like `query`."""

    @functools.wraps(fn)
    def cached(*args, **kwargs):
        path = warehouse_path()
        return _computed(f"{fn.__module__}.{fn.__qualname__}", fn, args, kwargs, file_version(path), str(path))

    return cached


def read_warehouse_info() -> WarehouseInfo:
    row = query("select warehouse_version, finished_at, source_dir from etl_run order by finished_at desc limit 1")
    return WarehouseInfo(warehouse_path(), row.iloc[0, 0], row.iloc[0, 1], row.iloc[0, 2])
