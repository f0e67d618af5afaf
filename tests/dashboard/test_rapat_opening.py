"""The rapat's opening: the previous rapat's data month, the default previous rapat, the changes table."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.rapat.changes import build_screens
from dashboard.rapat.opening import build_opening, changes_table, data_month_for_rapat, default_previous_rapat


def test_data_month_is_the_last_full_month_before_the_rapat():
    assert data_month_for_rapat(dt.date(2025, 11, 3), dt.date(2025, 12, 1)) == dt.date(2025, 10, 1)
    assert data_month_for_rapat(dt.date(2025, 8, 31), dt.date(2025, 12, 1)) == dt.date(2025, 7, 1)
    # a rapat after the data shown: compare with the month before it, never with itself
    assert data_month_for_rapat(dt.date(2026, 3, 2), dt.date(2025, 12, 1)) == dt.date(2025, 11, 1)


def test_default_previous_rapat_is_the_latest_before_the_meeting():
    dates = [dt.date(2025, 12, 8), dt.date(2025, 11, 3), dt.date(2025, 10, 6)]
    assert default_previous_rapat(dates, dt.date(2025, 12, 8)) == dt.date(2025, 11, 3)
    assert default_previous_rapat(dates, dt.date(2025, 10, 6)) is None


def _rows(stunted: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["64.02.06", "64.02.07"],
            "name": ["Tenggarong", "Sebulu"],
            "children": [200, 200],
            "stunted": stunted,
            "stunting_pct": [100 * s / 200 for s in stunted],
            # design-based intervals as the mart gives them: wide enough to overlap here
            "stunting_ci_low": [100 * s / 200 - 6 for s in stunted],
            "stunting_ci_high": [100 * s / 200 + 6 for s in stunted],
            "kader_present": [80, 90],
            "kader_registered": [100, 100],
            "kader_pct": [80.0, 90.0],
            "s_total": [100, 100],
            "d_total": [70, 80],
            "ds_pct": [70.0, 80.0],
            "posyandu": [10, 10],
            "registered": [5, 6],
            "full_legality": [4, 5],
        }
    )


def test_opening_compares_with_the_chosen_month():
    month, compared = dt.date(2025, 12, 1), dt.date(2025, 9, 1)
    screens = build_screens(_rows([30, 40]), _rows([40, 30]), month, previous_month=compared)
    assert screens[1].changes[0].previous_label == "September 2025"
    opening = build_opening(screens, dt.date(2025, 10, 6), compared, None, {})
    assert opening.changes_title == "Apa yang berubah sejak rapat lalu"
    assert not any(p.startswith("Legalitas") for p in opening.changes_points)  # no history: not a change
    assert opening.changes_lead == ("Dibanding data September 2025 (bulan penuh terakhir sebelum rapat 6 Oktober 2025)")
    assert (
        "Penurunan stunting terbesar: Kecamatan Tenggarong, turun 5,0 poin menjadi 15,0% (belum berbeda nyata)"
    ) in opening.changes_points
    assert (
        "Kenaikan stunting terbesar: Kecamatan Sebulu, naik 5,0 poin menjadi 20,0% (belum berbeda nyata)"
    ) in opening.changes_points
    assert opening.followup_lead.startswith("Belum ada rapat sebelumnya")
    table = changes_table(screens)
    assert list(table["Kecamatan"]) == ["Tenggarong", "Sebulu"]
    assert list(table["Δ Stunting"]) == [-5.0, 5.0]


def test_lead_says_when_the_rapat_month_is_not_before_the_period():
    month = dt.date(2025, 10, 1)
    screens = build_screens(_rows([30, 40]), _rows([40, 30]), month, previous_month=dt.date(2025, 9, 1))
    opening = build_opening(screens, dt.date(2025, 11, 3), data_month_for_rapat(dt.date(2025, 11, 3), month), None, {})
    assert opening.changes_lead.startswith("Dibanding data September 2025: periode yang ditampilkan tidak lebih baru")


def test_the_headline_slide_says_where_the_area_stands_not_what_moved():
    month, compared = dt.date(2025, 12, 1), dt.date(2025, 9, 1)
    screens = build_screens(_rows([30, 40]), _rows([40, 30]), month, previous_month=compared)
    opening = build_opening(screens, dt.date(2025, 10, 6), compared, None, {})
    state = screens[0].state_points
    assert state[0].startswith(
        "Stunting 17,5%: 70 balita pendek atau sangat pendek dari 400 yang diukur (data rutin e-PPGBM, bukan survei); "
        "Target 2025: 18,8%"
    )
    assert state[1] == "Kader hadir 85,0%: 170 kader hadir per hari buka dari 200 kader terdaftar di posyandu yang buka"
    assert state[2] == "D/S 75,0%: 150 balita ditimbang dari 200 balita sasaran (S)"
    assert state[3].startswith("Legalitas lengkap 9 dari 20 posyandu (45,0%); teregistrasi Kemendagri 55,0%")
    # the moves are said once, on "Apa yang berubah": none of its points, no "poin" on the headline slide
    assert opening.changes_points[0] == "Stunting tetap 17,5%"
    assert not set(state) & set(opening.changes_points)
    assert not any(" poin" in point for point in state)
