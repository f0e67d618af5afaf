"""etl/load.py: typed staging tables without personal columns, and one build at a time per warehouse."""

from __future__ import annotations

import re

import pytest

from etl.load import PYTHON_MODELS, BuildInProgress, BuildLock, staging_columns, staging_last_readers
from etl.models import SQL_DIR, ordered_models
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


def test_each_staging_table_is_dropped_after_the_last_model_that_reads_it(tmp_path):
    models = ordered_models(SQL_DIR, PYTHON_MODELS)
    readers = staging_last_readers(models)
    assert readers["fct_measurement"] == ["stg_eppgbm"]  # the 100 M rows go before the facts built on them
    position = {model.name: i for i, model in enumerate(models)}
    for dropper, tables in readers.items():
        for table in tables:
            later = [m.name for m in models[position[dropper] + 1 :] if re.search(rf"\b{table}\b", m.path.read_text())]
            assert later == [], f"{table} dropped after {dropper} but read by {later}"
    # A model that declares a dependency on another model does not confuse the reader search.
    (tmp_path / "a.sql").write_text("-- depends on: b\nselect * from stg_kader")
    (tmp_path / "b.sql").write_text("select * from stg_kader join stg_posyandu using (posyandu_id)")
    assert staging_last_readers(ordered_models(tmp_path)) == {"a": ["stg_kader"], "b": ["stg_posyandu"]}
