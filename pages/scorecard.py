"""Scorecard Rapat: kecamatan × key indicators, traffic lights against sourced targets, change
against a chosen period (the month before by default)."""

from dataclasses import replace

import streamlit as st

from dashboard.export.indicator_text import indicator_sources
from dashboard.formatting import format_month, format_number, month_name, source_note
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY
from dashboard.metrics.scorecard import (
    INDICATOR_BY_KEY,
    INDICATORS,
    LIGHT_COLORS,
    NO_SCORE,
    TREND_COLORS,
    build_scorecard,
    describe_lights,
    export_table,
    light_counts,
    light_rules,
    sort_scorecard,
    style_scorecard,
)
from dashboard.queries.areas import describe_kecamatan_area
from dashboard.queries.common import query_data_as_of, query_months
from dashboard.queries.scorecard import query_scorecard_rows
from dashboard.ui.followup import scorecard_followup
from dashboard.ui.page import start_page
from dashboard.ui.period_compare import select_periods
from dashboard.ui.widgets import show_table

filters = start_page(
    "Scorecard Rapat Tim Pembina",
    "Indikator kunci per kecamatan dengan lampu lalu lintas terhadap target dan perubahan dari periode pembanding",
)
# One row of controls, so the table starts high on a 1366×768 laptop: the two periods compared
# (values of the first, Δ against the second), then the order of the rows.
compare_column, sort_column, toggle_column = st.columns([2, 1.1, 0.7], vertical_alignment="bottom")
with compare_column:
    pair = select_periods(query_months(), key="scorecard_compare", month=filters.month)
filters = replace(filters, month=pair.current)  # the table, its lights and its tindak lanjut follow the chosen period
period = format_month(pair.current)
before = pair.previous
weights = st.session_state.get(WEIGHTS_STATE_KEY, DEFAULT_WEIGHTS)

current = query_scorecard_rows(filters, weights)
previous = query_scorecard_rows(filters, weights, before)
year = pair.current.year  # lights use the targets for the data's year
card = build_scorecard(current, previous, year)

sort_options = ["name", *(i.key for i in INDICATORS)]
sort_key = sort_column.selectbox(
    "Urutkan menurut",
    sort_options,
    format_func=lambda k: "Nama kecamatan" if k == "name" else INDICATOR_BY_KEY[k].label,
    index=1,
    key="scorecard_sort",
)
worst_first = toggle_column.toggle(
    "Terburuk di atas", value=True, key="scorecard_worst_first", disabled=sort_key == "name"
)
card = sort_scorecard(card, sort_key, worst_first)
if pair.current == pair.previous:
    st.info("Kedua periode sama: pilih periode pembanding lain untuk melihat perubahan.")

labels = {i.key: i.short for i in INDICATORS}
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


# The indicators shown by default: with the pinned kecamatan they fit a 1366-px laptop beside the
# sidebar without sideways scrolling. The others are one click away, and the Excel download holds all.
DEFAULT_SHOWN = ("stunting_pct", "ds_pct", "kader_pct", "registered_pct")
DELTA_WIDTH = 58  # "▼ 10,2" in the grid's font


def screen_label(column: str, period: str) -> str:
    """The header on screen: "Stunting (%)" (the period stands in the picker above) and "Δ" for a
    change, which sits right after its indicator; the full header (unit, period) is its help."""
    if column.startswith("Δ "):
        return "Δ"
    return column.replace(f", {period})", ")")


def scorecard_column_config(columns, period: str) -> dict:
    """Each column as wide as its screen header, with the full header and the catalogue's definition
    as its help; the kecamatan stays pinned."""
    rules = light_rules(card, year)
    helps = {
        ind.header(period): f"{ind.help_text()} Lampu: "
        + (" · ".join(rule.describe() for rule in rules[ind.key]) or ind.no_light_reason(year))
        + "."
        for ind in INDICATORS
    }
    helps[INDICATOR_BY_KEY["priority_score"].header(period)] += (
        f" Baris kabupaten: {NO_SCORE}, karena skor ini membandingkan kecamatan satu sama lain."
    )
    config = {}
    for column in columns:
        if column == "Kecamatan":
            config[column] = st.column_config.Column(width=165, pinned=True)
            continue
        label = screen_label(column, period)
        help_text = f"{column}: perubahan dari periode pembanding" if column.startswith("Δ ") else helps.get(column)
        width = DELTA_WIDTH if label == "Δ" else int(7 * len(label)) + 18
        config[column] = st.column_config.Column(label, width=width, help=f"{column}. {help_text or ''}".strip())
    return config


def shown_columns(columns, period: str, keys: list[str]) -> list[str]:
    """Kecamatan, then each chosen indicator with its change."""
    chosen = [INDICATOR_BY_KEY[k].header(period) for k in keys]
    order = ["Kecamatan"]
    for column in columns:
        if column in chosen:
            order.append(column)
        elif column.startswith("Δ ") and order[-1] in chosen and order[-1] != "Kecamatan":
            order.append(column)
    return order


short_period = f"{month_name(filters.month.month, abbreviated=True)} {filters.month.year}"
short_before = f"{month_name(before.month, abbreviated=True)} {before.year}"
styled = style_scorecard(card, short_period, short_before)
shown_keys = st.multiselect(
    "Indikator ditampilkan",
    [i.key for i in INDICATORS],
    default=list(DEFAULT_SHOWN),
    format_func=lambda k: INDICATOR_BY_KEY[k].short,
    key="scorecard_columns",
    help="Empat indikator utama muat di layar laptop tanpa menggeser tabel; tambahkan yang lain di sini. "
    "Unduhan Excel dan CSV selalu memuat semua indikator.",
) or list(DEFAULT_SHOWN)
selection = st.dataframe(
    styled,
    hide_index=True,
    key="scorecard-table",
    height=38 + 35 * len(card),
    column_config=scorecard_column_config(styled.data.columns, short_period),
    column_order=shown_columns(styled.data.columns, short_period, shown_keys),
    on_select="rerun",
    selection_mode="single-cell",
    # A missing cell (the kabupaten's relative priority score) reads "—", never Streamlit's "None".
    placeholder=NO_SCORE,
)
scorecard_followup(filters, card, selection)

as_of = query_data_as_of()
note = source_note(
    indicator_sources(["stunting", "ds_ratio", "spm_fields", "registered", "basic_services_index"]), as_of
)
children = int(kecamatan_rows["children"].sum())
reporting_s = int(kecamatan_rows["s_total"].sum())
st.caption(
    f"{note} · periode {period}, dibanding {format_month(before)} · {describe_kecamatan_area(filters)} · "
    f"n = {format_number(len(kecamatan_rows))} kecamatan, {format_number(children)} balita diukur, "
    f"{format_number(reporting_s)} balita sasaran (S), {format_number(int(kecamatan_rows['posyandu'].sum()))} posyandu"
)

swatches = " ".join(
    f'<span style="background:{color};padding:1px 8px;border-radius:3px">{light}</span>'
    for light, color in LIGHT_COLORS.items()
)
targets = "\n".join(f"- {line}" for line in describe_lights(card, year))
st.markdown(
    f"""
**Target dan arti warna** {swatches}

{targets}

Aturan target: untuk data tahun {year}, tiap baris memakai target paling lokal di register target yang berlaku
untuk tahun itu dan mencakup wilayahnya (kabupaten/RPJMD Kukar, lalu provinsi, lalu nasional/RPJMN). Tanpa target
bersumber: tanpa lampu, tidak pernah angka tanpa sumber.
Kolom Δ = perubahan dari {format_month(before)}: ▲ naik, ▼ turun, = tetap; panah
<span style="color:{TREND_COLORS["membaik"]};font-weight:bold">hijau = membaik</span>,
<span style="color:{TREND_COLORS["memburuk"]};font-weight:bold">merah = memburuk</span>
(untuk stunting dan skor prioritas, turun berarti membaik). Selisih persentase dalam poin persen.
Skor prioritas baris kabupaten = {NO_SCORE}: skor itu membandingkan kecamatan satu sama lain.
""",
    unsafe_allow_html=True,
)
with st.expander("Definisi indikator (katalog indikator)"):
    for ind in INDICATORS:
        entry = ind.entry
        st.markdown(
            f'<span style="color:{entry.color}">■</span> **{ind.short}** — {entry.definition} '
            f"Pembilang: {entry.numerator}. Penyebut: {entry.denominator}. Sumber: {entry.source_register}; "
            f"{entry.direction_text}.",
            unsafe_allow_html=True,
        )
if previous["children"].sum() == 0 and previous["s_total"].sum() == 0:
    st.info(f"Tidak ada data {format_month(before)}, jadi kolom Δ kosong.")

with st.expander("Tabel angka dengan n dan periode pembanding (unduh Excel/CSV)"):
    table = export_table(card, format_month(filters.month), format_month(before))
    show_table(
        table,
        f"Scorecard rapat {period}",
        note,
        key="scorecard-export",
    )
