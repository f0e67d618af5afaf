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
