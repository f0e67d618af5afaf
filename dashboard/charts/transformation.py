"""Transformasi 6 SPM dan legalitas: figures and the sentences that state their findings."""

from __future__ import annotations

import math
import textwrap
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.catalogue.legality import GAP_LABELS
from dashboard.charts.traces import HOVER_FROM_CUSTOMDATA, top_down_axis, value_bars
from dashboard.formatting import (
    format_date,
    format_month,
    format_number,
    format_percent,
    format_share,
    is_missing,
    month_name,
)
from dashboard.theme import CONTEXT_GREY, OKABE_ITO, SPM_SHORT_LABELS, TARGET_COLOR, indicator_color
from etl.registers import SPM_FIELD_NAMES

DECLARED_COLOR = CONTEXT_GREY
SERVED_COLOR = OKABE_ITO["blue"]
DECLARED_NAME = "Bidang SPM dinyatakan (master posyandu)"
SERVED_NAME = "Bidang SPM dilayani (layanan > 0 dilaporkan)"
# (column, legend name, colour) of the two bars drawn side by side: declared, then served
DECLARED_AND_SERVED = (
    ("posyandu_declared", DECLARED_NAME, DECLARED_COLOR),
    ("posyandu_served", SERVED_NAME, SERVED_COLOR),
)


def plot_field_count_distribution(distribution: pd.DataFrame) -> go.Figure:
    """Posyandu by number of SPM fields (0-6): declared in the master beside served in the month."""
    fig = go.Figure()
    for column, name, colour in DECLARED_AND_SERVED:
        fig.add_trace(
            value_bars(
                [str(k) for k in distribution["spm_field_count"]],
                distribution[column],
                colour,
                texts=[format_number(v) for v in distribution[column]],
                name=name,
                hovertemplate=f"{name}: %{{x}} bidang, %{{y}} posyandu<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        xaxis={"title": "Jumlah bidang SPM (0–6)", "type": "category"},
        yaxis={"title": "Jumlah posyandu"},
        legend={"orientation": "h", "y": 1.12},
        height=380,
        margin={"t": 50},
    )
    return fig


def plot_fields_declared_served(fields: pd.DataFrame) -> go.Figure:
    """Per SPM field, posyandu declaring it beside posyandu serving it (official order, top to bottom)."""
    labels = [SPM_FIELD_NAMES[f] for f in fields["spm_field"]]
    fig = go.Figure()
    for column, name, colour in DECLARED_AND_SERVED:
        fig.add_trace(
            value_bars(
                labels,
                fields[column],
                colour,
                horizontal=True,
                texts=[format_number(n) for n in fields[column]],
                name=name,
                hovertemplate=f"%{{y}} — {name}: %{{x}} posyandu<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        yaxis=top_down_axis(),
        xaxis={"title": "Jumlah posyandu"},
        legend={"orientation": "h", "y": 1.14},
        height=420,
        margin={"t": 50, "r": 60},
    )
    return fig


PANEL_COLUMNS = 3
PANEL_TITLE_WIDTH = 42  # characters per line, so neighbouring panel titles never overlap


def panel_title(spm_field: str, indicator: str, has_coverage: bool) -> str:
    """ "PU: Rumah tangga dipantau<br>akses air minum layak (jumlah)", wrapped to fit one panel."""
    unit = "% cakupan" if has_coverage else "jumlah"
    text = f"{SPM_SHORT_LABELS.get(spm_field, spm_field)}: {indicator} ({unit})"
    return "<br>".join(textwrap.wrap(text, PANEL_TITLE_WIDTH))


def _quarter_ticks(months: pd.Series) -> tuple[list, list[str]]:
    """Every third month, newest last, as "Okt 25": twelve labels do not fit a small panel."""
    ordered = sorted(pd.to_datetime(months).unique())
    chosen = ordered[::-1][::3][::-1]
    return chosen, [f"{month_name(m.month, abbreviated=True)} {m.year % 100:02d}" for m in chosen]


def plot_service_indicator_panels(trend: pd.DataFrame) -> go.Figure:
    """One small panel per service indicator, each on its own scale (never a sum of unlike
    counts): the coverage in % where the register has a denominator, else the count."""
    keys = list(dict.fromkeys(zip(trend["spm_field"], trend["indicator"], strict=True)))
    if not keys:
        return go.Figure()
    has_coverage = {
        k: bool(trend.loc[(trend["spm_field"] == k[0]) & (trend["indicator"] == k[1]), "coverage"].notna().any())
        for k in keys
    }
    rows = math.ceil(len(keys) / PANEL_COLUMNS)
    fig = make_subplots(
        rows=rows,
        cols=PANEL_COLUMNS,
        subplot_titles=[panel_title(f, i, has_coverage[(f, i)]) for f, i in keys],
        vertical_spacing=0.55 / rows,
        horizontal_spacing=0.07,
    )
    tickvals, ticktext = _quarter_ticks(trend["month"])
    for n, (field, indicator) in enumerate(keys):
        frame = trend[(trend["spm_field"] == field) & (trend["indicator"] == indicator)]
        coverage = has_coverage[(field, indicator)]
        values = frame["coverage"] * 100 if coverage else frame["value_total"]
        hover = [
            (
                f"{format_month(m)}: {format_percent(c * 100)} ({format_number(v)} dari {format_number(d)}), "
                f"{format_number(p)} posyandu"
                if coverage
                else f"{format_month(m)}: {format_number(v)}, {format_number(p)} posyandu melapor"
            )
            for m, v, c, d, p in zip(
                frame["month"],
                frame["value_total"],
                frame["coverage"],
                frame["denominator_total"],
                frame["posyandu_reporting"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=frame["month"],
                y=values,
                mode="lines+markers",
                line={"color": indicator_color(field)},
                marker={"size": 4},
                customdata=hover,
                hovertemplate=HOVER_FROM_CUSTOMDATA,
                showlegend=False,
            ),
            row=n // PANEL_COLUMNS + 1,
            col=n % PANEL_COLUMNS + 1,
        )
        fig.update_yaxes(rangemode="tozero", row=n // PANEL_COLUMNS + 1, col=n % PANEL_COLUMNS + 1)
    fig.update_xaxes(type="date", tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0)
    fig.update_annotations(font={"size": 11})
    fig.update_layout(height=230 * rows + 60, margin={"t": 50, "r": 30})  # room for the last month's tick label
    return fig


def plot_registration_pipeline(pipeline: pd.DataFrame) -> go.Figure:
    """The legality stages as a funnel of horizontal bars, first stage on top, with the change
    from the month before."""
    fig = go.Figure(
        go.Bar(
            y=pipeline["stage_label"],
            x=pipeline["posyandu"],
            orientation="h",
            marker={"color": indicator_color("registered")},
            text=[
                f"{format_number(n)} ({format_share(s)}) · {_delta_text(d)}"
                for n, s, d in zip(pipeline["posyandu"], pipeline["share"], pipeline["delta"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} dari bulan lalu<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis=top_down_axis(),
        xaxis={"title": "Jumlah posyandu", "rangemode": "tozero"},
        showlegend=False,
        height=380,
        margin={"t": 20, "r": 170},
    )
    return fig


def _delta_text(delta: object) -> str:
    if is_missing(delta):
        return "Δ –"
    value = int(delta)
    return f"Δ {'+' if value > 0 else ''}{format_number(value)}"


def plot_registration_history(history: pd.DataFrame, deadline: date, deadline_label: str) -> go.Figure:
    """Posyandu registered at each month end (master in force), with the registration deadline."""
    fig = go.Figure(
        go.Scatter(
            x=history["month"],
            y=history["share"] * 100,
            mode="lines+markers",
            line={"color": indicator_color("registered"), "width": 3},
            customdata=[
                f"{format_month(r.month)}: {format_number(r.registered)} dari {format_number(r.posyandu)} posyandu "
                f"({format_share(r.share)}), {_delta_text(r.delta)}; master per {format_date(r.master_date)}"
                for r in history.itertuples()
            ],
            hovertemplate=HOVER_FROM_CUSTOMDATA,
            name="Teregistrasi",
        )
    )
    deadline_month = pd.Timestamp(deadline).replace(day=1)
    fig.add_vline(x=deadline_month, line={"color": TARGET_COLOR, "dash": "dash"})
    fig.add_annotation(
        x=deadline_month,
        y=100,
        text=deadline_label,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 11, "color": TARGET_COLOR},
    )
    fig.update_layout(
        yaxis={"title": "% posyandu teregistrasi", "range": [0, 105]},
        showlegend=False,
        height=340,
        margin={"t": 20},
    )
    return fig


def describe_fields_declared_served(fields: pd.DataFrame, distribution: pd.DataFrame, month: object) -> str:
    total = int(fields["posyandu_total"].max()) if len(fields) else 0
    if total == 0:
        return "Belum ada posyandu di master posyandu untuk wilayah ini"
    declared = int(distribution.loc[distribution["spm_field_count"] == 6, "posyandu_declared"].sum())
    served = int(distribution.loc[distribution["spm_field_count"] == 6, "posyandu_served"].sum())
    gap = int(fields["declared_not_served"].sum())
    return (
        f"{format_number(declared)} posyandu menyatakan keenam bidang SPM, {format_number(served)} melayani keenamnya "
        f"pada {format_month(month)}; {format_number(gap)} pasangan posyandu × bidang dinyatakan tanpa layanan bulan itu"
    )


def describe_service_panels(trend: pd.DataFrame, month: object) -> str:
    period = trend[trend["month"] == pd.Timestamp(month)]
    if period.empty:
        return f"Belum ada laporan layanan 6 SPM untuk {format_month(month)}"
    indicators = len(period)
    reporting = int(period["posyandu_reporting"].max())
    return (
        f"{format_number(indicators)} indikator layanan 6 SPM dilaporkan pada {format_month(month)}, "
        "masing-masing dengan skalanya sendiri"
        + (f" (paling banyak {format_number(reporting)} posyandu melapor satu indikator)" if reporting else "")
    )


def describe_pipeline(pipeline: pd.DataFrame) -> str:
    total = int(pipeline["posyandu_total"].iloc[0]) if len(pipeline) else 0
    if total == 0:
        return "Belum ada master posyandu yang berlaku pada bulan ini untuk wilayah ini"
    done = pipeline.iloc[-1]
    drops = pipeline["posyandu"].shift(1, fill_value=total) - pipeline["posyandu"]
    worst = pipeline.loc[drops.idxmax()]
    return (
        f"{format_number(done['posyandu'])} dari {format_number(total)} posyandu ({format_share(done['share'])}) sudah melewati "
        f"semua tahap sampai teregistrasi{_delta_words(done['delta'])}; terbanyak ({format_number(int(drops.max()))} posyandu) "
        f"tertahan di tahap {worst['stage_label'][:1].lower()}{worst['stage_label'][1:]}"
    )


def _delta_words(delta: object) -> str:
    """The change in words for a headline ("Δ +5" reads as a formula on a slide)."""
    if is_missing(delta):
        return ""
    value = int(delta)
    if value == 0:
        return ", sama dengan bulan lalu"
    return f", {'bertambah' if value > 0 else 'berkurang'} {format_number(abs(value))} dari bulan lalu"


def describe_deadline(history: pd.DataFrame, deadline: date) -> str:
    """ "Pada batas 30 Juni 2025: 371 teregistrasi (41,2%); sekarang 547 (60,8%)"."""
    if history.empty:
        return "Belum ada master posyandu untuk melihat kemajuan registrasi"
    at = history[history["month"] == pd.Timestamp(deadline).replace(day=1)]
    now = history.iloc[-1]
    now_text = f"{format_month(now['month'])}: {format_number(now['registered'])} ({format_share(now['share'])})"
    if at.empty:
        return f"Batas registrasi {format_date(deadline)} di luar riwayat master yang diterima; {now_text}"
    row = at.iloc[0]
    return (
        f"Pada batas {format_date(deadline)}: {format_number(row['registered'])} posyandu teregistrasi "
        f"({format_share(row['share'])}); {now_text}"
    )


def table_spm_fields(fields: pd.DataFrame, period: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Bidang SPM": [SPM_FIELD_NAMES.get(f, f) for f in fields["spm_field"]],
            **{
                header: fields[column]
                for header, column in zip(spm_field_headers(period), SPM_FIELD_COLUMNS, strict=True)
            },
        }
    )


SPM_FIELD_COLUMNS = ("posyandu_declared", "posyandu_served", "declared_not_served", "served_not_declared")


def spm_field_headers(period: str) -> dict[str, tuple[str, int]]:
    """Full header -> (short header, width px) of table_spm_fields' counts: the screen shows the
    short one (the period and unit are in the title above it), the downloads the full one."""
    return {
        f"Dinyatakan (posyandu, master per akhir {period})": ("Dinyatakan", 110),
        f"Dilayani (posyandu, {period})": ("Dilayani", 100),
        f"Dinyatakan tanpa layanan (posyandu, {period})": ("Dinyatakan tanpa layanan", 190),
        f"Dilayani tanpa dinyatakan (posyandu, {period})": ("Dilayani tanpa dinyatakan", 190),
    }


STATUS_LABELS = {
    "belum": "Belum diajukan",
    "diajukan": "Diajukan",
    "terverifikasi": "Terverifikasi",
    "teregistrasi": "Teregistrasi",
}


def table_services_by_indicator(services: pd.DataFrame, period: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Bidang SPM": [SPM_FIELD_NAMES.get(f, f) for f in services["spm_field"]],
            "Indikator": services["indicator"],
            f"Nilai dilaporkan (jumlah, {period})": services["value_total"],
            f"Posyandu melapor (posyandu, {period})": services["posyandu_reporting"],
            f"Posyandu menyatakan bidang (posyandu, {period})": services["posyandu_declared"],
            f"Cakupan (%, {period})": services["coverage"] * 100,
            "Penyebut cakupan": services["denominator_label"].fillna("tidak ada di register"),
        }
    )


def services_screen_headers(period: str) -> dict[str, tuple[str, int]]:
    """The columns of table_services_by_indicator shown by default, full header -> (short
    header, width px): field, indicator, value, reporting and coverage fit 1366 px beside the
    sidebar; the posyandu declaring the field and the coverage denominator are a toggle away."""
    return {
        "Bidang SPM": ("Bidang SPM", 250),
        "Indikator": ("Indikator", 320),
        f"Nilai dilaporkan (jumlah, {period})": ("Nilai", 90),
        f"Posyandu melapor (posyandu, {period})": ("Melapor", 90),
        f"Cakupan (%, {period})": ("Cakupan (%)", 100),
    }


def table_action_summary(summary: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Tim pendamping": summary["team"],
            "Kecamatan": summary["kecamatan"],
            "Posyandu belum legal penuh": summary["posyandu"],
        }
    )
    for code, label in GAP_LABELS.items():
        table[_gap_header(label)] = summary[code]
    return table


def _gap_header(label: str) -> str:
    return label[0].upper() + label[1:]


# What is missing, as a narrow header: the full label is the column's help and the download's header.
GAP_SHORT_HEADERS = {
    "no_musdes": ("Belum musdes", 105),
    "no_sk": ("Belum SK", 80),
    "not_submitted": ("Belum diajukan", 115),
    "awaiting_verification": ("Tunggu verifikasi", 130),
    "awaiting_number": ("Tunggu nomor", 110),
    "number_missing": ("Nomor tak tercatat", 140),
}


def action_summary_screen_headers() -> dict[str, tuple[str, int]]:
    """The columns of table_action_summary shown by default, full header -> (short header,
    width px): the team, how many posyandu and each missing step fit 1366 px beside the
    sidebar; the team's kecamatan (named in the list below) are a toggle away."""
    return {
        "Tim pendamping": ("Tim", 75),
        "Posyandu belum legal penuh": ("Belum legal", 95),
        **{_gap_header(GAP_LABELS[code]): short for code, short in GAP_SHORT_HEADERS.items()},
    }


def table_action_list(actions: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tim pendamping": actions["team"],
            "Kecamatan": actions["nama_kec"],
            "Desa/Kelurahan": actions["nama_desa"],
            "Posyandu": actions["posyandu_name"],
            "Yang belum lengkap": actions["missing"],
            "Langkah berikutnya": actions["next_step"],
            "Status registrasi": actions["registration_status"].map(STATUS_LABELS),
            "ID posyandu": actions["posyandu_id"],
            "Tanggal musdes": actions["musdes_date"],
            "Nomor SK pembentukan": actions["sk_number"],
        }
    )


# Where the posyandu is, what it lacks and what comes next fit 1366 px beside the sidebar; its
# registration status, ID, musdes date and SK number are a toggle away and in the downloads.
ACTION_LIST_SCREEN_HEADERS = {
    "Tim pendamping": ("Tim", 70),
    "Kecamatan": ("Kecamatan", 150),
    "Desa/Kelurahan": ("Desa/Kelurahan", 140),
    "Posyandu": ("Posyandu", 150),
    "Yang belum lengkap": ("Yang belum lengkap", 200),
    "Langkah berikutnya": ("Langkah berikutnya", 180),
}
