"""A deep link (/peta, /kader?periode=…) opened while the first build runs shows the Bahasa
progress screen and its page once the data is there. AppTest names pages by hash, for which
Streamlit never says "Page not found"; a browser names them by address, and
tests/test_browser_links.py checks there that no "Page not found" appears."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.first_build import FirstBuild
from tests.dashboard.test_first_build import SlowBuild

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def not_found(monkeypatch) -> list[str]:
    """Every "Page not found" Streamlit would send to the browser."""
    import streamlit.commands.navigation as navigation

    sent: list[str] = []
    original = navigation.send_page_not_found
    monkeypatch.setattr(navigation, "send_page_not_found", lambda ctx: (sent.append("page_not_found"), original(ctx)))
    return sent


@pytest.mark.parametrize("page", ["pages/peta.py", "pages/kader.py"])
def test_a_deep_link_during_the_first_build_shows_the_progress(
    page, warehouse_path, warehouse, tmp_path, monkeypatch, not_found
):
    import dashboard.bootstrap

    build = SlowBuild(result=warehouse_path)
    first = FirstBuild(build=build, exists=dashboard.bootstrap.warehouse_exists)
    monkeypatch.setattr(dashboard.bootstrap, "_first_build", lambda: first)
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.switch_page(page)  # before the first run: the page's address, as a link opened in a new tab
    months = [r[0] for r in warehouse.execute("select distinct month from fct_posyandu_month order by 1").fetchall()]
    linked = months[-2]  # not the default (latest) period: the link is followed
    at.query_params["periode"] = f"{linked:%Y-%m}"
    at.run()
    assert build.reported.wait(10)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not_found == [], "Streamlit's English 'Page not found' was sent"
    assert at.title[0].value == "Dasbor Posyandu Kukar"
    assert "pertama kali" in at.info[0].value
    assert len(at.sidebar) == 0 and not at.metric  # nothing but the progress

    build.release.set()
    first.join(10)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not_found == []
    assert at.title[0].value != "Dasbor Posyandu Kukar"  # the linked page
    assert at.selectbox(key="filter_month").value == linked
