"""Ringkasan in a real browser at 1366×768 (en-US): the 10-second answer fits above the fold,
its numbers are Indonesian whatever the browser's language, nothing reads None/nan, and its
links to the Scorecard stay in the same tab (a projector or kiosk keeps its one window)."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import DONE, PAGE_TIMEOUT_MS, launch_chromium
from tests.test_browser_offline import server  # noqa: F401 - fixture

WIDTH, HEIGHT = 1366, 768


@pytest.fixture(scope="module")
def laptop_page(server):  # noqa: F811 - the imported fixture
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-US")
            page = context.new_page()
            page.goto(f"{server}/")
            page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector("text=Kecamatan yang perlu perhatian", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector('[data-testid="stPlotlyChart"] svg', timeout=PAGE_TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def _bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, f"cut at the side: {box}"
    return box["y"] + box["height"]


def test_the_ten_second_answer_is_above_the_fold(laptop_page):
    page = laptop_page
    assert page.evaluate("window.scrollY") == 0
    main = page.locator('[data-testid="stMain"]')
    metrics = main.locator('[data-testid="stMetric"]')
    assert metrics.count() >= 3
    for i in range(3):
        assert _bottom(metrics.nth(i)) <= HEIGHT
    assert _bottom(main.locator('[data-testid="stPlotlyChart"]').first) <= HEIGHT
    attention = main.locator('[data-testid="stPageLink"]')
    assert 3 <= attention.count() <= 5
    assert _bottom(attention.last) <= HEIGHT
    changes = main.locator("ul").first.locator("li")
    assert changes.count() >= 2
    assert _bottom(changes.last) <= HEIGHT
    assert page.get_by_text("Apa yang berubah sejak").first.is_visible()


def test_numbers_are_indonesian_and_nothing_reads_none(laptop_page):
    text = laptop_page.locator('[data-testid="stMain"]').inner_text()
    assert not re.search(r"\b(None|nan|NaN|NaT)\b", text)
    values = laptop_page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    percents = [v for v in values if v.endswith("%")]
    assert percents and all(re.fullmatch(r"\d{1,3},\d%", v) for v in percents), values
    assert not re.search(r"\d\.\d%", text)  # an English decimal point in a percentage
    assert re.search(r"\d{1,3}\.\d{3} balita diukur", text)  # thousands with a dot


def _internal(href: str, base: str) -> bool:
    return not href.startswith(("http://", "https://")) or href.startswith(base)


def test_links_to_other_pages_stay_in_the_same_tab_and_session(laptop_page, server):  # noqa: F811 - fixture
    page = laptop_page  # runs last in this module: it leaves Ringkasan
    anchors = page.locator('[data-testid="stMain"] a[href]')
    new_tab = [
        anchors.nth(i).get_attribute("href")
        for i in range(anchors.count())
        if anchors.nth(i).get_attribute("target") == "_blank"
        and _internal(anchors.nth(i).get_attribute("href"), server)
    ]
    assert not new_tab, f"internal links opening a new tab: {new_tab}"
    first = page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a').first
    name = re.search(r"\d+\. (.+?) —", first.inner_text())[1]
    first.click()
    page.wait_for_url(re.compile(r"/scorecard\?.*kecamatan=64\.02\.\d\d"), timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
    assert len(page.context.pages) == 1  # no new tab or window
    assert "Scorecard" in page.locator('[data-testid="stMain"] h1').first.inner_text()
    # the linked kecamatan is the one chosen: the Scorecard's note names it
    page.locator('[data-testid="stMain"]').get_by_text(f"Kecamatan {name} ·").first.wait_for(timeout=PAGE_TIMEOUT_MS)
