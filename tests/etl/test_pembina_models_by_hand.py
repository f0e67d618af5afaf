"""The posyandu models behind the Transformasi, Kader, Prioritas and Scorecard figures
(master snapshots, legality stages, SPM fields, kader participation, the area marts), run over
hand-written register rows; every expected value was worked out by hand from the rows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.sql_models import DESA, KEC, NOVEMBER, OCTOBER, OTHER_DESA, OTHER_KEC, build_models, fetch_dicts

AUGUST, SEPTEMBER, JULY = date(2025, 8, 1), date(2025, 9, 1), date(2025, 7, 1)
OLD, NEW = date(2025, 8, 31), date(2025, 10, 31)  # two master snapshots


def _master(posyandu_id: str, snapshot: date, kode_desa: str = DESA, **values) -> dict:
    row = {
        "posyandu_id": posyandu_id,
        "posyandu_name": f"Posyandu {posyandu_id}",
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "snapshot_date": snapshot,
    }
    row.update(values)
    return row


FULL = {  # every legality document
    "legacy_type": "Balita",
    "musdes_date": date(2024, 2, 1),
    "sk_number": "SK-1",
    "registration_status": "teregistrasi",
    "kemendagri_reg_number": "REG-1",
}


def _kader(kader_id: str, posyandu_id: str, role: str | None, start: date | None = None, end: date | None = None):
    return {"kader_id": kader_id, "posyandu_id": posyandu_id, "role": role, "active_from": start, "active_to": end}


def _pengurus(posyandu_id: str) -> list[dict]:
    return [_kader(f"{posyandu_id}-{r}", posyandu_id, r) for r in ("Ketua", "Sekretaris", "Bendahara")]


# --- masters: the newest snapshot wins -------------------------------------------------------------


@pytest.fixture(scope="module")
def masters():
    return build_models(
        posyandu=[
            _master("P1", OLD, registration_status="diajukan", spm_fields=["KES"]),
            _master("P1", NEW, spm_fields=["KES", "PU"], **{k: v for k, v in FULL.items()}),
            _master("P2", OLD),  # nothing filled in, listed in the old master only
            _master("P3", NEW, OTHER_DESA, legacy_type="Lansia", registration_status="teregistrasi"),  # no reg. number
            _master("P4", NEW, registration_status="teregistrasi", kemendagri_reg_number="REG-4"),  # no SK, no musdes
        ],
        monthly_report=[{"posyandu_id": "P1", "month": NOVEMBER, "days_open": 1}],
    )


def test_dim_posyandu_is_each_posyandus_newest_snapshot(masters):
    rows = fetch_dicts(masters, "select * from dim_posyandu order by posyandu_id")
    assert [
        (
            r["posyandu_id"],
            r["master_date"],
            r["registration_status"],
            r["is_registered"],
            r["has_full_legality"],
            r["is_balita"],
            r["spm_field_count"],
        )
        for r in rows
    ] == [
        ("P1", NEW, "teregistrasi", True, True, True, 2),
        ("P2", OLD, "belum", False, False, True, 0),
        ("P3", NEW, "teregistrasi", False, False, False, 0),
        ("P4", NEW, "teregistrasi", True, False, True, 0),
    ]


def test_legality_month_takes_the_master_in_force_at_the_month_end(masters):
    rows = fetch_dicts(
        masters,
        "select month, registration_status, stages_passed from fct_posyandu_legality_month where posyandu_id = 'P1'",
    )
    # months from the first snapshot to the last report (November); the new master, dated
    # 31 October, is in force from October on
    assert [(r["month"], r["registration_status"]) for r in rows] == [
        (AUGUST, "diajukan"),
        (SEPTEMBER, "diajukan"),
        (OCTOBER, "teregistrasi"),
        (NOVEMBER, "teregistrasi"),
    ]
    # no kader register loaded: the pengurus and kader-list stages cannot be judged and are skipped
    assert [r["stages_passed"] for r in rows] == [0, 0, 7, 7]
    p2 = fetch_dicts(masters, "select count(*) as months from fct_posyandu_legality_month where posyandu_id = 'P2'")
    assert p2[0]["months"] == 4
    p3 = fetch_dicts(masters, "select month from fct_posyandu_legality_month where posyandu_id = 'P3' order by month")
    assert [r["month"] for r in p3] == [OCTOBER, NOVEMBER]  # not before its first snapshot


# --- legality stages in order ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def stages():
    full = dict(FULL)
    posyandu = [
        _master("S0", NEW, **{**full, "musdes_date": None}),
        _master("S1", NEW, **{**full, "sk_number": None}),
        _master("S2", NEW, **full),  # Ketua twice and a Sekretaris: two of the three roles
        _master("S3", NEW, **full),  # pengurus complete, no anggota
        _master("S4", NEW, **{**full, "registration_status": "belum", "kemendagri_reg_number": None}),
        _master("S5", NEW, **{**full, "registration_status": "diajukan", "kemendagri_reg_number": None}),
        _master("S6", NEW, **{**full, "registration_status": "terverifikasi", "kemendagri_reg_number": None}),
        _master("S6b", NEW, **{**full, "kemendagri_reg_number": None}),  # teregistrasi without a number
        _master("S7", NEW, **full),
        _master("W", NEW, **full),  # kader whose active dates sit on the month edges
    ]
    kader = [
        _kader("a", "S2", "Ketua"),
        _kader("b", "S2", "Ketua"),
        _kader("c", "S2", "Sekretaris"),
        _kader("d", "S2", "Anggota"),
        *_pengurus("S3"),
        *[k for p in ("S4", "S5", "S6", "S6b", "S7") for k in (*_pengurus(p), _kader(f"{p}-x", p, None))],
        # W: the Ketua starts on 31 October, the only anggota stops on 1 November
        _kader("w1", "W", "Ketua", start=date(2025, 10, 31)),
        _kader("w2", "W", "Sekretaris"),
        _kader("w3", "W", "Bendahara"),
        _kader("w4", "W", "Anggota", end=date(2025, 11, 1)),
        _kader("w5", "W", "Anggota", end=date(2025, 9, 30)),
    ]
    reports = [{"posyandu_id": "S7", "month": m, "days_open": 1} for m in (date(2025, 12, 1),)]
    return build_models(posyandu=posyandu, kader=kader, monthly_report=reports)


def test_each_posyandu_stops_at_its_first_missing_stage(stages):
    rows = fetch_dicts(
        stages,
        "select posyandu_id, stages_passed, has_pengurus, has_kader_list from fct_posyandu_legality_month "
        "where month = $m and posyandu_id <> 'W' order by posyandu_id",
        {"m": OCTOBER},
    )
    assert {r["posyandu_id"]: r["stages_passed"] for r in rows} == {
        "S0": 0,
        "S1": 1,
        "S2": 2,
        "S3": 3,
        "S4": 4,
        "S5": 5,
        "S6": 6,
        "S6b": 6,
        "S7": 7,
    }
    s2 = next(r for r in rows if r["posyandu_id"] == "S2")
    assert (s2["has_pengurus"], s2["has_kader_list"]) == (False, True)


def test_kader_count_in_the_months_they_were_active(stages):
    rows = fetch_dicts(
        stages,
        "select month, has_pengurus, has_kader_list, stages_passed from fct_posyandu_legality_month "
        "where posyandu_id = 'W' order by month",
    )
    # October: the Ketua from the 31st and the anggota until 1 November count (w5 stopped in
    # September); November: w4 still active on the 1st; December: no anggota left
    assert [(r["month"], r["has_pengurus"], r["has_kader_list"], r["stages_passed"]) for r in rows] == [
        (OCTOBER, True, True, 7),
        (NOVEMBER, True, True, 7),
        (date(2025, 12, 1), True, False, 3),
    ]


def test_a_kader_register_of_one_kader_is_a_loaded_register():
    # one Anggota in the whole register: the pengurus and kader-list stages are judged (not
    # skipped as with no register), so K stops at the pengurus stage
    con = build_models(posyandu=[_master("K", NEW, **FULL)], kader=[_kader("k1", "K", "Anggota")])
    rows = fetch_dicts(
        con,
        "select has_pengurus, has_kader_list, stages_passed from fct_posyandu_legality_month where month = $m",
        {"m": OCTOBER},
    )
    assert rows == [{"has_pengurus": False, "has_kader_list": True, "stages_passed": 2}]


def test_an_sk_is_valid_from_the_month_of_its_date_and_only_with_its_number():
    con = build_models(
        posyandu=[
            _master("ON31", OLD, **{**FULL, "sk_date": date(2025, 9, 30)}),  # dated on September's last day
            _master("ON1", OLD, **{**FULL, "sk_date": date(2025, 10, 1)}),  # dated on October's first day
            _master("NODATE", OLD, **{**FULL, "sk_date": None}),
            _master("NONUMBER", OLD, **{**FULL, "sk_number": None, "sk_date": date(2025, 1, 1)}),
        ],
        monthly_report=[{"posyandu_id": "ON31", "month": OCTOBER, "days_open": 1}],
    )
    rows = fetch_dicts(
        con, "select posyandu_id, month, has_valid_sk from fct_posyandu_legality_month order by posyandu_id, month"
    )
    valid = {(r["posyandu_id"], r["month"]): r["has_valid_sk"] for r in rows}
    assert valid == {
        ("NODATE", AUGUST): False,
        ("NODATE", SEPTEMBER): False,
        ("NODATE", OCTOBER): False,
        ("NONUMBER", AUGUST): False,
        ("NONUMBER", SEPTEMBER): False,
        ("NONUMBER", OCTOBER): False,
        ("ON1", AUGUST): False,
        ("ON1", SEPTEMBER): False,
        ("ON1", OCTOBER): True,
        ("ON31", AUGUST): False,
        ("ON31", SEPTEMBER): True,
        ("ON31", OCTOBER): True,
    }


# --- SPM fields declared and served ----------------------------------------------------------------


def test_spm_fields_declared_in_the_master_in_force_and_served_when_a_value_is_above_zero():
    con = build_models(
        posyandu=[
            _master("P1", OLD, spm_fields=["KES"]),
            _master("P1", NEW, spm_fields=["KES", "PEND"]),
        ],
        spm_service=[
            {"posyandu_id": "P1", "month": JULY, "spm_field": "KES", "indicator": "a", "value": 1},
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "KES", "indicator": "a", "value": 0},
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "KES", "indicator": "b", "value": 0},
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "PEND", "indicator": "a", "value": 0},
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "PEND", "indicator": "b", "value": 0.5},
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "PU", "indicator": "a", "value": 2},
        ],
    )
    rows = fetch_dicts(
        con,
        "select month, spm_field, is_declared, is_served, indicators_reported, indicators_served "
        "from fct_spm_field_month where posyandu_id = 'P1'",
    )
    by_month: dict[date, list] = {}
    for r in rows:
        by_month.setdefault(r["month"], []).append(
            (r["spm_field"], r["is_declared"], r["is_served"], r["indicators_reported"], r["indicators_served"])
        )
    # July is before the first master: no master was in force, so no posyandu rows (its service
    # stays in fct_spm_service); the first master is not back-dated
    assert JULY not in by_month
    assert by_month[OCTOBER] == [
        ("KES", True, False, 2, 0),
        ("PEND", True, True, 2, 1),
        ("PU", False, True, 1, 1),
        ("PERKIM", False, False, 0, 0),
        ("TRANTIB", False, False, 0, 0),
        ("SOS", False, False, 0, 0),
    ]
    assert sorted(by_month) == [AUGUST, OCTOBER]  # months with a report or a master, from the first master
    assert [f[1] for f in by_month[AUGUST][:2]] == [True, False]  # the old master in force at 31 August


# --- kader participation -----------------------------------------------------------------------------


def test_kader_present_is_per_hari_buka_only_when_the_report_sums_over_the_days():
    cases = {  # posyandu: (hari buka, registered, present) → (present per day, participation)
        "A": ((2, 10, 20), (10, 1.0)),  # above the register over two days: a sum, halved
        "B": ((1, 10, 12), (12, 1.2)),  # one day: as reported
        "C": ((2, 10, 10), (10, 1.0)),  # not above the register: as reported
        "D": ((3, 10, 11), (11 / 3, 11 / 30)),
        "E": ((0, 10, 4), (4, None)),  # did not open: no participation
        "F": ((None, 10, 4), (4, None)),
        "G": ((1, 0, 0), (0, None)),  # nobody registered: no share
        "H": ((1, 1, 1), (1, 1.0)),
    }
    reports = [
        {"posyandu_id": p, "month": OCTOBER, "days_open": d, "kader_registered": r, "kader_present": k}
        for p, ((d, r, k), _) in cases.items()
    ]
    con = build_models(posyandu=[_master(p, NEW) for p in cases], monthly_report=reports)
    rows = fetch_dicts(con, "select * from mart_kader_by_posyandu_month order by posyandu_id")
    assert [r["posyandu_id"] for r in rows] == list(cases)
    for r in rows:
        present, participation = cases[r["posyandu_id"]][1]
        assert r["kader_present"] == pytest.approx(present), r
        assert r["participation"] == (None if participation is None else pytest.approx(participation)), r
    assert [r["opened"] for r in rows] == [True, True, True, True, False, False, True, True]


# --- the area marts ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def areas():
    return build_models(
        posyandu=[
            _master("P1", NEW, **FULL, spm_fields=["KES"]),
            _master("P2", NEW, registration_status="teregistrasi", kemendagri_reg_number="R2"),
            _master("P3", NEW, OTHER_DESA, registration_status="diajukan"),
        ],
        monthly_report=[
            {
                "posyandu_id": "P1",
                "month": OCTOBER,
                "days_open": 1,
                "s": 10,
                "d": 8,
                "kader_registered": 5,
                "kader_present": 4,
            },
            {
                "posyandu_id": "P2",
                "month": OCTOBER,
                "days_open": 0,
                "s": 6,
                "d": 3,
                "kader_registered": 5,
                "kader_present": 5,
            },
            {
                "posyandu_id": "P3",
                "month": OCTOBER,
                "days_open": 2,
                "s": 20,
                "d": None,
                "kader_registered": 4,
                "kader_present": 2,
            },
        ],
        spm_service=[
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "KES", "indicator": "a", "value": 1},
            {"posyandu_id": "P1", "month": OCTOBER, "spm_field": "PU", "indicator": "a", "value": 1},
            {"posyandu_id": "P3", "month": OCTOBER, "spm_field": "KES", "indicator": "a", "value": 1},
        ],
        desa_index=[
            {"kode_desa": DESA, "kode_kec": KEC, "index_name": "IDM", "year": 2024, "value": 0.6},
            {"kode_desa": OTHER_DESA, "kode_kec": OTHER_KEC, "index_name": "IDM", "year": 2024, "value": 0.8},
            {"kode_desa": DESA, "kode_kec": KEC, "index_name": "IDM", "year": 2023, "value": 0.1},
            {"kode_desa": DESA, "kode_kec": KEC, "index_name": "Indeks Desa", "year": 2025, "value": 50.0},
        ],
    )


def _area_rows(con, table: str, where: str = "") -> dict[tuple[str, str], dict]:
    rows = fetch_dicts(con, f"select * from {table} {where}")
    return {(r["area_level"], r["area_code"]): r for r in rows}


def test_area_month_counts_add_up_from_desa_to_kabupaten(areas):
    rows = _area_rows(areas, "mart_area_indicators_month", "where month = '2025-10-01'")
    pick = (
        "s_total",
        "d_total",
        "kader_registered",
        "kader_present",
        "spm_posyandu",
        "spm_fields_sum",
        "posyandu",
        "registered",
        "full_legality",
    )
    got = {
        key: tuple(rows[key][c] for c in pick)
        for key in [
            ("kabupaten", "64.02"),
            ("kecamatan", KEC),
            ("desa", DESA),
            ("kecamatan", OTHER_KEC),
            ("desa", OTHER_DESA),
        ]
    }
    # S and D only where both are reported (P3 has no D); kader only where the posyandu opened
    # (P2 did not); SPM: P1 serves KES and PU, P2 nothing, P3 KES; registered P1 and P2
    assert got == {
        ("kabupaten", "64.02"): (16, 11, 9, 6, 3, 3, 3, 2, 1),
        ("kecamatan", KEC): (16, 11, 5, 4, 2, 2, 2, 2, 1),
        ("desa", DESA): (16, 11, 5, 4, 2, 2, 2, 2, 1),
        ("kecamatan", OTHER_KEC): (None, None, 4, 2, 1, 1, 1, 0, 0),
        ("desa", OTHER_DESA): (None, None, 4, 2, 1, 1, 1, 0, 0),
    }
    assert len(rows) == 5


def test_area_snapshot_uses_the_latest_year_of_the_basic_index(areas):
    rows = _area_rows(areas, "mart_area_snapshot")
    # no "Indeks Desa - Layanan Dasar" loaded: IDM, its latest year (2024); "Indeks Desa" is another index
    assert (rows[("desa", DESA)]["basic_index"], rows[("desa", DESA)]["basic_index_n"]) == (0.6, 1)
    assert rows[("kabupaten", "64.02")]["basic_index"] == pytest.approx(0.7)
    assert rows[("kabupaten", "64.02")]["basic_index_sum"] == pytest.approx(1.4)
    assert [rows[("kecamatan", k)]["posyandu"] for k in (KEC, OTHER_KEC)] == [2, 1]
    assert [rows[("kabupaten", "64.02")][c] for c in ("posyandu", "registered", "full_legality", "basic_index_n")] == [
        3,
        2,
        1,
        2,
    ]
