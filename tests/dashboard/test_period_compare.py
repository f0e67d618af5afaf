"""compare_periods (pure) and default_periods: values, shown change, n notes from the catalogue, and
the stunting verdict on design-based intervals, the same as the rapat wording."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.catalogue.indicators import INDICATORS
from dashboard.metrics.prevalence import wilson_interval
from dashboard.rapat.changes import CI_HIGH, CI_LOW, NOT_SIGNIFICANT, STUNTING_MIN_N, compute_changes
from dashboard.rapat.period_compare import COMPARED, change_of, compare_periods, with_shares
from dashboard.ui.period_compare import default_periods
from etl.transform.prevalence import build_design, estimate_domains

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


def _stunting_row(frame):
    """The stunting row with its code, as the page iterates the frame."""
    return frame[frame["code"] == "stunting"].iloc[0]


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


def _clustered_children(stunted_per_posyandu: list[int], children_per_posyandu: int = 100) -> tuple:
    """Children of posyandu (clusters) with the given numbers stunted: 1/0 per child, posyandu code."""
    values = np.concatenate([np.r_[np.ones(k), np.zeros(children_per_posyandu - k)] for k in stunted_per_posyandu])
    cluster = np.repeat(np.arange(len(stunted_per_posyandu)), children_per_posyandu)
    return values, cluster


def _design_interval(stunted_per_posyandu: list[int]) -> tuple[float, float]:
    """The engine's design-based 95% interval (percent) of stunting, posyandu as clusters."""
    values, cluster = _clustered_children(stunted_per_posyandu)
    design = build_design(values.shape[0], cluster=cluster)
    estimate = estimate_domains(values, np.zeros(values.shape[0], dtype=np.intp), 1, design)
    return float(estimate.ci_low[0]) * 100, float(estimate.ci_high[0]) * 100


def _area_with_interval(stunted_per_posyandu: list[int]) -> pd.Series:
    children = 100 * len(stunted_per_posyandu)
    row = _area(children, sum(stunted_per_posyandu))
    row[CI_LOW], row[CI_HIGH] = _design_interval(stunted_per_posyandu)
    return row


# 100 posyandu of 100 children each; stunting clusters by posyandu (5% in some, 25% in others).
OCT_POSYANDU = [5] * 50 + [24] * 50  # 1.450 of 10.000: 14,5%
SEP_POSYANDU = [6] * 50 + [26] * 45 + [27] * 5  # 1.605 of 10.000: 16,05%


def test_design_based_intervals_decide_where_wilson_would_call_a_change():
    now, before = _area_with_interval(OCT_POSYANDU), _area_with_interval(SEP_POSYANDU)
    assert (now["stunted"], before["stunted"]) == (1450, 1605)
    # Wilson on the counts, as if the children were a simple random sample: the intervals are apart.
    low, high = wilson_interval([1450, 1605], [10_000, 10_000])
    assert high[0] * 100 < low[1] * 100
    # Clustered by posyandu, the design-based intervals are wider and overlap.
    assert now[CI_HIGH] > before[CI_LOW]
    stunting = _row(compare_periods(now, before, OCT, SEP), "stunting")
    assert stunting["significant"] == False  # noqa: E712 - may be a numpy bool
    assert stunting["direction"] == "turun"


def test_comparison_and_rapat_wording_agree():
    now, before = _area_with_interval(OCT_POSYANDU), _area_with_interval(SEP_POSYANDU)
    frame = compare_periods(now, before, OCT, SEP)
    rapat = compute_changes(now, before, OCT, SEP)[0]
    compared = change_of(_stunting_row(frame), OCT, SEP)
    assert compared.significant == rapat.significant == False  # noqa: E712
    assert compared.bullet() == rapat.bullet() == f"Stunting turun 1,6 poin menjadi 14,5% ({NOT_SIGNIFICANT})"
    # Far apart (5% against 25% everywhere), both call it a change.
    far_now, far_before = _area_with_interval([5] * 100), _area_with_interval([25] * 100)
    far = _row(compare_periods(far_now, far_before, OCT, SEP), "stunting")
    assert far["significant"] == True  # noqa: E712
    assert compute_changes(far_now, far_before, OCT, SEP)[0].significant is True


def test_below_the_minimum_n_stunting_is_not_judged_as_in_the_rapat():
    minimum = STUNTING_MIN_N
    now = _area(minimum - 1, 3)
    now[CI_LOW], now[CI_HIGH] = 1.0, 12.0
    before = _area_with_interval([20] * 10)
    row = _stunting_row(compare_periods(now, before, OCT, SEP))
    assert row["significant"] is None and row["min_n_missed"] == minimum
    text = change_of(row, OCT, SEP).bullet()
    assert text == compute_changes(now, before, OCT, SEP)[0].bullet()
    assert f"(balita diukur Oktober 2025 kurang dari {minimum}, belum dapat dinilai)" in text


def test_the_short_month_is_named_not_the_well_measured_one():
    # Marang Kayu's case: 123 children this month, too few the month before.
    minimum = STUNTING_MIN_N
    now = _area_with_interval([20] * 123)
    before = _area(minimum - 1, 3)
    before[CI_LOW], before[CI_HIGH] = 1.0, 12.0
    row = _stunting_row(compare_periods(now, before, OCT, SEP))
    text = change_of(row, OCT, SEP).bullet()
    assert text == compute_changes(now, before, OCT, SEP)[0].bullet()
    assert text.endswith(f"(balita diukur September 2025 kurang dari {minimum}, belum dapat dinilai)"), text
    both = _stunting_row(compare_periods(_area(minimum - 1, 6), before, OCT, SEP))
    assert (
        change_of(both, OCT, SEP)
        .bullet()
        .endswith(f"(balita diukur kurang dari {minimum} di kedua bulan, belum dapat dinilai)")
    )


def test_without_a_design_based_interval_stunting_is_not_tested():
    # Counts alone (no interval) never fall back to a Wilson verdict.
    frame = compare_periods(_area(40_000, 5_600), _area(40_000, 6_400), OCT, SEP)
    assert _row(frame, "stunting")["significant"] is None


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


def test_on_the_warehouse_the_comparison_says_what_the_rapat_says(warehouse, warehouse_path):
    from dashboard.filters import Filters
    from dashboard.queries.nutrition import WHOLE_AREA, query_stunting_intervals
    from dashboard.rapat.period_compare import load_period_comparison
    from dashboard.rapat.screens import build_rapat_screens

    months = [
        m for (m,) in warehouse.execute("select distinct month from mart_area_indicators_month order by 1").fetchall()
    ]
    filters = Filters(month=months[-1])
    stunting = _stunting_row(load_period_comparison(filters, months[-1], months[-2]))
    headline = build_rapat_screens(filters, months[-2])[0].change("stunting")
    assert stunting["significant"] == headline.significant
    assert change_of(stunting, months[-1], months[-2]).bullet() == headline.bullet()
    # and the verdict is the overlap of the Gizi Balita page's design-based intervals
    intervals = [
        query_stunting_intervals(Filters(month=m)).set_index("code").loc[WHOLE_AREA] for m in (months[-1], months[-2])
    ]
    apart = intervals[0]["ci_low"] > intervals[1]["ci_high"] or intervals[0]["ci_high"] < intervals[1]["ci_low"]
    assert stunting["significant"] == apart
