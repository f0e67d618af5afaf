"""pages/prioritas.py under AppTest: runs, and its ranked list equals independent SQL and
an independent recomputation of the score."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]
WEIGHTS = {"stunting": 30, "layanan_dasar": 20, "ds": 20, "kader": 15, "legalitas": 15}
WORSE_WHEN_HIGH = {"stunting": True, "layanan_dasar": False, "ds": False, "kader": False, "legalitas": False}


def _round(x: float, decimals: int = 1) -> float:
    if x is None or pd.isna(x):
        return np.nan
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@pytest.fixture
def page(warehouse_path) -> AppTest:
    at = open_page("pages/prioritas.py", timeout=60)
    return at


def _latest_month(warehouse):
    return warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]


def _ranked_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Skor prioritas" in d.value.columns)


def _components_by_sql(warehouse, level: str) -> pd.DataFrame:
    """Each component per area, written independently of dashboard/queries/priority.py."""
    month = _latest_month(warehouse)
    key = "p.kode_desa" if level == "desa" else "p.kode_kec"
    areas = (
        "select kode_desa as code, nama_desa as name, nama_kec from dim_desa"
        if level == "desa"
        else "select kode_kec as code, nama_kec as name, nama_kec from dim_kecamatan"
    )
    index_year = warehouse.execute(
        "select max(year) from fct_desa_index where index_name = 'Indeks Desa - Layanan Dasar'"
    ).fetchone()[0]
    index_key = "i.kode_desa" if level == "desa" else "d.kode_kec"
    return warehouse.execute(
        f"""
        with stunting as (
            select area_code as code, n_haz, 100.0 * stunted / n_haz as stunting
            from mart_stunting_by_area_month
            where area_level = '{level}' and month = $month and n_haz > 0
        ),
        ds as (
            select {key} as code, 100.0 * sum(r.d) / sum(r.s) as ds
            from fct_posyandu_month as r join dim_posyandu as p using (posyandu_id)
            where r.month = $month
            group by 1
            having sum(r.s) > 0
        ),
        kader as (
            select {key} as code, 100.0 * sum(p.kader_present) / sum(p.kader_registered) as kader
            from mart_kader_by_posyandu_month as p
            where p.month = $month
            group by 1
            having sum(p.kader_registered) > 0
        ),
        legality as (
            select {key} as code, 100.0 * avg(case when p.has_full_legality then 1 else 0 end) as legalitas
            from dim_posyandu as p
            group by 1
        ),
        basic as (
            select {index_key} as code, avg(i.value) as layanan_dasar
            from fct_desa_index as i join dim_desa as d using (kode_desa)
            where i.index_name = 'Indeks Desa - Layanan Dasar' and i.year = $year
            group by 1
        )
        select a.code, a.name, a.nama_kec, s.n_haz,
            case when s.n_haz >= 10 then s.stunting end as stunting,
            ds.ds, k.kader, l.legalitas, b.layanan_dasar
        from ({areas}) as a
        left join stunting as s using (code)
        left join ds using (code)
        left join kader as k using (code)
        left join legality as l using (code)
        left join basic as b using (code)
        order by a.code
        """,
        {"month": month, "year": index_year},
    ).df()


def _expected_scores(components: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Min-max each component (100 = worst), weighted mean over present ones, at least 3 of the weighted."""
    total = sum(weights.values())
    active = [k for k, w in weights.items() if w > 0]
    weighted, used = pd.Series(0.0, index=components.index), pd.Series(0.0, index=components.index)
    for key in active:
        values = components[key].astype(float)
        low, high = values.min(), values.max()
        scaled = (values - low) / (high - low) * 100 if high > low else values * 0
        scaled = scaled if WORSE_WHEN_HIGH[key] else 100 - scaled
        weighted += scaled.fillna(0) * weights[key] / total
        used += values.notna() * weights[key] / total
    count = components[active].notna().sum(axis=1)
    return (weighted / used).where(count >= min(3, len(active)))


def _compare(shown: pd.DataFrame, expected: pd.DataFrame, name_col: str) -> None:
    shown = shown.set_index([name_col, "Kecamatan"] if name_col != "Kecamatan" else [name_col])
    keys = ["name", "nama_kec"] if name_col != "Kecamatan" else ["name"]
    expected = expected.set_index(keys)
    assert len(shown) == len(expected)
    for column, key in [
        ("Stunting (%)", "stunting"),
        ("D/S (%)", "ds"),
        ("Partisipasi kader (%)", "kader"),
        ("Legalitas lengkap (%)", "legalitas"),
        ("Layanan Dasar", "layanan_dasar"),
        ("Skor prioritas", "score"),
    ]:
        got = pd.to_numeric(shown[column], errors="coerce").reindex(expected.index)
        want = expected[key].map(_round)
        mismatch = ~((got.isna() & want.isna()) | (got - want).abs().lt(1e-9))
        assert not mismatch.any(), f"{column}: {pd.DataFrame({'shown': got, 'sql': want})[mismatch].head()}"


def test_prioritas_desa_list_equals_independent_sql(page, warehouse):
    table = _ranked_table(page)
    expected = _components_by_sql(warehouse, "desa")
    expected["score"] = _expected_scores(expected, WEIGHTS)
    _compare(table, expected, "Desa/Kelurahan")
    # Ranked from the highest score; unscored areas last, each with a reason.
    scores = pd.to_numeric(table["Skor prioritas"], errors="coerce")
    assert scores.dropna().is_monotonic_decreasing
    assert scores.notna().sum() == expected["score"].notna().sum()
    assert scores.iloc[: scores.notna().sum()].notna().all()
    assert table["Alasan"].map(lambda s: isinstance(s, str) and len(s) > 0).all()
    top = table.iloc[0]
    assert top["Peringkat"] == 1
    assert "dari" in top["Alasan"]


def test_prioritas_states_the_rule_and_the_source(page):
    text = " ".join(m.value for m in page.markdown)
    assert "Cara menghitung skor prioritas" in text
    assert "dibagi ulang" in text
    assert "bobot bawaan: stunting 30, Layanan Dasar 20, D/S 20, partisipasi kader 15, legalitas lengkap 15" in text
    captions = " ".join(c.value for c in page.caption)
    assert "Sumber:" in captions and "n = " in captions


def test_prioritas_kecamatan_level_equals_independent_sql(page, warehouse):
    page.radio(key="priority_level").set_value("Kecamatan").run()
    assert not page.exception, [e.value for e in page.exception]
    table = _ranked_table(page)
    expected = _components_by_sql(warehouse, "kecamatan")
    expected["score"] = _expected_scores(expected, WEIGHTS)
    _compare(table, expected, "Kecamatan")


def test_prioritas_weights_change_the_ranking(page, warehouse):
    for key in WEIGHTS:
        page.slider(key=f"priority_weight_{key}").set_value(50 if key == "stunting" else 0)
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    table = _ranked_table(page)
    expected = _components_by_sql(warehouse, "desa")
    worst = expected.loc[expected["stunting"].idxmax()]
    assert (table.iloc[0]["Desa/Kelurahan"], table.iloc[0]["Kecamatan"]) == (worst["name"], worst["nama_kec"])
    assert pd.to_numeric(table.iloc[0]["Skor prioritas"]) == 100.0
    text = " ".join(m.value for m in page.markdown)
    assert "Bobot saat ini: stunting 100%" in text


def test_prioritas_follows_the_kecamatan_filter_but_ranks_kabupaten_wide(page, warehouse):
    full = _ranked_table(page)
    code, name = warehouse.execute("select kode_kec, nama_kec from dim_kecamatan order by kode_kec limit 1").fetchone()
    page.selectbox(key="filter_kecamatan").set_value(code).run()
    assert not page.exception, [e.value for e in page.exception]
    table = _ranked_table(page)
    assert set(table["Kecamatan"]) == {name}
    desa = warehouse.execute("select count(*) from dim_desa where kode_kec = ?", [code]).fetchone()[0]
    assert len(table) == desa
    same = full[full["Kecamatan"] == name].reset_index(drop=True)
    assert table["Peringkat"].fillna(-1).tolist() == same["Peringkat"].fillna(-1).tolist()
