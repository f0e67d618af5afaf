"""int_budget_by_area_year (through the budget marts): a desa whose posyandu weighed no child or
registered no kader gives its money to neither ratio, and a desa that weighed exactly one child
a month, with one kader, counts fully. Rupiah worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.sql_models import DESA, KEC, build_models, fetch_dicts

DESA_B = "64.02.01.2002"


def _posyandu(posyandu_id: str, kode_desa: str) -> dict:
    return {
        "posyandu_id": posyandu_id,
        "posyandu_name": f"Posyandu {posyandu_id}",
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "legacy_type": "Balita",
    }


def _budget(kode_desa: str, allocation: float, incentive: float, row: int) -> dict:
    return {
        "year": 2025,
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "source": "Dana Desa",
        "posyandu_allocation_rp": allocation,
        "kader_incentive_rp": incentive,
        "_file": "anggaran_posyandu.csv",
        "_row": row,
    }


@pytest.fixture(scope="module")
def con():
    """Desa A: P1 weighed 1 child with 1 kader in January; desa B: P2 closed, 0 weighed, 0 kader.
    A: Rp 12 jt + Rp 2,4 jt incentive; B: Rp 6 jt + Rp 1,2 jt."""
    return build_models(
        posyandu=[_posyandu("P1", DESA), _posyandu("P2", DESA_B)],
        monthly_report=[
            {"posyandu_id": "P1", "month": date(2025, 1, 1), "days_open": 1, "d": 1, "kader_registered": 1},
            {"posyandu_id": "P2", "month": date(2025, 1, 1), "days_open": 0, "d": 0, "kader_registered": 0},
        ],
        desa_budget=[_budget(DESA, 12_000_000, 2_400_000, 2), _budget(DESA_B, 6_000_000, 1_200_000, 3)],
    )


def test_desa_ratios_need_a_child_weighed_and_a_kader(con):
    rows = fetch_dicts(con, "select * from mart_budget_by_desa_year where year = 2025 order by kode_desa")
    a, b = rows
    assert a["rp_per_child_weighed"] == pytest.approx(14_400_000)  # 14,4 jt ÷ 1 child
    assert a["incentive_rp_per_kader_month"] == pytest.approx(200_000)  # 2,4 jt ÷ 1 kader ÷ 12
    assert b["rp_per_child_weighed"] is None and b["incentive_rp_per_kader_month"] is None


def test_kecamatan_ratios_leave_out_the_desa_that_weighed_nobody(con):
    (k,) = fetch_dicts(con, "select * from mart_budget_by_kecamatan_year where kode_kec = $k", {"k": KEC})
    assert k["budget_rp"] == 21_600_000
    # only desa A's 14,4 jt stands behind its one child; B's 7,2 jt weighed nobody
    assert k["rp_per_child_weighed"] == pytest.approx(14_400_000)
    # only A's 2,4 jt incentive has a kader behind it: 2,4 jt ÷ 1 ÷ 12
    assert k["incentive_rp_per_kader_month"] == pytest.approx(200_000)
