"""Composite priority score of desa and kecamatan: where the pembina team should go first.

Pure: one frame of area indicators in, the same frame with scores, ranks and a Bahasa
reason out. The rule (also written on the Prioritas page):

1. Each component is min-max normalised over the areas that have it, to 0-100, turned
   so that 100 is the worst area (highest stunting, lowest D/S, lowest kader
   participation, lowest share of posyandu with full legality, lowest basic-service index).
   A component with no spread (all areas equal, or one area) scores 0 everywhere: it
   cannot tell areas apart.
2. The priority score is the weighted mean of the normalised components the area has.
   When a component is missing for an area, the weights of the others are re-normalised
   so they sum to 1 again, and the area says which component was missing.
3. Stunting counts only when at least ``MIN_CHILDREN`` children were measured: a rate on
   a handful of children is noise.
4. An area needs at least ``MIN_COMPONENTS`` of the weighted components (fewer when fewer
   carry weight) to get a score; otherwise one component alone, say a low index in a desa
   without posyandu, would put it on top. Such areas are listed last with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.catalogue.indicators import INDICATORS
from dashboard.formatting import format_number, round_half_up

MIN_CHILDREN = INDICATORS["stunting"].min_n("peringkat")  # the catalogue's: the score ranks areas
MIN_COMPONENTS = 3
REASON_TOP = 3
# Session key where the Prioritas page keeps the user's weights, so Peta and Scorecard use them too.
WEIGHTS_STATE_KEY = "priority_weights"


@dataclass(frozen=True)
class Component:
    """One input of the score; ``value`` is the column holding it, in display units."""

    key: str
    label: str  # Bahasa, as in the slider and the table header
    reason_label: str  # as written inside the reason sentence
    value: str
    n: str  # column whose zero (or NaN) means "no data"
    higher_is_worse: bool
    unit: str = ""
    decimals: int = 1
    min_n: int = 1
    count: str | None = None  # column with the numerator, said beside the value ("0 dari 1 posyandu")
    n_unit: str = ""  # what ``n`` counts, in Bahasa


BASIC_SERVICES = Component(
    "layanan_dasar",
    "Indeks Layanan Dasar (rendah)",
    "Layanan Dasar",
    "basic_index",
    "basic_index_n",
    higher_is_worse=False,
)
STUNTING = Component(
    "stunting",
    "Prevalensi stunting",
    "stunting",
    "stunting_pct",
    "children",
    higher_is_worse=True,
    unit="%",
    min_n=MIN_CHILDREN,
    count="stunted",
    n_unit="balita diukur",
)
DS = Component("ds", "D/S (rendah)", "D/S", "ds_pct", "s_total", higher_is_worse=False, unit="%")
KADER = Component(
    "kader",
    "Partisipasi kader (rendah)",
    "partisipasi kader",
    "kader_pct",
    "kader_registered",
    higher_is_worse=False,
    unit="%",
)
LEGALITY = Component(
    "legalitas",
    "Legalitas lengkap (rendah)",
    "legalitas lengkap",
    "legality_pct",
    "posyandu",
    higher_is_worse=False,
    unit="%",
    count="full_legality",
    n_unit="posyandu",
)
COMPONENTS: tuple[Component, ...] = (STUNTING, BASIC_SERVICES, DS, KADER, LEGALITY)
DEFAULT_WEIGHTS: dict[str, float] = {"stunting": 30, "layanan_dasar": 20, "ds": 20, "kader": 15, "legalitas": 15}


def basic_services_component(index_name: str | None) -> Component:
    """The basic-service component labelled after the index actually used.

    IDM runs 0-1 (three decimals), Indeks Desa - Layanan Dasar 0-100 (one decimal).
    """
    if index_name == "IDM":
        return Component(
            BASIC_SERVICES.key,
            "IDM (rendah)",
            "IDM",
            BASIC_SERVICES.value,
            BASIC_SERVICES.n,
            higher_is_worse=False,
            decimals=3,
        )
    return BASIC_SERVICES


def components_for(index_name: str | None) -> tuple[Component, ...]:
    """COMPONENTS with the basic-service component named after ``index_name``."""
    basic = basic_services_component(index_name)
    return tuple(basic if c.key == BASIC_SERVICES.key else c for c in COMPONENTS)


def normalise_weights(weights: Mapping[str, float], components: tuple[Component, ...] = COMPONENTS) -> dict[str, float]:
    """Weights as shares summing to 1 (negative counts as 0); all zero falls back to the defaults."""
    raw = {c.key: max(0.0, float(weights.get(c.key, 0.0) or 0.0)) for c in components}
    total = sum(raw.values())
    if total <= 0:
        raw = {c.key: float(DEFAULT_WEIGHTS[c.key]) for c in components}
        total = sum(raw.values())
    return {key: value / total for key, value in raw.items()}


def component_values(areas: pd.DataFrame, component: Component) -> pd.Series:
    """The component's value per area, NaN where it has no (or too little) data."""
    values = pd.to_numeric(areas[component.value], errors="coerce").astype(float)
    if component.n in areas.columns:
        n = pd.to_numeric(areas[component.n], errors="coerce").fillna(0)
        values = values.where(n >= component.min_n)
    return values


def normalise_component(values: pd.Series, higher_is_worse: bool) -> pd.Series:
    """Min-max to 0-100 with 100 = worst; NaN stays NaN; no spread gives 0."""
    low, high = values.min(skipna=True), values.max(skipna=True)
    if pd.isna(low) or high == low:
        return values.where(values.isna(), 0.0)
    scaled = (values - low) / (high - low) * 100
    return scaled if higher_is_worse else 100 - scaled


def worst_rank(values: pd.Series, higher_is_worse: bool) -> pd.Series:
    """1 = worst area for this component (tied areas share the lower number); NaN without data."""
    return values.rank(ascending=not higher_is_worse, method="min")


def rank_phrase(rank: float, total: int, higher_is_worse: bool) -> str:
    """(3, 20, True) -> "tertinggi ke-3 dari 20"; rank 1 -> "tertinggi dari 20"."""
    word = "tertinggi" if higher_is_worse else "terendah"
    place = word if int(rank) == 1 else f"{word} ke-{int(rank)}"
    return f"{place} dari {format_number(total)}"


def format_component_value(value: float, component: Component) -> str:
    return f"{format_number(value, component.decimals)}{component.unit}"


def score_priority(
    areas: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    components: tuple[Component, ...] = COMPONENTS,
) -> pd.DataFrame:
    """Add ``<key>_score`` (0-100), ``<key>_rank``, ``<key>_contribution`` (points of the
    score), ``priority_score``, ``priority_rank``, ``components_used``,
    ``missing_components`` and ``reason`` (Bahasa) to ``areas``.

    ``areas`` has one row per area and the value and n columns of ``components``.
    Areas with no component at all get a NaN score and no rank.
    """
    shares = normalise_weights(weights or DEFAULT_WEIGHTS, components)
    out = areas.copy().reset_index(drop=True)
    weighted_sum = pd.Series(0.0, index=out.index)
    weight_used = pd.Series(0.0, index=out.index)
    contributions: dict[str, pd.Series] = {}
    values_by_key: dict[str, pd.Series] = {}
    for component in components:
        values = component_values(out, component)
        values_by_key[component.key] = values
        score = normalise_component(values, component.higher_is_worse)
        out[f"{component.key}_score"] = score
        out[f"{component.key}_rank"] = worst_rank(values, component.higher_is_worse)
        share = shares[component.key]
        has = score.notna()
        if share > 0:
            weighted_sum += score.fillna(0) * share
            weight_used += has * share
        contributions[component.key] = score * share
    active = [c for c in components if shares[c.key] > 0]
    out["components_used"] = sum(values_by_key[c.key].notna().astype(int) for c in active) if active else 0
    enough = (weight_used > 0) & (out["components_used"] >= min(MIN_COMPONENTS, len(active)))
    out["priority_score"] = (weighted_sum / weight_used).where(enough)
    for component in components:
        # Each component's part of the score (re-normalised weights): the parts sum to the score.
        out[f"{component.key}_contribution"] = (contributions[component.key] / weight_used).where(enough)
    out["priority_rank"] = out["priority_score"].rank(ascending=False, method="min")
    out["missing_components"] = [
        ", ".join(c.reason_label for c in active if pd.isna(values_by_key[c.key].iloc[i])) for i in range(len(out))
    ]
    totals = {c.key: int(values_by_key[c.key].notna().sum()) for c in components}
    out["reason"] = [
        _reason(i, active, values_by_key, out, contributions, totals, out["missing_components"].iloc[i])
        for i in range(len(out))
    ]
    too_few = ~enough & (out["components_used"] > 0)
    out.loc[too_few, "reason"] = [
        f"tidak diberi skor: hanya {used} dari {len(active)} komponen berdata (minimal "
        f"{min(MIN_COMPONENTS, len(active))}) · tanpa data: {missing}"
        for used, missing in zip(
            out.loc[too_few, "components_used"], out.loc[too_few, "missing_components"], strict=True
        )
    ]
    return out


def _reason(
    i: int,
    active: list[Component],
    values_by_key: dict[str, pd.Series],
    out: pd.DataFrame,
    contributions: dict[str, pd.Series],
    totals: dict[str, int],
    missing: str,
) -> str:
    present = [c for c in active if pd.notna(values_by_key[c.key].iloc[i])]
    if not present:
        return "tidak ada data untuk komponen mana pun"
    # Largest contribution first; ties keep the component order (stunting first).
    ordered = sorted(present, key=lambda c: -float(np.nan_to_num(contributions[c.key].iloc[i])))
    parts = [
        f"{c.reason_label} {format_component_value(values_by_key[c.key].iloc[i], c)} "
        f"({_behind(out, i, c)}{rank_phrase(out[f'{c.key}_rank'].iloc[i], totals[c.key], c.higher_is_worse)})"
        for c in ordered[:REASON_TOP]
    ]
    text = "; ".join(parts)
    if missing:
        text += f" · tanpa data: {missing} (bobot dibagi ulang)"
    return text


def _behind(out: pd.DataFrame, i: int, component: Component) -> str:
    """ "1 dari 2 posyandu, ": how many stand behind a share, so 0% or 100% of one posyandu reads as such."""
    if component.count is None or component.count not in out.columns or component.n not in out.columns:
        return ""
    count, n = out[component.count].iloc[i], out[component.n].iloc[i]
    if pd.isna(count) or pd.isna(n):
        return ""
    return f"{format_number(count)} dari {format_number(n)} {component.n_unit}; "


def small_n_notes(areas: pd.DataFrame, components: tuple[Component, ...]) -> pd.Series:
    """Per area, the components left out because their n is under the minimum ("" when none):
    such an area is marked, and is not ranked on that component."""
    notes = []
    for i in range(len(areas)):
        parts = []
        for c in components:
            if c.min_n <= 1 or c.n not in areas.columns:
                continue
            n = pd.to_numeric(areas[c.n].iloc[i], errors="coerce")
            if pd.notna(n) and 0 < n < c.min_n:
                parts.append(f"{c.reason_label} tidak dihitung: {format_number(n)} {c.n_unit} (minimal {c.min_n})")
        notes.append("; ".join(parts))
    return pd.Series(notes, index=areas.index, dtype=object)


def rank_areas(scored: pd.DataFrame) -> pd.DataFrame:
    """Scored areas ordered from highest priority; areas without a score last."""
    return scored.sort_values(["priority_score", "code"], ascending=[False, True], na_position="last").reset_index(
        drop=True
    )


def priority_table(ranked: pd.DataFrame, components: tuple[Component, ...], level: str) -> pd.DataFrame:
    """The ranked list as shown and downloaded: Bahasa headers, values as used in the score
    (a component without enough data is empty), rounded as displayed."""
    table = pd.DataFrame({"Peringkat": ranked["priority_rank"].astype("Int64").array})
    table["Desa/Kelurahan" if level == "desa" else "Kecamatan"] = ranked["name"].to_numpy()
    if level == "desa":
        table["Kecamatan"] = ranked["nama_kec"].to_numpy()
    table["Skor prioritas (0–100)"] = round_half_up(ranked["priority_score"], 1).to_numpy()
    table["Alasan"] = ranked["reason"].to_numpy()
    table["Catatan n kecil"] = small_n_notes(ranked, components).to_numpy()
    for component in components:
        header = component.reason_label[:1].upper() + component.reason_label[1:]
        header += " (%)" if component.unit == "%" else ""
        table[header] = round_half_up(component_values(ranked, component), component.decimals).to_numpy()
        if component.n_unit and component.n in ranked.columns:
            label = component.n_unit[:1].upper() + component.n_unit[1:]
            table[f"{label} (jumlah)"] = pd.to_numeric(ranked[component.n], errors="coerce").astype("Int64").array
    table["Komponen tersedia"] = ranked["components_used"].astype("Int64").array
    return table
