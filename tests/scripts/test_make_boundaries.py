"""The boundaries shipped in data/reference/boundaries: what the app needs, light, licensed,
and exactly what scripts/make_boundaries.py makes from the full-detail source."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape

from dashboard.maps.boundaries import DEFAULT_ATTRIBUTION, load_boundaries
from scripts.make_boundaries import DEFAULT_OUT, LAYERS, copyright_line, geojson_text, make_boundaries
from tests.conftest import SHARED_BOUNDARIES

SHIPPED = sorted([*LAYERS, "LICENSE", "SOURCE.md"])


def _features(name: str) -> list[dict]:
    return json.loads((DEFAULT_OUT / name).read_text(encoding="utf-8"))["features"]


def test_committed_files_are_what_the_script_makes_from_the_source(tmp_path):
    if not (SHARED_BOUNDARIES / "SOURCE.md").exists():
        pytest.skip("../shared/data/boundaries is absent: nothing to regenerate from")
    written = make_boundaries(SHARED_BOUNDARIES, tmp_path)
    assert sorted(p.name for p in written) == SHIPPED
    for path in written:
        assert path.read_bytes() == (DEFAULT_OUT / path.name).read_bytes(), f"{path.name}: rerun make boundaries"


def test_shipped_layers_are_simplified_not_copied():
    if not (SHARED_BOUNDARIES / "SOURCE.md").exists():
        pytest.skip("../shared/data/boundaries is absent: nothing to compare with")
    for name in LAYERS:
        shipped = shape(_features(name)[0]["geometry"])
        source = json.loads((SHARED_BOUNDARIES / name).read_text(encoding="utf-8"))["features"]
        first = min(source, key=lambda f: f["properties"][LAYERS[name][0]])
        original = shape(first["geometry"])
        assert shapely.get_num_coordinates(shipped) < shapely.get_num_coordinates(original)
        # Simplified, not moved: the shapes still cover each other almost entirely.
        assert shipped.intersection(original).area / original.area > 0.97


def test_shipped_layers_are_complete_valid_and_light():
    assert sorted(p.name for p in DEFAULT_OUT.iterdir()) == SHIPPED
    assert sum((DEFAULT_OUT / name).stat().st_size for name in LAYERS) < 800_000
    kecamatan, desa = _features("kukar_kecamatan.geojson"), _features("kukar_desa.geojson")
    assert len(kecamatan) == 20 and len(desa) == 237
    assert set(desa[0]["properties"]) == {"kode_desa", "nama_desa", "kode_kec", "nama_kec"}
    assert {f["properties"]["kode_kec"] for f in desa} == {f["properties"]["kode_kec"] for f in kecamatan}
    assert all(shape(f["geometry"]).is_valid for f in kecamatan + desa)


def test_licence_and_attribution_travel_with_the_files():
    licence = (DEFAULT_OUT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n\nCopyright (c) 2024 Cahya DSN\n")
    assert "WITHOUT WARRANTY OF ANY KIND" in licence
    source = (DEFAULT_OUT / "SOURCE.md").read_text(encoding="utf-8")
    assert "cahyadsn/wilayah_boundaries" in source and "Badan Informasi Geospasial" in source


def test_the_app_reads_the_shipped_layers_with_their_attribution():
    for level, count in (("kecamatan", 20), ("desa", 237)):
        result = load_boundaries(level, [DEFAULT_OUT])
        assert len(result.areas) == count and result.message is None
        assert result.attribution == DEFAULT_ATTRIBUTION


def test_copyright_is_read_from_the_source_note_or_refused():
    assert copyright_line("MIT License — Copyright (c) 2024 Cahya DSN. Permission…") == "Copyright (c) 2024 Cahya DSN"
    with pytest.raises(ValueError, match="MIT"):
        copyright_line("Copyright (c) 2024 Someone. All rights reserved.")


def test_geojson_text_has_one_feature_per_line():
    features = [{"type": "Feature", "properties": {"k": i}, "geometry": None} for i in range(3)]
    text = geojson_text(features)
    assert json.loads(text)["features"] == features
    assert text.count("\n") == 5
