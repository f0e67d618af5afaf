"""A chart already laid out at its final size (dashboard.rapat.projection) as a PNG, with
no press decoration: a slide carries its own title and source line.

Chromium draws it when it can; otherwise matplotlib draws the same laid-out figure at the
same size and font sizes, so slide text reads as large either way (16 pt as projected)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.export.images import MSG_FORCED, MSG_KALEIDO_FAILED, MSG_NO_BROWSER, MSG_UNSUPPORTED
from dashboard.export.kaleido_worker import _discard_worker, _get_worker, _KaleidoBackingOff, find_browser
from dashboard.export.matplotlib_fallback import render_laid_out_with_matplotlib

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlideImage:
    """A slide chart's PNG, who drew it, the Bahasa note when matplotlib did, and its smallest
    text in image pixels (what the figure asked Chromium for, or what matplotlib drew)."""

    png: bytes
    renderer: str  # "kaleido" or "matplotlib"
    message: str | None
    width_px: int
    smallest_font_px: float


def _kaleido_png(fig: go.Figure, width: int, height: int) -> tuple[bytes | None, str]:
    """Chromium's PNG, or None and the reason in Bahasa."""
    browser = find_browser()
    if browser is None:
        return None, MSG_NO_BROWSER
    try:
        return _get_worker(browser).render(fig, "png", width, height), ""
    except _KaleidoBackingOff:
        return None, MSG_KALEIDO_FAILED
    except Exception:  # noqa: BLE001 - any browser failure falls back
        logger.warning("kaleido slide render failed", exc_info=True)
        _discard_worker()
        return None, MSG_KALEIDO_FAILED


def render_laid_out_figure(fig: go.Figure, smallest_font_px: float, *, force_matplotlib: bool = False) -> SlideImage:
    """PNG of exactly the figure's layout width x height; ``smallest_font_px`` is the smallest
    font the layout asks for (dashboard.rapat.projection.smallest_font)."""
    width, height = int(fig.layout.width), int(fig.layout.height)
    png, message = (None, MSG_FORCED) if force_matplotlib else _kaleido_png(fig, width, height)
    if png is not None:
        return SlideImage(png, "kaleido", None, width, smallest_font_px)
    png, drawn_px, unsupported = render_laid_out_with_matplotlib(fig)
    if unsupported:
        message = f"{message} {MSG_UNSUPPORTED.format(kinds=', '.join(unsupported))}"
    return SlideImage(png, "matplotlib", message, width, drawn_px)
