"""Value labels of the stunting ranking sit right of the interval, or of the bar when the area has
no interval: an annotation at x = NaN is drawn by plotly mid-axis, far from its bar (seen in the
press images of the walk over every export)."""

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
