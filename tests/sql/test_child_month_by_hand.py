"""fct_child_month keeps children 0–59 months (0 to 1.826 days) by itself, whatever the
validation before it let through; the edges are hand-made rows."""

from __future__ import annotations

from datetime import date

from tests.support.sql_models import build_models, fetch_dicts, measurement


def test_child_month_keeps_ages_0_to_1826_days_only():
    on = date(2025, 10, 12)
    con = build_models(
        eppgbm=[
            measurement("minus_one", on, age_days=-1, age_months=0),
            measurement("zero", on, age_days=0, age_months=0),
            measurement("last_day", on, age_days=1826, age_months=60),
            measurement("too_old", on, age_days=1827, age_months=60),
        ]
    )
    kept = fetch_dicts(con, "select child_key from fct_child_month order by age_days")
    assert [row["child_key"] for row in kept] == ["zero", "last_day"]
