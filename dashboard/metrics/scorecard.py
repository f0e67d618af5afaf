"""Scorecard for the pembina meeting (rapat): kecamatan × key indicators with traffic
lights against sourced targets and an arrow against the previous month.

Pure: frames in, frames (or a pandas Styler) out. Names, definitions, direction, decimals,
colours and minimum n come from the indicator catalogue; every light is a target of the
targets register for the data's year and the row's area (the most local one), with its
source. No target for the year, or too small an n: no light, and the reason is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.catalogue.indicators import Indicator as CatalogueEntry
from dashboard.catalogue.indicators import indicator as catalogue_entry
from dashboard.catalogue.targets import KUKAR, Reference, target_for, threshold_for
from dashboard.formatting import MISSING, format_number, format_percent, is_missing, round_half_up
from dashboard.theme import OKABE_ITO

Light = Literal["hijau", "kuning", "merah"]
Trend = Literal["membaik", "memburuk", "tetap"]
NO_SCORE = "—"  # an em dash where a value cannot exist (the kabupaten has no relative priority score)


@dataclass(frozen=True)
class LightRule:
    """How one indicator is lit for one area and year: green when the target is met, yellow when
    only the sourced threshold is met, red otherwise; none under the catalogue's minimum n."""

    target: Reference
    threshold: Reference | None
    min_n: int
    n_unit: str

    def light(self, value: object, n: object = None) -> Light | None:
        if is_missing(value) or (n is not None and not is_missing(n) and float(n) < self.min_n):
            return None
        value = float(value)
        if self.target.met_by(value):
            return "hijau"
        if self.threshold is not None and self.threshold.met_by(value):
            return "kuning"
        return "merah"

    def describe(self) -> str:
        """ "hijau ≤ 18,8% — target nasional 2025, sumber: RPJMN …; kuning < 20% — sumber: WHO …; selebihnya merah" """
        target, years = self.target, self.target.years_text()
        parts = [
            f"hijau {target.rule_text()} — {target.level_text()}{' ' + years if years else ''}, sumber: {target.source}"
        ]
        if self.threshold is not None:
            parts.append(f"kuning {self.threshold.rule_text()} — sumber: {self.threshold.source}")
        parts.append("selebihnya merah")
        if self.min_n > 1:
            parts.append(f"tanpa lampu bila kurang dari {format_number(self.min_n)} {self.n_unit}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Indicator:
    """One Scorecard column: a column of the area-indicator frame and its catalogue entry."""

    key: str  # column in the area-indicator frame
    code: str  # catalogue code: name, definition, direction, decimals, colour, minimum n
    n_column: str | None  # the n behind the value (minimum n and the export's n column)
    n_label: str = ""
    has_history: bool = True
    unit_label: str = "%"  # in every header: what the number counts
    delta_unit: str = "poin"  # a change of a percentage is in percentage points
    no_target: str = ""  # why this indicator never has a target (else: none in the register for the year)

    @property
    def entry(self) -> CatalogueEntry:
        return catalogue_entry(self.code)

    @property
    def label(self) -> str:
        return self.entry.name

    @property
    def short(self) -> str:
        return self.entry.short_name

    @property
    def higher_is_better(self) -> bool:
        return self.entry.higher_is_better

    @property
    def decimals(self) -> int:
        return self.entry.decimals

    @property
    def unit(self) -> str:
        return "%" if self.entry.unit == "%" else ""

    def header(self, period: str = "") -> str:
        """ "Stunting (%, Okt 2025)": the unit and the period in the header."""
        return f"{self.short} ({self.unit_label}{', ' + period if period else ''})"

    def help_text(self) -> str:
        """The catalogue's definition and direction, as the column's help on screen."""
        return f"{self.entry.name}: {self.entry.definition} ({self.entry.direction_text})"

    def format(self, value: object) -> str:
        if self.unit == "%":
            return format_percent(value, self.decimals)
        return format_number(value, self.decimals)

    def light_rule(self, year: int, area: str = KUKAR) -> LightRule | None:
        """The register's target for data of `year` in `area`, or None (no light) without one."""
        target = target_for(self.code, year, area)
        if target is None:
            return None
        entry = self.entry
        return LightRule(target, threshold_for(self.code, year, area), entry.min_n("lampu"), entry.min_n_unit)

    def no_light_reason(self, year: int) -> str:
        return self.no_target or f"belum ada target bersumber untuk data {year} di register target"


INDICATORS: tuple[Indicator, ...] = (
    Indicator("stunting_pct", "stunting", "children", "Balita diukur"),
    Indicator("ds_pct", "ds_ratio", "s_total", "Sasaran (S)"),
    Indicator("kader_pct", "kader_participation", "kader_registered", "Kader terdaftar"),
    # Registered at the month end per the master in force then (masters are kept as snapshots).
    Indicator("registered_pct", "registered", "posyandu", "Posyandu"),
    # Legality = a valid SK pembentukan; a posyandu with an SK may still wait for its number.
    Indicator("valid_sk_pct", "legal_sk", "posyandu", "Posyandu"),
    Indicator(
        "spm_fields_mean",
        "spm_fields",
        "spm_posyandu",
        "Posyandu di master",
        unit_label="rerata 0–6",
        delta_unit="bidang",
    ),
    Indicator(
        "priority_score",
        "priority_score",
        None,
        unit_label="0–100",
        delta_unit="skor",
        no_target="skor relatif antarkecamatan, tidak dibandingkan dengan target",
    ),
)
KABUPATEN_LABEL = "Kab. Kutai Kartanegara"
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}

LIGHT_COLORS: dict[str, str] = {"hijau": "#BFE6D4", "kuning": "#FBE3A0", "merah": "#F6C1A8"}
TREND_COLORS: dict[str, str] = {"membaik": OKABE_ITO["bluish_green"], "memburuk": OKABE_ITO["vermillion"]}
ARROWS = {"up": "▲", "down": "▼", "same": "="}


def trend(current: object, previous: object, higher_is_better: bool, decimals: int = 1) -> Trend | None:
    """Better, worse or unchanged at the shown precision; None without both values."""
    if is_missing(current) or is_missing(previous):
        return None
    shown = round_half_up([float(current), float(previous)], decimals)
    delta = shown.iloc[0] - shown.iloc[1]
    if abs(delta) < 0.5 * 10**-decimals:
        return "tetap"
    return "membaik" if (delta > 0) == higher_is_better else "memburuk"


def arrow_text(delta: object, decimals: int = 1) -> str:
    """+1.23 -> "▲ 1,2"; -0.4 -> "▼ 0,4"; 0 -> "="; missing -> "–" (percentages change in points)."""
    if is_missing(delta):
        return MISSING
    rounded = round_half_up([float(delta)], decimals).iloc[0]
    if rounded == 0:
        return ARROWS["same"]
    arrow = ARROWS["up"] if rounded > 0 else ARROWS["down"]
    return f"{arrow} {format_number(abs(rounded), decimals)}"


def build_scorecard(current: pd.DataFrame, previous: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of ``current`` (code, name, indicator columns) with, per indicator key:
    ``<key>_prev``, ``<key>_delta``, ``<key>_trend``, ``<key>_light`` (None = no light),
    ``<key>_target`` (the register code of the target used) and ``<key>_no_light`` (why a row
    has no light, "" when it has one).

    ``previous`` is the same frame for the month before; indicators without history get
    no delta. Lights use the targets of ``year`` (the data's year) for each row's area. A
    ``is_kabupaten`` column marks the kabupaten row (code ``64.02``).
    """
    out = current.copy().reset_index(drop=True)
    prev = previous.set_index("code") if len(previous) else pd.DataFrame(index=pd.Index([], name="code"))
    for ind in INDICATORS:
        if ind.key not in out.columns:
            out[ind.key] = np.nan
        out[ind.key] = pd.to_numeric(out[ind.key], errors="coerce").astype(float)
        if ind.has_history and ind.key in prev.columns:
            before = pd.to_numeric(out["code"].map(prev[ind.key]), errors="coerce").astype(float)
        else:
            before = pd.Series(np.nan, index=out.index)
        out[f"{ind.key}_prev"] = before
        # The change between the values as shown, so "26,9 → 30,2" reads as "▲ 3,3".
        out[f"{ind.key}_delta"] = round_half_up(out[ind.key], ind.decimals) - round_half_up(before, ind.decimals)
        trends = [trend(c, p, ind.higher_is_better, ind.decimals) for c, p in zip(out[ind.key], before, strict=True)]
        out[f"{ind.key}_trend"] = pd.Series(trends, index=out.index, dtype=object)
        lights, targets, reasons = [], [], []
        counts = out[ind.n_column] if ind.n_column and ind.n_column in out.columns else [None] * len(out)
        for code, value, n in zip(out["code"], out[ind.key], counts, strict=True):
            rule = ind.light_rule(year, str(code))
            light = rule.light(value, n) if rule else None
            lights.append(light)
            targets.append(rule.target.code if rule else None)
            if rule is None:
                reasons.append(ind.no_light_reason(year))
            elif light is None and is_missing(value):
                reasons.append("tidak ada data")
            elif light is None:
                reasons.append(f"n {format_number(n)} < {format_number(rule.min_n)} {rule.n_unit}")
            else:
                reasons.append("")
        out[f"{ind.key}_light"] = pd.Series(lights, index=out.index, dtype=object)
        out[f"{ind.key}_target"] = pd.Series(targets, index=out.index, dtype=object)
        out[f"{ind.key}_no_light"] = pd.Series(reasons, index=out.index, dtype=object)
    out["is_kabupaten"] = out["code"] == KUKAR
    return out


def light_rules(frame: pd.DataFrame, year: int) -> dict[str, list[LightRule]]:
    """Per indicator key, the distinct rules behind the lights of ``frame`` (empty: no target)."""
    rules: dict[str, list[LightRule]] = {}
    for ind in INDICATORS:
        seen: dict[str, LightRule] = {}
        for code in frame["code"]:
            rule = ind.light_rule(year, str(code))
            if rule is not None:
                seen.setdefault(rule.target.code, rule)
        rules[ind.key] = list(seen.values())
    return rules


def describe_lights(frame: pd.DataFrame, year: int) -> list[str]:
    """One Bahasa line per indicator: the target(s) used with their source and level, or why
    it has no light. Written from the same rules that coloured the cells."""
    lines = []
    for ind in INDICATORS:
        rules = light_rules(frame, year)[ind.key]
        if not rules:
            lines.append(f"**{ind.short}**: tanpa lampu — {ind.no_light_reason(year)}.")
            continue
        lines.append(f"**{ind.short}**: " + " · ".join(rule.describe() for rule in rules) + ".")
    return lines


def sort_scorecard(frame: pd.DataFrame, key: str, worst_first: bool = True) -> pd.DataFrame:
    """Kecamatan ordered by ``key`` (or by name for ``"name"``); the kabupaten row stays last."""
    areas, kabupaten = frame[~frame["is_kabupaten"]], frame[frame["is_kabupaten"]]
    if key == "name":
        areas = areas.sort_values("name")
    else:
        ind = INDICATOR_BY_KEY[key]
        ascending = ind.higher_is_better if worst_first else not ind.higher_is_better
        areas = areas.sort_values([key, "name"], ascending=[ascending, True], na_position="last")
    return pd.concat([areas, kabupaten], ignore_index=True)


def delta_column(ind: Indicator, previous: str = "") -> str:
    """ "Δ Stunting (poin %, dari Sep 2025)": a change, its unit and the month it is measured from."""
    return f"Δ {ind.short} ({ind.delta_unit}{', dari ' + previous if previous else ''})"


def value_column(ind: Indicator, period: str = "") -> str:
    """Header in the downloaded table, with its unit and period."""
    return f"{ind.label} ({ind.unit_label}{', ' + period if period else ''})"


def display_table(frame: pd.DataFrame, period: str = "", previous: str = "") -> pd.DataFrame:
    """The numbers shown: area name, each indicator and, where it has history, its change;
    every header names its unit and, when given, its period."""
    names = np.where(frame["is_kabupaten"].to_numpy(), KABUPATEN_LABEL, frame["name"].to_numpy())
    table = pd.DataFrame({"Kecamatan": names})
    for ind in INDICATORS:
        table[ind.header(period)] = frame[ind.key].to_numpy()
        if ind.has_history:
            table[delta_column(ind, previous)] = frame[f"{ind.key}_delta"].to_numpy()
    return table


def style_scorecard(frame: pd.DataFrame, period: str = "", previous: str = "") -> Styler:
    """``display_table`` with traffic-light cells, coloured arrows and a bold kabupaten row."""
    table = display_table(frame, period, previous)
    css = pd.DataFrame("", index=table.index, columns=table.columns)
    formatters: dict[str, Callable[[object], str]] = {}
    for ind in INDICATORS:
        column = ind.header(period)
        formatters[column] = ind.format
        lights = frame[f"{ind.key}_light"].to_numpy()
        css[column] = [f"background-color: {LIGHT_COLORS[light]}" if isinstance(light, str) else "" for light in lights]
        if ind.has_history:
            delta = delta_column(ind, previous)
            formatters[delta] = lambda v, d=ind.decimals: arrow_text(v, d)
            css[delta] = [
                f"color: {TREND_COLORS[t]}; font-weight: bold" if t in TREND_COLORS else "color: #4D4D4D"
                for t in frame[f"{ind.key}_trend"]
            ]
    kabupaten = frame["is_kabupaten"].to_numpy()
    # The priority score ranks kecamatan against each other: the kabupaten has none by design.
    score = INDICATOR_BY_KEY["priority_score"]
    score_column = score.header(period)
    score_format = formatters.pop(score_column)
    css.loc[kabupaten, :] = css.loc[kabupaten, :].map(lambda s: f"{s}; font-weight: bold" if s else "font-weight: bold")
    return (
        table.style.apply(lambda _: css, axis=None)
        .format(formatters, na_rep=MISSING)
        .format(score_format, subset=[score_column], na_rep=NO_SCORE)
    )


def light_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per indicator with a light, how many kecamatan (kabupaten row excluded) are hijau/kuning/merah."""
    areas = frame[~frame["is_kabupaten"]]
    return {
        ind.key: {light: int((areas[f"{ind.key}_light"] == light).sum()) for light in LIGHT_COLORS}
        for ind in INDICATORS
        if areas[f"{ind.key}_light"].notna().any()
    }


def export_table(frame: pd.DataFrame, period: str = "", previous: str = "") -> pd.DataFrame:
    """The scorecard as numbers for Excel/CSV: each indicator, its n, last month's value, the
    light and the register code of its target (or why there is none); headers name unit and period."""
    table = pd.DataFrame({"Kecamatan": frame["name"].to_numpy()})
    for ind in INDICATORS:
        table[value_column(ind, period)] = round_half_up(frame[ind.key], ind.decimals).to_numpy()
        if ind.n_column and ind.n_column in frame.columns:
            label = f"{ind.n_label} (jumlah{', ' + period if period else ''})"
            table[label] = pd.to_numeric(frame[ind.n_column], errors="coerce").astype("Int64").array
        if ind.has_history:
            table[value_column(ind, previous or "bulan lalu")] = round_half_up(
                frame[f"{ind.key}_prev"], ind.decimals
            ).to_numpy()
        if frame[f"{ind.key}_target"].notna().any():
            lights = frame[f"{ind.key}_light"]
            status = lights.where(lights.notna(), frame[f"{ind.key}_no_light"])
            table[f"Status {ind.short} (lampu{', ' + period if period else ''})"] = status.to_numpy()
            table[f"Target {ind.short} (kode register target)"] = frame[f"{ind.key}_target"].to_numpy()
    return table
