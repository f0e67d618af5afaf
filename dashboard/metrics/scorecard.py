"""Scorecard for the pembina meeting (rapat): kecamatan × key indicators with traffic
lights against stated targets and an arrow against the previous month.

Pure: frames in, frames (or a pandas Styler) out. Targets live in ``TARGETS`` only; the
page writes them out from there, so what is coloured and what is said cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.formatting import MISSING, format_number, format_percent, is_missing, round_half_up
from dashboard.theme import OKABE_ITO

Light = Literal["hijau", "kuning", "merah"]
Trend = Literal["membaik", "memburuk", "tetap"]


@dataclass(frozen=True)
class Target:
    """Green when at least as good as ``green``, yellow when at least as good as ``yellow``."""

    green: float
    yellow: float
    higher_is_better: bool

    def light(self, value: object) -> Light | None:
        if is_missing(value):
            return None
        value = float(value)
        if self.higher_is_better:
            return "hijau" if value >= self.green else "kuning" if value >= self.yellow else "merah"
        return "hijau" if value <= self.green else "kuning" if value <= self.yellow else "merah"

    def describe(self, unit: str = "%") -> str:
        """ "hijau ≤ 14%, kuning ≤ 20%, selebihnya merah"."""
        sign = "≥" if self.higher_is_better else "≤"
        green, yellow = format_number(self.green, 0), format_number(self.yellow, 0)
        return f"hijau {sign} {green}{unit}, kuning {sign} {yellow}{unit}, selebihnya merah"


TARGETS: dict[str, Target] = {
    "stunting_pct": Target(green=14, yellow=20, higher_is_better=False),
    "ds_pct": Target(green=80, yellow=70, higher_is_better=True),
    "kader_pct": Target(green=90, yellow=80, higher_is_better=True),
    "registered_pct": Target(green=90, yellow=70, higher_is_better=True),
}


@dataclass(frozen=True)
class Indicator:
    key: str  # column in the area-indicator frame
    label: str  # column header, Bahasa
    short: str  # header on screen, where the table must fit a projector
    higher_is_better: bool
    unit: str = "%"
    decimals: int = 1
    # The master posyandu is a snapshot: no earlier month to compare with.
    has_history: bool = True

    def format(self, value: object) -> str:
        if self.unit == "%":
            return format_percent(value, self.decimals)
        return format_number(value, self.decimals)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("stunting_pct", "Stunting", "Stunting", higher_is_better=False),
    Indicator("ds_pct", "D/S", "D/S", higher_is_better=True),
    Indicator("kader_pct", "Partisipasi kader", "Kader hadir", higher_is_better=True),
    Indicator("registered_pct", "Teregistrasi", "Teregistrasi", higher_is_better=True, has_history=False),
    Indicator("legality_pct", "Legalitas lengkap", "Legalitas", higher_is_better=True, has_history=False),
    Indicator("spm_fields_mean", "Rerata bidang SPM", "Bidang SPM", higher_is_better=True, unit=""),
    Indicator("priority_score", "Skor prioritas", "Skor prioritas", higher_is_better=False, unit=""),
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


def build_scorecard(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``current`` (code, name, indicator columns) with, per indicator key:
    ``<key>_prev``, ``<key>_delta``, ``<key>_light`` (targets only) and ``<key>_trend``.

    ``previous`` is the same frame for the month before; indicators without history get
    no delta. A ``is_kabupaten`` column marks the kabupaten row (code ``64.02``).
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
        target = TARGETS.get(ind.key)
        lights = [target.light(v) for v in out[ind.key]] if target else [None] * len(out)
        out[f"{ind.key}_light"] = pd.Series(lights, index=out.index, dtype=object)
    out["is_kabupaten"] = out["code"] == "64.02"
    return out


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


def delta_column(ind: Indicator) -> str:
    return f"Δ {ind.short}"


def value_column(ind: Indicator) -> str:
    """Header in the downloaded table, with its unit."""
    return f"{ind.label} (%)" if ind.unit == "%" else ind.label


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The numbers shown: area name, each indicator (short header) and, where it has history, its change."""
    names = np.where(frame["is_kabupaten"].to_numpy(), KABUPATEN_LABEL, frame["name"].to_numpy())
    table = pd.DataFrame({"Kecamatan": names})
    for ind in INDICATORS:
        table[ind.short] = frame[ind.key].to_numpy()
        if ind.has_history:
            table[delta_column(ind)] = frame[f"{ind.key}_delta"].to_numpy()
    return table


def style_scorecard(frame: pd.DataFrame) -> Styler:
    """``display_table`` with traffic-light cells, coloured arrows and a bold kabupaten row."""
    table = display_table(frame)
    css = pd.DataFrame("", index=table.index, columns=table.columns)
    formatters: dict[str, Callable[[object], str]] = {}
    for ind in INDICATORS:
        column = ind.short
        formatters[column] = ind.format
        lights = frame[f"{ind.key}_light"].to_numpy()
        css[column] = [f"background-color: {LIGHT_COLORS[light]}" if isinstance(light, str) else "" for light in lights]
        if ind.has_history:
            delta = delta_column(ind)
            formatters[delta] = lambda v, d=ind.decimals: arrow_text(v, d)
            css[delta] = [
                f"color: {TREND_COLORS[t]}; font-weight: bold" if t in TREND_COLORS else "color: #4D4D4D"
                for t in frame[f"{ind.key}_trend"]
            ]
    kabupaten = frame["is_kabupaten"].to_numpy()
    css.loc[kabupaten, :] = css.loc[kabupaten, :].map(lambda s: f"{s}; font-weight: bold" if s else "font-weight: bold")
    return table.style.apply(lambda _: css, axis=None).format(formatters, na_rep=MISSING)


def light_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per target indicator, how many kecamatan (kabupaten row excluded) are hijau/kuning/merah."""
    areas = frame[~frame["is_kabupaten"]]
    return {key: {light: int((areas[f"{key}_light"] == light).sum()) for light in LIGHT_COLORS} for key in TARGETS}


# n behind each indicator, shown beside it in the downloadable table.
N_COLUMNS: dict[str, tuple[str, str]] = {
    "stunting_pct": ("children", "Balita diukur"),
    "ds_pct": ("s_total", "Sasaran (S)"),
    "kader_pct": ("kader_registered", "Kader terdaftar"),
    "registered_pct": ("posyandu", "Posyandu"),
    "spm_fields_mean": ("spm_posyandu", "Posyandu melapor SPM"),
}


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as numbers for Excel/CSV: each indicator, its n, last month's value and the light."""
    table = pd.DataFrame({"Kecamatan": frame["name"].to_numpy()})
    for ind in INDICATORS:
        table[value_column(ind)] = round_half_up(frame[ind.key], ind.decimals).to_numpy()
        if ind.key in N_COLUMNS:
            column, label = N_COLUMNS[ind.key]
            table[label] = pd.to_numeric(frame[column], errors="coerce").astype("Int64").to_numpy()
        if ind.has_history:
            table[f"{value_column(ind)} bulan lalu"] = round_half_up(frame[f"{ind.key}_prev"], ind.decimals).to_numpy()
        if ind.key in TARGETS:
            table[f"Status {ind.label}"] = frame[f"{ind.key}_light"].to_numpy()
    return table
