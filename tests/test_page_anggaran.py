"""pages/anggaran.py: the money per posyandu and per child weighed against an independent
computation from the budget fact, the master and the monthly reports; the absent register."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.formatting import format_rupiah
from tests.support.apptest import open_page


@pytest.fixture(scope="module")
def expected(warehouse_path) -> dict:
    """Per kecamatan for the latest budget year, from base tables with pandas (not the marts)."""
    import duckdb

    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        budget = con.execute("select * from fct_desa_budget").df()
        posyandu = con.execute("select posyandu_id, kode_desa from dim_posyandu").df()
        reports = con.execute("select posyandu_id, month, d, kader_registered from fct_posyandu_month").df()
        names = con.execute("select kode_kec, nama_kec from dim_kecamatan").df()
    finally:
        con.close()
    year = int(budget["year"].max())
    budget = budget[budget["year"] == year]
    reports = reports[pd.to_datetime(reports["month"]).dt.year == year]
    desa = budget.groupby(["kode_kec", "kode_desa"], as_index=False)[
        ["posyandu_allocation_rp", "kader_incentive_rp", "budget_rp"]
    ].sum()
    desa["posyandu"] = desa["kode_desa"].map(posyandu["kode_desa"].value_counts()).fillna(0)
    means = reports.groupby("posyandu_id")[["d", "kader_registered"]].mean().join(posyandu.set_index("posyandu_id"))
    weighed = means.groupby("kode_desa")[["d", "kader_registered"]].sum()
    desa = desa.join(weighed, on="kode_desa")
    desa["with_posyandu"] = desa["budget_rp"].where(desa["posyandu"] > 0, 0)
    desa["weighing"] = desa["budget_rp"].where(desa["d"] > 0, 0)
    kec = desa.groupby("kode_kec")[["budget_rp", "posyandu", "d", "with_posyandu", "weighing"]].sum()
    kec["per_posyandu"] = kec["with_posyandu"] / kec["posyandu"]
    kec["per_child"] = kec["weighing"] / kec["d"]
    kec = kec.join(names.set_index("kode_kec"))
    total = kec[["budget_rp", "posyandu", "d", "with_posyandu", "weighing"]].sum()
    return {
        "year": year,
        "kecamatan": kec,
        "desa": desa,
        "total_budget": total["budget_rp"],
        "per_posyandu": total["with_posyandu"] / total["posyandu"],
        "per_child": total["weighing"] / total["d"],
    }


@pytest.fixture(scope="module")
def page(warehouse_path):
    return open_page("pages/anggaran.py", timeout=120)


def test_metrics_match_an_independent_computation(page, expected):
    metrics = {m.label: m.value for m in page.metric}
    assert metrics[f"Anggaran posyandu {expected['year']}"] == format_rupiah(expected["total_budget"])
    assert metrics["Per posyandu"] == format_rupiah(expected["per_posyandu"])
    assert metrics["Per balita ditimbang"] == format_rupiah(expected["per_child"])
    assert metrics["Per balita ditimbang"].startswith("Rp ") and metrics["Per posyandu"].endswith(" jt")


def test_kecamatan_table_matches_to_the_rupiah(page, expected):
    (table,) = [d.value for d in page.dataframe if "Kecamatan" in d.value.columns]
    kec = expected["kecamatan"].set_index("nama_kec")
    shown = table[table["Desa dengan data anggaran"] > 0].set_index("Kecamatan")
    assert sorted(shown.index) == sorted(kec.index)
    for name, row in shown.iterrows():
        assert row["Anggaran posyandu (Rp)"] == round(kec.loc[name, "budget_rp"]), name
        assert row["Per posyandu (Rp)"] == round(kec.loc[name, "per_posyandu"]), name
        assert row["Per balita ditimbang (Rp)"] == round(kec.loc[name, "per_child"]), name


def test_desa_breakdown_of_one_kecamatan(page, expected):
    box = page.selectbox(key="anggaran_kecamatan")
    first_label = box.options[1]  # options are the shown names; the value is the code
    kode_kec = min(expected["kecamatan"].index, key=lambda c: expected["kecamatan"].loc[c, "nama_kec"])
    box.set_value(kode_kec).run()
    assert not page.exception, [e.value for e in page.exception]
    (table,) = [d.value for d in page.dataframe if "Desa/Kelurahan" in d.value.columns]
    desa = expected["desa"][expected["desa"]["kode_kec"] == kode_kec]
    assert len(table) == len(desa)
    assert table["Anggaran posyandu (Rp)"].sum() == round(desa["budget_rp"].sum())
    assert first_label == expected["kecamatan"].loc[kode_kec, "nama_kec"]


def test_page_says_when_the_register_is_absent(warehouse_path, bare_warehouse_path, monkeypatch):
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(bare_warehouse_path))
    at = open_page("pages/anggaran.py", timeout=120)
    assert any("Data anggaran posyandu belum dimuat" in i.value and "anggaran_posyandu" in i.value for i in at.info)
    assert not at.metric and not at.dataframe
