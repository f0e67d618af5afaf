"""Stunting page figures, display tables and the sentences that state their findings."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.indicators import MIN_CHILDREN_FOR_RANK, indicator
from dashboard.catalogue.targets import Reference
from dashboard.charts.nutrition import prevalence_hover
from dashboard.charts.traces import HOVER_FROM_CUSTOMDATA, interval_band, top_down_axis
from dashboard.formatting import (
    MISSING,
    format_month,
    format_number,
    format_percent,
    format_share,
    indonesian_month_ticks,
    is_missing,
)
from dashboard.metrics.prevalence import HAZ_BIN_WIDTH, NOT_RANKED_LABEL
from dashboard.metrics.quality import GOOD, PROBLEM, QUALITY_RULES, TOO_FEW, WATCH, rate_quality
from dashboard.theme import CONTEXT_GREY, MUTED_TEXT_COLOR, OKABE_ITO, TARGET_COLOR, TEXT_COLOR, indicator_color

STUNTING_COLOR = indicator_color("stunting")
SURVEY_COLOR = OKABE_ITO["black"]
CI_FILL = "rgba(213, 94, 0, 0.18)"  # stunting vermillion, light
NOT_STUNTED_COLOR = OKABE_ITO["sky_blue"]
BADGE_COLORS = {GOOD: "green", WATCH: "orange", PROBLEM: "red", TOO_FEW: "gray"}


def survey_date(year: int) -> date:
    """Where a survey year sits on a month axis: mid-year (SSGI/SKI fieldwork spans the year)."""
    return date(int(year), 7, 1)


def stunting_target(months: pd.Series | list) -> Reference | None:
    """The sourced target for the year of the latest month shown (RPJMN 2025–2029 for 2025 data)."""
    known = [pd.Timestamp(m) for m in months if not is_missing(m)]
    return indicator("stunting").target(max(known).year) if known else None


# --- trend ------------------------------------------------------------------------------


def plot_prevalence_trend(trend: pd.DataFrame, surveys: pd.DataFrame) -> go.Figure:
    """Routine monthly prevalence with its 95% CI band, survey figures as labelled points, target line."""
    routine = trend[trend["n_haz"] > 0]
    fig = go.Figure()
    if not routine.empty:
        fig.add_traces(
            interval_band(
                routine["month"], routine["ci_low"] * 100, routine["ci_high"] * 100, CI_FILL, "IK 95% (berbasis desain)"
            )
        )
        hover = prevalence_hover(routine.rename(columns={"stunted": "cases", "n_haz": "n"}))
        fig.add_trace(
            go.Scatter(
                x=routine["month"],
                y=routine["prevalence"] * 100,
                mode="lines+markers",
                line={"color": STUNTING_COLOR},
                marker={"color": STUNTING_COLOR},
                name="Data rutin e-PPGBM (per bulan)",
                customdata=hover,
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    target = stunting_target(trend["month"])
    if not surveys.empty:
        labels = [
            f"{source}: {format_percent(value)}"
            for source, value in zip(surveys["source"], surveys["value_pct"], strict=True)
        ]
        # On the chart, source over value: half as wide, so yearly points do not touch at 1280 px
        stacked = [label.replace(": ", "<br>") for label in labels]
        # A point under the target line has its label under it, not across the line.
        below = [target is not None and value < target.value for value in surveys["value_pct"]]
        fig.add_trace(
            go.Scatter(
                x=[survey_date(y) for y in surveys["year"]],
                y=surveys["value_pct"],
                mode="markers+text",
                marker={"symbol": "diamond", "size": 11, "color": SURVEY_COLOR},
                text=stacked,
                textposition=["bottom center" if under else "top center" for under in below],
                textfont={"color": SURVEY_COLOR},
                name="Survei (SSGI/SKI), tingkat kabupaten",
                customdata=labels,
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    highs = [5.0]
    if target is not None:
        fig.add_hline(
            y=target.value,
            line={"color": TARGET_COLOR, "dash": "dash", "width": 1.5},
            annotation={"text": target.short_label(), "font": {"color": TARGET_COLOR}},
            annotation_position="bottom left",
        )
        highs.append(target.value * 1.3)
    if not routine.empty:
        # A month without an interval (all children in one posyandu) still has its point inside the plot.
        highs.append(float(routine[["ci_high", "prevalence"]].max().max()) * 100)
    if not surveys.empty:
        # headroom for the two-line label over the highest survey point
        highs.append(float(surveys["value_pct"].max()) * 1.12)
    dates = [pd.Timestamp(m) for m in routine["month"]] + [pd.Timestamp(survey_date(y)) for y in surveys["year"]]
    # Room either side so the first and last labels are not cut.
    x_range = [min(dates) - pd.Timedelta(days=150), max(dates) + pd.Timedelta(days=60)] if dates else None
    fig.update_layout(
        height=420,
        yaxis={"title": {"text": "Prevalensi stunting"}, "ticksuffix": "%", "range": [0, max(highs) * 1.15]},
        xaxis={"title": None, "range": x_range},
        hovermode="closest",
        margin={"t": 30},
    )
    return fig


def describe_trend(trend: pd.DataFrame) -> str:
    """Title of the trend chart: where the routine figure is now and where it moved."""
    routine = trend[trend["n_haz"] > 0]
    if routine.empty:
        return "Belum ada pengukuran rutin untuk wilayah dan periode ini"
    last = routine.iloc[-1]
    text = f"Stunting menurut data rutin {format_share(last['prevalence'])} pada {format_month(last['month'])}"
    if len(routine) >= 2:
        first = routine.iloc[0]
        overlap = not (last["ci_low"] > first["ci_high"] or last["ci_high"] < first["ci_low"])
        if overlap:
            text += f", tidak berbeda nyata dari {format_month(first['month'])} ({format_share(first['prevalence'])})"
        else:
            change = (last["prevalence"] - first["prevalence"]) * 100
            verb = "turun" if change < 0 else "naik"
            text += f", {verb} {format_number(abs(change), 1)} poin sejak {format_month(first['month'])}"
    target = stunting_target(routine["month"])
    if target is None:
        return text
    position = "di bawah" if last["prevalence"] * 100 < target.value else "di atas"
    return f"{text}; {position} {target.short_label()[0].lower()}{target.short_label()[1:]}"


# --- areas ------------------------------------------------------------------------------


def _ordered_for_ranking(frame: pd.DataFrame) -> pd.DataFrame:
    """Ranked areas by rank, then the ones under the ranking minimum n by name; areas with no data left out."""
    measured = frame[frame["n_haz"] > 0].copy()
    measured["is_ranked"] = measured["rank"].notna()
    return measured.sort_values(["is_ranked", "rank", "name"], ascending=[False, True, True], na_position="last")


def plot_area_ranking(frame: pd.DataFrame, target: Reference | None = None) -> go.Figure:
    """Horizontal bars, highest prevalence on top, with the CI and n; areas under the ranking minimum grey, not ranked."""
    ordered = _ordered_for_ranking(frame)
    ranked = ordered["is_ranked"].to_numpy()
    labels = [
        f"{int(r)}. {name}" if ok else f"{name} ({NOT_RANKED_LABEL})"
        for r, name, ok in zip(ordered["rank"].fillna(0), ordered["name"], ranked, strict=True)
    ]
    error_plus = np.where(ranked, (ordered["ci_high"] - ordered["prevalence"]) * 100, 0)
    error_minus = np.where(ranked, (ordered["prevalence"] - ordered["ci_low"]) * 100, 0)
    hover = [
        f"{name}<br>{format_share(p)}: {format_number(k)} dari {format_number(n)} balita<br>"
        + (
            f"IK 95% {format_share(lo)}–{format_share(hi)}"
            if ok
            else f"Kurang dari {MIN_CHILDREN_FOR_RANK} balita diukur: tidak diberi peringkat"
        )
        for name, p, k, n, lo, hi, ok in zip(
            ordered["name"],
            ordered["prevalence"],
            ordered["stunted"],
            ordered["n_haz"],
            ordered["ci_low"],
            ordered["ci_high"],
            ranked,
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=ordered["prevalence"] * 100,
            y=labels,
            orientation="h",
            marker={"color": [STUNTING_COLOR if ok else CONTEXT_GREY for ok in ranked]},
            error_x={
                "type": "data",
                "array": error_plus,
                "arrayminus": error_minus,
                "color": MUTED_TEXT_COLOR,
                "thickness": 1,
                "width": 3,
            },
            customdata=hover,
            hovertemplate=HOVER_FROM_CUSTOMDATA,
            showlegend=False,
        )
    )
    if target is not None:
        fig.add_vline(x=target.value, line={"color": TARGET_COLOR, "dash": "dash", "width": 1.5}, layer="below")
    # Value and n sit right of the CI whisker, never on it.
    # An area without an interval (all its children in one posyandu) has its label at the bar's end.
    reach = ordered["ci_high"].where(ordered["is_ranked"] & ordered["ci_high"].notna(), ordered["prevalence"]) * 100
    # Set all labels at once: add_annotation re-validates every earlier one (quadratic).
    value_labels = [
        {
            "x": end,
            "y": label,
            "text": f"{format_share(p)} · n = {format_number(n)}",
            "showarrow": False,
            "xanchor": "left",
            "xshift": 6,
            "font": {"color": TEXT_COLOR},
            "bgcolor": "rgba(255, 255, 255, 0.85)",
        }
        for label, end, p, n in zip(labels, reach, ordered["prevalence"], ordered["n_haz"], strict=True)
    ]
    fig.update_layout(annotations=[*fig.layout.annotations, *value_labels])
    target_value = target.value if target is not None else 0.0
    top = max(float(reach.max()) if len(ordered) else 0.0, target_value, 5.0)
    fig.update_layout(
        height=max(260, 70 + 28 * len(ordered)),
        yaxis=top_down_axis(type="category"),
        xaxis={
            # Two lines: on one, the target's source ran past a half-width chart's edge.
            "title": {"text": "Prevalensi stunting" + (f"<br>garis putus: {target.short_label()}" if target else "")},
            "ticksuffix": "%",
            "range": [0, top * 1.5],
        },
        margin={"t": 10, "r": 20},
        bargap=0.25,
    )
    return fig


def describe_ranking(frame: pd.DataFrame, level_label: str, target: Reference | None = None) -> str:
    """Title of the ranking: the highest ranked area and how many are too small to rank."""
    ordered = _ordered_for_ranking(frame)
    ranked = ordered[ordered["is_ranked"]]
    small = int((~ordered["is_ranked"]).sum())
    if ranked.empty:
        return f"Belum ada {level_label} dengan sedikitnya {MIN_CHILDREN_FOR_RANK} balita diukur: tidak ada peringkat"
    top = ranked.iloc[0]
    text = f"Stunting tertinggi di {top['name']} ({format_share(top['prevalence'])})"
    if target is not None:
        above = int((ranked["prevalence"] * 100 >= target.value).sum())
        text += f"; {format_number(above)} dari {format_number(len(ranked))} {level_label} di atas target"
    if small:
        text += f"; {format_number(small)} {level_label} dengan {NOT_RANKED_LABEL} tidak diperingkat"
    return text


def build_area_table(frame: pd.DataFrame, name_label: str) -> pd.DataFrame:
    """Areas with measurements: rank or "n < minimum", name, counts, prevalence and CI.

    Counts and the prevalence (in percent units) stay numbers: the table shows them in
    Indonesian ("1.475", "24,9%") and sorts on them, the Excel download sums them, and the
    export can hide counts of 1-4.
    """
    shown = frame[frame["n_haz"] > 0].sort_values(["rank", "name"], na_position="last")
    return pd.DataFrame(
        {
            "Peringkat": shown["rank_label"].to_numpy(),
            name_label: shown["name"].to_numpy(),
            "Balita diukur (TB/U sah)": shown["n_haz"].astype("int64").to_numpy(),
            "Balita stunting": shown["stunted"].astype("int64").to_numpy(),
            "Prevalensi": (pd.to_numeric(shown["prevalence"], errors="coerce") * 100).to_numpy(dtype=float),
            "IK 95%": [
                MISSING if is_missing(lo) or is_missing(hi) else f"{format_share(lo)}–{format_share(hi)}"
                for lo, hi in zip(shown["ci_low"], shown["ci_high"], strict=True)
            ],
        }
    )


def build_map_values(frame: pd.DataFrame, min_children: int) -> pd.DataFrame:
    """code, value (%), n, label for maps.build_choropleth_map; areas under min_children stay uncoloured."""
    rankable = frame["n_haz"] >= min_children
    n = frame["n_haz"].fillna(0)
    labels = [
        f"IK 95% {format_share(lo)}–{format_share(hi)}"
        if ok
        else (f"n < {min_children}: tidak diwarnai ({format_share(p)})" if count > 0 else "tidak ada pengukuran")
        for lo, hi, ok, count, p in zip(
            frame["ci_low"], frame["ci_high"], rankable, n, frame["prevalence"], strict=True
        )
    ]
    return pd.DataFrame(
        {"code": frame["code"], "value": (frame["prevalence"] * 100).where(rankable), "n": n, "label": labels}
    )


# --- HAZ distribution -------------------------------------------------------------------


def plot_haz_distribution(bins: pd.DataFrame) -> go.Figure:
    """Share of children per 0.25 SD of HAZ against the WHO standard (normal, mean 0, SD 1)."""
    n = float(bins["children"].sum()) if len(bins) else 0.0
    centres = bins["bin_start"] + HAZ_BIN_WIDTH / 2
    shares = bins["children"] / n * 100 if n else bins["children"] * 0.0
    colors = [STUNTING_COLOR if start < -2 else NOT_STUNTED_COLOR for start in bins["bin_start"]]
    hover = [
        f"TB/U {format_number(s, 2)} s.d. {format_number(s + HAZ_BIN_WIDTH, 2)}: "
        f"{format_number(c)} balita ({format_percent(p)})"
        for s, c, p in zip(bins["bin_start"], bins["children"], shares, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=centres,
            y=shares,
            width=HAZ_BIN_WIDTH * 0.95,
            marker={"color": colors},
            name="Balita yang diukur (merah: stunting)",
            customdata=hover,
            hovertemplate=HOVER_FROM_CUSTOMDATA,
        )
    )
    grid = np.linspace(-6, 6, 241)
    normal = np.exp(-(grid**2) / 2) / math.sqrt(2 * math.pi) * HAZ_BIN_WIDTH * 100
    fig.add_trace(
        go.Scatter(
            x=grid,
            y=normal,
            mode="lines",
            line={"color": TARGET_COLOR, "width": 2},
            name="Standar WHO 2006 (rata-rata 0, SD 1)",
            hoverinfo="skip",
        )
    )
    fig.add_vline(
        x=-2,
        line={"color": STUNTING_COLOR, "dash": "dot", "width": 1.5},
        annotation={"text": "−2 SD: batas stunting", "font": {"color": STUNTING_COLOR}},
        annotation_position="top left",
    )
    fig.update_layout(
        height=380,
        bargap=0,
        xaxis={"title": {"text": "z-skor TB/U (tinggi menurut umur)"}, "range": [-6.25, 6.25], "dtick": 1},
        yaxis={"title": {"text": f"% balita per {format_number(HAZ_BIN_WIDTH, 2)} SD"}, "ticksuffix": "%"},
        margin={"t": 30},
    )
    return fig


def describe_haz(summary: pd.Series) -> str:
    """Title of the HAZ chart: how far the curve sits from the standard."""
    if is_missing(summary.get("n")) or summary["n"] == 0:
        return "Belum ada z-skor TB/U untuk periode ini"
    mean = float(summary["mean"])
    shift = "bergeser ke kiri" if mean < -0.1 else ("bergeser ke kanan" if mean > 0.1 else "berimpit")
    below = float(summary["below_minus_2"]) / float(summary["n"]) * 100
    return (
        f"Sebaran TB/U {shift} dari standar WHO: rata-rata {format_number(mean, 2)} SD, "
        f"SD {format_number(summary['sd'], 2)}; {format_percent(below)} di bawah −2 SD (standar WHO: 2,3%)"
    )


# --- data quality -----------------------------------------------------------------------


def plot_digit_preference(weight: np.ndarray, height: np.ndarray) -> go.Figure:
    """Share of each last decimal digit (0-9) of weight and height; 10% each when there is no preference."""
    digits = [str(d) for d in range(10)]
    fig = go.Figure()
    for counts, label, color in (
        (weight, "Berat (kg)", OKABE_ITO["blue"]),
        (height, "Tinggi/panjang (cm)", OKABE_ITO["orange"]),
    ):
        total = counts.sum()
        shares = counts / total * 100 if total else counts * 0.0
        fig.add_trace(
            go.Bar(
                x=digits,
                y=shares,
                name=label,
                marker={"color": color},
                customdata=[
                    f"{label}, angka desimal {d}: {format_percent(s)} ({format_number(c)} catatan)"
                    for d, s, c in zip(digits, shares, counts, strict=True)
                ],
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=digits,
            y=[10] * 10,
            mode="lines",
            line={"color": TARGET_COLOR, "dash": "dash", "width": 1.5, "shape": "hvh"},
            name="Tanpa preferensi: 10%",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=340,
        barmode="group",
        xaxis={"title": {"text": "Angka desimal terakhir"}, "type": "category"},
        yaxis={"title": {"text": "% catatan"}, "ticksuffix": "%", "rangemode": "tozero"},
        margin={"t": 30},
    )
    return fig


def describe_digits(weight_index: float, height_index: float) -> str:
    """Title of the digit chart: which measure is recorded least evenly."""
    if is_missing(weight_index) and is_missing(height_index):
        return "Belum ada berat atau tinggi tercatat"
    height_worse = is_missing(weight_index) or (not is_missing(height_index) and height_index >= weight_index)
    worse, value = ("tinggi", height_index) if height_worse else ("berat", weight_index)
    return (
        f"Angka desimal {worse} paling tidak merata (indeks ketidaksamaan {format_number(value, 1)}; "
        f"berat {format_number(weight_index, 1)}, tinggi {format_number(height_index, 1)})"
    )


def plot_sd_trend(trend: pd.DataFrame, min_children: int) -> go.Figure:
    """SD of plausible HAZ and WHZ per month (months with at least min_children), with the 0.8-1.2 band."""
    fig = go.Figure()
    fig.add_hrect(y0=0.8, y1=1.2, fillcolor="rgba(0, 158, 115, 0.12)", line_width=0)
    highs = [1.6]
    for key, label, color in (
        ("haz", "SD z-skor TB/U", STUNTING_COLOR),
        ("whz", "SD z-skor BB/TB", indicator_color("wasting")),
    ):
        n = trend[f"n_{key}_plausible"].astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            variance = (trend[f"sum_{key}_sq"] - trend[f"sum_{key}"] ** 2 / n) / (n - 1)
        sd = np.sqrt(variance.clip(lower=0)).where(n >= min_children)
        if sd.notna().any():
            highs.append(float(sd.max()) + 0.1)
        fig.add_trace(
            go.Scatter(
                x=trend["month"],
                y=sd,
                mode="lines+markers",
                name=label,
                line={"color": color},
                marker={"color": color},
                customdata=[
                    f"{label}, {format_month(m)}: {format_number(s, 2)} (n = {format_number(c)})"
                    for m, s, c in zip(trend["month"], sd, n, strict=True)
                ],
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    fig.update_layout(
        height=340,
        yaxis={"title": {"text": "SD (pita hijau 0,8–1,2: baik)"}, "range": [0.5, max(highs)], "tickformat": ".1f"},
        xaxis=_half_width_month_axis(trend["month"]),
        margin={"t": 30},
    )
    return fig


def _half_width_month_axis(months: pd.Series) -> dict:
    """A month axis for a chart in half a laptop screen: at most six level ticks (plotly turned
    twelve on their side at 1280 px), Indonesian month names."""
    ticks, labels = indonesian_month_ticks(months, max_ticks=6)
    return {"title": None, "type": "date", "tickmode": "array", "tickvals": ticks, "ticktext": labels, "tickangle": 0}


def _short(label: str) -> str:
    """An indicator label without its parenthesis, for column headers."""
    return label.split(" (")[0]


def _quality_value(key: str, value: float) -> str:
    rule = QUALITY_RULES[key]
    return format_number(value, 2 if key.startswith("sd_") else 1) + (rule.unit if not is_missing(value) else "")


def quality_badges_markdown(rated: pd.DataFrame) -> str:
    """One coloured badge per indicator (Streamlit markdown), each with its value in words."""
    return "  \n".join(
        f":{BADGE_COLORS[r]}-badge[{r}] {_short(label)}: **{_quality_value(k, v)}**"
        for k, label, v, r in zip(rated["key"], rated["label"], rated["value"], rated["rating"], strict=True)
    )


def describe_quality(rated: pd.DataFrame, area: str, period: str) -> str:
    problems = int((rated["rating"] == PROBLEM).sum())
    watch = int((rated["rating"] == WATCH).sum())
    return (
        f"{format_number(problems)} indikator bermasalah dan {format_number(watch)} perlu perhatian "
        f"dari {format_number(len(rated))} — {area}, {period}"
    )


def build_quality_table(rated: pd.DataFrame) -> pd.DataFrame:
    """Indicator, value, status, n and thresholds in Bahasa."""
    return pd.DataFrame(
        {
            "Indikator": [_short(label) for label in rated["label"]],
            "Nilai": [_quality_value(k, v) for k, v in zip(rated["key"], rated["value"], strict=True)],
            "Status": rated["rating"].to_numpy(),
            "n": [format_number(n) for n in rated["n"]],
            "Ambang": rated["thresholds"].to_numpy(),
        }
    )


QUALITY_SUMMARY, QUALITY_TO_CHECK = "Ringkasan", "Perlu dicek"


def _quality_record(first: str, name: str, row: pd.Series) -> dict:
    """One row of a quality table: the area or month, its children, a summary, the indicators
    to check with their values, then "status (value)" per indicator. The summary and the list
    carry what a reader needs on a laptop screen; the per-indicator columns are the detail."""
    rated = rate_quality(row)
    counts = rated["rating"].value_counts()
    found = [f"{counts[r]} {r.lower()}" for r in (PROBLEM, WATCH) if counts.get(r, 0)]
    unrated = int(counts.get(TOO_FEW, 0))
    if not counts.get(GOOD, 0) and not found:
        summary = f"{TOO_FEW} (n kecil)"
    else:
        summary = ", ".join(found) if found else f"Semua {GOOD.lower()}"
        summary += f"; {unrated} {TOO_FEW.lower()} (n kecil)" if unrated else ""
    flagged = rated[rated["rating"].isin([PROBLEM, WATCH])]
    record = {
        first: name,
        "Balita": int(row["children"]),
        QUALITY_SUMMARY: summary,
        QUALITY_TO_CHECK: "; ".join(
            f"{_short(label)} {_quality_value(key, value)}"
            for key, label, value in zip(flagged["key"], flagged["label"], flagged["value"], strict=True)
        )
        or MISSING,
    }
    for key, value, rating in zip(rated["key"], rated["value"], rated["rating"], strict=True):
        record[_short(QUALITY_RULES[key].label)] = f"{rating} ({_quality_value(key, value)})"
    return record


def build_quality_month_table(trend: pd.DataFrame) -> pd.DataFrame:
    """Newest month first: month, children, the summary and the status of each indicator."""
    ordered = trend.sort_values("month", ascending=False)
    return pd.DataFrame([_quality_record("Bulan", format_month(row["month"]), row) for _, row in ordered.iterrows()])


def build_quality_kecamatan_table(by_kecamatan: pd.DataFrame) -> pd.DataFrame:
    """Per kecamatan: children, the summary and, per indicator, "status (value)"."""
    return pd.DataFrame([_quality_record("Kecamatan", row["nama_kec"], row) for _, row in by_kecamatan.iterrows()])


def quality_table_columns(table: pd.DataFrame) -> list[str]:
    """The columns a quality table shows by default: name, children, summary, what to check."""
    return [*table.columns[:2], QUALITY_SUMMARY, QUALITY_TO_CHECK]


_POSITION_ROWS = (
    ("measure_missing", "Cara ukur tidak dicatat"),
    ("lying_from_24_months", "Terlentang pada umur ≥ 24 bulan"),
    ("standing_under_24_months", "Berdiri pada umur < 24 bulan"),
    ("standing_under_9_months", "…di antaranya berdiri pada umur < 9 bulan (mustahil)"),
)


def build_position_table(totals: pd.Series) -> pd.DataFrame:
    children = float(totals["children"])
    return pd.DataFrame(
        {
            "Catatan": [label for _, label in _POSITION_ROWS],
            "Balita": [int(totals[key]) for key, _ in _POSITION_ROWS],
            "% dari balita diukur": [totals[key] / children * 100 if children else np.nan for key, _ in _POSITION_ROWS],
        }
    )


def build_export_table(differences: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Indikator": differences["indicator"].to_numpy(),
            "Dibandingkan": differences["compared"].astype("int64").to_numpy(),
            "Selisih > 0,1 SD": differences["differs"].astype("int64").to_numpy(),
            "%": pd.to_numeric(differences["share"], errors="coerce").to_numpy(dtype=float),
        }
    )


def describe_dates_and_sex(refused: pd.DataFrame, totals: pd.Series, area: str, period: str) -> str:
    """Rows refused at import for dates or sex (whole source) and children whose records disagree."""
    within = (
        f"{format_number(totals['inconsistent_birth_date'])} balita dengan tanggal lahir berbeda antar-catatan dan "
        f"{format_number(totals['inconsistent_sex'])} dengan jenis kelamin berbeda ({area}, {period})."
    )
    if refused.empty:
        return (
            "Tanggal dan jenis kelamin: tidak ada baris e-PPGBM yang ditolak karena tanggal atau jenis kelamin "
            f"pada pembaruan data terakhir. {within}"
        )
    rows_read = int(refused["rows_read"].iloc[0])
    listed = "; ".join(
        f"{problem}: {format_number(rows)} baris ({format_percent(rows / rows_read * 100 if rows_read else None, 2)})"
        for problem, rows in zip(refused["problem"], refused["rows"], strict=True)
    )
    return (
        "Tanggal dan jenis kelamin — baris e-PPGBM yang ditolak pada pembaruan data terakhir (seluruh file, "
        f"{format_number(rows_read)} baris dibaca): {listed}. {within}"
    )
