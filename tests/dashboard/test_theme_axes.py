"""Axis ticks as a Bahasa reader expects them: "15 rb", "2,5 jt" from 10.000 (theme.COMPACT_FROM),
Indonesian 1.234 and 0,5 below it; the rule itself, and the ticks plotly.js draws in a real browser."""

import re
import shutil
import subprocess
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard.theme import COMPACT_FROM, apply_theme, axis_tick_labels, nice_ticks

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium to draw the plot")
def test_large_axis_values_read_in_bahasa_units_small_ones_with_decimal_commas(tmp_path):
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
    assert not [t for t in ticks if re.search(r"\d[kMGµ]$", t)], ticks  # no SI suffixes
    assert not [t for t in ticks if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", t)], ticks  # not 2.000.000
    assert "2,5 jt" in ticks and "1 jt" in ticks, ticks
    assert any(re.fullmatch(r"\d,\d", t) for t in ticks), ", ".join(ticks)  # 0,5 on the right axis


def test_the_rule_one_unit_per_axis_from_ten_thousand():
    assert axis_tick_labels([0, 500_000, 1_000_000, 2_500_000]) == ["0", "0,5 jt", "1 jt", "2,5 jt"]
    assert axis_tick_labels([0, 5_000, 10_000, 15_000]) == ["0", "5 rb", "10 rb", "15 rb"]
    assert axis_tick_labels([0, 2_500, 5_000, 7_500]) == ["0", "2.500", "5.000", "7.500"]  # below 10.000: in full
    assert axis_tick_labels([0, 0.5, 1]) == ["0", "0,5", "1"]
    assert axis_tick_labels([2e9, 4e9]) == ["2 M", "4 M"]
    assert nice_ticks(0, 2_500_000) == [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]


def test_the_figure_layout_carries_bahasa_units_only_where_values_reach_ten_thousand():
    big = apply_theme(go.Figure(go.Bar(y=["Tenggarong", "Tabang"], x=[15_000, 42_000], orientation="h")))
    assert big.layout.xaxis.ticktext == ("0", "10 rb", "20 rb", "30 rb", "40 rb", "50 rb")
    assert big.layout.yaxis.ticktext is None  # categories
    small = apply_theme(go.Figure(go.Scatter(x=[1, 2, 3], y=[120, COMPACT_FROM - 1, 40])))
    assert small.layout.yaxis.ticktext is None  # plotly writes 2.000 itself
    percent = apply_theme(go.Figure(go.Scatter(x=[1, 2], y=[20_000, 30_000])).update_yaxes(ticksuffix=" kg"))
    assert percent.layout.yaxis.ticktext is None  # a chart's own suffix is kept
