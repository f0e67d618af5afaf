"""Figures and tables of the Anggaran Posyandu page: rupiah per child weighed by kecamatan or desa."""

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


def table_budget(frame: pd.DataFrame, area_columns: dict[str, str]) -> pd.DataFrame:
    """Whole rupiah (sortable numbers, exported as numbers); ratios rounded to the rupiah."""
    whole = lambda column: frame[column].round().astype("Int64")  # noqa: E731
    return pd.DataFrame(
        {
            **{label: frame[column] for column, label in area_columns.items()},
            "Alokasi posyandu (Rp)": whole("posyandu_allocation_rp"),
            "Insentif kader (Rp)": whole("kader_incentive_rp"),
            "Anggaran posyandu (Rp)": whole("budget_rp"),
            "Posyandu": frame["posyandu"].astype("Int64"),
            "Per posyandu (Rp)": whole("rp_per_posyandu"),
            "Balita ditimbang per bulan (D)": whole("children_weighed"),
            "Per balita ditimbang (Rp)": whole("rp_per_child_weighed"),
            "Insentif per kader per bulan (Rp)": whole("incentive_rp_per_kader_month"),
        }
    )


# The money columns of table_budget shown by default, full header -> (short header, width px):
# with the area's name (and its count of desa reporting) they fit 1366 px beside the sidebar
# (the title above the table says they are rupiah); allocation and incentive separately,
# posyandu and D are a toggle away and in the downloads.
BUDGET_SCREEN_HEADERS = {
    "Anggaran posyandu (Rp)": ("Anggaran posyandu", 150),
    "Per posyandu (Rp)": ("Per posyandu", 130),
    "Per balita ditimbang (Rp)": ("Per balita ditimbang", 160),
    "Insentif per kader per bulan (Rp)": ("Insentif kader/bulan", 160),
}
