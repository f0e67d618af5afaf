"""Charts and tables leaving the dashboard: press images, Excel and CSV.

Press images are rendered by kaleido with the system's Chromium, kept running
between exports (a cold render costs 2-3 s, a warm one about 0.2 s). Nothing
here downloads a browser: with no browser, or when Chromium fails, the same
chart is drawn with matplotlib and the caller is told so in Bahasa Indonesia.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import io
import logging
import math
import os
import re
import shutil
import textwrap
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import (
    MISSING,
    PLOTLY_SEPARATORS,
    apply_indonesian_layout,
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
    build_plotly_template,
    matplotlib_rc,
)

logger = logging.getLogger(__name__)

PRESS_PRESETS: dict[str, tuple[int, int]] = {
    "1920x1080": (1920, 1080),  # slides, YouTube, landscape posts
    "1080x1080": (1080, 1080),  # Instagram and WhatsApp square
    "1080x1350": (1080, 1350),  # Instagram portrait
}

FORCE_MATPLOTLIB_ENV = "DASBOR_FORCE_MATPLOTLIB"
BROWSER_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
)
BROWSER_ABSOLUTE_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/microsoft-edge",
)
KALEIDO_START_TIMEOUT_S = 45.0
KALEIDO_RENDER_TIMEOUT_S = 30.0
# After Chromium failed, exports go straight to matplotlib for a while instead
# of paying a start-up timeout on every click.
KALEIDO_RETRY_AFTER_S = 120.0

MSG_NO_BROWSER = "Chromium tidak ditemukan; gambar dibuat dengan matplotlib."
MSG_FORCED = f"Mode matplotlib dipaksa ({FORCE_MATPLOTLIB_ENV}=1); gambar dibuat dengan matplotlib."
MSG_KALEIDO_FAILED = "Chromium gagal menggambar grafik; gambar dibuat dengan matplotlib."
MSG_UNSUPPORTED = "Bagian grafik berikut tidak dapat digambar tanpa Chromium: {kinds}."

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Preset = str | tuple[int, int]
Renderer = Literal["kaleido", "matplotlib"]


@dataclass(frozen=True)
class ChartMeta:
    """What a published chart must say around the plot.

    title: the finding, in Bahasa ("Stunting turun di 14 dari 20 kecamatan").
    subtitle: period and area ("Oktober 2025 dibanding Oktober 2024, Kabupaten Kutai Kartanegara").
    source_note: "Sumber: e-PPGBM dan register posyandu, data per 31 Oktober 2025, diolah DPMD Kukar".
    n: denominator, already formatted ("n = 12.345 balita"); may be empty.
    """

    title: str
    subtitle: str
    source_note: str
    n: str = ""

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

    y_labels = _category_labels(fig, "y")
    if y_labels:
        y_tick_px = max(len(s) for s in y_labels) * body_px * _CHAR_WIDTH
    else:
        y_tick_px = (len(format_number(_max_abs_number(fig, "y"), 0)) + 3) * body_px * _CHAR_WIDTH
    y_title = _plain(fig.layout.yaxis.title.text if fig.layout.yaxis.title else "")
    left = pad + min(y_tick_px, 0.45 * width) + 12 * scale + (body_px * 1.5 if y_title else 0)
    right = pad + (3 * body_px if horizontal else body_px)

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

    annotations = list(out.layout.annotations or [])
    header_x = -(box.left - box.pad) / plot_w
    annotations.append(
        go.layout.Annotation(
            text="<b>" + "<br>".join(box.title_lines) + "</b>",
            xref="paper",
            yref="paper",
            x=header_x,
            y=1 + (box.top - box.title_top) / plot_h,
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": box.title_px, "color": TEXT_COLOR},
            name="press_title",
        )
    )
    if box.subtitle_lines:
        annotations.append(
            go.layout.Annotation(
                text="<br>".join(box.subtitle_lines),
                xref="paper",
                yref="paper",
                x=header_x,
                y=1 + (box.top - box.subtitle_top) / plot_h,
                xanchor="left",
                yanchor="top",
                align="left",
                showarrow=False,
                font={"size": box.subtitle_px, "color": MUTED_TEXT_COLOR},
                name="press_subtitle",
            )
        )
    footer_y = -(box.bottom - box.pad) / plot_h
    if box.source_lines:
        annotations.append(
            go.layout.Annotation(
                text="<br>".join(box.source_lines),
                xref="paper",
                yref="paper",
                x=header_x,
                y=footer_y,
                xanchor="left",
                yanchor="bottom",
                align="left",
                showarrow=False,
                font={"size": box.footer_px, "color": MUTED_TEXT_COLOR},
                name="press_source",
            )
        )
    if box.n_text:
        annotations.append(
            go.layout.Annotation(
                text=box.n_text,
                xref="paper",
                yref="paper",
                x=1 + (box.right - box.pad) / plot_w,
                y=footer_y,
                xanchor="right",
                yanchor="bottom",
                align="right",
                showarrow=False,
                font={"size": box.footer_px, "color": MUTED_TEXT_COLOR},
                name="press_n",
            )
        )
    out.update_layout(annotations=annotations)
    return apply_indonesian_layout(out)


# --------------------------------------------------------------------------
# kaleido with the system browser, kept warm
# --------------------------------------------------------------------------


def find_browser() -> str | None:
    """Path of an installed Chromium, Chrome or Edge ($BROWSER_PATH first), or None."""
    override = os.environ.get("BROWSER_PATH")
    if override and os.path.isfile(override) and os.access(override, os.X_OK):
        return override
    for name in BROWSER_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    for path in BROWSER_ABSOLUTE_PATHS:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


class _KaleidoWorker:
    """One Chromium kept open by kaleido on a private event loop thread."""

    def __init__(self, browser_path: str) -> None:
        import kaleido  # imported here: it is only needed once a chart is exported

        self.browser_path = browser_path
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-worker", daemon=True)
        self._thread.start()

        async def open_kaleido() -> Any:
            # mathjax=False: the default loads MathJax from a CDN, which hangs offline.
            k = kaleido.Kaleido(path=browser_path, mathjax=False, timeout=KALEIDO_RENDER_TIMEOUT_S)
            try:
                await k.open()
            except BaseException:
                await k.close()
                raise
            return k

        future = asyncio.run_coroutine_threadsafe(open_kaleido(), self._loop)
        try:
            self._kaleido = future.result(timeout=KALEIDO_START_TIMEOUT_S)
        except BaseException:
            future.cancel()
            self._stop_loop()
            raise

    def render(self, fig: go.Figure, fmt: str, width: int, height: int) -> bytes:
        opts = {"format": fmt, "width": width, "height": height, "scale": 1}
        future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(fig, opts=opts), self._loop)
        try:
            return future.result(timeout=KALEIDO_RENDER_TIMEOUT_S + 5)
        except BaseException:
            future.cancel()
            raise

    def close(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(timeout=15)
        except Exception:  # noqa: BLE001 - closing a broken browser is best effort
            logger.warning("kaleido did not close cleanly", exc_info=True)
        self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


class _KaleidoBackingOff(RuntimeError):
    """Chromium failed less than KALEIDO_RETRY_AFTER_S ago."""


_worker: _KaleidoWorker | None = None
_worker_lock = threading.Lock()
_worker_failed_at: float | None = None
_atexit_registered = False


def _get_worker(browser_path: str) -> _KaleidoWorker:
    global _worker, _worker_failed_at, _atexit_registered
    with _worker_lock:
        if _worker is not None and _worker.browser_path == browser_path:
            return _worker
        if _worker_failed_at is not None and time.monotonic() - _worker_failed_at < KALEIDO_RETRY_AFTER_S:
            raise _KaleidoBackingOff("Chromium failed recently; not retrying yet")
        if _worker is not None:
            _worker.close()
            _worker = None
        try:
            _worker = _KaleidoWorker(browser_path)
        except BaseException:
            _worker_failed_at = time.monotonic()
            raise
        _worker_failed_at = None
        if not _atexit_registered:
            atexit.register(shutdown_kaleido)
            _atexit_registered = True
        return _worker


def _discard_worker() -> None:
    global _worker, _worker_failed_at
    with _worker_lock:
        if _worker is not None:
            _worker.close()
        _worker = None
        _worker_failed_at = time.monotonic()


def shutdown_kaleido() -> None:
    """Close the warm Chromium, if one is running (also done at interpreter exit)."""
    global _worker, _worker_failed_at
    with _worker_lock:
        if _worker is not None:
            _worker.close()
        _worker = None
        _worker_failed_at = None


def warm_up_kaleido() -> bool:
    """Start Chromium ahead of the first export; True when kaleido is ready."""
    browser = find_browser()
    if browser is None:
        return False
    try:
        _get_worker(browser)
    except Exception:  # noqa: BLE001 - reported as False; export falls back later
        logger.warning("kaleido warm-up failed", exc_info=True)
        return False
    return True


def _force_matplotlib() -> bool:
    return os.environ.get(FORCE_MATPLOTLIB_ENV, "").strip().lower() in {"1", "true", "yes", "ya"}


def _export(
    fig: go.Figure, meta: ChartMeta, preset: Preset, fmt: Literal["png", "svg"], force_matplotlib: bool
) -> ExportResult:
    width, height = resolve_preset(preset)
    mime = "image/png" if fmt == "png" else "image/svg+xml"
    message: str | None
    if force_matplotlib or _force_matplotlib():
        message = MSG_FORCED
    elif (browser := find_browser()) is None:
        message = MSG_NO_BROWSER
    else:
        decorated = decorate_for_press(fig, meta, (width, height))
        try:
            data = _get_worker(browser).render(decorated, fmt, width, height)
            return ExportResult(data, "kaleido", None, mime, width, height)
        except _KaleidoBackingOff:
            message = MSG_KALEIDO_FAILED
        except Exception:  # noqa: BLE001 - any browser failure falls back to matplotlib
            logger.warning("kaleido export failed; falling back to matplotlib", exc_info=True)
            _discard_worker()
            message = MSG_KALEIDO_FAILED
    data, unsupported = render_with_matplotlib(fig, meta, (width, height), fmt)
    if unsupported:
        message = f"{message} {MSG_UNSUPPORTED.format(kinds=', '.join(unsupported))}"
    return ExportResult(data, "matplotlib", message, mime, width, height)


def figure_to_png(
    fig: go.Figure, meta: ChartMeta, preset: Preset = "1920x1080", *, force_matplotlib: bool = False
) -> ExportResult:
    """Press PNG of exactly the preset size; see ExportResult.renderer and .message."""
    return _export(fig, meta, preset, "png", force_matplotlib)


def figure_to_svg(
    fig: go.Figure, meta: ChartMeta, preset: Preset = "1920x1080", *, force_matplotlib: bool = False
) -> ExportResult:
    """Press SVG (text kept as text, so the source note stays searchable)."""
    return _export(fig, meta, preset, "svg", force_matplotlib)


# --------------------------------------------------------------------------
# matplotlib fallback
# --------------------------------------------------------------------------

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


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text starting with = + - @ tab or CR gets a leading apostrophe.

    Spreadsheet programs run such text as a formula (OWASP "CSV injection");
    column names are treated the same way.
    """

    def neutralise(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            return "'" + value
        return value

    out = df.copy()
    out.columns = [neutralise(c) for c in out.columns]
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(neutralise).astype(object)
    return out


def suppress_small_cells(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int = 5,
    dependent_columns: Sequence[str] | Mapping[str, Sequence[str]] = (),
) -> pd.DataFrame:
    """Hide counts from 1 to threshold - 1 (shown as "<5") and what could reveal them.

    dependent_columns are values computed from the counts (rates, percentages):
    given as a list, they are blanked on every row where any count was hidden;
    given as a mapping {rate_column: [count columns it is computed from]},
    only when one of its own counts was hidden. Zero is not hidden.
    """
    missing = [c for c in count_columns if c not in df.columns]
    if isinstance(dependent_columns, Mapping):
        missing += [c for c in dependent_columns if c not in df.columns]
        missing += [s for sources in dependent_columns.values() for s in sources if s not in count_columns]
    else:
        missing += [c for c in dependent_columns if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the table or not among count_columns: {missing}")

    out = df.copy()
    hidden = pd.DataFrame(False, index=df.index, columns=list(count_columns))
    for column in count_columns:
        numbers = pd.to_numeric(df[column], errors="coerce")
        small = (numbers >= 1) & (numbers < threshold)
        hidden[column] = small.fillna(False)
        values = df[column].astype(object)
        values[hidden[column]] = f"<{threshold}"
        out[column] = values
    if isinstance(dependent_columns, Mapping):
        rules = {rate: list(sources) for rate, sources in dependent_columns.items()}
    else:
        rules = {rate: list(count_columns) for rate in dependent_columns}
    for rate, sources in rules.items():
        blank = hidden[sources].any(axis=1)
        values = out[rate].copy()
        if pd.api.types.is_float_dtype(values):
            values[blank] = np.nan
        else:
            values = values.astype(object)
            values[blank] = None
        out[rate] = values
    return out


_CHILD_COUNT = re.compile(r"balita|anak", re.IGNORECASE)
_CHILD_RATE = re.compile(r"stunting|wasting|gizi|underweight|overweight|prevalensi", re.IGNORECASE)


def suppress_child_cells(df: pd.DataFrame, threshold: int = 5) -> pd.DataFrame:
    """The export guard every table gets: child counts of 1 to threshold - 1 become "<5",
    and a child rate (stunting %, …) is blanked where it implies 1 to 4 children
    (rate × the row's children measured), since the rate would reveal the count.

    Child count columns are recognised by name ("Balita diukur", "n (balita diukur)");
    child rate columns by a percent column naming a nutrition indicator.
    """
    counts = [
        c
        for c in df.columns
        if _CHILD_COUNT.search(str(c)) and "%" not in str(c) and pd.api.types.is_numeric_dtype(df[c])
    ]
    rates = [
        c for c in df.columns if "%" in str(c) and _CHILD_RATE.search(str(c)) and pd.api.types.is_numeric_dtype(df[c])
    ]
    if not counts:
        return df
    out = df.copy()
    denominator = pd.to_numeric(df[counts[0]], errors="coerce")
    for rate in rates:
        implied = (pd.to_numeric(df[rate], errors="coerce") / 100 * denominator).round()
        revealing = ((implied >= 1) & (implied < threshold)) | ((denominator >= 1) & (denominator < threshold))
        out[rate] = out[rate].astype("float64").mask(revealing.fillna(False))
    return suppress_small_cells(out, counts, threshold=threshold)


def _prepare_table(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df.index, pd.RangeIndex) or any(name is not None for name in df.index.names):
        df = df.reset_index()
    df = df.copy()
    for column in df.columns:
        if pd.api.types.is_bool_dtype(df[column]):
            df[column] = df[column].map({True: "Ya", False: "Tidak"}).astype(object)
    return neutralise_formulas(df)


def table_to_csv(df: pd.DataFrame) -> bytes:
    """CSV that Excel with Indonesian settings opens in columns: UTF-8 with BOM, ";" and decimal comma."""
    table = _prepare_table(df)
    for column in table.columns:
        series = table[column]
        if pd.api.types.is_object_dtype(series):
            # decimal="," only reaches float columns; mixed columns are done here.
            table[column] = series.map(
                lambda v: repr(v).replace(".", ",") if isinstance(v, float) and math.isfinite(v) else v
            )
    text = table.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


_PERCENT_HINT = re.compile(r"(pct|persen|percent|prevalen|%)", re.IGNORECASE)
_EXCEL_MAX_ROWS = 1_048_576


def _excel_sheet_name(title: str) -> str:
    name = re.sub(r"[\[\]:*?/\\']", " ", title).strip() or "Tabel"
    return name[:31]


def _number_format(column: str, values: pd.Series) -> str | None:
    numbers = [
        v
        for v in values
        if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool) and not is_missing(v)
    ]
    if not numbers:
        return None
    integral = all(float(v).is_integer() for v in numbers)
    if _PERCENT_HINT.search(str(column)):
        return '#,##0.0"%"'
    return "#,##0" if integral else "#,##0.0"


def table_to_xlsx(
    df: pd.DataFrame,
    title: str,
    source_note: str,
    *,
    column_formats: Mapping[str, str] | None = None,
) -> bytes:
    """One-sheet workbook: title row, source note row, bold frozen header, sized columns.

    Number formats are Excel's own ("#,##0.0"), which Excel shows with the
    separators of the user's regional settings: 1.234,5 on Indonesian Windows.
    Dates use Indonesian month names whatever the settings. column_formats
    overrides the format of named columns.
    """
    import xlsxwriter

    table = _prepare_table(df)
    if len(table) + 4 > _EXCEL_MAX_ROWS:
        raise ValueError(f"Tabel terlalu besar untuk Excel ({format_number(len(table))} baris); unduh sebagai CSV.")
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    sheet = workbook.add_worksheet(_excel_sheet_name(title))
    title_fmt = workbook.add_format({"bold": True, "font_size": 14})
    note_fmt = workbook.add_format({"italic": True, "font_color": MUTED_TEXT_COLOR})
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#E8E8E8", "bottom": 1, "text_wrap": True, "valign": "top"}
    )
    text_fmt = workbook.add_format({})
    right_text_fmt = workbook.add_format({"align": "right"})
    formats_cache: dict[str, Any] = {}

    def cell_format(pattern: str) -> Any:
        if pattern not in formats_cache:
            formats_cache[pattern] = workbook.add_format({"num_format": pattern})
        return formats_cache[pattern]

    header_row = 3
    sheet.write_string(0, 0, title, title_fmt)
    sheet.write_string(1, 0, source_note, note_fmt)
    overrides = dict(column_formats or {})
    for col, name in enumerate(table.columns):
        series = table[name]
        label = str(name)
        sheet.write_string(header_row, col, label, header_fmt)
        is_datetime = pd.api.types.is_datetime64_any_dtype(series)
        if is_datetime:
            stamps = pd.to_datetime(series)
            if getattr(stamps.dt, "tz", None) is not None:
                stamps = stamps.dt.tz_localize(None)
            has_time = bool((stamps.dropna() != stamps.dropna().dt.normalize()).any())
            pattern = overrides.get(label, "[$-421]d mmmm yyyy" + (" hh:mm" if has_time else ""))
            display_width = 20 if has_time else 17
            for row, stamp in enumerate(stamps, start=header_row + 1):
                if pd.isna(stamp):
                    continue
                sheet.write_datetime(row, col, stamp.to_pydatetime(), cell_format(pattern))
            sheet.set_column(col, col, max(display_width, min(len(label), 40)) + 2)
            continue
        pattern = overrides.get(label) or _number_format(label, series)
        widest = len(label)
        for row, value in enumerate(series.tolist(), start=header_row + 1):
            if is_missing(value):
                continue
            if isinstance(value, bool):
                value = "Ya" if value else "Tidak"
            if isinstance(value, int | float | np.integer | np.floating):
                number = float(value)
                sheet.write_number(row, col, number, cell_format(pattern or "General"))
                decimals = 0 if (pattern or "").endswith("0") and "." not in (pattern or "") else 1
                widest = max(widest, len(format_number(number, decimals)) + (1 if "%" in (pattern or "") else 0))
            elif isinstance(value, dt.date | np.datetime64):
                stamp = pd.Timestamp(value)
                sheet.write_datetime(
                    row,
                    col,
                    stamp.tz_localize(None).to_pydatetime() if stamp.tz else stamp.to_pydatetime(),
                    cell_format(overrides.get(label, "[$-421]d mmmm yyyy")),
                )
                widest = max(widest, 17)
            else:
                text = str(value)
                sheet.write_string(row, col, text, right_text_fmt if pattern else text_fmt)
                widest = max(widest, max((len(line) for line in text.splitlines()), default=0))
        sheet.set_column(col, col, min(max(widest, 6), 60) + 2)
    sheet.set_row(0, 20)
    sheet.freeze_panes(header_row + 1, 0)
    if len(table.columns):
        sheet.autofilter(header_row, 0, header_row + max(len(table), 1), len(table.columns) - 1)
    workbook.close()
    return buffer.getvalue()
