"""Transformasi 6 SPM dan legalitas: figures and the sentences that state their findings."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.legality import GAP_LABELS
from dashboard.formatting import format_month, format_number, format_percent, format_share
from dashboard.theme import OKABE_ITO, indicator_color
from etl.registers import SPM_FIELD_NAMES, SPM_FIELDS


def plot_field_count_distribution(distribution: pd.DataFrame) -> go.Figure:
    """Posyandu by number of SPM fields served (0-6); the full six in the programme colour."""
    total = int(distribution["posyandu"].sum())
    colours = [indicator_color("registered") if k == 6 else OKABE_ITO["blue"] for k in distribution["spm_field_count"]]
    fig = go.Figure(
        go.Bar(
            x=[str(k) for k in distribution["spm_field_count"]],
            y=distribution["posyandu"],
            marker={"color": colours},
            text=[format_number(v) for v in distribution["posyandu"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[
                f"{format_number(v)} posyandu ({format_percent(v / total * 100 if total else None)}) melayani {k} bidang"
                for k, v in zip(distribution["spm_field_count"], distribution["posyandu"], strict=True)
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"title": "Jumlah bidang SPM yang dilayani", "type": "category"},
        yaxis={"title": "Jumlah posyandu"},
        showlegend=False,
        height=360,
        margin={"t": 30},
    )
    return fig


def plot_fields_served(fields: pd.DataFrame) -> go.Figure:
    """Posyandu serving each SPM field (horizontal bars, in the official order, top to bottom)."""
    labels = [SPM_FIELD_NAMES[f] for f in fields["spm_field"]]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=fields["posyandu_serving"],
            orientation="h",
            marker={"color": [indicator_color(f) for f in fields["spm_field"]]},
            text=[
                f"{format_number(n)} ({format_share(s)})"
                for n, s in zip(fields["posyandu_serving"], fields["share"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis={"autorange": "reversed", "title": None},
        xaxis={"title": "Jumlah posyandu yang melayani"},
        showlegend=False,
        height=340,
        margin={"t": 20, "r": 90},
    )
    return fig


def plot_services_trend(trend: pd.DataFrame) -> go.Figure:
    """Services reported per month, one line per SPM field in its colour."""
    fig = go.Figure()
    for field in SPM_FIELDS:
        frame = trend[trend["spm_field"] == field]
        if frame.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=frame["month"],
                y=frame["services"],
                mode="lines+markers",
                name=SPM_FIELD_NAMES[field],
                line={"color": indicator_color(field)},
                customdata=[
                    f"{SPM_FIELD_NAMES[field]}, {format_month(m)}: {format_number(v)} layanan dari {format_number(p)} posyandu"
                    for m, v, p in zip(frame["month"], frame["services"], frame["posyandu_reporting"], strict=True)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_layout(
        yaxis={"title": "Jumlah layanan (semua indikator)", "rangemode": "tozero"}, height=420, margin={"t": 90}
    )
    return fig


def plot_registration_pipeline(pipeline: pd.DataFrame) -> go.Figure:
    """The registration pipeline as a funnel of horizontal bars, first stage on top."""
    fig = go.Figure(
        go.Bar(
            y=pipeline["stage_label"],
            x=pipeline["posyandu"],
            orientation="h",
            marker={"color": indicator_color("registered")},
            text=[
                f"{format_number(n)} ({format_share(s)})"
                for n, s in zip(pipeline["posyandu"], pipeline["share"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} dari semua posyandu<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis={"autorange": "reversed", "title": None},
        xaxis={"title": "Jumlah posyandu", "rangemode": "tozero"},
        showlegend=False,
        height=320,
        margin={"t": 20, "r": 90},
    )
    return fig


def describe_field_counts(distribution: pd.DataFrame) -> str:
    total = int(distribution["posyandu"].sum())
    if total == 0:
        return "Belum ada posyandu di master posyandu untuk wilayah ini"
    six = int(distribution.loc[distribution["spm_field_count"] == 6, "posyandu"].sum())
    mode = distribution.sort_values(["posyandu", "spm_field_count"], ascending=[False, True]).iloc[0]
    return (
        f"{format_number(six)} dari {format_number(total)} posyandu ({format_percent(six / total * 100)}) sudah melayani keenam bidang SPM; "
        f"terbanyak melayani {int(mode['spm_field_count'])} bidang"
    )


def describe_fields_served(fields: pd.DataFrame) -> str:
    if fields["posyandu_total"].max() == 0:
        return "Belum ada posyandu di master posyandu untuk wilayah ini"
    ordered = fields.sort_values("share")
    low, high = ordered.iloc[0], ordered.iloc[-1]
    return (
        f"Bidang {SPM_FIELD_NAMES[high['spm_field']]} paling banyak dilayani ({format_share(high['share'])} posyandu), "
        f"{SPM_FIELD_NAMES[low['spm_field']]} paling sedikit ({format_share(low['share'])})"
    )


def describe_services(trend: pd.DataFrame, month: object) -> str:
    period = trend[trend["month"] == pd.Timestamp(month)]
    if period.empty:
        return f"Belum ada laporan layanan 6 SPM untuk {format_month(month)}"
    fields = period["spm_field"].nunique()
    return (
        f"{format_number(period['services'].sum())} layanan 6 SPM dilaporkan pada {format_month(month)}, "
        f"dari {format_number(fields)} bidang"
    )


def describe_pipeline(pipeline: pd.DataFrame) -> str:
    total = int(pipeline["posyandu_total"].iloc[0]) if len(pipeline) else 0
    if total == 0:
        return "Belum ada posyandu di master posyandu untuk wilayah ini"
    done = pipeline.iloc[-1]
    drops = pipeline["posyandu"].shift(1, fill_value=total) - pipeline["posyandu"]
    worst = pipeline.loc[drops.idxmax()]
    return (
        f"{format_number(done['posyandu'])} dari {format_number(total)} posyandu ({format_share(done['share'])}) sudah legal penuh; "
        f"terbanyak tertahan di tahap {worst['stage_label'].lower()} ({format_number(int(drops.max()))} posyandu)"
    )


STATUS_LABELS = {
    "belum": "Belum diajukan",
    "diajukan": "Diajukan",
    "terverifikasi": "Terverifikasi",
    "teregistrasi": "Teregistrasi",
}


def table_services_by_indicator(services: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Bidang SPM": [SPM_FIELD_NAMES.get(f, f) for f in services["spm_field"]],
            "Indikator": services["indicator"],
            "Jumlah layanan": services["services"],
            "Posyandu melapor": services["posyandu_reporting"],
        }
    )


def table_action_summary(summary: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Tim pendamping": summary["team"],
            "Kecamatan": summary["kecamatan"],
            "Posyandu belum legal penuh": summary["posyandu"],
        }
    )
    for code, label in GAP_LABELS.items():
        table[label[0].upper() + label[1:]] = summary[code]
    return table


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
