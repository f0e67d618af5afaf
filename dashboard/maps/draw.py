"""Folium maps that draw with no internet: choropleths of kecamatan/desa and posyandu points.

Offline rules (see ../shared/ECOSYSTEM.md, "Maps with no internet"):
- Leaflet's JS and CSS come from the installed ``xstatic-leaflet`` package as data: URIs;
  folium's other CDN resources (jQuery, Bootstrap, awesome-markers) are dropped, so no
  folium element that needs them (Popup, Marker icons, branca colormaps) is used here.
- No tile layer: the polygons are the base map.
- The legend is an HTML Leaflet control, not a branca colormap (that pulls d3 from a CDN).
- Posyandu are circle markers; clustering is a small inline script (``PointClusterLayer``)
  because folium's MarkerCluster plugin loads leaflet.markercluster from a CDN.
"""

from __future__ import annotations

import base64
import functools
import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from dashboard.formatting import format_number
from dashboard.maps.boundaries import KUKAR_BBOX
from dashboard.theme import INDICATOR_COLORS, OKABE_ITO, SEQUENTIAL_WORSE

Classification = Literal["quantile", "equal"]
AreaLevel = Literal["kecamatan", "desa"]

CLASSIFICATION_LABELS = {"quantile": "Kuantil", "equal": "Interval sama"}
NO_DATA_COLOR = "#D9D9D9"
NO_DATA_LABEL = "tidak ada data"
OUTLINE_COLOR = "#4D4D4D"
MAP_BACKGROUND = "#F4F6F8"
# Centre of Kutai Kartanegara, used before fit_bounds and when nothing can be fitted.
KUKAR_CENTER = (-0.1, 116.5)
POINTS_ONLY_HINT = (
    "Batas wilayah belum tersedia, jadi hanya titik posyandu yang ditampilkan. "
    "Letakkan kukar_kecamatan.geojson dan kukar_desa.geojson (atau Shapefile/GeoPackage) "
    "di folder data/boundaries/ lalu muat ulang halaman."
)

# Registration pipeline of Kepmendagri 2834/2025, in order, Okabe-Ito colours.
POSYANDU_STATUS_STYLES: dict[str, tuple[str, str]] = {
    "belum": ("Belum diajukan", OKABE_ITO["vermillion"]),
    "diajukan": ("Diajukan", OKABE_ITO["orange"]),
    "terverifikasi": ("Terverifikasi", OKABE_ITO["sky_blue"]),
    "teregistrasi": ("Teregistrasi", OKABE_ITO["bluish_green"]),
}
UNKNOWN_STATUS_STYLE = ("Status tidak diketahui", "#7F7F7F")

_LEGEND_BOX = (
    "background:rgba(255,255,255,0.93);padding:8px 10px;border-radius:4px;"
    "box-shadow:0 1px 4px rgba(0,0,0,0.35);font:12px/1.4 Arial,'Liberation Sans',"
    "sans-serif;color:#1A1A1A;max-width:270px"
)


@dataclass(frozen=True)
class IndicatorSpec:
    """What a choropleth shows; ``colors`` (light → dark, 5 of them) overrides the ramp."""

    key: str
    label: str
    unit: str = ""
    higher_is_better: bool = False
    colors: tuple[str, ...] | None = None
    decimals: int = 1

    @property
    def ramp(self) -> tuple[str, ...]:
        if self.colors:
            return tuple(self.colors)
        if not self.higher_is_better:
            return tuple(color for _, color in SEQUENTIAL_WORSE)
        return _ramp_from(INDICATOR_COLORS.get(self.key, OKABE_ITO["blue"]))

    def format_value(self, value: float) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return NO_DATA_LABEL
        return f"{format_number(value, self.decimals)}{self.unit}"


# --- offline assets -------------------------------------------------------------------


@functools.cache
def offline_leaflet_assets() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Leaflet's JS and CSS from the installed xstatic-leaflet, as folium (name, data: URI) pairs.

    Data URIs work both in a saved HTML file and inside streamlit-folium's iframe, which
    loads each ``default_js`` entry as a ``<script src>``. Returns ``(js, css)``.
    """
    from xstatic.pkg import leaflet

    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_bytes()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline_image(match: re.Match[str]) -> str:
        image = base / match.group(1)
        if not image.is_file():
            return match.group(0)
        return f"url({_data_uri(image.read_bytes(), 'image/png')})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline_image, css)
    return (
        (("leaflet", _data_uri(js, "text/javascript")),),
        (("leaflet_css", _data_uri(css.encode("utf-8"), "text/css")),),
    )


def make_offline_map(**kwargs: Any) -> folium.Map:
    """A ``folium.Map`` with no tiles whose only resources are the embedded Leaflet files."""
    kwargs.setdefault("location", KUKAR_CENTER)
    kwargs.setdefault("zoom_start", 8)
    metric_scale = kwargs.pop("control_scale", True)
    # Quarter zoom steps let fit_bounds fill the frame instead of leaving half of it empty.
    kwargs.setdefault("zoom_snap", 0.25)
    m = folium.Map(tiles=None, **kwargs)
    js, css = offline_leaflet_assets()
    # Instance attributes: the class lists are shared by every folium map in the process.
    m.default_js = list(js)
    m.default_css = list(css)
    m.add_child(_BackgroundColor(MAP_BACKGROUND))
    if metric_scale:
        m.add_child(_MetricScale())
    return m


def _data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


# --- classification -------------------------------------------------------------------


def classify(
    values: Sequence[float] | np.ndarray | pd.Series,
    method: Classification,
    k: int = 5,
    *,
    unit: str = "",
    decimals: int = 1,
) -> tuple[list[float], list[str]]:
    """Class bounds (ascending, len = classes + 1) and Indonesian labels; NaN is ignored.

    Quantile bounds that coincide (many equal values) are merged, so fewer than k classes
    may come back; all-missing input gives ``([], [])``. Classes are [b0, b1), [b1, b2), …,
    the last one closed.
    """
    if method not in CLASSIFICATION_LABELS:
        raise ValueError(f"unknown classification {method!r}")
    if k < 1:
        raise ValueError("k must be at least 1")
    data = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return [], []
    low, high = float(data.min()), float(data.max())
    if low == high:
        bins = [low, high]
    elif method == "equal":
        bins = np.linspace(low, high, k + 1).tolist()
    else:
        bins = np.quantile(data, np.linspace(0, 1, k + 1)).tolist()
        bins = [b for i, b in enumerate(bins) if i == 0 or b > bins[i - 1]]
    bins = [float(b) for b in bins]
    labels = [
        f"{format_number(bins[i], decimals)}{unit} – {format_number(bins[i + 1], decimals)}{unit}"
        if bins[i] != bins[i + 1]
        else f"{format_number(bins[i], decimals)}{unit}"
        for i in range(len(bins) - 1)
    ]
    return bins, labels


def assign_classes(values: Sequence[float] | np.ndarray | pd.Series, bins: Sequence[float]) -> np.ndarray:
    """Class index of each value for ``bins`` from :func:`classify`; -1 for missing."""
    data = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    if len(bins) < 2:
        return np.full(data.shape, -1, dtype=int)
    inner = np.asarray(bins[1:-1], dtype=float)
    classes = np.searchsorted(inner, data, side="right")
    classes[~np.isfinite(data)] = -1
    return classes.astype(int)


def class_colors(ramp: Sequence[str], n_classes: int) -> list[str]:
    """``n_classes`` colours spread over the ramp (fewer classes keep light and dark ends)."""
    if n_classes <= 0:
        return []
    if n_classes == 1:
        return [ramp[len(ramp) // 2]]
    positions = np.linspace(0, len(ramp) - 1, n_classes).round().astype(int)
    return [ramp[i] for i in positions]


# --- maps -----------------------------------------------------------------------------


def build_choropleth_map(
    areas: gpd.GeoDataFrame,
    values: pd.DataFrame,
    indicator: IndicatorSpec,
    classification: Classification = "quantile",
    posyandu: pd.DataFrame | None = None,
    *,
    k: int = 5,
    outline: gpd.GeoDataFrame | None = None,
    source_note: str | None = None,
    attribution: str | None = None,
    status_column: str = "registration_status",
    height: str | int = "100%",
) -> folium.Map:
    """Areas coloured by ``values`` in k classes, with legend, tooltips and posyandu points.

    With no areas (no boundary file) this is :func:`build_points_only_map`.

    ``areas`` comes from ``load_boundaries`` (``kode_kec, nama_kec`` or ``kode_desa,
    nama_desa, kode_kec``). ``values`` has ``code`` (Kemendagri code of the area),
    ``value`` (in display units: 14.9 for 14,9%), optional ``n`` (number of records behind
    the value; 0 means no data) and optional ``label`` (extra tooltip text such as a
    confidence interval). ``outline`` (e.g. kecamatan on a desa map) is drawn as lines.
    ``source_note`` ("Sumber: e-PPGBM, Maret 2026 (data rutin)") goes under the legend.
    ``attribution`` defaults to the one ``load_boundaries`` stored in ``areas.attrs``.
    """
    if areas.empty:
        return build_points_only_map(
            posyandu if posyandu is not None else pd.DataFrame(), status_column=status_column, height=height
        )
    level: AreaLevel = "desa" if "kode_desa" in areas.columns else "kecamatan"
    code_col = "kode_desa" if level == "desa" else "kode_kec"
    name_col = "nama_desa" if level == "desa" else "nama_kec"
    merged = _merge_values(areas, values, code_col)
    bins, labels = classify(merged["value"], classification, k, unit=indicator.unit, decimals=indicator.decimals)
    colors = class_colors(indicator.ramp, len(labels))
    classes = assign_classes(merged["value"], bins)

    m = make_offline_map(height=height)
    features = []
    for row, cls in zip(merged.itertuples(index=False), classes, strict=True):
        props = {
            code_col: getattr(row, code_col),
            "kode_kec": row.kode_kec,
            "nama": html.escape(str(getattr(row, name_col))),
            "nilai": html.escape(indicator.format_value(row.value)),
            "n": NO_DATA_LABEL if pd.isna(row.n) else format_number(row.n, 0),
            "keterangan": html.escape(str(row.label)) if isinstance(row.label, str) else "",
            "warna": colors[cls] if cls >= 0 else NO_DATA_COLOR,
        }
        if level == "desa":
            props["kecamatan"] = html.escape(str(row.nama_kec))
        features.append(
            {
                "type": "Feature",
                "id": props[code_col],
                "properties": props,
                "geometry": shapely.geometry.mapping(row.geometry),
            }
        )
    fields, aliases = _tooltip_fields(level, indicator, merged)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=f"{indicator.label} per {level}",
        style_function=lambda f: {
            "fillColor": f["properties"]["warna"],
            "fillOpacity": 0.85,
            "color": "#FFFFFF",
            "weight": 0.8,
        },
        highlight_function=lambda f: {"color": "#1A1A1A", "weight": 2.5, "fillOpacity": 0.95},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(m)
    if outline is not None and not outline.empty:
        _add_outline(m, outline)
    m.fit_bounds(_bounds(areas))

    legend = _legend_html(
        indicator,
        classification,
        labels,
        colors,
        has_missing=bool((classes < 0).any()),
        source_note=source_note,
    )
    m.add_child(_HtmlControl(legend, "bottomleft"))
    if posyandu is not None:
        status_counts = _add_posyandu(m, posyandu, status_column)
        m.add_child(_HtmlControl(_status_legend_html(status_counts), "topright"))
        folium.LayerControl(position="topright", collapsed=True).add_to(m)
    attribution = attribution if attribution is not None else areas.attrs.get("attribution")
    if attribution:
        m.add_child(_Attribution(attribution))
    return m


def build_points_only_map(
    posyandu: pd.DataFrame,
    message: str | None = None,
    *,
    status_column: str = "registration_status",
    height: str | int = "100%",
) -> folium.Map:
    """Posyandu points (clustered when zoomed out) with a note on how to add boundaries."""
    m = make_offline_map(height=height)
    m.add_child(_HtmlControl(_note_html(message or POINTS_ONLY_HINT), "topright"))
    status_counts = _add_posyandu(m, posyandu, status_column)
    points = _valid_points(posyandu)
    if len(points):
        south, north = points["lat"].min(), points["lat"].max()
        west, east = points["lon"].min(), points["lon"].max()
        pad = 0.02
        m.fit_bounds([[south - pad, west - pad], [north + pad, east + pad]])
    else:
        west, south, east, north = KUKAR_BBOX
        m.fit_bounds([[south, west], [north, east]])
    m.add_child(_HtmlControl(_status_legend_html(status_counts), "bottomleft"))
    return m


def clicked_area_code(st_folium_return: Mapping[str, Any] | None, level: AreaLevel) -> str | None:
    """Kemendagri code of the area last clicked on a ``st_folium`` map, or None.

    Reads ``last_active_drawing`` (the clicked GeoJSON feature). On a desa map, level
    "kecamatan" gives the kecamatan of the clicked desa. Clicks on posyandu points are
    not areas and give None.
    """
    if not st_folium_return:
        return None
    feature = st_folium_return.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    geometry = feature.get("geometry") or {}
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    props = feature.get("properties") or {}
    code = props.get("kode_desa" if level == "desa" else "kode_kec")
    pattern = r"64\.02\.\d{2}\.\d{4}" if level == "desa" else r"64\.02\.\d{2}"
    if isinstance(code, str) and re.fullmatch(pattern, code):
        return code
    return None


def clicked_posyandu_id(st_folium_return: Mapping[str, Any] | None) -> str | None:
    """``posyandu_id`` of the posyandu point last clicked on a ``st_folium`` map, or None."""
    if not st_folium_return:
        return None
    feature = st_folium_return.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    if (feature.get("geometry") or {}).get("type") != "Point":
        return None
    value = (feature.get("properties") or {}).get("posyandu_id")
    return str(value) if value not in (None, "") else None


# --- map pieces -----------------------------------------------------------------------


class _HtmlControl(MacroElement):
    """A Leaflet control holding fixed HTML (legend, note); works inside streamlit-folium."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "dasbor-map-control");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position


class _Attribution(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if ({{ this._parent.get_name() }}.attributionControl) {
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
            // Small, and stacked in the legend's corner: at its inherited size in the opposite corner
            // it covered the scale bar and, on a half-width map, the legend's last line.
            {{ this._parent.get_name() }}.attributionControl.setPosition("bottomleft");
            var box = {{ this._parent.get_name() }}.attributionControl.getContainer();
            box.style.fontSize = "10px";
            box.style.lineHeight = "1.3";
            box.style.maxWidth = "90%";
        }
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = html.escape(text)


class _BackgroundColor(MacroElement):
    # Set from script, not CSS in the header, so it also applies inside streamlit-folium.
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.color|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, color: str) -> None:
        super().__init__()
        self._name = "BackgroundColor"
        self.color = color


class _MetricScale(MacroElement):
    # folium's control_scale is Leaflet's default scale, which also shows miles and feet.
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class PointClusterLayer(folium.map.Layer):
    """Posyandu circle markers, grouped into count bubbles while zoomed out; fully offline.

    Each redraw (on ``zoomend``) puts the points in a grid of ``cell_px`` screen pixels;
    a cell with one point shows the point, a cell with several shows a bubble with the
    count and a ring split by status share. Clicking a bubble zooms to its points.
    Above ``max_cluster_zoom`` every point is drawn. The markers live in one
    ``L.featureGroup`` so streamlit-folium sees clicks on them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function (map, layer) {
            var points = {{ this.points|tojson }};
            var styles = {{ this.styles|tojson }};
            var cellPx = {{ this.cell_px }};
            var maxClusterZoom = {{ this.max_cluster_zoom }};
            function pointMarker(p) {
                var marker = L.circleMarker([p[0], p[1]], {
                    radius: 6, color: "#1A1A1A", weight: 1,
                    fillColor: styles[p[2]][1], fillOpacity: 0.95
                });
                marker.feature = {type: "Feature", properties: {posyandu_id: p[4]}};
                return marker.bindTooltip(p[3]);
            }
            function clusterMarker(members) {
                var lat = 0, lon = 0, counts = styles.map(function () { return 0; });
                members.forEach(function (p) { lat += p[0]; lon += p[1]; counts[p[2]] += 1; });
                var n = members.length, acc = 0, stops = [], lines = [];
                counts.forEach(function (c, i) {
                    if (!c) { return; }
                    var from = acc / n * 100;
                    acc += c;
                    stops.push(styles[i][1] + " " + from + "% " + (acc / n * 100) + "%");
                    lines.push(styles[i][0] + ": " + c);
                });
                var size = Math.round(26 + 9 * Math.log(n) / Math.LN10);
                var html = '<div style="width:' + size + 'px;height:' + size + 'px;' +
                    'border-radius:50%;background:conic-gradient(' + stops.join(",") + ');' +
                    'box-shadow:0 0 0 1px #1A1A1A;display:flex;align-items:center;' +
                    'justify-content:center"><div style="width:' + (size - 10) + 'px;' +
                    'height:' + (size - 10) + 'px;border-radius:50%;background:#FFFFFF;' +
                    'display:flex;align-items:center;justify-content:center;' +
                    'font:bold 11px Arial,sans-serif;color:#1A1A1A">' + n + '</div></div>';
                var marker = L.marker([lat / n, lon / n], {
                    icon: L.divIcon({html: html, className: "dasbor-cluster", iconSize: [size, size]}),
                    keyboard: false
                });
                marker.bindTooltip("<b>" + n + " posyandu</b><br>" + lines.join("<br>") +
                    "<br><i>Klik untuk memperbesar</i>");
                marker.on("click", function () {
                    var bounds = L.latLngBounds(members.map(function (p) { return [p[0], p[1]]; }));
                    map.fitBounds(bounds.pad(0.2), {maxZoom: maxClusterZoom + 1});
                });
                return marker;
            }
            function redraw() {
                layer.clearLayers();
                var zoom = map.getZoom();
                if (zoom > maxClusterZoom) {
                    points.forEach(function (p) { layer.addLayer(pointMarker(p)); });
                    return;
                }
                var cells = {}, order = [];
                points.forEach(function (p) {
                    var xy = map.project([p[0], p[1]], zoom);
                    var key = Math.floor(xy.x / cellPx) + ":" + Math.floor(xy.y / cellPx);
                    if (!cells[key]) { cells[key] = []; order.push(key); }
                    cells[key].push(p);
                });
                order.forEach(function (key) {
                    var members = cells[key];
                    layer.addLayer(members.length === 1 ? pointMarker(members[0]) : clusterMarker(members));
                });
            }
            map.on("zoomend", redraw);
            redraw();
        })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        points: list[list[Any]],
        styles: list[tuple[str, str]],
        cell_px: int = 70,
        max_cluster_zoom: int = 12,
        name: str = "Posyandu",
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PointClusterLayer"
        self.points = points
        self.styles = [list(s) for s in styles]
        self.cell_px = int(cell_px)
        self.max_cluster_zoom = int(max_cluster_zoom)


# --- helpers --------------------------------------------------------------------------


def _ramp_from(base: str) -> tuple[str, ...]:
    """Five colours from a pale tint of ``base`` to a darker shade of it."""
    rgb = np.array([int(base[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    white = np.full(3, 255.0)
    steps = [white + (rgb - white) * t for t in (0.12, 0.35, 0.6, 0.85)] + [rgb * 0.7]
    return tuple("#" + "".join(f"{int(round(c)):02X}" for c in step) for step in steps)


def _merge_values(areas: gpd.GeoDataFrame, values: pd.DataFrame, code_col: str) -> pd.DataFrame:
    if "code" not in values.columns or "value" not in values.columns:
        raise ValueError("values needs columns 'code' and 'value' (and optionally 'n', 'label')")
    vals = values.copy()
    vals["code"] = vals["code"].astype(str)
    vals = vals.drop_duplicates("code", keep="last").set_index("code")
    merged = pd.DataFrame(areas.drop(columns="geometry")).copy()
    merged["geometry"] = areas.geometry.values
    if "kode_kec" not in merged.columns:
        merged["kode_kec"] = merged[code_col].str[:8]
    codes = merged[code_col].astype(str)
    merged["value"] = pd.to_numeric(codes.map(vals["value"]), errors="coerce").astype(float)
    merged["n"] = pd.to_numeric(codes.map(vals["n"]), errors="coerce").astype(float) if "n" in vals.columns else np.nan
    merged["label"] = codes.map(vals["label"]) if "label" in vals.columns else None
    # n = 0 means the value stands on no records: show it as missing, not as 0.
    merged.loc[merged["n"] == 0, "value"] = np.nan
    return merged


def _tooltip_fields(level: AreaLevel, indicator: IndicatorSpec, merged: pd.DataFrame) -> tuple[list[str], list[str]]:
    fields = ["nama"]
    aliases = ["Desa/Kelurahan" if level == "desa" else "Kecamatan"]
    if level == "desa":
        fields.append("kecamatan")
        aliases.append("Kecamatan")
    fields += ["nilai", "n"]
    aliases += [html.escape(indicator.label), "Jumlah data (n)"]
    if merged["label"].map(lambda x: isinstance(x, str) and bool(x)).any():
        fields.append("keterangan")
        aliases.append("Keterangan")
    return fields, aliases


def _add_outline(m: folium.Map, outline: gpd.GeoDataFrame) -> None:
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)} for g in outline.geometry
        ],
    }
    folium.GeoJson(
        data,
        name="Batas kecamatan",
        style_function=lambda f: {"fill": False, "color": OUTLINE_COLOR, "weight": 1.6},
        interactive=False,
        control=False,
    ).add_to(m)


def _bounds(areas: gpd.GeoDataFrame) -> list[list[float]]:
    west, south, east, north = areas.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def _valid_points(posyandu: pd.DataFrame) -> pd.DataFrame:
    if not {"lat", "lon"} <= set(posyandu.columns):
        return posyandu.iloc[0:0].assign(lat=[], lon=[])
    lat = pd.to_numeric(posyandu["lat"], errors="coerce")
    lon = pd.to_numeric(posyandu["lon"], errors="coerce")
    west, south, east, north = KUKAR_BBOX
    ok = lat.between(south, north) & lon.between(west, east)
    return posyandu.loc[ok].assign(lat=lat[ok].astype(float), lon=lon[ok].astype(float))


def _status_style(status: object) -> tuple[str, str]:
    key = str(status).strip().lower() if isinstance(status, str) else ""
    return POSYANDU_STATUS_STYLES.get(key, UNKNOWN_STATUS_STYLE)


def _add_posyandu(m: folium.Map, posyandu: pd.DataFrame, status_column: str) -> dict[tuple[str, str], int] | None:
    """Adds the clustered points; returns counts per status style, plus unplaced ones."""
    points = _valid_points(posyandu)
    styles = list(POSYANDU_STATUS_STYLES.values()) + [UNKNOWN_STATUS_STYLE]
    index = {style: i for i, style in enumerate(styles)}
    counts = dict.fromkeys(styles, 0)
    rows = []
    for row in points.to_dict("records"):
        style = _status_style(row.get(status_column))
        counts[style] += 1
        rows.append(
            [
                round(row["lat"], 6),
                round(row["lon"], 6),
                index[style],
                _posyandu_tooltip(row, style[0]),
                str(row.get("posyandu_id") or ""),
            ]
        )
    if rows:
        m.add_child(PointClusterLayer(rows, styles))
    missing = len(posyandu) - len(points)
    if missing:
        counts[("tanpa koordinat", "")] = missing
    return counts


def _posyandu_tooltip(row: dict[str, Any], status_label: str) -> str:
    name = row.get("posyandu_name") or row.get("posyandu_id") or "Posyandu"
    lines = [f"<b>{html.escape(str(name))}</b>"]
    if row.get("nama_desa"):
        lines.append(f"Desa/Kel.: {html.escape(str(row['nama_desa']))}")
    lines.append(f"Status registrasi: {html.escape(status_label)}")
    return "<br>".join(lines)


def _swatch(color: str, circle: bool = False) -> str:
    radius = "50%" if circle else "2px"
    return (
        f'<span style="display:inline-block;width:13px;height:13px;background:{color};'
        f"border:1px solid #7F7F7F;border-radius:{radius};vertical-align:-2px;"
        f'margin-right:6px"></span>'
    )


def _legend_html(
    indicator: IndicatorSpec,
    classification: Classification,
    labels: Sequence[str],
    colors: Sequence[str],
    *,
    has_missing: bool,
    source_note: str | None,
) -> str:
    unit = f" ({indicator.unit})" if indicator.unit else ""
    direction = "lebih baik" if indicator.higher_is_better else "lebih buruk"
    parts = [
        f'<div style="{_LEGEND_BOX}">',
        f"<div style='font-weight:bold'>{html.escape(indicator.label)}{html.escape(unit)}</div>",
        f"<div style='color:#4D4D4D'>Klasifikasi: {CLASSIFICATION_LABELS[classification]} ({len(labels)} kelas)</div>",
    ]
    parts += [f"<div>{_swatch(c)}{html.escape(label)}</div>" for c, label in zip(colors, labels, strict=True)]
    if has_missing or not labels:
        parts.append(f"<div>{_swatch(NO_DATA_COLOR)}{NO_DATA_LABEL}</div>")
    if labels:
        parts.append(f"<div style='color:#4D4D4D;font-size:11px'>Makin gelap = nilai makin tinggi ({direction})</div>")
    if source_note:
        parts.append(f"<div style='color:#4D4D4D;font-size:11px'>{html.escape(source_note)}</div>")
    parts.append("</div>")
    return "".join(parts)


def _status_rows(status_counts: dict[tuple[str, str], int]) -> str:
    rows = ["<div style='font-weight:bold;margin-top:6px'>Posyandu (status registrasi)</div>"]
    for (label, color), count in status_counts.items():
        if not color or not count:
            continue
        rows.append(f"<div>{_swatch(color, circle=True)}{html.escape(label)}: {format_number(count)}</div>")
    unplaced = status_counts.get(("tanpa koordinat", ""), 0)
    if unplaced:
        rows.append(
            f"<div style='color:#4D4D4D;font-size:11px'>{format_number(unplaced)} posyandu "
            f"tanpa koordinat yang valid tidak digambar</div>"
        )
    rows.append(
        "<div style='color:#4D4D4D;font-size:11px'>Lingkaran berangka = kelompok posyandu; "
        "perbesar peta untuk melihat titiknya</div>"
    )
    return "".join(rows)


def _status_legend_html(status_counts: dict[tuple[str, str], int] | None) -> str:
    body = _status_rows(status_counts) if status_counts else "<div>Tidak ada data posyandu.</div>"
    return f'<div style="{_LEGEND_BOX}">{body}</div>'


def _note_html(message: str) -> str:
    return (
        f'<div style="{_LEGEND_BOX};max-width:320px;border-left:4px solid {OKABE_ITO["orange"]}">'
        f"{html.escape(message)}</div>"
    )
