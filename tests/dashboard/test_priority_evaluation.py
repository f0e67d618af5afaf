"""Difference in change between priority kecamatan and the rest, computed by hand."""

from __future__ import annotations

import pandas as pd

from dashboard.metrics.priority_evaluation import evaluate_prioritisation, evaluation_table


def counts(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["code", "children", "stunted", "kader_present", "kader_registered", "posyandu", "legal"]
    )


BASE = counts(
    [
        ("64.02.01", 100, 30, 50, 100, 10, 2),
        ("64.02.02", 100, 20, 60, 100, 10, 4),
        ("64.02.03", 200, 20, 80, 100, 10, 5),
        ("64.02.04", 100, 10, 90, 100, 10, 5),
        ("64.02.05", 0, 0, 0, 0, 10, 1),  # no measurement at baseline: out of stunting and kader
    ]
)
NOW = counts(
    [
        ("64.02.01", 100, 20, 70, 100, 10, 6),
        ("64.02.02", 100, 16, 70, 100, 10, 6),
        ("64.02.03", 200, 18, 85, 100, 10, 6),
        ("64.02.04", 100, 10, 90, 100, 10, 5),
        ("64.02.05", 100, 50, 90, 100, 10, 9),
    ]
)


def test_pooled_change_and_difference():
    stunting, kader, legality = evaluate_prioritisation(BASE, NOW, {"64.02.01", "64.02.02"}, excluded={"64.02.04"})
    # priority: 50/200 = 25% → 36/200 = 18%: -7.0; others (64.02.03 only; .04 excluded, .05 no baseline): 10% → 9%: -1.0
    assert (stunting.priority.base_pct, stunting.priority.now_pct, stunting.priority.change) == (25.0, 18.0, -7.0)
    assert (stunting.others.kecamatan, stunting.others.base_n, stunting.others.change) == (1, 200, -1.0)
    assert stunting.difference == -6.0
    assert "selisih -6,0 poin (lebih baik)" in stunting.sentence()
    # kader: priority 110/200 = 55% → 140/200 = 70%: +15; others 80% → 85%: +5
    assert (kader.priority.change, kader.others.change, kader.difference) == (15.0, 5.0, 10.0)
    assert kader.sentence().endswith("(lebih baik)")
    # legality counts posyandu, so 64.02.05 (posyandu at both months) is among the others: 6/20 = 30% → 15/20 = 75%
    assert (legality.others.kecamatan, legality.others.base_pct, legality.others.now_pct) == (2, 30.0, 75.0)
    assert legality.priority.change == 30.0 and legality.difference == -15.0
    assert legality.sentence().endswith("(lebih buruk)")


def test_empty_group_cannot_be_compared():
    (stunting, *_) = evaluate_prioritisation(BASE, NOW, {"64.02.09"})
    assert stunting.priority.kecamatan == 0 and stunting.difference is None
    assert "tidak dapat dibandingkan" in stunting.sentence()


def test_table_has_both_groups_with_n():
    table = evaluation_table(evaluate_prioritisation(BASE, NOW, {"64.02.01"}), "April 2025", "Oktober 2025")
    assert list(table["Kelompok"]) == ["Prioritas", "Lainnya"] * 3
    assert list(table.columns[:5]) == ["Indikator", "Kelompok", "Kecamatan (n)", "n menghitung", "n April 2025"]
    assert table["Selisih perubahan (poin)"].isna().tolist() == [False, True] * 3
    assert table["Selisih perubahan (poin)"].dtype == "float64"
