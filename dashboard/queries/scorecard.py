"""Scorecard Rapat: kecamatan and kabupaten indicators for a month and the month before."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.db import cached_on_version
from dashboard.filters import Filters, months_before
from dashboard.metrics.priority import components_for, score_priority
from dashboard.queries.priority import query_area_indicators


def previous_month(month: date) -> date:
    return months_before(month, 1)


@cached_on_version
def query_scorecard_rows(filters: Filters, weights: dict[str, float] | None, month: date | None = None) -> pd.DataFrame:
    """One row per kecamatan shown (chosen one, or all in scope), then the kabupaten row.

    The priority score of a kecamatan is computed over every kecamatan in the user's
    scope (it is relative), then narrowed to the chosen kecamatan. The kabupaten row is
    left out for a user limited to some kecamatan, and has no priority score.
    """
    month = month or filters.month
    kecamatan = query_area_indicators(filters, "kecamatan", month)
    scored = score_priority(kecamatan, weights, components_for(kecamatan.attrs["basic_index_name"]))
    if filters.kode_kec:
        scored = scored[scored["code"] == filters.kode_kec]
    parts = [scored]
    if filters.scope_kec is None:
        kabupaten = query_area_indicators(filters.whole_scope(), "kabupaten", month)
        parts.append(kabupaten.assign(priority_score=float("nan")))
    rows = pd.concat(parts, ignore_index=True)
    rows.attrs.update(kecamatan.attrs)
    return rows
