"""Pendampingan figures and the sentences that state their findings."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.indicators import MENTORING_RECENT_MONTHS, MIN_CHILDREN_FOR_RANK
from dashboard.catalogue.targets import ds_target, kader_norm
from dashboard.charts.traces import HOVER_FROM_CUSTOMDATA, top_down_axis, value_bars
from dashboard.formatting import format_date, format_number, format_percent, is_missing
from dashboard.theme import OKABE_ITO, indicator_color

GAP_SERIES = (
    ("posyandu_below_norm", f"Kurang dari {kader_norm()} kader aktif", indicator_color("kader_participation")),
    ("posyandu_without_legality", "Belum legal penuh", indicator_color("registered")),
    ("posyandu_low_ds", f"D/S di bawah {format_percent(ds_target() * 100, 0)}", indicator_color("ds_ratio")),
)


def plot_team_gaps(teams: pd.DataFrame) -> go.Figure:
    """Per team, posyandu with each gap (grouped horizontal bars, teams in name order)."""
    labels = [f"{t} ({k})" for t, k in zip(teams["team"], teams["kecamatan"], strict=True)]
    fig = go.Figure()
    for column, name, colour in GAP_SERIES:
        fig.add_trace(
            value_bars(
                labels,
                teams[column],
                colour,
                horizontal=True,
                name=name,
                customdata=[
                    f"{label}: {format_number(v)} dari {format_number(n)} posyandu — {name.lower()}"
                    for label, v, n in zip(labels, teams[column], teams["posyandu"], strict=True)
                ],
                hovertemplate=HOVER_FROM_CUSTOMDATA,
            )
        )
    fig.update_layout(
        barmode="group",
        yaxis=top_down_axis(),
        xaxis={
            "title": "Jumlah posyandu",
            "dtick": 1 if teams[[c for c, _, _ in GAP_SERIES]].to_numpy().max(initial=0) <= 10 else None,
        },
        height=max(360, 120 + 60 * len(teams)),
        margin={"t": 90},
    )
    return fig


def plot_team_visits(teams: pd.DataFrame) -> go.Figure:
    """Visits per team in the last three months (bars, most visits first)."""
    ordered = teams.sort_values(["visits_recent", "team"], ascending=[False, True])
    fig = go.Figure(
        value_bars(
            ordered["team"],
            ordered["visits_recent"],
            OKABE_ITO["blue"],
            horizontal=True,
            texts=[format_number(v) for v in ordered["visits_recent"]],
            customdata=[
                f"{r.team} ({r.kecamatan}): {format_number(r.visits_recent)} kunjungan dalam {MENTORING_RECENT_MONTHS} "
                f"bulan, {format_number(r.visits_year)} sepanjang tahun; terakhir {format_date(r.last_visit)}"
                for r in ordered.itertuples()
            ],
            hovertemplate=HOVER_FROM_CUSTOMDATA,
        )
    )
    fig.update_layout(
        yaxis=top_down_axis(),
        xaxis={"title": f"Kunjungan dalam {MENTORING_RECENT_MONTHS} bulan terakhir", "rangemode": "tozero"},
        showlegend=False,
        height=max(300, 80 + 32 * len(ordered)),
        margin={"t": 20, "r": 60},
    )
    return fig


def describe_visits(teams: pd.DataFrame) -> str:
    if teams.empty:
        return "Belum ada tim pendamping untuk wilayah ini"
    idle = teams[teams["visits_recent"] == 0]
    total = int(teams["visits_recent"].sum())
    title = f"{format_number(total)} kunjungan pendampingan dalam {MENTORING_RECENT_MONTHS} bulan terakhir"
    if len(idle):
        names = ", ".join(idle["team"])
        title += f"; {format_number(len(idle))} tim belum berkunjung ({names})"
    else:
        title += "; semua tim sudah berkunjung"
    return title


def describe_gaps(teams: pd.DataFrame) -> str:
    if teams.empty:
        return "Belum ada tim pendamping untuk wilayah ini"
    burden = teams.assign(total=teams[[c for c, _, _ in GAP_SERIES]].sum(axis=1)).sort_values(
        ["total", "team"], ascending=[False, True]
    )
    top = burden.iloc[0]
    return (
        f"{top['team']} ({top['kecamatan']}) memegang kesenjangan terbanyak: "
        f"{format_number(top['posyandu_below_norm'])} posyandu kurang kader, "
        f"{format_number(top['posyandu_without_legality'])} belum legal penuh, "
        f"{format_number(top['posyandu_low_ds'])} D/S rendah"
    )


def describe_priority(row: pd.Series) -> str:
    """One line: the team's priority desa, its value and the rule that chose it."""
    place = f"{row['nama_desa']} (Kec. {row['nama_kec']})"
    if row["rule"] == "stunting":
        return (
            f"{place}: stunting {format_percent(float(row['value']) * 100)} dari {format_number(row['children'])} balita diukur — "
            f"prevalensi stunting tertinggi bulan ini di antara desa dengan sedikitnya {MIN_CHILDREN_FOR_RANK} balita diukur (e-PPGBM)"
        )
    year = "" if is_missing(row["year"]) else f" tahun {int(row['year'])}"
    return (
        f"{place}: Indeks Layanan Dasar {format_number(row['value'], 1)}{year} — nilai terendah di wilayah tim, "
        f"karena belum ada desa dengan sedikitnya {MIN_CHILDREN_FOR_RANK} balita diukur bulan ini"
    )


RULE_LABELS = {
    "stunting": f"Stunting tertinggi (≥ {MIN_CHILDREN_FOR_RANK} balita diukur)",
    "layanan_dasar": "Layanan Dasar terendah",
}


def table_teams(teams: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tim pendamping": teams["team"],
            "Kecamatan": teams["kecamatan"] if "kecamatan" in teams else teams["nama_kec"],
            "Posyandu": teams["posyandu"],
            f"Posyandu < {kader_norm()} kader aktif": teams["posyandu_below_norm"],
            "Posyandu belum legal penuh": teams["posyandu_without_legality"],
            "Posyandu melapor D/S": teams["posyandu_reporting_ds"],
            f"Posyandu D/S < {format_number(ds_target() * 100)}%": teams["posyandu_low_ds"],
            f"Kunjungan {MENTORING_RECENT_MONTHS} bulan terakhir": teams["visits_recent"],
            "Kunjungan tahun ini": teams["visits_year"],
            "Kunjungan terakhir": pd.to_datetime(teams["last_visit"]),
            "Desa/kelurahan": teams["desa"],
            "Desa/kelurahan belum pernah dikunjungi": teams["desa_never_visited"],
        }
    )


def table_priority(priority: pd.DataFrame) -> pd.DataFrame:
    is_stunting = priority["rule"] == "stunting"
    return pd.DataFrame(
        {
            "Tim pendamping": priority["team"],
            "Desa/kelurahan prioritas": priority["nama_desa"],
            "Kecamatan": priority["nama_kec"],
            "Prevalensi stunting (%)": (priority["value"].astype(float) * 100).round(1).where(is_stunting),
            "Balita diukur": priority["children"].where(is_stunting),
            "Indeks Layanan Dasar": priority["value"].astype(float).round(1).where(~is_stunting),
            "Tahun indeks": priority["year"].where(~is_stunting),
            "Dasar penetapan": priority["rule"].map(RULE_LABELS),
        }
    )


def table_never_visited(desa: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tim pendamping": desa["team"],
            "Kecamatan": desa["nama_kec"],
            "Desa/kelurahan": desa["nama_desa"],
            "Jenis": desa["jenis"],
            "Kode Kemendagri": desa["kode_desa"],
        }
    )
