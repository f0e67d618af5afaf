"""Stunting charts of an area without a design-based interval (every child in one posyandu):
the ranking's value label sits at its bar (plotly drew an annotation at x = NaN mid-axis) and
the trend's y range holds the point (it was drawn above the plot). Both were seen in the press
images and rapat slides."""

import pandas as pd
import pytest

from dashboard.charts.stunting import plot_area_ranking


def test_a_ranked_area_without_an_interval_has_its_label_at_the_bar():
    frame = pd.DataFrame(
        {
            "code": ["64.02.01", "64.02.02"],
            "name": ["Muara Wis", "Loa Kulu"],
            "prevalence": [0.302, 0.132],
            "ci_low": [float("nan"), 0.05],
            "ci_high": [float("nan"), 0.29],
            "stunted": [16, 19],
            "n_haz": [53, 144],
            "rank": [1.0, 2.0],
        }
    )
    fig = plot_area_ranking(frame)
    x_by_label = {a.y: a.x for a in fig.layout.annotations}
    assert x_by_label["1. Muara Wis"] == pytest.approx(30.2)
    assert x_by_label["2. Loa Kulu"] == pytest.approx(29.0)


def test_the_trend_keeps_a_month_without_an_interval_inside_the_plot():
    """A kecamatan's months with every child in one posyandu have no interval; their points were
    drawn above the y range (seen on the rapat pack's kecamatan slides)."""
    from dashboard.charts.stunting import plot_prevalence_trend

    trend = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-09-01", "2025-10-01"]),
            "prevalence": [0.444, 0.12],
            "ci_low": [float("nan"), 0.08],
            "ci_high": [float("nan"), 0.17],
            "stunted": [4, 12],
            "n_haz": [9, 100],
        }
    )
    fig = plot_prevalence_trend(trend, pd.DataFrame(columns=["source", "year", "value_pct"]))
    assert fig.layout.yaxis.range[1] >= 44.4


def test_a_survey_point_under_the_target_line_has_its_label_under_it():
    """SKI 2023 (17,6%) sits just under the 2025 target (18,8%): its label drawn above the point
    lay across the dashed line on the Gizi Balita page."""
    from dashboard.charts.stunting import plot_prevalence_trend, stunting_target

    trend = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-09-01", "2025-10-01"]),
            "prevalence": [0.15, 0.148],
            "ci_low": [0.14, 0.138],
            "ci_high": [0.16, 0.158],
            "stunted": [300, 296],
            "n_haz": [2000, 2000],
        }
    )
    surveys = pd.DataFrame({"source": ["SSGI 2022", "SKI 2023"], "year": [2022, 2023], "value_pct": [27.1, 17.6]})
    assert 17.6 < stunting_target(trend["month"]).value < 27.1  # the line lies between the two points
    (survey,) = [trace for trace in plot_prevalence_trend(trend, surveys).data if trace.mode == "markers+text"]
    assert list(survey.textposition) == ["top center", "bottom center"]
