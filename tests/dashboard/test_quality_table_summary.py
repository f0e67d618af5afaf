"""The Gizi Balita quality tables fit a 1366-px laptop: each row says in words how many
indicators are a problem or need attention and which, before the per-indicator columns."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import stunting
from dashboard.metrics.quality import GOOD, PROBLEM, TOO_FEW, WATCH


def _rated(*ratings: tuple[str, str, float]) -> pd.DataFrame:
    rules = list(stunting.QUALITY_RULES.values())
    return pd.DataFrame(
        {
            "key": [rules[i].key for i in range(len(ratings))],
            "label": [rules[i].label for i in range(len(ratings))],
            "value": [value for _, _, value in ratings],
            "rating": [rating for _, rating, _ in ratings],
        }
    )


@pytest.mark.parametrize(
    ("ratings", "summary", "to_check"),
    [
        ([("a", GOOD, 0.5), ("b", GOOD, 1.0)], "Semua baik", "–"),
        (
            [("a", PROBLEM, 2.5), ("b", WATCH, 1.3), ("c", GOOD, 4.0)],
            "1 bermasalah, 1 perlu perhatian",
            "Data ditandai tidak masuk akal 2,5%; SD z-skor TB/U 1,30",
        ),
        ([("a", GOOD, 0.5), ("b", TOO_FEW, 1.0)], "Semua baik; 1 belum dinilai (n kecil)", "–"),
        ([("a", TOO_FEW, 0.5), ("b", TOO_FEW, 1.0)], "Belum dinilai (n kecil)", "–"),
    ],
)
def test_a_quality_row_says_what_to_check(monkeypatch, ratings, summary, to_check):
    monkeypatch.setattr(stunting, "rate_quality", lambda row: _rated(*ratings))
    table = stunting.build_quality_kecamatan_table(pd.DataFrame({"nama_kec": ["Tenggarong"], "children": [120]}))
    row = table.iloc[0]
    assert (row["Kecamatan"], row["Balita"], row["Ringkasan"], row["Perlu dicek"]) == (
        "Tenggarong",
        120,
        summary,
        to_check,
    )
    # the detail stays: one "status (value)" column per indicator after the four shown by default
    assert stunting.quality_table_columns(table) == ["Kecamatan", "Balita", "Ringkasan", "Perlu dicek"]
    assert len(table.columns) == 4 + len(ratings)
