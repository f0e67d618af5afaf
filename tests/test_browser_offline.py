"""The whole app in a real browser with no internet: every page runs, the map draws, data
pages offer downloads, the rapat pack builds and downloads.

`streamlit run app.py` serves the session warehouse; headless system Chromium (driven by
playwright, never a downloaded browser) blocks every request that is not loopback, data:,
blob: or about:, and the test records what was blocked. One screenshot per page goes to a
temporary folder (or to $DASBOR_SCREENSHOT_DIR), printed at the end.
"""

from __future__ import annotations

import ast
import os
import re
import time
from pathlib import Path

import pytest

from tests.support.browser import (
    DONE,
    PAGE_TIMEOUT_MS,
    REPO,
    free_port,
    launch_chromium,
    require_chromium,
    running_server,
    streamlit_command,
)

pytestmark = pytest.mark.browser

LOOPBACK = (
    "http://localhost",
    "http://127.0.0.1",
    "ws://localhost",
    "ws://127.0.0.1",
    "data:",
    "blob:",
    "about:",
)
DOWNLOAD_TEXT = re.compile(r"Unduh|Excel|CSV")
# Pages that are not data pages, or whose download only appears after an action.
NO_DOWNLOAD_EXPECTED = {
    "": "Ringkasan (the default page): headline metrics only; the figures are downloadable on their own pages",
    "perbarui-data": "uploads and rebuilds data; nothing to download",
    "paket-rapat": "downloads appear after the pack is built (checked below)",
    "presentasi": "opens with the previous rapat's follow-up in words; its chart screens offer downloads (tests/test_page_presentasi.py)",
    "tindak-lanjut": "the Excel download lists recommendations; the test store has none",
    "profil": "with no desa or posyandu in the address it shows only the search (profiles: tests/test_browser_links.py)",
}
MAP_PAGE = "peta"
PACK_PAGE = "paket-rapat"


def navigation_url_paths() -> list[str]:
    """URL path of every st.Page listed in app.py, in order; "" for the default page
    (Streamlit serves it at the root, its url_path is not a route)."""
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    paths = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            keywords = {k.arg: k.value for k in node.keywords}
            default = isinstance(keywords.get("default"), ast.Constant) and keywords["default"].value is True
            url_path = keywords.get("url_path")
            if default:
                paths.append("")
            elif isinstance(url_path, ast.Constant):
                paths.append(url_path.value)
    return sorted(set(paths), key=paths.index)


@pytest.fixture(scope="module")
def server(warehouse_path, tmp_path_factory):
    yield from serve_app(warehouse_path, tmp_path_factory)


def serve_app(warehouse_path, tmp_path_factory, extra_env: dict[str, str] | None = None):
    """`streamlit run app.py` on a free loopback port until the generator is closed; yields its base URL."""
    require_chromium()
    port = free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "DASBOR_WAREHOUSE": str(warehouse_path), "PYTHONPATH": str(REPO), **(extra_env or {})}
    with running_server(streamlit_command(port), port, env, log_path) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def route(route_) -> None:
        url = route_.request.url
        if url.startswith(LOOPBACK):
            route_.continue_()
        else:
            blocked.append(url)
            route_.abort()

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
            context.route("**/*", route)
            page = context.new_page()
            yield page, blocked
        finally:
            browser.close()


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory) -> Path:
    chosen = os.environ.get("DASBOR_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(page, url: str) -> None:
    page.goto(url)
    # A deep link may rerun once through app.py (dashboard.ui.page.leave_legacy_pages_mode):
    # wait for the page's own title before trusting "notRunning".
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stMain"] h1', state="attached", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)


def _count_within(locator, seconds: float = 15) -> int:
    """How many elements match once some do, waiting up to ``seconds``: "notRunning" comes
    before the browser has drawn everything (a large styled table takes a moment)."""
    deadline = time.monotonic() + seconds
    while True:
        count = locator.count()
        if count or time.monotonic() > deadline:
            return count
        time.sleep(0.25)


def _exceptions(page) -> list[str]:
    return [text[:500] for text in page.locator('[data-testid="stException"]').all_inner_texts()]


def _leaflet_drawn(page, timeout_s: float = 45) -> tuple[int, int]:
    """(containers, shapes) found inside the streamlit-folium iframe."""
    deadline = time.monotonic() + timeout_s
    found = (0, 0)
    while time.monotonic() < deadline:
        iframes = page.locator("iframe")
        if iframes.count():  # component iframes may wait until they are on screen
            try:
                iframes.first.scroll_into_view_if_needed(timeout=2_000)
            except Exception:  # noqa: BLE001 - re-rendered while scrolling; try again
                pass
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                containers = frame.locator(".leaflet-container").count()
                shapes = frame.locator(
                    "path.leaflet-interactive, .leaflet-marker-icon, circle.leaflet-interactive"
                ).count()
            except Exception:  # noqa: BLE001 - a frame may detach while the map re-renders
                continue
            found = max(found, (containers, shapes))
            if containers and shapes:
                return found
        page.wait_for_timeout(500)  # unlike time.sleep, lets the browser keep running
    return found


def test_every_page_runs_offline(server, browser_page, screenshot_dir):
    page, blocked = browser_page
    paths = navigation_url_paths()
    assert {"", "presentasi", "paket-rapat", MAP_PAGE} <= set(paths), paths
    problems: list[str] = []
    timings: dict[str, float] = {}
    for path in paths:
        started = time.monotonic()
        _open(page, f"{server}/{path}")
        if path == MAP_PAGE:
            containers, shapes = _leaflet_drawn(page)
            if not containers or not shapes:
                problems.append(f"{path}: Leaflet did not draw (containers={containers}, shapes={shapes})")
        errors = _exceptions(page)
        if errors:
            problems.append(f"{path}: exception(s) {errors}")
        if page.get_by_text("Page not found").count():
            problems.append(f"{path}: Streamlit says the page was not found")
        if path not in NO_DOWNLOAD_EXPECTED and not _count_within(
            page.locator("button").filter(has_text=DOWNLOAD_TEXT)
        ):
            problems.append(f"{path}: no download button (Unduh / Excel / CSV)")
        timings[path] = time.monotonic() - started
        page.screenshot(path=str(screenshot_dir / f"{path or 'home'}.png"), full_page=True)
    print(f"\nscreenshots: {screenshot_dir}\nseconds per page: {timings}\nblocked requests: {sorted(set(blocked))}")
    unexpected = sorted(set(blocked))  # nothing may need the internet, not even the favicon
    if unexpected:
        problems.append(f"requests to the internet (blocked): {unexpected}")
    assert not problems, "\n".join(problems)


def test_rapat_pack_builds_and_downloads_in_the_browser(server, browser_page, screenshot_dir, tmp_path):
    page, blocked = browser_page
    _open(page, f"{server}/{PACK_PAGE}")
    started = time.monotonic()
    page.get_by_role("button", name="Buat paket rapat").click()
    pptx_button = page.locator("button").filter(has_text="Unduh PowerPoint")
    pptx_button.wait_for(timeout=180_000)
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
    seconds = time.monotonic() - started
    assert not _exceptions(page)
    assert page.locator("button").filter(has_text="Unduh PDF").count() == 1
    summary = page.locator('[data-testid="stAlertContentSuccess"]').inner_text()
    assert "Paket siap" in summary
    page.screenshot(path=str(screenshot_dir / f"{PACK_PAGE}-built.png"), full_page=True)
    with page.expect_download(timeout=60_000) as download_info:
        pptx_button.click()
    saved = tmp_path / "paket.pptx"
    download_info.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a zip container, as .pptx files are
    print(f"\npack built in the browser in {seconds:.1f} s: {summary}")


def test_presentation_mode_from_the_url_hides_clutter(server, browser_page, screenshot_dir):
    page, _ = browser_page
    _open(page, f"{server}/presentasi?presentasi=1&layar=4")  # 1-2 open the rapat, 3 is the headline
    assert not _exceptions(page)
    assert _count_within(page.locator('[data-testid="stPlotlyChart"]'))  # the screen has drawn
    assert page.locator("button").filter(has_text=DOWNLOAD_TEXT).count() == 0
    page.wait_for_function(  # the injected CSS hides the app menu
        """() => { const menu = document.querySelector('[data-testid="stMainMenu"]');
                   return !menu || getComputedStyle(menu).display === 'none'; }""",
        timeout=PAGE_TIMEOUT_MS,
    )
    assert "presentasi=1" in page.url and "layar=4" in page.url
    heading = page.locator('[data-testid="stMain"] h2').first.inner_text()
    assert heading.startswith("Kecamatan ")
    page.screenshot(path=str(screenshot_dir / "presentasi-mode.png"), full_page=True)
    page.get_by_role("button", name="Berikutnya ▶").click()
    page.wait_for_function("() => window.location.search.includes('layar=5')", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
    assert "Layar 5 dari" in page.locator('[data-testid="stMain"]').inner_text()
    # Stepping must leave the shared filters as they were ("Semua kecamatan", not an empty box).
    kecamatan = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1)
    assert kecamatan.locator("input").input_value() == "Semua kecamatan"


UPLOADER_TEXT = """() => {
  const drawn = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const after = getComputedStyle(element, "::after").content;
    return {own: getComputedStyle(element).fontSize, after: after.replace(/^"|"$/g, "")};
  };
  return {
    button: drawn('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'),
    limit: drawn('[data-testid="stFileUploaderDropzoneInstructions"] span'),
  };
}"""


def test_the_file_uploader_reads_bahasa_in_an_english_browser(server, browser_page):
    """Perbarui Data's uploader: Streamlit writes "Upload" and "200MB per file" whatever the
    language; what the browser draws is "Pilih file" and "Paling besar 200 MB per file"."""
    page, _ = browser_page
    _open(page, f"{server}/perbarui-data")
    page.wait_for_selector('[data-testid="stFileUploaderDropzone"]', timeout=PAGE_TIMEOUT_MS)
    drawn = page.evaluate(UPLOADER_TEXT)
    assert drawn["button"] == {"own": "0px", "after": "Pilih file"}, drawn
    assert drawn["limit"]["own"] == "0px", drawn
    assert drawn["limit"]["after"] == "Paling besar 200 MB per file • CSV, XLSX, XLS", drawn


def test_table_and_chart_controls_read_bahasa_in_an_english_browser(server, browser_page):
    """Streamlit's table toolbar and plotly's mode bar write English whatever the language: the
    table's own CSV download and column picker are hidden (the page's Excel/CSV and "Tampilkan
    semua kolom" do those jobs), the other tooltips and mode-bar titles read Bahasa."""
    from dashboard.ui.frame import BAHASA

    page, _ = browser_page
    _open(page, f"{server}/kader?presentasi=0")  # an earlier test left the session in presentation mode
    table = page.locator('[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])').first
    table.scroll_into_view_if_needed(timeout=PAGE_TIMEOUT_MS)
    table.locator('[data-testid="stDataFrame"]').hover()
    toolbar = table.locator('[data-testid="stElementToolbar"]')
    toolbar.wait_for(timeout=PAGE_TIMEOUT_MS)
    shown = [b.get_attribute("aria-label") for b in toolbar.locator("button").all() if b.is_visible()]
    assert shown and not {"Download as CSV", "Show/hide columns"} & set(shown), shown
    # A tooltip as Streamlit mounts one on hover (a real hover is timing-dependent under load).
    page.evaluate(
        """() => { const tip = document.createElement("div"); tip.id = "english-tooltip";
                   tip.setAttribute("data-testid", "stTooltipContent"); tip.innerHTML = "<p>Search</p>";
                   document.body.appendChild(tip); }"""
    )
    page.wait_for_function(
        "text => document.querySelector('#english-tooltip p').textContent === text",
        arg=BAHASA["Search"],
        timeout=PAGE_TIMEOUT_MS,
    )
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed(timeout=PAGE_TIMEOUT_MS)
    chart.hover()
    titles = page.evaluate("() => Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.dataset.title)")
    assert titles and not set(titles) & set(BAHASA), titles  # every title has been put in Bahasa
