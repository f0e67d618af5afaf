"""Colours, fonts and plotly templates shared by the dashboard and every export.

One colour per indicator, taken from the Okabe-Ito palette, which stays
distinguishable with the common colour-vision deficiencies and on a washed-out
projector. Colours are distinct within each group that is drawn together:
nutrition (stunting, wasting, underweight), programme (kader participation,
D/S, registration, priority score) and the six SPM fields. Yellow is kept out
of the indicator colours: on white it is unreadable for lines and text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
from cycler import cycler

from dashboard.formatting import format_number, looks_like_dates

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Order used for traces without an indicator colour (yellow last on purpose).
COLORWAY = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]

INDICATOR_COLORS = {
    # nutrition
    "stunting": OKABE_ITO["vermillion"],
    "wasting": OKABE_ITO["orange"],
    "underweight": OKABE_ITO["reddish_purple"],
    # programme
    "kader_participation": OKABE_ITO["bluish_green"],
    "ds_ratio": OKABE_ITO["blue"],
    "registered": OKABE_ITO["sky_blue"],
    "priority_score": OKABE_ITO["black"],
    # money: a neutral slate, so no budget bar reads as a health indicator's colour
    "budget": "#5B6770",
}

SPM_COLORS = {
    "KES": OKABE_ITO["blue"],
    "PEND": OKABE_ITO["orange"],
    "PU": OKABE_ITO["bluish_green"],
    "PERKIM": OKABE_ITO["reddish_purple"],
    "TRANTIB": OKABE_ITO["vermillion"],
    "SOS": OKABE_ITO["sky_blue"],
}

SPM_LABELS = {
    "KES": "Kesehatan",
    "PEND": "Pendidikan",
    "PU": "Pekerjaan Umum",
    "PERKIM": "Perumahan Rakyat dan Kawasan Permukiman",
    "TRANTIB": "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat",
    "SOS": "Sosial",
}

SPM_SHORT_LABELS = {
    "KES": "Kesehatan",
    "PEND": "Pendidikan",
    "PU": "PU",
    "PERKIM": "Perkim",
    "TRANTIB": "Trantibum Linmas",
    "SOS": "Sosial",
}

# Neutral colours: context (other areas, earlier periods), targets, text, grid.
CONTEXT_GREY = "#B0B0B0"
TARGET_COLOR = "#404040"
TEXT_COLOR = "#1A1A1A"
MUTED_TEXT_COLOR = "#4D4D4D"
GRID_COLOR = "#E0E0E0"
BACKGROUND_COLOR = "#FFFFFF"

# Sequential scale for maps of a rate where higher is worse (stunting, priority).
SEQUENTIAL_WORSE = [
    [0.0, "#FFF5EB"],
    [0.25, "#FDD0A2"],
    [0.5, "#FD8D3C"],
    [0.75, "#D55E00"],
    [1.0, "#7F2704"],
]

# Chromium and matplotlib both find one of these here (Liberation Sans is
# metric-compatible with Arial, which the users' Windows machines have).
FONT_FAMILY = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
MATPLOTLIB_FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]

ThemeMode = Literal["standard", "presentation"]

_SIZES = {
    # base font, title font, line width, marker size
    "standard": (14, 20, 2.5, 7),
    "presentation": (22, 32, 4.0, 12),
}


def indicator_color(indicator: str) -> str:
    """Colour of an indicator key ("stunting", "ds_ratio"...) or SPM code ("KES"...)."""
    if indicator in INDICATOR_COLORS:
        return INDICATOR_COLORS[indicator]
    if indicator.upper() in SPM_COLORS:
        return SPM_COLORS[indicator.upper()]
    known = sorted(INDICATOR_COLORS) + sorted(SPM_COLORS)
    raise KeyError(f"no colour for indicator {indicator!r}; known: {', '.join(known)}")


@lru_cache(maxsize=2)
def build_plotly_template(mode: ThemeMode = "standard") -> go.layout.Template:
    """White background, Okabe-Ito colourway; "presentation" adds large type and thick lines."""
    base, title, line_width, marker_size = _SIZES[mode]
    axis = {
        "gridcolor": GRID_COLOR,
        "linecolor": TEXT_COLOR if mode == "presentation" else MUTED_TEXT_COLOR,
        "zerolinecolor": MUTED_TEXT_COLOR,
        "tickfont": {"size": base, "color": TEXT_COLOR},
        "title": {"font": {"size": base, "color": TEXT_COLOR}},
        "showline": True,
        "ticks": "outside",
        "automargin": True,
        # Plotly's default writes 15k and 2M; apply_axis_units writes 15 rb and 2 jt, and
        # below COMPACT_FROM plotly writes 1.234 (never an SI letter).
        "exponentformat": "none",
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": base, "color": TEXT_COLOR},
            "title": {"font": {"size": title, "color": TEXT_COLOR}, "x": 0, "xanchor": "left"},
            "colorway": COLORWAY,
            "paper_bgcolor": BACKGROUND_COLOR,
            "plot_bgcolor": BACKGROUND_COLOR,
            "separators": ",.",
            "xaxis": axis,
            "yaxis": axis,
            "legend": {"font": {"size": base}, "orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "hoverlabel": {"font": {"size": base}},
        },
        data={
            "scatter": [go.Scatter(line={"width": line_width}, marker={"size": marker_size})],
            "bar": [go.Bar(marker={"line": {"width": 0}}, textfont={"size": base})],
        },
    )


def apply_theme(fig: go.Figure, mode: ThemeMode = "standard") -> go.Figure:
    """Apply the project template and the Bahasa axis units to a figure in place and return it."""
    fig.update_layout(template=build_plotly_template(mode))
    return apply_axis_units(fig)


# --------------------------------------------------------------------------
# Axis numbers in Bahasa: "15 rb", "2,5 jt"
# --------------------------------------------------------------------------

# The rule, one for plotly and the matplotlib fallback: an axis whose largest tick is below
# 10.000 reads in full (1.234, 7.500: short enough, and exact); from 10.000 every tick of the
# axis is written in the one unit of its largest tick: ribu "rb" (15 rb, 250 rb), juta "jt"
# (2,5 jt), miliar "M". Zero is "0"; a tick keeps the decimals it needs (0,5 jt, 1 jt).
COMPACT_FROM = 10_000
AXIS_UNITS = ((1e9, "M"), (1e6, "jt"), (1e3, "rb"))  # miliar, juta, ribu
_NICE_STEPS = (1, 2, 2.5, 5, 10)


def axis_unit(largest: float) -> tuple[float, str]:
    """(divisor, unit) for an axis whose largest absolute tick is ``largest``: (1e6, "jt")."""
    if not math.isfinite(largest) or abs(largest) < COMPACT_FROM:
        return 1.0, ""
    return next((size, unit) for size, unit in AXIS_UNITS if abs(largest) >= size)


def _decimals_for(value: float) -> int:
    """Fewest decimals (at most 2) that write the value exactly: 2.5 -> 1, 2.0 -> 0."""
    return next((d for d in range(3) if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value))), 2)


def axis_tick_labels(values: Sequence[float], prefix: str = "", suffix: str = "") -> list[str]:
    """Tick labels of one axis by the rule above: [0, 5e5, 1e6, 1.5e6] -> 0, 0,5 jt, 1 jt, 1,5 jt;
    [0, 2500, 5000] -> 0, 2.500, 5.000; small steps keep their decimals (0, 0,5, 1)."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    size, unit = axis_unit(max((abs(v) for v in finite), default=0.0))
    texts = [format_number(v / size, _decimals_for(v / size)) for v in finite]
    texts = [f"{t} {unit}" if unit and v != 0 else t for t, v in zip(texts, finite, strict=True)]
    return [f"{prefix}{t}{suffix}" for t in texts]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round steps (1, 2, 2,5, 5 × 10ⁿ) covering low..high."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in _NICE_STEPS if m * magnitude >= raw)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _numbers(values: Any) -> pd.Series:
    return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce")


def _axis_extent(fig: go.Figure, layout_name: str) -> tuple[float, float] | None:
    """The data range drawn on one numeric axis (bars from 0, stacks summed); None when the axis
    holds text or dates, or nothing."""
    letter = layout_name[0]
    ref = letter + layout_name[len("xaxis") :]
    stacked = (fig.layout.barmode or "group") in ("stack", "relative")
    lows, highs, stacks = [], [], {}
    for trace in fig.data:
        if (getattr(trace, f"{letter}axis", None) or letter) != ref:
            continue
        values = getattr(trace, letter, None)
        if values is None or len(values) == 0:
            continue
        values = list(values)
        numbers = _numbers(values)
        if numbers.isna().sum() > sum(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
            return None  # text or dates on this axis
        is_bar_value = trace.type == "bar" and (trace.orientation == "h") == (letter == "x")
        if is_bar_value and stacked:
            other = getattr(trace, "y" if letter == "x" else "x", None)
            keys = list(other) if other is not None else list(range(len(values)))
            for key, number in zip(keys, numbers, strict=False):
                if pd.notna(number):
                    sign = number >= 0
                    stacks[(str(key), sign)] = stacks.get((str(key), sign), 0.0) + float(number)
        lows.append(numbers.min())
        highs.append(numbers.max())
        if is_bar_value:
            lows.append(0.0)
        error = getattr(trace, f"error_{letter}", None)
        if error is not None and error.array is not None:
            highs.append((numbers + _numbers(error.array).fillna(0)).max())
    lows += [v for (_, sign), v in stacks.items() if not sign]
    highs += [v for (_, sign), v in stacks.items() if sign]
    lows, highs = [v for v in lows if pd.notna(v)], [v for v in highs if pd.notna(v)]
    return (float(min(lows)), float(max(highs))) if lows and highs else None


def apply_axis_units(fig: go.Figure) -> go.Figure:
    """Ticks "15 rb" / "2,5 jt" on numeric axes that reach COMPACT_FROM, in place.

    Plotly cannot name its own SI steps, so such an axis gets explicit round tick values
    (nice_ticks over the data or the axis's set range) and their Bahasa text. Axes with their
    own tick text, a prefix or suffix (Rp, %), a d3 tickformat, or dates, text or a log scale
    are left alone.
    """
    names = {
        f"{letter}axis{(getattr(trace, f'{letter}axis', None) or letter)[1:]}" for trace in fig.data for letter in "xy"
    }
    for name in sorted(names):
        axis = fig.layout[name] if name in fig.layout else None
        if axis is None:
            continue
        if axis.type not in (None, "-", "linear") or axis.tickvals is not None or axis.ticktext is not None:
            continue
        if axis.tickprefix or axis.ticksuffix or axis.tickformat:
            continue
        values = [v for t in fig.data if getattr(t, name[0], None) is not None for v in getattr(t, name[0])]
        if values and looks_like_dates(values):
            continue
        extent = tuple(axis.range) if axis.range is not None else _axis_extent(fig, name)
        if not extent or max(abs(float(extent[0])), abs(float(extent[1]))) < COMPACT_FROM:
            continue
        ticks = nice_ticks(float(extent[0]), float(extent[1]))
        axis.update(tickmode="array", tickvals=ticks, ticktext=axis_tick_labels(ticks))
        for other in names:  # an axis overlaying this one would sync to these ticks: 0,427, 0,645…
            overlay = fig.layout[other] if other in fig.layout else None
            if overlay is not None and overlay.overlaying == name[0] + name[5:] and overlay.tickmode is None:
                overlay.tickmode = "auto"
    return fig


def matplotlib_rc(mode: ThemeMode = "standard") -> dict[str, object]:
    """rcParams matching the plotly template, for the matplotlib export fallback."""
    base, title, line_width, marker_size = _SIZES[mode]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": MATPLOTLIB_FONTS,
        "font.size": base * 0.75,  # px -> pt at 96 dpi is 0.75
        "axes.edgecolor": MUTED_TEXT_COLOR,
        "axes.labelcolor": TEXT_COLOR,
        "axes.grid": True,
        "grid.color": GRID_COLOR,
        "axes.prop_cycle": cycler(color=COLORWAY),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": TEXT_COLOR,
        "ytick.color": TEXT_COLOR,
        "lines.linewidth": line_width,
        "lines.markersize": marker_size * 0.75,
        "figure.facecolor": BACKGROUND_COLOR,
        "axes.facecolor": BACKGROUND_COLOR,
        "svg.fonttype": "none",
    }
