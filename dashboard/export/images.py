"""Press images of a chart: kaleido when a browser is there, matplotlib otherwise.

The caller is told in Bahasa Indonesia when the fallback drew the image and what it could not draw.
"""

from __future__ import annotations

import logging
import os
from typing import Literal

import plotly.graph_objects as go

from dashboard.export.indicator_text import label_value_axis
from dashboard.export.kaleido_worker import _discard_worker, _get_worker, _KaleidoBackingOff, find_browser
from dashboard.export.matplotlib_fallback import render_with_matplotlib
from dashboard.export.press import ChartMeta, ExportResult, Preset, decorate_for_press, resolve_preset

logger = logging.getLogger(__name__)


FORCE_MATPLOTLIB_ENV = "DASBOR_FORCE_MATPLOTLIB"
MSG_NO_BROWSER = "Chromium tidak ditemukan; gambar dibuat dengan matplotlib."
MSG_FORCED = f"Mode matplotlib dipaksa ({FORCE_MATPLOTLIB_ENV}=1); gambar dibuat dengan matplotlib."
MSG_KALEIDO_FAILED = "Chromium gagal menggambar grafik; gambar dibuat dengan matplotlib."
MSG_UNSUPPORTED = "Bagian grafik berikut tidak dapat digambar tanpa Chromium: {kinds}."


def _force_matplotlib() -> bool:
    return os.environ.get(FORCE_MATPLOTLIB_ENV, "").strip().lower() in {"1", "true", "yes", "ya"}


def _export(
    fig: go.Figure, meta: ChartMeta, preset: Preset, fmt: Literal["png", "svg"], force_matplotlib: bool
) -> ExportResult:
    width, height = resolve_preset(preset)
    fig = label_value_axis(fig, meta.indicators)
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
