"""Child-nutrition figures and tables: six WHO indicators with design-based intervals,
age × sex, and the coverage beside each prevalence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.catalogue.indicators import indicator
from dashboard.charts.traces import HOVER_FROM_CUSTOMDATA, interval_band
from dashboard.formatting import (
    format_month,
    format_number,
    format_share,
    indonesian_month_ticks,
    is_missing,
)
from dashboard.metrics.nutrition import stunting_severity
from dashboard.theme import OKABE_ITO, TEXT_COLOR

# Cut-off as written beside each indicator's name; names and colours come from the catalogue.
_CUTOFF_TEXT = {
    "stunting": "TB/U < −2 SD",
    "severe_stunting": "TB/U < −3 SD",
    "wasting": "BB/TB < −2 SD",
    "severe_wasting": "BB/TB < −3 SD",
    "underweight": "BB/U < −2 SD",
    "overweight": "BB/TB > +2 SD",
}
# indicator -> (label on screen, short label, colour), in WHO's order; stunting stays the headline.
NUTRITION_INDICATORS: dict[str, tuple[str, str, str]] = {
    code: (f"{indicator(code).short_name} ({cutoff})", indicator(code).short_name, indicator(code).color)
    for code, cutoff in _CUTOFF_TEXT.items()
}
AGE_LABELS = {
    "00-05": "0–5 bln",
    "06-11": "6–11 bln",
    "12-23": "12–23 bln",
    "24-35": "24–35 bln",
    "36-47": "36–47 bln",
    "48-59": "48–59 bln",
}
SEX_LABELS = {"1": "Laki-laki", "2": "Perempuan"}
SEX_COLORS = {"1": OKABE_ITO["blue"], "2": OKABE_ITO["reddish_purple"]}


def interval_text(low: object, high: object) -> str:
    """ "14,4–15,2%"; "–" when there is no design-based interval."""
    if is_missing(low) or is_missing(high):
        return "–"
    return f"{format_number(float(low) * 100, 1)}–{format_share(high)}"


def prevalence_hover(rows: pd.DataFrame, prefix: str = "") -> list[str]:
    """Hover text per month of a prevalence line: "Okt 2025: 14,9%<br>12 dari 80 balita<br>IK 95%
    14,4–15,2%", from the columns month, prevalence, cases, n, ci_low and ci_high."""
    return [
        f"{prefix}{format_month(m)}: {format_share(p)}<br>{format_number(k)} dari {format_number(n)} balita<br>"
        f"IK 95% {interval_text(lo, hi)}"
        for m, p, k, n, lo, hi in zip(
            rows["month"], rows["prevalence"], rows["cases"], rows["n"], rows["ci_low"], rows["ci_high"], strict=True
        )
    ]


def _rgba(hex_color: str, alpha: float) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def plot_indicator_trends(trend: pd.DataFrame) -> go.Figure:
    """Six small multiples, one per indicator: monthly prevalence and its design-based 95% band."""
    codes = list(NUTRITION_INDICATORS)
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[NUTRITION_INDICATORS[c][0] for c in codes],
        shared_xaxes=True,
        vertical_spacing=0.16,
        horizontal_spacing=0.07,
    )
    for index, code in enumerate(codes):
        row, col = index // 3 + 1, index % 3 + 1
        _, short, color = NUTRITION_INDICATORS[code]
        data = trend[(trend["indicator"] == code) & (trend["n"] > 0)]
        if data.empty:
            continue
        banded = data.dropna(subset=["ci_low", "ci_high"])
        band = interval_band(banded["month"], banded["ci_low"] * 100, banded["ci_high"] * 100, _rgba(color, 0.2))
        fig.add_traces(band, rows=row, cols=col)
        hover = prevalence_hover(data, f"{short}, ")
        fig.add_trace(
            go.Scatter(
                x=data["month"],
                y=data["prevalence"] * 100,
                mode="lines",
                line={"color": color, "dash": "dot" if code.startswith("severe") else "solid"},
                customdata=hover,
                hovertemplate=HOVER_FROM_CUSTOMDATA,
                showlegend=False,
            ),
            row=row,
            col=col,
        )
        fig.update_yaxes(ticksuffix="%", rangemode="tozero", row=row, col=col)
        # a third of the page's width: a few Indonesian month ticks, not twelve
        tickvals, ticktext = indonesian_month_ticks(data["month"], max_ticks=4)
        fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0, row=row, col=col)
    fig.update_annotations(font={"size": 13, "color": TEXT_COLOR})
    fig.update_layout(height=520, margin={"t": 40, "b": 20}, hovermode="closest")
    return fig


def plot_age_sex(breakdown: pd.DataFrame, indicator: str) -> go.Figure:
    """Prevalence by age group for boys and girls, each bar with its design-based 95% interval."""
    cells = breakdown[(breakdown["group_type"] == "age_sex") & (breakdown["indicator"] == indicator)].copy()
    cells[["age", "sex"]] = cells["group_value"].str.split(".", expand=True)
    fig = go.Figure()
    for sex, sex_label in SEX_LABELS.items():
        data = cells[cells["sex"] == sex].set_index("age").reindex(list(AGE_LABELS))
        value = data["prevalence"] * 100
        fig.add_trace(
            go.Bar(
                x=[AGE_LABELS[a] for a in data.index],
                y=value,
                name=sex_label,
                marker={"color": SEX_COLORS[sex]},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (data["ci_high"] * 100 - value).fillna(0),
                    "arrayminus": (value - data["ci_low"] * 100).fillna(0),
                    "color": TEXT_COLOR,
                    "thickness": 1,
                },
                customdata=[
                    f"{sex_label}, {AGE_LABELS[a]}: {format_share(p)} (IK 95% {interval_text(lo, hi)}), "
                    f"n = {format_number(0 if is_missing(n) else n)}"
                    for a, p, lo, hi, n in zip(
                        data.index, data["prevalence"], data["ci_low"], data["ci_high"], data["n"], strict=True
                    )
                ],
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    fig.update_layout(
        barmode="group",
        height=380,
        yaxis={"title": {"text": "Prevalensi"}, "ticksuffix": "%", "rangemode": "tozero"},
        legend={"orientation": "h", "y": 1.1},
        margin={"t": 40},
    )
    return fig


def build_indicator_table(trend: pd.DataFrame, coverage: pd.DataFrame, month: object) -> pd.DataFrame:
    """The chosen month's six indicators: prevalence, design-based 95% interval, SE, cases,
    n and n as a share of the sasaran (S) — the coverage beside each prevalence. Counts stay
    numbers (the export hides those under 5); percentages are numbers in percent units, which
    the table shows as "24,9%" and the Excel download keeps as numbers."""
    data = trend[trend["month"] == pd.Timestamp(month)].set_index("indicator")
    covered = coverage[coverage["month"] == pd.Timestamp(month)]
    sasaran = covered.iloc[0]["sasaran_s"] if not covered.empty else None
    rows = []
    for code, (label, _, _) in NUTRITION_INDICATORS.items():
        row = data.loc[code] if code in data.index else None
        n = 0 if row is None else int(row["n"])
        rows.append(
            {
                "Indikator": label,
                "Prevalensi": np.nan if n == 0 else _percent_units(row["prevalence"]),
                "IK 95%": "–" if n == 0 else interval_text(row["ci_low"], row["ci_high"]),
                "SE (poin)": np.nan if n == 0 or is_missing(row["se"]) else float(row["se"]) * 100,
                "Kasus": 0 if n == 0 else int(row["cases"]),
                "n": n,
                "n ÷ sasaran (%)": np.nan if is_missing(sasaran) or not sasaran else n / float(sasaran) * 100,
            }
        )
    return pd.DataFrame(rows)


def _percent_units(fraction: object) -> float:
    return np.nan if is_missing(fraction) else float(fraction) * 100


def build_coverage_table(coverage: pd.DataFrame, month: object) -> pd.DataFrame:
    """What stands behind the prevalence in the chosen month, each share with its counts."""
    data = coverage[coverage["month"] == pd.Timestamp(month)]
    if data.empty:
        return pd.DataFrame(columns=["Ukuran", "Nilai", "Dasar"])
    row = data.iloc[0]

    def share_row(label: str, share: str, part: str, whole: str, basis: str) -> dict[str, str]:
        counts = ["–" if is_missing(row[c]) else format_number(row[c]) for c in (part, whole)]
        return {"Ukuran": label, "Nilai": format_share(row[share]), "Dasar": f"{counts[0]} dari {counts[1]} {basis}"}

    return pd.DataFrame(
        [
            share_row(
                "Balita dengan TB/U sah ÷ sasaran (S)",
                "measured_of_s",
                "children_valid_haz",
                "sasaran_s",
                "(S, laporan bulanan)",
            ),
            share_row("D/S (ditimbang ÷ sasaran)", "ds", "weighed_d", "sasaran_s", "(laporan bulanan)"),
            share_row(
                "Kelengkapan laporan posyandu",
                "reporting_completeness",
                "posyandu_reported",
                "posyandu_expected",
                "posyandu balita",
            ),
            share_row("N/D (naik berat badan ÷ ditimbang)", "nd", "gained_n", "children_weighed", "(e-PPGBM)"),
            share_row(
                "2T (tidak naik 2 bulan berturut) ÷ ditimbang",
                "t2_of_d",
                "not_gained_2t",
                "children_weighed",
                "(e-PPGBM)",
            ),
        ]
    )


def describe_nutrition(trend: pd.DataFrame, month: object) -> str:
    """One sentence: the headline stunting figure, its interval and WHO's severity band."""
    data = trend[(trend["month"] == pd.Timestamp(month)) & (trend["indicator"] == "stunting")]
    if data.empty or data.iloc[0]["n"] == 0:
        return f"Tidak ada pengukuran pada {format_month(month)}"
    row = data.iloc[0]
    band = stunting_severity(float(row["prevalence"]) * 100)
    return (
        f"Stunting {format_share(row['prevalence'])} (IK 95% {interval_text(row['ci_low'], row['ci_high'])}) pada "
        f"{format_month(month)}: tingkat {band} menurut ambang WHO"
    )


def describe_age_sex(breakdown: pd.DataFrame, indicator: str) -> str:
    """The age group with the highest prevalence, for the chart's title."""
    _, short, _ = NUTRITION_INDICATORS[indicator]
    ages = breakdown[(breakdown["group_type"] == "age") & (breakdown["indicator"] == indicator) & (breakdown["n"] > 0)]
    if ages.empty:
        return f"{short}: belum ada pengukuran"
    top = ages.loc[ages["prevalence"].idxmax()]
    return f"{short} tertinggi pada umur {AGE_LABELS.get(top['group_value'], top['group_value'])}: {format_share(top['prevalence'])}"


def describe_coverage(coverage: pd.DataFrame, month: object) -> str:
    """ "cakupan: 84,1% sasaran punya TB/U sah, D/S 85,4%, laporan 806 dari 806 posyandu"."""
    data = coverage[coverage["month"] == pd.Timestamp(month)]
    if data.empty:
        return "cakupan: tidak ada laporan bulanan"
    row = data.iloc[0]
    reported = "–" if is_missing(row["posyandu_reported"]) else format_number(row["posyandu_reported"])
    expected = "–" if is_missing(row["posyandu_expected"]) else format_number(row["posyandu_expected"])
    return (
        f"cakupan: {format_share(row['measured_of_s'])} sasaran punya TB/U sah, D/S {format_share(row['ds'])}, "
        f"laporan {reported} dari {expected} posyandu"
    )
