"""A chart already laid out at its final size (dashboard.rapat.projection) as a PNG, with
no press decoration: a slide carries its own title and source line."""

from __future__ import annotations

import logging

import plotly.graph_objects as go

from dashboard.export.kaleido_worker import _discard_worker, _get_worker, _KaleidoBackingOff, find_browser

logger = logging.getLogger(__name__)


def laid_out_figure_to_png(fig: go.Figure, width: int, height: int) -> bytes | None:
    """PNG of exactly width x height drawn by Chromium; None when there is no Chromium or it
    failed (the caller then draws the press image with the matplotlib fallback)."""
    browser = find_browser()
    if browser is None:
        return None
    try:
        return _get_worker(browser).render(fig, "png", width, height)
    except _KaleidoBackingOff:
        return None
    except Exception:  # noqa: BLE001 - any browser failure falls back
        logger.warning("kaleido slide render failed", exc_info=True)
        _discard_worker()
        return None
