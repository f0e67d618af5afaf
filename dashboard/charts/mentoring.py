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


def _team_headers() -> dict[str, tuple[str, int, bool]]:
    """Per team-table column: (short header, width in px, shown by default). The defaults fit a
    1366-px laptop beside the sidebar; the others are a toggle away and in every download."""
    norm, target = kader_norm(), format_number(ds_target() * 100)
    return {
        "Tim pendamping": ("Tim", 70, True),
        "Kecamatan": ("Kecamatan", 240, True),
        "Posyandu": ("Posyandu", 80, True),
        f"Posyandu < {norm} kader aktif": (f"< {norm} kader", 95, True),
        "Posyandu belum legal penuh": ("Belum legal", 95, True),
        "Posyandu melapor D/S": ("Melapor D/S", 100, False),
        f"Posyandu D/S < {target}%": (f"D/S < {target}%", 90, True),
        f"Kunjungan {MENTORING_RECENT_MONTHS} bulan terakhir": (f"Kunjungan {MENTORING_RECENT_MONTHS} bln", 120, True),
        "Kunjungan tahun ini": ("Kunjungan thn ini", 130, False),
        "Kunjungan terakhir": ("Kunjungan terakhir", 140, False),
        "Desa/kelurahan": ("Desa/kel.", 80, False),
        "Desa/kelurahan belum pernah dikunjungi": ("Belum dikunjungi", 130, False),
    }


def team_table_short_headers() -> dict[str, tuple[str, int]]:
    """Full header → (short header, width) of the team table, for the screen."""
    return {header: (short, width) for header, (short, width, _) in _team_headers().items()}


def team_table_default_columns() -> list[str]:
    return [header for header, (_, _, shown) in _team_headers().items() if shown]


def table_teams(teams: pd.DataFrame) -> pd.DataFrame:
    headers = list(_team_headers())
    values = [
        teams["team"],
        teams["kecamatan"] if "kecamatan" in teams else teams["nama_kec"],
        teams["posyandu"],
        teams["posyandu_below_norm"],
        teams["posyandu_without_legality"],
        teams["posyandu_reporting_ds"],
        teams["posyandu_low_ds"],
        teams["visits_recent"],
        teams["visits_year"],
        pd.to_datetime(teams["last_visit"]),
        teams["desa"],
        teams["desa_never_visited"],
    ]
    return pd.DataFrame(dict(zip(headers, values, strict=True)))


PRIORITY_SHORT_HEADERS = {
    "Tim pendamping": ("Tim", 70),
    "Desa/kelurahan prioritas": ("Desa prioritas", 160),
    "Prevalensi stunting (%)": ("Stunting (%)", 100),
    "Balita diukur": ("Diukur", 70),
    "Indeks Layanan Dasar": ("Layanan Dasar", 115),
    "Tahun indeks": ("Tahun", 60),
    "Dasar penetapan": ("Dasar penetapan", 230),
}
PRIORITY_DEFAULT_COLUMNS = [
    "Tim pendamping",
    "Desa/kelurahan prioritas",
    "Kecamatan",
    "Prevalensi stunting (%)",
    "Balita diukur",
    "Indeks Layanan Dasar",
    "Dasar penetapan",
]


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
