"""Priority score: normalisation, direction, missing components, weights and reasons."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.metrics.priority import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    MIN_CHILDREN,
    components_for,
    normalise_component,
    normalise_weights,
    rank_areas,
    rank_phrase,
    score_priority,
)


def _areas(**columns) -> pd.DataFrame:
    base = {
        "code": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "stunting_pct": [10.0, 20.0, 30.0],
        "children": [50, 50, 50],
        "basic_index": [80.0, 60.0, 40.0],
        "basic_index_n": [1, 1, 1],
        "ds_pct": [90.0, 80.0, 70.0],
        "s_total": [100, 100, 100],
        "kader_pct": [95.0, 90.0, 85.0],
        "kader_registered": [20, 20, 20],
        "legality_pct": [100.0, 50.0, 0.0],
        "posyandu": [2, 2, 2],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_default_weights_cover_every_component_and_sum_to_100():
    assert set(DEFAULT_WEIGHTS) == {c.key for c in COMPONENTS}
    assert sum(DEFAULT_WEIGHTS.values()) == 100


def test_normalise_weights_to_shares_and_zero_falls_back_to_defaults():
    shares = normalise_weights({"stunting": 2, "layanan_dasar": 2, "ds": 0, "kader": 0, "legalitas": 0})
    assert shares == {"stunting": 0.5, "layanan_dasar": 0.5, "ds": 0.0, "kader": 0.0, "legalitas": 0.0}
    assert normalise_weights(dict.fromkeys(DEFAULT_WEIGHTS, 0)) == {k: v / 100 for k, v in DEFAULT_WEIGHTS.items()}


def test_normalise_component_makes_100_the_worst_in_both_directions():
    values = pd.Series([10.0, 20.0, 30.0, np.nan])
    assert normalise_component(values, higher_is_worse=True).tolist()[:3] == [0.0, 50.0, 100.0]
    assert normalise_component(values, higher_is_worse=False).tolist()[:3] == [100.0, 50.0, 0.0]
    assert math.isnan(normalise_component(values, higher_is_worse=True).iloc[3])


def test_component_without_spread_scores_zero():
    assert normalise_component(pd.Series([5.0, 5.0, np.nan]), True).tolist()[:2] == [0.0, 0.0]


def test_worst_area_on_every_component_scores_100_and_ranks_first():
    scored = rank_areas(score_priority(_areas()))
    assert scored["code"].tolist() == ["C", "B", "A"]
    assert scored["priority_score"].tolist() == pytest.approx([100.0, 50.0, 0.0])
    assert scored["priority_rank"].tolist() == [1, 2, 3]
    assert (scored["components_used"] == 5).all()


def test_weighted_mean_by_hand():
    # Only stunting and D/S weigh; they disagree about A and C.
    areas = _areas(ds_pct=[70.0, 80.0, 90.0])
    weights = {"stunting": 3, "ds": 1, "layanan_dasar": 0, "kader": 0, "legalitas": 0}
    scored = score_priority(areas, weights).set_index("code")
    # A: stunting 0, D/S 100 -> 0.75*0 + 0.25*100 = 25; C: 0.75*100 + 0.25*0 = 75.
    assert scored.loc["A", "priority_score"] == pytest.approx(25.0)
    assert scored.loc["B", "priority_score"] == pytest.approx(50.0)
    assert scored.loc["C", "priority_score"] == pytest.approx(75.0)


def test_missing_component_reweights_and_is_stated():
    areas = _areas(basic_index=[80.0, 60.0, np.nan], basic_index_n=[1, 1, 0])
    scored = score_priority(areas).set_index("code")
    # C is the worst on the other four components: 100 after re-weighting (80 if the
    # missing Layanan Dasar counted as 0).
    assert scored.loc["C", "priority_score"] == pytest.approx(100.0)
    assert scored.loc["C", "components_used"] == 4
    assert scored.loc["C", "missing_components"] == "Layanan Dasar"
    assert "tanpa data: Layanan Dasar (bobot dibagi ulang)" in scored.loc["C", "reason"]
    # Layanan Dasar is normalised over A and B only: B (60) is the worst of the two.
    assert scored.loc["B", "layanan_dasar_score"] == pytest.approx(100.0)
    assert scored.loc["A", "missing_components"] == ""


def test_stunting_on_too_few_children_is_treated_as_missing():
    areas = _areas(children=[50, MIN_CHILDREN - 1, 50])
    scored = score_priority(areas).set_index("code")
    assert math.isnan(scored.loc["B", "stunting_score"])
    assert "stunting" in scored.loc["B", "missing_components"]


def test_area_without_any_component_has_no_score_and_ranks_last():
    nan = np.nan
    areas = _areas(
        stunting_pct=[10.0, 20.0, nan],
        children=[50, 50, 0],
        basic_index=[80.0, 60.0, nan],
        ds_pct=[90.0, 80.0, nan],
        kader_pct=[95.0, 90.0, nan],
        legality_pct=[100.0, 50.0, nan],
        posyandu=[2, 2, 0],
    )
    scored = rank_areas(score_priority(areas))
    assert scored["code"].iloc[-1] == "C"
    assert math.isnan(scored["priority_score"].iloc[-1])
    assert math.isnan(scored["priority_rank"].iloc[-1])
    assert scored["reason"].iloc[-1] == "tidak ada data untuk komponen mana pun"


def test_reason_names_values_and_ranks_in_bahasa():
    scored = score_priority(_areas()).set_index("code")
    reason = scored.loc["C", "reason"]
    assert reason.startswith("stunting 30,0% (tertinggi dari 3)")
    assert "Layanan Dasar 40,0 (terendah dari 3)" in reason
    assert reason.count(";") == 2  # the three largest contributions
    assert "stunting 20,0% (tertinggi ke-2 dari 3)" in scored.loc["B", "reason"]


def test_rank_phrase():
    assert rank_phrase(1, 20, True) == "tertinggi dari 20"
    assert rank_phrase(3, 237, False) == "terendah ke-3 dari 237"


def test_idm_component_is_named_and_formatted_as_idm():
    components = components_for("IDM")
    scored = score_priority(_areas(basic_index=[0.81, 0.7, 0.6]), components=components).set_index("code")
    assert "IDM 0,600 (terendah dari 3)" in scored.loc["C", "reason"]
    assert components_for("Indeks Desa - Layanan Dasar") == COMPONENTS


def test_zero_weight_component_neither_counts_nor_is_reported_missing():
    areas = _areas(kader_pct=[np.nan, np.nan, np.nan])
    weights = dict(DEFAULT_WEIGHTS, kader=0)
    scored = score_priority(areas, weights)
    assert (scored["missing_components"] == "").all()
    assert (scored["components_used"] == 4).all()


def test_contributions_sum_to_the_score():
    areas = _areas(basic_index=[80.0, np.nan, 40.0], basic_index_n=[1, 0, 1], ds_pct=[70.0, 95.0, 90.0])
    scored = score_priority(areas)
    parts = scored[[f"{c.key}_contribution" for c in COMPONENTS]].sum(axis=1, min_count=1)
    assert parts.tolist() == pytest.approx(scored["priority_score"].tolist())


def test_area_with_too_few_components_gets_no_score_and_says_why():
    nan = np.nan
    areas = _areas(
        stunting_pct=[10.0, 20.0, nan],
        children=[50, 50, 0],
        ds_pct=[90.0, 80.0, nan],
        s_total=[100, 100, 0],
        kader_pct=[95.0, 90.0, nan],
    )
    scored = rank_areas(score_priority(areas))
    c = scored.set_index("code").loc["C"]
    assert math.isnan(c["priority_score"])
    assert c["components_used"] == 2
    assert c["reason"].startswith("tidak diberi skor: hanya 2 dari 5 komponen berdata (minimal 3)")
    assert scored["code"].iloc[-1] == "C"
