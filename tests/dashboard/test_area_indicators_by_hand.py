"""The priority and scorecard inputs (query_area_indicators) on a warehouse of hand-written
rows: every expected figure below is worked out by hand from those rows."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.queries.priority import query_area_indicators
from tests.support.sql_models import DESA, KEC, OCTOBER, OTHER_DESA, OTHER_KEC, build_models, measurement

OCT = date(2025, 10, 10)


def _posyandu(posyandu_id: str, kode_desa: str, status: str, full: bool, sk_date: date | None = None) -> dict:
    """`full`: musdes and an SK dated 1 February 2024; `sk_date` alone: an SK of that date, no musdes."""
    return {
        "posyandu_id": posyandu_id,
        "posyandu_name": f"Posyandu {posyandu_id}",
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "legacy_type": "Balita",
        "registration_status": status,
        "kemendagri_reg_number": f"REG-{posyandu_id}" if status == "teregistrasi" else None,
        "sk_number": "SK-1" if full or sk_date else None,
        "sk_date": date(2024, 2, 1) if full else sk_date,
        "musdes_date": date(2024, 1, 5) if full else None,
        "snapshot_date": date(2025, 10, 31),  # the build dates an undated master the same way
    }


def _report(posyandu_id: str, s: int | None, d: int | None, registered: int, present: int) -> dict:
    return {
        "posyandu_id": posyandu_id,
        "month": OCTOBER,
        "days_open": 1,
        "s": s,
        "d": d,
        "kader_registered": registered,
        "kader_present": present,
    }


def _spm(posyandu_id: str, field: str, value: float) -> dict:
    return {"posyandu_id": posyandu_id, "month": OCTOBER, "spm_field": field, "indicator": "layanan", "value": value}


def _index(kode_desa: str, name: str, value: float, year: int = 2024) -> dict:
    return {"kode_desa": kode_desa, "kode_kec": kode_desa[:8], "index_name": name, "year": year, "value": value}


@pytest.fixture(scope="module")
def indicators(tmp_path_factory, monkeypatch_module):
    db = tmp_path_factory.mktemp("by_hand") / "warehouse.duckdb"
    con = build_models(
        str(db),
        posyandu=[
            _posyandu("P1", DESA, "teregistrasi", full=True),
            _posyandu("P2", DESA, "teregistrasi", full=False),
            # an SK dated after October: not yet valid at the October month end
            _posyandu("P3", OTHER_DESA, "diajukan", full=False, sk_date=date(2025, 11, 15)),
            # an SK dated on the month end, still waiting for registration: legal but not registered
            _posyandu("P4", OTHER_DESA, "diajukan", full=False, sk_date=date(2025, 10, 31)),
        ],
        monthly_report=[
            _report("P1", 10, 8, 5, 4),
            _report("P2", 10, None, 5, 5),  # no D: left out of S and D alike
            _report("P3", 20, 10, 0, 0),  # no kader registered: no participation
        ],
        eppgbm=[
            measurement("a", OCT, haz=-2.5),
            measurement("b", OCT, haz=-1.0),
            measurement("c", OCT, haz=-2.0),  # on the cut-off: not stunted
            measurement("d", OCT, haz=0.0),
            measurement("e", OCT, haz=-6.5, haz_flag=1),  # implausible: not counted
        ],
        spm_service=[_spm("P1", "KES", 3), _spm("P1", "PEND", 0), _spm("P1", "PU", 1), _spm("P2", "KES", 1)],
        desa_index=[
            _index(DESA, "Indeks Desa - Layanan Dasar", 60.0),
            _index(OTHER_DESA, "Indeks Desa - Layanan Dasar", 80.0),
            _index(DESA, "Indeks Desa - Layanan Dasar", 10.0, year=2023),  # an older year: not used
            _index(DESA, "IDM", 0.7),
        ],
    )
    con.execute(
        "create table etl_run as select 'v1' as run_id, now()::timestamp as finished_at, 'v1' as warehouse_version"
    )
    con.close()
    monkeypatch_module.setenv("DASBOR_WAREHOUSE", str(db))
    frame = query_area_indicators(Filters(month=OCTOBER), "kecamatan")
    return frame.set_index("code")


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_kecamatan_with_every_register(indicators):
    row = indicators.loc[KEC]
    assert (row["children"], row["stunted"], row["stunting_pct"]) == (4, 1, 25.0)
    assert (row["s_total"], row["d_total"], row["ds_pct"]) == (10, 8, 80.0)
    assert (row["kader_registered"], row["kader_present"], row["kader_pct"]) == (10, 9, 90.0)
    assert (row["posyandu"], row["registered"], row["registered_pct"]) == (2, 2, 100.0)
    assert (row["full_legality"], row["legality_pct"]) == (1, 50.0)
    # P2 is registered without an SK in the master: registered 2 of 2, a valid SK 1 of 2
    assert (row["valid_sk"], row["valid_sk_pct"]) == (1, 50.0)
    assert (row["basic_index"], row["basic_index_n"]) == (60.0, 1)
    assert (row["spm_posyandu"], row["spm_fields_mean"]) == (2, 1.5)  # P1 serves KES and PU, P2 KES
    assert indicators.attrs["basic_index_name"] == "Indeks Desa - Layanan Dasar"


def test_kecamatan_without_measurements_or_kader(indicators):
    row = indicators.loc[OTHER_KEC]
    assert (row["children"], row["stunted"]) == (0, 0) and row["stunting_pct"] != row["stunting_pct"]  # NaN
    assert (row["s_total"], row["d_total"], row["ds_pct"]) == (20, 10, 50.0)
    assert row["kader_registered"] == 0 and row["kader_pct"] != row["kader_pct"]
    assert (row["posyandu"], row["registered"], row["registered_pct"], row["legality_pct"]) == (2, 0, 0.0, 0.0)
    # P4's SK counts, P3's is dated after the month end: none registered, one of two legal
    assert (row["valid_sk"], row["valid_sk_pct"]) == (1, 50.0)
    assert row["basic_index"] == 80.0
    # "bidang SPM dilayani" counts every posyandu in the master: P3 and P4 reported no service, so 0 fields
    assert (row["spm_posyandu"], row["spm_fields_mean"]) == (2, 0.0)


def test_every_kecamatan_is_listed_once(indicators):
    assert len(indicators) == 20 and indicators.index.is_unique
    empty = indicators.drop(index=[KEC, OTHER_KEC])
    assert (empty[["children", "s_total", "kader_registered", "posyandu", "spm_posyandu"]] == 0).all().all()
