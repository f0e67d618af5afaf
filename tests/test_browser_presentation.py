"""Presentasi Rapat on a 1280x720 projector in a real browser (system Chromium, en-US):
the sidebar collapses, the chart ends inside the screen, and the presenter clicker's
PageDown/PageUp and the arrow keys step the screens. Ringkasan in presentation mode at
1280x720 and 1920x1080: the sidebar collapses and no metric text ends in "…"."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import DONE, PAGE_TIMEOUT_MS, launch_chromium
from tests.test_browser_offline import server  # noqa: F401

pytestmark = pytest.mark.browser

COUNTER = re.compile(r"Layar (\d+) dari (\d+)")


def _screen_number(page) -> int:
    text = page.locator('[data-testid="stMarkdownContainer"]', has_text="Layar ").first.inner_text()
    return int(COUNTER.search(text).group(1))


def _wait_for_screen(page, number: int) -> None:
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMarkdownContainer]')]"
        ".some(e => e.innerText.startsWith('Layar ' + n + ' dari'))",
        arg=number,
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser(server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def browser_page(browser, server):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="en-US")
    page.goto(f"{server}/presentasi?presentasi=1&layar=3", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
    _wait_for_screen(page, 3)
    yield page
    page.close()


def test_sidebar_collapses_and_the_chart_ends_inside_1280x720(browser_page):
    page = browser_page
    page.wait_for_selector(
        '[data-testid="stSidebar"][data-collapsed="true"]', state="attached", timeout=PAGE_TIMEOUT_MS
    )
    # the presenter script sizes the chart once the sidebar is out of the way
    page.wait_for_function(
        "() => { const g = document.querySelector('.st-key-presentasi_chart .js-plotly-plot');"
        " return g && g.getBoundingClientRect().height > 100 && g.getBoundingClientRect().bottom <= window.innerHeight; }",
        timeout=PAGE_TIMEOUT_MS,
    )
    headline = page.locator('[data-testid="stHeading"]').first.bounding_box()
    metrics = page.locator('[data-testid="stMetric"]')
    assert metrics.count() == 4
    chart = page.locator(".st-key-presentasi_chart .js-plotly-plot").first.bounding_box()
    assert headline["y"] >= 0
    assert max(metrics.nth(i).bounding_box()["y"] + metrics.nth(i).bounding_box()["height"] for i in range(4)) <= 720
    assert chart["y"] + chart["height"] <= 720, chart
    for button in ("rapat_previous", "rapat_next"):  # whole labels, not "Sebelu…"
        label = page.locator(f".st-key-{button} button p").first
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), button
    for i in range(4):  # metric labels not cut
        label = metrics.nth(i).locator('[data-testid="stMetricLabel"] p').first
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


def test_clicker_and_arrow_keys_step_the_screens(browser_page):
    page = browser_page
    start = _screen_number(page)
    page.keyboard.press("PageDown")
    _wait_for_screen(page, start + 1)
    page.keyboard.press("PageUp")
    _wait_for_screen(page, start)
    page.keyboard.press("ArrowRight")
    _wait_for_screen(page, start + 1)
    page.keyboard.press("ArrowLeft")
    _wait_for_screen(page, start)
    assert _screen_number(page) == start


# Any box inside a metric whose text overflows it: Streamlit cuts such text with "…" (the label,
# the value, the delta, the note beside the delta), or it runs off the screen.
CUT_METRIC_TEXT = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"] *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.innerText)"""


PAGES_WITH_METRICS = ("stunting", "kader", "transformasi", "puskesmas")  # other screens with figures


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080)])
def test_ringkasan_in_presentation_mode_cuts_no_metric_text(browser, server, width, height):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": height}, locale="en-US")
    try:
        page.goto(f"{server}/?presentasi=1", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stMetricDeltaDescription"]', timeout=PAGE_TIMEOUT_MS)
        page.wait_for_timeout(1500)  # the sidebar may still be open: text must not be cut either way
        metrics = page.locator('[data-testid="stMain"] [data-testid="stMetric"]')
        assert metrics.count() >= 3
        assert page.locator('[data-testid="stMetricDeltaDescription"]').first.inner_text().startswith("dari ")
        assert page.evaluate(CUT_METRIC_TEXT) == [], f"cut at {width}x{height}"
        page.wait_for_selector(
            '[data-testid="stSidebar"][data-collapsed="true"]', state="attached", timeout=PAGE_TIMEOUT_MS
        )
        page.wait_for_timeout(500)
        assert page.evaluate(CUT_METRIC_TEXT) == [], f"cut at {width}x{height} with the sidebar closed"
        for path in PAGES_WITH_METRICS if width == 1280 else ():  # the narrower screen cuts first
            page.goto(f"{server}/{path}?presentasi=1", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(
                '[data-testid="stMain"] [data-testid="stMetric"]', state="attached", timeout=PAGE_TIMEOUT_MS
            )
            page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
            assert page.evaluate(CUT_METRIC_TEXT) == [], f"/{path} cut at {width}x{height}"
    finally:
        page.close()


SPARKLINE = """() => {
  const box = document.querySelector('.st-key-ringkasan-stunting-sparkline .main-svg');
  const ticks = [...document.querySelectorAll('.st-key-ringkasan-stunting-sparkline .xtick text')];
  const frame = box.getBoundingClientRect();
  return {
    height: frame.height,
    tickPx: ticks.map(t => parseFloat(getComputedStyle(t).fontSize)),
    tickInside: ticks.map(t => { const r = t.getBoundingClientRect(); return r.left >= frame.left - 1 && r.right <= frame.right + 1; }),
  };
}"""


@pytest.mark.parametrize("mode,min_height,min_tick_px", [("?presentasi=1", 180, 18), ("", 90, 10)])
def test_the_ringkasan_sparkline_reads_from_across_the_room(browser, server, mode, min_height, min_tick_px):  # noqa: F811
    """On the projector the stunting sparkline is drawn tall with large ticks (both month ticks
    inside the chart); on a laptop it stays the small line above the fold."""
    page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        page.goto(f"{server}/{mode}", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(".st-key-ringkasan-stunting-sparkline .xtick text", timeout=PAGE_TIMEOUT_MS)
        found = page.evaluate(SPARKLINE)
    finally:
        page.close()
    assert found["height"] >= min_height, found
    assert len(found["tickPx"]) == 2 and min(found["tickPx"]) >= min_tick_px, found
    assert all(found["tickInside"]), found
    if mode:
        assert found["height"] < 300, found  # still one row of the Ringkasan, not a page of its own
