"""Scorecard: traffic lights at the target edges, arrows, sorting and styling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.catalogue.targets import REGISTER_ENV
from dashboard.metrics.scorecard import (
    INDICATOR_BY_KEY,
    INDICATORS,
    LIGHT_COLORS,
    NO_SCORE,
    TREND_COLORS,
    arrow_text,
    build_scorecard,
    describe_lights,
    display_table,
    light_counts,
    sort_scorecard,
    style_scorecard,
    trend,
)


@pytest.mark.parametrize(
    ("key", "value", "light"),
    [
        # 2025 data: RPJMN 2025–2029's 18,8% is green; WHO's "high" band (≥ 20%) is red.
        ("stunting_pct", 18.8, "hijau"),
        ("stunting_pct", 18.81, "kuning"),
        ("stunting_pct", 19.99, "kuning"),
        ("stunting_pct", 20.0, "merah"),
        ("ds_pct", 80.0, "hijau"),
        ("ds_pct", 79.9, "merah"),  # no sourced yellow band for D/S: met or not
        ("registered_pct", 100.0, "hijau"),
        ("registered_pct", 99.9, "merah"),
    ],
)
def test_traffic_light_edges_from_the_register_for_2025(key, value, light):
    assert INDICATOR_BY_KEY[key].light_rule(2025).light(value, 1000) == light


def test_no_light_without_a_sourced_target_or_below_the_minimum_n():
    assert INDICATOR_BY_KEY["kader_pct"].light_rule(2025) is None  # no target in the register
    assert INDICATOR_BY_KEY["stunting_pct"].light_rule(2027) is None  # RPJMN gives 2025 and 2029 only
    stunting = INDICATOR_BY_KEY["stunting_pct"].light_rule(2025)
    assert stunting.min_n == 30  # the catalogue's minimum for a light
    assert stunting.light(25.0, 29) is None and stunting.light(25.0, 30) == "merah"
    assert stunting.light(np.nan, 100) is None
    assert INDICATOR_BY_KEY["stunting_pct"].light_rule(2024).target.value == 14  # RPJMN 2020–2024 for 2024 data


def test_light_rules_state_their_source():
    stunting = INDICATOR_BY_KEY["stunting_pct"].light_rule(2025).describe()
    assert stunting.startswith("hijau ≤ 18,8% — target nasional 2025, sumber: RPJMN 2025–2029 (Bappenas")
    assert "kuning < 20% — sumber: WHO–UNICEF" in stunting
    assert "tanpa lampu bila kurang dari 30 balita diukur" in stunting


def test_trend_direction_depends_on_what_is_better():
    assert trend(12.0, 14.0, higher_is_better=False) == "membaik"
    assert trend(16.0, 14.0, higher_is_better=False) == "memburuk"
    assert trend(85.0, 80.0, higher_is_better=True) == "membaik"
    assert trend(14.04, 13.96, higher_is_better=False) == "tetap"  # both show as 14,0
    assert trend(np.nan, 14.0, higher_is_better=False) is None
    # Rounded half up as displayed: 2,25 shows as 2,3, so after 2,3 it is unchanged.
    assert trend(2.25, 2.3, higher_is_better=True) == "tetap"


def test_arrow_text():
    assert arrow_text(1.234, 1) == "▲ 1,2"
    assert arrow_text(-0.25, 1) == "▼ 0,3"  # half up, as the values are shown
    assert arrow_text(-0.4, 1) == "▼ 0,4"
    assert arrow_text(0.01, 1) == "="
    assert arrow_text(np.nan) == "–"


def _frames():
    current = pd.DataFrame(
        {
            "code": ["64.02.01", "64.02.02", "64.02"],
            "name": ["Muara Muntai", "Loa Kulu", "Kabupaten Kutai Kartanegara"],
            "stunting_pct": [22.0, 12.0, 15.0],
            "ds_pct": [75.0, 85.0, 80.0],
            "kader_pct": [91.0, np.nan, 88.0],
            "registered_pct": [50.0, 95.0, 70.0],
            "legality_pct": [40.0, 90.0, 60.0],
            "spm_fields_mean": [3.2, 4.0, 3.6],
            "priority_score": [80.0, 10.0, np.nan],
        }
    )
    previous = current.assign(
        stunting_pct=[20.0, 13.0, 15.0], ds_pct=[80.0, 80.0, 80.0], registered_pct=[0.0, 0.0, 0.0]
    )
    return current, previous


def test_build_scorecard_lights_deltas_and_trends():
    current, previous = _frames()
    card = build_scorecard(current, previous, 2025).set_index("code")
    assert card.loc["64.02.01", "stunting_pct_light"] == "merah"
    assert card.loc["64.02.02", "stunting_pct_light"] == "hijau"
    assert card.loc["64.02.01", "stunting_pct_delta"] == pytest.approx(2.0)
    assert card.loc["64.02.01", "stunting_pct_trend"] == "memburuk"
    assert card.loc["64.02.02", "stunting_pct_trend"] == "membaik"
    assert card.loc["64.02.01", "ds_pct_trend"] == "memburuk"
    assert card.loc["64.02", "stunting_pct_trend"] == "tetap"
    # Registration has a history now (every master received is kept): it gets a change too.
    assert card.loc["64.02.01", "registered_pct_delta"] == pytest.approx(50.0)
    assert card.loc["64.02.01", "registered_pct_trend"] == "membaik"
    assert card.loc["64.02.01", "registered_pct_light"] == "merah"
    assert card.loc["64.02.02", "kader_pct_light"] is None
    assert card.loc["64.02.01", "kader_pct_no_light"] == "belum ada target bersumber untuk data 2025 di register target"
    assert card.loc["64.02.01", "stunting_pct_target"] == "stunting_rpjmn_2025"
    assert card.loc["64.02.01", "stunting_pct_no_light"] == ""
    few = build_scorecard(current.assign(children=[29, 30, np.nan]), previous, 2025).set_index("code")
    assert few.loc["64.02.01", "stunting_pct_light"] is None  # 29 children: under the light's minimum
    assert few.loc["64.02.01", "stunting_pct_no_light"] == "n 29 < 30 balita diukur"
    assert few.loc["64.02.02", "stunting_pct_light"] == "hijau"
    gone = build_scorecard(current.assign(stunting_pct=[np.nan, 12.0, 15.0]), previous, 2025).set_index("code")
    assert gone.loc["64.02.01", "stunting_pct_no_light"] == "tidak ada data"
    assert card["is_kabupaten"].tolist() == [False, False, True]


def test_build_scorecard_without_previous_month():
    current, _ = _frames()
    card = build_scorecard(current, current.iloc[0:0], 2025)
    assert card["stunting_pct_delta"].isna().all()
    assert card["stunting_pct_trend"].isna().all()


def test_sort_keeps_kabupaten_last_and_worst_first():
    current, previous = _frames()
    card = build_scorecard(current, previous, 2025)
    by_stunting = sort_scorecard(card, "stunting_pct")
    assert by_stunting["code"].tolist() == ["64.02.01", "64.02.02", "64.02"]
    by_ds = sort_scorecard(card, "ds_pct")
    assert by_ds["code"].tolist() == ["64.02.01", "64.02.02", "64.02"]
    best_ds = sort_scorecard(card, "ds_pct", worst_first=False)
    assert best_ds["code"].tolist() == ["64.02.02", "64.02.01", "64.02"]
    assert sort_scorecard(card, "name")["code"].tolist() == ["64.02.02", "64.02.01", "64.02"]


def test_display_table_and_styler():
    current, previous = _frames()
    card = build_scorecard(current, previous, 2025)
    table = display_table(card, "Okt 2025", "Sep 2025")
    assert table.columns[0] == "Kecamatan"
    assert "Stunting (%, Okt 2025)" in table.columns
    assert "Δ Stunting (poin, dari Sep 2025)" in table.columns
    assert "Δ Teregistrasi (poin, dari Sep 2025)" in table.columns
    assert "Bidang SPM dilayani (rerata 0–6, Okt 2025)" in table.columns
    assert "Legalitas (SK) (%, Okt 2025)" in table.columns and "Teregistrasi (%, Okt 2025)" in table.columns
    assert table["Kecamatan"].iloc[-1] == "Kab. Kutai Kartanegara"
    assert len(table.columns) == 1 + len(INDICATORS) + sum(i.has_history for i in INDICATORS)
    html = style_scorecard(card).to_html()
    assert LIGHT_COLORS["merah"].lower() in html.lower()
    assert TREND_COLORS["memburuk"].lower() in html.lower()
    assert "22,0%" in html and "▲ 2,0" in html
    assert "font-weight: bold" in html
    # The kabupaten has no relative priority score: an em dash, never "None" or "nan".
    shown = style_scorecard(card, "Okt 2025").to_html()
    assert NO_SCORE in shown and "None" not in shown and "nan" not in shown


def test_light_counts_exclude_kabupaten():
    current, previous = _frames()
    counts = light_counts(build_scorecard(current, previous, 2025))
    assert counts["stunting_pct"] == {"hijau": 1, "kuning": 0, "merah": 1}
    assert "kader_pct" not in counts  # no sourced target: no light to count


def test_export_table_has_values_n_previous_and_status():
    from dashboard.metrics.scorecard import export_table

    current, previous = _frames()
    current = current.assign(
        children=[100, 50, 150],
        s_total=[10, 20, 30],
        kader_registered=[5, 0, 5],
        posyandu=[2, 2, 4],
        spm_posyandu=[1, 1, 2],
    )
    table = export_table(build_scorecard(current, previous, 2025), "Oktober 2025", "September 2025")
    assert table.loc[0, "Prevalensi stunting (%, Oktober 2025)"] == 22.0
    assert table.loc[0, "Prevalensi stunting (%, September 2025)"] == 20.0
    assert table.loc[0, "Balita diukur (jumlah, Oktober 2025)"] == 100
    assert table.loc[0, "Status Stunting (lampu, Oktober 2025)"] == "merah"
    assert table.loc[0, "Target Stunting (kode register target)"] == "stunting_rpjmn_2025"
    assert table.loc[0, "Posyandu teregistrasi Kemendagri (%, September 2025)"] == 0.0
    assert not any(c.startswith("Status Kader") for c in table.columns)  # no target, no status column
    assert all("(" in column for column in table.columns if column != "Kecamatan")


# --- edges the mutation check found untested -----------------------------------------------


def test_trend_and_arrow_at_the_shown_precision():
    assert trend(10.04, 10.0, higher_is_better=True) == "tetap"  # both show 10,0
    assert trend(10.05, 10.0, higher_is_better=True) == "membaik"  # 10,1 vs 10,0 (half up)
    assert trend(10.5, 10.0, higher_is_better=False) == "memburuk"
    assert trend(10.06, 10.0, higher_is_better=True, decimals=2) == "membaik"
    assert trend(10.004, 10.0, higher_is_better=True, decimals=2) == "tetap"
    assert arrow_text(0.4) == "▲ 0,4"
    assert arrow_text(0.04) == "="
    assert arrow_text(-0.05) == "▼ 0,1"
    assert arrow_text(0.004, 2) == "=" and arrow_text(0.006, 2) == "▲ 0,01"


def test_indicators_format_with_the_catalogues_decimals():
    by_key = {i.key: i for i in INDICATORS}
    assert by_key["stunting_pct"].format(14.25) == "14,3%"
    assert by_key["spm_fields_mean"].format(2.25) == "2,3"


def _kukar_register(tmp_path, monkeypatch, rows: str):
    """The shipped register plus `rows`, used through DASBOR_TARGETS."""
    from dashboard.catalogue.targets import REGISTER

    path = tmp_path / "targets.csv"
    path.write_text(REGISTER.read_text(encoding="utf-8") + rows, encoding="utf-8")
    monkeypatch.setenv(REGISTER_ENV, str(path))
    return path


def test_a_kukar_target_replaces_the_national_one_for_kukar_and_its_kecamatan(tmp_path, monkeypatch):
    current, previous = _frames()  # stunting 22, 12, 15 (kabupaten)
    national = build_scorecard(current, previous, 2025).set_index("code")
    assert national.loc["64.02", "stunting_pct_light"] == "hijau"  # 15 ≤ 18,8
    _kukar_register(
        tmp_path,
        monkeypatch,
        "stunting_rpjmd_kukar_2025,stunting,target,kabupaten,64.02,2025,2025,12.5,%,at_most,"
        "RPJMD Kutai Kartanegara (uji),M,\n",
    )
    local = build_scorecard(current, previous, 2025).set_index("code")
    assert local.loc["64.02", "stunting_pct_light"] == "kuning"  # 15 > 12,5 but below WHO's 20
    assert local.loc["64.02.02", "stunting_pct_light"] == "hijau"  # 12 ≤ 12,5
    assert set(local["stunting_pct_target"]) == {"stunting_rpjmd_kukar_2025"}
    (line,) = [x for x in describe_lights(current, 2025) if x.startswith("**Stunting**")]
    assert "RPJMD Kutai Kartanegara (uji)" in line and "target Kabupaten Kutai Kartanegara" in line
    assert "RPJMN" not in line


# --- second mutation round: contract, catalogue decimals, local targets, headers, styling --------


def _derived_columns() -> set[str]:
    parts = ("prev", "delta", "trend", "light", "target", "no_light")
    return {f"{i.key}_{part}" for i in INDICATORS for part in parts}


def test_build_scorecard_returns_the_input_rows_and_the_documented_columns_only():
    current, previous = _frames()
    current.index = [7, 3, 5]  # a filtered frame keeps its row labels
    card = build_scorecard(current, previous, 2025)
    expected = set(current.columns) | {i.key for i in INDICATORS} | _derived_columns() | {"is_kabupaten"}
    assert set(card.columns) == expected
    assert card["code"].tolist() == ["64.02.01", "64.02.02", "64.02"]


def test_a_previous_month_without_rows_or_columns_gives_no_change():
    current, _ = _frames()
    card = build_scorecard(current, pd.DataFrame(), 2025)
    assert card["stunting_pct_prev"].isna().all() and card["stunting_pct_delta"].isna().all()
    assert card["stunting_pct_trend"].isna().all()
    assert card.loc[0, "stunting_pct_light"] == "merah"  # the month itself is still lit


def test_a_cell_that_is_not_a_number_reads_as_no_data():
    current, previous = _frames()
    current = current.assign(stunting_pct=[22.0, "<5", 15.0])  # e.g. a suppressed cell pasted back
    previous = previous.assign(stunting_pct=["<5", 13.0, 15.0])
    card = build_scorecard(current, previous, 2025).set_index("code")
    assert card.loc["64.02.02", "stunting_pct_light"] is None
    assert card.loc["64.02.02", "stunting_pct_no_light"] == "tidak ada data"
    assert np.isnan(card.loc["64.02.01", "stunting_pct_prev"]) and np.isnan(card.loc["64.02.01", "stunting_pct_delta"])
    assert card.loc["64.02.01", "stunting_pct_light"] == "merah"


def test_a_missing_trend_is_none_not_nan():
    current, previous = _frames()  # Loa Kulu has no kader figure: no trend; the others are unchanged
    card = build_scorecard(current, previous, 2025).set_index("code")
    assert card.loc["64.02.02", "kader_pct_trend"] is None
    assert card.loc["64.02.01", "kader_pct_trend"] == "tetap"


@pytest.fixture
def stunting_two_decimals(monkeypatch):
    """The catalogue says stunting has 2 decimals: every rounding of the Scorecard follows it."""
    from dataclasses import replace

    import dashboard.metrics.scorecard as scorecard

    real = scorecard.catalogue_entry
    monkeypatch.setattr(
        scorecard, "catalogue_entry", lambda code: replace(real(code), decimals=2) if code == "stunting" else real(code)
    )


def test_deltas_trends_arrows_and_export_follow_the_catalogues_decimals(stunting_two_decimals):
    from dashboard.metrics.scorecard import export_table

    current, previous = _frames()
    current = current.assign(stunting_pct=[12.346, 12.0, 15.0])
    previous = previous.assign(stunting_pct=[12.26, 12.0, 15.0])
    card = build_scorecard(current, previous, 2025)
    # shown 12,35 and 12,26: a change of 0,09 points, worse (stunting falls when it improves)
    assert card.loc[0, "stunting_pct_delta"] == pytest.approx(0.09)
    assert card.loc[0, "stunting_pct_trend"] == "memburuk"
    assert trend(12.346, 12.26, higher_is_better=False, decimals=2) == "memburuk"
    assert trend(10.04, 10.0, higher_is_better=True, decimals=2) == "membaik"  # 10,04 vs 10,00
    assert INDICATOR_BY_KEY["stunting_pct"].format(12.346) == "12,35%"
    html = style_scorecard(card).to_html()
    assert "12,35%" in html and "▲ 0,09" in html
    table = export_table(card)
    assert table.loc[0, "Prevalensi stunting (%)"] == pytest.approx(12.35)
    assert table.loc[0, "Prevalensi stunting (%, bulan lalu)"] == pytest.approx(12.26)


LOCAL_ROWS = (
    # a kader target for Muara Muntai only, a stricter stunting target for Loa Kulu only and a
    # yellow line for Muara Muntai's stunting in 2025 only
    "kader_uji_2025,kader_participation,target,kecamatan,64.02.01,2025,2025,90,%,at_least,"
    "Rencana kerja Kecamatan Muara Muntai (uji),M,\n"
    "stunting_uji_2025,stunting,target,kecamatan,64.02.02,2025,2025,12.5,%,at_most,"
    "Renja Kecamatan Loa Kulu (uji),M,\n"
    "stunting_ambang_uji_2025,stunting,threshold,kecamatan,64.02.01,2025,2025,25,%,below,"
    "Ambang kecamatan (uji),M,\n"
)


def test_each_kecamatan_is_lit_by_its_own_target_and_threshold(tmp_path, monkeypatch):
    _kukar_register(tmp_path, monkeypatch, LOCAL_ROWS)
    current, previous = _frames()  # stunting 22, 12, 15; kader 91, none, 88
    card = build_scorecard(current, previous, 2025).set_index("code")
    assert card.loc["64.02.01", "kader_pct_light"] == "hijau"  # 91 ≥ 90, its own target
    assert card.loc["64.02.01", "kader_pct_target"] == "kader_uji_2025"
    assert card.loc["64.02.02", "kader_pct_target"] is None  # the target is not Loa Kulu's
    assert card.loc["64.02", "kader_pct_light"] is None and card.loc["64.02", "kader_pct_target"] is None
    assert card.loc["64.02.01", "stunting_pct_light"] == "kuning"  # 22: above 18,8 but below its own 25
    assert card.loc["64.02.02", "stunting_pct_light"] == "hijau"  # 12 ≤ 12,5
    assert card.loc["64.02.02", "stunting_pct_target"] == "stunting_uji_2025"
    assert card.loc["64.02", "stunting_pct_target"] == "stunting_rpjmn_2025"
    lines = describe_lights(current, 2025)
    assert len(lines) == len(INDICATORS)
    (stunting,) = [x for x in lines if x.startswith("**Stunting**")]
    assert stunting.startswith("**Stunting**: hijau ≤ 18,8% — target nasional 2025, sumber: RPJMN 2025–2029")
    assert "; kuning < 25% — sumber: Ambang kecamatan (uji); selebihnya merah; " in stunting
    assert " · hijau ≤ 12,5% — target kecamatan 2025, sumber: Renja Kecamatan Loa Kulu (uji); kuning < 20%" in stunting
    assert stunting.endswith("; selebihnya merah; tanpa lampu bila kurang dari 30 balita diukur.")
    (kader,) = [x for x in lines if x.startswith("**Kader hadir**")]
    assert kader.startswith("**Kader hadir**: hijau ≥ 90% — target kecamatan 2025, sumber: Rencana kerja")


def test_describe_lights_names_every_indicator_and_why_one_has_none():
    current, _ = _frames()
    lines = describe_lights(current, 2025)
    assert [line.split("**")[1] for line in lines] == [i.short for i in INDICATORS]
    assert "**Kader hadir**: tanpa lampu — belum ada target bersumber untuk data 2025 di register target." in lines
    assert (
        "**D/S**: hijau ≥ 80% — target nasional, sumber: Kemenkes, pemantauan pertumbuhan (SKDN): partisipasi "
        "masyarakat D/S 80–85%; selebihnya merah; tanpa lampu bila kurang dari 30 balita sasaran (S)."
    ) in lines


def test_a_rule_mentions_a_minimum_n_only_above_one():
    from dashboard.catalogue.targets import reference
    from dashboard.metrics.scorecard import LightRule

    target = reference("ds_skdn")
    text = "hijau ≥ 80% — target nasional, sumber: " + target.source + "; selebihnya merah"
    assert LightRule(target, None, 1, "sasaran").describe() == text
    assert LightRule(target, None, 2, "sasaran").describe() == text + "; tanpa lampu bila kurang dari 2 sasaran"


def test_headers_without_a_period_name_only_the_unit():
    from dashboard.metrics.scorecard import delta_column, export_table, value_column

    current, previous = _frames()
    card = build_scorecard(current.assign(children=[100, 50, 150]), previous, 2025)
    stunting = INDICATOR_BY_KEY["stunting_pct"]
    assert stunting.header() == "Stunting (%)"
    assert delta_column(stunting) == "Δ Stunting (poin)"
    assert value_column(stunting) == "Prevalensi stunting (%)"
    shown = display_table(card)
    assert shown.columns[:3].tolist() == ["Kecamatan", "Stunting (%)", "Δ Stunting (poin)"]
    assert shown["Kecamatan"].tolist() == ["Muara Muntai", "Loa Kulu", "Kab. Kutai Kartanegara"]
    assert style_scorecard(card).data.columns[:3].tolist() == ["Kecamatan", "Stunting (%)", "Δ Stunting (poin)"]
    exported = export_table(card)
    assert exported["Kecamatan"].tolist() == ["Muara Muntai", "Loa Kulu", "Kabupaten Kutai Kartanegara"]
    assert exported.columns[:5].tolist() == [
        "Kecamatan",
        "Prevalensi stunting (%)",
        "Balita diukur (jumlah)",
        "Prevalensi stunting (%, bulan lalu)",
        "Status Stunting (lampu)",
    ]


def test_export_counts_are_whole_numbers_and_a_status_says_why_there_is_no_light():
    from dashboard.export.tables import table_to_csv
    from dashboard.metrics.scorecard import export_table

    current, previous = _frames()
    card = build_scorecard(current.assign(children=[29, 30, np.nan]), previous, 2025)
    table = export_table(card, "Oktober 2025")
    csv = table_to_csv(table[["Kecamatan", "Balita diukur (jumlah, Oktober 2025)"]]).decode("utf-8-sig")
    # never "29,0", also beside a missing n
    assert csv.split("\r\n")[1:4] == ["Muara Muntai;29", "Loa Kulu;30", "Kabupaten Kutai Kartanegara;"]
    status = table["Status Stunting (lampu, Oktober 2025)"].tolist()
    assert status == ["n 29 < 30 balita diukur", "hijau", "hijau"]


def test_export_has_an_n_column_only_where_the_frame_has_its_n():
    from dashboard.metrics.scorecard import export_table

    current, previous = _frames()  # no n columns at all
    table = export_table(build_scorecard(current, previous, 2025), "Oktober 2025")
    assert not any("(jumlah" in column for column in table.columns)
    assert table.loc[0, "Prevalensi stunting (%, Oktober 2025)"] == 22.0


def test_sort_breaks_ties_by_name():
    current, previous = _frames()
    card = build_scorecard(current.assign(stunting_pct=[15.0, 15.0, 15.0]), previous, 2025)
    for worst_first in (True, False):
        ordered = sort_scorecard(card, "stunting_pct", worst_first)
        assert ordered["name"].tolist()[:2] == ["Loa Kulu", "Muara Muntai"]


def _cell_styles(html: str) -> dict[tuple[int, int], set[tuple[str, str]]]:
    """(row, column) → the CSS declarations the Styler's rules give that cell, lower case."""
    import re

    cells: dict[tuple[int, int], set[tuple[str, str]]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", html):
        declarations = {tuple(part.strip().lower() for part in d.split(":", 1)) for d in body.split(";") if ":" in d}
        for row, column in re.findall(r"_row(\d+)_col(\d+)\b", selectors):
            cells.setdefault((int(row), int(column)), set()).update(declarations)
    return cells


def test_styler_with_both_periods_colours_arrows_scores_and_the_kabupaten_row():
    current, previous = _frames()
    card = build_scorecard(current, previous, 2025)
    styled = style_scorecard(card, "Okt 2025", "Sep 2025")
    html = styled.to_html()
    assert styled.data.columns[:3].tolist() == [
        "Kecamatan",
        "Stunting (%, Okt 2025)",
        "Δ Stunting (poin, dari Sep 2025)",
    ]
    assert "10,0" in html and "10.000000" not in html  # Loa Kulu's priority score, in the catalogue's format
    cells = _cell_styles(html)
    kabupaten = len(styled.data) - 1
    assert ("color", "#4d4d4d") in cells[(kabupaten, 2)]  # stunting unchanged (15 → 15): a grey "="
    for j, column in enumerate(styled.data.columns):
        assert ("font-weight", "bold") in cells.get((kabupaten, j), set()), column
        assert ("font-weight", "bold") not in cells.get((0, j), set()) or column.startswith("Δ "), column
    # the kabupaten's stunting light (15 ≤ 18,8: hijau) is kept beside the bold
    assert ("background-color", LIGHT_COLORS["hijau"].lower()) in cells[(kabupaten, 1)]
