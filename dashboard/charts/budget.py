"""Figures of the Anggaran Posyandu page: rupiah per child weighed by kecamatan or desa."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import format_number, format_rupiah
from dashboard.theme import indicator_color


def rupiah_ticks(top: float, count: int = 5) -> tuple[list[float], list[str]]:
    """Round tick values from 0 to about `top`, labelled "Rp 500 rb", "Rp 1 jt"."""
    if not top or top <= 0 or not math.isfinite(top):
        return [0.0], [format_rupiah(0)]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    values = [i * step for i in range(int(top // step) + 1)]
    return values, [format_rupiah(v) for v in values]


def plot_rupiah_per_child(frame: pd.DataFrame, label_column: str) -> go.Figure:
    """Horizontal bars of `rp_per_child_weighed`, highest on top; areas without children
    weighed are left out (no ratio)."""
    shown = frame.dropna(subset=["rp_per_child_weighed"]).sort_values("rp_per_child_weighed")
    labels = [
        f"{format_rupiah(v)} (D = {format_number(d)})"
        for v, d in zip(shown["rp_per_child_weighed"], shown["children_weighed"], strict=True)
    ]
    top = float(shown["rp_per_child_weighed"].max()) if len(shown) else 0.0
    tickvals, ticktext = rupiah_ticks(top)
    fig = go.Figure(
        go.Bar(
            x=shown["rp_per_child_weighed"],
            y=shown[label_column],
            orientation="h",
            marker_color=indicator_color("budget"),
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(360, 24 * len(shown) + 120),
        xaxis={"range": [0, top * 1.45 or 1], "tickvals": tickvals, "ticktext": ticktext},
        xaxis_title="Anggaran posyandu per balita ditimbang per tahun",
        yaxis_title=None,
        margin={"l": 10, "r": 40},
    )
    return fig


def describe_rupiah_per_child(frame: pd.DataFrame, label_column: str) -> str:
    shown = frame.dropna(subset=["rp_per_child_weighed"])
    if shown.empty:
        return "Belum ada wilayah dengan anggaran dan balita ditimbang"
    high = shown.sort_values("rp_per_child_weighed").iloc[-1]
    low = shown.sort_values("rp_per_child_weighed").iloc[0]
    if len(shown) == 1:
        return f"{high[label_column]}: {format_rupiah(high['rp_per_child_weighed'])} per balita ditimbang"
    return (
        f"Anggaran per balita ditimbang: {format_rupiah(high['rp_per_child_weighed'])} di {high[label_column]}, "
        f"{format_rupiah(low['rp_per_child_weighed'])} di {low[label_column]}"
    )
