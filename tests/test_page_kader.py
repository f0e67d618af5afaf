"""pages/kader.py runs inside the app and shows the monthly report's participation."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import format_number, format_percent
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def page(warehouse_path) -> AppTest:
    at = open_page("pages/kader.py", run_app_first=False, timeout=60, check=False)
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _default_month(warehouse):
    return warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]


def test_kader_page_runs_and_shows_participation(page, warehouse):
    assert not page.exception, [e.value for e in page.exception]
    month = _default_month(warehouse)
    present, registered = warehouse.execute(
        """
        select sum(kader_present), sum(kader_registered)
        from fct_posyandu_month
        where month = ? and kader_present is not null and kader_registered is not null
        """,
        [month],
    ).fetchone()
    assert _metric(page, "Partisipasi kader (definisi 1)") == format_percent(present / registered * 100)


def test_kader_page_counts_posyandu_below_norm(page, warehouse):
    month = _default_month(warehouse)
    below = warehouse.execute(
        """
        select count(*)
        from dim_posyandu as p
        where (
            select count(*)
            from dim_kader as k
            where k.posyandu_id = p.posyandu_id
                and (k.active_from is null or k.active_from <= last_day(?))
                and (k.active_to is null or k.active_to >= ?)
        ) < 15
        """,
        [month, month],
    ).fetchone()[0]
    assert _metric(page, "Posyandu < 15 kader aktif") == format_number(below)
    assert any("Definisi 1" in block.value and "Definisi 2" in block.value for block in page.info)


def test_kader_page_names_the_missing_registers(sample_dir, tmp_path_factory, monkeypatch):
    from tests.support.partial_warehouse import build_partial_warehouse

    partial = build_partial_warehouse(
        sample_dir, tmp_path_factory.getbasetemp() / "partial_warehouse", ("posyandu", "laporan_bulanan")
    )
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(partial))
    at = open_page("pages/kader.py", run_app_first=False, timeout=60)
    warnings = " ".join(w.value for w in at.warning)
    assert "register kader belum dimuat" in warnings
    assert [m.label for m in at.metric] == ["Partisipasi kader (definisi 1)"]


def test_kader_page_for_one_kecamatan_shows_desa_rows(page, warehouse):
    kode_kec = warehouse.execute(
        "select kode_kec from dim_posyandu group by kode_kec order by count(*) desc, kode_kec limit 1"
    ).fetchone()[0]
    page.selectbox(key="filter_kecamatan").set_value(kode_kec).run()
    assert not page.exception, [e.value for e in page.exception]
    month = _default_month(warehouse)
    present, registered = warehouse.execute(
        """
        select sum(r.kader_present), sum(r.kader_registered)
        from fct_posyandu_month as r
        join dim_posyandu as p using (posyandu_id)
        where r.month = ? and p.kode_kec = ? and r.kader_present is not null and r.kader_registered is not null
        """,
        [month, kode_kec],
    ).fetchone()
    assert _metric(page, "Partisipasi kader (definisi 1)") == format_percent(present / registered * 100)
    assert any("per desa/kelurahan per bulan" in c.value for c in page.caption)
