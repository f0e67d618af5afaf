import json
import os
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from dashboard.maps.boundaries import (
    DEFAULT_ATTRIBUTION,
    ENV_DIR,
    default_search_dirs,
    load_boundaries,
    normalize_kemendagri_code,
)

KEC_CODE = re.compile(r"64\.02\.\d{2}")
DESA_CODE = re.compile(r"64\.02\.\d{2}\.[12]\d{3}")


@pytest.fixture(scope="module")
def kukar_kecamatan(kukar_boundaries) -> gpd.GeoDataFrame:
    return gpd.read_file(kukar_boundaries / "kukar_kecamatan.geojson", engine="pyogrio")


@pytest.fixture(scope="module")
def kukar_desa(kukar_boundaries) -> gpd.GeoDataFrame:
    return gpd.read_file(kukar_boundaries / "kukar_desa.geojson", engine="pyogrio")


def test_loads_shared_kecamatan(shared_boundaries):
    result = load_boundaries("kecamatan", [shared_boundaries])
    areas = result.areas
    assert len(areas) == 20
    assert list(areas.columns) == ["kode_kec", "nama_kec", "geometry"]
    assert all(KEC_CODE.fullmatch(c) for c in areas["kode_kec"])
    assert areas.crs.to_epsg() == 4326
    assert areas.geometry.is_valid.all()
    assert result.is_default and result.attribution == DEFAULT_ATTRIBUTION
    assert areas.attrs["attribution"] == DEFAULT_ATTRIBUTION
    assert result.message is None
    assert "Sanga Sanga" in set(areas["nama_kec"])


def test_loads_shared_desa(shared_boundaries):
    areas = load_boundaries("desa", [shared_boundaries]).areas
    assert len(areas) == 237
    assert {"kode_desa", "nama_desa", "kode_kec", "nama_kec"} <= set(areas.columns)
    assert all(DESA_CODE.fullmatch(c) for c in areas["kode_desa"])
    assert (areas["kode_desa"].str[:8] == areas["kode_kec"]).all()
    assert areas["kode_desa"].str[9].eq("1").sum() == 44  # kelurahan
    assert areas["kode_kec"].nunique() == 20


def _geojson_size_bytes(areas) -> int:
    """Size of ``areas`` as compact GeoJSON, the payload a map sends to the browser."""
    return len(json.dumps(json.loads(areas.to_json(drop_id=True)), separators=(",", ":")))


def test_layers_are_light_enough_for_the_browser(shared_boundaries):
    desa = load_boundaries("desa", [shared_boundaries]).areas
    kecamatan = load_boundaries("kecamatan", [shared_boundaries]).areas
    # Measured: about 0.45 MB and 0.18 MB (from 0.99 MB and 0.44 MB unsimplified).
    assert _geojson_size_bytes(desa) < 1_000_000
    assert _geojson_size_bytes(kecamatan) < 500_000


def test_default_search_dirs_put_the_environment_folder_first(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_DIR, raising=False)
    repo = Path(__file__).resolve().parents[2]
    assert default_search_dirs() == [
        repo / "data" / "boundaries",
        repo / "data" / "reference" / "boundaries",
    ]
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    assert default_search_dirs()[0] == tmp_path


def test_environment_folder_wins_over_shared(monkeypatch, tmp_path, kukar_kecamatan):
    kukar_kecamatan.iloc[:3].to_file(tmp_path / "kukar_kecamatan.geojson", driver="GeoJSON")
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    result = load_boundaries("kecamatan")
    assert len(result.areas) == 3
    assert result.source == (tmp_path / "kukar_kecamatan.geojson").resolve()
    assert not result.is_default  # no SOURCE.md crediting cahyadsn beside it


def test_big_style_shapefile_with_names_only(tmp_path, kukar_desa):
    """WADMKD/WADMKC names in odd spellings, BPS-like codes that must not be trusted, UTM."""
    variants = {
        "64.02.15": "KECAMATAN SANGASANGA",
        "64.02.17": "Kec. Marangkayu",
        "64.02.16": "Tenggarong Sbrg",
    }
    big = gpd.GeoDataFrame(
        {
            "WADMKD": ["Desa " + n.upper().replace(" ", "-") for n in kukar_desa["nama_desa"]],
            "WADMKC": [variants.get(k, n) for k, n in zip(kukar_desa["kode_kec"], kukar_desa["nama_kec"], strict=True)],
            "WADMKK": "Kutai Kartanegara",
            # Codes of other desa (rotated): look valid, but the names disagree.
            "KDEPUM": list(kukar_desa["kode_desa"].iloc[1:]) + [kukar_desa["kode_desa"].iloc[0]],
        },
        geometry=kukar_desa.geometry.values,
        crs="EPSG:4326",
    ).to_crs("EPSG:32750")
    big.to_file(tmp_path / "ADMINISTRASIDESA_AR_25K.shp")

    desa = load_boundaries("desa", [tmp_path])
    assert desa.message is None, desa.message
    assert desa.areas.crs.to_epsg() == 4326
    assert sorted(desa.areas["kode_desa"]) == sorted(kukar_desa["kode_desa"])
    expected = dict(zip(kukar_desa["kode_desa"], kukar_desa["nama_desa"], strict=True))
    assert (desa.areas["nama_desa"] == desa.areas["kode_desa"].map(expected)).all()
    # Back in lon/lat, each desa sits where the original one is.
    original = kukar_desa.set_index("kode_desa").geometry
    moved = desa.areas.set_index("kode_desa").geometry
    inside = shapely.within(
        original.loc[moved.index].representative_point().values, shapely.buffer(moved.values, 0.002)
    )
    assert inside.all()

    # With no kecamatan file, kecamatan are dissolved from the desa layer.
    kecamatan = load_boundaries("kecamatan", [tmp_path])
    assert len(kecamatan.areas) == 20
    assert set(kecamatan.areas["nama_kec"]) >= {"Sanga Sanga", "Marang Kayu", "Tenggarong Seberang"}


def test_geoboundaries_geopackages_with_shape_name_only(tmp_path, kukar_kecamatan, kukar_desa):
    kec = gpd.GeoDataFrame(
        {"shapeName": kukar_kecamatan["nama_kec"].str.replace("Sanga Sanga", "Sanga-Sanga"), "shapeType": "ADM3"},
        geometry=kukar_kecamatan.geometry.values,
        crs="EPSG:4326",
    )
    kec.to_file(tmp_path / "geoBoundaries-IDN-ADM3.gpkg", layer="ADM3", driver="GPKG")
    desa = gpd.GeoDataFrame(
        {"shapeName": kukar_desa["nama_desa"], "shapeType": "ADM4"},
        geometry=kukar_desa.geometry.values,
        crs="EPSG:4326",
    )
    desa.to_file(tmp_path / "geoBoundaries-IDN-ADM4.gpkg", layer="ADM4", driver="GPKG")

    kecamatan = load_boundaries("kecamatan", [tmp_path])
    assert sorted(kecamatan.areas["kode_kec"]) == sorted(kukar_kecamatan["kode_kec"])
    assert kecamatan.source.name == "geoBoundaries-IDN-ADM3.gpkg"

    # Eight desa names occur twice in Kukar; the kecamatan layer places them.
    loaded = load_boundaries("desa", [tmp_path])
    assert loaded.unmatched == ()
    assert sorted(loaded.areas["kode_desa"]) == sorted(kukar_desa["kode_desa"])


def test_no_boundary_file_gives_a_message(tmp_path):
    result = load_boundaries("desa", [tmp_path / "missing", tmp_path])
    assert result.is_empty
    assert list(result.areas.columns) == ["kode_desa", "nama_desa", "kode_kec", "nama_kec", "geometry"]
    assert "kukar_desa.geojson" in result.message
    assert "data/boundaries/" in result.message
    assert str(tmp_path) not in result.message  # viewers never see server paths
    assert result.attribution is None


def test_unknown_area_inside_kukar_is_reported(tmp_path, kukar_kecamatan):
    extra = kukar_kecamatan.iloc[[0]].assign(kode_kec="99.99.99", nama_kec="Kecamatan Fiktif")
    gpd.GeoDataFrame(
        list(kukar_kecamatan.iloc[1:].itertuples(index=False)) + list(extra.itertuples(index=False)),
        columns=kukar_kecamatan.columns,
        crs="EPSG:4326",
    ).to_file(tmp_path / "kukar_kecamatan.geojson", driver="GeoJSON")
    result = load_boundaries("kecamatan", [tmp_path])
    assert len(result.areas) == 19
    assert result.unmatched == ("Kecamatan Fiktif",)
    assert "Kecamatan Fiktif" in result.message


def test_cache_follows_file_changes(tmp_path, kukar_kecamatan):
    path = tmp_path / "kukar_kecamatan.geojson"
    kukar_kecamatan.iloc[:5].to_file(path, driver="GeoJSON")
    assert len(load_boundaries("kecamatan", [tmp_path]).areas) == 5
    kukar_kecamatan.iloc[:7].to_file(path, driver="GeoJSON")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert len(load_boundaries("kecamatan", [tmp_path]).areas) == 7


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("64.02.01", "64.02.01"),
        ("640201", "64.02.01"),
        ("6402012001", "64.02.01.2001"),
        ("64.2.1", "64.02.01"),
        (640215.0, "64.02.15"),
        ("6403010", None),  # BPS-style kecamatan code
        ("Tenggarong", None),
        (None, None),
    ],
)
def test_normalize_kemendagri_code(raw, code):
    assert normalize_kemendagri_code(raw) == code
