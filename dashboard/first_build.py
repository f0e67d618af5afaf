"""The first warehouse build, run once per server process in a background thread.

The page only reads its status (dashboard/bootstrap.py polls it), so the browser shows
progress without a script held running for a minute: no Stop button, and every tab that
opens meanwhile watches the same build instead of starting its own. No Streamlit here.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from etl.build import Progress, build_warehouse
from etl.config import EtlConfig
from etl.load import BuildInProgress, BuildLock

State = Literal["idle", "running", "waiting", "done", "failed"]
WAIT_POLL_S = 2.0
WAIT_LIMIT_S = 900  # a session waiting for another process's build gives up after this


def wait_for_other_build(
    db_path: Path,
    exists: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
    limit_s: float = WAIT_LIMIT_S,
    poll_s: float = WAIT_POLL_S,
) -> bool:
    """True when the warehouse appeared; False when the other build ended without one (its
    lock is free) or `limit_s` passed."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if exists():
            return True
        try:
            with BuildLock(db_path):
                return exists()  # the lock is free: the other build has ended
        except BuildInProgress:
            sleep(poll_s)
    return exists()


@dataclass(frozen=True)
class BuildStatus:
    state: State = "idle"
    message: str = "Memulai..."
    fraction: float = 0.0


class FirstBuild:
    """Starts the build at most once at a time and records its progress."""

    def __init__(
        self,
        build: Callable[[EtlConfig, Progress], object] = build_warehouse,
        exists: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._build, self._exists, self._sleep = build, exists, sleep
        self._lock = threading.Lock()
        self._status = BuildStatus()
        self._thread: threading.Thread | None = None

    def status(self) -> BuildStatus:
        with self._lock:
            return self._status

    def start(self, config: EtlConfig) -> None:
        """Start the build unless one runs or has finished; a failed one is tried again."""
        with self._lock:
            if self._status.state in ("running", "waiting", "done"):
                return
            self._status = BuildStatus("running")
            self._thread = threading.Thread(target=self._run, args=(config,), name="first-build", daemon=True)
            self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _update(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)

    def _progress(self, message: str, fraction: float) -> None:
        self._update(message=message, fraction=max(0.0, min(1.0, fraction)))

    def _run(self, config: EtlConfig) -> None:
        try:
            self._build(config, self._progress)
        except BuildInProgress:
            # Another process (the command line, another server) is building the same file.
            self._update(state="waiting", message="Data sedang disiapkan oleh proses lain; menunggu...")
            if not wait_for_other_build(config.db_path, self._exists, self._sleep):
                self._update(state="failed")  # that build ended without a warehouse, or took too long
                return
        except Exception:  # noqa: BLE001 - any failure is shown as one Bahasa line, details to the log
            traceback.print_exc()
            self._update(state="failed")
            return
        self._update(state="done", message="Selesai", fraction=1.0)
