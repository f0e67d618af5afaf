"""kaleido with the system's Chromium, kept running between exports.

A cold render costs 2-3 s, a warm one about 0.2 s. Nothing here downloads a browser; after a
failure exports go to matplotlib for a while instead of waiting on a start-up timeout each time.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading
import time
from typing import Any

import plotly.graph_objects as go

logger = logging.getLogger(__name__)


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


def _close_worker(failed_at: float | None) -> None:
    global _worker, _worker_failed_at
    with _worker_lock:
        if _worker is not None:
            _worker.close()
        _worker = None
        _worker_failed_at = failed_at


def _discard_worker() -> None:
    """Close a worker that failed; the next render waits out the back-off before a new one."""
    _close_worker(time.monotonic())


def shutdown_kaleido() -> None:
    """Close the warm Chromium, if one is running (also done at interpreter exit)."""
    _close_worker(None)


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
