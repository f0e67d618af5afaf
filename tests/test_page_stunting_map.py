"""The Gizi Balita map goes through dashboard/ui/cached_map.py: built and rendered once per
warehouse version and choices, its component gets exactly what `st_folium` gave it before
(element ids aside), and the values it shows equal independent SQL."""

from __future__ import annotations

import itertools
import json
import re

import branca.element
import pytest
from streamlit_folium import st_folium

from dashboard.catalogue.indicators import indicator
from dashboard.formatting import format_number
from dashboard.ui import cached_map
from tests.support.apptest import open_page

PAGE = "pages/stunting.py"
FEATURE_PROPERTIES = re.compile(r'"properties": (\{[^{}]*\})')


def _map_args(at) -> dict:
    """The st_folium component's arguments (AppTest shows it as an unknown element)."""
    maps = [e for e in at.main if getattr(e, "type", None) == "component_instance"]
    assert len(maps) == 1, "the map element is missing"
    assert maps[0].proto.component_name.endswith("st_folium")
    return json.loads(maps[0].proto.json_args)


def _counted_ids(monkeypatch, build):
    """`build` with folium's random element ids counted from zero: two builds give the same text."""

    def counted():
        counter = itertools.count()
        monkeypatch.setattr(branca.element.Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
        return build()

    return counted


@pytest.fixture
def both_ways(monkeypatch, warehouse_path):
    """Runs the page with the cached map, then as before (`st_folium` on a fresh map); returns
    the map component's arguments of each."""
    original = cached_map.show_cached_map

    def cached(build, *args, **kwargs):
        return original(_counted_ids(monkeypatch, build), *args, **kwargs)

    def as_before(build, name, key_parts, *, key, height, returned_objects, on_change=None):
        fmap = _counted_ids(monkeypatch, build)()
        return st_folium(
            fmap,
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=returned_objects,
            on_change=on_change,
        )

    def run(map_level: str | None = None) -> tuple[dict, dict]:
        answers = []
        for show in (cached, as_before):
            cached_map._rendered.clear()
            monkeypatch.setattr(cached_map, "show_cached_map", show)
            at = open_page(PAGE, timeout=90)
            if map_level:
                at.radio(key="stunting_map_level").set_value(map_level).run()
                assert not at.exception, [e.value for e in at.exception]
            answers.append(_map_args(at))
        return answers[0], answers[1]

    return run


@pytest.mark.parametrize("map_level", [None, "Desa"])
def test_the_cached_map_gives_the_component_what_st_folium_gave_it(both_ways, map_level):
    cached, before = both_ways(map_level)
    assert cached == before


def test_the_kecamatan_map_shows_the_prevalence_of_independent_sql(warehouse_path, warehouse):
    cached_map._rendered.clear()
    at = open_page(PAGE, timeout=90)
    shown = {
        props["kode_kec"]: (props["nilai"], props["n"])
        for props in map(json.loads, FEATURE_PROPERTIES.findall(_map_args(at)["script"]))
        if "nilai" in props
    }
    month = warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]
    rows = warehouse.execute(
        """
        select k.kode_kec, m.stunted, coalesce(m.n_haz, 0)
        from dim_kecamatan as k
        left join mart_stunting_by_area_month as m
            on m.area_level = 'kecamatan' and m.area_code = k.kode_kec and m.month = ?
        """,
        [month],
    ).fetchall()
    min_n = indicator("stunting").min_n("peta")
    assert len(shown) == len(rows) == 20
    coloured = 0
    for kode_kec, stunted, n in rows:
        value, count = shown[kode_kec]
        assert count == format_number(n, 0)
        if n >= min_n:
            coloured += 1
            assert value == f"{format_number(100 * stunted / n, 1)}%"
        else:
            assert not re.search(r"\d", value)  # not coloured, no figure: "tidak ada data"
    assert coloured > 0


def test_the_map_is_built_once_for_repeated_runs(warehouse_path, monkeypatch):
    import dashboard.maps.draw

    built = []
    original = dashboard.maps.draw.build_choropleth_map

    def counting(*args, **kwargs):
        built.append(1)
        return original(*args, **kwargs)

    cached_map._rendered.clear()
    monkeypatch.setattr(dashboard.maps.draw, "build_choropleth_map", counting)
    at = open_page(PAGE, timeout=90)
    at.run()
    at.run()
    assert len(built) == 1
    at.radio(key="stunting_map_level").set_value("Desa").run()  # another choice: another map
    assert len(built) == 2
