"""mart_data_quality_by_kecamatan_month counts a wrong measuring position by the position
itself: lying from 24 months (731 days), standing under 24 months; the other position at the
same ages is right and not counted. The numbers on each side differ, so no swap adds up."""

from __future__ import annotations

from datetime import date

from tests.support.sql_models import build_models, fetch_dicts, measurement

ON = date(2025, 10, 10)


def test_data_quality_position_counts_only_the_wrong_position_on_each_side_of_24_months():
    ages_and_positions = [
        (731, "L"),  # lying at 24 months: wrong
        (731, "H"),
        (900, "H"),
        (1500, "H"),
        (730, "H"),  # standing under 24 months: wrong
        (400, "H"),  # wrong
        (730, "L"),
        (400, "L"),
        (200, "L"),
        (30, "L"),
    ]
    rows = [
        measurement(f"child_{i}", ON, age_days=age, measure=position)
        for i, (age, position) in enumerate(ages_and_positions)
    ]
    (row,) = fetch_dicts(build_models(eppgbm=rows), "select * from mart_data_quality_by_kecamatan_month")
    assert row["children"] == 10
    assert row["lying_from_24_months"] == 1  # of 4 measured from 731 days, 3 standing
    assert row["standing_under_24_months"] == 2  # of 6 measured under 731 days, 4 lying
