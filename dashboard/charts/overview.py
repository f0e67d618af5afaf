"""Ringkasan's small stunting trend: the last months as a line, the sourced target as a dashed line."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.targets import Reference
from dashboard.formatting import PLOTLY_SEPARATORS, format_month, format_number, format_percent, month_name
from dashboard.theme import MUTED_TEXT_COLOR, TARGET_COLOR, ThemeMode, indicator_color

SPARKLINE_HEIGHT = 100
# On the projector the line is read from across the room: taller, with the large type of the
# presentation theme (22 px against 14; tests/test_browser_presentation.py measures it).
_SIZES: dict[str, dict[str, float]] = {
    "standard": {
        "height": SPARKLINE_HEIGHT,
        "label": 12,
        "tick": 11,
        "line": 2.5,
        "marker": 8,
        "bottom": 22,
        "side": 4,
    },
    # the first month's tick ("Nov 2024") is centred on the line's start: room for half of it
    "presentation": {"height": 190, "label": 22, "tick": 20, "line": 4.5, "marker": 14, "bottom": 36, "side": 48},
}


def plot_stunting_sparkline(months: pd.DataFrame, target: Reference | None, mode: ThemeMode = "standard") -> go.Figure:
    """``months``: query_stunting_months (month, n_haz, stunted, prevalence_pct); ``mode``
    "presentation" draws it taller with projector-sized text.

    No grid, no y axis: the first and last month are the only ticks, the last value and the
    target are written on the chart, so it reads at 100 px high.
    """
    size = _SIZES[mode]
    shown = months[months["n_haz"].fillna(0) > 0]
    x = [pd.Timestamp(m).date() for m in shown["month"]]
    y = shown["prevalence_pct"].astype(float).tolist()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            line={"color": indicator_color("stunting"), "width": size["line"]},
            marker={"size": [0] * (len(x) - 1) + [size["marker"]] if x else []},
            hovertext=[
                f"{format_month(m)}: {format_percent(v)} ({format_number(k)} dari {format_number(n)} balita)"
                for m, v, k, n in zip(x, y, shown["stunted"], shown["n_haz"], strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )
    values = list(y)
    if target is not None:
        values.append(target.value)
        fig.add_hline(
            y=target.value,
            line={"color": TARGET_COLOR, "dash": "dash", "width": 1.5},
            annotation={
                "text": f"{target.short_label().split(' (')[0]}",
                "font": {"color": TARGET_COLOR, "size": size["label"]},
                "xanchor": "right",
                "yanchor": "bottom",
            },
            # at the right end: recent months, the ones nearest the target, rarely cross the label there
            annotation_position="top right",
        )
    if x:
        fig.add_annotation(
            x=x[-1],
            y=y[-1],
            text=format_percent(y[-1]),
            showarrow=False,
            xanchor="right",
            yanchor="top",
            yshift=-6,
            font={"color": indicator_color("stunting"), "size": size["label"]},
        )
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = max((high - low) * 0.25, 0.5)
    ticks = [x[0], x[-1]] if len(x) > 1 else x
    fig.update_layout(
        height=size["height"],
        margin={"l": size["side"], "r": size["side"], "t": 4, "b": size["bottom"]},
        separators=PLOTLY_SEPARATORS,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        xaxis={
            "showgrid": False,
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [f"{month_name(t.month, abbreviated=True)} {t.year}" for t in ticks],
            "tickfont": {"size": size["tick"], "color": MUTED_TEXT_COLOR},
            "fixedrange": True,
        },
        yaxis={"visible": False, "range": [low - pad, high + pad], "fixedrange": True},
    )
    return fig
