"""Wide kecamatan tables at 1366×768 beside the sidebar (en-US browser): the Scorecard shows its
default indicators without sideways scrolling, the kecamatan pinned; tables elsewhere keep their
naming column pinned when they are wider than the screen."""

from __future__ import annotations

import pytest

from tests.test_browser_offline import CHROMIUM, CHROMIUM_ARGS, DONE, PAGE_TIMEOUT_MS, _open, server  # noqa: F401

pytestmark = pytest.mark.browser

GRID_WIDTHS = """(selector) => Array.from(document.querySelectorAll(selector)).map(grid => {
  const scroller = grid.querySelector('.dvn-scroller');
  return scroller ? {scroll: scroller.scrollWidth, client: scroller.clientWidth} : null;
}).filter(Boolean)"""


def test_the_scorecard_fits_a_1366_laptop_without_sideways_scrolling(server):  # noqa: F811 - fixture
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US").new_page()
            _open(page, f"{server}/scorecard")
            page.wait_for_selector('[data-testid="stDataFrame"] .dvn-scroller', timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(1000)
            assert page.locator('[data-testid="stSidebar"]').is_visible()  # beside the open sidebar
            widths = page.evaluate(GRID_WIDTHS, '[data-testid="stDataFrame"]')
            headers = page.locator('[data-testid="stDataFrame"] [role=columnheader]').all_inner_texts()
        finally:
            browser.close()
    scorecard = widths[0]
    assert scorecard["scroll"] <= scorecard["client"] + 2, widths  # no horizontal scroll bar
    shown = [h.strip() for h in headers]
    for wanted in ("Kecamatan", "Stunting (%)", "D/S (%)", "Kader hadir (%)", "Teregistrasi (%)"):
        assert wanted in shown, shown
