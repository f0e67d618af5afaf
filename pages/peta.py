"""Peta: kecamatan or desa choropleth of one indicator, posyandu points by registration
status; a click on an area sets the shared kecamatan filter."""

from functools import partial

import streamlit as st

from dashboard.formatting import format_month, format_number, source_note
from dashboard.maps.boundaries import load_boundaries
from dashboard.maps.draw import CLASSIFICATION_LABELS, build_choropleth_map, build_points_only_map
from dashboard.maps.indicators import MAP_INDICATOR_LABELS, MAP_INDICATORS, indicator_table, indicator_values
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY
from dashboard.queries.areas import describe_area, describe_kecamatan_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.map import query_posyandu_points
from dashboard.queries.priority import query_scored_areas
from dashboard.ui.cached_map import file_stamp, show_cached_map
from dashboard.ui.map_clicks import select_clicked_area
from dashboard.ui.page import start_page
from dashboard.ui.sidebar import select_kecamatan
from dashboard.ui.widgets import show_table

MAP_KEY = "peta_map"
POINTS_ONLY_NOTE = "Batas wilayah belum tersedia: hanya titik posyandu yang ditampilkan."


filters = start_page(
    "Peta Posyandu dan Indikator Wilayah",
    "Klik sebuah kecamatan atau desa pada peta untuk memilih kecamatannya di seluruh dasbor",
)
period = format_month(filters.month)
weights = st.session_state.get(WEIGHTS_STATE_KEY, DEFAULT_WEIGHTS)

left, middle, right = st.columns([1.2, 2, 1.4])
level_label = left.radio("Tingkat wilayah", ["Kecamatan", "Desa/Kelurahan"], horizontal=True, key="map_level")
level = "desa" if level_label == "Desa/Kelurahan" else "kecamatan"
unit_word = "desa/kelurahan" if level == "desa" else "kecamatan"
indicator_key = middle.selectbox(
    "Indikator", list(MAP_INDICATORS), format_func=MAP_INDICATOR_LABELS.get, key="map_indicator"
)
classification = right.radio(
    "Klasifikasi warna",
    list(CLASSIFICATION_LABELS),
    format_func=CLASSIFICATION_LABELS.get,
    horizontal=True,
    key="map_classification",
)
indicator = MAP_INDICATORS[indicator_key]

scored = query_scored_areas(filters, level, weights)
if level == "desa" and filters.kode_kec:
    scored = scored[scored["kode_kec"] == filters.kode_kec]
values = indicator_values(scored, indicator_key)
posyandu = query_posyandu_points(filters)

index_name, index_year = scored.attrs["basic_index_name"], scored.attrs["basic_index_year"]
period_text = {
    "month": period,
    "snapshot": "master posyandu terkini",
    "mixed": f"{period}; legalitas dari master posyandu terkini"
    + (f"; {index_name} {index_year}" if index_name else "; indeks desa belum dimuat"),
}[indicator.period]
map_note = f"Sumber: {indicator.source}, {period_text}"

boundaries = load_boundaries(level)
if boundaries.is_empty:
    # The how-to is said once, above the map; the map itself carries only a short note.
    st.warning(boundaries.message or "Batas wilayah tidak ditemukan.")
elif boundaries.message:
    st.caption(boundaries.message)


def draw_map():
    if boundaries.is_empty:
        return build_points_only_map(posyandu, POINTS_ONLY_NOTE)
    areas = boundaries.areas
    if filters.scope_kec is not None:
        areas = areas[areas["kode_kec"].isin(filters.scope_kec)]
    if level == "desa":
        if filters.kode_kec:
            areas = areas[areas["kode_kec"] == filters.kode_kec]
        kecamatan = load_boundaries("kecamatan").areas
        outline = kecamatan[kecamatan["kode_kec"].isin(areas["kode_kec"])]
    else:
        # The chosen kecamatan is outlined; the others stay clickable.
        outline = areas[areas["kode_kec"] == filters.kode_kec] if filters.kode_kec else None
    return build_choropleth_map(
        areas, values, indicator.spec, classification, posyandu, outline=outline, source_note=map_note
    )


# Built and rendered once per warehouse version and these choices (most of the page's cost).
show_cached_map(
    draw_map,
    "peta",
    (
        filters,
        level,
        indicator_key,
        classification,
        tuple(sorted(weights.items())),
        map_note,
        file_stamp(boundaries.source),
    ),
    key=MAP_KEY,
    height=640,
    returned_objects=["last_active_drawing"],
    on_change=partial(select_clicked_area, MAP_KEY),
)

with_data = int(values["value"].notna().sum())
placed = int(posyandu["lat"].notna().sum()) if len(posyandu) else 0
note = source_note(indicator.source, query_data_as_of())
# The kecamatan map always shows every kecamatan (the chosen one outlined); points follow the choice.
# Area values are those of whole kecamatan and desa; the posyandu points follow a chosen puskesmas or desa.
shown_area = describe_kecamatan_area(filters) if level == "desa" else describe_area(filters.whole_scope())
n_text = "" if indicator_key == "priority" else f" (n = {format_number(values['n'].sum())} {indicator.n_unit})"
st.caption(
    f"{indicator.spec.label}, {period_text}, {shown_area} per {unit_word} · "
    f"{format_number(with_data)} dari {format_number(len(values))} {unit_word} berdata{n_text} · "
    f"titik: {format_number(len(posyandu))} posyandu di {describe_area(filters)}, "
    f"{format_number(placed)} berkoordinat · "
    f"klasifikasi {CLASSIFICATION_LABELS[classification].lower()}; abu-abu = tidak ada data · {note}"
)
if indicator_key == "priority":
    st.caption(
        "Skor prioritas memakai bobot dari halaman Prioritas (bawaan bila belum diubah); rumusnya dijelaskan di sana."
    )
if indicator_key == "stunting":
    st.caption(
        f"Wilayah dengan kurang dari {indicator.min_n} balita diukur tidak diwarnai: angkanya terlalu tidak stabil."
    )
if filters.kode_kec and filters.scope_kec is None:
    st.button("Tampilkan seluruh kabupaten", on_click=select_kecamatan, args=(None,), key="map_show_all")

table = indicator_table(scored, values, indicator_key, level)
st.markdown(f"**{indicator.spec.label} per {unit_word}, {period}** (terburuk di atas)")
show_table(
    table,
    f"{indicator.spec.label} per {unit_word} {period}",
    note,
    key=f"map-{level}-{indicator_key}",
    column_config={"Keterangan": st.column_config.TextColumn(width="large")},
)
