"""A link sent to a colleague on a LAN with login (`/kader?kecamatan=64.02.06`): the login form
shows at that address, with no English "Page not found", and the linked view opens once they
have signed in."""

from __future__ import annotations

import pytest

from dashboard.auth.login import hash_password
from tests.support.browser import DONE, PAGE_TIMEOUT_MS, launch_chromium
from tests.test_browser_offline import serve_app

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-uji-1"


@pytest.fixture(scope="module")
def login_server(warehouse_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("login")
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f'[auth]\nenabled = true\n\n[auth.users.pembina_tgr]\npassword_hash = "{hash_password(PASSWORD)}"\n'
        'role = "pembina"\nkecamatan = ["64.02.06"]\n',
        encoding="utf-8",
    )
    secrets.chmod(0o600)
    yield from serve_app(warehouse_path, tmp_path_factory, {"DASBOR_LOGIN_SECRETS_FILE": str(secrets)})


def test_a_deep_link_asks_to_sign_in_there_and_then_opens_the_view(login_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US").new_page()
            page.goto(f"{login_server}/kader?kecamatan=64.02.06")
            page.wait_for_selector("input[autocomplete=username]", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1000)
            text = page.locator('[data-testid="stApp"]').inner_text()
            assert "Page not found" not in text and "does not seem to exist" not in text
            page.fill("input[autocomplete=username]", "pembina_tgr")
            page.fill("input[type=password]", PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_selector('[data-testid="stMain"] h1:has-text("Kader")', timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
            assert "/kader" in page.url and "kecamatan=64.02.06" in page.url
        finally:
            browser.close()
