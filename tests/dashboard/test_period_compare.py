"""compare_periods (pure) and default_periods: values, shown change, n notes from the catalogue."""

from datetime import date

import pandas as pd
import pytest

from dashboard.catalogue.indicators import INDICATORS
from dashboard.rapat.period_compare import COMPARED, compare_periods, with_shares
from dashboard.ui.period_compare import default_periods

OCT, SEP = date(2025, 10, 1), date(2025, 9, 1)


def _area(
    children, stunted, kader_registered=100, kader_present=90, s_total=200, d_total=160, posyandu=10, registered=6
):
    row = pd.Series(
        {
            "children": children,
            "stunted": stunted,
            "kader_registered": kader_registered,
            "kader_present": kader_present,
            "s_total": s_total,
            "d_total": d_total,
            "posyandu": posyandu,
            "registered": registered,
            "full_legality": registered,
            "valid_sk": registered + 2,
        }
    )
    row["stunting_pct"] = 100 * stunted / children if children else float("nan")
    row["kader_pct"] = 100 * kader_present / kader_registered if kader_registered else float("nan")
    row["ds_pct"] = 100 * d_total / s_total if s_total else float("nan")
    return with_shares(row)


def _row(frame, code):
    return frame.set_index("code").loc[code]


def test_change_is_the_difference_of_the_shown_values():
    # 14,94% is shown 14,9% and 16,05% is shown 16,1%: the change reads -1,2, not the -1,11 unrounded.
    now = _area(10_000, 1494)
    before = _area(10_000, 1605)
    frame = compare_periods(now, before, OCT, SEP)
    stunting = _row(frame, "stunting")
    assert stunting["current"] == pytest.approx(14.94)
    assert stunting["previous"] == pytest.approx(16.05)
    assert stunting["delta"] == pytest.approx(-1.2)
    assert stunting["direction"] == "turun"
    assert stunting["improved"] == True  # noqa: E712 - may be a numpy bool
    assert stunting["n_current"] == 10_000 and stunting["count_previous"] == 1605
    kader = _row(frame, "kader_participation")
    assert kader["delta"] == 0 and kader["direction"] == "tetap"


def test_every_catalogue_indicator_once_with_its_name():
    frame = compare_periods(_area(100, 10), _area(100, 12), OCT, SEP)
    assert list(frame["code"]) == [spec.code for spec in COMPARED]
    assert list(frame["name"]) == [INDICATORS[spec.code].name for spec in COMPARED]
    ds = _row(frame, "ds_ratio")
    assert ds["current"] == pytest.approx(80.0) and ds["higher_is_better"]
    # Legalitas as on the Scorecard: a valid SK, not the registration again
    assert _row(frame, "registered")["current"] == pytest.approx(60.0)
    assert _row(frame, "legal_sk")["current"] == pytest.approx(80.0)


def test_small_n_is_noted_with_the_catalogue_minimum():
    minimum = INDICATORS["stunting"].min_n("banding")
    frame = compare_periods(_area(minimum - 1, 3), _area(500, 60), OCT, SEP)
    note = _row(frame, "stunting")["note"]
    assert f"n kecil Oktober 2025: {minimum - 1} balita diukur (minimal {minimum}" in note
    assert "September 2025" not in note
    assert _row(frame, "ds_ratio")["note"] == ""  # no comparison minimum in the catalogue for D/S


def test_a_period_without_data_has_no_value_and_says_so():
    frame = compare_periods(_area(100, 10), None, OCT, SEP)
    stunting = _row(frame, "stunting")
    assert stunting["current"] == pytest.approx(10.0)
    assert pd.isna(stunting["previous"]) and pd.isna(stunting["delta"]) and pd.isna(stunting["direction"])
    assert stunting["note"] == "tidak ada data September 2025"
    no_kader = compare_periods(_area(100, 10, kader_registered=0, kader_present=0), _area(100, 10), OCT, SEP)
    assert pd.isna(_row(no_kader, "kader_participation")["current"])  # no n: no value, never 0%


def test_stunting_change_within_overlapping_intervals_is_not_significant():
    small = compare_periods(_area(60, 9), _area(60, 12), OCT, SEP)
    assert _row(small, "stunting")["significant"] == False  # noqa: E712
    large = compare_periods(_area(40_000, 5_600), _area(40_000, 6_400), OCT, SEP)
    assert _row(large, "stunting")["significant"] == True  # noqa: E712


def test_default_periods_latest_against_the_month_before_it():
    months = [date(2025, 8, 1), date(2025, 10, 1), date(2025, 7, 1)]  # September missing
    pair = default_periods(months)
    assert (pair.current, pair.previous) == (OCT, date(2025, 8, 1))
    chosen = default_periods(months, date(2025, 8, 1))
    assert (chosen.current, chosen.previous) == (date(2025, 8, 1), date(2025, 7, 1))
    assert default_periods(months, date(2025, 7, 1)).previous == date(2025, 7, 1)
    assert default_periods([]) is None
    assert pair.label == "Oktober 2025 dibanding Agustus 2025"


def test_values_stay_inside_the_users_scope(warehouse, warehouse_path):
    from dashboard.filters import Filters
    from dashboard.rapat.period_compare import load_period_values

    month = warehouse.execute("select max(month) from mart_area_indicators_month").fetchone()[0]
    scope, other = "64.02.06", "64.02.01"
    children = dict(
        warehouse.execute(
            "select area_code, children from mart_area_indicators_month where area_level = 'kecamatan' and month = $m",
            {"m": month},
        ).fetchall()
    )
    scoped = load_period_values(Filters(month=month, scope_kec=(scope,)))
    assert scoped["children"] == children[scope]
    assert load_period_values(Filters(month=month, kode_kec=other, scope_kec=(scope,))) is None  # tampered
    chosen = load_period_values(Filters(month=month, kode_kec=other))
    assert chosen["children"] == children[other]
    assert load_period_values(Filters(month=month))["children"] == sum(children.values())
