"""attention_list: the top of the priority ranking with the components that weigh most, in words."""

import pandas as pd

from dashboard.metrics.attention import attention_list, short_reason
from dashboard.metrics.priority import COMPONENTS, DEFAULT_WEIGHTS, score_priority


def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["64.02.01", "64.02.02", "64.02.03", "64.02.04"],
            "name": ["A", "B", "C", "D"],
            "children": [100, 100, 100, 0],
            "stunted": [30, 10, 20, 0],
            "stunting_pct": [30.0, 10.0, 20.0, None],
            "basic_index": [50.0, 70.0, 60.0, None],
            "basic_index_n": [3, 3, 3, 0],
            "s_total": [100, 100, 100, 0],
            "ds_pct": [90.0, 60.0, 75.0, None],
            "kader_registered": [50, 50, 50, 0],
            "kader_pct": [95.0, 70.0, 80.0, None],
            "posyandu": [5, 5, 5, 0],
            "full_legality": [5, 2, 3, 0],
            "legality_pct": [100.0, 40.0, 60.0, None],
        }
    )


def test_top_of_the_ranking_without_unscored_areas():
    scored = score_priority(_areas(), DEFAULT_WEIGHTS, COMPONENTS)
    worst = attention_list(scored, COMPONENTS, limit=5)
    expected = scored.dropna(subset=["priority_score"]).sort_values("priority_score", ascending=False)
    assert list(worst["code"]) == list(expected["code"])  # D has no data: not listed
    assert list(worst["priority_rank"]) == [int(r) for r in expected["priority_rank"]]
    assert worst["priority_rank"].iloc[0] == 1
    assert worst.attrs["ranked"] == 3
    assert len(attention_list(scored, COMPONENTS, limit=2)) == 2


def test_reason_names_the_largest_contributions_with_their_values():
    scored = score_priority(_areas(), DEFAULT_WEIGHTS, COMPONENTS)
    i = scored.index[scored["code"] == "64.02.02"][0]
    # B: lowest D/S, kader and legality (each 100 points) but stunting is the lowest (0 points)
    contributions = {c.key: scored[f"{c.key}_contribution"].iloc[i] for c in COMPONENTS}
    assert contributions["stunting"] == 0
    reason = short_reason(scored, i, COMPONENTS)
    assert reason == "D/S 60,0% · partisipasi kader 70,0%"  # 20 and 15 weight, ties keep component order
    assert "stunting" not in reason
    a = scored.index[scored["code"] == "64.02.01"][0]
    assert short_reason(scored, a, COMPONENTS, top=1) == "stunting 30,0%"
