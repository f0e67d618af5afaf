"""dashboard/charts/stunting.build_area_table: an area without an interval (too few children)
reads one "–", not "–––" (a missing low, the dash between, a missing high)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.charts.stunting import build_area_table


def test_a_missing_interval_is_one_dash():
    frame = pd.DataFrame(
        {
            "n_haz": [10, 40],
            "rank": [np.nan, 1],
            "rank_label": ["–", "1"],
            "name": ["Mawar", "Melati"],
            "stunted": [1, 5],
            "prevalence": [0.1, 0.125],
            "ci_low": [np.nan, 0.05],
            "ci_high": [np.nan, 0.2],
        }
    )
    table = build_area_table(frame, "Posyandu")
    assert table.set_index("Posyandu")["IK 95%"].to_dict() == {"Melati": "5,0%–20,0%", "Mawar": "–"}
