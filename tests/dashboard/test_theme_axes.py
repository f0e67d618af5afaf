"""Axis ticks as a Bahasa reader expects them, drawn by plotly.js in a real browser."""

import re
import shutil
import subprocess
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard.theme import apply_theme

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium to draw the plot")
def test_large_axis_values_read_in_full_with_indonesian_separators(tmp_path):
    fig = go.Figure(go.Bar(x=["Tenggarong", "Loa Kulu", "Tabang"], y=[15_000, 2_500_000, 7_250]))
    fig.add_trace(go.Scatter(x=["Tenggarong", "Loa Kulu"], y=[0.5, 1.5], yaxis="y2"))
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right"})
    apply_theme(fig)
    page = tmp_path / "fig.html"
    fig.write_html(page, include_plotlyjs=True, full_html=True)
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    ).stdout
    ticks = re.findall(r'class="y2?tick"[^>]*>.*?<text[^>]*>([^<]*)</text>', dom)
    assert len(ticks) >= 4, dom[:500]
    assert not [t for t in ticks if re.search(r"[kMGµ]$", t)], ticks  # no SI suffixes
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in ticks), ticks  # 2.000.000
    assert any("," in t for t in ticks), ticks  # 0,5 on the right axis
