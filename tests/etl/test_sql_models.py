"""The SQL models that compute numbers users see, run over hand-written rows; every expected
value below was worked out by hand from the rows, not recomputed by another query."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.sql_models import (
    DESA,
    KEC,
    NOVEMBER,
    OCTOBER,
    OTHER_DESA,
    OTHER_KEC,
    build_models,
    fetch_dicts,
    measurement,
)

OCT = date(2025, 10, 10)


def _stunting_row(con, level: str, code: str, month: date = OCTOBER) -> dict:
    rows = fetch_dicts(
        con,
        "select * from mart_stunting_by_area_month where area_level = $level and area_code = $code and month = $month",
        {"level": level, "code": code, "month": month},
    )
    assert len(rows) == 1, (level, code, month, rows)
    return rows[0]


# --- the month's latest measurement ------------------------------------------------------------


@pytest.fixture(scope="module")
def measured_twice():
    """Child A: stunted early in October, not at the month's last measurement.
    Child B: not stunted early, stunted (and severely) at the last measurement.
    Child C: stunted at both. Child D: measured once, not stunted."""
    rows = [
        measurement("A", date(2025, 10, 2), haz=-2.5, _row=1),
        measurement("A", date(2025, 10, 28), haz=-1.2, _row=2),
        measurement("B", date(2025, 10, 3), haz=-0.5, _row=3),
        measurement("B", date(2025, 10, 17), haz=-3.4, _row=4),
        measurement("C", date(2025, 10, 5), haz=-2.2, _row=5),
        measurement("C", date(2025, 10, 30), haz=-2.4, _row=6),
        measurement("D", date(2025, 10, 9), haz=-2.6, _row=7),
        measurement("D", date(2025, 11, 9), haz=-1.0, _row=8),  # November: not this month
        measurement("E", date(2025, 10, 1), haz=-2.1, _row=9),
        measurement("E", date(2025, 10, 31), haz=-2.3, _row=10),
        measurement("F", date(2025, 10, 1), haz=-2.9, _row=11),
        measurement("F", date(2025, 10, 2), haz=0.4, _row=12),
    ]
    return build_models(eppgbm=rows)


def test_stunting_mart_counts_each_child_once_at_the_latest_measurement(measured_twice):
    row = _stunting_row(measured_twice, "kabupaten", "64.02")
    # latest: A -1.2, B -3.4, C -2.4, D -2.6, E -2.3, F 0.4 → stunted B C D E, severe B
    assert row["children_measured"] == 6
    assert row["n_haz"] == 6
    assert row["stunted"] == 4
    assert row["severely_stunted"] == 1
    assert row["stunting_prevalence"] == pytest.approx(4 / 6)
    november = _stunting_row(measured_twice, "kabupaten", "64.02", NOVEMBER)
    assert (november["children_measured"], november["stunted"]) == (1, 0)


def test_data_quality_mart_reads_the_latest_measurement_too(measured_twice):
    row = fetch_dicts(
        measured_twice, "select * from mart_data_quality_by_kecamatan_month where month = $m", {"m": OCTOBER}
    )[0]
    assert row["children"] == 6
    # latest HAZ: -1.2 -3.4 -2.4 -2.6 -2.3 0.4 → sum -11.5, sum of squares 30.97
    assert row["sum_haz"] == pytest.approx(-11.5)
    assert row["sum_haz_sq"] == pytest.approx(30.97)


# --- age window and cut-offs --------------------------------------------------------------------


@pytest.fixture(scope="module")
def boundaries():
    """One measurement per child in October, each at a boundary."""
    cases = {
        # age window 0-1826 days (0-59 months)
        "age_0": {"age_days": 0, "age_months": 0, "haz": -2.5},
        "age_1826": {"age_days": 1826, "age_months": 59, "haz": -2.5},
        "age_1827": {"age_days": 1827, "age_months": 60, "haz": -2.5},
        # HAZ cut-offs: stunted < -2, severely < -3
        "haz_-2.00": {"haz": -2.0},
        "haz_-1.99": {"haz": -1.99},
        "haz_-2.01": {"haz": -2.01},
        "haz_-3.00": {"haz": -3.0},
        "haz_-3.01": {"haz": -3.01},
        # WHO flag: an implausible HAZ is left out of n and of the stunted count
        "haz_flagged": {"haz": -6.01, "haz_flag": 1},
        "haz_missing": {"haz": None, "waz": None, "whz": None, "bmiz": None},
        # WHZ: wasted < -2, overweight > +2
        "whz_-2.00": {"whz": -2.0},
        "whz_-2.01": {"whz": -2.01},
        "whz_+2.00": {"whz": 2.0},
        "whz_+2.01": {"whz": 2.01},
        "whz_flagged": {"whz": 5.01, "whz_flag": 1},
        # WAZ: underweight < -2
        "waz_-2.00": {"waz": -2.0},
        "waz_-2.01": {"waz": -2.01},
        "waz_flagged": {"waz": -6.2, "waz_flag": 1},
    }
    rows = [
        measurement(child, OCT, _row=i, **values) for i, (child, values) in enumerate(sorted(cases.items()), start=1)
    ]
    rows.append(measurement("other_kec", OCT, kode_kec=OTHER_KEC, kode_desa=OTHER_DESA, posyandu_id="P9", haz=-2.5))
    rows.append(measurement("no_posyandu", OCT, posyandu_id=None, haz=-2.5))
    return build_models(eppgbm=rows)


def test_stunting_mart_age_window_and_cut_offs(boundaries):
    row = _stunting_row(boundaries, "kecamatan", KEC)
    # 19 children in KEC minus age_1827 = 18 measured; haz_missing and haz_flagged have no HAZ
    assert row["children_measured"] == 18
    assert row["n_haz"] == 16
    # stunted: age_0, age_1826, -2.01, -3.00, -3.01, no_posyandu; not -2.00, -1.99, flagged
    assert row["stunted"] == 6
    assert row["severely_stunted"] == 1  # only -3.01
    assert row["n_whz"] == 16
    assert row["wasted"] == 1  # -2.01, not -2.00
    assert row["overweight"] == 1  # +2.01, not +2.00
    assert row["n_waz"] == 16
    assert row["underweight"] == 1  # -2.01, not -2.00


def test_stunting_mart_levels_add_up_and_keep_a_child_without_posyandu(boundaries):
    kabupaten = _stunting_row(boundaries, "kabupaten", "64.02")
    assert (kabupaten["children_measured"], kabupaten["stunted"]) == (19, 7)
    assert _stunting_row(boundaries, "kecamatan", OTHER_KEC)["stunted"] == 1
    desa = _stunting_row(boundaries, "desa", DESA)
    assert (desa["children_measured"], desa["stunted"]) == (18, 6)
    posyandu = _stunting_row(boundaries, "posyandu", "P1")
    assert (posyandu["children_measured"], posyandu["stunted"]) == (17, 5)
    levels = fetch_dicts(boundaries, "select area_level, count(*) as n from mart_stunting_by_area_month group by 1")
    assert {r["area_level"]: r["n"] for r in levels} == {"kabupaten": 1, "kecamatan": 2, "desa": 2, "posyandu": 2}


def test_stunting_mart_interval_comes_from_the_design_based_engine():
    # 1 stunted of 4 in two posyandu (two clusters): p = 0.25 inside its interval; a posyandu
    # alone is one cluster and has no design-based interval
    rows = [
        measurement(c, OCT, haz=h, posyandu_id=p)
        for c, h, p in (("a", -2.5, "P1"), ("b", -1.0, "P1"), ("c", 0.0, "P2"), ("d", 1.0, "P2"))
    ]
    con = build_models(eppgbm=rows)
    row = _stunting_row(con, "kabupaten", "64.02")
    assert row["stunting_prevalence"] == 0.25
    assert 0 <= row["stunting_ci_low"] < 0.25 < row["stunting_ci_high"] <= 1
    engine = fetch_dicts(
        con,
        """
        select ci_low, ci_high from mart_nutrition_prevalence
        where area_level = 'kabupaten' and indicator = 'stunting' and group_type = 'all'
        """,
    )
    assert (row["stunting_ci_low"], row["stunting_ci_high"]) == (engine[0]["ci_low"], engine[0]["ci_high"])
    posyandu = _stunting_row(con, "posyandu", "P1")
    assert posyandu["stunting_prevalence"] == 0.5 and posyandu["stunting_ci_low"] is None


def test_data_quality_mart_position_and_flags_at_24_months(boundaries):
    rows = [
        measurement("lying_730", OCT, age_days=730, measure="L"),
        measurement("lying_731", OCT, age_days=731, measure="L"),
        measurement("standing_730", OCT, age_days=730, measure="H"),
        measurement("standing_731", OCT, age_days=731, measure="H"),
        measurement("no_position", OCT, measure=None),
        measurement("standing_8_months", OCT, age_days=250, measure="H", position_error=True),
        measurement("flagged", OCT, haz=6.01, haz_flag=1, whz=-5.01, whz_flag=1),
        measurement("too_old", OCT, age_days=1827, measure="L"),
    ]
    row = fetch_dicts(build_models(eppgbm=rows), "select * from mart_data_quality_by_kecamatan_month")[0]
    assert row["children"] == 7
    assert row["lying_from_24_months"] == 1  # lying_731 (too_old is outside 0-59 months)
    assert row["standing_under_24_months"] == 2  # standing_730 and standing_8_months
    assert row["standing_under_9_months"] == 1
    assert row["measure_missing"] == 1
    assert row["haz_flagged"] == 1
    assert row["whz_flagged"] == 1
    assert row["any_flagged"] == 1
    assert row["n_haz_plausible"] == 6


def test_data_quality_mart_spread_digits_and_export_differences():
    rows = [
        measurement("a", OCT, haz=-1.0, weight_kg=9.0, height_cm=75.5, export_haz=-1.05),
        measurement("b", OCT, haz=0.0, weight_kg=9.5, height_cm=76.0, export_haz=0.2),
        measurement("c", OCT, haz=1.0, weight_kg=10.0, height_cm=77.3, export_haz=None),
    ]
    row = fetch_dicts(build_models(eppgbm=rows), "select * from mart_data_quality_by_kecamatan_month")[0]
    assert row["sd_haz"] == pytest.approx(1.0)  # -1, 0, 1
    assert row["weight_digit_0"] == 2 and row["weight_digit_5"] == 1
    assert row["height_digit_5"] == 1 and row["height_digit_0"] == 1 and row["height_digit_3"] == 1
    assert row["n_export_haz"] == 2
    assert row["export_haz_differs"] == 1  # b differs by 0.2; a by 0.05


def test_data_quality_mart_inconsistent_child_records():
    rows = [
        measurement("same", date(2025, 9, 10), age_days=400),
        measurement("same", OCT, age_days=430),  # same birth date
        measurement("moved_birth", date(2025, 9, 10), age_days=400),
        measurement("moved_birth", OCT, age_days=500),
        measurement("changed_sex", date(2025, 9, 10), sex=1),
        measurement("changed_sex", OCT, sex=2, age_days=430),
    ]
    row = fetch_dicts(
        build_models(eppgbm=rows), "select * from mart_data_quality_by_kecamatan_month where month = $m", {"m": OCTOBER}
    )[0]
    assert row["children"] == 3
    assert row["inconsistent_birth_date"] == 1
    assert row["inconsistent_sex"] == 1
    assert row["inconsistent_child"] == 2
    assert (row["boys"], row["girls"]) == (2, 1)


# --- the measurement fact -----------------------------------------------------------------------


def test_measurement_fact_keeps_one_row_per_child_date_without_personal_columns():
    rows = [measurement("a", OCT, haz=-2.0), measurement("a", date(2025, 10, 20), haz=-2.01)]
    con = build_models(eppgbm=rows)
    facts = fetch_dicts(con, "select * from fct_measurement order by measured_on")
    assert [(f["measured_on"], f["haz"]) for f in facts] == [(OCT, -2.0), (date(2025, 10, 20), -2.01)]
    assert all(f["oedema"] is False for f in facts)
    assert not {"nik", "name", "nama", "mother_name", "address"} & set(facts[0])


# --- kader participation ------------------------------------------------------------------------


def _posyandu(posyandu_id: str, kode_desa: str = DESA) -> dict:
    return {
        "posyandu_id": posyandu_id,
        "posyandu_name": f"Posyandu {posyandu_id}",
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "legacy_type": "Balita",
        "registration_status": "teregistrasi",
        "kemendagri_reg_number": f"REG-{posyandu_id}",
    }


def _report(posyandu_id: str, month: date, registered: int | None, present: int | None, days_open: int = 1) -> dict:
    return {
        "posyandu_id": posyandu_id,
        "month": month,
        "days_open": days_open,
        "kader_registered": registered,
        "kader_present": present,
    }


def test_kader_mart_participation_per_posyandu_month():
    con = build_models(
        posyandu=[_posyandu("P1"), _posyandu("P2", OTHER_DESA)],
        monthly_report=[
            _report("P1", OCTOBER, 10, 7),
            _report("P1", NOVEMBER, 0, 0),  # no kader registered: no share, not 0 %
            _report("P2", OCTOBER, 15, 15),
        ],
    )
    rows = fetch_dicts(con, "select * from mart_kader_by_posyandu_month order by month, posyandu_id")
    assert [(r["posyandu_id"], r["month"], r["kode_kec"], r["participation"]) for r in rows] == [
        ("P1", OCTOBER, KEC, 0.7),
        ("P2", OCTOBER, OTHER_KEC, 1.0),
        ("P1", NOVEMBER, KEC, None),
    ]


def test_data_quality_mart_counts_each_terminal_digit_and_heaped_birth_day():
    # digit d of weight and height appears d + 1 times (55 children), so every count differs;
    # measured on 10 October: 9 days old = born on the 1st, 360 days = born 15 October 2024
    rows = []
    for digit in range(10):
        for copy in range(digit + 1):
            age = 9 if (digit, copy) == (0, 0) else 360 if digit == 1 else 400
            rows.append(
                measurement(f"d{digit}c{copy}", OCT, weight_kg=9 + digit / 10, height_cm=75 + digit / 10, age_days=age)
            )
    row = fetch_dicts(build_models(eppgbm=rows), "select * from mart_data_quality_by_kecamatan_month")[0]
    assert [row[f"weight_digit_{d}"] for d in range(10)] == list(range(1, 11))
    assert [row[f"height_digit_{d}"] for d in range(10)] == list(range(1, 11))
    assert (row["weight_recorded"], row["height_recorded"]) == (55, 55)
    assert (row["born_on_1st"], row["born_on_15th"]) == (1, 2)


def test_data_quality_mart_every_count_on_hand_made_children():
    """Seven children in October (each column's count differs from what a neighbouring
    operator, flag value or constant would give), one in November, two in another kecamatan.
    Export z-scores differ from ours by exactly 0.1 (A), 0.125 (B) and 0.0625 (C): only B
    differs by more than 0.1. Measured on 10 October, ages 9, 360, 8 and 26 days put the
    birth days on the 1st, 15th, 2nd and 14th."""

    def child(key, age, sex, haz, waz, whz, flags=(0, 0, 0), exports=(None, None, None), **values):
        flag = [None if z is None else f for z, f in zip((haz, waz, whz), flags, strict=True)]
        return measurement(
            key,
            OCT,
            age_days=age,
            sex=sex,
            haz=haz,
            waz=waz,
            whz=whz,
            haz_flag=flag[0],
            waz_flag=flag[1],
            whz_flag=flag[2],
            export_haz=exports[0],
            export_waz=exports[1],
            export_whz=exports[2],
            **values,
        )

    rows = [
        child("A", 9, 1, 0.0, 0.0, 0.0, exports=(0.1, 0.1, 0.1)),
        child("B", 360, 1, 0.5, 0.5, 0.5, exports=(0.625, 0.625, 0.625)),
        child("C", 8, 1, -1.0, -1.0, -1.0, exports=(-1.0625, -1.0625, -1.0625)),
        child("D", 26, 2, 6.1, 1.0, 5.1, flags=(1, 0, 1)),
        child("E", 26, 2, 2.0, -6.2, 1.5, flags=(0, 1, 0)),
        child("F", 400, None, None, None, None, weight_kg=None, height_cm=None),
        child("G", 8, None, -2.0, 2.0, None),
        measurement("N", date(2025, 11, 10), haz=1.0, whz=1.0),  # November: one child
        measurement("K1", OCT, kode_kec=OTHER_KEC, kode_desa=OTHER_DESA, haz=1.0, whz=2.0),
        measurement("K2", OCT, kode_kec=OTHER_KEC, kode_desa=OTHER_DESA, haz=-1.0, whz=0.0),
    ]
    con = build_models(eppgbm=rows)
    found = {
        (r["kode_kec"], r["month"]): r for r in fetch_dicts(con, "select * from mart_data_quality_by_kecamatan_month")
    }
    row = found[(KEC, OCTOBER)]
    expected = {
        "children": 7,
        "n_haz": 6,
        "haz_flagged": 1,
        "n_waz": 6,
        "waz_flagged": 1,
        "n_whz": 5,
        "whz_flagged": 1,
        "n_any_z": 6,
        "any_flagged": 2,
        "n_haz_plausible": 5,  # A B C E G
        "n_whz_plausible": 4,  # A B C E
        "n_waz_plausible": 5,  # A B C D G
        "weight_recorded": 6,
        "height_recorded": 6,
        "born_on_1st": 1,
        "born_on_15th": 1,
        "boys": 3,
        "girls": 2,
        "n_export_haz": 3,
        "export_haz_differs": 1,
        "n_export_waz": 3,
        "export_waz_differs": 1,
        "n_export_whz": 3,
        "export_whz_differs": 1,
    }
    assert {k: row[k] for k in expected} == expected
    assert (row["sum_haz"], row["sum_haz_sq"]) == (pytest.approx(-0.5), pytest.approx(9.25))
    assert (row["sum_whz"], row["sum_whz_sq"]) == (pytest.approx(1.0), pytest.approx(3.5))
    assert (row["sum_waz"], row["sum_waz_sq"]) == (pytest.approx(2.5), pytest.approx(6.25))
    # SD from n, sum and sum of squares: HAZ (9.25 - 0.25/5)/4 = 2.3; WHZ (3.5 - 1/4)/3 = 13/12
    assert row["sd_haz"] == pytest.approx(2.3**0.5)
    assert row["sd_whz"] == pytest.approx((13 / 12) ** 0.5)
    assert row["flagged_share"] == pytest.approx(2 / 6)
    # one plausible value has no SD; two do: (1 + 1 - 0)/1 = 2 for HAZ, (4 - 4/2)/1 = 2 for WHZ
    november = found[(KEC, NOVEMBER)]
    assert (november["n_haz_plausible"], november["sd_haz"], november["sd_whz"]) == (1, None, None)
    other = found[(OTHER_KEC, OCTOBER)]
    assert (other["sd_haz"], other["sd_whz"]) == (pytest.approx(2**0.5), pytest.approx(2**0.5))


def test_data_quality_mart_any_flag_counts_a_child_flagged_on_one_z_score_only():
    rows = [
        measurement("haz_only", OCT, haz=6.5, haz_flag=1),
        measurement("waz_only", OCT, waz=-6.5, waz_flag=1),
        measurement("whz_only", OCT, whz=5.5, whz_flag=1),
        measurement("clean", OCT),
    ]
    row = fetch_dicts(build_models(eppgbm=rows), "select * from mart_data_quality_by_kecamatan_month")[0]
    assert (row["haz_flagged"], row["waz_flagged"], row["whz_flagged"]) == (1, 1, 1)
    assert (row["any_flagged"], row["n_any_z"], row["flagged_share"]) == (3, 4, 0.75)
