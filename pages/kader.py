"""Kader: participation over time, kader aktif, the 15-kader norm and training coverage."""

import streamlit as st

from dashboard.catalogue.registers import register_sources
from dashboard.charts.kader import (
    DEFINITION_ACTIVE,
    DEFINITION_PARTICIPATION,
    describe_below_norm,
    describe_participation,
    describe_participation_trend,
    describe_training,
    describe_weakest_training,
    plot_kader_counts,
    plot_kader_per_posyandu,
    plot_participation_heatmap,
    plot_participation_trend,
    plot_training_heatmap,
    table_below_norm,
    table_posyandu_kader,
    table_training,
)
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_month, format_number, format_percent, source_note
from dashboard.queries.areas import describe_area
from dashboard.queries.common import query_data_as_of, query_loaded_registers
from dashboard.queries.kader import (
    TREND_MONTHS,
    find_weakest_training,
    kader_norm_setting,
    query_kader_by_posyandu,
    query_kader_summary,
    query_participation_by_area,
    query_participation_trend,
    query_posyandu_below_norm,
    query_training_coverage,
)
from dashboard.ui.column_config import short_headers
from dashboard.ui.page import require_register, start_page
from dashboard.ui.widgets import cached_chart, show_chart, show_table
from etl.registers import TRAINING_THEMES

filters = start_page("Kader Posyandu", "Partisipasi kader, kader aktif, norma 15 kader dan cakupan pelatihan")
period = format_month(filters.month)
area = describe_area(filters)
as_of = query_data_as_of()
trend_period = f"{TREND_MONTHS} bulan sampai {period}, {area}"
report_source = source_note(register_sources(["monthly_report"]), as_of)
register_source = source_note(register_sources(["kader", "posyandu"]), as_of)
training_source = source_note(register_sources(["kader", "kader_training", "posyandu"]), as_of)
loaded = query_loaded_registers()
has_report = "monthly_report" in loaded
has_register = {"kader", "posyandu"} <= loaded

st.info(f"**{DEFINITION_PARTICIPATION}.**  \n**{DEFINITION_ACTIVE}.**")

default_norm = kader_norm_setting()
counts_pengurus = st.toggle(
    "Pengurus (ketua, sekretaris, bendahara) ikut dihitung dalam norma kader",
    value=default_norm.counts_pengurus,
    key="kader_norm_counts_pengurus",
    help=f"Bawaan: {'ya' if default_norm.counts_pengurus else 'tidak'} — {default_norm.pengurus_norm.note}",
)
norm = kader_norm_setting(counts_pengurus)
summary = query_kader_summary(filters, counts_pengurus)
left, middle, right = st.columns(3)
if has_report:
    left.metric(
        "Partisipasi kader (%)",
        format_percent(summary["participation"] * 100 if summary["kader_registered"] else None),
    )
    left.caption(
        f"{format_number(summary['kader_present'])} kader hadir per hari buka dari {format_number(summary['kader_registered'])} "
        f"terdaftar, {format_number(summary['posyandu_opened'])} posyandu yang buka dari {format_number(summary['posyandu_reporting'])} "
        f"melapor, {period} · sumber: {register_sources(['monthly_report'])}"
    )
if has_register:
    per_posyandu = summary["kader_active"] / summary["posyandu"] if summary["posyandu"] else None
    middle.metric("Jumlah kader aktif (orang)", format_number(summary["kader_active"]))
    middle.caption(
        f"jumlah, bukan tingkat partisipasi · rata-rata {format_number(per_posyandu, 1)} kader per posyandu, "
        f"{format_number(summary['posyandu'])} posyandu, {period} · sumber: {register_sources(['kader'])}"
    )
    right.metric(f"Posyandu di bawah norma {norm.minimum} kader", format_number(summary["posyandu_below_norm"]))
    right.caption(
        f"dari {format_number(summary['posyandu'])} posyandu, {period}, dihitung: {norm.counted} "
        f"(termasuk pengurus: {format_number(summary['posyandu_below_norm_with_pengurus'])}; tanpa pengurus: "
        f"{format_number(summary['posyandu_below_norm_without_pengurus'])}) · sumber norma: {norm.minimum_norm.source}"
    )
    st.caption(norm.describe())

st.header("Partisipasi kader dari waktu ke waktu")
if require_register("monthly_report", "laporan bulanan posyandu"):
    by_area = query_participation_by_area(filters)
    area_word = "desa/kelurahan" if filters.kode_kec else "kecamatan"
    if by_area.empty:
        st.info(f"Belum ada laporan kehadiran kader dalam {TREND_MONTHS} bulan sampai {period}.")
    else:
        show_chart(
            cached_chart(plot_participation_heatmap, by_area),
            ChartMeta(
                title=describe_participation(summary, by_area, filters.month, area_word),
                subtitle=f"Partisipasi kader (%) per {area_word} per bulan, posyandu yang buka, {trend_period}; baris teratas = terendah bulan ini",
                source_note=report_source,
                n=f"n = {format_number(summary['kader_registered'])} kader terdaftar di {format_number(summary['posyandu_opened'])} posyandu yang buka ({period})",
            ),
            key="kader-participation-area",
        )
    trend = query_participation_trend(filters)
    show_chart(
        cached_chart(plot_participation_trend, trend),
        ChartMeta(
            title=describe_participation_trend(trend),
            subtitle=f"Partisipasi kader (%): kader hadir per hari buka ÷ kader terdaftar, posyandu yang buka, {trend_period}",
            source_note=report_source,
            n=f"n = {format_number(summary['kader_registered'])} kader terdaftar ({period})",
        ),
        key="kader-participation-trend",
    )
    if has_register:
        show_chart(
            cached_chart(plot_kader_counts, trend),
            ChartMeta(
                title=f"{format_number(summary['kader_active'])} kader aktif di register, {format_number(summary['kader_registered'])} terdaftar di laporan bulanan ({period})",
                subtitle=f"Jumlah kader menurut dua sumber, {trend_period}",
                source_note=source_note(register_sources(["monthly_report", "kader"]), as_of),
                n=f"n = {format_number(summary['posyandu'])} posyandu di master posyandu",
            ),
            key="kader-counts-trend",
        )

st.header(f"Posyandu di bawah norma {norm.minimum} kader")
if require_register("kader", "register kader") and require_register("posyandu", "master posyandu"):
    st.caption(norm.describe())
    by_posyandu = query_kader_by_posyandu(filters, counts_pengurus)
    show_chart(
        cached_chart(plot_kader_per_posyandu, by_posyandu, norm.minimum, norm.counted),
        ChartMeta(
            title=describe_below_norm(summary, norm.minimum, norm.counted),
            subtitle=f"Posyandu menurut jumlah {norm.counted} (register kader), {period}, {area}; garis = norma {norm.minimum} kader ({norm.minimum_norm.source})",
            source_note=register_source,
            n=f"n = {format_number(summary['posyandu'])} posyandu, {format_number(summary['kader_active'])} kader aktif",
        ),
        key="kader-per-posyandu",
    )
    below = table_below_norm(query_posyandu_below_norm(filters, counts_pengurus), norm.counted, period)
    st.markdown(
        f"**Daftar posyandu dengan kurang dari {norm.minimum} {norm.counted}, {period}** ({format_number(len(below))} posyandu)"
    )
    show_table(
        below,
        f"Posyandu kurang dari {norm.minimum} {norm.counted}, {period}",
        register_source,
        key="kader-below-norm",
    )
    st.caption(register_source)

st.header("Cakupan pelatihan kader")
if require_register("kader", "register kader") and require_register("kader_training", "pelatihan kader"):
    coverage = query_training_coverage(filters)
    st.markdown(describe_weakest_training(find_weakest_training(coverage)))
    if not coverage.empty:
        show_chart(
            cached_chart(plot_training_heatmap, coverage, TRAINING_THEMES),
            ChartMeta(
                title=describe_training(coverage, TRAINING_THEMES),
                subtitle=f"Persentase kader aktif yang sudah dilatih per tema, per kecamatan, pelatihan sampai akhir {period}, {area}",
                source_note=training_source,
                n=f"n = {format_number(summary['kader_active'])} kader aktif",
            ),
            key="kader-training",
        )
        training = table_training(coverage, TRAINING_THEMES)
        show_table(
            training,
            f"Cakupan pelatihan kader per kecamatan, {period}",
            training_source,
            key="kader-training-table",
        )
        st.caption(training_source)

if has_report and has_register:
    st.header("Kader per posyandu")
    table = table_posyandu_kader(by_posyandu, period)
    kader_headers = {
        f"Kader aktif termasuk pengurus (jumlah, {period})": ("Kader aktif", 95),
        f"Hari buka ({period})": ("Hari buka", 85),
        f"Partisipasi (%, {period})": ("Partisipasi", 95),
        "Partisipasi 12 bulan (%, bulan buka)": ("12 bulan (%)", 105),
    }
    st.markdown(
        f"**Kader aktif, kehadiran {period} dan partisipasi {TREND_MONTHS} bulan per posyandu** ({format_number(len(table))} posyandu)"
    )
    show_table(
        table,
        f"Kader per posyandu, {period}",
        source_note(register_sources(["monthly_report", "kader", "posyandu"]), as_of),
        key="kader-by-posyandu",
        # where the posyandu is, its kader and participation fit 1366 px; the report's counts,
        # the register without pengurus, ID and type are a toggle away and in the downloads
        columns=["Kecamatan", "Desa/Kelurahan", "Posyandu", *kader_headers],
        column_config=short_headers(
            {
                "Kecamatan": ("Kecamatan", 150),
                "Desa/Kelurahan": ("Desa/Kelurahan", 150),
                "Posyandu": ("Posyandu", 150),
                **kader_headers,
            }
        ),
    )
    st.caption(source_note(register_sources(["monthly_report", "kader", "posyandu"]), as_of))
