"""Transformasi 6 SPM dan legalitas: fields served, services, registration pipeline, action list."""

import streamlit as st

from dashboard.catalogue.registers import register_sources
from dashboard.charts.transformation import (
    ACTION_LIST_SCREEN_HEADERS,
    action_summary_screen_headers,
    describe_deadline,
    describe_fields_declared_served,
    describe_pipeline,
    describe_service_panels,
    plot_field_count_distribution,
    plot_fields_declared_served,
    plot_registration_history,
    plot_registration_pipeline,
    plot_service_indicator_panels,
    services_screen_headers,
    spm_field_headers,
    table_action_list,
    table_action_summary,
    table_services_by_indicator,
    table_spm_fields,
)
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_date, format_month, format_number, format_percent, source_note
from dashboard.queries.areas import describe_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.norms import query_norms
from dashboard.queries.transformation import (
    TREND_MONTHS,
    query_field_count_distribution,
    query_first_master_month,
    query_legality_action_list,
    query_registration_history,
    query_registration_pipeline,
    query_service_indicator_trend,
    query_services_by_indicator,
    query_services_reporting,
    query_spm_fields,
    summarise_action_list,
)
from dashboard.ui.column_config import short_headers
from dashboard.ui.page import require_register, start_page
from dashboard.ui.widgets import cached_chart, show_chart, show_table

ALL_TEAMS = "Semua tim"

filters = start_page(
    "Transformasi 6 SPM dan Legalitas",
    "Bidang SPM yang dinyatakan dan yang dilayani posyandu, dan tahapan legalitas sampai registrasi Kemendagri",
)
period = format_month(filters.month)
area = describe_area(filters)
as_of = query_data_as_of()
master_source = source_note(register_sources([("posyandu", "snapshot yang berlaku pada akhir bulan")]), as_of)
deadline = query_norms()["registration_deadline"]

if require_register("posyandu", "master posyandu"):
    first_master = query_first_master_month(filters)
    if first_master is not None and filters.month < first_master:
        st.info(
            f"Belum ada master posyandu yang berlaku pada akhir {period}: master pertama yang dimuat berlaku "
            f"mulai {format_month(first_master)}. Bidang SPM dan legalitas dihitung dari master yang berlaku, "
            "jadi bulan ini belum punya angkanya; layanan yang dilaporkan tetap tampil di bawah. Muat master "
            "posyandu yang lebih lama (satu file per tanggal) untuk melihat bulan-bulan ini."
        )
    distribution = query_field_count_distribution(filters)
    fields = query_spm_fields(filters)
    pipeline = query_registration_pipeline(filters)
    total = int(fields["posyandu_total"].max()) if len(fields) else 0
    six_declared = int(distribution.loc[distribution["spm_field_count"] == 6, "posyandu_declared"].sum())
    six_served = int(distribution.loc[distribution["spm_field_count"] == 6, "posyandu_served"].sum())
    registered = pipeline.iloc[-1]

    first, second, third, fourth = st.columns(4)
    first.metric("Jumlah posyandu", format_number(total))
    first.caption(f"{area}, master yang berlaku akhir {period}")
    second.metric("Keenam bidang SPM dinyatakan", format_number(six_declared))
    second.caption(
        f"posyandu, {format_percent(six_declared / total * 100 if total else None)} dari {format_number(total)} · "
        f"bidang tercantum di master posyandu per akhir {period}"
    )
    third.metric("Keenam bidang SPM dilayani", format_number(six_served))
    third.caption(
        f"posyandu, {format_percent(six_served / total * 100 if total else None)} dari {format_number(total)} · "
        f"tiap bidang ada layanan > 0 dilaporkan pada {period} · sumber: {register_sources(['spm_service'])}"
    )
    fourth.metric(
        "Teregistrasi Kemendagri",
        format_number(registered["posyandu"]),
        delta=None if registered["delta"] is None else int(registered["delta"]),
        help="Perubahan dari bulan lalu (master yang berlaku di akhir bulan lalu)",
    )
    fourth.caption(
        f"posyandu, {format_percent(registered['share'] * 100 if total else None)} dari {format_number(total)}, "
        f"semua tahap legalitas terlewati, akhir {period} · batas {format_date(deadline.as_date())}"
    )

    st.header("Bidang SPM: dinyatakan dan dilayani")
    st.caption(
        "**Bidang SPM dinyatakan** = bidang yang tercantum untuk posyandu di master posyandu yang berlaku pada akhir "
        "bulan. **Bidang SPM dilayani** = bidang dengan sedikitnya satu indikator layanan bernilai > 0 di laporan "
        "layanan 6 SPM bulan itu. Posyandu yang tidak melapor dihitung 0 bidang dilayani."
    )
    show_chart(
        cached_chart(plot_fields_declared_served, fields),
        ChartMeta(
            title=describe_fields_declared_served(fields, distribution, filters.month),
            subtitle=f"Posyandu per bidang SPM: dinyatakan (master per akhir {period}) dan dilayani ({period}), {area}",
            source_note=source_note(register_sources(["posyandu", "spm_service"]), as_of),
            n=f"n = {format_number(total)} posyandu",
        ),
        key="spm-fields-served",
    )
    show_chart(
        plot_field_count_distribution(distribution),
        ChartMeta(
            title=(
                f"{format_number(six_declared)} posyandu menyatakan keenam bidang SPM, "
                f"{format_number(six_served)} melayani keenamnya ({period})"
            ),
            subtitle=f"Posyandu menurut jumlah bidang SPM (0–6) yang dinyatakan dan yang dilayani, {period}, {area}",
            source_note=source_note(register_sources(["posyandu", "spm_service"]), as_of),
            n=f"n = {format_number(total)} posyandu",
        ),
        key="spm-field-count",
    )
    field_table = table_spm_fields(fields, period)
    st.markdown(f"**Posyandu per bidang SPM, {period}: dinyatakan di master dan dilayani**")
    show_table(
        field_table,
        f"Bidang SPM dinyatakan dan dilayani, {period}",
        source_note(register_sources(["posyandu", "spm_service"]), as_of),
        key="spm-fields-table",
        column_config=short_headers(spm_field_headers(period)),
    )

if require_register("spm_service", "layanan 6 SPM"):
    st.header("Layanan per indikator dari waktu ke waktu")
    services_source = source_note(register_sources(["spm_service", "monthly_report", "posyandu"]), as_of)
    trend = query_service_indicator_trend(filters)
    reporting = query_services_reporting(filters)
    show_chart(
        cached_chart(plot_service_indicator_panels, trend),
        ChartMeta(
            title=describe_service_panels(trend, filters.month),
            subtitle=(
                f"Satu panel per indikator, masing-masing dengan skala sendiri (nilai indikator yang berbeda tidak "
                f"dijumlahkan); cakupan (%) bila register memuat penyebutnya, selain itu jumlah yang dilaporkan; "
                f"{TREND_MONTHS} bulan sampai {period}, {area}"
            ),
            source_note=services_source,
            n=f"n = {format_number(reporting['posyandu_reporting'])} dari {format_number(reporting['posyandu_total'])} posyandu melapor pada {period}",
        ),
        key="spm-services-trend",
    )
    indicators = table_services_by_indicator(query_services_by_indicator(filters), period)
    st.markdown(f"**Layanan per bidang dan indikator, {period}**")
    show_table(
        indicators,
        f"Layanan 6 SPM per indikator, {period}",
        services_source,
        key="spm-indicators",
        columns=list(services_screen_headers(period)),
        column_config=short_headers(services_screen_headers(period)),
    )
    st.caption(
        f"{services_source} · Cakupan hanya untuk indikator yang penyebutnya ada di register: balita ditimbang ÷ "
        "balita sasaran (S) dari laporan bulanan posyandu yang sama. Register layanan 6 SPM tidak memuat jumlah "
        "rumah tangga, warga atau anak sasaran untuk indikator lain, jadi indikator itu ditampilkan sebagai jumlah."
    )

if require_register("posyandu", "master posyandu"):
    st.header("Tahapan legalitas dan registrasi Kemendagri")
    st.caption(
        f"Dari master posyandu yang berlaku pada akhir bulan (setiap master yang diterima disimpan sebagai snapshot) "
        f"dan register kader (pengurus, daftar kader). Batas registrasi: {format_date(deadline.as_date())} — "
        f"{deadline.citation()}."
    )
    show_chart(
        cached_chart(plot_registration_pipeline, pipeline),
        ChartMeta(
            title=describe_pipeline(pipeline),
            subtitle=(
                f"Posyandu yang sudah melewati tiap tahap (dan semua tahap sebelumnya) pada akhir {period}, "
                f"Δ = perubahan dari akhir bulan lalu, {area}"
            ),
            source_note=source_note(register_sources([("posyandu", "snapshot per akhir bulan"), "kader"]), as_of),
            n=f"n = {format_number(total)} posyandu",
        ),
        key="registration-pipeline",
    )
    history = query_registration_history(filters)
    if not history.empty:
        show_chart(
            plot_registration_history(history, deadline.as_date(), f"batas {format_date(deadline.as_date())}"),
            ChartMeta(
                title=describe_deadline(history, deadline.as_date()),
                subtitle=(
                    f"% posyandu teregistrasi pada akhir tiap bulan menurut master yang berlaku saat itu, sampai "
                    f"{period}, {area}; garis putus-putus = batas registrasi"
                ),
                source_note=master_source,
                n=f"n = {format_number(int(history['posyandu'].iloc[-1]))} posyandu ({period})",
            ),
            key="registration-history",
        )

    st.header("Daftar tindak lanjut: posyandu belum legal penuh")
    st.caption(
        "Menurut master posyandu terbaru yang diterima (bukan periode yang dipilih): daftar kerja untuk sekarang."
    )
    require_register("mentoring_team", "tim pendamping")
    actions = query_legality_action_list(filters)
    if actions.empty:
        st.success(f"Semua posyandu di {area} sudah legal penuh.")
    else:
        action_source = source_note(register_sources(["posyandu", "mentoring_team"]), as_of)
        summary = table_action_summary(summarise_action_list(actions))
        st.markdown(f"**Ringkasan per tim pendamping** ({format_number(len(actions))} posyandu belum legal penuh)")
        show_table(
            summary,
            "Posyandu belum legal penuh per tim pendamping",
            action_source,
            key="legality-summary",
            columns=list(action_summary_screen_headers()),
            column_config=short_headers(action_summary_screen_headers()),
        )
        team = st.selectbox("Tampilkan tim", [ALL_TEAMS, *summary["Tim pendamping"]], key="legality-team")
        chosen = table_action_list(query_legality_action_list(filters, None if team == ALL_TEAMS else team))
        st.markdown(
            f"**Yang belum lengkap per posyandu — {team.lower() if team == ALL_TEAMS else team}** ({format_number(len(chosen))} posyandu)"
        )
        show_table(
            chosen,
            f"Tindak lanjut legalitas posyandu - {team}",
            action_source,
            key="legality-actions",
            columns=list(ACTION_LIST_SCREEN_HEADERS),
            column_config=short_headers(ACTION_LIST_SCREEN_HEADERS),
        )
        st.caption(action_source)
