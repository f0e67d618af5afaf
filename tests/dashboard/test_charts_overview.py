"""Ringkasan's stunting sparkline: the months with data, the sourced target, Bahasa ticks and the last value."""

from datetime import date

import pandas as pd

from dashboard.catalogue.targets import target_for
from dashboard.charts.overview import plot_stunting_sparkline


def _months() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [date(2024, 11, 1), date(2024, 12, 1), date(2025, 9, 1), date(2025, 10, 1)],
            "n_haz": [200, 0, 210, 220],
            "stunted": [40, 0, 35, 33],
            "prevalence_pct": [20.0, float("nan"), 35 / 210 * 100, 15.0],
        }
    )


def test_line_target_ticks_and_last_value():
    target = target_for("stunting", 2025)
    fig = plot_stunting_sparkline(_months(), target)
    line = fig.data[0]
    assert list(line.x) == [date(2024, 11, 1), date(2025, 9, 1), date(2025, 10, 1)]  # no month without children
    assert list(line.y)[-1] == 15.0
    assert "Oktober 2025: 15,0% (33 dari 220 balita)" in line.hovertext
    shapes = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(shapes) == 1 and shapes[0].y0 == target.value
    texts = [a.text for a in fig.layout.annotations]
    assert "15,0%" in texts
    assert f"Target 2025: {target.value_text()}" in texts
    assert list(fig.layout.xaxis.ticktext) == ["Nov 2024", "Okt 2025"]
    low, high = fig.layout.yaxis.range
    assert low < 15.0 and high > target.value  # the target line stays inside the chart


def test_without_a_target_or_data():
    fig = plot_stunting_sparkline(_months(), None)
    assert not [s for s in fig.layout.shapes if s.type == "line"]
    empty = plot_stunting_sparkline(_months().iloc[0:0], None)
    assert list(empty.data[0].x) == []
