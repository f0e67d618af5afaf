"""Ringkasan: the 10-second answer — posyandu balita, kader participation, stunting toward its
target, the kecamatan that need attention and what changed since last month; below, two
chosen periods compared."""

import streamlit as st

from dashboard.catalogue.indicators import indicator
from dashboard.catalogue.registers import register_sources
from dashboard.charts.overview import plot_stunting_sparkline
from dashboard.filter_link import link_params
from dashboard.filters import Filters, months_before
from dashboard.formatting import format_month, format_number, format_percent, month_name
from dashboard.metrics.attention import attention_list
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY, components_for
from dashboard.queries.areas import describe_kecamatan_area, kecamatan_level_note
from dashboard.queries.common import query_loaded_registers, query_months
from dashboard.queries.overview import (
    query_kader_participation,
    query_latest_survey_stunting,
    query_posyandu_summary,
    query_routine_stunting,
    query_stunting_months,
)
from dashboard.queries.priority import query_scored_areas
from dashboard.rapat.highlights import biggest_changes
from dashboard.rapat.screens import build_rapat_screens
from dashboard.ui.page import require_register, start_page
from dashboard.ui.period_compare import show_period_comparison
from dashboard.ui.widgets import presentation_mode

SCORECARD_PAGE = "pages/scorecard.py"


def scorecard_link(filters: Filters, kode_kec: str, label: str) -> None:
    """A link to the Scorecard showing this kecamatan's row, in the month shown (the sidebar's URL
    filters). A page link, not a Markdown one: it opens in the same tab and session (a Markdown
    link opens a new tab, which loses the room's screen on a projector and asks a LAN user to sign in again)."""
    st.page_link(
        SCORECARD_PAGE,
        label=label,
        icon=":material/table_view:",
        query_params=link_params(filters.kecamatan_only(kode_kec)),
    )


filters = start_page("Ringkasan Posyandu Kutai Kartanegara")
period = format_month(filters.month)
before = months_before(filters.month, 1)
short_before = f"{month_name(before.month, abbreviated=True)} {before.year}"  # beside the delta, where space is short
loaded = query_loaded_registers()

posyandu_col, kader_col, stunting_col = st.columns([1.1, 1, 1.5], gap="medium")

with posyandu_col:
    if require_register("posyandu", "master posyandu"):
        summary = query_posyandu_summary(filters)
        balita, total = st.columns([3, 2], vertical_alignment="bottom")
        balita.metric("Posyandu balita", format_number(summary["posyandu_balita"]), border=False)
        total.markdown(
            f"<div style='font-size:1.5rem;line-height:1.2'>{format_number(summary['posyandu'])}</div>"
            "<div style='font-size:0.8rem;opacity:0.75'>posyandu semua jenis</div>",
            unsafe_allow_html=True,
        )
        share = summary["registered"] / summary["posyandu"] * 100 if summary["posyandu"] else None
        st.caption(
            f"Teregistrasi Kemendagri: {format_number(summary['registered'])} dari "
            f"{format_number(summary['posyandu'])} posyandu ({format_percent(share)}) · sumber: {register_sources(['posyandu'])}"
        )

screens = build_rapat_screens(filters) if {"eppgbm", "monthly_report"} & loaded else []
if filters.kode_kec:  # the chosen kecamatan's own screen (none when it has no data this month)
    area_screen = next((s for s in screens[1:] if s.code == filters.kode_kec), None)
else:  # the headline screen: every kecamatan in the user's scope
    area_screen = screens[0] if screens else None

with kader_col:
    if require_register("monthly_report", "laporan bulanan posyandu"):
        kader = query_kader_participation(filters)
        # The rapat screen's change is the whole kecamatan's: beside a puskesmas's or desa's figure it would mislead.
        narrowed = filters.puskesmas is not None or filters.kode_desa is not None
        change = area_screen.change("Partisipasi kader") if area_screen and not narrowed else None
        st.metric(
            "Partisipasi kader",
            format_percent(kader["participation"] * 100 if kader["kader_registered"] else None),
            change.metric_delta() if change else None,
            help=indicator("kader_participation").definition,
            delta_description=f"dari {short_before}" if change and change.delta is not None else None,
        )
        st.caption(
            f"Kader hadir pada hari buka ÷ kader terdaftar: {format_number(kader['kader_present'])} dari "
            f"{format_number(kader['kader_registered'])} kader, {format_number(kader['posyandu_reporting'])} "
            f"posyandu buka, {period} · sumber: {register_sources(['monthly_report'])}"
        )

with stunting_col:
    if require_register("eppgbm", "pengukuran balita (e-PPGBM)"):
        routine = query_routine_stunting(filters)
        if routine is None:
            st.metric(f"Stunting — e-PPGBM, {period}", "–")
            st.caption(f"Tidak ada angka stunting satu wilayah untuk pilihan ini pada {period}.")
        else:
            change = area_screen.change("Stunting") if area_screen else None
            target = indicator("stunting").target(filters.month.year)
            target_help = f"\n\n{target.label()}" if target is not None else ""
            st.metric(
                f"Stunting — e-PPGBM, {period}",
                format_percent(routine["stunting_prevalence"] * 100),
                change.metric_delta() if change else None,
                delta_color="inverse",
                help=indicator("stunting").definition + target_help,
                delta_description=f"dari {short_before}{change.qualifier()}"
                if change and change.delta is not None
                else None,
            )
            st.plotly_chart(
                plot_stunting_sparkline(
                    query_stunting_months(filters), target, "presentation" if presentation_mode() else "standard"
                ),
                config={"displayModeBar": False, "staticPlot": False},
                key="ringkasan-stunting-sparkline",
            )
            target_text = target.short_label() if target is not None else "belum ada target bersumber untuk tahun ini"
            survey = query_latest_survey_stunting()
            survey_text = (
                f" · survei {survey['source']} (kabupaten): {format_percent(survey['value_pct'])}"
                if survey is not None
                else ""
            )
            st.caption(
                f"{format_number(routine['stunted'])} dari {format_number(routine['n_haz'])} balita diukur "
                f"(IK 95% {format_percent(routine['stunting_ci_low'] * 100)}–"
                f"{format_percent(routine['stunting_ci_high'] * 100)}); data rutin, bukan survei · {target_text}"
                f"{survey_text}{kecamatan_level_note(filters)}"
            )

attention_col, changes_col = st.columns(2, gap="medium")

with attention_col:
    st.markdown("**Kecamatan yang perlu perhatian**")
    weights = st.session_state.get(WEIGHTS_STATE_KEY, DEFAULT_WEIGHTS)
    scored = query_scored_areas(filters, "kecamatan", weights)
    components = components_for(scored.attrs["basic_index_name"])
    worst = attention_list(scored, components)
    if worst.empty:
        st.caption("Belum ada kecamatan dengan skor prioritas pada periode ini.")
    for _, row in worst.iterrows():
        reason = row["reason"] if isinstance(row["reason"], str) and row["reason"].strip() else ""
        reason = f" — {reason}" if reason else ""  # one kecamatan in scope: nothing to compare
        scorecard_link(filters, row["code"], f"{row['priority_rank']}. **{row['name']}**{reason}")
    chosen = scored[scored["code"] == filters.kode_kec] if filters.kode_kec else scored.iloc[0:0]
    if len(chosen) and filters.kode_kec not in set(worst["code"]) and chosen["priority_rank"].notna().all():
        scorecard_link(
            filters,
            filters.kode_kec,
            f"**{chosen['name'].iloc[0]}** (pilihan Anda): peringkat "
            f"{format_number(chosen['priority_rank'].iloc[0])} dari {format_number(worst.attrs['ranked'])}",
        )
    if not worst.empty:
        overall = (
            " · ".join(
                f"{c.label.lower() if c.label != 'D/S' else c.label} {format_percent(c.current)}"
                for c in area_screen.changes
            )
            if area_screen is not None and not filters.kode_kec
            else ""
        )
        st.caption(
            f"Skor prioritas tertinggi dari {format_number(worst.attrs['ranked'])} kecamatan (aturan dan bobot: "
            "halaman Prioritas), dengan dua komponen yang paling menaikkan skornya"
            + (f". Seluruh wilayah: {overall}." if overall else ".")
        )

with changes_col:
    st.markdown(f"**Apa yang berubah sejak {format_month(before)}**")
    if area_screen is None:
        st.caption("Belum ada data pengukuran atau laporan bulanan untuk dibandingkan.")
    else:
        phrases = [p for p in (c.phrase() for c in area_screen.changes) if p]
        overall = ", ".join(phrases) if phrases else f"belum ada data {format_month(before)} untuk dibandingkan"
        lines = [f"- **{describe_kecamatan_area(filters)}**: {overall}"]
        # The area's own kecamatan is already the first line (a pembina of one kecamatan saw it twice).
        own = describe_kecamatan_area(filters.kecamatan_only(filters.single_kec)) if filters.single_kec else None
        lines += [f"- **{h.name}**: {h.sentence}" for h in biggest_changes(screens) if h.name != own]
        st.markdown("\n".join(lines))
        st.caption(
            "Perubahan kecamatan terbesar (poin persen); stunting hanya bila berbeda nyata (IK 95%) dan "
            f"≥ {format_number(indicator('stunting').min_n('banding', 'kecamatan'))} balita diukur."
        )

with st.expander("Bandingkan dua periode"):
    show_period_comparison(filters, query_months())
