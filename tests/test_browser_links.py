"""Links in a real browser (system Chromium, en-US): a URL with filters opens the filtered
view, a profile URL opens the profile, the search opens a profile and puts it in the URL."""

from __future__ import annotations

import os
import re
import time
from urllib.parse import parse_qs, quote, urlparse

import duckdb
import pytest

from dashboard.formatting import format_month
from tests.support.browser import REPO, free_port, launch_chromium, require_chromium, running_server, streamlit_command
from tests.test_browser_offline import _open, server  # noqa: F401 - server is a fixture

pytestmark = pytest.mark.browser
SCOPE = "64.02.06"


@pytest.fixture(scope="module")
def page(server):  # noqa: F811 - the fixture imported above
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
            yield context.new_page()
        finally:
            browser.close()


@pytest.fixture(scope="module")
def facts(warehouse_path) -> dict:
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        months = [r[0] for r in con.execute("select distinct month from fct_posyandu_month order by 1").fetchall()]
        kecamatan = con.execute("select nama_kec from dim_kecamatan where kode_kec = ?", [SCOPE]).fetchone()[0]
        puskesmas = con.execute(
            "select puskesmas from dim_posyandu where kode_kec = ? group by 1 order by count(*) desc, 1 limit 1",
            [SCOPE],
        ).fetchone()[0]
        desa, nama_desa = con.execute(
            """
            select d.kode_desa, d.nama_desa from dim_desa as d join dim_posyandu as p using (kode_desa)
            where d.kode_kec = ? group by all order by count(*) desc, 1 limit 1
            """,
            [SCOPE],
        ).fetchone()
    finally:
        con.close()
    return {"month": months[-2], "kecamatan": kecamatan, "puskesmas": puskesmas, "desa": desa, "nama_desa": nama_desa}


def _sidebar_value(page, label: str) -> str:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label)
    return box.locator("input").input_value() or box.inner_text()


def test_a_url_with_filters_opens_the_filtered_view(server, page, facts):  # noqa: F811
    month = facts["month"]
    query = f"periode={month:%Y-%m}&kecamatan={SCOPE}&puskesmas={quote(facts['puskesmas'])}"
    _open(page, f"{server}/kader?{query}")
    assert format_month(month) in _sidebar_value(page, "Periode")
    assert facts["kecamatan"] in _sidebar_value(page, "Kecamatan")
    assert facts["puskesmas"] in _sidebar_value(page, "Puskesmas")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert f"Kecamatan {facts['kecamatan']}" in main
    assert not page.locator('[data-testid="stException"]').count()
    params = parse_qs(urlparse(page.url).query)
    assert params["periode"] == [f"{month:%Y-%m}"] and params["kecamatan"] == [SCOPE]


def test_a_tampered_url_gives_a_note_not_a_crash(server, page):  # noqa: F811
    _open(page, f"{server}/kader?periode=20x5&kecamatan=%3Cscript%3E")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "periode terbaru" in main and "tidak dikenal" in main
    assert not page.locator('[data-testid="stException"]').count()


def test_a_profile_url_and_the_search(server, page, facts):  # noqa: F811
    _open(page, f"{server}/profil?desa={facts['desa']}")
    assert facts["nama_desa"] in page.locator('[data-testid="stMain"] h1').inner_text()
    assert page.get_by_role("tab", name="Stunting").count() == 1
    _open(page, f"{server}/")
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Cari desa")
    box.locator("input").click()
    box.locator("input").fill(facts["nama_desa"])
    page.get_by_role("option", name=re.compile(re.escape(facts["nama_desa"]))).first.click()
    page.wait_for_url(re.compile(r"/profil\?"), timeout=60_000)
    _open(page, page.url)
    assert facts["nama_desa"] in page.locator('[data-testid="stMain"] h1').inner_text()


@pytest.fixture(scope="module")
def building_server(tmp_path_factory):
    """A fresh server (no warehouse yet) whose first build waits: the progress screen stays up."""
    require_chromium()
    folder = tmp_path_factory.mktemp("fresh")
    port = free_port()
    hook = REPO / "tests" / "support" / "slow_first_build"
    env = {
        **os.environ,
        "DASBOR_WAREHOUSE": str(folder / "warehouse.duckdb"),
        "DASBOR_TEST_SLOW_FIRST_BUILD": "300",
        "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)]),
    }
    with running_server(streamlit_command(port), port, env, folder / "server.log") as base:
        yield base


@pytest.mark.parametrize("address", ["peta", "profil?desa=64.02.06.1013&periode=2025-10", "kader?kecamatan=64.02.06"])
def test_a_deep_link_during_the_first_build_shows_the_progress(building_server, page, address):
    page.goto(f"{building_server}/{address}")
    page.wait_for_selector("text=pertama kali", timeout=60_000)
    time.sleep(2)  # a "Page not found" dialog would come with the navigation message
    text = page.locator("body").inner_text()
    assert "Dasbor Posyandu Kukar" in text and "Membaca Master posyandu" in text
    assert "Page not found" not in text and not page.get_by_role("dialog").count()
    assert urlparse(page.url).path == "/" + address.split("?")[0]  # the link is kept for when the data is ready
