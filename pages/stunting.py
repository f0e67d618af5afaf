"""Child nutrition: stunting (the headline) and five more WHO indicators with design-based intervals,
age × sex and coverage; survey figures beside routine ones, areas, HAZ spread and data quality."""

from functools import partial

import streamlit as st

from dashboard.catalogue.indicators import MIN_CHILDREN_FOR_RANK, indicator
from dashboard.catalogue.registers import register_sources
from dashboard.charts.nutrition import (
    NUTRITION_INDICATORS,
    build_coverage_table,
    build_indicator_table,
    describe_age_sex,
    describe_coverage,
    describe_nutrition,
    plot_age_sex,
    plot_indicator_trends,
)
from dashboard.charts.stunting import (
    build_area_table,
    build_export_table,
    build_map_values,
    build_position_table,
    build_quality_kecamatan_table,
    build_quality_month_table,
    build_quality_table,
    describe_dates_and_sex,
    describe_digits,
    describe_haz,
    describe_quality,
    describe_ranking,
    describe_trend,
    plot_area_ranking,
    plot_digit_preference,
    plot_haz_distribution,
    plot_prevalence_trend,
    plot_sd_trend,
    quality_badges_markdown,
    quality_table_columns,
    stunting_target,
)
from dashboard.export.indicator_text import indicator_sources
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_month, format_number, format_percent, format_share, source_note
from dashboard.maps.boundaries import load_boundaries
from dashboard.maps.draw import IndicatorSpec, build_choropleth_map, build_points_only_map
from dashboard.metrics.quality import (
    QUALITY_RULES,
    compute_export_differences,
    digit_counts,
    dissimilarity_index,
    rate_quality,
)
from dashboard.queries.areas import describe_area, describe_kecamatan_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.map import query_posyandu_points
from dashboard.queries.nutrition import query_nutrition_breakdown, query_nutrition_coverage, query_nutrition_trend
from dashboard.queries.stunting import (
    query_area_prevalence,
    query_data_quality_by_kecamatan,
    query_data_quality_totals,
    query_data_quality_trend,
    query_desa_options,
    query_haz_distribution,
    query_haz_summary,
    query_import_problems,
    query_posyandu_prevalence,
    query_stunting_headline,
    query_stunting_trend,
    query_survey_stunting,
)
from dashboard.ui.cached_map import file_stamp, show_cached_map
from dashboard.ui.column_config import short_headers
from dashboard.ui.map_clicks import select_clicked_area
from dashboard.ui.page import require_register, start_page
from dashboard.ui.widgets import cached_chart, cached_table, show_chart, show_table

DESA_KEY = "stunting_desa"
MAP_KEY = "stunting_map"
MAP_LEVEL_KEY = "stunting_map_level"
MAP_FOR_KEY = "stunting_map_for"  # the kecamatan filter the map level was last set for
MAP_HEIGHT = 640
# A quality table shows its summary and what to check at 1366 px; each indicator's column is a toggle away.
QUALITY_TABLE_WIDTHS = short_headers({"Ringkasan": ("Ringkasan", 230), "Perlu dicek": ("Perlu dicek", 330)})
STUNTING_SPEC = IndicatorSpec(key="stunting", label="Stunting (TB/U < −2 SD)", unit="%")
QUALITY_COLUMNS = {
    "Indikator": st.column_config.TextColumn(width="medium"),
    "Nilai": st.column_config.TextColumn(width="small"),
    "n": st.column_config.TextColumn(width="small"),
    "Ambang": st.column_config.TextColumn(width="large"),
}
SMALL_CELLS = {
    "count_columns": ["Balita diukur (TB/U sah)", "Balita stunting"],
    "dependent_columns": ["Prevalensi", "IK 95%"],
}


filters = start_page(
    "Gizi Balita",
    "Stunting dan lima indikator gizi lain menurut standar WHO 2006: data rutin e-PPGBM dan survei",
)
if not require_register("eppgbm", "pengukuran balita (e-PPGBM)"):
    st.stop()

period = format_month(filters.month)
# Prevalence with its design-based interval and the quality checks exist per kecamatan; the desa
# ranking, the drill-down and the HAZ distribution are narrowed by a chosen puskesmas or desa.
area, kec_area = describe_area(filters), describe_kecamatan_area(filters)
as_of = query_data_as_of()
routine_source = source_note(indicator_sources(["stunting"]), as_of)
subtitle = f"{period}, {kec_area}"

# --- headline: routine next to survey, never mixed -------------------------------------------

headline = query_stunting_headline(filters)
coverage = query_nutrition_coverage(filters)
surveys = query_survey_stunting()
left, middle, right = st.columns(3)
if headline is None:
    left.metric("Stunting — data rutin e-PPGBM", "–")
    left.caption(f"Tidak ada pengukuran pada {period} di {kec_area}.")
else:
    left.metric(f"Stunting — e-PPGBM, {period}", format_share(headline["prevalence"]))
    left.caption(
        f"**{format_share(headline['prevalence'])} — e-PPGBM, {period}** · {format_number(headline['stunted'])} dari "
        f"{format_number(headline['n_haz'])} balita diukur (IK 95% {format_share(headline['ci_low'])}–"
        f"{format_share(headline['ci_high'])}) · {kec_area} · data rutin, bukan survei · "
        f"{describe_coverage(coverage, filters.month)}"
    )
if surveys.empty:
    middle.metric("Stunting — survei", "–")
    middle.caption("Belum ada angka survei (SSGI/SKI) di register angka resmi.")
else:
    survey = surveys.iloc[-1]
    middle.metric(f"Stunting — survei {survey['source']}", format_percent(survey["value_pct"]))
    middle.caption(
        f"**{format_percent(survey['value_pct'])} — {survey['source']}, tahun {survey['year']}** · "
        "angka survei tingkat Kabupaten Kutai Kartanegara"
    )
target = stunting_target([filters.month])
if target is None:
    right.metric("Target nasional", "–")
    right.caption(f"Belum ada target bersumber untuk tahun {filters.month.year}.")
else:
    right.metric(f"Target nasional {target.year_from or ''}".strip(), target.value_text())
    right.caption(
        f"{target.source}. Data rutin dan survei diukur dengan cara berbeda: bandingkan arahnya, bukan angkanya."
    )

# --- trend ----------------------------------------------------------------------------------

st.subheader("Tren bulanan")
trend = query_stunting_trend(filters)
show_chart(
    cached_chart(plot_prevalence_trend, trend, surveys),
    ChartMeta(
        title=describe_trend(trend),
        subtitle=f"Sampai {period}, {kec_area}; titik hitam: survei tingkat kabupaten",
        source_note=source_note(indicator_sources(["stunting"], [register_sources(["official_stunting"])]), as_of),
        n=f"n = {format_number(headline['n_haz'])} balita pada {period}" if headline is not None else "",
    ),
    key="stunting-trend",
)
st.caption(
    "Data rutin: pengukuran terakhir tiap balita 0–59 bulan dalam bulan itu; z-skor dibulatkan 2 desimal lalu "
    "dinilai seperti WHO Anthro (flag WHO dikeluarkan). Pita: interval kepercayaan 95% berbasis desain "
    "(klaster posyandu, strata kecamatan). Survei memakai sampel dan metode lain."
)

# --- six WHO indicators, age × sex and the coverage behind them -----------------------------------

st.subheader("Enam indikator gizi balita")
nutrition = query_nutrition_trend(filters)
nutrition_source = source_note(indicator_sources(["stunting", "ds_ratio"]), as_of)
show_table(
    build_indicator_table(nutrition, coverage, filters.month),
    title=f"Indikator gizi balita, {subtitle}",
    source_note=nutrition_source,
    key="nutrition-indicators",
    count_columns=["Kasus", "n"],
    dependent_columns=["Prevalensi", "IK 95%", "SE (poin)"],
)
st.caption(
    f"{describe_nutrition(nutrition, filters.month)}. Dihitung seperti WHO Anthro Survey Analyser: z-skor "
    "dibulatkan 2 desimal sebelum ambang dan flag, nilai ber-flag dikeluarkan, umur 0–1.826 hari; IK 95% "
    "logit dengan derajat bebas desain (posyandu − kecamatan). n ÷ sasaran: balita yang dihitung dibagi S "
    "laporan bulanan; IK tidak ditampilkan bila semua balita berasal dari satu posyandu."
)
show_chart(
    cached_chart(plot_indicator_trends, nutrition),
    ChartMeta(
        title=describe_nutrition(nutrition, filters.month),
        subtitle=f"Sampai {period}, {area}; pita: IK 95% berbasis desain",
        source_note=routine_source,
    ),
    key="nutrition-trends",
)

st.subheader("Menurut umur dan jenis kelamin")
age_sex_indicator = st.selectbox(
    "Indikator",
    list(NUTRITION_INDICATORS),
    format_func=lambda code: NUTRITION_INDICATORS[code][0],
    key="nutrition_age_sex_indicator",
)
breakdown = query_nutrition_breakdown(filters)
show_chart(
    cached_chart(plot_age_sex, breakdown, age_sex_indicator),
    ChartMeta(
        title=describe_age_sex(breakdown, age_sex_indicator),
        subtitle=f"{subtitle}; garis: IK 95% berbasis desain",
        source_note=routine_source,
    ),
    key="nutrition-age-sex",
)

st.subheader("Cakupan di balik angka")
show_table(
    build_coverage_table(coverage, filters.month),
    title=f"Cakupan pengukuran, {subtitle}",
    source_note=nutrition_source,
    key="nutrition-coverage",
)
st.caption(
    "Kelengkapan laporan: posyandu balita yang mengirim laporan bulanan dibagi posyandu balita di master "
    "(seperti ukuran kelengkapan alat mutu data WHO). N/D dan 2T dari kolom “Naik Berat Badan” e-PPGBM: "
    "N = naik, 2T = tidak naik dua bulan berturut-turut."
)

# --- areas: ranking and map -------------------------------------------------------------------

level = "desa" if filters.kode_kec else "kecamatan"
level_label = "desa/kelurahan" if level == "desa" else "kecamatan"
st.subheader(f"Per {level_label}")
areas = query_area_prevalence(filters, level)
ranking_col, map_col = st.columns(2)
with ranking_col:
    if (areas["n_haz"] > 0).any():
        show_chart(
            cached_chart(plot_area_ranking, areas, target),
            ChartMeta(
                title=describe_ranking(areas, level_label, target),
                subtitle=f"{period}, {area}; peringkat hanya bila sedikitnya {MIN_CHILDREN_FOR_RANK} balita diukur",
                source_note=routine_source,
                n=f"n = {format_number(areas['n_haz'].sum())} balita",
            ),
            key="stunting-ranking",
        )
        unmeasured = areas.loc[~(areas["n_haz"] > 0), "name"].tolist()
        if unmeasured:
            st.caption(f"Tidak ada pengukuran pada {period}: {', '.join(unmeasured)}.")
    else:
        st.info(f"Tidak ada pengukuran pada {period} di {area}.")

with map_col:
    if st.session_state.get(MAP_FOR_KEY, "") != filters.kode_kec:  # a new kecamatan choice: map its desa
        st.session_state[MAP_LEVEL_KEY] = "Desa" if filters.kode_kec else "Kecamatan"
        st.session_state[MAP_FOR_KEY] = filters.kode_kec
    map_level = st.radio("Peta menurut", ["Kecamatan", "Desa"], horizontal=True, key=MAP_LEVEL_KEY)
    boundaries = load_boundaries(map_level.lower())
    # Built and rendered once per warehouse version and these choices (dashboard/ui/cached_map.py).
    if boundaries.is_empty:
        st.info(boundaries.message or "Batas wilayah belum tersedia.")
        show_cached_map(
            lambda: build_points_only_map(
                query_posyandu_points(filters), "Batas wilayah belum tersedia: hanya titik posyandu yang ditampilkan."
            ),
            "stunting-points",
            (filters,),
            key=f"{MAP_KEY}-points",
            height=MAP_HEIGHT,
            returned_objects=[],
        )
    else:
        min_n = indicator("stunting").min_n("peta")

        def draw_map():
            shapes = boundaries.areas
            if filters.visible_kec is not None:
                shapes = shapes[shapes["kode_kec"].isin(filters.visible_kec)]
            map_areas = areas if map_level.lower() == level else query_area_prevalence(filters, map_level.lower())
            return build_choropleth_map(
                shapes,
                build_map_values(map_areas, min_n),
                STUNTING_SPEC,
                source_note=f"e-PPGBM, {period} (data rutin)",
            )

        st.markdown(f"**Stunting per {map_level.lower()}, {period}**")
        st.caption(f"{area}; klik wilayah untuk memilihnya")
        show_cached_map(
            draw_map,
            "stunting",
            (filters, map_level, level, period, min_n, file_stamp(boundaries.source)),
            key=MAP_KEY,
            height=MAP_HEIGHT,
            returned_objects=["last_active_drawing"],
            on_change=partial(select_clicked_area, MAP_KEY, DESA_KEY if map_level == "Desa" else None),
        )
        st.caption(
            f"Abu-abu: tidak ada pengukuran atau kurang dari {MIN_CHILDREN_FOR_RANK} balita (angka tidak stabil). "
            f"{routine_source}"
        )
        if boundaries.message:
            st.caption(boundaries.message)

# --- drill-down: kecamatan (sidebar) → desa → posyandu -----------------------------------------

st.subheader("Rincian kecamatan → desa → posyandu")
if not filters.kode_kec:
    show_table(
        build_area_table(areas, "Kecamatan"),
        f"Stunting per kecamatan, {period}",
        routine_source,
        key="stunting-kecamatan",
    )
    st.caption("Pilih kecamatan di panel samping (atau klik peta) untuk melihat desa dan posyandunya.")
else:
    show_table(
        build_area_table(areas, "Desa/kelurahan"),
        f"Stunting per desa, {area}, {period}",
        routine_source,
        key="stunting-desa",
        **SMALL_CELLS,
    )
    desa = query_desa_options(filters)
    names = dict(zip(desa["kode_desa"], desa["nama_desa"], strict=True))
    if filters.kode_desa:  # the sidebar's desa (also `?desa=` in a link) is the drill-down's
        kode_desa = filters.kode_desa if filters.kode_desa in names else None
    else:
        if names and st.session_state.get(DESA_KEY) not in names:
            st.session_state[DESA_KEY] = next(iter(names))
        kode_desa = st.selectbox("Desa/kelurahan", list(names), format_func=names.get, key=DESA_KEY)
    if kode_desa:
        posyandu = query_posyandu_prevalence(filters, kode_desa)
        if (posyandu["n_haz"] > 0).any():
            show_table(
                build_area_table(posyandu, "Posyandu"),
                f"Stunting per posyandu, {names[kode_desa]}, {period}",
                routine_source,
                key="stunting-posyandu",
                **SMALL_CELLS,
            )
            st.caption(
                f"Peringkat hanya untuk posyandu dengan sedikitnya {MIN_CHILDREN_FOR_RANK} balita diukur. "
                "Unduhan menyembunyikan jumlah 1–4 untuk melindungi anak."
            )
        else:
            st.info(f"Tidak ada pengukuran di {names[kode_desa]} pada {period}.")

# --- HAZ distribution -----------------------------------------------------------------------------

st.subheader("Sebaran z-skor TB/U dibanding standar WHO")
bins = query_haz_distribution(filters)
haz = query_haz_summary(filters)
if bins.empty:
    st.info(f"Tidak ada z-skor TB/U pada {period} di {area}.")
else:
    show_chart(
        cached_chart(plot_haz_distribution, bins),
        ChartMeta(
            title=describe_haz(haz),
            subtitle=f"{period}, {area}; kurva: sebaran anak sehat menurut standar WHO 2006",
            source_note=source_note(indicator_sources(["stunting"], ["WHO Child Growth Standards 2006"]), as_of),
            n=f"n = {format_number(haz['n'])} balita",
        ),
        key="stunting-haz",
    )

# --- data quality -----------------------------------------------------------------------------------

st.subheader("Kualitas data antropometri")
st.caption(
    "Pemeriksaan ala WHO Anthro dan rekomendasi WHO–UNICEF (2019): data yang baik punya sedikit nilai tidak masuk "
    "akal, SD z-skor sekitar 1, angka desimal berat dan tinggi yang merata, dan tanggal lahir yang tidak menumpuk. "
    f"Dihitung dari balita yang sama dengan prevalensi ({subtitle})."
)
totals = query_data_quality_totals(filters)
if totals.get("children", 0) == 0:
    st.info(f"Tidak ada pengukuran pada {period} di {kec_area}.")
else:
    rated = cached_table(rate_quality, totals)
    st.markdown(f"**{describe_quality(rated, kec_area, period)}**")
    st.markdown(quality_badges_markdown(rated))
    show_table(
        build_quality_table(rated),
        f"Kualitas data antropometri, {subtitle}",
        routine_source,
        key="stunting-quality",
        column_config=QUALITY_COLUMNS,
    )
    with st.expander("Dari mana ambang ini?"):
        st.markdown("\n".join(f"- **{rule.label}**: {rule.basis}." for rule in QUALITY_RULES.values()))
        st.markdown(
            "Data ditandai = % balita dengan z-skor di luar batas WHO (TB/U < −6 atau > 6, BB/U < −6 atau > 5, "
            "BB/TB < −5 atau > 5). Indeks ketidaksamaan = separuh jumlah selisih (poin persen) antara sebaran angka "
            "desimal terakhir dan 10% per angka: 0 = merata, 90 = satu angka saja. Belum dinilai: terlalu sedikit "
            "catatan, angkanya masih dipengaruhi kebetulan."
        )

    weight, height = digit_counts(totals, "weight"), digit_counts(totals, "height")
    quality_trend = query_data_quality_trend(filters)
    digits_col, sd_col = st.columns(2)
    with digits_col:
        show_chart(
            cached_chart(plot_digit_preference, weight, height),
            ChartMeta(
                title=describe_digits(dissimilarity_index(weight), dissimilarity_index(height)),
                subtitle=f"{subtitle}; angka desimal terakhir berat (0,1 kg) dan tinggi (0,1 cm)",
                source_note=routine_source,
                n=f"n = {format_number(weight.sum())} berat, {format_number(height.sum())} tinggi",
            ),
            key="stunting-digits",
        )
    with sd_col:
        show_chart(
            cached_chart(plot_sd_trend, quality_trend, MIN_CHILDREN_FOR_RANK),
            ChartMeta(
                title="SD z-skor per bulan: di luar pita 0,8–1,2 berarti galat ukur atau umur",
                subtitle=f"Sampai {period}, {kec_area}; bulan dengan sedikitnya {MIN_CHILDREN_FOR_RANK} balita",
                source_note=routine_source,
                n=f"n = {format_number(totals['n_haz_plausible'])} balita pada {period}",
            ),
            key="stunting-sd-trend",
        )

    st.markdown(f"**Status tiap bulan — {kec_area}**")
    quality_months = cached_table(build_quality_month_table, quality_trend)
    show_table(
        quality_months,
        f"Kualitas data per bulan, {kec_area}",
        routine_source,
        key="stunting-quality-months",
        columns=quality_table_columns(quality_months),
        column_config=QUALITY_TABLE_WIDTHS,
    )
    if filters.visible_kec is None or len(filters.visible_kec) > 1:
        st.markdown(f"**Status per kecamatan — {period}**")
        quality_kecamatan = cached_table(build_quality_kecamatan_table, query_data_quality_by_kecamatan(filters))
        show_table(
            quality_kecamatan,
            f"Kualitas data per kecamatan, {period}",
            routine_source,
            key="stunting-quality-kecamatan",
            columns=quality_table_columns(quality_kecamatan),
            column_config=QUALITY_TABLE_WIDTHS,
        )

    st.markdown("**Cara ukur, dan z-skor bawaan e-PPGBM dibanding hitungan dasbor**")
    position_col, export_col = st.columns(2)
    with position_col:
        show_table(
            build_position_table(totals),
            f"Cara ukur, {subtitle}",
            routine_source,
            key="stunting-position",
            # Half a 1366-px screen: the share's long header pushed its numbers out of view.
            column_config={
                "Catatan": {"width": 260},
                "% dari balita diukur": {"label": "% diukur", "help": "% dari balita diukur"},
            },
        )
        st.caption(
            "Aturan WHO: panjang badan terlentang di bawah 24 bulan, tinggi berdiri sejak 24 bulan; "
            "yang menyimpang dikoreksi 0,7 cm sebelum z-skor dihitung."
        )
    with export_col:
        show_table(
            build_export_table(compute_export_differences(totals)),
            f"Z-skor e-PPGBM dibanding hitungan dasbor, {subtitle}",
            routine_source,
            key="stunting-export-z",
        )
        st.caption(
            "Dasbor menghitung ulang z-skor dari tanggal lahir, tanggal ukur, berat, tinggi dan cara ukur dengan tabel "
            "WHO 2006 (umur dalam hari). Selisih biasanya berarti e-PPGBM memakai umur dalam bulan penuh atau tidak "
            "mengoreksi cara ukur."
        )
    if filters.scope_kec is None:  # refused rows have no trusted kecamatan: only for kabupaten-wide users
        st.caption(describe_dates_and_sex(query_import_problems(), totals, kec_area, period))
