"""Scorecard: traffic lights at the target edges, arrows, sorting and styling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.metrics.scorecard import (
    INDICATORS,
    LIGHT_COLORS,
    TARGETS,
    TREND_COLORS,
    arrow_text,
    build_scorecard,
    display_table,
    light_counts,
    sort_scorecard,
    style_scorecard,
    trend,
)


@pytest.mark.parametrize(
    ("key", "value", "light"),
    [
        ("stunting_pct", 14.0, "hijau"),
        ("stunting_pct", 14.01, "kuning"),
        ("stunting_pct", 20.0, "kuning"),
        ("stunting_pct", 20.1, "merah"),
        ("ds_pct", 80.0, "hijau"),
        ("ds_pct", 79.9, "kuning"),
        ("ds_pct", 70.0, "kuning"),
        ("ds_pct", 69.9, "merah"),
        ("kader_pct", 90.0, "hijau"),
        ("kader_pct", 85.0, "kuning"),
        ("kader_pct", 79.0, "merah"),
        ("registered_pct", 90.0, "hijau"),
        ("registered_pct", 70.0, "kuning"),
        ("registered_pct", 69.0, "merah"),
    ],
)
def test_traffic_light_edges(key, value, light):
    assert TARGETS[key].light(value) == light


def test_missing_value_has_no_light():
    assert TARGETS["stunting_pct"].light(np.nan) is None
    assert TARGETS["ds_pct"].light(None) is None


def test_targets_are_described_in_bahasa():
    assert TARGETS["stunting_pct"].describe() == "hijau ≤ 14%, kuning ≤ 20%, selebihnya merah"
    assert TARGETS["ds_pct"].describe() == "hijau ≥ 80%, kuning ≥ 70%, selebihnya merah"


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
    card = build_scorecard(current, previous).set_index("code")
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
    assert card["is_kabupaten"].tolist() == [False, False, True]


def test_build_scorecard_without_previous_month():
    current, _ = _frames()
    card = build_scorecard(current, current.iloc[0:0])
    assert card["stunting_pct_delta"].isna().all()
    assert card["stunting_pct_trend"].isna().all()


def test_sort_keeps_kabupaten_last_and_worst_first():
    current, previous = _frames()
    card = build_scorecard(current, previous)
    by_stunting = sort_scorecard(card, "stunting_pct")
    assert by_stunting["code"].tolist() == ["64.02.01", "64.02.02", "64.02"]
    by_ds = sort_scorecard(card, "ds_pct")
    assert by_ds["code"].tolist() == ["64.02.01", "64.02.02", "64.02"]
    best_ds = sort_scorecard(card, "ds_pct", worst_first=False)
    assert best_ds["code"].tolist() == ["64.02.02", "64.02.01", "64.02"]
    assert sort_scorecard(card, "name")["code"].tolist() == ["64.02.02", "64.02.01", "64.02"]


def test_display_table_and_styler():
    current, previous = _frames()
    card = build_scorecard(current, previous)
    table = display_table(card, "Okt 2025", "Sep 2025")
    assert table.columns[0] == "Kecamatan"
    assert "Stunting (%, Okt 2025)" in table.columns
    assert "Δ Stunting (poin, dari Sep 2025)" in table.columns
    assert "Δ Teregistrasi (poin, dari Sep 2025)" in table.columns
    assert "Bidang SPM dilayani (rerata 0–6, Okt 2025)" in table.columns
    assert not any(c.startswith("Legalitas") for c in table.columns)
    assert table["Kecamatan"].iloc[-1] == "Kab. Kutai Kartanegara"
    assert len(table.columns) == 1 + len(INDICATORS) + sum(i.has_history for i in INDICATORS)
    html = style_scorecard(card).to_html()
    assert LIGHT_COLORS["merah"].lower() in html.lower()
    assert TREND_COLORS["memburuk"].lower() in html.lower()
    assert "22,0%" in html and "▲ 2,0" in html
    assert "font-weight: bold" in html


def test_light_counts_exclude_kabupaten():
    current, previous = _frames()
    counts = light_counts(build_scorecard(current, previous))
    assert counts["stunting_pct"] == {"hijau": 1, "kuning": 0, "merah": 1}
    assert counts["kader_pct"] == {"hijau": 1, "kuning": 0, "merah": 0}


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
    table = export_table(build_scorecard(current, previous), "Oktober 2025", "September 2025")
    assert table.loc[0, "Stunting (%, Oktober 2025)"] == 22.0
    assert table.loc[0, "Stunting (%, September 2025)"] == 20.0
    assert table.loc[0, "Balita diukur (jumlah, Oktober 2025)"] == 100
    assert table.loc[0, "Status Stunting (lampu, Oktober 2025)"] == "merah"
    assert table.loc[0, "Teregistrasi (%, September 2025)"] == 0.0
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


def test_target_describes_its_rule_and_indicators_format_with_their_decimals():
    assert TARGETS["stunting_pct"].describe() == "hijau ≤ 14%, kuning ≤ 20%, selebihnya merah"
    assert TARGETS["ds_pct"].describe("") == "hijau ≥ 80, kuning ≥ 70, selebihnya merah"
    by_key = {i.key: i for i in INDICATORS}
    assert by_key["stunting_pct"].format(14.25) == "14,3%"
    assert by_key["spm_fields_mean"].format(2.25) == "2,3"


def _frame(codes, **values) -> pd.DataFrame:
    frame = pd.DataFrame({"code": codes, "name": [f"Kec {c}" for c in codes]})
    for key, column in values.items():
        frame[key] = column
    return frame


def test_build_scorecard_reads_text_numbers_maps_last_month_by_code_and_renumbers_rows():
    current = _frame(["64.02.01", "64.02.02", "64.02"], stunting_pct=["20.04", "n/a", 15.0], ds_pct=[80.0, 70.0, 75.0])
    current.index = [7, 3, 9]
    previous = _frame(["64.02.02", "64.02.01", "64.02"], stunting_pct=[30.0, "19.9", None], ds_pct=[60.0, 80.0, 75.0])
    card = build_scorecard(current, previous)
    assert card.index.tolist() == [0, 1, 2] and "index" not in card.columns
    assert card["stunting_pct"].tolist()[0] == 20.04 and np.isnan(card["stunting_pct"].iloc[1])
    assert card["stunting_pct_prev"].tolist()[:2] == [19.9, 30.0]
    assert card["stunting_pct_delta"].iloc[0] == pytest.approx(0.1)  # 20,0 - 19,9 as shown
    assert card["stunting_pct_trend"].tolist() == ["memburuk", None, None]
    assert card["ds_pct_trend"].tolist() == ["tetap", "membaik", "tetap"]
    assert card["is_kabupaten"].tolist() == [False, False, True]
    no_history = build_scorecard(current, previous.iloc[0:0])
    assert no_history["ds_pct_prev"].isna().all() and no_history["ds_pct_trend"].isna().all()


def test_sort_breaks_ties_by_name_and_keeps_missing_then_kabupaten_last():
    current = _frame(
        ["64.02.03", "64.02.01", "64.02.02", "64.02.04", "64.02"], stunting_pct=[20.0, 20.0, 30.0, None, 18.0]
    )
    card = build_scorecard(current, current.iloc[0:0])
    ordered = sort_scorecard(card, "stunting_pct")
    assert ordered["code"].tolist() == ["64.02.02", "64.02.01", "64.02.03", "64.02.04", "64.02"]
    assert ordered.index.tolist() == [0, 1, 2, 3, 4]
