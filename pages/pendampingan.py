"""Pendampingan: each mentoring team, its kecamatan, gaps, priority desa and visits."""

import streamlit as st

from dashboard.catalogue.indicators import MENTORING_RECENT_MONTHS, MIN_CHILDREN_FOR_RANK
from dashboard.catalogue.registers import register_sources
from dashboard.catalogue.targets import ds_target, kader_norm
from dashboard.charts.mentoring import (
    PRIORITY_DEFAULT_COLUMNS,
    PRIORITY_SHORT_HEADERS,
    describe_gaps,
    describe_priority,
    describe_visits,
    plot_team_gaps,
    plot_team_visits,
    table_never_visited,
    table_priority,
    table_teams,
    team_table_default_columns,
    team_table_short_headers,
)
from dashboard.export.indicator_text import indicator_sources
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_date, format_month, format_number, format_percent, is_missing, source_note
from dashboard.queries.areas import describe_kecamatan_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.mentoring import (
    query_desa_never_visited,
    query_priority_desa,
    query_team_kecamatan,
    summarise_teams,
)
from dashboard.ui.column_config import short_headers
from dashboard.ui.page import require_register, start_page
from dashboard.ui.widgets import cached_chart, show_chart, show_table

filters = start_page(
    "Pendampingan Posyandu", "Satu tim pendamping untuk dua kecamatan: kesenjangan, desa prioritas dan kunjungan"
)
period = format_month(filters.month)
area = describe_kecamatan_area(filters)  # teams and their visits are counted per kecamatan
as_of = query_data_as_of()
year = filters.month.year
gap_source = source_note(register_sources(["mentoring_team", "posyandu", "kader", "monthly_report"]), as_of)
visit_source = source_note(register_sources(["mentoring_team", "mentoring_visit"]), as_of)

if require_register("mentoring_team", "tim pendamping"):
    has_visits = require_register("mentoring_visit", "kunjungan pendampingan")
    detail = query_team_kecamatan(filters)
    teams = summarise_teams(detail)
    if teams.empty:
        st.info(f"Belum ada tim pendamping untuk {area}.")
        st.stop()

    left, middle, right = st.columns(3)
    left.metric("Tim pendamping", format_number(len(teams)))
    left.caption(
        f"{format_number(len(detail))} kecamatan, {format_number(int(teams['posyandu'].sum()))} posyandu · sumber: {register_sources(['mentoring_team'])}"
    )
    if has_visits:
        middle.metric(
            f"Kunjungan {MENTORING_RECENT_MONTHS} bulan terakhir", format_number(int(teams["visits_recent"].sum()))
        )
        middle.caption(
            f"sampai akhir {period}; {format_number(int(teams['visits_year'].sum()))} kunjungan sepanjang {year} · sumber: {register_sources(['mentoring_visit'])}"
        )
        never, desa_total = int(teams["desa_never_visited"].sum()), int(teams["desa"].sum())
        right.metric("Desa belum pernah dikunjungi", format_number(never))
        right.caption(
            f"dari {format_number(desa_total)} desa/kelurahan di wilayah tim ({format_percent(never / desa_total * 100 if desa_total else None)}), "
            f"sampai akhir {period} · sumber: {register_sources(['mentoring_visit'])}"
        )

    st.header("Ringkasan per tim")
    st.caption(
        f"Kesenjangan pada {period}: posyandu dengan kurang dari {kader_norm()} kader aktif (register kader), belum legal penuh "
        f"(musdes, SK pembentukan dan nomor registrasi Kemendagri), dan D/S di bawah {format_percent(ds_target() * 100, 0)} "
        "(di antara posyandu yang melapor S > 0 bulan ini)."
    )
    summary_table = table_teams(teams)
    show_table(
        summary_table,
        f"Ringkasan tim pendamping, {period}",
        gap_source,
        key="mentoring-teams",
        column_config=short_headers(team_table_short_headers()),
        columns=team_table_default_columns(),
    )
    st.caption(gap_source)

    show_chart(
        cached_chart(plot_team_gaps, teams),
        ChartMeta(
            title=describe_gaps(teams),
            subtitle=f"Posyandu dengan kesenjangan per tim pendamping, {period}, {area}",
            source_note=gap_source,
            n=f"n = {format_number(int(teams['posyandu'].sum()))} posyandu, {format_number(int(teams['posyandu_reporting_ds'].sum()))} melapor D/S",
        ),
        key="mentoring-gaps",
    )
    if has_visits:
        show_chart(
            cached_chart(plot_team_visits, teams),
            ChartMeta(
                title=describe_visits(teams),
                subtitle=f"Kunjungan pendampingan per tim, {MENTORING_RECENT_MONTHS} bulan sampai akhir {period}, {area}",
                source_note=visit_source,
                n=f"n = {format_number(int(teams['visits_recent'].sum()))} kunjungan, {format_number(len(teams))} tim",
            ),
            key="mentoring-visits",
        )

    st.header("Desa prioritas per tim")
    st.caption(
        f"Aturan sederhana: desa dengan prevalensi stunting tertinggi pada {period} di antara desa dengan sedikitnya "
        f"{MIN_CHILDREN_FOR_RANK} balita diukur (e-PPGBM, data rutin). Tim yang tidak punya desa seperti itu memakai desa "
        "dengan Indeks Desa – Layanan Dasar terendah (tahun terbaru). Kolom 'Dasar penetapan' menyebut aturan yang dipakai."
    )
    priority = query_priority_desa(filters)
    if priority.empty:
        st.info(
            "Desa prioritas belum dapat ditentukan: belum ada desa dengan cukup balita diukur dan belum ada data Indeks Desa – Layanan Dasar."
        )
    else:
        priority_source = source_note(
            indicator_sources(["stunting", "basic_services_index"], [register_sources(["mentoring_team"])]), as_of
        )
        priority_table = table_priority(priority)
        show_table(
            priority_table,
            f"Desa prioritas per tim pendamping, {period}",
            priority_source,
            key="mentoring-priority",
            column_config=short_headers(PRIORITY_SHORT_HEADERS),
            columns=PRIORITY_DEFAULT_COLUMNS,
        )
        st.caption(priority_source)

    st.header("Rincian per tim")
    never_visited = query_desa_never_visited(filters) if has_visits else None
    for team in teams["team"]:
        rows = detail[detail["team"] == team]
        with st.expander(f"{team} — {' & '.join(rows['nama_kec'])}"):
            kecamatan_table = table_teams(rows)
            show_table(
                kecamatan_table,
                f"{team} per kecamatan, {period}",
                gap_source,
                key=f"mentoring-team-{team}",
                column_config=short_headers(team_table_short_headers()),
                columns=team_table_default_columns(),
            )
            team_priority = priority[priority["team"] == team]
            if not team_priority.empty:
                st.markdown(f"**Desa prioritas:** {describe_priority(team_priority.iloc[0])}")
            if has_visits:
                last = rows["last_visit"].max()
                st.markdown(f"**Kunjungan terakhir:** {'belum pernah' if is_missing(last) else format_date(last)}")
                team_never = never_visited[never_visited["team"] == team]
                names = ", ".join(
                    f"{n} ({k})" for n, k in zip(team_never["nama_desa"], team_never["nama_kec"], strict=True)
                )
                st.markdown(f"**Belum pernah dikunjungi ({format_number(len(team_never))}):** {names or 'tidak ada'}")
            st.caption(gap_source)

    if has_visits and never_visited is not None and not never_visited.empty:
        st.header("Desa/kelurahan yang belum pernah dikunjungi")
        never_table = table_never_visited(never_visited)
        show_table(
            never_table,
            f"Desa belum pernah dikunjungi sampai {period}",
            visit_source,
            key="mentoring-never-visited",
        )
        st.caption(visit_source)
