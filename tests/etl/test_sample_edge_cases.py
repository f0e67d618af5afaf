"""The boundary rows of etl/sample/edge_cases.py reach the session warehouse as built, and the
numbers the pages show treat each one as the definitions say."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard.catalogue.indicators import MIN_CHILDREN_FOR_RANK
from dashboard.filters import Filters
from dashboard.queries.stunting import query_area_prevalence
from etl.sample.edge_cases import EDGE_CASES, EDGE_FILE, EDGE_MONTH
from etl.transform.prevalence import drop_flagged, round_zscores

SEPTEMBER = pd.Timestamp(EDGE_MONTH)


@pytest.fixture(scope="module")
def edge_rows(warehouse_path) -> pd.DataFrame:
    """fct_measurement rows of the edge file, labelled with their case (row 2 = first case)."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        rows = con.execute("select * from fct_measurement where source_file = $f", {"f": EDGE_FILE}).df()
    finally:
        con.close()
    rows["label"] = [EDGE_CASES[r - 2].label for r in rows["source_row"]]
    return rows.set_index("label")


def test_every_edge_case_is_loaded_or_rejected_with_its_reason(warehouse, edge_rows):
    rejected = warehouse.execute(
        "select row_number, reason from etl_rejected_row where file = $f order by row_number", {"f": EDGE_FILE}
    ).fetchall()
    by_label = {EDGE_CASES[row - 2].label: reason for row, reason in rejected}
    assert set(by_label) == {"age_1827", "sex_unknown"}
    assert "60 bulan" in by_label["age_1827"]
    assert "JK" in by_label["sex_unknown"]
    assert set(edge_rows.index) == {c.label for c in EDGE_CASES} - set(by_label)


@pytest.mark.parametrize(
    ("label", "column", "value", "flag"),
    [
        ("haz_-2.00", "haz", -2.0, 0),
        ("girl_haz_-2.00", "haz", -2.0, 0),
        ("haz_-3.00", "haz", -3.0, 0),
        ("haz_-6.00", "haz", -6.0, 0),
        ("haz_+6.00", "haz", 6.0, 0),
        ("whz_-2.00", "whz", -2.0, 0),
        ("whz_+2.00", "whz", 2.0, 0),
        ("whz_-3.00", "whz", -3.0, 0),
        ("whz_+3.00", "whz", 3.0, 0),
    ],
)
def test_cut_off_cases_sit_exactly_on_the_cut_off(edge_rows, label, column, value, flag):
    """Exactly, not within float noise: `< -2` and `<= -2` must disagree on these rows."""
    assert edge_rows.loc[label, column] == value
    assert edge_rows.loc[label, f"{column}_flag"] == flag


@pytest.mark.parametrize(
    ("label", "column", "flag"),
    [("haz_-6.01", "haz", 1), ("haz_+6.01", "haz", 1), ("whz_-5.01", "whz", 1), ("haz_-3.01", "haz", 0)],
)
def test_flag_limit_cases(edge_rows, label, column, flag):
    assert edge_rows.loc[label, f"{column}_flag"] == flag


def test_ages_at_the_window_and_position_boundaries(edge_rows):
    assert edge_rows.loc[["age_0", "age_730", "age_731", "age_1826"], "age_days"].tolist() == [0, 730, 731, 1826]
    assert edge_rows.loc[["age_730", "age_731"], "measure"].tolist() == ["L", "H"]


def _stunted_by_definition(rows: pd.DataFrame) -> tuple[int, int]:
    """(n, stunted) over each child's latest measurement of the month, 0-1826 days, plausible HAZ."""
    rows = rows[(rows["age_days"] >= 0) & (rows["age_days"] <= 1826)]
    latest = rows.sort_values("measured_on").groupby("child_key").tail(1)
    plausible = latest[latest["haz_flag"] == 0]
    return len(plausible), int((plausible["haz"] < -2).sum())


def test_edge_posyandu_september_figure_follows_the_definitions(warehouse, edge_rows):
    posyandu = edge_rows["posyandu_id"].iloc[0]
    rows = warehouse.execute(
        "select * from fct_measurement where posyandu_id = $p and month = $m", {"p": posyandu, "m": EDGE_MONTH}
    ).df()
    mart = warehouse.execute(
        """
        select n_haz, stunted from mart_stunting_by_area_month
        where area_level = 'posyandu' and area_code = $p and month = $m
        """,
        {"p": posyandu, "m": EDGE_MONTH},
    ).fetchone()
    assert mart == _stunted_by_definition(rows)
    # the edge children alone, worked out by hand from EDGE_CASES: 32 rows, 2 rejected, 2 children
    # measured twice, 2 HAZ flagged → n = 26; stunted are latest_stunted, age_0, age_730,
    # age_731, age_1826, -2.01, -3.00, -3.01, -6.00, -2.005 and -2.006 (both stored as -2.01);
    # not: latest_not_stunted, -1.99, -2.00 (boy and girl), -2.004 (stored as -2.00), +6.00
    edge_children = rows[rows["source_file"] == EDGE_FILE]
    assert _stunted_by_definition(edge_children) == (26, 11)


def test_who_rounding_classifies_the_rounding_cases(edge_rows):
    """WHO's rule: z rounded to 2 decimals before the cut-off (the warehouse stores them so)."""
    assert edge_rows.loc[["haz_-2.004", "haz_-2.005", "haz_-2.006"], "haz"].tolist() == [-2.0, -2.01, -2.01]
    labels = ["haz_-2.004", "haz_-2.005", "haz_-2.006", "haz_-2.00", "haz_-2.01", "haz_-1.99"]
    rounded = round_zscores(edge_rows.loc[labels, "haz"].to_numpy())
    # the -2.005 row is -2.005000000000003 as computed: below the half, so it rounds to -2.01
    assert rounded.tolist() == [-2.0, -2.01, -2.01, -2.0, -2.01, -1.99]
    assert (rounded < -2).tolist() == [False, True, True, False, True, False]
    flagged = drop_flagged(round_zscores(edge_rows.loc[["haz_-6.00", "haz_-6.01"], "haz"].to_numpy()), "haz")
    assert np.isnan(flagged).tolist() == [False, True]


def test_a_kecamatan_below_the_minimum_n_is_shown_but_not_ranked(warehouse):
    month = warehouse.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    areas = query_area_prevalence(Filters(month=month), "kecamatan")
    small = areas[(areas["n_haz"] > 0) & (areas["n_haz"] < MIN_CHILDREN_FOR_RANK)]
    assert len(small), "the test sample should hold a kecamatan with fewer children than the minimum n"
    assert small["rank"].isna().all()
    assert (small["rank_label"] == f"n < {MIN_CHILDREN_FOR_RANK}").all()


def test_posyandu_that_did_not_open_has_no_measurements(warehouse):
    closed = warehouse.execute(
        """
        select r.posyandu_id, r.month, count(m.child_key) as measured
        from fct_posyandu_month as r
        left join fct_measurement as m
            on m.posyandu_id = r.posyandu_id and m.month = r.month and m.source_file <> $f
        where r.days_open = 0
        group by 1, 2
        """,
        {"f": EDGE_FILE},
    ).fetchall()
    assert closed, "the test sample should hold posyandu-months without a hari buka"
    assert all(measured == 0 for _, _, measured in closed)


def test_edge_rows_are_few_and_outside_the_october_headline(warehouse):
    months = warehouse.execute(
        "select distinct month from fct_measurement where source_file = $f", {"f": EDGE_FILE}
    ).fetchall()
    assert months == [(date(2025, 9, 1),)]
    assert len(EDGE_CASES) <= 40
