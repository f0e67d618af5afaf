"""etl/validate.py: accepted rows and rejections, each rejection with a row, a column and a reason in Bahasa."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.extract.reader import RawTable, read_register_file
from etl.regions import RegionMatcher
from etl.registers import KADER, POSYANDU
from etl.validate import REJECTED, REJECTION_COLUMNS, validate_table

TODAY = date(2025, 10, 31)


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher()


def _table(tmp_path: Path, rows: dict[str, list], keys: set[str]) -> RawTable:
    path = tmp_path / "register.csv"
    pd.DataFrame(rows).to_csv(path, sep=";", index=False)
    return read_register_file(path, keys)


def test_good_rows_pass_and_a_bad_value_is_refused_with_its_row_and_reason(matcher, tmp_path):
    table = _table(
        tmp_path,
        {"ID Kader": ["K1", "", "K3"], "ID Posyandu": ["P1", "P1", "P2"], "Peran": ["Ketua", "Anggota", "Raja"]},
        {"ID Kader"},
    )
    result = validate_table(KADER, table, matcher, TODAY)
    assert result.rows_read == 3
    assert list(result.rejections.columns) == REJECTION_COLUMNS
    refused = result.rejections[result.rejections["action"] == REJECTED]
    assert 3 in set(refused["row_number"])  # the empty required ID Kader is on file row 3
    assert refused["reason"].str.len().gt(0).all()
    assert "K1" in set(result.accepted["kader_id"])
    assert "" not in set(result.accepted["kader_id"].dropna())


def test_a_missing_required_column_is_named_in_the_message(matcher, tmp_path):
    table = _table(tmp_path, {"Nama Posyandu": ["Melati"], "Kecamatan": ["Tenggarong"]}, {"Nama Posyandu"})
    result = validate_table(POSYANDU, table, matcher, TODAY)
    assert result.accepted.empty
    assert result.rejections["reason"].str.contains("ID Posyandu").any()
