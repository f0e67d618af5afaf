"""Press decoration: the title, subtitle, n and source note placed around a chart at a preset size.

One layout (`_press_layout`) measures the text for both renderers, so a kaleido PNG and a
matplotlib PNG of the same chart put the same words in the same places.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import (
    PLOTLY_SEPARATORS,
    apply_indonesian_layout,
    format_number,
    looks_like_dates,
)
from dashboard.theme import (
    MUTED_TEXT_COLOR,
    TEXT_COLOR,
    build_plotly_template,
)

PRESS_PRESETS: dict[str, tuple[int, int]] = {
    "1920x1080": (1920, 1080),  # slides, YouTube, landscape posts
    "1080x1080": (1080, 1080),  # Instagram and WhatsApp square
    "1080x1350": (1080, 1350),  # Instagram portrait
}


Preset = str | tuple[int, int]
Renderer = Literal["kaleido", "matplotlib"]


@dataclass(frozen=True)
class ChartMeta:
    """What a published chart must say around the plot.

    title: the finding, in Bahasa ("Stunting turun di 14 dari 20 kecamatan").
    subtitle: period and area ("Oktober 2025 dibanding Oktober 2024, Kabupaten Kutai Kartanegara").
    source_note: "Sumber: e-PPGBM dan register posyandu, data per 31 Oktober 2025, diolah DPMD Kukar".
    n: denominator, already formatted ("n = 12.345 balita"); may be empty.
    indicators: the catalogue codes the chart shows; one code labels an unlabelled value axis.
    """

    title: str
    subtitle: str
    source_note: str
    n: str = ""
    indicators: tuple[str, ...] = ()  # catalogue codes shown (export.indicator_text.indicator_meta)

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("ChartMeta.title must state the finding")
        if not self.source_note.strip():
            raise ValueError("ChartMeta.source_note is required on published charts")


@dataclass(frozen=True)
class ExportResult:
    """An exported image and how it was made; message (Bahasa) is None when all went well."""

    bytes: bytes
    renderer: Renderer
    message: str | None
    mime_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "svg" if self.mime_type == "image/svg+xml" else "png"


# --------------------------------------------------------------------------
# Press layout: one set of measurements for plotly and for matplotlib
# --------------------------------------------------------------------------

# Average glyph width as a fraction of the font size; generous so text wraps
# before it can overflow (Arial is about 0.5, DejaVu Sans about 0.55).
_CHAR_WIDTH = 0.55
_BOLD_CHAR_WIDTH = 0.6


@dataclass(frozen=True)
class _PressLayout:
    width: int
    height: int
    pad: int
    title_px: int
    subtitle_px: int
    body_px: int
    footer_px: int
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    source_lines: tuple[str, ...]
    n_text: str
    legend_rows: int
    top: int
    bottom: int
    left: int
    right: int

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def title_top(self) -> int:
        return self.pad

    @property
    def subtitle_top(self) -> int:
        return self.pad + round(len(self.title_lines) * self.title_px * 1.3 + 0.35 * self.subtitle_px)

    @property
    def legend_top(self) -> int:
        return self.subtitle_top + round(len(self.subtitle_lines) * self.subtitle_px * 1.3 + 0.6 * self.body_px)


def resolve_preset(preset: Preset) -> tuple[int, int]:
    """ "1920x1080" or (1920, 1080) -> (1920, 1080)."""
    if isinstance(preset, tuple):
        width, height = preset
    elif preset in PRESS_PRESETS:
        width, height = PRESS_PRESETS[preset]
    else:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESS_PRESETS)}")
    if width < 300 or height < 300:
        raise ValueError("press images must be at least 300 x 300 px")
    return int(width), int(height)


def _wrap(text: str, font_px: int, max_px: float, bold: bool = False) -> tuple[str, ...]:
    if not text.strip():
        return ()
    per_char = font_px * (_BOLD_CHAR_WIDTH if bold else _CHAR_WIDTH)
    chars = max(10, int(max_px / per_char))
    lines: list[str] = []
    for paragraph in text.splitlines():
        lines.extend(textwrap.wrap(paragraph, chars, break_long_words=False) or [""])
    return tuple(lines)


def _plain(text: Any) -> str:
    """Plotly rich text -> plain text with newlines."""
    if text is None:
        return ""
    text = re.sub(r"<br\s*/?>", "\n", str(text), flags=re.IGNORECASE)
    return re.sub(r"<[^>]+>", "", text)


def _values(trace: Any, letter: str) -> list[Any]:
    values = getattr(trace, letter, None)
    return [] if values is None else list(values)


def _is_horizontal_bar(trace: Any) -> bool:
    return trace.type == "bar" and trace.orientation == "h"


def _category_labels(fig: go.Figure, letter: str) -> list[str]:
    labels: list[str] = []
    for trace in fig.data:
        labels.extend(str(v) for v in _values(trace, letter) if isinstance(v, str))
    return labels


def _shows_legend(fig: go.Figure) -> bool:
    if fig.layout.showlegend is False:
        return False
    named = [t for t in fig.data if t.showlegend is not False and t.name]
    return len(named) >= 2 or (fig.layout.showlegend is True and len(named) >= 1)


def _legend_names(fig: go.Figure) -> list[str]:
    return [_plain(t.name) for t in fig.data if t.showlegend is not False and t.name]


def _max_abs_number(fig: go.Figure, letter: str) -> float:
    biggest = 0.0
    for trace in fig.data:
        values = getattr(trace, letter, None)
        if values is None:
            continue
        numbers = pd.to_numeric(pd.Series(list(values)), errors="coerce").abs()
        if numbers.notna().any():
            biggest = max(biggest, float(numbers.max()))
    return biggest


def _colorbar_traces(fig: go.Figure) -> list[Any]:
    return [t for t in fig.data if t.type in ("heatmap", "contour", "histogram2d") and t.showscale is not False]


def _colorbar_labels(fig: go.Figure) -> list[str]:
    """The tick labels of the figure's colour bars (a guess from zmin/zmax where plotly picks them)."""
    labels: list[str] = []
    for trace in _colorbar_traces(fig):
        bar = trace.colorbar
        texts = [str(t) for t in (bar.ticktext or ())]
        if not texts:
            bounds = [v for v in (trace.zmin, trace.zmax) if v is not None] or [1000]
            texts = [format_number(v, 0) + str(bar.ticksuffix or "") for v in bounds]
        labels += texts + [_plain(bar.title.text if bar.title else "")]
    return labels


def _colorbar_thickness(scale: float) -> int:
    return round(24 * scale)


def _press_layout(fig: go.Figure, meta: ChartMeta, width: int, height: int) -> _PressLayout:
    scale = min(width, height) / 1080
    pad = round(44 * scale)
    title_px = round(44 * scale)
    subtitle_px = round(28 * scale)
    body_px = round(24 * scale)
    footer_px = round(20 * scale)
    inner = width - 2 * pad

    title_lines = _wrap(meta.title, title_px, inner, bold=True)
    subtitle_lines = _wrap(meta.subtitle, subtitle_px, inner)
    n_text = meta.n.strip()
    n_width = len(n_text) * footer_px * _CHAR_WIDTH + (pad if n_text else 0)
    source_lines = _wrap(meta.source_note, footer_px, inner - n_width)

    legend_rows = 0
    if _shows_legend(fig):
        entries = [len(name) * body_px * _CHAR_WIDTH + 3.2 * body_px for name in _legend_names(fig)]
        legend_rows, used = 1, 0.0
        for entry in entries:
            if used and used + entry > inner:
                legend_rows, used = legend_rows + 1, 0.0
            used += entry

    top = (
        pad
        + len(title_lines) * title_px * 1.3
        + 0.35 * subtitle_px
        + len(subtitle_lines) * subtitle_px * 1.3
        + 0.6 * body_px
        + (legend_rows * body_px * 1.7 + 0.4 * body_px if legend_rows else 0)
        + 0.6 * body_px
    )

    horizontal = any(_is_horizontal_bar(t) for t in fig.data)
    # Date ticks carry the year on a second line.
    x_values = [v for t in fig.data for v in _values(t, "x")]
    x_tick_lines = 2 if x_values and looks_like_dates(x_values) else 1
    x_labels = _category_labels(fig, "x")
    if x_labels and max(len(s) for s in x_labels) * body_px * _CHAR_WIDTH > inner / max(1, len(set(x_labels))):
        x_tick_lines = 2  # long categories under a vertical bar chart wrap or crowd
    x_title = _plain(fig.layout.xaxis.title.text if fig.layout.xaxis.title else "")
    bottom = (
        pad
        + len(source_lines or ("",)) * footer_px * 1.3
        + 0.9 * body_px
        + x_tick_lines * body_px * 1.25
        + 12 * scale
        + (body_px * 1.5 if x_title else 0)
    )

    y_labels = _category_labels(fig, "y") or [_plain(t) for t in fig.layout.yaxis.ticktext or ()]
    if y_labels:
        y_tick_px = max(len(s) for s in y_labels) * body_px * _CHAR_WIDTH
    else:
        y_tick_px = (len(format_number(_max_abs_number(fig, "y"), 0)) + 3) * body_px * _CHAR_WIDTH
    y_title = _plain(fig.layout.yaxis.title.text if fig.layout.yaxis.title else "")
    left = pad + min(y_tick_px, 0.45 * width) + 12 * scale + (body_px * 1.5 if y_title else 0)
    right = pad + (3 * body_px if horizontal else body_px)
    colorbar_labels = _colorbar_labels(fig)
    if colorbar_labels:
        # Plotly draws a colour bar right of the plot (x = 1.02 of the plot width) and does
        # not count it in a fixed margin: room for the bar, its gap and its widest label.
        label_px = max(len(label) for label in colorbar_labels) * body_px * _CHAR_WIDTH
        right = pad + 0.03 * width + _colorbar_thickness(scale) + 10 + label_px

    return _PressLayout(
        width=width,
        height=height,
        pad=pad,
        title_px=title_px,
        subtitle_px=subtitle_px,
        body_px=body_px,
        footer_px=footer_px,
        title_lines=title_lines,
        subtitle_lines=subtitle_lines,
        source_lines=source_lines,
        n_text=n_text,
        legend_rows=legend_rows,
        top=round(top),
        bottom=round(bottom),
        left=round(left),
        right=round(right),
    )


def _note(
    name: str, text: str, at: tuple[float, float], anchor: str, size: int, color: str = MUTED_TEXT_COLOR
) -> go.layout.Annotation | None:
    """A press text placed in paper coordinates by its corner ("left top"); None when empty."""
    if not text:
        return None
    xanchor, yanchor = anchor.split()
    return go.layout.Annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=at[0],
        y=at[1],
        xanchor=xanchor,
        yanchor=yanchor,
        align=xanchor,
        showarrow=False,
        font={"size": size, "color": color},
        name=name,
    )


def decorate_for_press(fig: go.Figure, meta: ChartMeta, preset: Preset) -> go.Figure:
    """A copy of fig sized for the preset, with title, subtitle, source note and n.

    Margins are computed here (and not left to plotly's automargin) so the
    source note sits at a known place at the bottom of every image.
    """
    width, height = resolve_preset(preset)
    out = go.Figure(fig)
    box = _press_layout(out, meta, width, height)
    plot_w, plot_h = box.plot_width, box.plot_height

    out.update_layout(
        template=build_plotly_template("presentation"),
        width=width,
        height=height,
        autosize=False,
        separators=PLOTLY_SEPARATORS,
        margin={"l": box.left, "r": box.right, "t": box.top, "b": box.bottom, "pad": 0, "autoexpand": False},
        font={"size": box.body_px, "color": TEXT_COLOR},
        title={"text": ""},
    )
    for axis in list(out.layout):
        if axis.startswith(("xaxis", "yaxis")):
            out.layout[axis].update(
                tickfont={"size": box.body_px},
                title={"font": {"size": box.body_px}},
                automargin=False,
            )
    out.update_traces(textfont={"size": box.body_px}, selector={"type": "bar"})
    for trace in _colorbar_traces(out):
        trace.colorbar.update(
            thickness=_colorbar_thickness(min(width, height) / 1080),
            tickfont={"size": box.body_px},
            title={"font": {"size": box.body_px}},
        )
    out.update_traces(textfont={"size": box.body_px}, selector={"type": "scatter"})
    # Value labels outside the longest bar may run into the right margin, which
    # is sized for them; plotly would clip them at the axis otherwise.
    out.update_traces(
        outsidetextfont={"size": box.body_px},
        insidetextfont={"size": box.body_px},
        cliponaxis=False,
        selector={"type": "bar"},
    )
    if box.legend_rows:
        out.update_layout(
            showlegend=True,
            legend={
                "orientation": "h",
                "x": -(box.left - box.pad) / plot_w,
                "xanchor": "left",
                "xref": "paper",
                "y": 1 - (box.legend_top - box.top) / plot_h if plot_h else 1,
                "yanchor": "top",
                "font": {"size": box.body_px},
                "title": {"text": ""},
                "bgcolor": "rgba(0,0,0,0)",
            },
        )
    else:
        out.update_layout(showlegend=False)

    left, right = -(box.left - box.pad) / plot_w, 1 + (box.right - box.pad) / plot_w
    top, footer = (lambda px: 1 + (box.top - px) / plot_h), -(box.bottom - box.pad) / plot_h
    title, subtitle = "<b>" + "<br>".join(box.title_lines) + "</b>", "<br>".join(box.subtitle_lines)
    notes = [
        _note("press_title", title, (left, top(box.title_top)), "left top", box.title_px, TEXT_COLOR),
        _note("press_subtitle", subtitle, (left, top(box.subtitle_top)), "left top", box.subtitle_px),
        _note("press_source", "<br>".join(box.source_lines), (left, footer), "left bottom", box.footer_px),
        _note("press_n", box.n_text, (right, footer), "right bottom", box.footer_px),
    ]
    annotations = list(out.layout.annotations or []) + [note for note in notes if note is not None]
    out.update_layout(annotations=annotations)
    return apply_indonesian_layout(out)
