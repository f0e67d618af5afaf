"""Figures of the Puskesmas page: stunting per puskesmas, active kader per SPM field."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.indicators import indicator
from dashboard.formatting import format_number, format_percent
from dashboard.theme import SPM_SHORT_LABELS, indicator_color

MIN_CHILDREN_SHOWN = indicator("stunting").min_n("peringkat")  # the bars rank puskesmas: the catalogue's minimum


def plot_stunting_by_puskesmas(frame: pd.DataFrame) -> go.Figure:
    """Horizontal bars, highest stunting on top; puskesmas under the ranking minimum n left out."""
    shown = frame[frame["children"] >= MIN_CHILDREN_SHOWN].sort_values("stunting_pct")
    labels = [
        f"{format_percent(v)} (n = {format_number(n)})"
        for v, n in zip(shown["stunting_pct"], shown["children"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=shown["stunting_pct"],
            y=shown["puskesmas"].str.removeprefix("Puskesmas "),
            orientation="h",
            marker_color=indicator_color("stunting"),
            text=labels,
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(360, 22 * len(shown) + 120),
        xaxis={"range": [0, float(shown["stunting_pct"].max() or 0) * 1.3 + 1]},  # room for the labels
        xaxis_title="Prevalensi stunting (%)",
        yaxis_title=None,
        margin={"l": 10, "r": 90},
    )
    return fig


def describe_puskesmas(frame: pd.DataFrame) -> str:
    shown = frame[frame["children"] >= MIN_CHILDREN_SHOWN].dropna(subset=["stunting_pct"])
    if shown.empty:
        return "Belum ada puskesmas dengan cukup balita diukur"
    top = shown.sort_values("stunting_pct", ascending=False).iloc[0]
    return f"Stunting tertinggi di wilayah {top['puskesmas']}: {format_percent(top['stunting_pct'])}"


def plot_kader_by_field(totals: pd.DataFrame) -> go.Figure:
    """Active kader per SPM field (bars), with posyandu serving the field without such a kader in the labels."""
    fig = go.Figure(
        go.Bar(
            x=[SPM_SHORT_LABELS.get(f, f) for f in totals["spm_field"]],
            y=totals["kader_active"],
            marker_color=[indicator_color(f) for f in totals["spm_field"]],
            text=[f"{format_number(k)} kader" for k in totals["kader_active"]],
            customdata=[
                f"{format_number(w)} posyandu melayani bidang ini tanpa kadernya"
                for w in totals["posyandu_without_kader"]
            ],
            textposition="outside",
            hovertemplate="%{x}: %{text}; %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(height=420, yaxis_title="Kader aktif", xaxis_title=None, yaxis_tickformat=",d")
    return fig


def table_area_indicators(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Display table: the columns naming each row (frame column -> Bahasa header), then children
    measured and stunting, D/S and kader participation in percent."""
    return pd.DataFrame(
        {
            **{header: frame[column] for column, header in names.items()},
            "Balita diukur": frame["children"].astype("int64"),
            "Stunting (%)": frame["stunting_pct"],
            "D/S (%)": frame["ds_pct"],
            "Partisipasi kader (%)": frame["kader_pct"],
        }
    )
