"""pages/pendampingan.py runs inside the app and counts the mentoring visits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.formatting import format_number
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


def test_pendampingan_page_runs_and_counts_recent_visits(warehouse_path, warehouse):
    at = open_page("pages/pendampingan.py", run_app_first=False, timeout=60)
    month = pd.Timestamp(
        warehouse.execute(
            "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
        ).fetchone()[0]
    )
    start = (month - pd.DateOffset(months=2)).date()
    end = (month + pd.offsets.MonthEnd(0)).date()
    visits = warehouse.execute(
        """
        select count(*)
        from fct_mentoring_visit
        where visited_on between ? and ?
            and kode_kec in (select kode_kec from dim_mentoring_team)
        """,
        [start, end],
    ).fetchone()[0]
    teams = warehouse.execute("select count(distinct team) from dim_mentoring_team").fetchone()[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kunjungan 3 bulan terakhir"] == format_number(visits)
    assert metrics["Tim pendamping"] == format_number(teams)
    assert len(at.expander) == teams


def test_pendampingan_page_names_the_missing_register(sample_dir, tmp_path_factory, monkeypatch):
    from tests.support.partial_warehouse import build_partial_warehouse

    partial = build_partial_warehouse(
        sample_dir, tmp_path_factory.getbasetemp() / "partial_warehouse", ("posyandu", "laporan_bulanan")
    )
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(partial))
    at = open_page("pages/pendampingan.py", run_app_first=False, timeout=60)
    assert any("tim pendamping belum dimuat" in w.value for w in at.warning)
    assert not at.metric


def test_pendampingan_page_for_one_kecamatan(warehouse_path, warehouse):
    at = open_page("pages/pendampingan.py", run_app_first=False, timeout=60, check=False)
    kode_kec = warehouse.execute("select kode_kec from dim_mentoring_team order by team, kode_kec limit 1").fetchone()[
        0
    ]
    at.selectbox(key="filter_kecamatan").set_value(kode_kec).run()
    assert not at.exception, [e.value for e in at.exception]
    posyandu = warehouse.execute("select count(*) from dim_posyandu where kode_kec = ?", [kode_kec]).fetchone()[0]
    assert len(at.expander) == 1
    assert f"{format_number(posyandu)} posyandu" in " ".join(c.value for c in at.caption)
