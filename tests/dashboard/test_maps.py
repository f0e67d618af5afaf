import base64
import re
import shutil
import subprocess

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from dashboard.maps.boundaries import DEFAULT_ATTRIBUTION, load_boundaries
from dashboard.maps.draw import (
    NO_DATA_COLOR,
    IndicatorSpec,
    assign_classes,
    build_choropleth_map,
    build_points_only_map,
    class_colors,
    classify,
    clicked_area_code,
    clicked_posyandu_id,
    offline_leaflet_assets,
)

STUNTING = IndicatorSpec(key="stunting", label="Prevalensi stunting", unit="%", higher_is_better=False)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def kecamatan(kukar_boundaries) -> gpd.GeoDataFrame:
    return load_boundaries("kecamatan", [kukar_boundaries]).areas


@pytest.fixture(scope="module")
def desa(kukar_boundaries) -> gpd.GeoDataFrame:
    return load_boundaries("desa", [kukar_boundaries]).areas


@pytest.fixture(scope="module")
def posyandu(desa) -> pd.DataFrame:
    points = desa.representative_point()
    statuses = ["belum", "diajukan", "terverifikasi", "teregistrasi", None]
    frame = pd.DataFrame(
        {
            "posyandu_id": [f"P{i:04d}" for i in range(len(desa))],
            "posyandu_name": [f"Posyandu <Melati> {i}" for i in range(len(desa))],
            "nama_desa": desa["nama_desa"].values,
            "registration_status": [statuses[i % 5] for i in range(len(desa))],
            "lat": points.y.values,
            "lon": points.x.values,
        }
    )
    frame.loc[0, ["lat", "lon"]] = np.nan  # no coordinates: counted, not drawn
    return frame


def kecamatan_values(kecamatan: gpd.GeoDataFrame) -> pd.DataFrame:
    codes = list(kecamatan["kode_kec"])
    values = pd.DataFrame(
        {
            "code": codes[:19],
            "value": [10.0 + i for i in range(19)],
            "n": [100 + i for i in range(19)],
            "label": "Sumber: contoh",
        }
    )
    values.loc[18, "n"] = 0  # a value on no records is shown as missing
    return values  # codes[19] has no row at all


def resource_urls(page: str) -> list[str]:
    scripts = re.findall(r"<script[^>]*\bsrc\s*=\s*[\"']([^\"']*)", page, flags=re.IGNORECASE)
    links = re.findall(r"<link[^>]*\bhref\s*=\s*[\"']([^\"']*)", page, flags=re.IGNORECASE)
    return scripts + links


def visible_text(page: str) -> str:
    """The page with JSON string escapes (\\u2013 for an en dash) undone, as a browser reads it."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def geojson_features(m: folium.Map) -> list[dict]:
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name != "Batas kecamatan"]
    return layers[0].data["features"]


def test_choropleth_is_fully_offline(kecamatan, posyandu):
    m = build_choropleth_map(kecamatan, kecamatan_values(kecamatan), STUNTING, "quantile", posyandu)
    page = m.get_root().render()
    urls = resource_urls(page)
    assert urls, "Leaflet must still be loaded"
    assert all(u.startswith("data:") for u in urls), [u[:60] for u in urls if not u.startswith("data:")]
    assert "http://" not in page and "https://" not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert "d3.min.js" not in page and "markercluster" not in page.lower()
    assert m.default_js == list(offline_leaflet_assets()[0])
    # Other folium maps in the process keep their defaults.
    assert folium.Map.default_js[0][1].startswith("https://")


def test_choropleth_legend_tooltips_and_missing_data(kecamatan, posyandu):
    values = kecamatan_values(kecamatan)
    m = build_choropleth_map(kecamatan, values, STUNTING, "quantile", posyandu, source_note="Sumber: e-PPGBM")
    page = visible_text(m.get_root().render())
    assert "Prevalensi stunting (%)" in page
    assert "Klasifikasi: Kuantil (5 kelas)" in page
    assert "tidak ada data" in page
    _, labels = classify(values.loc[values["n"] > 0, "value"], "quantile", unit="%")
    for label in labels:
        assert label in page
    assert "10,0% – " in labels[0]
    assert DEFAULT_ATTRIBUTION in page
    assert "Sumber: e-PPGBM" in page
    assert "Jumlah data (n)" in page and "Keterangan" in page
    assert "Posyandu (status registrasi)" in page and "tanpa koordinat" in page
    assert "Posyandu &lt;Melati&gt; 1" in page  # names are escaped in tooltips

    by_code = {f["id"]: f["properties"] for f in geojson_features(m)}
    codes = list(kecamatan["kode_kec"])
    assert by_code[codes[0]]["nilai"] == "10,0%"
    assert by_code[codes[0]]["n"] == "100"
    assert by_code[codes[18]]["nilai"] == "tidak ada data"  # n = 0
    assert by_code[codes[19]]["nilai"] == "tidak ada data"  # no row
    assert by_code[codes[19]]["warna"] == NO_DATA_COLOR
    assert by_code[codes[0]]["warna"] == STUNTING.ramp[0]
    assert by_code[codes[17]]["warna"] == STUNTING.ramp[-1]


def test_equal_interval_legend_and_no_attribution_for_other_sources(kecamatan):
    areas = kecamatan.copy()
    areas.attrs = {}
    m = build_choropleth_map(areas, kecamatan_values(kecamatan), STUNTING, "equal")
    page = m.get_root().render()
    assert "Klasifikasi: Interval sama (5 kelas)" in page
    assert "cahyadsn" not in page
    assert "PointClusterLayer" not in page and "Posyandu (status" not in page


def test_desa_map_with_kecamatan_outline(desa, kecamatan, posyandu):
    values = pd.DataFrame({"code": desa["kode_desa"], "value": np.linspace(0, 40, len(desa)), "n": 50})
    m = build_choropleth_map(desa, values, STUNTING, posyandu=posyandu, outline=kecamatan)
    page = visible_text(m.get_root().render())
    assert "Desa/Kelurahan" in page
    outline_layers = [
        c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Batas kecamatan"
    ]
    assert len(outline_layers) == 1 and len(outline_layers[0].data["features"]) == 20
    assert '"interactive": false' in page  # the outline does not steal clicks from desa
    features = geojson_features(m)
    assert len(features) == 237
    assert {"kode_desa", "kode_kec", "kecamatan"} <= set(features[0]["properties"])


def test_points_only_map_explains_how_to_add_boundaries(posyandu):
    message = load_boundaries("kecamatan", []).message
    m = build_points_only_map(posyandu, message)
    page = visible_text(m.get_root().render())
    assert all(u.startswith("data:") for u in resource_urls(page))
    assert "http://" not in page and "https://" not in page
    assert "data/boundaries/" in page and "kukar_kecamatan.geojson" in page
    assert "Teregistrasi" in page and "Belum diajukan" in page
    assert page.count('"P0') == len(posyandu) - 1  # one row has no coordinates


def test_offline_assets_are_the_installed_leaflet():
    (js,), (css,) = offline_leaflet_assets()
    assert js[0] == "leaflet" and js[1].startswith("data:text/javascript;base64,")
    assert b"1.9.3" in base64.b64decode(js[1].split(",", 1)[1])
    stylesheet = base64.b64decode(css[1].split(",", 1)[1]).decode()
    assert ".leaflet-container" in stylesheet
    assert "url(images/" not in stylesheet  # layer-control icons inlined too


def test_classify_quantile_and_equal_on_known_input():
    values = [0, 1, 2, 3, 4, 100, np.nan]
    bins, labels = classify(values, "quantile", k=5)
    assert bins == pytest.approx([0, 1, 2, 3, 4, 100])
    assert labels[0] == "0,0 – 1,0" and labels[-1] == "4,0 – 100,0"
    bins, labels = classify(values, "equal", k=5)
    assert bins == pytest.approx([0, 20, 40, 60, 80, 100])
    assert labels[1] == "20,0 – 40,0"


def test_classify_formats_bounds_the_indonesian_way():
    assert classify([0, 1234.5, 2000], "equal", k=2)[1] == ["0,0 – 1.000,0", "1.000,0 – 2.000,0"]
    assert classify([10, 14.9, 20], "equal", k=2, unit="%")[1] == ["10,0% – 15,0%", "15,0% – 20,0%"]
    assert classify([14.9, 16], "quantile", k=1, unit="%", decimals=1)[1] == ["14,9% – 16,0%"]


def test_classify_edge_cases():
    assert classify([np.nan, None], "quantile") == ([], [])
    assert classify([7, 7, 7], "equal") == ([7.0, 7.0], ["7,0"])
    bins, labels = classify([5, 5, 5, 5, 6], "quantile", k=5)
    assert bins == pytest.approx([5, 5.2, 6])  # tied bounds merged: two classes
    assert len(labels) == 2
    with pytest.raises(ValueError):
        classify([1, 2], "jenks")


def test_assign_classes_and_colours():
    bins = [0, 20, 40, 60, 80, 100]
    assert list(assign_classes([0, 19.9, 20, 99, 100, np.nan], bins)) == [0, 0, 1, 4, 4, -1]
    ramp = STUNTING.ramp
    assert len(ramp) == 5 and class_colors(ramp, 5) == list(ramp)
    assert class_colors(ramp, 2) == [ramp[0], ramp[-1]]
    better = IndicatorSpec("ds_ratio", "Partisipasi D/S", "%", higher_is_better=True)
    assert len(better.ramp) == 5 and better.ramp != ramp


def test_clicked_area_code_reads_the_clicked_polygon():
    polygon = {"type": "Polygon", "coordinates": []}
    desa_click = {
        "last_active_drawing": {
            "type": "Feature",
            "geometry": polygon,
            "properties": {"kode_desa": "64.02.06.1001", "kode_kec": "64.02.06"},
        }
    }
    assert clicked_area_code(desa_click, "desa") == "64.02.06.1001"
    assert clicked_area_code(desa_click, "kecamatan") == "64.02.06"
    point_click = {
        "last_active_drawing": {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [117, -0.4]},
            "properties": {"posyandu_id": "P0001"},
        }
    }
    assert clicked_area_code(point_click, "kecamatan") is None
    assert clicked_posyandu_id(point_click) == "P0001"
    assert clicked_area_code({"last_active_drawing": None}, "desa") is None
    assert clicked_area_code(None, "desa") is None
    bad = {"last_active_drawing": {"geometry": polygon, "properties": {"kode_kec": "6403010"}}}
    assert clicked_area_code(bad, "kecamatan") is None


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Chromium is not installed (Debian package chromium)")
def test_map_draws_in_headless_chromium_without_network(tmp_path, kecamatan, posyandu):
    m = build_choropleth_map(kecamatan, kecamatan_values(kecamatan), STUNTING, posyandu=posyandu)
    page = tmp_path / "map.html"
    page.write_text(m.get_root().render(), encoding="utf-8")
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    # One SVG path per kecamatan plus posyandu circles/bubbles, legend and attribution.
    assert dom.count('class="leaflet-interactive"') >= 20
    assert "dasbor-cluster" in dom
    assert "Klasifikasi: Kuantil" in dom
    assert "cahyadsn/wilayah_boundaries" in dom
    # The scale bar is metric only: Leaflet's default also draws miles/feet.
    scale_lines = re.findall(r'class="leaflet-control-scale-line"[^>]*>([^<]*)<', dom)
    assert scale_lines and all(re.fullmatch(r"\d+ k?m", line) for line in scale_lines), scale_lines


def test_choropleth_without_boundaries_falls_back_to_points(tmp_path, posyandu):
    empty = load_boundaries("kecamatan", [tmp_path]).areas
    m = build_choropleth_map(empty, pd.DataFrame({"code": [], "value": []}), STUNTING, posyandu=posyandu)
    page = visible_text(m.get_root().render())
    assert "data/boundaries/" in page
    assert "PointClusterLayer" in page or "dasbor-cluster" in page
    assert "http://" not in page and "https://" not in page
