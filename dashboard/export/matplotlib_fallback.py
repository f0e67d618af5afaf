"""The matplotlib drawing of a plotly chart, for machines without Chromium (about 0.07 s a PNG)."""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.export.press import (
    ChartMeta,
    Preset,
    _is_horizontal_bar,
    _plain,
    _press_layout,
    _values,
    resolve_preset,
)
from dashboard.formatting import (
    MISSING,
    format_number,
    format_percent,
    indonesian_month_ticks,
    is_missing,
    looks_like_dates,
)
from dashboard.theme import (
    COLORWAY,
    MUTED_TEXT_COLOR,
    SEQUENTIAL_WORSE,
    TEXT_COLOR,
    axis_tick_labels,
    matplotlib_rc,
)

_matplotlib_lock = threading.Lock()
_DASHES = {"dash": "--", "dot": ":", "dashdot": "-.", "longdash": "--", "longdashdot": "-."}


def _mpl_color(color: Any, default: str) -> Any:
    if color is None or isinstance(color, int | float):
        return default
    text = str(color).strip()
    match = re.fullmatch(r"rgba?\(([^)]*)\)", text.replace(" ", ""))
    if match:
        parts = [float(p) for p in match.group(1).split(",")]
        rgb = [p / 255 for p in parts[:3]]
        return (*rgb, parts[3]) if len(parts) == 4 else tuple(rgb)
    return text


class _AxisMapper:
    """Turns one plotly axis's values into numbers matplotlib can place."""

    def __init__(self, kind: Literal["category", "date", "number"], categories: list[str]) -> None:
        self.kind = kind
        self.categories = categories
        self._index = {c: i for i, c in enumerate(categories)}

    def __call__(self, values: Any) -> np.ndarray:
        import matplotlib.dates as mdates

        values = list(values)
        if self.kind == "category":
            return np.array([self._index.get(str(v), np.nan) for v in values], dtype=float)
        if self.kind == "date":
            stamps = pd.to_datetime(pd.Series(values), errors="coerce")
            return np.array([mdates.date2num(s) if not pd.isna(s) else np.nan for s in stamps], dtype=float)
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)


def _axis_mapper(fig: go.Figure, axis_values: list[Any], layout_axis: Any) -> _AxisMapper:
    axis_type = layout_axis.type if layout_axis is not None else None
    if axis_type == "date" or (axis_type in (None, "-") and looks_like_dates(axis_values)):
        return _AxisMapper("date", [])
    is_text = any(isinstance(v, str) for v in axis_values)
    if axis_type == "category" or (is_text and axis_type in (None, "-")):
        return _AxisMapper("category", _ordered_categories(fig, axis_values, layout_axis))
    return _AxisMapper("number", [])


def _ordered_categories(fig: go.Figure, axis_values: list[Any], layout_axis: Any) -> list[str]:
    seen = list(dict.fromkeys(str(v) for v in axis_values if not is_missing(v)))
    order = layout_axis.categoryorder if layout_axis is not None else None
    if order == "array" and layout_axis.categoryarray is not None:
        explicit = [str(c) for c in layout_axis.categoryarray]
        return explicit + [c for c in seen if c not in explicit]
    if order in ("category ascending", "category descending"):
        return sorted(seen, reverse=order.endswith("descending"))
    if order in ("total ascending", "total descending"):
        totals = dict.fromkeys(seen, 0.0)
        for trace in fig.data:
            if trace.type != "bar":
                continue
            horizontal = trace.orientation == "h"
            cats = trace.y if horizontal else trace.x
            vals = trace.x if horizontal else trace.y
            if cats is None or vals is None:
                continue
            for c, v in zip(cats, vals, strict=False):
                if str(c) in totals and not is_missing(v):
                    totals[str(c)] += float(v)
        return sorted(seen, key=lambda c: totals[c], reverse=order.endswith("descending"))
    return seen


def _d3_format(value: Any, spec: str) -> str:
    """The few d3 formats charts use in texttemplate, written the Indonesian way."""
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        return value
    match = re.fullmatch(r",?\.(\d+)([f%])", spec or "")
    if match:
        decimals = int(match.group(1))
        if match.group(2) == "%":
            return format_percent(float(value) * 100, decimals)
        return format_number(value, decimals)
    if spec in (",", ",d", "d", ",.0f"):
        return format_number(value, 0)
    number = float(value)
    decimals = 0 if number.is_integer() else 1 if abs(number) >= 10 else 2
    return format_number(number, decimals)


def _point_label(template: str | None, text: Any, point: dict[str, Any]) -> str:
    if template:

        def substitute(match: re.Match[str]) -> str:
            name, _, spec = match.group(1).partition(":")
            return _d3_format(point.get(name.strip()), spec.strip())

        return _plain(re.sub(r"%\{([^}]+)\}", substitute, template))
    if is_missing(text):
        return ""
    if isinstance(text, int | float | np.integer | np.floating) and not isinstance(text, bool):
        return _d3_format(text, "")
    return _plain(text)


def _labels_for(trace: Any, cat_values: list[Any], val_values: list[Any], horizontal: bool) -> list[str] | None:
    template = trace.texttemplate if isinstance(trace.texttemplate, str) else None
    texts = trace.text
    if template is None and texts is None:
        return None
    if texts is not None and isinstance(texts, str):
        texts = [texts] * len(val_values)
    labels = []
    for i, (c, v) in enumerate(zip(cat_values, val_values, strict=False)):
        text = texts[i] if texts is not None and i < len(texts) else None
        x, y = (v, c) if horizontal else (c, v)
        labels.append(_point_label(template, text, {"x": x, "y": y, "text": text, "value": v}))
    return labels


def _style_value_axis(ax: Any, which: Literal["x", "y"], layout_axis: Any) -> None:
    """Ticks by the dashboard's one axis rule (theme.axis_tick_labels: 1.234, 15 rb, 2,5 jt);
    the axis's own tick values and text when the chart or the theme set them."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    axis = getattr(ax, f"{which}axis")
    if layout_axis is not None and layout_axis.type == "log":
        getattr(ax, f"set_{which}scale")("log")
    if layout_axis is not None and layout_axis.tickvals is not None and layout_axis.ticktext is not None:
        texts = {float(v): _plain(t) for v, t in zip(layout_axis.tickvals, layout_axis.ticktext, strict=False)}
        axis.set_major_locator(FixedLocator(list(texts)))
        axis.set_major_formatter(FuncFormatter(lambda x, pos: texts.get(float(x), "")))
        return
    prefix = (layout_axis.tickprefix or "") if layout_axis is not None else ""
    suffix = (layout_axis.ticksuffix or "") if layout_axis is not None else ""
    fraction = "%" in ((layout_axis.tickformat or "") if layout_axis is not None else "")
    axis.set_major_formatter(_AxisRuleFormatter(prefix, "%" if fraction and not suffix else suffix, fraction))


class _AxisRuleFormatter:
    """A matplotlib formatter writing a whole axis's ticks at once by theme.axis_tick_labels."""

    def __new__(cls, prefix: str, suffix: str, fraction: bool) -> Any:
        from matplotlib.ticker import Formatter

        class Impl(Formatter):
            labels: dict[float, str] = {}

            def __call__(self, x: float, pos: int | None = None) -> str:
                return self.labels.get(x) or axis_tick_labels([x * 100 if fraction else x], prefix, suffix)[0]

            def format_ticks(self, values: Sequence[float]) -> list[str]:
                scaled = [v * 100 if fraction else v for v in values]
                self.labels = dict(zip(values, axis_tick_labels(scaled, prefix, suffix), strict=False))
                return [self.labels.get(v, "") for v in values]

        return Impl()


def _apply_axis_layout(
    ax: Any,
    which: Literal["x", "y"],
    mapper: _AxisMapper,
    layout_axis: Any,
    fig: go.Figure,
    values: list[Any],
    body_pt: float,
) -> None:
    import matplotlib.dates as mdates

    axis = getattr(ax, f"{which}axis")
    if mapper.kind == "category":
        positions = list(range(len(mapper.categories)))
        getattr(ax, f"set_{which}ticks")(positions, [_plain(c) for c in mapper.categories])
        axis.grid(False)
    elif mapper.kind == "date":
        if layout_axis is not None and layout_axis.tickvals is not None and layout_axis.ticktext is not None:
            tickvals, ticktext = list(layout_axis.tickvals), list(layout_axis.ticktext)
        else:
            tickvals, ticktext = indonesian_month_ticks(values)
        positions = [mdates.date2num(pd.Timestamp(v)) for v in tickvals]
        getattr(ax, f"set_{which}ticks")(positions, [_plain(t) for t in ticktext])
        axis.grid(False)
    else:
        _style_value_axis(ax, which, layout_axis)
    if layout_axis is not None:
        title = _plain(layout_axis.title.text if layout_axis.title else "")
        if title:
            getattr(ax, f"set_{which}label")(title, fontsize=body_pt, labelpad=body_pt * 0.6)
        if layout_axis.range is not None and mapper.kind != "category":
            low, high = mapper(list(layout_axis.range))
            if math.isfinite(low) and math.isfinite(high):
                getattr(ax, f"set_{which}lim")(low, high)
        if layout_axis.rangemode in ("tozero", "nonnegative") and mapper.kind == "number":
            low, high = getattr(ax, f"get_{which}lim")()
            if low > 0:
                getattr(ax, f"set_{which}lim")(0, high)
        if layout_axis.autorange == "reversed":
            getattr(ax, f"invert_{which}axis")()
    axis.set_tick_params(labelsize=body_pt)


def _draw_scatter(ax: Any, trace: Any, x_map: _AxisMapper, y_map: _AxisMapper, style: _TraceStyle) -> Any:
    """One scatter trace (lines, markers, fill, point labels, error bars); returns its legend handle."""
    xs, ys = x_map(trace.x), y_map(trace.y)
    mode = trace.mode or ("lines+markers" if len(xs) < 20 else "lines")
    line_color = _mpl_color(trace.line.color, style.color)
    marker_color = _mpl_color(
        trace.marker.color if isinstance(trace.marker.color, str) else trace.line.color, style.color
    )
    if trace.fill in ("tonexty", "tozeroy"):
        base = np.zeros_like(ys) if trace.fill == "tozeroy" or style.previous_line is None else style.previous_line[1]
        fill = _mpl_color(trace.fillcolor, line_color)
        ax.fill_between(xs, base, ys, color=fill, alpha=0.25 if trace.fillcolor is None else None, linewidth=0)
    handle = None
    if "lines" in mode:
        (handle,) = ax.plot(
            xs,
            ys,
            color=line_color,
            linestyle=_DASHES.get(trace.line.dash or "", "-"),
            linewidth=trace.line.width * 0.75 if trace.line.width is not None else None,
            alpha=style.opacity,
            marker="o" if "markers" in mode else None,
            markerfacecolor=marker_color,
            markeredgecolor=marker_color,
            label=style.label,
        )
    elif "markers" in mode:
        size = trace.marker.size if isinstance(trace.marker.size, int | float) else None
        handle = ax.scatter(
            xs,
            ys,
            color=marker_color,
            s=(size * 0.75) ** 2 if size else None,
            alpha=style.opacity,
            label=style.label,
            zorder=3,
        )
    if "text" in mode or trace.texttemplate:
        labels = _labels_for(trace, list(trace.x), list(trace.y), horizontal=False)
        positions = trace.textposition if isinstance(trace.textposition, list | tuple) else [trace.textposition]
        for i, (x, y, text) in enumerate(zip(xs, ys, labels or [], strict=False)):
            if text and math.isfinite(x) and math.isfinite(y):
                vertical, horizontal = _text_place(positions[i % len(positions)])
                ax.annotate(
                    text,
                    (x, y),
                    textcoords="offset points",
                    xytext=({"left": 6, "right": -6}.get(horizontal, 0), {"bottom": 6, "top": -6}.get(vertical, 0)),
                    ha=horizontal,
                    va=vertical,
                    fontsize=style.label_pt,
                    color=TEXT_COLOR,
                )
    _draw_error_bars(ax, trace, xs, ys, horizontal=False, color=line_color)
    style.previous_line = (xs, ys)
    return handle


def _text_place(position: str | None) -> tuple[str, str]:
    """Plotly's textposition ("top center", "middle right") as matplotlib's (va, ha) of the label:
    "middle right" of the point is a label whose left edge is at the point."""
    vertical, _, horizontal = (position or "top center").partition(" ")
    va = {"top": "bottom", "bottom": "top"}.get(vertical, "center")
    ha = {"right": "left", "left": "right"}.get(horizontal, "center")
    return va, ha


def _draw_error_bars(ax: Any, trace: Any, cats: np.ndarray, vals: np.ndarray, horizontal: bool, color: str) -> None:
    """The trace's error bars along its value axis (error_x of a horizontal bar, else error_y)."""
    error = trace.error_x if horizontal else trace.error_y
    if error is None or error.array is None or error.visible is False:
        return
    upper = np.asarray(error.array, dtype=float)
    lower = np.asarray(error.arrayminus, dtype=float) if error.arrayminus is not None else upper
    spread = {"xerr" if horizontal else "yerr": [lower, upper]}
    points = (vals, cats) if horizontal else (cats, vals)
    ax.errorbar(*points, **spread, fmt="none", ecolor=color, elinewidth=1.5, capsize=4)


def _bar_colors(color: Any, default: str) -> Any:
    if isinstance(color, str) or color is None:
        return _mpl_color(color, default)
    if all(isinstance(c, str) for c in color):
        return [_mpl_color(c, default) for c in color]
    import matplotlib.colors as mcolors

    numbers = np.asarray(color, dtype=float)
    cmap = mcolors.LinearSegmentedColormap.from_list("worse", [c for _, c in SEQUENTIAL_WORSE])
    span = np.nanmax(numbers) - np.nanmin(numbers) or 1.0
    return [cmap((n - np.nanmin(numbers)) / span) for n in numbers]


def _draw_bar(
    ax: Any, trace: Any, fig: go.Figure, x_map: _AxisMapper, y_map: _AxisMapper, style: _TraceStyle, bars: list[Any]
) -> Any:
    """One bar trace, grouped or stacked with the figure's other bars; returns its legend handle."""
    horizontal = trace.orientation == "h"
    cats_raw, vals_raw = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    cat_map, val_map = (y_map, x_map) if horizontal else (x_map, y_map)
    cats, vals = cat_map(cats_raw), np.nan_to_num(val_map(vals_raw), nan=0.0)
    finite = np.sort(np.unique(cats[np.isfinite(cats)]))
    spacing = float(np.min(np.diff(finite))) if len(finite) > 1 else (25.0 if cat_map.kind == "date" else 1.0)
    slot = 0.8 * spacing
    barmode = fig.layout.barmode or "group"
    thickness, positions = slot, cats
    if barmode == "group" and len(bars) > 1:
        thickness = slot / len(bars)
        order = next(i for i, bar in enumerate(bars) if bar is trace)
        positions = cats - slot / 2 + thickness * (order + 0.5)
    bottoms = np.zeros_like(vals)
    if barmode in ("stack", "relative"):
        for i, (p, v) in enumerate(zip(positions, vals, strict=False)):
            store = style.stacks[v >= 0]
            bottoms[i] = store.get(p, 0.0)
            store[p] = bottoms[i] + v
    draw = ax.barh if horizontal else ax.bar
    container = draw(
        positions,
        vals,
        thickness,
        bottoms,
        color=_bar_colors(trace.marker.color, style.color),
        alpha=style.opacity,
        label=style.label,
    )
    labels = _labels_for(trace, list(cats_raw), list(vals_raw), horizontal)
    if labels and trace.textposition != "none":
        inside = trace.textposition == "inside" or barmode in ("stack", "relative")
        ax.bar_label(
            container,
            labels=labels,
            label_type="center" if inside else "edge",
            padding=0 if inside else 4,
            fontsize=style.label_pt,
            color="white" if inside else TEXT_COLOR,
        )
    _draw_error_bars(ax, trace, positions, vals, horizontal, TEXT_COLOR)
    return container


class _TraceStyle:
    """What one trace is drawn with, and what the traces before it left (a line to fill to, stacks)."""

    def __init__(self, body_pt: float) -> None:
        self.body_label_pt = self.label_pt = body_pt * 0.9
        self.color, self.label, self.opacity = COLORWAY[0], None, 1.0
        self.previous_line: tuple[np.ndarray, np.ndarray] | None = None
        self.stacks: dict[bool, dict[float, float]] = {True: {}, False: {}}

    def for_trace(self, index: int, trace: Any) -> _TraceStyle:
        self.color = COLORWAY[index % len(COLORWAY)]
        self.label = _plain(trace.name) if trace.name and trace.showlegend is not False else None
        self.opacity = trace.opacity if trace.opacity is not None else 1.0
        font = getattr(trace, "textfont", None)  # a laid-out or press figure sets its labels' size
        self.label_pt = (
            font.size * _PX_TO_PT if font is not None and isinstance(font.size, int | float) else self.body_label_pt
        )
        return self


def _draw_traces(
    ax: Any, fig: go.Figure, x_map: _AxisMapper, y_map: _AxisMapper, body_pt: float
) -> tuple[list[Any], list[str]]:
    """Draw supported traces; returns legend handles and the unsupported trace types."""
    handles: list[Any] = []
    unsupported: list[str] = []
    shown = [(i, t) for i, t in enumerate(fig.data) if t.visible not in (False, "legendonly")]
    bars = [t for _, t in shown if t.type == "bar"]
    style = _TraceStyle(body_pt)
    for index, trace in shown:
        style.for_trace(index, trace)
        if trace.type in ("scatter", "scattergl") and trace.x is not None and trace.y is not None:
            handle = _draw_scatter(ax, trace, x_map, y_map, style)
        elif trace.type == "bar" and trace.x is not None and trace.y is not None:
            handle = _draw_bar(ax, trace, fig, x_map, y_map, style, bars)
        elif trace.type not in ("scatter", "scattergl", "bar"):
            unsupported.append(trace.type)
            continue
        else:
            continue
        if handle is not None and style.label:
            handles.append(handle)
    return handles, sorted(set(unsupported))


def _is_paper(ref: str | None, default: str) -> bool:
    return (ref or default).endswith(("domain", "paper"))


def _draw_shapes_and_annotations(
    ax: Any, fig: go.Figure, x_map: _AxisMapper, y_map: _AxisMapper, body_pt: float
) -> None:
    for shape in fig.layout.shapes or []:
        color = _mpl_color(shape.line.color if shape.line else None, MUTED_TEXT_COLOR)
        style = _DASHES.get((shape.line.dash if shape.line else None) or "", "-")
        x_paper, y_paper = _is_paper(shape.xref, "x"), _is_paper(shape.yref, "y")
        if x_paper == y_paper:
            continue
        # A shape spanning the plot across one axis: a line or band at a value of the other.
        mapper, (start, end) = (y_map, (shape.y0, shape.y1)) if x_paper else (x_map, (shape.x0, shape.x1))
        low, high = (float(mapper([v])[0]) for v in (start, end))
        if shape.type == "line" and start == end:
            (ax.axhline if x_paper else ax.axvline)(low, color=color, linestyle=style, linewidth=2)
        elif shape.type == "rect":
            fill = _mpl_color(shape.fillcolor, "#DDDDDD")
            (ax.axhspan if x_paper else ax.axvspan)(low, high, color=fill, alpha=shape.opacity or 0.2, linewidth=0)
    for note in fig.layout.annotations or []:
        if not note.text:
            continue
        x_paper, y_paper = _is_paper(note.xref, "x"), _is_paper(note.yref, "y")
        x = float(note.x if note.x is not None else 0.5) if x_paper else float(x_map([note.x])[0])
        y = float(note.y if note.y is not None else 0.5) if y_paper else float(y_map([note.y])[0])
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        size = note.font.size * 0.72 if note.font and note.font.size else body_pt * 0.9
        ax.annotate(
            _plain(note.text),
            (x, y),
            xycoords=("axes fraction" if x_paper else "data", "axes fraction" if y_paper else "data"),
            ha={"left": "left", "right": "right"}.get(note.xanchor or "", "center"),
            va={"top": "top", "bottom": "bottom"}.get(note.yanchor or "", "center"),
            fontsize=size,
            color=_mpl_color(note.font.color if note.font else None, TEXT_COLOR),
        )


_DPI = 100
_PX_TO_PT = 72 / _DPI


def _draw_chart(figure: Any, fig: go.Figure, body_pt: float) -> tuple[Any, list[Any], list[str]]:
    """The plot of ``fig`` on a new axes of ``figure``: traces, shapes, notes, axes and grid.

    Returns the axes, the legend handles and the trace types that could not be drawn."""
    horizontal = any(_is_horizontal_bar(t) for t in fig.data)
    x_values = [v for t in fig.data for v in _values(t, "x")]
    y_values = [v for t in fig.data for v in _values(t, "y")]
    x_map = _axis_mapper(fig, x_values, fig.layout.xaxis)
    y_map = _axis_mapper(fig, y_values, fig.layout.yaxis)
    ax = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_axisbelow(True)
    handles, unsupported = _draw_traces(ax, fig, x_map, y_map, body_pt)
    _draw_shapes_and_annotations(ax, fig, x_map, y_map, body_pt)
    _apply_axis_layout(ax, "x", x_map, fig.layout.xaxis, fig, x_values, body_pt)
    _apply_axis_layout(ax, "y", y_map, fig.layout.yaxis, fig, y_values, body_pt)
    ax.grid(True, axis="x" if horizontal else "y")
    ax.grid(False, axis="y" if horizontal else "x")
    if x_map.kind == "category" or (horizontal and y_map.kind == "category"):
        ax.margins(**({"y": 0.02} if horizontal else {"x": 0.02}))
    if not fig.data or unsupported and not handles and not ax.has_data():
        ax.text(
            0.5,
            0.5,
            "Grafik ini tidak dapat digambar tanpa Chromium.",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=body_pt,
            color=MUTED_TEXT_COLOR,
        )
    return ax, handles, unsupported


def _save(figure: Any, fmt: Literal["png", "svg"]) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(
        buffer, format=fmt, dpi=_DPI, facecolor="white", metadata={"Software": None} if fmt == "png" else None
    )
    return buffer.getvalue()


def _new_figure(width: int, height: int) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)
    FigureCanvasAgg(figure)
    return figure


def render_with_matplotlib(
    fig: go.Figure, meta: ChartMeta, preset: Preset, fmt: Literal["png", "svg"] = "png"
) -> tuple[bytes, list[str]]:
    """The press image drawn by matplotlib: same header, footer and margins as with kaleido.

    Returns the image and the plotly trace types that could not be drawn.
    """
    import matplotlib

    width, height = resolve_preset(preset)
    box = _press_layout(fig, meta, width, height)
    body_pt = box.body_px * _PX_TO_PT

    with _matplotlib_lock, matplotlib.rc_context(matplotlib_rc("presentation")):
        figure = _new_figure(width, height)
        ax, handles, unsupported = _draw_chart(figure, fig, body_pt)
        left, right = box.pad / width, 1 - box.pad / width
        texts = (
            # (lines, x, y from the top in px or from the bottom when negative, align, size px, colour, bold)
            (box.title_lines, left, box.title_top, box.title_px, TEXT_COLOR, "bold", 1.15),
            (box.subtitle_lines, left, box.subtitle_top, box.subtitle_px, MUTED_TEXT_COLOR, "normal", 1.25),
            (box.source_lines, left, -box.pad, box.footer_px, MUTED_TEXT_COLOR, "normal", 1.25),
            ((box.n_text,) if box.n_text else (), right, -box.pad, box.footer_px, MUTED_TEXT_COLOR, "normal", 1.25),
        )
        for lines, x, y, size_px, color, weight, spacing in texts:
            if not lines:
                continue
            figure.text(
                x,
                1 - y / height if y >= 0 else -y / height,
                "\n".join(lines),
                ha="left" if x == left else "right",
                va="top" if y >= 0 else "baseline",
                fontsize=size_px * _PX_TO_PT,
                fontweight=weight,
                color=color,
                linespacing=spacing,
            )
        if box.legend_rows and handles:
            figure.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(left, 1 - box.legend_top / height),
                ncols=math.ceil(len(handles) / box.legend_rows),
                frameon=False,
                fontsize=body_pt,
                borderaxespad=0,
                handlelength=1.6,
                columnspacing=1.5,
            )
        footer_top = box.pad + len(box.source_lines or ("",)) * box.footer_px * 1.3 + 0.6 * box.body_px
        _fit_axes(figure, ax, (box.pad, footer_top, box.width - box.right, box.height - box.top))
        return _save(figure, fmt), unsupported


def render_laid_out_with_matplotlib(
    fig: go.Figure, fmt: Literal["png", "svg"] = "png"
) -> tuple[bytes, float, list[str]]:
    """A chart already laid out at its final size (width, height and fonts in px, as
    dashboard.rapat.projection makes it for a slide) drawn as it is: no press header or footer
    (the slide carries its title and source), every text at the layout's font size.

    Returns the image, the smallest text it drew (px) and the trace types it could not draw.
    """
    import matplotlib
    from matplotlib.text import Text

    width, height = int(fig.layout.width or 1920), int(fig.layout.height or 1080)
    body_px = float(fig.layout.font.size or 24)
    body_pt = body_px * _PX_TO_PT
    with _matplotlib_lock, matplotlib.rc_context(matplotlib_rc("presentation") | {"font.size": body_pt}):
        figure = _new_figure(width, height)
        ax, handles, unsupported = _draw_chart(figure, fig, body_pt)
        top = height - body_px
        if len(handles) > 1 or handles and fig.layout.showlegend:
            legend = figure.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(body_px / width, 1 - 0.3 * body_px / height),
                ncols=len(handles),
                frameon=False,
                fontsize=body_pt,
                borderaxespad=0,
                handlelength=1.6,
                columnspacing=1.5,
            )
            top = legend.get_window_extent(figure.canvas.get_renderer()).y0 - 0.6 * body_px
        right = width - max(body_px, float(fig.layout.margin.r or 0))  # room for labels beyond the bars
        _fit_axes(figure, ax, (body_px * 0.5, body_px * 0.5, right, top))
        drawn = [t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
        return _save(figure, fmt), min(drawn, default=body_pt) / _PX_TO_PT, unsupported


def _fit_axes(figure: Any, ax: Any, frame: tuple[float, float, float, float]) -> None:
    """Place the axes so its tick labels and titles fill ``frame`` (left, bottom, right, top in px)."""
    width, height = figure.bbox.width, figure.bbox.height
    renderer = figure.canvas.get_renderer()
    inner = ax.get_window_extent(renderer)
    tight = ax.get_tightbbox(renderer, for_layout_only=True)
    if tight is None:
        return
    left = frame[0] + inner.x0 - tight.x0  # tick labels and y title, in px
    bottom = frame[1] + inner.y0 - tight.y0
    right, top = frame[2], frame[3]
    if right - left > width * 0.3 and top - bottom > height * 0.3:
        ax.set_position((left / width, bottom / height, (right - left) / width, (top - bottom) / height))
