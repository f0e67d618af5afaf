"""dashboard/ui/cached_map.py: the map's component gets what st_folium would give it, and the
map is built once per warehouse version and key."""

from __future__ import annotations

import itertools
import os

import branca.element
import pandas as pd
import pytest
import streamlit_folium as stf

from dashboard.maps.boundaries import load_boundaries
from dashboard.maps.draw import IndicatorSpec, build_choropleth_map, build_points_only_map
from dashboard.ui import cached_map

STUNTING = IndicatorSpec(key="stunting", label="Prevalensi stunting", unit="%", higher_is_better=False)
RETURNED = ["last_active_drawing"]


@pytest.fixture()
def calls(monkeypatch) -> list[dict]:
    captured: list[dict] = []
    monkeypatch.setattr(stf, "_component_func", lambda **kwargs: captured.append(kwargs) or {"seen": True})
    return captured


@pytest.fixture()
def warehouse(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(b"version 1")
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(path))
    cached_map._rendered.clear()
    return path


def _choropleth(kukar_boundaries):
    areas = load_boundaries("kecamatan", [kukar_boundaries]).areas
    values = pd.DataFrame({"code": list(areas["kode_kec"]), "value": range(len(areas)), "n": 50})
    points = areas.representative_point()
    posyandu = pd.DataFrame(
        {
            "posyandu_id": [f"P{i}" for i in range(len(areas))],
            "posyandu_name": [f"Posyandu {i}" for i in range(len(areas))],
            "registration_status": "teregistrasi",
            "lat": points.y.values,
            "lon": points.x.values,
        }
    )
    return build_choropleth_map(areas, values, STUNTING, "quantile", posyandu, source_note="Sumber: contoh")


def _without_callback(kwargs: dict) -> dict:
    return {name: value for name, value in kwargs.items() if name != "on_change"}


@pytest.mark.parametrize("returned", [RETURNED, ["bounds", "zoom", "last_active_drawing"]])
@pytest.mark.parametrize("kind", ["choropleth", "points"])
def test_the_component_gets_exactly_what_st_folium_gives_it(
    kind, returned, kukar_boundaries, calls, warehouse, monkeypatch
):
    def build():
        # Element ids are random; counted from zero, two builds of one map are the same text.
        counter = itertools.count()
        monkeypatch.setattr(branca.element.Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))
        if kind == "choropleth":
            return _choropleth(kukar_boundaries)
        return build_points_only_map(pd.DataFrame({"lat": [-0.4], "lon": [117.0], "posyandu_name": ["Melati"]}))

    stf.st_folium(build(), key="peta_map", height=640, use_container_width=True, returned_objects=returned)
    answer = cached_map.show_cached_map(
        build, "test", ("k", kind), key="peta_map", height=640, returned_objects=returned
    )

    expected, got = calls
    assert _without_callback(got) == _without_callback(expected)
    assert answer == {"seen": True}  # the component's value is returned as st_folium returns it


def test_a_map_is_built_once_per_key_and_again_for_a_new_warehouse(kukar_boundaries, calls, warehouse):
    built = []

    def build():
        built.append(1)
        return _choropleth(kukar_boundaries)

    for _ in range(3):
        cached_map.show_cached_map(build, "test", ("same",), key="m", height=400, returned_objects=RETURNED)
    assert len(built) == 1
    cached_map.show_cached_map(build, "test", ("other filters",), key="m", height=400, returned_objects=RETURNED)
    assert len(built) == 2
    warehouse.write_bytes(b"version 2, a rebuild")  # a new file version
    cached_map.show_cached_map(build, "test", ("same",), key="m", height=400, returned_objects=RETURNED)
    assert len(built) == 3
    assert _without_callback(calls[0]) == _without_callback(calls[2])  # served from the cache


def test_a_replaced_boundary_file_changes_the_key(tmp_path):
    path = tmp_path / "kukar_desa.geojson"
    assert cached_map.file_stamp(path) is None and cached_map.file_stamp(None) is None
    path.write_text("{}")
    first = cached_map.file_stamp(path)
    path.write_text('{"type": "FeatureCollection"}')
    os.utime(path, ns=(first[1] + 10_000_000, first[1] + 10_000_000))
    assert cached_map.file_stamp(path) != first
