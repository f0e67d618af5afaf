"""Figures and tables of a desa or posyandu profile: children weighed (D/S) and stunting by month."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.indicators import indicator
from dashboard.charts.traces import HOVER_FROM_CUSTOMDATA
from dashboard.formatting import apply_indonesian_layout, format_month, format_number, format_percent
from dashboard.theme import indicator_color


def ds_percent(monthly: pd.DataFrame) -> pd.Series:
    return 100 * monthly["d"] / monthly["s"].where(monthly["s"] > 0)


def plot_ds_trend(monthly: pd.DataFrame) -> go.Figure:
    """D/S (%) per month as bars, labelled with D of S."""
    ds = ds_percent(monthly)
    fig = go.Figure(
        go.Bar(
            x=pd.to_datetime(monthly["month"]),
            y=ds,
            marker_color=indicator_color("ds_ratio"),
            text=[format_percent(v, 0) if pd.notna(v) else "" for v in ds],
            textposition="outside",
            customdata=[
                f"{format_number(d)} dari {format_number(s)} balita ditimbang"
                for d, s in zip(monthly["d"].fillna(0), monthly["s"].fillna(0), strict=True)
            ],
            hovertemplate=HOVER_FROM_CUSTOMDATA,
        )
    )
    fig.update_layout(height=320, yaxis={"range": [0, 115], "title": "D/S (%)"}, margin={"t": 20})
    return apply_indonesian_layout(fig)


def plot_place_stunting(trend: pd.DataFrame) -> go.Figure:
    """Stunting (%) per month; months with fewer children than the catalogue's minimum n are hollow."""
    min_n = indicator("stunting").min_n("peringkat")
    pct = 100 * trend["stunting_prevalence"]
    enough = trend["children"] >= min_n
    fig = go.Figure(
        go.Scatter(
            x=pd.to_datetime(trend["month"]),
            y=pct,
            mode="lines+markers",
            line={"color": indicator_color("stunting"), "width": 3},
            marker={
                "size": 10,
                "color": [indicator_color("stunting") if e else "white" for e in enough],
                "line": {"color": indicator_color("stunting"), "width": 2},
            },
            customdata=[
                f"{format_percent(p)} · {format_number(s)} dari {format_number(n)} balita"
                for p, s, n in zip(pct, trend["stunted"], trend["children"], strict=True)
            ],
            hovertemplate=HOVER_FROM_CUSTOMDATA,
        )
    )
    top = float(pct.max()) if len(pct) and pd.notna(pct.max()) else 0.0
    fig.update_layout(
        height=320, yaxis={"range": [0, max(10.0, top * 1.25)], "title": "Stunting (%)"}, margin={"t": 20}
    )
    return apply_indonesian_layout(fig)


def describe_place_stunting(trend: pd.DataFrame, place: str) -> str:
    """The finding for the chart title, honest about small numbers."""
    if trend.empty:
        return f"Belum ada balita diukur di {place} dalam 12 bulan terakhir"
    last = trend.iloc[-1]
    text = (
        f"Stunting {place} {format_month(last['month'])}: {format_percent(100 * last['stunting_prevalence'])} "
        f"({format_number(last['stunted'])} dari {format_number(last['children'])} balita)"
    )
    min_n = indicator("stunting").min_n("peringkat")
    if last["children"] < min_n:
        text += f"; kurang dari {format_number(min_n)} balita, dibaca hati-hati"
    return text


def table_place_stunting(trend: pd.DataFrame) -> pd.DataFrame:
    min_n = indicator("stunting").min_n("peringkat")
    return pd.DataFrame(
        {
            "Bulan": [format_month(m) for m in trend["month"]],
            "Balita diukur (TB/U sah)": trend["children"].astype("int64"),
            "Stunting (balita)": trend["stunted"].astype("int64"),
            "Stunting (%)": 100 * trend["stunting_prevalence"],
            "Catatan": [
                f"n < {format_number(min_n)}: tidak untuk peringkat" if n < min_n else "" for n in trend["children"]
            ],
        }
    )
