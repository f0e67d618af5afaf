"""pages/puskesmas.py: puskesmas as a dimension and kader per SPM field, against independent SQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters
from dashboard.formatting import format_number
from dashboard.queries.kader_fields import query_kader_by_spm_field
from dashboard.queries.puskesmas import query_posyandu_of_puskesmas, query_puskesmas_indicators

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def month(warehouse_path):
    import duckdb

    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return con.execute("select max(month) from fct_posyandu_month").fetchone()[0]
    finally:
        con.close()


def test_page_runs_and_filters_to_one_puskesmas(warehouse_path):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/puskesmas.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.value.startswith("**Stunting tertinggi di wilayah Puskesmas ") for m in at.markdown)
    first = at.selectbox(key="puskesmas_choice").options[1]
    at.selectbox(key="puskesmas_choice").set_value(first).run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Posyandu" in d.value.columns and "Desa/Kelurahan" in d.value.columns]
    assert tables and len(tables[0]) > 0


def test_puskesmas_rows_add_up_to_their_posyandu(warehouse, month):
    filters = Filters(month=month)
    frame = query_puskesmas_indicators(filters)
    expected = warehouse.execute(
        """
        select coalesce(p.puskesmas, 'Tanpa puskesmas') as puskesmas, count(*) as posyandu,
               coalesce(sum(m.n_haz), 0) as children, coalesce(sum(m.stunted), 0) as stunted
        from dim_posyandu as p
        left join mart_stunting_by_area_month as m
          on m.area_level = 'posyandu' and m.area_code = p.posyandu_id and m.month = $month
        group by 1 order by 1
        """,
        {"month": month},
    ).df()
    got = frame[["puskesmas", "posyandu", "children", "stunted"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert frame["puskesmas"].nunique() == len(frame)
    one = frame.iloc[0]
    posyandu = query_posyandu_of_puskesmas(filters, one["puskesmas"])
    assert len(posyandu) == one["posyandu"] and posyandu["children"].sum() == one["children"]


def test_pembina_sees_only_puskesmas_of_their_kecamatan(warehouse, month):
    scoped = query_puskesmas_indicators(Filters(month=month, scope_kec=("64.02.06",)))
    names = set(
        warehouse.execute("select distinct puskesmas from dim_posyandu where kode_kec = '64.02.06'").df()["puskesmas"]
    )
    assert set(scoped["puskesmas"]) == names
    assert set(scoped["kecamatan"]) == {"Tenggarong"}


def test_kader_by_field_against_sql(warehouse, month):
    frame = query_kader_by_spm_field(Filters(month=month))
    month_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    active = warehouse.execute(
        """
        select p.kode_kec, k.spm_field, count(*) as n
        from dim_kader as k join dim_posyandu as p using (posyandu_id)
        where (k.active_from is null or k.active_from <= $end) and (k.active_to is null or k.active_to >= $start)
        group by 1, 2
        """,
        {"end": month_end, "start": month},
    ).df()
    merged = frame.merge(active, on=["kode_kec", "spm_field"], how="left").fillna({"n": 0})
    assert (merged["kader_active"] == merged["n"]).all()
    without = warehouse.execute(
        """
        select count(*) from dim_posyandu as p, unnest(p.spm_fields) as f(field)
        where not exists (
            select 1 from dim_kader as k
            where k.posyandu_id = p.posyandu_id and k.spm_field = f.field
              and (k.active_from is null or k.active_from <= $end) and (k.active_to is null or k.active_to >= $start)
        )
        """,
        {"end": month_end, "start": month},
    ).fetchone()[0]
    assert frame["posyandu_without_kader"].sum() == without
    assert set(frame["spm_field"]) == {"KES", "PEND", "PU", "PERKIM", "TRANTIB", "SOS"}


def test_strata_tab_says_when_the_master_lacks_the_columns(warehouse_path, bare_warehouse_path, monkeypatch):
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(bare_warehouse_path))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/puskesmas.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("tidak memuat kolom **Strata**" in i.value for i in at.info)


def test_strata_tab_shows_the_sample_masters_strata(warehouse_path, warehouse):
    """The bundled sample's master carries the optional columns: counts as in dim_posyandu."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/puskesmas.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("tidak memuat kolom **Strata**" in i.value for i in at.info)
    known, aktif, integrated, integration_known = warehouse.execute(
        """
        select count(strata), count(*) filter (where strata in ('Purnama', 'Mandiri')),
               count(*) filter (where integration_status = 'terintegrasi'), count(integration_status)
        from dim_posyandu
        """
    ).fetchone()
    assert known > 0 and integrated > 0
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Posyandu aktif (Purnama + Mandiri)"] == f"{format_number(aktif)} dari {format_number(known)}"
    assert metrics["Terintegrasi"] == f"{format_number(integrated)} dari {format_number(integration_known)}"


def test_strata_and_integration_when_the_master_has_them(sample_dir, tmp_path, monkeypatch):
    from dashboard.queries.puskesmas import query_posyandu_strata
    from etl.build import build_warehouse
    from etl.config import EtlConfig

    source = tmp_path / "source"
    source.mkdir()
    master = pd.read_excel(sample_dir / "posyandu.xlsx", dtype=str)
    strata = ["Pratama", "madya ", "Purnama", "Mandiri", None]  # case and spaces as users type them
    master["Strata"] = [strata[i % len(strata)] for i in range(len(master))]
    master["Status Integrasi"] = ["terintegrasi" if i % 3 == 0 else "belum" for i in range(len(master))]
    master.to_excel(source / "posyandu.xlsx", index=False)
    db = tmp_path / "warehouse.duckdb"
    build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=tmp_path / "key"))
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(db))
    frame = query_posyandu_strata(Filters(month=pd.Timestamp("2025-10-01").date()))
    n = len(master)
    assert frame["posyandu"].sum() == n
    assert frame["pratama"].sum() == len(range(0, n, 5)) and frame["madya"].sum() == len(range(1, n, 5))
    assert frame["strata_known"].sum() == n - len(range(4, n, 5))
    assert frame["integrated"].sum() == len(range(0, n, 3)) and frame["integration_known"].sum() == n


def test_strata_query_on_a_warehouse_built_before_the_columns(warehouse_path, tmp_path, monkeypatch):
    import shutil

    import duckdb

    from dashboard.queries.puskesmas import query_posyandu_strata

    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse_path, old)
    con = duckdb.connect(str(old))
    con.execute("alter table dim_posyandu drop column strata")
    con.execute("alter table dim_posyandu drop column integration_status")
    con.close()
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(old))
    frame = query_posyandu_strata(Filters(month=pd.Timestamp("2025-10-01").date()))
    assert frame["posyandu"].sum() > 0
    assert frame["strata_known"].sum() == 0 and frame["integration_known"].sum() == 0
