"""The evaluation of prioritisation on pages/prioritas.py: markings from the store, groups
compared against independent SQL, and the marking form only for kabupaten users."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.followup.store import Actor, FollowupStore
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]
PRIORITY = ("64.02.06", "64.02.07")


@pytest.fixture
def store(tmp_path, monkeypatch) -> FollowupStore:
    monkeypatch.setenv("DASBOR_TINDAK_LANJUT", str(tmp_path / "tindak_lanjut.sqlite"))
    return FollowupStore()


def open_prioritas(scope=None) -> AppTest:
    pembina = {"user_scope_kec": scope, "user_role": "pembina"}
    return open_page("pages/prioritas.py", session=pembina if scope is not None else None, timeout=90)


def latest_month(warehouse) -> dt.date:
    return warehouse.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]


def test_without_markings_the_page_says_so(warehouse_path, store):
    at = open_prioritas()
    assert any("Belum ada kecamatan yang ditetapkan" in i.value for i in at.info)
    assert any(b.label == "Simpan penetapan prioritas" for b in at.button)


def test_groups_match_independent_sql(warehouse, store):
    month = latest_month(warehouse)
    marked_from = (pd.Timestamp(month) - pd.DateOffset(months=5)).date().replace(day=10)
    base = (pd.Timestamp(marked_from).replace(day=1) - pd.DateOffset(months=1)).date()
    for code in PRIORITY:
        store.mark_priority(Actor("kabid"), code, marked_from, "uji")
    at = open_prioritas()
    table = next(d.value for d in at.dataframe if "Selisih perubahan (poin)" in d.value.columns)
    stunting = table[table["Indikator"] == "Stunting"].set_index("Kelompok")

    def pooled(codes_sql: str, when: dt.date) -> tuple[float, int]:
        stunted, children = warehouse.execute(
            f"""
            select sum(stunted), sum(n_haz) from mart_stunting_by_area_month
            where area_level = 'kecamatan' and month = $month and n_haz > 0 and area_code {codes_sql}
              and area_code in (select area_code from mart_stunting_by_area_month
                                where area_level = 'kecamatan' and n_haz > 0 and month in ($base, $now)
                                group by 1 having count(distinct month) = 2)
            """,
            {"month": when, "base": base, "now": month},
        ).fetchone()
        return 100 * stunted / children, int(children)

    inside = "in ('64.02.06', '64.02.07')"
    outside = "not in ('64.02.06', '64.02.07')"
    for group, codes in (("Prioritas", inside), ("Lainnya", outside)):
        base_pct, base_n = pooled(codes, base)
        now_pct, now_n = pooled(codes, month)
        row = stunting.loc[group]
        assert (row.iloc[3], row.iloc[4]) == (base_n, now_n), (group, row.to_dict())  # n baseline, n now
        assert abs(row.iloc[5] - base_pct) < 1e-9 and abs(row.iloc[6] - now_pct) < 1e-9
    expected = round(
        (round(stunting.loc["Prioritas"].iloc[6], 1) - round(stunting.loc["Prioritas"].iloc[5], 1))
        - (round(stunting.loc["Lainnya"].iloc[6], 1) - round(stunting.loc["Lainnya"].iloc[5], 1)),
        1,
    )
    assert stunting.loc["Prioritas", "Selisih perubahan (poin)"] == pytest.approx(expected, abs=0.051)
    assert any(m.value.startswith("**2 kecamatan prioritas sejak") for m in at.markdown)


def test_pembina_sees_their_markings_but_cannot_mark(warehouse_path, store):
    store.mark_priority(Actor("kabid"), "64.02.06", dt.date(2025, 5, 1))
    store.mark_priority(Actor("kabid"), "64.02.09", dt.date(2025, 5, 1))
    at = open_prioritas(scope=("64.02.06",))
    assert not any(b.label == "Simpan penetapan prioritas" for b in at.button)
    listed = [m.value for m in at.markdown if m.value.startswith("- ") and "sejak" in m.value]
    assert listed and all("Kenohan" not in text for text in listed)
