"""etl/load.py: typed staging tables without personal columns, and one build at a time per warehouse."""

from __future__ import annotations

import pytest

from etl.load import BuildInProgress, BuildLock, staging_columns
from etl.registers import EPPGBM, KADER, POSYANDU

PERSONAL = {"nik", "name", "child_name", "parent_name", "mother_name", "address", "birth_date"}


def test_staging_types_follow_the_register_declaration():
    columns = staging_columns(POSYANDU)
    assert columns["posyandu_id"] == "VARCHAR" and columns["lat"] == "DOUBLE" and columns["sk_date"] == "DATE"
    assert columns["kode_kec"] == columns["kode_desa"] == "VARCHAR"  # area names arrive as codes
    assert columns["spm_fields"] == "VARCHAR[]"
    assert {"posyandu_key", "_file", "_row"} <= set(columns)
    assert "kecamatan" not in columns and "desa" not in columns
    assert staging_columns(KADER)["_row"] == "BIGINT"


def test_measurement_staging_holds_keys_and_z_scores_not_personal_data():
    columns = staging_columns(EPPGBM)
    assert "child_key" in columns and "haz" in columns
    assert not PERSONAL & set(columns)


def test_a_second_build_of_the_same_warehouse_is_refused_not_queued(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    with BuildLock(db):
        with pytest.raises(BuildInProgress, match="sedang berjalan"), BuildLock(db):
            pass
    with BuildLock(db):  # released: the next build may start
        pass
    with BuildLock(tmp_path / "other.duckdb"), BuildLock(db):  # another warehouse does not wait
        pass
