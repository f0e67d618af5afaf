"""etl/lifecycle.py: every build keeps the version before it and a manifest; a broken
warehouse is recognised and the previous version can be put back."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.build import build_warehouse
from etl.config import EtlConfig
from etl.lifecycle import (
    CORRUPT,
    MISSING,
    OK,
    last_sources_config,
    may_build_from_sample,
    previous_path,
    read_manifest,
    restore_previous,
    warehouse_state,
)
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv


def _version(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select warehouse_version from etl_run").fetchone()[0]
    finally:
        con.close()


def truncate(path: Path) -> None:
    """What a full disk or a copy cut short leaves behind."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "registers"
    folder.mkdir()
    write_eppgbm_csv(folder / "eppgbm_2025-10.csv", [eppgbm_row(NIK=f"640206550523{i:04d}") for i in range(4)])
    return folder


def _build(source: Path, tmp_path: Path) -> str:
    config = EtlConfig(source_dir=source, db_path=tmp_path / "wh" / "warehouse.duckdb", secret_path=tmp_path / "key")
    return build_warehouse(config).run_id


def test_each_build_keeps_the_one_before(source: Path, tmp_path: Path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    assert warehouse_state(db) == MISSING and may_build_from_sample(db)
    first = _build(source, tmp_path)
    assert not previous_path(db).exists()
    second = _build(source, tmp_path)
    assert _version(db) == second and _version(previous_path(db)) == first
    manifest = read_manifest(db)
    assert manifest.version == second and manifest.real_data_loaded
    assert manifest.source_dir == str(source.resolve())
    assert last_sources_config(db).source_dir == source.resolve()


def test_real_data_once_means_never_the_sample_by_itself(source: Path, tmp_path: Path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    _build(source, tmp_path)
    db.unlink()
    assert warehouse_state(db) == MISSING
    assert not may_build_from_sample(db)
    previous_path(db).parent.joinpath("warehouse.duckdb.manifest.json").unlink()
    _build(source, tmp_path)
    _build(source, tmp_path)  # a previous version now exists; without the manifest that is enough
    previous_path(db).parent.joinpath("warehouse.duckdb.manifest.json").unlink()
    assert not may_build_from_sample(db)


def test_a_truncated_warehouse_is_corrupt_and_the_previous_comes_back(source: Path, tmp_path: Path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    first = _build(source, tmp_path)
    _build(source, tmp_path)
    truncate(db)
    assert warehouse_state(db) == CORRUPT
    restore_previous(db)
    assert warehouse_state(db) == OK and _version(db) == first
    assert warehouse_state(previous_path(db)) == OK  # still there for another rollback


def test_restore_refuses_a_missing_or_broken_copy(source: Path, tmp_path: Path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    _build(source, tmp_path)
    with pytest.raises(FileNotFoundError, match="versi sebelumnya"):
        restore_previous(db)
    _build(source, tmp_path)
    truncate(previous_path(db))
    with pytest.raises(FileNotFoundError, match="rusak"):
        restore_previous(db)
