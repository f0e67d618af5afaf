"""pages/stunting.py runs inside the app and shows the routine prevalence a plain recount gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import format_month, format_percent
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def page(warehouse_path) -> AppTest:
    at = open_page("pages/stunting.py", timeout=60, check=False)
    return at


def _default_month(warehouse):
    """The sidebar's default period: the latest month of any monthly table."""
    return warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]


def _recount(warehouse, month, kode_kec: str | None = None) -> tuple[int, int]:
    """(stunted, children) from fct_measurement: latest record per child in the month, 0-59 months, plausible HAZ."""
    return warehouse.execute(
        """
        with ranked as (
            select
                haz,
                haz_flag,
                kode_kec,
                row_number() over (partition by child_key order by measured_on desc) as newest_first
            from fct_measurement
            where month = $month and age_days >= 0 and floor(age_days / (365.25 / 12)) <= 59
        )
        select count(*) filter (where haz < -2), count(*)
        from ranked
        where newest_first = 1 and haz_flag = 0 and ($kec is null or kode_kec = $kec)
        """,
        {"month": month, "kec": kode_kec},
    ).fetchone()


def _metric(at: AppTest, prefix: str):
    return next(m for m in at.metric if m.label.startswith(prefix))


def test_stunting_page_headline_equals_recount(page, warehouse):
    assert not page.exception, [e.value for e in page.exception]
    month = _default_month(warehouse)
    stunted, children = _recount(warehouse, month)
    headline = _metric(page, "Stunting — e-PPGBM")
    assert headline.label == f"Stunting — e-PPGBM, {format_month(month)}"
    assert headline.value == format_percent(stunted / children * 100)
    # the survey figure sits beside it, labelled as a survey, never mixed with the routine one
    survey = _metric(page, "Stunting — survei")
    source, value = warehouse.execute(
        """
        select source, value_pct from fct_official_stunting
        where kind = 'survei' and lower(area) = 'kutai kartanegara'
        order by year desc limit 1
        """
    ).fetchone()
    assert survey.label == f"Stunting — survei {source}"
    assert survey.value == format_percent(value)


def test_stunting_page_drills_down_to_posyandu(page, warehouse):
    month = _default_month(warehouse)
    kode_kec = warehouse.execute(
        "select kode_kec from fct_measurement where month = ? group by kode_kec order by count(*) desc limit 1", [month]
    ).fetchone()[0]
    page.sidebar.selectbox("filter_kecamatan").set_value(kode_kec).run()
    assert not page.exception, [e.value for e in page.exception]
    stunted, children = _recount(warehouse, month, kode_kec)
    assert _metric(page, "Stunting — e-PPGBM").value == format_percent(stunted / children * 100)

    desa_picker = page.selectbox(key="stunting_desa")
    kode_desa = warehouse.execute(
        "select kode_desa from fct_measurement where month = ? and kode_kec = ? group by 1 order by count(*) desc limit 1",
        [month, kode_kec],
    ).fetchone()[0]
    desa_picker.set_value(kode_desa).run()
    assert not page.exception, [e.value for e in page.exception]
    tables = [frame.value for frame in page.dataframe]
    posyandu = next(t for t in tables if "Posyandu" in t.columns)
    in_desa = warehouse.execute(
        """
        select n_haz from mart_stunting_by_area_month where area_level = 'desa' and area_code = ? and month = ?
        """,
        [kode_desa, month],
    ).fetchone()[0]
    assert posyandu["Balita diukur (TB/U sah)"].sum() == in_desa
    small = posyandu[posyandu["Balita diukur (TB/U sah)"] < 30]
    assert (small["Peringkat"] == "n < 30").all()


def test_stunting_page_without_boundaries_shows_points_and_says_why(warehouse_path, tmp_path, monkeypatch):
    import dashboard.maps.boundaries

    monkeypatch.setattr(dashboard.maps.boundaries, "default_search_dirs", lambda: [tmp_path])
    at = open_page("pages/stunting.py", timeout=60)
    assert any("Batas wilayah tidak ditemukan" in block.value for block in at.info)
