"""Ringkasan: posyandu, legality, kader participation, stunting (routine vs survey)."""

import streamlit as st

from dashboard.formatting import format_month, format_number, format_percent
from dashboard.queries.common import query_months
from dashboard.queries.overview import (
    query_kader_participation,
    query_latest_survey_stunting,
    query_posyandu_summary,
    query_routine_stunting,
)
from dashboard.ui.page import require_register, start_page
from dashboard.ui.period_compare import show_period_comparison

filters = start_page("Ringkasan Posyandu Kutai Kartanegara", "Transformasi posyandu 6 SPM (Permendagri 13/2024)")
period = format_month(filters.month)

left, middle, right = st.columns(3)
if require_register("posyandu", "master posyandu"):
    summary = query_posyandu_summary(filters)
    left.metric("Jumlah posyandu", format_number(summary["posyandu"]))
    left.caption(f"{format_number(summary['posyandu_balita'])} posyandu balita · sumber: master posyandu")
    share = summary["registered"] / summary["posyandu"] * 100 if summary["posyandu"] else None
    left.metric("Teregistrasi Kemendagri", format_percent(share))
    left.caption(
        f"{format_number(summary['registered'])} dari {format_number(summary['posyandu'])} posyandu · sumber: master posyandu"
    )

if require_register("monthly_report", "laporan bulanan posyandu"):
    kader = query_kader_participation(filters)
    middle.metric(
        "Partisipasi kader", format_percent(kader["participation"] * 100 if kader["kader_registered"] else None)
    )
    middle.caption(
        f"Kader hadir pada hari buka ÷ kader terdaftar, {period}: {format_number(kader['kader_present'])} dari "
        f"{format_number(kader['kader_registered'])} kader di {format_number(kader['posyandu_reporting'])} posyandu · sumber: laporan bulanan posyandu"
    )

if require_register("eppgbm", "pengukuran balita (e-PPGBM)"):
    routine = query_routine_stunting(filters)
    if routine is None:
        right.metric("Prevalensi stunting (rutin)", "–")
        right.caption(f"Tidak ada pengukuran pada {period}.")
    else:
        right.metric(f"Stunting — e-PPGBM, {period}", format_percent(routine["stunting_prevalence"] * 100))
        right.caption(
            f"{format_number(routine['stunted'])} dari {format_number(routine['n_haz'])} balita diukur "
            f"(IK 95% {format_percent(routine['stunting_ci_low'] * 100)}–{format_percent(routine['stunting_ci_high'] * 100)}); "
            "data rutin, bukan survei"
        )
survey = query_latest_survey_stunting()
if survey is not None:
    right.metric(f"Stunting — survei {survey['source']}", format_percent(survey["value_pct"]))
    right.caption(f"Angka survei tingkat kabupaten, tahun {survey['year']}; target nasional 14%.")

with st.expander("Bandingkan dua periode"):
    show_period_comparison(filters, query_months())
