"""`python -m etl zscores` and `python -m etl prevalence` against WHO's own rules, case by case.

tests/etl/data/who_parity_cases.csv: 26 children, each named for the rule it pins (column
`case`). w01-w10 are the inputs of WHO anthro's own tests (R package `anthro`,
tests/testthat: "length for age uses adjusted lenhei" -6.09 flagged, "height measurements
are used for age 24 months" -2.55, "young children with measured standing will be
adjusted" -4.81/-5.02, "zcores are only computed for children younger to 60 months", the
LMS example 50 cm at 44 days, weight <= 0), with the values those tests expect. e01-e16
are boundaries: a z-score within 0.005 of a cut-off or a flag limit, oedema with and
without a weight, fractional ages at the 6-month, 9-month and 1,826-day limits, unknown
age, sex or position, a stratum with one posyandu, a posyandu with one child, a desa of
one child.

The expected files were computed outside this repository by an independent
implementation of WHO anthro's rules as its source states them (R 4.2.2: R's own
`round`, `trunc` and the 0.1 cm table join on doubles), with the design-based estimates
done by R's survey package 4.1.1 exactly as `anthro_prevalence` calls it (svydesign with
posyandu clusters and kecamatan strata, `survey.lonely.psu = "adjust"`, svyby/svymean
and svyciprop(method = "logit", df = degf(design))). Z-scores must match to the last
digit; prevalence, SE and interval to 2e-6 percentage points (the interval in R comes
from a glm fit whose convergence tolerance leaves about 1e-6).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from etl.__main__ import main as etl_main
from etl.transform.prevalence import OUTPUT_COLUMNS

DATA = Path(__file__).parent / "data"
CASES = DATA / "who_parity_cases.csv"
Z_EXPECTED = DATA / "who_parity_zscores_expected.csv"
PREVALENCE_EXPECTED = DATA / "who_parity_prevalence_expected.csv"
Z_COLUMNS = ["haz", "waz", "whz", "bmiz", "haz_flag", "waz_flag", "whz_flag", "bmiz_flag"]
DESIGN = ["--cluster", "posyandu", "--strata", "kecamatan", "--group", "desa"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _prevalence(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"group_value": str})
    table["group_value"] = table["group_value"].fillna("")  # "" is the value of the whole sample
    return table.set_index(["group_type", "group_value", "indicator"]).sort_index()


@pytest.fixture(scope="module")
def zscores(tmp_path_factory) -> list[dict[str, str]]:
    out = tmp_path_factory.mktemp("parity") / "z.csv"
    assert etl_main(["zscores", str(CASES), str(out)]) == 0
    return _rows(out)


@pytest.fixture(scope="module")
def prevalence(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("parity") / "p.csv"
    assert etl_main(["prevalence", str(CASES), str(out), *DESIGN]) == 0
    assert list(pd.read_csv(out, nrows=0).columns) == list(OUTPUT_COLUMNS)
    return _prevalence(out)


def test_zscores_and_flags_equal_whos_to_the_last_digit(zscores) -> None:
    expected = {row["child"]: row for row in _rows(Z_EXPECTED)}
    for row in zscores:
        want = expected[row["child"]]
        assert [row[c] for c in Z_COLUMNS] == [want[c] for c in Z_COLUMNS], f"{row['child']}: {row['case']}"


@pytest.mark.parametrize(
    ("child", "haz", "flag"),
    [("w01", "-6.09", "1"), ("w02", "-2.55", "0"), ("w03", "-2.55", "0"), ("w04", "-4.81", "0"), ("w05", "-5.02", "0")],
)
def test_values_whos_own_tests_expect(zscores, child: str, haz: str, flag: str) -> None:
    row = next(r for r in zscores if r["child"] == child)
    assert (row["haz"], row["haz_flag"]) == (haz, flag)


def test_the_60_month_limit_on_unrounded_months(zscores) -> None:
    by_child = {r["child"]: r for r in zscores}
    assert by_child["w07"]["haz"] != ""  # 59.9 months
    assert [by_child[c]["haz"] for c in ("w08", "w09", "e10")] == ["", "", ""]  # 60.0, 60.1 and 60.0 months


def test_prevalence_equals_whos_survey_estimates(prevalence) -> None:
    expected = _prevalence(PREVALENCE_EXPECTED)
    assert list(prevalence.index) == list(expected.index)
    assert (prevalence["n"] == expected["n"]).all()
    for column in ("prevalence_pct", "se_pct", "ci95_low_pct", "ci95_high_pct"):
        assert prevalence[column].isna().equals(expected[column].isna()), column
        assert (prevalence[column] - expected[column]).abs().max() < 2e-6, column


def test_rules_read_off_the_all_row(prevalence) -> None:
    """Stunting: 18 children with a plausible HAZ (w01 and w07 flagged; w08, w09, e10, e12-e14
    without HAZ); stunted w02 w03 w04 w05 w06 e02 e07 (7) - e01 at -2.0018 is -2.00, not
    stunted. Wasting: 16 with a WHZ or oedema; e07, e08 and e10 by oedema (e10 is day 1826
    though 60.0 months), e05 at -2.0040 is -2.00 and not wasted; e04 (5.0064 -> 5.01) is
    flagged out, e03 (5.00002 -> 5.00) stays and is overweight; e06 (2.00005 -> 2.00) is not."""
    stunting = prevalence.loc[("all", "", "stunting")]
    assert stunting["n"] == 18 and stunting["prevalence_pct"] == pytest.approx(100 * 7 / 18, abs=1e-6)
    wasting = prevalence.loc[("all", "", "wasting")]
    assert wasting["n"] == 16 and wasting["prevalence_pct"] == pytest.approx(100 * 3 / 16, abs=1e-6)
    overweight = prevalence.loc[("all", "", "overweight")]
    assert overweight["n"] == 16 and overweight["prevalence_pct"] == pytest.approx(100 / 16, abs=1e-6)
    # w04, w05, e11 and e09: 182.5 days is day 183, 6.01 months (on unrounded months it would be 00-05)
    assert prevalence.loc[("age", "06-11", "stunting"), "n"] == 4
    # one child alone in its desa: a prevalence, and a design-based interval from the whole design
    alone = prevalence.loc[("group", "C-dua", "stunting")]
    assert alone["n"] == 1 and alone["prevalence_pct"] == 0.0
    assert alone["ci95_low_pct"] == alone["ci95_high_pct"] == 0.0  # 0%: the interval is the point


def test_prevalence_of_100_percent_and_a_one_child_posyandu(prevalence) -> None:
    """Desa A-satu: w02 and w03 stunted, w01 flagged out: 2 of 2. At 100% (and 0%) the logit
    interval collapses onto the point (WHO's glm stops within 2e-7 of it). Posyandu A3 / desa
    A-tiga holds one child (w10, HAZ -0.23): 0 of 1, an estimate from the whole design."""
    full = prevalence.loc[("group", "A-satu", "stunting")]
    assert (full["n"], full["prevalence_pct"], full["ci95_low_pct"], full["ci95_high_pct"]) == (2, 100.0, 100.0, 100.0)
    alone = prevalence.loc[("group", "A-tiga", "stunting")]
    assert (alone["n"], alone["prevalence_pct"], alone["se_pct"]) == (1, 0.0, 0.0)
