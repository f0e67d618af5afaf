"""`python -m etl prevalence` on a hand-made file of 19 children (tests/etl/data/).

prevalence_cases.csv: three kecamatan (strata) and six posyandu (clusters); posyandu A3
has one child; kecamatan C has a single posyandu; c05 is 2,000 days old (left out);
c09 has no height; c13's height-for-age is implausible (flagged); c16 has oedema.
Its z-scores (python -m etl zscores) put these children below the cut-offs:
stunting c01 c04 c06 c10 c12 c14 c17 c19 (8 of 16), severe c04 c14; wasting c02 c06 c10
c14 c16 c19 (6 of 16: c16 by oedema), severe c06 c16; underweight c04 c06 c10 c14 c16
c19 (6 of 18); overweight c03 c15 (2 of 16).
prevalence_cases_expected.csv is the command's output, checked here against those
counts and an independent computation of the standard error.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from etl.__main__ import main as etl_main

DATA = Path(__file__).parent / "data"
CASES = DATA / "prevalence_cases.csv"
EXPECTED = DATA / "prevalence_cases_expected.csv"
STUNTED = {"c01", "c04", "c06", "c10", "c12", "c14", "c17", "c19"}
NOT_COUNTED_FOR_HAZ = {"c05", "c09", "c13"}


def read_output(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"group_value": str})
    table["group_value"] = table["group_value"].fillna("")
    return table


def run(tmp_path: Path, *options: str) -> pd.DataFrame:
    out = tmp_path / "out.csv"
    assert etl_main(["prevalence", str(CASES), str(out), *options]) == 0
    return read_output(out)


def row(table: pd.DataFrame, group_type: str, group_value: str, indicator: str) -> pd.Series:
    hit = table[(table.group_type == group_type) & (table.group_value == group_value) & (table.indicator == indicator)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_output_matches_the_committed_expected_file(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    options = ["--cluster", "posyandu", "--strata", "kecamatan", "--group", "kecamatan"]
    assert etl_main(["prevalence", str(CASES), str(out), *options]) == 0
    assert out.read_text() == EXPECTED.read_text()


@pytest.mark.parametrize(
    ("indicator", "n", "cases"),
    [
        ("stunting", 16, 8),
        ("severe_stunting", 16, 2),
        ("wasting", 16, 6),
        ("severe_wasting", 16, 2),
        ("underweight", 18, 6),
        ("overweight", 16, 2),
    ],
)
def test_counts_read_off_the_zscores(tmp_path: Path, indicator: str, n: int, cases: int) -> None:
    table = read_output(EXPECTED)
    all_row = row(table, "all", "", indicator)
    assert all_row.n == n
    assert all_row.prevalence_pct == pytest.approx(100 * cases / n, abs=1e-6)


def test_standard_error_against_an_independent_loop() -> None:
    """Stunting, cluster = posyandu, strata = kecamatan, written out plainly."""
    children = pd.read_csv(CASES, dtype=str)
    counted = children[~children.child.isin(NOT_COUNTED_FOR_HAZ)]
    n = len(counted)
    p = sum(child in STUNTED for child in counted.child) / n
    psu_total: dict[tuple[str, str], float] = defaultdict(float)
    for child in children.itertuples():
        if child.child == "c05":  # over 1,826 days: not in the design at all
            continue
        key = (child.kecamatan, child.posyandu)
        psu_total[key] += 0.0
        if child.child not in NOT_COUNTED_FOR_HAZ:
            psu_total[key] += ((child.child in STUNTED) - p) / n
    variance = 0.0
    for stratum in {k for k, _ in psu_total}:
        totals = [v for (k, _), v in psu_total.items() if k == stratum]
        if len(totals) == 1:
            variance += totals[0] ** 2
            continue
        mean = sum(totals) / len(totals)
        variance += len(totals) / (len(totals) - 1) * sum((t - mean) ** 2 for t in totals)
    table = read_output(EXPECTED)
    assert row(table, "all", "", "stunting").se_pct == pytest.approx(100 * math.sqrt(variance), abs=1e-6)


def test_without_cluster_every_child_is_its_own_cluster(tmp_path: Path) -> None:
    """18 children in the design (c05 left out), 16 counted: se = sqrt(18/17 p(1-p)/16)."""
    table = run(tmp_path)
    stunting = row(table, "all", "", "stunting")
    assert stunting.se_pct == pytest.approx(100 * math.sqrt(18 / 17 * 0.25 / 16), abs=1e-6)
    assert set(table.group_type) == {"all", "age", "sex", "age_sex"}


def test_breakdown_labels(tmp_path: Path) -> None:
    table = run(tmp_path, "--group", "posyandu")
    assert row(table, "sex", "1", "stunting").n == 7  # boys c01 c03 c07 c11 c15 c17 c19
    assert row(table, "age_sex", "00-05.1", "stunting").n == 1  # c01
    assert row(table, "group", "A3", "stunting").prevalence_pct == 100.0  # the one-child posyandu


def test_rows_without_a_cluster_are_left_out(tmp_path: Path, capsys) -> None:
    cases = pd.read_csv(CASES, dtype=str)
    cases.loc[cases.child == "c01", "posyandu"] = ""
    source = tmp_path / "in.csv"
    cases.to_csv(source, index=False)
    out = tmp_path / "out.csv"
    assert etl_main(["prevalence", str(source), str(out), "--cluster", "posyandu"]) == 0
    assert "1 baris tanpa klaster" in capsys.readouterr().err
    table = read_output(out)
    assert row(table, "all", "", "stunting").n == 15


def test_unknown_column_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert etl_main(["prevalence", str(CASES), str(tmp_path / "out.csv"), "--cluster", "nope"]) == 2
    assert "kolom 'nope' tidak ada" in capsys.readouterr().err


def test_contract_columns_group_types_and_values(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert etl_main(["prevalence", str(CASES), str(out), "--group", "posyandu"]) == 0
    assert out.read_text().splitlines()[0] == (
        "group_type,group_value,indicator,n,prevalence_pct,se_pct,ci95_low_pct,ci95_high_pct"
    )
    table = read_output(out)
    indicators = ["stunting", "severe_stunting", "wasting", "severe_wasting", "underweight", "overweight"]
    ages = ["00-05", "06-11", "12-23", "24-35", "36-47", "48-59"]
    expected_groups = {
        "all": [""],
        "age": ages,
        "sex": ["1", "2"],
        "age_sex": [f"{age}.{sex}" for age in ages for sex in ("1", "2")],
        "group": ["A1", "A2", "A3", "B1", "B2", "C1"],
    }
    assert list(dict.fromkeys(table.group_type)) == list(expected_groups)
    for group_type, values in expected_groups.items():
        part = table[table.group_type == group_type]
        assert sorted(set(part.group_value)) == sorted(values), group_type
        for value in values:  # every indicator for every group, once
            assert sorted(part[part.group_value == value].indicator) == sorted(indicators)


def test_hostile_rows_name_line_and_column(tmp_path: Path, capsys) -> None:
    text = CASES.read_text().splitlines()
    source = tmp_path / "in.csv"
    out = tmp_path / "out.csv"
    # a bad sex code on the 4th data row (line 5)
    bad = text.copy()
    bad[4] = bad[4].replace(",A,A1,2,", ",A,A1,W,")
    source.write_text("\n".join(bad) + "\n")
    assert etl_main(["prevalence", str(source), str(out), "--cluster", "posyandu"]) == 2
    assert "in.csv baris 5, kolom 'sex'" in capsys.readouterr().err
    assert not out.exists()
    # blank rows (a spreadsheet's trailing separators) are not children; comma decimals are read
    semicolons = [line.replace(",", ";") for line in text]
    semicolons = [line.replace("5.3;57.0", "5,3;57,0") for line in semicolons]
    source.write_text("\n".join(semicolons[:5] + [";;;;;;;;", ""] + semicolons[5:] + [";;;;;;;;"]) + "\n")
    assert etl_main(["prevalence", str(source), str(out), "--cluster", "posyandu", "--strata", "kecamatan"]) == 0
    assert "2 baris kosong" in capsys.readouterr().err
    expected = read_output(EXPECTED)
    got = read_output(out)
    both = expected[expected.group_type != "group"].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, both)
