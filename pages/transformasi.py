"""Transformasi 6 SPM dan legalitas: fields served, services, registration pipeline, action list."""

import streamlit as st

from dashboard.charts.transformation import (
    describe_field_counts,
    describe_fields_served,
    describe_pipeline,
    describe_services,
    plot_field_count_distribution,
    plot_fields_served,
    plot_registration_pipeline,
    plot_services_trend,
    table_action_list,
    table_action_summary,
    table_services_by_indicator,
)
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_month, format_number, format_percent, source_note
from dashboard.queries.areas import describe_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.transformation import (
    TREND_MONTHS,
    query_field_count_distribution,
    query_fields_served,
    query_legality_action_list,
    query_registration_pipeline,
    query_services_by_indicator,
    query_services_reporting,
    query_services_trend,
    summarise_action_list,
)
from dashboard.ui.column_config import table_column_config
from dashboard.ui.page import require_register, start_page
from dashboard.ui.widgets import cached_chart, show_chart, show_table

ALL_TEAMS = "Semua tim"

filters = start_page(
    "Transformasi 6 SPM dan Legalitas", "Bidang SPM yang dilayani posyandu dan tahapan registrasi Kemendagri"
)
period = format_month(filters.month)
area = describe_area(filters)
as_of = query_data_as_of()
master_source = source_note("master posyandu", as_of)

if require_register("posyandu", "master posyandu"):
    distribution = query_field_count_distribution(filters)
    fields = query_fields_served(filters)
    pipeline = query_registration_pipeline(filters)
    total = int(distribution["posyandu"].sum())
    six = int(distribution.loc[distribution["spm_field_count"] == 6, "posyandu"].sum())
    legal = int(pipeline["posyandu"].iloc[-1])

    left, middle, right = st.columns(3)
    left.metric("Jumlah posyandu", format_number(total))
    left.caption(f"{area}, keadaan terakhir · sumber: master posyandu")
    middle.metric("Melayani keenam bidang SPM", format_number(six))
    middle.caption(
        f"{format_percent(six / total * 100 if total else None)} dari {format_number(total)} posyandu · sumber: master posyandu"
    )
    right.metric("Legal penuh", format_number(legal))
    right.caption(
        f"{format_percent(legal / total * 100 if total else None)} dari {format_number(total)} posyandu: musdes, SK pembentukan dan "
        "nomor registrasi Kemendagri · sumber: master posyandu"
    )

    st.header("Bidang SPM yang dilayani")
    show_chart(
        cached_chart(plot_field_count_distribution, distribution),
        ChartMeta(
            title=describe_field_counts(distribution),
            subtitle=f"Posyandu menurut jumlah bidang SPM yang dilayani (0–6), keadaan terakhir master posyandu (tidak mengikuti periode), {area}",
            source_note=master_source,
            n=f"n = {format_number(total)} posyandu",
        ),
        key="spm-field-count",
    )
    show_chart(
        cached_chart(plot_fields_served, fields),
        ChartMeta(
            title=describe_fields_served(fields),
            subtitle=f"Posyandu yang melayani tiap bidang SPM, keadaan terakhir master posyandu (tidak mengikuti periode), {area}",
            source_note=master_source,
            n=f"n = {format_number(total)} posyandu",
        ),
        key="spm-fields-served",
    )

if require_register("spm_service", "layanan 6 SPM"):
    st.header("Layanan per bidang SPM dari waktu ke waktu")
    services_source = source_note("laporan layanan 6 SPM dan master posyandu", as_of)
    trend = query_services_trend(filters)
    reporting = query_services_reporting(filters)
    show_chart(
        cached_chart(plot_services_trend, trend),
        ChartMeta(
            title=describe_services(trend, filters.month),
            subtitle=f"Jumlah layanan per bulan (nilai semua indikator dijumlahkan per bidang), {TREND_MONTHS} bulan sampai {period}, {area}",
            source_note=services_source,
            n=f"n = {format_number(reporting['posyandu_reporting'])} dari {format_number(reporting['posyandu_total'])} posyandu melapor pada {period}",
        ),
        key="spm-services-trend",
    )
    indicators = table_services_by_indicator(query_services_by_indicator(filters))
    st.markdown(f"**Layanan per bidang dan indikator, {period}**")
    show_table(
        indicators,
        f"Layanan 6 SPM per indikator, {period}",
        services_source,
        key="spm-indicators",
        column_config=table_column_config(indicators),
    )
    st.caption(services_source)

if require_register("posyandu", "master posyandu"):
    st.header("Tahapan legalitas dan registrasi Kemendagri")
    show_chart(
        cached_chart(plot_registration_pipeline, pipeline),
        ChartMeta(
            title=describe_pipeline(pipeline),
            subtitle=(
                f"Posyandu yang sudah melewati tiap tahap (dan semua tahap sebelumnya), keadaan terakhir master posyandu (tidak mengikuti periode), {area}"
            ),
            source_note=master_source,
            n=f"n = {format_number(total)} posyandu",
        ),
        key="registration-pipeline",
    )

    st.header("Daftar tindak lanjut: posyandu belum legal penuh")
    require_register("mentoring_team", "tim pendamping")
    actions = query_legality_action_list(filters)
    if actions.empty:
        st.success(f"Semua posyandu di {area} sudah legal penuh.")
    else:
        action_source = source_note("master posyandu dan daftar tim pendamping", as_of)
        summary = table_action_summary(summarise_action_list(actions))
        st.markdown(f"**Ringkasan per tim pendamping** ({format_number(len(actions))} posyandu belum legal penuh)")
        show_table(
            summary,
            "Posyandu belum legal penuh per tim pendamping",
            action_source,
            key="legality-summary",
            column_config=table_column_config(summary),
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
            column_config=table_column_config(chosen),
        )
        st.caption(action_source)
