"""Prioritas page figure: the highest-priority areas, each bar split into the parts of its score."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.traces import top_down_axis
from dashboard.formatting import format_number
from dashboard.metrics.priority import Component
from dashboard.theme import OKABE_ITO, indicator_color

COMPONENT_COLORS = {
    "stunting": indicator_color("stunting"),
    "layanan_dasar": OKABE_ITO["reddish_purple"],
    "ds": indicator_color("ds_ratio"),
    "kader": indicator_color("kader_participation"),
    "legalitas": indicator_color("registered"),
}


def area_label(row: pd.Series, level: str) -> str:
    """ "Sebulu Ulu (Sebulu)" for a desa, the name alone for a kecamatan."""
    if level == "desa" and isinstance(row.get("nama_kec"), str):
        return f"{row['name']} ({row['nama_kec']})"
    return str(row["name"])


def plot_priority_ranking(
    ranked: pd.DataFrame, components: tuple[Component, ...], level: str, top: int = 15
) -> go.Figure:
    """Horizontal stacked bars of the ``top`` highest scores, highest on top."""
    shown = ranked.dropna(subset=["priority_score"]).head(top)
    labels = [area_label(row, level) for _, row in shown.iterrows()]
    fig = go.Figure()
    for component in components:
        parts = shown[f"{component.key}_contribution"].fillna(0)
        fig.add_bar(
            y=labels,
            x=parts,
            orientation="h",
            name=component.reason_label[:1].upper() + component.reason_label[1:],
            marker_color=COMPONENT_COLORS.get(component.key, OKABE_ITO["black"]),
            customdata=[format_number(v, 1) for v in parts],
            hovertemplate="%{y}<br>" + component.reason_label + ": %{customdata} poin<extra></extra>",
        )
    fig.add_scatter(
        y=labels,
        x=shown["priority_score"],
        mode="text",
        text=[format_number(v, 1) for v in shown["priority_score"]],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(
        barmode="stack",
        height=max(320, 90 + 28 * len(shown)),
        yaxis=top_down_axis(),
        xaxis={"title": "Skor prioritas (0–100)", "range": [0, 108]},
        legend={"traceorder": "normal"},
        margin={"t": 40},
    )
    return fig
