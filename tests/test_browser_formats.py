"""Tables read in Indonesian in an English (en-US) browser: the text Chromium actually draws
into the data grids (every canvas fillText call is recorded) holds "16,8" and "1.008",
never "16.8" or "1,008", and no "None"."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import DONE, launch_chromium
from tests.test_browser_offline import server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

RECORD_DRAWN_TEXT = """(() => {
  const drawn = new Set(); window.__drawnText = drawn;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    drawn.add(String(text)); return fillText.call(this, text, ...rest);
  };
})()"""
ENGLISH_DECIMAL = re.compile(r"^-?\d+\.(\d{1,2}|\d{4,})%?$")  # 16.8, 16.8% ("2.311" is Indonesian 2311)
ENGLISH_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?%?$")  # 1,008
INDONESIAN_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+%?$")  # 16,8  1.234,5
INDONESIAN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.008
# Pages with large tables of counts, percentages and decimals.
PAGES = ("prioritas", "kader", "pendampingan", "transformasi", "stunting", "puskesmas")


def _drawn_cells(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_selector(DONE, timeout=120_000)
    grids = page.locator('[data-testid="stDataFrame"]')
    for i in range(grids.count()):
        if grids.nth(i).is_visible():  # a grid in a closed expander is not drawn
            grids.nth(i).scroll_into_view_if_needed(timeout=10_000)
            page.wait_for_timeout(300)
    page.wait_for_timeout(500)
    return page.evaluate("Array.from(window.__drawnText)")


def test_tables_read_indonesian_in_an_english_browser(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
            context.add_init_script(RECORD_DRAWN_TEXT)
            page = context.new_page()
            assert page.evaluate("navigator.language") == "en-US"
            seen: dict[str, list[str]] = {}
            for path in PAGES:
                seen[path] = _drawn_cells(page, f"{server}/{path}")
        finally:
            browser.close()
    drawn = [text.strip() for texts in seen.values() for text in texts]
    assert sum(bool(INDONESIAN_DECIMAL.match(t)) for t in drawn) >= 20, seen
    assert any(INDONESIAN_THOUSANDS.match(t) for t in drawn), seen  # e.g. "2.311" children
    english = [t for t in drawn if ENGLISH_DECIMAL.match(t) or ENGLISH_THOUSANDS.match(t)]
    assert not english, english
    assert "None" not in drawn and "NaN" not in drawn and "NaT" not in drawn
