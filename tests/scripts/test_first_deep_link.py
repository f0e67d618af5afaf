"""A first deep link to a fresh server, in a real browser: what a user sees after `make run`.

The server is started with the launcher's own `run` command (the one `rapat`, each `serve`
process and the Windows launcher use too), not warmed; the browser's first request is
/paket-rapat, in en-US headless system Chromium. Streamlit's English "Page not found" dialog
must not appear over the page. The same first request to a plain `streamlit run app.py`
shows it, so the check can fail.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from scripts.launcher import main as launcher
from tests.support.browser import DONE, REPO, free_port, launch_chromium, require_chromium, running_server

pytestmark = pytest.mark.browser
DEEP_LINK = "paket-rapat"  # its file is pages/paket_rapat.py: the old pages/-folder mode cannot find it
TITLE = "Paket Rapat Koordinasi"


def _server_command(launched_by: str, port: int) -> list[str]:
    address = ["--server.address", "127.0.0.1", "--server.port", str(port)]
    if launched_by == "launcher":
        (step,) = launcher.COMMANDS["run"].steps(sys.executable, address)
        return step
    return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", *address]


def _first_view(launched_by: str, warehouse_path: Path, folder: Path) -> tuple[str, int, bytes]:
    """(page text, dialogs shown, screenshot) of the first request a fresh server gets."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {
        **os.environ,
        "DASBOR_WAREHOUSE": str(warehouse_path),
        "DASBOR_LOGIN_SECRETS_FILE": str(folder / "no-secrets.toml"),  # login off
        "PYTHONPATH": str(REPO),
    }
    log_path = folder / f"{launched_by.replace(' ', '-')}.log"
    with running_server(_server_command(launched_by, port), port, env, log_path, start_s=180) as base:
        with sync_playwright() as p:
            browser = launch_chromium(p, lang="en-US")
            try:
                page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US").new_page()
                page.goto(f"{base}/{DEEP_LINK}")
                page.wait_for_selector(f'{DONE} [data-testid="stMain"] h1', timeout=180_000)
                time.sleep(2)  # the dialog would come with the first navigation message, before this
                return page.locator("body").inner_text(), page.get_by_role("dialog").count(), page.screenshot()
            finally:
                browser.close()


@pytest.mark.parametrize("launched_by", ["launcher", "plain streamlit"])
def test_the_first_deep_link_after_a_start_shows_no_english_page_not_found(launched_by, warehouse_path, tmp_path):
    require_chromium()
    text, dialogs, screenshot = _first_view(launched_by, warehouse_path, tmp_path)
    if shots := os.environ.get("DASBOR_SCREENSHOT_DIR"):
        Path(shots, f"first-deep-link-{launched_by.replace(' ', '-')}.png").write_bytes(screenshot)
    assert TITLE in text  # the right page either way: app.py's navigation finds it
    if launched_by == "launcher":
        assert "not found" not in text.lower() and dialogs == 0, text[:500]
    else:
        assert "Page not found" in text and dialogs == 1
