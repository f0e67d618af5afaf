"""Plotly pieces the chart modules share, so a bar, an interval band or a category axis is set
up once: bars with their values written beside them, a design-based 95% interval band, hover
text taken from customdata, and a category axis read from the top down."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

# The hover shows the sentence prepared in customdata and nothing else (no trace name box).
HOVER_FROM_CUSTOMDATA = "%{customdata}<extra></extra>"


def top_down_axis(**settings: object) -> dict:
    """A category axis without a title whose first category is at the top (ranked lists)."""
    return {"autorange": "reversed", "title": None, **settings}


def value_bars(
    categories: Sequence,
    values: Sequence,
    colour: str,
    *,
    horizontal: bool = False,
    texts: Sequence[str] | None = None,
    **trace: object,
) -> go.Bar:
    """Bars in one colour, vertical or horizontal; `texts` are written outside each bar and never
    clipped by the axis. Further settings (name, customdata, hovertemplate) pass to `go.Bar`."""
    if texts is not None:
        trace |= {"text": list(texts), "textposition": "outside", "cliponaxis": False}
    axes = {"y": categories, "x": values, "orientation": "h"} if horizontal else {"x": categories, "y": values}
    return go.Bar(**axes, marker={"color": colour}, **trace)


def interval_band(x: Sequence, low_pct: Sequence, high_pct: Sequence, fillcolor: str, name: str | None = None) -> list:
    """A 95% interval as a shaded band (an invisible upper edge, then the lower edge filled up to
    it); with `name` it has a legend entry. Both traces skip the hover: the line beside says it."""
    upper = go.Scatter(x=x, y=high_pct, mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False)
    lower = go.Scatter(
        x=x,
        y=low_pct,
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor=fillcolor,
        hoverinfo="skip",
        **({"name": name} if name else {"showlegend": False}),
    )
    return [upper, lower]
