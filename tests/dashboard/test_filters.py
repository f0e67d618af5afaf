"""dashboard/filters.py: the access scope can never be widened by the kecamatan choice."""

from __future__ import annotations

from datetime import date

from dashboard.filters import Filters

MONTH = date(2025, 10, 1)


def test_no_scope_no_choice_is_the_whole_kabupaten():
    assert Filters(MONTH).visible_kec is None
    assert Filters(MONTH).params() == {
        "month": MONTH,
        "all_kec": True,
        "kec": [],
        "all_pkm": True,
        "pkm": "",
        "all_desa": True,
        "desa": "",
    }


def test_a_choice_narrows():
    assert Filters(MONTH, kode_kec="64.02.07").visible_kec == ("64.02.07",)
    assert Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06", "64.02.07")).visible_kec == ("64.02.07",)


def test_scope_applies_without_a_choice():
    assert Filters(MONTH, scope_kec=("64.02.06", "64.02.07")).visible_kec == ("64.02.06", "64.02.07")


def test_a_choice_outside_the_scope_shows_nothing():
    filters = Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06",))
    assert filters.visible_kec == ()
    assert filters.params() == {
        "month": MONTH,
        "all_kec": False,
        "kec": [],
        "all_pkm": True,
        "pkm": "",
        "all_desa": True,
        "desa": "",
    }


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
    con.execute(
        "create table dim_posyandu (posyandu_id varchar, kode_desa varchar, kode_kec varchar, puskesmas varchar)"
    )

    def kept(filters: Filters) -> list[str]:
        params = {k: v for k, v in filters.params().items() if k != "month"}
        sql = f"select kode_kec from t where {kec_clause()} order by 1"
        return [r[0] for r in con.execute(sql, params).fetchall()]

    assert kept(Filters(MONTH)) == ["64.02.06", "64.02.07", "64.02.08"]
    assert kept(Filters(MONTH, kode_kec="64.02.07")) == ["64.02.07"]
    assert kept(Filters(MONTH, scope_kec=("64.02.06", "64.02.08"))) == ["64.02.06", "64.02.08"]
    assert kept(Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06",))) == []
    assert "o.kode_kec" in kec_clause("o.kode_kec")


def test_a_chosen_puskesmas_narrows_kecamatan_desa_and_posyandu():
    import duckdb

    from dashboard.filters import desa_clause, kec_clause, posyandu_clause

    con = duckdb.connect()
    con.execute(
        "create table dim_posyandu as select * from (values "
        "('P1', '64.02.06.2001', '64.02.06', 'Puskesmas A'), ('P2', '64.02.06.2002', '64.02.06', 'Puskesmas B'), "
        "('P3', '64.02.07.2001', '64.02.07', 'Puskesmas C')) as v(posyandu_id, kode_desa, kode_kec, puskesmas)"
    )

    def kept(filters: Filters, clause: str, column: str) -> list[str]:
        sql = f"select distinct {column} from dim_posyandu as p where {clause} order by 1"
        params = filters.params()
        return [r[0] for r in con.execute(sql, {k: params[k] for k in params if f"${k}" in sql}).fetchall()]

    chosen = Filters(MONTH, puskesmas="Puskesmas A")
    assert kept(chosen, kec_clause("p.kode_kec"), "kode_kec") == ["64.02.06"]
    assert kept(chosen, posyandu_clause("p.posyandu_id"), "posyandu_id") == ["P1"]
    assert kept(chosen, desa_clause("p.kode_desa"), "kode_desa") == ["64.02.06.2001"]
    everyone = Filters(MONTH)
    assert kept(everyone, posyandu_clause("p.posyandu_id"), "posyandu_id") == ["P1", "P2", "P3"]
    # A puskesmas of another kecamatan cannot widen a pembina's scope.
    tampered = Filters(MONTH, scope_kec=("64.02.07",), puskesmas="Puskesmas A")
    assert kept(tampered, kec_clause("p.kode_kec"), "kode_kec") == []


def _posyandu_table():
    import duckdb

    con = duckdb.connect()
    con.execute(
        "create table dim_posyandu as select * from (values "
        "('P1', '64.02.06.2001', '64.02.06', 'Puskesmas A'), ('P2', '64.02.06.2002', '64.02.06', 'Puskesmas A'), "
        "('P4', '64.02.06.2002', '64.02.06', 'Puskesmas B'), ('P3', '64.02.07.2001', '64.02.07', 'Puskesmas C')) "
        "as v(posyandu_id, kode_desa, kode_kec, puskesmas)"
    )
    return con


def _kept(con, filters: Filters, clause: str, column: str) -> list[str]:
    sql = f"select distinct {column} from dim_posyandu as p where {clause} order by 1"
    params = filters.params()
    return [r[0] for r in con.execute(sql, {k: params[k] for k in params if f"${k}" in sql}).fetchall()]


def test_a_chosen_desa_narrows_kecamatan_desa_and_posyandu():
    from dashboard.filters import desa_clause, kec_clause, posyandu_clause

    con = _posyandu_table()
    chosen = Filters(MONTH, kode_kec="64.02.06", kode_desa="64.02.06.2002")
    assert _kept(con, chosen, kec_clause("p.kode_kec"), "kode_kec") == ["64.02.06"]
    assert _kept(con, chosen, posyandu_clause("p.posyandu_id"), "posyandu_id") == ["P2", "P4"]
    assert _kept(con, chosen, desa_clause("p.kode_desa"), "kode_desa") == ["64.02.06.2002"]
    # With a puskesmas too: its posyandu in that desa only.
    both = Filters(MONTH, kode_kec="64.02.06", puskesmas="Puskesmas A", kode_desa="64.02.06.2002")
    assert _kept(con, both, posyandu_clause("p.posyandu_id"), "posyandu_id") == ["P2"]


def test_a_desa_of_another_kecamatan_cannot_widen_a_scope():
    from dashboard.filters import desa_clause, kec_clause, posyandu_clause

    con = _posyandu_table()
    tampered = Filters(MONTH, scope_kec=("64.02.06",), kode_desa="64.02.07.2001")
    assert _kept(con, tampered, kec_clause("p.kode_kec"), "kode_kec") == []
    both = f"{kec_clause('p.kode_kec')} and {posyandu_clause('p.posyandu_id')}"
    assert _kept(con, tampered, both, "posyandu_id") == []
    assert _kept(con, tampered, f"{kec_clause('p.kode_kec')} and {desa_clause('p.kode_desa')}", "kode_desa") == []


def test_whole_scope_and_one_kecamatan_drop_the_narrower_choices():
    chosen = Filters(
        MONTH, kode_kec="64.02.06", scope_kec=("64.02.06", "64.02.07"), puskesmas="A", kode_desa="64.02.06.2002"
    )
    assert chosen.whole_scope() == Filters(MONTH, scope_kec=("64.02.06", "64.02.07"))
    assert chosen.kecamatan_only("64.02.07") == Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06", "64.02.07"))


def test_clauses_by_default_name_the_usual_columns():
    import duckdb

    from dashboard.filters import desa_clause, posyandu_clause

    con = duckdb.connect()
    con.execute(
        "create table dim_posyandu as select * from (values ('P1', '64.02.06.2001', '64.02.06', 'Puskesmas A'), "
        "('P2', '64.02.06.2002', '64.02.06', 'Puskesmas B')) as v(posyandu_id, kode_desa, kode_kec, puskesmas)"
    )
    params = {"all_pkm": False, "pkm": "Puskesmas B", "all_desa": True, "desa": ""}
    sql = "select posyandu_id, kode_desa from dim_posyandu where {} order by 1"
    assert con.execute(sql.format(posyandu_clause()), params).fetchall() == [("P2", "64.02.06.2002")]
    assert con.execute(sql.format(desa_clause()), params).fetchall() == [("P2", "64.02.06.2002")]
