"""biggest_changes: the largest kecamatan moves, noise (stunting not significant or on few children) left out."""

from datetime import date

import pandas as pd

from dashboard.rapat.changes import build_screens
from dashboard.rapat.highlights import biggest_changes

OCT, SEP = date(2025, 10, 1), date(2025, 9, 1)


def _row(code, children, stunted, kader_present, s_total=100, d_total=80):
    return {
        "code": code,
        "name": code,
        "children": children,
        "stunted": stunted,
        "stunting_pct": 100 * stunted / children if children else float("nan"),
        "kader_registered": 100,
        "kader_present": kader_present,
        "kader_pct": float(kader_present),
        "s_total": s_total,
        "d_total": d_total,
        "ds_pct": 100 * d_total / s_total,
        "posyandu": 5,
        "registered": 3,
        "full_legality": 3,
    }


def test_largest_first_and_noise_left_out():
    current = pd.DataFrame(
        [
            _row("64.02.01", 4000, 400, 90),  # stunting 20 -> 10: significant, 10 points
            _row("64.02.02", 20, 2, 80),  # stunting 50 -> 10 on 20 children: too few; kader -5
            _row("64.02.03", 200, 40, 93, d_total=60),  # stunting 20 -> 20; D/S -20 points
        ]
    )
    previous = pd.DataFrame(
        [
            _row("64.02.01", 4000, 800, 90),
            _row("64.02.02", 20, 10, 85),
            _row("64.02.03", 200, 40, 92),
        ]
    )
    screens = build_screens(current, previous, OCT, previous_month=SEP)
    found = biggest_changes(screens, limit=5)
    assert [(h.code, h.change.label) for h in found] == [
        ("64.02.03", "D/S"),
        ("64.02.01", "Stunting"),
        ("64.02.02", "Partisipasi kader"),
        ("64.02.03", "Partisipasi kader"),
    ]
    assert found[0].text == "Kecamatan 64.02.03: D/S turun 20,0 poin menjadi 60,0%"
    assert found[2].text == "Kecamatan 64.02.02: partisipasi kader turun 5,0 poin menjadi 80,0%"
    assert len(biggest_changes(screens)) == 3
