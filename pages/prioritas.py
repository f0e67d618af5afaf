"""Prioritas: composite priority score per desa and per kecamatan, with adjustable weights."""

import streamlit as st

from dashboard.charts.priority import area_label, plot_priority_ranking
from dashboard.export.indicator_text import indicator_sources
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_month, format_number, format_percent, source_note
from dashboard.metrics.priority import (
    DEFAULT_WEIGHTS,
    MIN_CHILDREN,
    MIN_COMPONENTS,
    WEIGHTS_STATE_KEY,
    components_for,
    normalise_weights,
    priority_table,
    rank_areas,
)
from dashboard.queries.areas import describe_kecamatan_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.priority import query_basic_index_choice, query_scored_areas
from dashboard.ui.column_config import short_headers
from dashboard.ui.page import start_page
from dashboard.ui.priority_evaluation import show_priority_evaluation
from dashboard.ui.widgets import cached_chart, show_chart, show_table

SLIDER_KEY = "priority_weight_{}"


def reset_weights() -> None:
    st.session_state[WEIGHTS_STATE_KEY] = dict(DEFAULT_WEIGHTS)
    for key, value in DEFAULT_WEIGHTS.items():
        st.session_state[SLIDER_KEY.format(key)] = value


filters = start_page(
    "Prioritas Wilayah Pembinaan",
    "Skor gabungan untuk menentukan desa/kelurahan dan kecamatan yang didahulukan dalam pendampingan",
)
period = format_month(filters.month)

level_label = st.radio("Tingkat wilayah", ["Desa/Kelurahan", "Kecamatan"], horizontal=True, key="priority_level")
level = "desa" if level_label == "Desa/Kelurahan" else "kecamatan"
unit_word = "desa/kelurahan" if level == "desa" else "kecamatan"

stored = st.session_state.get(WEIGHTS_STATE_KEY, dict(DEFAULT_WEIGHTS))
# Labels follow the index actually loaded (Layanan Dasar, else IDM).
index_name, index_year = query_basic_index_choice()
components = components_for(index_name)

with st.expander("Bobot komponen (geser untuk mengubah)", expanded=False):
    columns = st.columns(len(components))
    weights = {}
    for column, component in zip(columns, components, strict=True):
        slider_key = SLIDER_KEY.format(component.key)
        # Seeded from the stored weights: Streamlit forgets a slider's state on other pages.
        st.session_state.setdefault(slider_key, int(stored.get(component.key, DEFAULT_WEIGHTS[component.key])))
        weights[component.key] = column.slider(
            component.label,
            min_value=0,
            max_value=50,
            step=5,
            key=slider_key,
            help=f"Bobot bawaan: {DEFAULT_WEIGHTS[component.key]}",
        )
    st.button("Kembalikan bobot bawaan", on_click=reset_weights)
st.session_state[WEIGHTS_STATE_KEY] = weights
shares = normalise_weights(weights, components)
if sum(weights.values()) == 0:
    st.warning("Semua bobot 0: skor dihitung dengan bobot bawaan.")

scored = query_scored_areas(filters, level, weights)
ranked = rank_areas(scored)
total_areas = len(ranked)
with_score = int(ranked["priority_score"].notna().sum())
shown = ranked if not filters.kode_kec else ranked[ranked["kode_kec"] == filters.kode_kec]

weights_text = ", ".join(f"{c.reason_label} {format_percent(shares[c.key] * 100, 0)}" for c in components)
defaults_text = ", ".join(f"{c.reason_label} {DEFAULT_WEIGHTS[c.key]}" for c in components)
index_text = (
    f"{index_name} tahun {index_year}" if index_name else "tidak ada (indeks desa belum dimuat; komponen ini dilewati)"
)
basic_word = next(c for c in components if c.key == "layanan_dasar").reason_label
st.markdown(
    f"""
**Cara menghitung skor prioritas** ({unit_word}, {period})

1. Lima komponen: prevalensi stunting (makin tinggi makin prioritas), indeks {basic_word} (makin rendah makin
   prioritas), D/S, partisipasi kader, dan persentase posyandu dengan legalitas lengkap (ketiganya makin rendah
   makin prioritas).
2. Setiap komponen diubah ke skala 0–100 dengan min-maks di antara {unit_word} yang memiliki data komponen itu
   (dari {format_number(total_areas)} {unit_word} dalam cakupan): 100 = terburuk, 0 = terbaik. Komponen yang
   nilainya sama di semua wilayah bernilai 0.
3. Skor prioritas = rata-rata tertimbang komponen. Bobot saat ini: {weights_text} (bobot bawaan: {defaults_text}).
4. Bila sebuah komponen tidak ada datanya untuk suatu wilayah, bobot komponen lain dibagi ulang sehingga
   jumlahnya tetap 100%, dan kolom *Alasan* menyebut komponen yang kosong. Wilayah dengan kurang dari
   {MIN_COMPONENTS} komponen berdata tidak diberi skor (ditaruh di akhir daftar). Stunting hanya dihitung bila
   minimal {MIN_CHILDREN} balita diukur.
5. Periode: stunting, D/S dan partisipasi kader bulan {period}; legalitas dari master posyandu terkini;
   indeks {basic_word}: {index_text}{" (rata-rata desa per kecamatan)" if level == "kecamatan" else ""}.
"""
)

if filters.kode_kec:
    st.info(
        f"Menampilkan {unit_word} di {describe_kecamatan_area(filters)}; peringkat dan skala 0–100 tetap dihitung "
        f"terhadap seluruh {format_number(total_areas)} {unit_word} dalam cakupan Anda."
    )

as_of = query_data_as_of()
sources = indicator_sources(["stunting", "ds_ratio", "registered", "basic_services_index"])
note = source_note(sources, as_of)
if shown["priority_score"].notna().any():
    top = shown.dropna(subset=["priority_score"]).iloc[0]
    meta = ChartMeta(
        title=f"{area_label(top, level)} paling diprioritaskan: skor {format_number(top['priority_score'], 1)}",
        subtitle=f"{format_number(min(15, len(shown)))} {unit_word} dengan skor tertinggi, {period}, {describe_kecamatan_area(filters)}",
        source_note=note,
        n=f"n = {format_number(with_score)} dari {format_number(total_areas)} {unit_word} memiliki skor",
    )
    show_chart(cached_chart(plot_priority_ranking, shown, components, level), meta, key=f"priority-{level}")
else:
    st.warning(f"Belum ada {unit_word} yang memiliki data untuk komponen skor pada {period}.")

table = priority_table(shown, components, level)
name_header = "Desa/Kelurahan" if level == "desa" else "Kecamatan"
priority_headers = short_headers(
    {
        "Peringkat": ("Peringkat", 80),
        "Kecamatan": ("Kecamatan", 150),
        name_header: (name_header, 150),
        "Skor prioritas (0–100)": ("Skor", 65),
        "Alasan": ("Alasan", 310),
        "Catatan n kecil": ("Catatan n kecil", 135),
    }
)
for pinned in ("Peringkat", name_header):
    priority_headers[pinned]["pinned"] = True
st.markdown(f"**Daftar prioritas {unit_word}, {period}**")
st.caption(
    f"{note} · n = {format_number(len(shown))} {unit_word} ditampilkan, {format_number(with_score)} dari "
    f"{format_number(total_areas)} memiliki skor · peringkat 1 = paling diprioritaskan"
)
show_table(
    table,
    f"Prioritas {unit_word} {period}",
    note,
    key=f"priority-{level}",
    # the rank, the area, its score, the reason and the small-n note fit a 1366-px laptop; each
    # component's value and n are a toggle away (and in the downloads); rank and name stay pinned
    column_config=priority_headers,
    columns=["Peringkat", name_header, "Kecamatan", "Skor prioritas (0–100)", "Alasan", "Catatan n kecil"],
)

show_priority_evaluation(filters, as_of)
