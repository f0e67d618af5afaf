"""One stunting figure everywhere: Ringkasan, the nutrition page, Scorecard, Peta, Prioritas
and the rapat pack read the same marts (WHO's rounding and flags, design-based interval),
so the month's prevalence and interval never differ between two places."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.maps.indicators import indicator_values
from dashboard.queries.nutrition import query_nutrition_trend
from dashboard.queries.overview import query_routine_stunting
from dashboard.queries.priority import query_area_indicators
from dashboard.queries.scorecard import query_scorecard_rows
from dashboard.queries.stunting import query_area_prevalence, query_stunting_headline
from dashboard.rapat.changes import aggregate_areas


@pytest.fixture(scope="module")
def month(warehouse_path) -> date:
    import duckdb

    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return con.execute("select max(month) from mart_nutrition_prevalence").fetchone()[0]
    finally:
        con.close()


def test_kabupaten_headline_is_the_same_on_every_page(month):
    filters = Filters(month=month)
    ringkasan = query_routine_stunting(filters)
    stunting_page = query_stunting_headline(filters)
    trend = query_nutrition_trend(filters)
    nutrition = trend[(trend["month"] == pd.Timestamp(month)) & (trend["indicator"] == "stunting")].iloc[0]
    scorecard = query_scorecard_rows(filters, None)
    kabupaten_row = scorecard[scorecard["code"] == "64.02"].iloc[0]
    rapat = aggregate_areas(query_area_indicators(filters, "kecamatan"))

    prevalence = nutrition["prevalence"]
    assert ringkasan["stunting_prevalence"] == pytest.approx(prevalence, rel=1e-12)
    assert stunting_page["prevalence"] == pytest.approx(prevalence, rel=1e-12)
    assert kabupaten_row["stunting_pct"] == pytest.approx(100 * prevalence, rel=1e-12)
    assert rapat["stunting_pct"] == pytest.approx(100 * prevalence, rel=1e-12)
    # one interval: WHO's design-based one, wherever an interval is shown
    for low, high in (
        (ringkasan["stunting_ci_low"], ringkasan["stunting_ci_high"]),
        (stunting_page["ci_low"], stunting_page["ci_high"]),
    ):
        assert (low, high) == pytest.approx((nutrition["ci_low"], nutrition["ci_high"]), rel=1e-9)


def test_kecamatan_figures_agree_across_ranking_map_priority_and_scorecard(month):
    filters = Filters(month=month)
    ranking = query_area_prevalence(filters, "kecamatan").set_index("code")
    areas = query_area_indicators(filters, "kecamatan")
    priority = areas.set_index("code")
    mapped = indicator_values(areas, "stunting").set_index("code")
    scorecard = query_scorecard_rows(filters, None).set_index("code")
    measured = ranking[ranking["n_haz"] >= 30].index
    assert len(measured) > 0
    for code in measured:
        expected = 100 * ranking.loc[code, "prevalence"]
        assert priority.loc[code, "stunting_pct"] == pytest.approx(expected, rel=1e-12), code
        assert scorecard.loc[code, "stunting_pct"] == pytest.approx(expected, rel=1e-12), code
        assert mapped.loc[code, "value"] == pytest.approx(expected, rel=1e-12), code
        one = query_nutrition_trend(Filters(month=month, kode_kec=code))
        nutrition = one[(one["month"] == pd.Timestamp(month)) & (one["indicator"] == "stunting")].iloc[0]
        assert 100 * nutrition["prevalence"] == pytest.approx(expected, rel=1e-12), code
        assert ranking.loc[code, "ci_low"] == pytest.approx(nutrition["ci_low"], rel=1e-9, nan_ok=True), code
