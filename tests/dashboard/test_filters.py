"""dashboard/filters.py: the access scope can never be widened by the kecamatan choice."""

from __future__ import annotations

from datetime import date

from dashboard.filters import Filters

MONTH = date(2025, 10, 1)


def test_no_scope_no_choice_is_the_whole_kabupaten():
    assert Filters(MONTH).visible_kec is None
    assert Filters(MONTH).params() == {"month": MONTH, "all_kec": True, "kec": []}


def test_a_choice_narrows():
    assert Filters(MONTH, kode_kec="64.02.07").visible_kec == ("64.02.07",)
    assert Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06", "64.02.07")).visible_kec == ("64.02.07",)


def test_scope_applies_without_a_choice():
    assert Filters(MONTH, scope_kec=("64.02.06", "64.02.07")).visible_kec == ("64.02.06", "64.02.07")


def test_a_choice_outside_the_scope_shows_nothing():
    filters = Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06",))
    assert filters.visible_kec == ()
    assert filters.params() == {"month": MONTH, "all_kec": False, "kec": []}


def test_single_kecamatan_only_when_exactly_one_is_visible():
    assert Filters(MONTH).single_kec is None
    assert Filters(MONTH, kode_kec="64.02.07").single_kec == "64.02.07"
    assert Filters(MONTH, scope_kec=("64.02.06",)).single_kec == "64.02.06"
    assert Filters(MONTH, scope_kec=("64.02.06", "64.02.07")).single_kec is None
    assert Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06",)).single_kec is None


def test_kec_clause_keeps_exactly_the_visible_kecamatan():
    import duckdb

    from dashboard.filters import kec_clause

    con = duckdb.connect()
    con.execute("create table t as select * from (values ('64.02.06'), ('64.02.07'), ('64.02.08')) as v(kode_kec)")

    def kept(filters: Filters) -> list[str]:
        params = {k: v for k, v in filters.params().items() if k != "month"}
        sql = f"select kode_kec from t where {kec_clause()} order by 1"
        return [r[0] for r in con.execute(sql, params).fetchall()]

    assert kept(Filters(MONTH)) == ["64.02.06", "64.02.07", "64.02.08"]
    assert kept(Filters(MONTH, kode_kec="64.02.07")) == ["64.02.07"]
    assert kept(Filters(MONTH, scope_kec=("64.02.06", "64.02.08"))) == ["64.02.06", "64.02.08"]
    assert kept(Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06",))) == []
    assert "o.kode_kec" in kec_clause("o.kode_kec")
