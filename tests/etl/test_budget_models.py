"""The budget models (fct_desa_budget, mart_budget_by_desa_year, mart_budget_by_kecamatan_year)
over hand-made rows; every expected rupiah below was worked out by hand from the rows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.sql_models import DESA, KEC, OTHER_DESA, OTHER_KEC, build_models, fetch_dicts, posyandu

DESA_B = "64.02.01.2002"  # a second desa of KEC (Muara Muntai)
DESA_D = "64.02.01.2003"  # a third, with a budget but no posyandu
SQL_CHECKS = "etl/sql/checks"


def _report(posyandu_id: str, month: date, d: int, kader: int, days_open: int = 1) -> dict:
    return {"posyandu_id": posyandu_id, "month": month, "days_open": days_open, "d": d, "kader_registered": kader}


def _budget(kode_desa: str, year: int, source: str, allocation: float, incentive: float, row: int) -> dict:
    return {
        "year": year,
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "source": source,
        "posyandu_allocation_rp": allocation,
        "kader_incentive_rp": incentive,
        "_file": "anggaran_posyandu.csv",
        "_row": row,
    }


@pytest.fixture(scope="module")
def con():
    """Desa A (DESA): P1, P2 balita and P3 lansia (no reports). Desa B: P4. Desa D (in KEC) and
    desa C (OTHER_DESA): a budget but no posyandu."""
    return build_models(
        posyandu=[
            posyandu("P1", DESA),
            posyandu("P2", DESA),
            posyandu("P3", DESA, "Lansia"),
            posyandu("P4", DESA_B),
        ],
        monthly_report=[
            _report("P1", date(2025, 1, 1), 30, 10),
            _report("P1", date(2025, 2, 1), 40, 10),
            _report("P2", date(2025, 1, 1), 20, 5),
            _report("P2", date(2025, 2, 1), 0, 7, days_open=0),  # closed: weighs nobody, still a month
            _report("P4", date(2025, 3, 1), 50, 8),
            _report("P1", date(2024, 12, 1), 100, 12),
        ],
        desa_budget=[
            _budget(DESA, 2025, "Dana Desa", 30_000_000, 0, 2),
            _budget(DESA, 2025, "ADD", 0, 19_200_000, 3),
            _budget(DESA_B, 2025, "Dana Desa", 12_000_000, 9_600_000, 4),
            _budget(OTHER_DESA, 2025, "Dana Desa", 5_000_000, 0, 5),
            _budget(DESA_D, 2025, "Dana Desa", 3_000_000, 0, 7),
            _budget(DESA, 2024, "Dana Desa", 20_000_000, 14_400_000, 6),
        ],
    )


def _desa(con, kode_desa: str, year: int) -> dict:
    (row,) = fetch_dicts(
        con, "select * from mart_budget_by_desa_year where kode_desa = $d and year = $y", {"d": kode_desa, "y": year}
    )
    return row


def _kecamatan(con, kode_kec: str, year: int) -> dict:
    (row,) = fetch_dicts(
        con, "select * from mart_budget_by_kecamatan_year where kode_kec = $k and year = $y", {"k": kode_kec, "y": year}
    )
    return row


def test_fact_keeps_each_row_with_its_kecamatan_and_total(con):
    rows = fetch_dicts(con, "select kode_desa, kode_kec, year, source, budget_rp from fct_desa_budget")
    assert len(rows) == 6
    assert {(r["kode_desa"], r["year"], r["source"]): r["budget_rp"] for r in rows}[(DESA_B, 2025, "Dana Desa")] == (
        21_600_000
    )
    assert {r["kode_kec"] for r in rows if r["kode_desa"] == OTHER_DESA} == {OTHER_KEC}


def test_desa_2025_spending_per_posyandu_child_and_kader(con):
    a = _desa(con, DESA, 2025)
    # 30 jt + 19,2 jt = 49,2 jt over 3 posyandu (the lansia one too); D: P1 (30+40)/2 = 35, P2 (20+0)/2 = 10
    assert a["budget_rp"] == 49_200_000
    assert a["sources"] == "ADD, Dana Desa"
    assert (a["posyandu"], a["posyandu_reporting"]) == (3, 2)
    assert a["rp_per_posyandu"] == pytest.approx(16_400_000)
    assert a["children_weighed"] == pytest.approx(45)
    assert a["rp_per_child_weighed"] == pytest.approx(49_200_000 / 45)  # Rp 1.093.333
    # kader: P1 10, P2 (5+7)/2 = 6 → 16; 19,2 jt / 16 / 12 = Rp 100.000
    assert a["kader_registered"] == pytest.approx(16)
    assert a["incentive_rp_per_kader_month"] == pytest.approx(100_000)
    b = _desa(con, DESA_B, 2025)
    assert (b["rp_per_posyandu"], b["rp_per_child_weighed"]) == (pytest.approx(21_600_000), pytest.approx(432_000))
    assert b["incentive_rp_per_kader_month"] == pytest.approx(100_000)  # 9,6 jt / 8 / 12


def test_a_year_reads_only_that_years_reports(con):
    a = _desa(con, DESA, 2024)
    # 34,4 jt; D only December 2024 (P1: 100); kader 12 → 14,4 jt / 12 / 12 = Rp 100.000
    assert a["budget_rp"] == 34_400_000
    assert a["rp_per_child_weighed"] == pytest.approx(344_000)
    assert a["rp_per_posyandu"] == pytest.approx(34_400_000 / 3)
    assert a["incentive_rp_per_kader_month"] == pytest.approx(100_000)


def test_desa_without_posyandu_has_money_but_no_ratio(con):
    c = _desa(con, OTHER_DESA, 2025)
    assert (c["budget_rp"], c["posyandu"], c["posyandu_reporting"]) == (5_000_000, 0, 0)
    assert c["rp_per_posyandu"] is None and c["rp_per_child_weighed"] is None
    assert c["incentive_rp_per_kader_month"] is None


def test_kecamatan_sums_desa_and_divides_sums(con):
    k = _kecamatan(con, KEC, 2025)
    assert (k["desa_with_budget"], k["desa_total"]) == (3, 13)  # Muara Muntai has 13 desa
    assert (k["posyandu_allocation_rp"], k["kader_incentive_rp"], k["budget_rp"]) == (
        45_000_000,
        28_800_000,
        73_800_000,
    )
    assert k["posyandu"] == 4
    # desa D's Rp 3 jt has no posyandu and no children: left out of both ratios
    assert k["rp_per_posyandu"] == pytest.approx(17_700_000)  # 70,8 jt / 4, not the mean of 16,4 and 21,6 jt
    assert k["children_weighed"] == pytest.approx(95)
    assert k["rp_per_child_weighed"] == pytest.approx(70_800_000 / 95)  # Rp 745.263
    assert k["incentive_rp_per_kader_month"] == pytest.approx(100_000)  # 28,8 jt / 24 / 12


def test_kecamatan_ratio_leaves_out_desa_without_its_denominator(con):
    other = _kecamatan(con, OTHER_KEC, 2025)
    assert other["budget_rp"] == 5_000_000
    assert other["rp_per_posyandu"] is None and other["rp_per_child_weighed"] is None
    assert other["budget_rp_of_desa_with_posyandu"] == 0


@pytest.mark.parametrize("check", ["assert_budget_mart_adds_up", "assert_budget_amounts_valid"])
def test_checks_pass_on_consistent_rows(con, check):
    from etl.models import SQL_DIR

    assert con.execute((SQL_DIR / "checks" / f"{check}.sql").read_text()).fetchall() == []


def test_amounts_check_catches_a_duplicate_and_a_negative_amount():
    from etl.models import SQL_DIR

    con = build_models(
        desa_budget=[
            _budget(DESA, 2025, "Dana Desa", 1_000_000, 0, 2),
            _budget(DESA, 2025, "Dana Desa", 2_000_000, 0, 3),
            _budget(DESA_B, 2025, "ADD", -5, 0, 4),
        ]
    )
    found = con.execute((SQL_DIR / "checks" / "assert_budget_amounts_valid.sql").read_text()).fetchall()
    assert sorted(row[0] for row in found) == [DESA, DESA_B]
