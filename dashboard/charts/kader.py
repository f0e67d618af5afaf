"""Kader page figures and the sentences that state their findings."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.registers import register_source
from dashboard.charts.traces import HOVER_FROM_CUSTOMDATA, top_down_axis
from dashboard.formatting import format_month, format_number, format_percent, format_share, is_missing, round_half_up
from dashboard.theme import CONTEXT_GREY, OKABE_ITO, SEQUENTIAL_WORSE, TARGET_COLOR, TEXT_COLOR, indicator_color

# Low participation and low training coverage are the bad end: strongest colour for low
# values. The darkest shades of SEQUENTIAL_WORSE are left out so dark cell text stays
# readable on every cell (vermillion against near-black text is above 5:1).
SEQUENTIAL_BETTER = [
    [0.0, SEQUENTIAL_WORSE[3][1]],
    [0.35, SEQUENTIAL_WORSE[2][1]],
    [0.7, SEQUENTIAL_WORSE[1][1]],
    [1.0, SEQUENTIAL_WORSE[0][1]],
]
PARTICIPATION_FLOOR = 50
DEFINITION_PARTICIPATION = (
    "Partisipasi kader (persen) = jumlah kader hadir per hari buka ÷ jumlah kader terdaftar, dihitung atas posyandu "
    "yang buka (hari buka ≥ 1) pada bulan itu; posyandu yang tidak buka tidak masuk penyebut. Bila posyandu buka lebih "
    f"dari sekali, dipakai rata-rata kader hadir per hari buka; sumber: {register_source('monthly_report')}"
)
DEFINITION_ACTIVE = (
    "Kader aktif (jumlah orang, bukan tingkat) = kader di register kader yang mulai aktif paling lambat akhir bulan "
    "dan belum berhenti sebelum awal bulan (tanggal mulai kosong dianggap sudah aktif)"
)


def _percent_heatmap(
    rows: list, columns: list, cell: Callable[[object, object], tuple[float | None, str, str]], **colour: object
) -> go.Heatmap:
    """Rows × columns of percentages up to 100, low values in the strongest colour; `cell(row,
    column)` gives the value (None: blank), the text written in the cell and its hover sentence."""
    cells = [[cell(r, c) for c in columns] for r in rows]
    return go.Heatmap(
        z=[[value for value, _, _ in line] for line in cells],
        x=columns,
        y=rows,
        text=[[text for _, text, _ in line] for line in cells],
        texttemplate="%{text}",
        textfont={"color": TEXT_COLOR},
        customdata=[[hover for _, _, hover in line] for line in cells],
        hovertemplate=HOVER_FROM_CUSTOMDATA,
        colorscale=SEQUENTIAL_BETTER,
        zmax=100,
        xgap=1,
        ygap=1,
        **colour,
    )


def plot_participation_heatmap(by_area: pd.DataFrame) -> go.Figure:
    """Areas (rows, lowest participation in the latest month on top) × months, participation in %."""
    latest = by_area[by_area["month"] == by_area["month"].max()].set_index("area_name")["participation"]
    areas = sorted(by_area["area_name"].unique(), key=lambda a: (latest.get(a, float("inf")), a))
    months = sorted(by_area["month"].unique())
    table = by_area.set_index(["area_name", "month"])

    def cell(area: str, month: object) -> tuple[float | None, str, str]:
        row = table.loc[(area, month)] if (area, month) in table.index else None
        value = None if row is None or is_missing(row["participation"]) else float(row["participation"]) * 100
        hover = f"{area}, {format_month(month)}<br>" + (
            f"Partisipasi {format_percent(value)}: {format_number(row['kader_present'])} hadir dari "
            f"{format_number(row['kader_registered'])} terdaftar ({format_number(row['posyandu_reporting'])} posyandu melapor)"
            if value is not None
            else "Tidak ada laporan"
        )
        return value, format_number(value, 0) if value is not None else "", hover

    fig = go.Figure(
        _percent_heatmap(
            areas,
            months,
            cell,
            # Participation mostly sits between 70 and 100%: the colours spread over 50-100%
            # and anything lower takes the strongest colour (the cell still shows its value).
            zmin=PARTICIPATION_FLOOR,
            colorbar={
                "title": {"text": "%"},
                "tickvals": [PARTICIPATION_FLOOR, 60, 70, 80, 90, 100],
                "ticktext": [f"≤{PARTICIPATION_FLOOR}%", "60%", "70%", "80%", "90%", "100%"],
            },
        )
    )
    fig.update_layout(
        height=max(320, 60 + 26 * len(areas)),
        yaxis=top_down_axis(),
        # months read level (a 1080-px press square turned them on their side): one short name a column
        xaxis={"title": None, "tickangle": 0},
        margin={"t": 10},
    )
    return fig


def plot_participation_trend(trend: pd.DataFrame) -> go.Figure:
    """Participation (definition 1) per month, in %."""
    frame = trend.dropna(subset=["participation"])
    fig = go.Figure(
        go.Scatter(
            x=frame["month"],
            y=frame["participation"] * 100,
            mode="lines+markers",
            name="Partisipasi kader",
            line={"color": indicator_color("kader_participation")},
            customdata=[
                f"{format_month(r.month)}: {format_share(r.participation)} ({format_number(r.kader_present)} dari {format_number(r.kader_registered)} kader)"
                for r in frame.itertuples()
            ],
            hovertemplate=HOVER_FROM_CUSTOMDATA,
        )
    )
    fig.update_layout(
        yaxis={"title": "Partisipasi (%)", "ticksuffix": "%", "rangemode": "tozero"},
        showlegend=False,
        height=340,
        margin={"t": 20},
    )
    return fig


def plot_kader_counts(trend: pd.DataFrame) -> go.Figure:
    """Kader terdaftar and hadir (monthly report) beside kader aktif (kader register), per month."""
    series = (
        ("kader_registered", "Kader terdaftar (laporan bulanan)", CONTEXT_GREY, "dash"),
        (
            "kader_present",
            "Kader hadir pada hari buka (laporan bulanan)",
            indicator_color("kader_participation"),
            "solid",
        ),
        ("kader_active", "Kader aktif (register kader)", OKABE_ITO["blue"], "solid"),
    )
    fig = go.Figure()
    for column, name, colour, dash in series:
        frame = trend.dropna(subset=[column])
        fig.add_trace(
            go.Scatter(
                x=frame["month"],
                y=frame[column],
                mode="lines+markers",
                name=name,
                line={"color": colour, "dash": dash},
                customdata=[
                    f"{name}, {format_month(m)}: {format_number(v)}"
                    for m, v in zip(frame["month"], frame[column], strict=True)
                ],
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    fig.update_layout(yaxis={"title": "Jumlah kader", "rangemode": "tozero"}, height=400, margin={"t": 90})
    return fig


def plot_kader_per_posyandu(by_posyandu: pd.DataFrame, norm: int, counted: str) -> go.Figure:
    """Posyandu by number of kader counted for the norm (``kader_counted``; ``counted`` says
    which kader), bars below the norm highlighted, the norm marked."""
    counts = by_posyandu["kader_counted"].value_counts().sort_index()
    # From just below the smallest count (never above the norm) so the bars fill the width.
    low = max(0, min(int(counts.index.min()), norm) - 1) if len(counts) else 0
    high = max(int(counts.index.max()), norm) + 1 if len(counts) else norm + 1
    full = counts.reindex(range(low, high + 1), fill_value=0)
    colours = [indicator_color("stunting") if k < norm else CONTEXT_GREY for k in full.index]
    fig = go.Figure(
        go.Bar(
            x=list(full.index),
            y=list(full.values),
            marker={"color": colours},
            customdata=[f"{format_number(v)} posyandu dengan {format_number(k)} {counted}" for k, v in full.items()],
            hovertemplate=HOVER_FROM_CUSTOMDATA,
        )
    )
    fig.add_shape(
        type="line",
        x0=norm - 0.5,
        x1=norm - 0.5,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": TARGET_COLOR, "dash": "dash", "width": 2},
    )
    fig.add_annotation(
        x=norm - 0.5,
        y=1,
        yref="paper",
        text=f"norma {norm} kader →",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"color": TARGET_COLOR},
    )
    fig.update_layout(
        xaxis={"title": f"Jumlah {counted} (register kader)", "dtick": 1 if len(full) <= 30 else 5},
        yaxis={"title": "Jumlah posyandu"},
        showlegend=False,
        height=360,
        bargap=0.15,
        margin={"t": 40},
    )
    return fig


def plot_training_heatmap(coverage: pd.DataFrame, themes: tuple[str, ...]) -> go.Figure:
    """Kecamatan (rows, alphabetical) × training theme: share of kader aktif trained, in %."""
    areas = sorted(coverage["nama_kec"].unique())
    table = coverage.set_index(["nama_kec", "theme"])

    def cell(area: str, theme: str) -> tuple[float | None, str, str]:
        if (area, theme) not in table.index:
            return None, "", f"{area} — {theme}: tidak ada kader aktif"
        row = table.loc[(area, theme)]
        value = float(row["coverage"]) * 100
        return (
            value,
            format_percent(value, 0),
            f"{area} — {theme}<br>{format_percent(value)}: {format_number(row['kader_trained'])} dari "
            f"{format_number(row['kader_active'])} kader aktif sudah dilatih",
        )

    fig = go.Figure(
        _percent_heatmap(areas, list(themes), cell, zmin=0, colorbar={"title": {"text": "%"}, "ticksuffix": "%"})
    )
    fig.update_layout(
        height=max(320, 80 + 26 * len(areas)),
        yaxis=top_down_axis(),
        xaxis={"title": None, "side": "top"},
        margin={"t": 10, "b": 10},
    )
    return fig


def describe_participation(summary: pd.Series, by_area: pd.DataFrame, month: object, area_word: str) -> str:
    """Chart title: the period's participation and the lowest area."""
    if is_missing(summary["participation"]):
        return f"Belum ada laporan kehadiran kader untuk {format_month(month)}"
    title = f"Partisipasi kader {format_share(summary['participation'])} pada {format_month(month)}"
    latest = by_area[(by_area["month"] == pd.Timestamp(month)) & by_area["participation"].notna()]
    if len(latest) > 1:
        lowest = latest.sort_values(["participation", "area_name"]).iloc[0]
        title += f"; terendah di {area_word} {lowest['area_name']} ({format_share(lowest['participation'])})"
    return title


def describe_below_norm(summary: pd.Series, norm: int, counted: str) -> str:
    below, total = int(summary["posyandu_below_norm"]), int(summary["posyandu"])
    if total == 0:
        return "Belum ada posyandu di master posyandu untuk wilayah ini"
    if below == 0:
        return f"Semua {format_number(total)} posyandu memiliki sedikitnya {norm} {counted}"
    return f"{format_number(below)} dari {format_number(total)} posyandu ({format_percent(below / total * 100)}) memiliki kurang dari {norm} {counted}"


def describe_weakest_training(weakest: pd.DataFrame) -> str:
    """One sentence naming the kecamatan with the lowest coverage per theme."""
    if weakest.empty:
        return "Belum ada kader aktif yang tercatat, sehingga cakupan pelatihan belum dapat dihitung."
    parts = []
    for theme, group in weakest.groupby("theme", sort=False):
        names = " dan ".join(group["nama_kec"])
        first = group.iloc[0]
        counts = (
            f"{format_number(first['kader_trained'])} dari {format_number(first['kader_active'])} kader aktif"
            if len(group) == 1
            else "cakupan sama"
        )
        parts.append(f"{theme.lower()} di {names} ({format_share(first['coverage'])}, {counts})")
    return "Cakupan pelatihan terlemah: " + "; ".join(parts) + "."


def describe_training(coverage: pd.DataFrame, themes: tuple[str, ...]) -> str:
    """Chart title: the theme with the lowest coverage over the whole area."""
    if coverage.empty:
        return "Belum ada kader aktif untuk menghitung cakupan pelatihan"
    totals = coverage.groupby("theme")[["kader_trained", "kader_active"]].sum()
    totals["coverage"] = totals["kader_trained"] / totals["kader_active"]
    totals = totals.reindex([t for t in themes if t in totals.index])
    low = totals["coverage"].idxmin()
    high = totals["coverage"].idxmax()
    return (
        f"Cakupan pelatihan tertinggi {high.lower()} ({format_share(totals.loc[high, 'coverage'])}), "
        f"terendah {low.lower()} ({format_share(totals.loc[low, 'coverage'])} kader aktif)"
    )


def _pct_column(series: pd.Series) -> pd.Series:
    return round_half_up(series.astype(float) * 100, 1)


def _posyandu_identity(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns that say which posyandu a table row is, in Bahasa."""
    return {
        "Kecamatan": frame["nama_kec"],
        "Desa/Kelurahan": frame["nama_desa"],
        "Posyandu": frame["posyandu_name"],
        "ID posyandu": frame["posyandu_id"],
        "Jenis": frame["legacy_type"],
    }


def table_posyandu_kader(by_posyandu: pd.DataFrame, period: str) -> pd.DataFrame:
    """Per posyandu, Bahasa headers: kader aktif, the period's report and 12-month participation."""
    return pd.DataFrame(
        {
            **_posyandu_identity(by_posyandu),
            f"Kader aktif termasuk pengurus (jumlah, {period})": by_posyandu["kader_active"],
            f"Kader aktif tanpa pengurus (jumlah, {period})": by_posyandu["kader_active_anggota"],
            f"Hari buka ({period})": by_posyandu["days_open"],
            f"Kader terdaftar (laporan, {period})": by_posyandu["kader_registered"],
            f"Kader hadir per hari buka (laporan, {period})": by_posyandu["kader_present"],
            f"Partisipasi (%, {period})": _pct_column(by_posyandu["participation"]),
            "Partisipasi 12 bulan (%, bulan buka)": _pct_column(by_posyandu["participation_12m"]),
            "Bulan buka dan melapor (dari 12)": by_posyandu["months_reported"],
        }
    )


def table_below_norm(below: pd.DataFrame, counted: str, period: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **_posyandu_identity(below),
            f"{counted[:1].upper()}{counted[1:]} (jumlah, {period})": below["kader_counted"],
            f"Kurang dari norma (kader, {period})": below["kader_short"],
        }
    )


def table_training(coverage: pd.DataFrame, themes: tuple[str, ...]) -> pd.DataFrame:
    """One row per kecamatan: kader aktif and the share trained in each theme (%)."""
    active = coverage.groupby(["kode_kec", "nama_kec"])["kader_active"].first()
    shares = coverage.pivot_table(index=["kode_kec", "nama_kec"], columns="theme", values="coverage", aggfunc="first")
    table = pd.DataFrame({"Kader aktif": active})
    for theme in themes:
        table[f"{theme} (%)"] = _pct_column(shares[theme]) if theme in shares else None
    return table.reset_index().drop(columns="kode_kec").rename(columns={"nama_kec": "Kecamatan"})


def describe_participation_trend(trend: pd.DataFrame) -> str:
    """Chart title: the change in participation from the first to the last month with reports."""
    frame = trend.dropna(subset=["participation"])
    if frame.empty:
        return "Belum ada laporan kehadiran kader dalam periode ini"
    first, last = frame.iloc[0], frame.iloc[-1]
    if len(frame) == 1:
        return f"Partisipasi kader {format_share(last['participation'])} pada {format_month(last['month'])}"
    change = (float(last["participation"]) - float(first["participation"])) * 100
    if abs(change) < 0.05:
        movement = "tetap"
    else:
        movement = f"{'naik' if change > 0 else 'turun'} {format_number(abs(change), 1)} poin persen"
    return (
        f"Partisipasi kader {movement}: {format_share(first['participation'])} pada {format_month(first['month'])} "
        f"menjadi {format_share(last['participation'])} pada {format_month(last['month'])}"
    )
