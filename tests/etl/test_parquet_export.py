"""etl/parquet_export.py: marts written as Parquet partitioned by area and month, read back by
the dashboard's own query functions through a catalog of views, give the same answers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import dashboard.queries as queries_package
from dashboard.filters import Filters
from etl.parquet_export import export_parquet, write_catalog


@pytest.fixture(scope="module")
def catalog(warehouse_path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("parquet")
    export_parquet(warehouse_path, out)
    return write_catalog(warehouse_path, out)


def _filter_queries() -> list:
    """Every query_* of dashboard/queries taking only a Filters (found by walking the package)."""
    found = []
    for info in sorted(pkgutil.iter_modules(queries_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"dashboard.queries.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("query_") or fn.__module__ != module.__name__:
                continue
            required = [p for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty]
            if [p.name for p in required] in (["filters"], []):
                found.append(pytest.param(fn, id=f"{info.name}.{name}"))
    return found


def test_monthly_tables_are_partitioned_by_area_and_month(catalog):
    root = catalog.parent
    area_month = list((root / "fct_measurement").glob("kode_kec=*/month=*/*.parquet"))
    assert len({p.parent.parent.name for p in area_month}) == 20
    assert list((root / "mart_kader_by_posyandu_month").glob("kode_kec=64.02.06/month=*/*.parquet"))
    assert list((root / "mart_stunting_by_area_month").glob("month=*/*.parquet"))
    assert (root / "dim_desa" / "data.parquet").exists()


def test_catalog_tables_have_the_warehouse_columns_and_rows(catalog, warehouse_path):
    original = duckdb.connect(str(warehouse_path), read_only=True)
    views = duckdb.connect(str(catalog), read_only=True)
    try:
        for (table,) in original.execute("select table_name from information_schema.tables order by 1").fetchall():
            before = original.execute(f'select * from "{table}" limit 0').description
            after = views.execute(f'select * from "{table}" limit 0').description
            assert [(c[0], c[1]) for c in after] == [(c[0], c[1]) for c in before], table
            count = f'select count(*) from "{table}"'
            assert views.execute(count).fetchone() == original.execute(count).fetchone(), table
    finally:
        original.close()
        views.close()


@pytest.mark.parametrize("kode_kec", [None, "64.02.06"], ids=["kabupaten", "one-kecamatan"])
@pytest.mark.parametrize("query", _filter_queries())
def test_page_queries_read_the_parquet_marts_unchanged(query, kode_kec, catalog, warehouse_path, monkeypatch):
    latest = duckdb.connect(str(warehouse_path), read_only=True)
    month = latest.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    latest.close()
    takes_filters = "filters" in inspect.signature(query).parameters
    filters = Filters(month=month, kode_kec=kode_kec) if takes_filters else None
    args = [filters] if filters is not None else []

    monkeypatch.setenv("DASBOR_WAREHOUSE", str(warehouse_path))
    expected = query(*args)
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(catalog))
    actual = query(*args)

    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(actual.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)
    elif isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(actual, expected, check_dtype=False)
    else:
        assert actual == expected
