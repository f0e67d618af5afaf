"""The browser tests' headless system Chromium (driven by playwright, never a downloaded browser)
and the Streamlit server it opens: started, healthy, stopped, in one place."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A page has finished running when the app says so.
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGE_TIMEOUT_MS = 90_000


def require_chromium() -> None:
    """Skip (the only reason a browser test skips) when the system Chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: the browser test needs the system Chromium")


def launch_chromium(playwright, lang: str | None = None):
    """The system Chromium, headless; ``lang`` ("en-US") sets the browser's own language too, not
    only the pages' (a context's locale)."""
    require_chromium()
    extra = [f"--lang={lang}"] if lang else []
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(port: int) -> list[str]:
    """A plain `streamlit run app.py` on a loopback port (no launcher), with full error details."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "full",
    ]


@contextmanager
def running_server(
    command: Sequence[str], port: int, env: Mapping[str, str], log_path: Path, start_s: float = 90
) -> Iterator[str]:
    """Run ``command`` (a server on ``port``) from the repository until the block ends; yields its
    base URL once /_stcore/health answers. /_stcore/health opens no session, so the first page a
    test opens is the server's first request. Fails with the server's log if it exits or stays
    unhealthy for ``start_s`` seconds."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(list(command), cwd=REPO, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_s
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server was not healthy after {start_s} s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
