"""A chart made to be read from the back of a meeting room: sized, with type of a stated size,
ticks that do not collide and labels that stay inside the plot.

Pure plotly, no streamlit. The presentation screen sizes its charts with `fit_for_screen`
(pixels of the browser), the rapat pack with `fit_for_slide`, which lays the chart out in
points of the slide: a chart `width_pt` wide placed `width_pt` wide on the slide shows a
`font_pt` font at `font_pt`, whatever the pixel scale of the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import indonesian_month_ticks, looks_like_dates

# Average glyph width as a share of the font size (Arial and DejaVu are 0.5-0.55).
CHAR_WIDTH = 0.58
# A month tick ("Sep" over "2025") needs about this many font sizes of room to its neighbour.
TICK_SPACING_FONTS = 4.5
MIN_SLIDE_FONT_PT = 14
# A category label longer than this wraps onto a second line, so long stage names
# ("Pengurus lengkap (ketua, sekretaris, bendahara)") do not take half the plot's width.
WRAP_LABEL_CHARS = 24
# Room a value tick needs beside its neighbour, in font sizes, on top of its own width.
TICK_GAP_FONTS = 2.0


@dataclass(frozen=True)
class Fit:
    """How big the chart is drawn and its smallest font, in the same unit (px or pt)."""

    height: float
    font: float
    width: float | None = None  # None: the container's width (a browser page)
    width_hint: float = 760  # expected plot width when ``width`` is None


def _x_values(fig: go.Figure) -> list:
    return [v for trace in fig.data for v in (list(trace.x) if getattr(trace, "x", None) is not None else [])]


def _hline_values(fig: go.Figure) -> list[float]:
    values = []
    for shape in fig.layout.shapes or ():
        if shape.type == "line" and shape.y0 is not None and shape.y0 == shape.y1 and "domain" in str(shape.xref):
            values.append(float(shape.y0))
    return values


def _plot_width(fit: Fit) -> float:
    return (fit.width or fit.width_hint) - 6 * fit.font  # y tick labels and their title take the rest


def short_label(text: str) -> str:
    """ "Survei (SSGI/SKI), tingkat kabupaten" -> "Survei"; "Target 2025: 18,8% (RPJMN …)" ->
    "Target 2025: 18,8%". The details stay in the subtitle and caption beside the chart."""
    return str(text).split(" (")[0].split(", ")[0]


def _shorten_labels(fig: go.Figure) -> None:
    for trace in fig.data:
        if trace.name:
            trace.name = short_label(trace.name)
    for annotation in fig.layout.annotations or ():
        if annotation.text and "domain" in str(annotation.xref):
            annotation.text = short_label(annotation.text)


def _set_fonts(fig: go.Figure, size: float) -> None:
    fig.update_layout(font={"size": size}, legend={"font": {"size": size}}, hoverlabel={"font": {"size": size}})
    for name in list(fig.layout):
        if name.startswith(("xaxis", "yaxis")):
            fig.layout[name].update(tickfont={"size": size}, title={"font": {"size": size}})
    fig.update_traces(textfont={"size": size}, selector={"type": "scatter"})
    fig.update_traces(
        textfont={"size": size}, insidetextfont={"size": size}, outsidetextfont={"size": size}, selector={"type": "bar"}
    )
    for annotation in fig.layout.annotations or ():
        annotation.update(font={"size": size})


def _date_ticks(fig: go.Figure, fit: Fit) -> None:
    values = _x_values(fig)
    if not values or not looks_like_dates(values):
        return
    max_ticks = max(2, math.floor(_plot_width(fit) / (TICK_SPACING_FONTS * fit.font)))
    tickvals, ticktext = indonesian_month_ticks(values, max_ticks=max_ticks)
    if tickvals:
        fig.update_xaxes(type="date", tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0)


def _labels_beside_points(fig: go.Figure) -> bool:
    """Point labels in two short lines, under the point when it lies below a reference line
    (a target), so a label never sits on the line; True when the chart has such labels."""
    lines = _hline_values(fig)
    found = False
    for trace in fig.data:
        if trace.type != "scatter" or "text" not in (trace.mode or "") or trace.text is None:
            continue
        found = True
        if not looks_like_dates(list(trace.x) if trace.x is not None else []):
            continue  # value labels of a bar chart (priority scores) stay where the chart put them
        texts = [trace.text] if isinstance(trace.text, str) else list(trace.text)
        trace.text = [str(t).replace(": ", "<br>") for t in texts]
        ys = list(trace.y) if trace.y is not None else []
        trace.textposition = [
            "bottom center" if lines and y is not None and any(y < line for line in lines) else "top center" for y in ys
        ]
        trace.cliponaxis = False
    return found


def _pad_ranges(fig: go.Figure, fit: Fit) -> None:
    """Room inside the plot for point labels: the widest label's half either side, two lines above."""
    values = [pd.Timestamp(v) for v in _x_values(fig) if looks_like_dates([v])]
    if len(values) < 2:
        return
    first, last = min(values), max(values)
    span = (last - first).total_seconds()
    labels = [str(t) for trace in fig.data if trace.type == "scatter" and trace.text is not None for t in trace.text]
    half_label = max((_label_width(label, fit) for label in labels), default=0) / 2 + fit.font
    share = min(0.3, half_label / max(1.0, _plot_width(fit)))
    pad = pd.Timedelta(seconds=span * share / max(0.4, 1 - 2 * share))
    fig.update_xaxes(range=[first - max(pad, pd.Timedelta(days=20)), last + max(pad, pd.Timedelta(days=20))])
    yaxis = fig.layout.yaxis
    if yaxis.range is not None:
        low, high = yaxis.range
        fig.update_yaxes(range=[low, high + (high - low) * 0.3])


def _label_width(text: object, fit: Fit) -> float:
    return max(len(part) for part in str(text).split("<br>")) * CHAR_WIDTH * fit.font


def _spread_point_labels(fig: go.Figure, fit: Fit) -> None:
    """A point label that would come within a font size of its neighbour's (yearly survey points
    on a narrow projector chart: "SSGI 2021" beside "SSGI 2022") starts at its point and runs
    right instead of centred over it. Labels above and below the points are separate rows."""
    x_range = fig.layout.xaxis.range
    if x_range is None:
        return
    x0, x1 = (pd.Timestamp(v) for v in x_range)
    px_per_second = _plot_width(fit) / max(1.0, (x1 - x0).total_seconds())
    for trace in fig.data:
        if trace.type != "scatter" or trace.text is None or isinstance(trace.text, str):
            continue
        positions = trace.textposition
        if positions is None or isinstance(positions, str):
            continue
        positions = list(positions)
        order = sorted(range(len(trace.x)), key=lambda i: pd.Timestamp(trace.x[i]))
        right_edge: dict[str, float] = {}  # per row ("top", "bottom"): where the last label ends
        for i in order:
            row, _ = positions[i].split(" ")
            x = (pd.Timestamp(trace.x[i]) - x0).total_seconds() * px_per_second
            width = _label_width(trace.text[i], fit)
            left = x - width / 2
            if left < right_edge.get(row, -math.inf) + fit.font:
                positions[i], left = f"{row} right", x
            right_edge[row] = left + width
        trace.textposition = positions


def wrap_label(text: str, width: int = WRAP_LABEL_CHARS) -> str:
    """ "Pengurus lengkap (ketua, sekretaris, bendahara)" -> "Pengurus lengkap (ketua,<br>sekretaris, bendahara)":
    lines of at most ``width`` characters, broken at spaces (a longer word stays whole)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines) or str(text)


def _horizontal_bars(fig: go.Figure) -> list:
    return [trace for trace in fig.data if trace.type == "bar" and trace.orientation == "h"]


def _wrap_category_labels(fig: go.Figure, fit: Fit) -> list[str]:
    """Long category labels of horizontal bars in two or more short lines, in every trace that
    shares the category axis (the score labels beside the bars), when each bar has room for two
    lines; the labels' lines."""
    labelled = [trace for trace in fig.data if getattr(trace, "y", None) is not None]
    categories = {v for trace in labelled for v in trace.y if isinstance(v, str)}
    plot_height = fit.height - 6 * fit.font  # value axis, its title, a legend row
    if not categories or plot_height / len(categories) < 2.6 * fit.font:
        return [str(v) for v in categories]
    lines: list[str] = []
    for trace in labelled:
        if getattr(trace, "y", None) is None or not any(isinstance(v, str) for v in trace.y):
            continue
        trace.y = [wrap_label(v) if isinstance(v, str) else v for v in trace.y]
        lines += [part for v in trace.y if isinstance(v, str) for part in v.split("<br>")]
    return lines


def _value_ticks(fig: go.Figure, fit: Fit, label_lines: list[str], right_margin: float) -> None:
    """At most as many value ticks as fit side by side with a gap of TICK_GAP_FONTS fonts."""
    values = [
        float(v)
        for trace in _horizontal_bars(fig)
        for v in (trace.x if trace.x is not None else ())
        if v is not None and not pd.isna(v)
    ]
    if not values:
        return
    axis_range = fig.layout.xaxis.range
    largest = max(abs(float(v)) for v in axis_range) if axis_range is not None else max(abs(v) for v in values)
    tick_chars = len(f"{largest:,.0f}")  # "1.000": the widest tick label's characters
    label_width = max((len(line) for line in label_lines), default=0) * CHAR_WIDTH * fit.font
    plot_width = (fit.width or fit.width_hint) - label_width - right_margin - 2 * fit.font
    room = tick_chars * CHAR_WIDTH * fit.font + TICK_GAP_FONTS * fit.font
    fig.update_xaxes(nticks=max(2, math.floor(plot_width / room)))


def _tight_date_range(fig: go.Figure) -> None:
    """Without point labels the months fill the plot: the room a chart leaves for its reference
    line's label (plot_prevalence_trend: five empty months) is not needed once the label sits
    inside the plot (_place_line_labels)."""
    values = [pd.Timestamp(v) for v in _x_values(fig) if looks_like_dates([v])]
    if len(values) >= 2 and fig.layout.xaxis.range is not None:
        fig.update_xaxes(range=[min(values) - pd.Timedelta(days=20), max(values) + pd.Timedelta(days=20)])


def _place_line_labels(fig: go.Figure, fit: Fit) -> None:
    """A reference line's label inside the plot, in the corner where no data point lies under it."""
    yaxis = fig.layout.yaxis
    if yaxis.range is None:
        return
    low, high = (float(v) for v in yaxis.range)
    plot_h = fit.height - 4 * fit.font
    label_h = (high - low) * 1.4 * fit.font / max(1.0, plot_h)
    x_values = [pd.Timestamp(v) for v in _x_values(fig) if looks_like_dates([v])]
    if not x_values:
        return
    x_range = fig.layout.xaxis.range or [min(x_values), max(x_values)]
    x0, x1 = pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])
    points = [
        ((pd.Timestamp(x) - x0) / (x1 - x0), float(y))
        for trace in fig.data
        if trace.type == "scatter" and trace.x is not None and trace.y is not None
        for x, y in zip(trace.x, trace.y, strict=False)
        if y is not None and not pd.isna(y) and looks_like_dates([x])
    ]
    for annotation in fig.layout.annotations or ():
        if "domain" not in str(annotation.xref) or annotation.y is None or annotation.text is None:
            continue
        line_y = float(annotation.y)
        width_share = len(str(annotation.text)) * CHAR_WIDTH * fit.font / max(1.0, _plot_width(fit))
        for side, above in (("left", True), ("right", True), ("left", False), ("right", False)):
            x_lo, x_hi = (0.0, width_share) if side == "left" else (1 - width_share, 1.0)
            y_lo, y_hi = (line_y, line_y + label_h) if above else (line_y - label_h, line_y)
            if not any(x_lo <= px <= x_hi and y_lo <= py <= y_hi for px, py in points):
                break
        else:  # every corner has data under it: the line is named in the legend instead
            _line_in_legend(fig, annotation)
            continue
        annotation.update(
            x=0 if side == "left" else 1,
            xanchor=side,
            yanchor="bottom" if above else "top",
            showarrow=False,
        )


def _line_in_legend(fig: go.Figure, annotation: object) -> None:
    """A legend entry drawn like the reference line (its shape's colour and dash), named by
    ``annotation``, which is hidden."""
    line = next(
        (
            shape.line
            for shape in fig.layout.shapes or ()
            if shape.type == "line" and shape.y0 is not None and float(shape.y0) == float(annotation.y)
        ),
        None,
    )
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=str(annotation.text),
        line={"color": line.color, "dash": line.dash, "width": line.width} if line is not None else {"dash": "dash"},
        hoverinfo="skip",
        showlegend=True,
    )
    annotation.update(visible=False)


def fit_chart(fig: go.Figure, fit: Fit) -> go.Figure:
    """A copy of ``fig`` laid out for ``fit``: its size, every font at ``fit.font``, month ticks
    spaced for the width, point labels and reference-line labels inside the plot."""
    out = go.Figure(fig)
    out.update_layout(
        height=fit.height,
        autosize=fit.width is None,
        margin={"l": fit.font, "r": fit.font, "t": fit.font * 0.8, "b": fit.font * 0.5, "pad": 0},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    )
    if fit.width is not None:
        out.update_layout(width=fit.width)
    bar_labels = [
        str(t)
        for trace in out.data
        if trace.type == "bar" and trace.orientation == "h" and trace.text is not None
        for t in trace.text
    ]
    right_margin = fit.font
    if bar_labels:  # value labels beyond the longest bar get room on the right instead of being cut
        out.update_traces(cliponaxis=False, selector={"type": "bar"})
        right_margin = max(len(label) for label in bar_labels) * CHAR_WIDTH * fit.font + fit.font
        out.update_layout(margin={"r": right_margin})
    if _horizontal_bars(out):
        _value_ticks(out, fit, _wrap_category_labels(out, fit), right_margin)
    _shorten_labels(out)
    _set_fonts(out, fit.font)
    if _labels_beside_points(out):
        _pad_ranges(out, fit)
        _spread_point_labels(out, fit)
    else:
        _tight_date_range(out)
    _date_ticks(out, fit)
    _place_line_labels(out, fit)
    return out


def fit_for_screen(fig: go.Figure, height_px: int = 330, font_px: int = 20, width_hint_px: int = 640) -> go.Figure:
    """The presentation screen's chart: ``height_px`` high (the page grows it to the screen)."""
    return fit_chart(fig, Fit(height=height_px, font=font_px, width_hint=width_hint_px))


def fit_for_slide(fig: go.Figure, width_pt: float, height_pt: float, font_pt: float = 16) -> go.Figure:
    """The chart laid out in slide points: placed ``width_pt`` wide, its text reads ``font_pt``."""
    if font_pt < MIN_SLIDE_FONT_PT:
        raise ValueError(f"slide charts need at least {MIN_SLIDE_FONT_PT} pt text")
    return fit_chart(fig, Fit(height=height_pt, font=font_pt, width=width_pt))


def smallest_font(fig: go.Figure) -> float:
    """The smallest font size the figure asks for (layout, axes, legend, traces, annotations)."""
    sizes = [fig.layout.font.size, fig.layout.legend.font.size]
    for name in list(fig.layout):
        if name.startswith(("xaxis", "yaxis")):
            sizes += [fig.layout[name].tickfont.size, fig.layout[name].title.font.size]
    for trace in fig.data:
        font = getattr(trace, "textfont", None)
        if font is not None and getattr(trace, "text", None) is not None:
            sizes.append(font.size)
    sizes += [a.font.size for a in fig.layout.annotations or ()]
    return min(float(s) for s in sizes if s is not None)
