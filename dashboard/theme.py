"""Colours, fonts and plotly templates shared by the dashboard and every export.

One colour per indicator, taken from the Okabe-Ito palette, which stays
distinguishable with the common colour-vision deficiencies and on a washed-out
projector. Colours are distinct within each group that is drawn together:
nutrition (stunting, wasting, underweight), programme (kader participation,
D/S, registration, priority score) and the six SPM fields. Yellow is kept out
of the indicator colours: on white it is unreadable for lines and text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import plotly.graph_objects as go
from cycler import cycler

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
        # Plotly's default writes 15k and 2M; Bahasa readers get 15.000 and 2.000.000.
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
    """Apply the project template to a figure in place and return it."""
    fig.update_layout(template=build_plotly_template(mode))
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
