"""Ringkasan's small stunting trend: the last months as a line, the sourced target as a dashed line."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.targets import Reference
from dashboard.formatting import PLOTLY_SEPARATORS, format_month, format_number, format_percent, month_name
from dashboard.theme import MUTED_TEXT_COLOR, TARGET_COLOR, indicator_color

SPARKLINE_HEIGHT = 100


def plot_stunting_sparkline(months: pd.DataFrame, target: Reference | None) -> go.Figure:
    """``months``: query_stunting_months (month, n_haz, stunted, prevalence_pct).

    No grid, no y axis: the first and last month are the only ticks, the last value and the
    target are written on the chart, so it reads at 100 px high.
    """
    shown = months[months["n_haz"].fillna(0) > 0]
    x = [pd.Timestamp(m).date() for m in shown["month"]]
    y = shown["prevalence_pct"].astype(float).tolist()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            line={"color": indicator_color("stunting"), "width": 2.5},
            marker={"size": [0] * (len(x) - 1) + [8] if x else []},
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
                "font": {"color": TARGET_COLOR, "size": 12},
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
            font={"color": indicator_color("stunting"), "size": 12},
        )
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = max((high - low) * 0.25, 0.5)
    ticks = [x[0], x[-1]] if len(x) > 1 else x
    fig.update_layout(
        height=SPARKLINE_HEIGHT,
        margin={"l": 4, "r": 4, "t": 4, "b": 22},
        separators=PLOTLY_SEPARATORS,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        xaxis={
            "showgrid": False,
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [f"{month_name(t.month, abbreviated=True)} {t.year}" for t in ticks],
            "tickfont": {"size": 11, "color": MUTED_TEXT_COLOR},
            "fixedrange": True,
        },
        yaxis={"visible": False, "range": [low - pad, high + pad], "fixedrange": True},
    )
    return fig
