"""mart_nutrition_coverage_by_kecamatan_month (what stands behind the prevalence: children
measured, valid HAZ, weighed, N and 2T from "Naik Berat Badan", S and D reported, posyandu
reported against expected) on hand-written rows; every expected count is worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.sql_models import DESA, KEC, OTHER_DESA, OTHER_KEC, build_models, fetch_dicts, measurement, posyandu

AUG, SEP, OCT = date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1)


def _report(posyandu_id: str, month: date, s: int, d: int) -> dict:
    return {"posyandu_id": posyandu_id, "month": month, "days_open": 1, "s": s, "d": d, "kader_registered": 5}


def _child(child: str, month: date, gain: str | None, **values) -> dict:
    return measurement(child, month.replace(day=12), weight_gain=gain, **values)


@pytest.fixture(scope="module")
def coverage() -> dict[tuple[date, str], dict]:
    """Kecamatan KEC: balita posyandu P1 and P2, lansia posyandu P3; OTHER_KEC: balita P4.
    Children (in KEC unless said), "Naik Berat Badan" per month:
      A, A2  Sep T, Oct T          → 2T in October (two months running)
      B      Aug T, Oct T          → not 2T: September is missing; its October HAZ is flagged
      C      Sep N, Oct T          → not 2T: September was N
      D      Sep T, Oct N          → N in October
      E      Oct O, not weighed (no weight)
      F      Oct, no status
      G      Oct B, in OTHER_KEC
    Reports: October P1 (S 40, D 30), P2 (S 20, D 10) and the lansia P3 (left out);
    September P4 (S 10, D 8)."""
    con = build_models(
        posyandu=[
            posyandu("P1", DESA),
            posyandu("P2", DESA),
            posyandu("P3", DESA, "Lansia"),
            posyandu("P4", OTHER_DESA),
        ],
        monthly_report=[
            _report("P1", OCT, 40, 30),
            _report("P2", OCT, 20, 10),
            _report("P3", OCT, 99, 99),
            _report("P4", SEP, 10, 8),
        ],
        eppgbm=[
            _child("A", SEP, "T"),
            _child("A", OCT, "T"),
            _child("A2", SEP, "T"),
            _child("A2", OCT, "T"),
            _child("B", AUG, "T"),
            _child("B", OCT, "T", haz=7.1, haz_flag=1),
            _child("C", SEP, "N"),
            _child("C", OCT, "T"),
            _child("D", SEP, "T"),
            _child("D", OCT, "N"),
            _child("E", OCT, "O", weight_kg=None),
            _child("F", OCT, None),
            _child("G", OCT, "B", kode_kec=OTHER_KEC, kode_desa=OTHER_DESA),
        ],
    )
    rows = fetch_dicts(con, "select * from mart_nutrition_coverage_by_kecamatan_month")
    return {(row["month"], row["kode_kec"]): row for row in rows}


COLUMNS = (
    "children_measured",
    "children_valid_haz",
    "children_weighed",
    "children_with_gain_status",
    "gained_n",
    "not_gained_2t",
    "sasaran_s",
    "weighed_d",
    "posyandu_reported",
    "posyandu_expected",
)
EXPECTED = {
    # month, kecamatan: measured, valid HAZ, weighed, with status, N, 2T, S, D, reported, expected
    (AUG, KEC): (1, 1, 1, 1, 0, 0, None, None, 0, 2),
    (SEP, KEC): (4, 4, 4, 4, 1, 0, None, None, 0, 2),
    (OCT, KEC): (7, 6, 6, 6, 1, 2, 60, 40, 2, 2),
    (SEP, OTHER_KEC): (0, 0, 0, 0, 0, 0, 10, 8, 1, 1),  # a report without measurements
    (OCT, OTHER_KEC): (1, 1, 1, 1, 0, 0, None, None, 0, 1),  # measurements without a report
}


def test_one_row_per_kecamatan_month_with_measurements_or_a_report(coverage):
    assert set(coverage) == set(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED), ids=[f"{m:%Y-%m}-{k}" for m, k in EXPECTED])
def test_every_count_by_hand(coverage, key):
    row = coverage[key]
    assert tuple(row[c] for c in COLUMNS) == EXPECTED[key]
