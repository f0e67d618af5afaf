"""Which posyandu master holds in a month, defined once (int_master_in_force_month) and read by
the legality stages and the SPM fields alike: before the first master snapshot no master is in
force, so neither model has a row for it (docs/warehouse.md, "Master in force"). Expected rows
worked out by hand from the registers below."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.sql_models import DESA, NOVEMBER, OCTOBER, OTHER_DESA, build_models, fetch_dicts

JUNE, JULY, AUGUST, SEPTEMBER = (date(2025, m, 1) for m in (6, 7, 8, 9))
FIRST, SECOND = date(2025, 8, 15), date(2025, 10, 31)  # the two masters received


def _master(posyandu_id: str, snapshot: date, kode_desa: str = DESA, **values) -> dict:
    return {
        "posyandu_id": posyandu_id,
        "posyandu_name": f"Posyandu {posyandu_id}",
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "snapshot_date": snapshot,
        **values,
    }


def _service(posyandu_id: str, month: date, value: float = 1) -> dict:
    return {
        "posyandu_id": posyandu_id,
        "month": month,
        "spm_field": "KES",
        "indicator": "Balita ditimbang",
        "value": value,
    }


@pytest.fixture(scope="module")
def con():
    return build_models(
        posyandu=[
            _master("A", FIRST, registration_status="diajukan", spm_fields=["KES"]),
            _master("A", SECOND, registration_status="teregistrasi", spm_fields=["KES", "SOS"]),
            _master("B", SECOND, OTHER_DESA, spm_fields=["KES"]),  # first listed in the second master
        ],
        # services reported from June, before any master; the monthly report runs to November
        spm_service=[_service("A", m) for m in (JUNE, JULY, AUGUST, OCTOBER)] + [_service("B", SEPTEMBER)],
        monthly_report=[{"posyandu_id": "A", "month": NOVEMBER, "days_open": 1}],
    )


def _pairs(con, relation: str) -> list[tuple[date, str]]:
    rows = fetch_dicts(con, f"select distinct month, posyandu_id from {relation} order by month, posyandu_id")
    return [(r["month"], r["posyandu_id"]) for r in rows]


def test_no_master_is_in_force_before_the_first_snapshot(con):
    rows = fetch_dicts(con, "select month, posyandu_id, snapshot_date from int_master_in_force_month")
    assert [(r["month"], r["posyandu_id"], r["snapshot_date"]) for r in rows] == [
        (AUGUST, "A", FIRST),  # the first master, dated mid-August, holds at 31 August
        (SEPTEMBER, "A", FIRST),
        (OCTOBER, "A", SECOND),  # the second, dated 31 October, holds from October on
        (OCTOBER, "B", SECOND),
        (NOVEMBER, "A", SECOND),
        (NOVEMBER, "B", SECOND),
    ]


def test_legality_has_a_row_for_every_posyandu_month_a_master_is_in_force(con):
    assert _pairs(con, "fct_posyandu_legality_month") == _pairs(con, "int_master_in_force_month")
    status = fetch_dicts(
        con, "select month, registration_status from fct_posyandu_legality_month where posyandu_id = 'A'"
    )
    assert [r["registration_status"] for r in status] == ["diajukan", "diajukan", "teregistrasi", "teregistrasi"]


def test_spm_fields_use_the_same_master_in_force_as_legality(con):
    spm = _pairs(con, "fct_spm_field_month")
    legality = set(_pairs(con, "fct_posyandu_legality_month"))
    # June and July have services but no master: no posyandu row in either model
    assert all(month >= AUGUST for month, _ in spm)
    # every SPM posyandu-month is a legality posyandu-month: one definition of the master in force
    assert set(spm) <= legality
    # the SPM months are those with a service, a report or a master; September is one (B reported),
    # yet B has no row then: it is not in the master in force until October
    assert spm == [(AUGUST, "A"), (SEPTEMBER, "A"), (OCTOBER, "A"), (OCTOBER, "B"), (NOVEMBER, "A"), (NOVEMBER, "B")]
    declared = fetch_dicts(
        con,
        "select month, count(*) filter (where is_declared) as declared, count(*) filter (where is_served) as served "
        "from fct_spm_field_month where posyandu_id = 'A' group by month order by month",
    )
    assert [(r["month"], r["declared"], r["served"]) for r in declared] == [
        (AUGUST, 1, 1),  # KES declared in the first master and served
        (SEPTEMBER, 1, 0),  # no service reported by A
        (OCTOBER, 2, 1),  # KES and SOS declared in the second master
        (NOVEMBER, 2, 0),
    ]
