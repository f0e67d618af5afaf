"""dashboard/ui/search.py: the place search lists every place of the reader's scope while the
list is short; past MAX_OPTIONS every desa but only the chosen kecamatan's posyandu, never a
place outside the scope; prepared once per warehouse version."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.filters import Filters
from dashboard.ui import search

MONTH = dt.date(2025, 10, 1)


@pytest.fixture
def counts(warehouse):
    def count(sql: str, *params) -> int:
        return warehouse.execute(sql, list(params)).fetchone()[0]

    return count


@pytest.fixture
def short_limit(monkeypatch, warehouse_path):
    """A limit below the test warehouse's list (237 desa and its posyandu), so it is 'long'."""
    monkeypatch.setattr(search, "MAX_OPTIONS", 240)
    search._place_choices.clear()
    yield
    search._place_choices.clear()


def _kinds(choices: search.PlaceChoices) -> dict[str, int]:
    kinds = [value.split(":", 1)[0] for value in choices.values]
    return {kind: kinds.count(kind) for kind in ("desa", "posyandu")}


def _codes(choices: search.PlaceChoices, kind: str) -> list[str]:
    return [value.split(":", 1)[1] for value in choices.values if value.startswith(f"{kind}:")]


def _busiest_kecamatan(warehouse) -> str:
    return warehouse.execute("select kode_kec from dim_posyandu group by 1 order by count(*) desc, 1").fetchone()[0]


def test_a_short_list_holds_every_place_in_the_scope(warehouse_path, warehouse, counts):
    search._place_choices.clear()
    kec = _busiest_kecamatan(warehouse)
    everything = search.place_choices(Filters(month=MONTH))
    assert _kinds(everything) == {
        "desa": counts("select count(*) from dim_desa"),
        "posyandu": counts("select count(*) from dim_posyandu"),
    }
    assert everything.posyandu_of == "all"
    assert search.place_choices(Filters(month=MONTH, kode_kec=kec)).values == everything.values  # unchanged by a choice
    scoped = search.place_choices(Filters(month=MONTH, scope_kec=(kec,)))
    assert _kinds(scoped) == {
        "desa": counts("select count(*) from dim_desa where kode_kec = ?", kec),
        "posyandu": counts("select count(*) from dim_posyandu where kode_kec = ?", kec),
    }
    assert all(code.startswith(kec) for code in _codes(scoped, "desa"))


def test_a_long_list_keeps_the_desa_and_the_chosen_kecamatans_posyandu(short_limit, warehouse, counts):
    kec = _busiest_kecamatan(warehouse)
    desa = counts("select count(*) from dim_desa")
    no_choice = search.place_choices(Filters(month=MONTH))
    assert _kinds(no_choice) == {"desa": desa, "posyandu": 0} and no_choice.posyandu_of is None
    chosen = search.place_choices(Filters(month=MONTH, kode_kec=kec))
    assert _kinds(chosen) == {
        "desa": desa,
        "posyandu": counts("select count(*) from dim_posyandu where kode_kec = ?", kec),
    }
    assert chosen.posyandu_of == kec
    assert set(_codes(chosen, "posyandu")) == {
        r[0] for r in warehouse.execute("select posyandu_id from dim_posyandu where kode_kec = ?", [kec]).fetchall()
    }


def test_a_long_list_never_shows_a_place_outside_the_scope(short_limit, warehouse, counts, monkeypatch):
    kec = _busiest_kecamatan(warehouse)
    other = warehouse.execute(
        "select kode_kec from dim_posyandu where kode_kec <> ? group by 1 order by 1", [kec]
    ).fetchone()[0]
    monkeypatch.setattr(search, "MAX_OPTIONS", 5)  # the scope's own list is long too
    search._place_choices.clear()
    outside = search.place_choices(Filters(month=MONTH, kode_kec=other, scope_kec=(kec,)))
    assert _kinds(outside) == {"desa": counts("select count(*) from dim_desa where kode_kec = ?", kec), "posyandu": 0}
    assert outside.posyandu_of is None
    assert all(code.startswith(kec) for code in _codes(outside, "desa"))


def test_the_list_is_prepared_once_per_warehouse_version(warehouse_path, monkeypatch):
    calls = []
    original = search.query_place_options
    monkeypatch.setattr(search, "query_place_options", lambda filters: calls.append(1) or original(filters))
    search._place_choices.clear()
    for month in (MONTH, dt.date(2025, 9, 1)):  # the list does not depend on the period
        first = search.place_choices(Filters(month=month))
    assert len(calls) == 1
    assert search.place_choices(Filters(month=MONTH)) is first  # served as is, not copied
