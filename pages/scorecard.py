"""Scorecard Rapat: kecamatan × key indicators, traffic lights against targets, change vs last month."""

import streamlit as st

from dashboard.formatting import format_month, format_number, month_name, source_note
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY
from dashboard.metrics.scorecard import (
    INDICATOR_BY_KEY,
    INDICATORS,
    LIGHT_COLORS,
    TARGETS,
    TREND_COLORS,
    build_scorecard,
    export_table,
    light_counts,
    sort_scorecard,
    style_scorecard,
)
from dashboard.queries.areas import describe_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.scorecard import previous_month, query_scorecard_rows
from dashboard.ui.column_config import PLACEHOLDER, table_column_config
from dashboard.ui.followup import scorecard_followup
from dashboard.ui.page import start_page
from dashboard.ui.widgets import show_table

filters = start_page(
    "Scorecard Rapat Tim Pembina",
    "Indikator kunci per kecamatan dengan lampu lalu lintas terhadap target dan perubahan dari bulan lalu",
)
period = format_month(filters.month)
before = previous_month(filters.month)
weights = st.session_state.get(WEIGHTS_STATE_KEY, DEFAULT_WEIGHTS)

current = query_scorecard_rows(filters, weights)
previous = query_scorecard_rows(filters, weights, before)
card = build_scorecard(current, previous)

sort_options = ["name", *(i.key for i in INDICATORS)]
left, right = st.columns([2, 1])
sort_key = left.selectbox(
    "Urutkan menurut",
    sort_options,
    format_func=lambda k: "Nama kecamatan" if k == "name" else INDICATOR_BY_KEY[k].label,
    index=1,
    key="scorecard_sort",
)
worst_first = right.toggle("Terburuk di atas", value=True, key="scorecard_worst_first", disabled=sort_key == "name")
card = sort_scorecard(card, sort_key, worst_first)

labels = {i.key: i.label for i in INDICATORS}
counts = light_counts(card)
kecamatan_rows = card[~card["is_kabupaten"]]
if len(kecamatan_rows) > 1:
    st.markdown(
        " · ".join(
            f"**{labels[key]}**: {c['hijau']} hijau, {c['kuning']} kuning, {c['merah']} merah"
            for key, c in counts.items()
        )
        + f" (dari {format_number(len(kecamatan_rows))} kecamatan)"
    )


def scorecard_column_config(columns) -> dict:
    """Each column as wide as its header (unit and period must be readable); the kecamatan stays pinned."""
    config = {}
    for column in columns:
        if column == "Kecamatan":
            config[column] = st.column_config.Column(width=140, pinned=True)
        else:
            help_text = f"{column}: perubahan dari bulan lalu" if column.startswith("Δ ") else column
            config[column] = st.column_config.Column(width=int(7 * len(column)) + 18, help=help_text)
    return config


short_period = f"{month_name(filters.month.month, abbreviated=True)} {filters.month.year}"
short_before = f"{month_name(before.month, abbreviated=True)} {before.year}"
styled = style_scorecard(card, short_period, short_before)
selection = st.dataframe(
    styled,
    hide_index=True,
    key="scorecard-table",
    height=38 + 35 * len(card),
    column_config=scorecard_column_config(styled.data.columns),
    on_select="rerun",
    selection_mode="single-cell",
    placeholder=PLACEHOLDER,
)
scorecard_followup(filters, card, selection)

as_of = query_data_as_of()
note = source_note("e-PPGBM (data rutin), laporan bulanan posyandu, layanan 6 SPM, master posyandu, indeks desa", as_of)
children = int(kecamatan_rows["children"].sum())
reporting_s = int(kecamatan_rows["s_total"].sum())
st.caption(
    f"{note} · periode {period}, dibanding {format_month(before)} · {describe_area(filters)} · "
    f"n = {format_number(len(kecamatan_rows))} kecamatan, {format_number(children)} balita diukur, "
    f"{format_number(reporting_s)} balita sasaran (S), {format_number(int(kecamatan_rows['posyandu'].sum()))} posyandu"
)

swatches = " ".join(
    f'<span style="background:{color};padding:1px 8px;border-radius:3px">{light}</span>'
    for light, color in LIGHT_COLORS.items()
)
targets = "".join(f"<li><b>{labels[key]}</b>: {target.describe()}</li>" for key, target in TARGETS.items())
st.markdown(
    f"""
**Target dan arti warna** {swatches}
<ul>{targets}</ul>
Tanpa target (tanpa warna): bidang SPM dilayani, skor prioritas.
Kolom Δ = perubahan dari {format_month(before)}: ▲ naik, ▼ turun, = tetap; panah
<span style="color:{TREND_COLORS["membaik"]};font-weight:bold">hijau = membaik</span>,
<span style="color:{TREND_COLORS["memburuk"]};font-weight:bold">merah = memburuk</span>
(untuk stunting dan skor prioritas, turun berarti membaik). Selisih persentase dalam poin persen.
""",
    unsafe_allow_html=True,
)
st.caption(
    "Definisi: stunting = balita 0–59 bulan dengan TB/U < −2 SD (pengukuran terakhir tiap anak di bulan itu, data rutin "
    "e-PPGBM, bukan survei); D/S = balita ditimbang ÷ balita sasaran; partisipasi kader = kader hadir pada hari buka ÷ "
    "kader terdaftar, atas posyandu yang buka bulan itu (rata-rata per hari buka bila buka lebih dari sekali); "
    "teregistrasi = posyandu dengan status teregistrasi dan nomor registrasi Kemendagri pada akhir bulan, menurut "
    "master posyandu yang berlaku saat itu (setiap master yang diterima disimpan, jadi ada Δ); bidang SPM dilayani = "
    "rata-rata jumlah bidang SPM (0–6) dengan layanan > 0 dilaporkan bulan itu, atas semua posyandu di master (yang "
    "tidak melapor = 0; berbeda dari bidang yang dinyatakan di master); skor prioritas = skor gabungan halaman "
    "Prioritas (0–100, relatif antarkecamatan, dengan bobot yang sedang dipakai). Kolom legalitas lengkap dihapus: "
    "registrasi mensyaratkan musdes dan SK, sehingga di setiap master yang diterima isinya sama dengan teregistrasi."
)
if previous["children"].sum() == 0 and previous["s_total"].sum() == 0:
    st.info(f"Tidak ada data {format_month(before)}, jadi kolom Δ kosong.")

with st.expander("Tabel angka dengan n dan bulan lalu (unduh Excel/CSV)"):
    table = export_table(card, format_month(filters.month), format_month(before))
    show_table(
        table,
        f"Scorecard rapat {period}",
        note,
        key="scorecard-export",
        column_config=table_column_config(table),
    )
