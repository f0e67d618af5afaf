"""A kecamatan × month heatmap exported for a 1080-px press square keeps its month ticks level
(plotly turned them on their side when the columns were narrow); the month names stay Bahasa."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard.charts.kader import plot_participation_heatmap
from dashboard.export.images import figure_to_svg
from dashboard.export.kaleido_worker import find_browser
from dashboard.export.press import ChartMeta

pytestmark = pytest.mark.skipif(find_browser() is None, reason="no Chromium, Chrome or Edge binary on this machine")


def _by_area() -> pd.DataFrame:
    months = pd.date_range("2024-11-01", "2025-10-01", freq="MS")
    areas = ["Kota Bangun", "Tenggarong Seberang", "Muara Wis"] * 6  # 18 rows, as a kabupaten has about 20
    return pd.DataFrame(
        [
            {
                "area_name": f"{area} {i}",
                "month": month,
                "participation": 0.8 + 0.01 * (i % 10),
                "kader_present": 80,
                "kader_registered": 100,
                "posyandu_reporting": 10,
            }
            for i, area in enumerate(areas)
            for month in months
        ]
    )


@pytest.mark.parametrize("preset", ["1080x1080", "1080x1350", "1920x1080"])
def test_heatmap_month_ticks_stay_level_in_every_press_size(preset):
    meta = ChartMeta("Partisipasi kader", f"12 bulan sampai {dt.date(2025, 10, 1):%Y-%m}", "Sumber: uji", "n = 1")
    svg = figure_to_svg(plot_participation_heatmap(_by_area()), meta, preset).bytes.decode("utf-8")
    ticks = re.findall(r'<g class="xtick">(.*?)</g>', svg)
    assert len(ticks) == 12, ticks[:3]
    assert not [t for t in ticks if "rotate(" in t], f"rotated month ticks at {preset}"
    labels = " ".join(re.sub(r"<[^>]+>", " ", t) for t in ticks)
    assert "Okt" in labels and "Des" in labels and "Oct" not in labels
