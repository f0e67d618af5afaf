"""etl/models.py: SQL models run after the models they read, whatever their file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import PYTHON_MODELS
from etl.models import ModelOrderError, model_dependencies, ordered_models


def _write(folder: Path, name: str, sql: str) -> None:
    (folder / f"{name}.sql").write_text(sql, encoding="utf-8")


def test_a_model_runs_after_what_it_reads_not_by_file_name(tmp_path):
    _write(tmp_path, "a_mart", "-- one row per x\nselect * from z_fact join m_dim using (k)")
    _write(tmp_path, "m_dim", "-- one row per k\nselect 1 as k")
    _write(tmp_path, "z_fact", "-- one row per k\nselect * from m_dim")
    assert [m.name for m in ordered_models(tmp_path)] == ["m_dim", "z_fact", "a_mart"]


def test_comments_do_not_count_and_declared_dependencies_do(tmp_path):
    _write(tmp_path, "b", "-- one row per k, built from a (not really)\nselect 1 as k")
    _write(tmp_path, "a", "-- one row per k\n-- depends on: c\nselect 1 as k")
    _write(tmp_path, "c", "-- one row per k\nselect 1 as k")
    assert model_dependencies((tmp_path / "b.sql").read_text(), {"a", "b", "c"}) == set()
    assert [m.name for m in ordered_models(tmp_path)] == ["b", "c", "a"]


def test_a_circle_or_an_unknown_declared_model_is_an_error(tmp_path):
    _write(tmp_path, "a", "select * from b")
    _write(tmp_path, "b", "select * from a")
    with pytest.raises(ModelOrderError, match="circle: a, b"):
        ordered_models(tmp_path)
    with pytest.raises(ModelOrderError, match="not models: nowhere"):
        model_dependencies("-- depends on: nowhere\nselect 1", {"a"})


def test_the_project_models_read_only_models_built_before_them():
    order = [m.name for m in ordered_models(python_models=PYTHON_MODELS)]
    assert order.index("fct_measurement") < order.index("fct_child_month") < order.index("mart_stunting_by_area_month")
    assert order.index("mart_stunting_by_area_month") < order.index("mart_area_indicators_month")
    assert order.index("mart_kader_by_posyandu_month") < order.index("mart_area_indicators_month")
    # the prevalence mart is computed in Python from its input SQL, between the models it reads and those reading it
    assert (
        order.index("fct_child_month")
        < order.index("mart_nutrition_prevalence")
        < order.index("mart_stunting_by_area_month")
    )
