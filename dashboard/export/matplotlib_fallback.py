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
    _PressLayout,
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


class _TickFormatter:
    """Indonesian tick labels whose decimals follow the tick step."""

    def __init__(self, prefix: str = "", suffix: str = "", percent_fraction: bool = False) -> None:
        from matplotlib.ticker import Formatter

        outer = self

        class Impl(Formatter):
            def __call__(self, x: float, pos: int | None = None) -> str:
                return outer.format(x, self._decimals if hasattr(self, "_decimals") else 0)

            def format_ticks(self, values: Sequence[float]) -> list[str]:
                scaled = [v * 100 if percent_fraction else v for v in values if math.isfinite(v)]
                # Fewest decimals that still write every tick exactly (2,5 not 2 or 3).
                self._decimals = next(
                    (d for d in range(4) if all(abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)) for v in scaled)),
                    4,
                )
                return [self(v, i) for i, v in enumerate(values)]

        self.prefix, self.suffix, self.percent_fraction = prefix, suffix, percent_fraction
        self.impl = Impl()

    def format(self, x: float, decimals: int) -> str:
        if self.percent_fraction:
            return f"{self.prefix}{format_percent(x * 100, decimals)}{self.suffix}"
        return f"{self.prefix}{format_number(x, decimals)}{self.suffix}"


def _style_value_axis(ax: Any, which: Literal["x", "y"], layout_axis: Any) -> None:
    tickformat = (layout_axis.tickformat or "") if layout_axis is not None else ""
    prefix = (layout_axis.tickprefix or "") if layout_axis is not None else ""
    suffix = (layout_axis.ticksuffix or "") if layout_axis is not None else ""
    formatter = _TickFormatter(prefix, suffix, percent_fraction="%" in tickformat)
    getattr(ax, f"{which}axis").set_major_formatter(formatter.impl)
    if layout_axis is not None and layout_axis.type == "log":
        getattr(ax, f"set_{which}scale")("log")


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


def _draw_traces(
    ax: Any, fig: go.Figure, x_map: _AxisMapper, y_map: _AxisMapper, body_pt: float
) -> tuple[list[Any], list[str]]:
    """Draw supported traces; returns legend handles and the unsupported trace types."""
    handles: list[Any] = []
    unsupported: list[str] = []
    bar_traces = [t for t in fig.data if t.type == "bar" and t.visible not in (False, "legendonly")]
    barmode = fig.layout.barmode or "group"
    stack_pos: dict[float, float] = {}
    stack_neg: dict[float, float] = {}
    previous_line: tuple[np.ndarray, np.ndarray] | None = None

    for index, trace in enumerate(fig.data):
        if trace.visible in (False, "legendonly"):
            continue
        default_color = COLORWAY[index % len(COLORWAY)]
        label = _plain(trace.name) if trace.name and trace.showlegend is not False else None
        opacity = trace.opacity if trace.opacity is not None else 1.0

        if trace.type in ("scatter", "scattergl"):
            if trace.x is None or trace.y is None:
                continue
            xs, ys = x_map(trace.x), y_map(trace.y)
            mode = trace.mode or ("lines+markers" if len(xs) < 20 else "lines")
            line_color = _mpl_color(trace.line.color, default_color)
            marker_color = trace.marker.color if isinstance(trace.marker.color, str) else trace.line.color
            marker_color = _mpl_color(marker_color, default_color)
            if trace.fill in ("tonexty", "tozeroy"):
                base = np.zeros_like(ys) if trace.fill == "tozeroy" or previous_line is None else previous_line[1]
                fill = _mpl_color(trace.fillcolor, line_color)
                ax.fill_between(xs, base, ys, color=fill, alpha=0.25 if trace.fillcolor is None else None, linewidth=0)
            if "lines" in mode:
                width = trace.line.width * 0.75 if trace.line.width is not None else None
                (handle,) = ax.plot(
                    xs,
                    ys,
                    color=line_color,
                    linestyle=_DASHES.get(trace.line.dash or "", "-"),
                    linewidth=width,
                    alpha=opacity,
                    marker="o" if "markers" in mode else None,
                    markerfacecolor=marker_color,
                    markeredgecolor=marker_color,
                    label=label,
                )
            elif "markers" in mode:
                size = trace.marker.size if isinstance(trace.marker.size, int | float) else None
                handle = ax.scatter(
                    xs,
                    ys,
                    color=marker_color,
                    s=(size * 0.75) ** 2 if size else None,
                    alpha=opacity,
                    label=label,
                    zorder=3,
                )
            else:
                handle = None
            if handle is not None and label:
                handles.append(handle)
            if "text" in mode or trace.texttemplate:
                labels = _labels_for(trace, list(trace.x), list(trace.y), horizontal=False)
                for x, y, text in zip(xs, ys, labels or [], strict=False):
                    if text and math.isfinite(x) and math.isfinite(y):
                        ax.annotate(
                            text,
                            (x, y),
                            textcoords="offset points",
                            xytext=(0, 8),
                            ha="center",
                            va="bottom",
                            fontsize=body_pt * 0.9,
                            color=TEXT_COLOR,
                        )
            if trace.error_y is not None and trace.error_y.array is not None and trace.error_y.visible is not False:
                upper = np.asarray(trace.error_y.array, dtype=float)
                lower = (
                    np.asarray(trace.error_y.arrayminus, dtype=float) if trace.error_y.arrayminus is not None else upper
                )
                ax.errorbar(xs, ys, yerr=[lower, upper], fmt="none", ecolor=line_color, elinewidth=1.5, capsize=4)
            previous_line = (xs, ys)

        elif trace.type == "bar":
            horizontal = trace.orientation == "h"
            cats_raw, vals_raw = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
            if cats_raw is None or vals_raw is None:
                continue
            cat_map, val_map = (y_map, x_map) if horizontal else (x_map, y_map)
            cats, vals = cat_map(cats_raw), val_map(vals_raw)
            vals = np.nan_to_num(vals, nan=0.0)
            finite = np.sort(np.unique(cats[np.isfinite(cats)]))
            spacing = float(np.min(np.diff(finite))) if len(finite) > 1 else (25.0 if cat_map.kind == "date" else 1.0)
            slot = 0.8 * spacing
            if barmode == "group" and len(bar_traces) > 1:
                order = bar_traces.index(trace)
                thickness = slot / len(bar_traces)
                positions = cats - slot / 2 + thickness * (order + 0.5)
            else:
                thickness = slot
                positions = cats
            bottoms = np.zeros_like(vals)
            if barmode in ("stack", "relative"):
                for i, (p, v) in enumerate(zip(positions, vals, strict=False)):
                    store = stack_pos if v >= 0 else stack_neg
                    bottoms[i] = store.get(p, 0.0)
                    store[p] = bottoms[i] + v
            color = trace.marker.color
            if isinstance(color, str) or color is None:
                colors: Any = _mpl_color(color, default_color)
            elif all(isinstance(c, str) for c in color):
                colors = [_mpl_color(c, default_color) for c in color]
            else:
                import matplotlib.colors as mcolors

                numbers = np.asarray(color, dtype=float)
                cmap = mcolors.LinearSegmentedColormap.from_list("worse", [c for _, c in SEQUENTIAL_WORSE])
                span = np.nanmax(numbers) - np.nanmin(numbers) or 1.0
                colors = [cmap((n - np.nanmin(numbers)) / span) for n in numbers]
            if horizontal:
                container = ax.barh(
                    positions, vals, height=thickness, left=bottoms, color=colors, alpha=opacity, label=label
                )
            else:
                container = ax.bar(
                    positions, vals, width=thickness, bottom=bottoms, color=colors, alpha=opacity, label=label
                )
            if label:
                handles.append(container)
            labels = _labels_for(trace, list(cats_raw), list(vals_raw), horizontal)
            if labels and trace.textposition != "none":
                inside = trace.textposition == "inside" or barmode in ("stack", "relative")
                ax.bar_label(
                    container,
                    labels=labels,
                    label_type="center" if inside else "edge",
                    padding=0 if inside else 4,
                    fontsize=body_pt * 0.9,
                    color="white" if inside else TEXT_COLOR,
                )
            if trace.error_x is not None and horizontal and trace.error_x.array is not None:
                ax.errorbar(
                    vals,
                    positions,
                    xerr=np.asarray(trace.error_x.array, dtype=float),
                    fmt="none",
                    ecolor=TEXT_COLOR,
                    capsize=4,
                )
            if trace.error_y is not None and not horizontal and trace.error_y.array is not None:
                ax.errorbar(
                    positions,
                    vals,
                    yerr=np.asarray(trace.error_y.array, dtype=float),
                    fmt="none",
                    ecolor=TEXT_COLOR,
                    capsize=4,
                )
        else:
            unsupported.append(trace.type)
    return handles, sorted(set(unsupported))


def _draw_shapes_and_annotations(
    ax: Any, fig: go.Figure, x_map: _AxisMapper, y_map: _AxisMapper, body_pt: float
) -> None:
    for shape in fig.layout.shapes or []:
        color = _mpl_color(shape.line.color if shape.line else None, MUTED_TEXT_COLOR)
        style = _DASHES.get((shape.line.dash if shape.line else None) or "", "-")
        x_paper = (shape.xref or "x").endswith(("domain", "paper"))
        y_paper = (shape.yref or "y").endswith(("domain", "paper"))
        if shape.type == "line" and x_paper and not y_paper and shape.y0 == shape.y1:
            ax.axhline(float(y_map([shape.y0])[0]), color=color, linestyle=style, linewidth=2)
        elif shape.type == "line" and y_paper and not x_paper and shape.x0 == shape.x1:
            ax.axvline(float(x_map([shape.x0])[0]), color=color, linestyle=style, linewidth=2)
        elif shape.type == "rect" and x_paper and not y_paper:
            ax.axhspan(
                float(y_map([shape.y0])[0]),
                float(y_map([shape.y1])[0]),
                color=_mpl_color(shape.fillcolor, "#DDDDDD"),
                alpha=shape.opacity or 0.2,
                linewidth=0,
            )
        elif shape.type == "rect" and y_paper and not x_paper:
            ax.axvspan(
                float(x_map([shape.x0])[0]),
                float(x_map([shape.x1])[0]),
                color=_mpl_color(shape.fillcolor, "#DDDDDD"),
                alpha=shape.opacity or 0.2,
                linewidth=0,
            )
    for note in fig.layout.annotations or []:
        if not note.text:
            continue
        x_paper = (note.xref or "x").endswith(("domain", "paper"))
        y_paper = (note.yref or "y").endswith(("domain", "paper"))
        x = float(note.x if note.x is not None else 0.5) if x_paper else float(x_map([note.x])[0])
        y = float(note.y if note.y is not None else 0.5) if y_paper else float(y_map([note.y])[0])
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        ha = {"left": "left", "right": "right"}.get(note.xanchor or "", "center")
        va = {"top": "top", "bottom": "bottom"}.get(note.yanchor or "", "center")
        size = note.font.size * 0.72 if note.font and note.font.size else body_pt * 0.9
        ax.annotate(
            _plain(note.text),
            (x, y),
            xycoords=("axes fraction" if x_paper else "data", "axes fraction" if y_paper else "data"),
            ha=ha,
            va=va,
            fontsize=size,
            color=_mpl_color(note.font.color if note.font else None, TEXT_COLOR),
        )


def render_with_matplotlib(
    fig: go.Figure, meta: ChartMeta, preset: Preset, fmt: Literal["png", "svg"] = "png"
) -> tuple[bytes, list[str]]:
    """The press image drawn by matplotlib: same header, footer and margins as with kaleido.

    Returns the image and the plotly trace types that could not be drawn.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = resolve_preset(preset)
    box = _press_layout(fig, meta, width, height)
    dpi = 100
    to_pt = 72 / dpi
    title_pt, subtitle_pt, body_pt, footer_pt = (
        box.title_px * to_pt,
        box.subtitle_px * to_pt,
        box.body_px * to_pt,
        box.footer_px * to_pt,
    )

    horizontal = any(_is_horizontal_bar(t) for t in fig.data)
    x_values = [v for t in fig.data for v in _values(t, "x")]
    y_values = [v for t in fig.data for v in _values(t, "y")]
    x_map = _axis_mapper(fig, x_values, fig.layout.xaxis)
    y_map = _axis_mapper(fig, y_values, fig.layout.yaxis)

    with _matplotlib_lock, matplotlib.rc_context(matplotlib_rc("presentation")):
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        FigureCanvasAgg(figure)
        ax = figure.add_axes((box.left / width, box.bottom / height, box.plot_width / width, box.plot_height / height))
        ax.set_axisbelow(True)
        handles, unsupported = _draw_traces(ax, fig, x_map, y_map, body_pt)
        _draw_shapes_and_annotations(ax, fig, x_map, y_map, body_pt)
        _apply_axis_layout(ax, "x", x_map, fig.layout.xaxis, fig, x_values, body_pt)
        _apply_axis_layout(ax, "y", y_map, fig.layout.yaxis, fig, y_values, body_pt)
        if horizontal:
            ax.grid(True, axis="x")
            ax.grid(False, axis="y")
        else:
            ax.grid(True, axis="y")
            ax.grid(False, axis="x")
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

        figure.text(
            box.pad / width,
            1 - box.title_top / height,
            "\n".join(box.title_lines),
            ha="left",
            va="top",
            fontsize=title_pt,
            fontweight="bold",
            color=TEXT_COLOR,
            linespacing=1.15,
        )
        if box.subtitle_lines:
            figure.text(
                box.pad / width,
                1 - box.subtitle_top / height,
                "\n".join(box.subtitle_lines),
                ha="left",
                va="top",
                fontsize=subtitle_pt,
                color=MUTED_TEXT_COLOR,
                linespacing=1.25,
            )
        if box.legend_rows and handles:
            per_row = math.ceil(len(handles) / box.legend_rows)
            figure.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(box.pad / width, 1 - box.legend_top / height),
                ncols=per_row,
                frameon=False,
                fontsize=body_pt,
                borderaxespad=0,
                handlelength=1.6,
                columnspacing=1.5,
            )
        if box.source_lines:
            figure.text(
                box.pad / width,
                box.pad / height,
                "\n".join(box.source_lines),
                ha="left",
                va="baseline",
                fontsize=footer_pt,
                color=MUTED_TEXT_COLOR,
                linespacing=1.25,
            )
        if box.n_text:
            figure.text(
                1 - box.pad / width,
                box.pad / height,
                box.n_text,
                ha="right",
                va="baseline",
                fontsize=footer_pt,
                color=MUTED_TEXT_COLOR,
            )

        _fit_axes(figure, ax, box)
        buffer = io.BytesIO()
        figure.savefig(
            buffer, format=fmt, dpi=dpi, facecolor="white", metadata={"Software": None} if fmt == "png" else None
        )
    return buffer.getvalue(), unsupported


def _fit_axes(figure: Any, ax: Any, box: _PressLayout) -> None:
    """Move the axes so its tick labels end where the estimated margins said they would."""
    renderer = figure.canvas.get_renderer()
    inner = ax.get_window_extent(renderer)
    tight = ax.get_tightbbox(renderer, for_layout_only=True)
    if tight is None:
        return
    left_extra = inner.x0 - tight.x0  # tick labels and y title, in px
    bottom_extra = inner.y0 - tight.y0
    footer_top = box.pad + len(box.source_lines or ("",)) * box.footer_px * 1.3 + 0.6 * box.body_px
    left = box.pad + left_extra
    bottom = footer_top + bottom_extra
    right = box.width - box.right
    top = box.height - box.top
    if right - left > box.width * 0.3 and top - bottom > box.height * 0.3:
        ax.set_position(
            (left / box.width, bottom / box.height, (right - left) / box.width, (top - bottom) / box.height)
        )
