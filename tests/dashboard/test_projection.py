"""Charts laid out for the back of a meeting room (dashboard.rapat.projection): value ticks that
do not crowd, long category labels wrapped, score labels left beside their bars, months that
fill the plot. The tick test measures what Chromium draws, not the figure's own bookkeeping."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.catalogue.legality import PIPELINE_STAGES
from dashboard.charts.transformation import plot_registration_pipeline
from dashboard.rapat.projection import Fit, fit_chart, short_label, wrap_label

CHROMIUM = Path("/usr/bin/chromium")
SLIDE_PIXELS_PER_PT = 3
FONT_PX = 16 * SLIDE_PIXELS_PER_PT


def _pipeline(short: bool) -> pd.DataFrame:
    counts = [847, 808, 808, 808, 801, 691, 547]
    return pd.DataFrame(
        {
            "stage": [key for key, _ in PIPELINE_STAGES],
            "stage_label": [short_label(label) if short else label for _, label in PIPELINE_STAGES],
            "posyandu": counts,
            "posyandu_total": 900,
            "share": [n / 900 for n in counts],
            "delta": [1, 1, 1, 1, 12, 24, 38],
        }
    )


def _slide_fit(width_in: float = 12.333, height_in: float = 4.5) -> Fit:
    scale = 72 * SLIDE_PIXELS_PER_PT
    return Fit(height=height_in * scale, font=FONT_PX, width=width_in * scale)


def _tick_labels(svg: bytes, axis: str) -> list[tuple[float, str]]:
    """(x position, text) of each drawn tick label of ``axis`` ("xtick"), left to right."""
    ticks = re.findall(
        rb'<g class="' + axis.encode() + rb'"><text[^>]*transform="translate\(([\d.]+),[\d.]+\)"[^>]*>([^<]*)</text>',
        svg,
    )
    return sorted((float(x), text.decode()) for x, text in ticks)


@pytest.mark.parametrize("short", [True, False], ids=["short-stage-names", "full-stage-names"])
def test_legality_value_ticks_leave_a_font_of_room_between_them(short):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: the tick positions are measured in what Chromium draws")
    from PIL import ImageFont

    from dashboard.export.kaleido_worker import _get_worker, find_browser
    from dashboard.rapat.slides import find_unicode_font

    figure = fit_chart(plot_registration_pipeline(_pipeline(short)), _slide_fit())
    svg = _get_worker(find_browser()).render(figure, "svg", int(figure.layout.width), int(figure.layout.height))
    ticks = _tick_labels(svg, "xtick")
    assert len(ticks) >= (4 if short else 2), ticks
    font = ImageFont.truetype(str(find_unicode_font()[0]), FONT_PX)  # Chromium draws Arial as DejaVu here
    gaps = [
        (right_x - font.getlength(right) / 2) - (left_x + font.getlength(left) / 2)
        for (left_x, left), (right_x, right) in zip(ticks, ticks[1:], strict=False)
    ]
    assert min(gaps) >= FONT_PX, (ticks, gaps)  # at least one font size of white space between labels


def test_long_category_labels_wrap_when_each_bar_has_room_for_two_lines():
    figure = fit_chart(plot_registration_pipeline(_pipeline(short=False)), _slide_fit(height_in=5.5))
    labels = list(figure.data[0].y)
    assert "Pengurus lengkap (ketua,<br>sekretaris, bendahara)" in labels
    assert all(len(line) <= 24 for label in labels for line in label.split("<br>"))
    crowded = fit_chart(plot_registration_pipeline(_pipeline(short=False)), _slide_fit(height_in=2.0))
    assert "<br>" not in "".join(crowded.data[0].y)  # no room: labels stay on one line


def test_wrap_label_breaks_at_spaces_only():
    assert wrap_label("Musyawarah desa") == "Musyawarah desa"
    assert wrap_label("Teregistrasi (ada nomor Kemendagri)") == "Teregistrasi (ada nomor<br>Kemendagri)"
    assert wrap_label("Supercalifragilisticexpialidocious x", 10) == "Supercalifragilisticexpialidocious<br>x"


def test_score_labels_of_a_bar_chart_stay_beside_their_bars():
    labels = ["Bila Talang (Tabang)", "Buluk Sen (Tabang)"]
    figure = go.Figure([go.Bar(y=labels, x=[70, 60], orientation="h")])
    figure.add_scatter(y=labels, x=[72.2, 70.6], mode="text", text=["72,2", "70,6"], textposition="middle right")
    fitted = fit_chart(figure, _slide_fit())
    assert fitted.data[1].textposition == "middle right"
    assert list(fitted.data[1].text) == ["72,2", "70,6"]


def test_months_fill_the_plot_when_no_point_carries_a_label():
    months = [dt.date(2023, 11, 1) + pd.DateOffset(months=i) for i in range(24)]
    figure = go.Figure(go.Scatter(x=[m.date() for m in months], y=[30 - i * 0.3 for i in range(24)]))
    figure.update_xaxes(range=[months[0] - pd.Timedelta(days=150), months[-1] + pd.Timedelta(days=60)])
    fitted = fit_chart(figure, _slide_fit())
    low, high = (pd.Timestamp(v) for v in fitted.layout.xaxis.range)
    assert (months[0] - low).days <= 31
    assert (high - months[-1]).days <= 31


def _trend_with_target(values: list[float]) -> go.Figure:
    months = [(pd.Timestamp("2023-11-01") + pd.DateOffset(months=i)).date() for i in range(len(values))]
    figure = go.Figure(go.Scatter(x=months, y=values, mode="lines+markers", name="Data rutin e-PPGBM"))
    figure.add_hline(y=18.8, line={"color": "#555555", "dash": "dash"}, annotation={"text": "Target 2025: 18,8%"})
    figure.update_yaxes(range=[0, 30])
    return figure


def test_a_target_label_goes_in_a_free_corner_of_the_plot():
    fitted = fit_chart(_trend_with_target([28 - i * 0.2 for i in range(24)]), _slide_fit(7.7))
    (label,) = fitted.layout.annotations
    assert label.visible is not False and label.text == "Target 2025: 18,8%"
    assert (label.xanchor, label.yanchor) in {
        ("left", "bottom"),
        ("left", "top"),
        ("right", "bottom"),
        ("right", "top"),
    }
    assert "Target 2025: 18,8%" not in [trace.name for trace in fitted.data]


def test_a_target_label_with_data_in_every_corner_moves_to_the_legend():
    # the line crosses the target: points just above and just below it at both ends
    values = [19.5, 18.2, 19.4, 18.3] + [18.8 + (0.6 if i % 2 else -0.6) for i in range(16)] + [19.4, 18.2, 19.5, 18.1]
    fitted = fit_chart(_trend_with_target(values), _slide_fit(7.7))
    (label,) = fitted.layout.annotations
    assert label.visible is False
    legend = [trace for trace in fitted.data if trace.name == "Target 2025: 18,8%"]
    assert len(legend) == 1 and legend[0].line.dash == "dash" and legend[0].showlegend


def _survey_trend_on_screen(width_px: int) -> go.Figure:
    """The Presentasi headline's stunting chart (SSGI 2021, 2022, SKI 2023, SSGI 2024 and 24
    routine months) laid out as the 1280×720 screen draws it, ``width_px`` wide."""
    from dashboard.charts.stunting import plot_prevalence_trend
    from dashboard.rapat.projection import fit_for_screen

    months = pd.date_range("2023-11-01", periods=24, freq="MS")
    prevalence = [0.25 - i * 0.004 for i in range(24)]
    trend = pd.DataFrame(
        {
            "month": months,
            "prevalence": prevalence,
            "ci_low": [p - 0.01 for p in prevalence],
            "ci_high": [p + 0.01 for p in prevalence],
            "stunted": 300,
            "n_haz": 2000,
        }
    )
    surveys = pd.DataFrame(
        {"source": ["SSGI 2021", "SSGI 2022", "SKI 2023", "SSGI 2024"], "year": [2021, 2022, 2023, 2024]}
    ).assign(value_pct=[26.4, 27.1, 17.6, 14.2])
    figure = fit_for_screen(plot_prevalence_trend(trend, surveys))
    figure.update_layout(width=width_px, autosize=False)
    return figure


def _drawn_text_boxes(svg: bytes, font_px: float) -> dict[str, tuple[float, float]]:
    """(left, right) in px of each point label's first line, from Chromium's SVG and the font's
    metrics (relative to the plot: the labels share one parent group)."""
    from PIL import ImageFont

    from dashboard.rapat.slides import find_unicode_font

    font = ImageFont.truetype(str(find_unicode_font()[0]), int(font_px))
    boxes = {}
    for group, x, anchor, text in re.findall(
        rb'<g class="textpoint" transform="translate\(([\d.-]+),[\d.-]+\)"><text x="([\d.-]+)"[^>]*text-anchor="(\w+)"[^>]*>'
        rb"(?:<tspan[^>]*>)?([^<]*)",
        svg,
    ):
        left = float(group) + float(x)
        width = font.getlength(text.decode())
        left -= {b"start": 0, b"middle": width / 2, b"end": width}[anchor]
        boxes[text.decode()] = (left, left + width)
    return boxes


def test_yearly_survey_labels_leave_room_between_them_on_a_1280_projector():
    """At 1280×720 the screen's chart is about 700 px wide: "SSGI 2021" and "SSGI 2022", a year
    apart and both above the target line, were drawn centred over their points and nearly touched."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: the label positions are measured in what Chromium draws")
    from dashboard.export.kaleido_worker import _get_worker, find_browser

    figure = _survey_trend_on_screen(700)
    svg = _get_worker(find_browser()).render(figure, "svg", 700, int(figure.layout.height))
    boxes = _drawn_text_boxes(svg, figure.data[-1].textfont.size)
    assert {"SSGI 2021", "SSGI 2022"} <= set(boxes), boxes
    gap = boxes["SSGI 2022"][0] - boxes["SSGI 2021"][1]
    assert gap >= figure.data[-1].textfont.size, (boxes, gap)  # at least a font size of white space
