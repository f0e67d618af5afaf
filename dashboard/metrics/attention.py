"""Kecamatan yang perlu perhatian (Ringkasan): the top of the priority ranking, said in a few words.

Pure. The ranking is the priority score of ``dashboard.metrics.priority`` (the one the
Prioritas page and the Scorecard show): nothing is re-ranked here; this only picks the
first areas with a score and writes the components that weigh most in their score with
their values ("stunting 24,9% · partisipasi kader 71,0%").
"""

from __future__ import annotations

import pandas as pd

from dashboard.metrics.priority import Component, component_values, format_component_value, rank_areas

ATTENTION_LIMIT = 5
REASON_PARTS = 2


def short_reason(
    scored: pd.DataFrame,
    i: int,
    components: tuple[Component, ...],
    top: int = REASON_PARTS,
    values: dict[str, pd.Series] | None = None,
) -> str:
    """The ``top`` components adding most to row ``i``'s score, with their values:
    "stunting 24,7% · D/S 81,0%". ``values``: component_values per key, when already at hand."""
    values = values or {c.key: component_values(scored, c) for c in components}
    parts = []
    for component in components:
        contribution = scored[f"{component.key}_contribution"].iloc[i]
        value = values[component.key].iloc[i]
        if pd.notna(contribution) and contribution > 0 and pd.notna(value):
            parts.append((-float(contribution), len(parts), component, value))
    parts.sort(key=lambda part: part[:2])  # largest first; ties keep the component order
    return " · ".join(f"{c.reason_label} {format_component_value(v, c)}" for _, _, c, v in parts[:top])


def attention_list(
    scored: pd.DataFrame, components: tuple[Component, ...], limit: int = ATTENTION_LIMIT
) -> pd.DataFrame:
    """The ``limit`` highest priority scores (``score_priority`` output), highest first.

    Columns: code, name, priority_rank, priority_score, reason (short, Bahasa), and
    ``ranked`` (how many areas have a score) in ``attrs``. Areas without a score are left out.
    """
    ranked = rank_areas(scored)
    ranked = ranked[ranked["priority_score"].notna()].reset_index(drop=True)
    top = ranked.head(limit)
    values = {c.key: component_values(top, c) for c in components}
    frame = pd.DataFrame(
        {
            "code": top["code"].to_numpy(),
            "name": top["name"].to_numpy(),
            "priority_rank": top["priority_rank"].astype(int).to_numpy(),
            "priority_score": top["priority_score"].to_numpy(),
            "reason": [short_reason(top, i, components, values=values) for i in range(len(top))],
        }
    )
    frame.attrs["ranked"] = len(ranked)
    return frame
