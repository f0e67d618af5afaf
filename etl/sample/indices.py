"""Desa indices (IDM 2021-2024 for desa, Indeks Desa 2025 for all) and the official
stunting figures table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.sample.areas import KECAMATAN_PROFILES
from etl.sample.streams import make_rng

INDEX_COLUMNS = ["Kode Desa", "Kecamatan", "Desa/Kelurahan", "Indeks", "Tahun", "Nilai", "Status", "Sumber"]
STUNTING_COLUMNS = ["Tahun", "Wilayah", "Nilai (%)", "Sumber", "Jenis"]
STATUSES = ["Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal"]
IDM_CUTS = [0.8155, 0.7072, 0.5989, 0.4907]  # lower bounds (exclusive) of the first four
# Desa per IDM status and year; 2024 is Kukar's published count, earlier years synthetic.
IDM_COUNTS = {
    2021: [28, 79, 80, 6, 0],
    2022: [45, 88, 58, 2, 0],
    2023: [68, 87, 38, 0, 0],
    2024: [87, 83, 23, 0, 0],
}
# Indeks Desa cut-offs are not published; the sample applies the IDM ones ×100.
INDEKS_DESA_CUTS = [c * 100 for c in IDM_CUTS]
SOURCE_IDM = "IDM {year} Kemendesa PDT (nilai sintetis)"
SOURCE_ID = "Indeks Desa 2025 Kemendesa PDT (nilai sintetis)"

OFFICIAL_STUNTING = [
    (2021, "SSGI 2021", "survei", [26.4, 22.8, 24.4]),
    (2022, "SSGI 2022", "survei", [27.1, 23.9, 21.6]),
    (2023, "SKI 2023", "survei", [17.6, 22.9, 21.5]),
    (2024, "SSGI 2024", "survei", [14.2, 22.2, 19.8]),
]


def _status(value: float, cuts: list[float]) -> str:
    for cut, name in zip(cuts, STATUSES, strict=False):
        if value > cut:
            return name
    return STATUSES[-1]


def _band_values(rank_share: np.ndarray, low: float, high: float) -> np.ndarray:
    """Spread values inside a status band by rank (best rank → near the top)."""
    return low + (high - low) * (0.08 + 0.84 * rank_share)


def build_indices(desa: pd.DataFrame, seed: int) -> pd.DataFrame:
    """indeks_desa rows (long form)."""
    rng = make_rng(seed, "indeks")
    tier = desa["kode_kec"].map(lambda c: KECAMATAN_PROFILES[c].tier).to_numpy()
    latent = rng.normal(0.0, 1.0, len(desa)) - 0.55 * tier
    is_desa = (desa["jenis"] == "desa").to_numpy()
    records = []
    desa_rows = np.flatnonzero(is_desa)
    bounds = [1.0, *IDM_CUTS, 0.40]
    for year, counts in IDM_COUNTS.items():
        score = latent[desa_rows] + rng.normal(0.0, 0.15, len(desa_rows))
        order = np.argsort(-score, kind="stable")
        values = np.empty(len(desa_rows))
        start = 0
        for k, n in enumerate(counts):
            if n == 0:
                continue
            members = order[start : start + n]
            share = np.linspace(1.0, 0.0, n) if n > 1 else np.array([0.5])
            values[members] = _band_values(share, bounds[k + 1], bounds[k] if k else 0.93)
            start += n
        for i, v in zip(desa_rows, values, strict=True):
            records.append(
                (
                    i,
                    "IDM",
                    year,
                    round(float(v), 4),
                    _status(round(float(v), 4), IDM_CUTS),
                    SOURCE_IDM.format(year=year),
                )
            )
    indeks = np.clip(74.0 + 8.5 * latent + rng.normal(0, 3.0, len(desa)) + np.where(is_desa, 0, 6.0), 38, 96)
    layanan = np.clip(indeks + 3.0 + rng.normal(0, 4.5, len(desa)), 35, 99)
    for i in range(len(desa)):
        records.append(
            (
                i,
                "Indeks Desa",
                2025,
                round(float(indeks[i]), 2),
                _status(round(float(indeks[i]), 2), INDEKS_DESA_CUTS),
                SOURCE_ID,
            )
        )
        records.append(
            (
                i,
                "Indeks Desa - Layanan Dasar",
                2025,
                round(float(layanan[i]), 2),
                _status(round(float(layanan[i]), 2), INDEKS_DESA_CUTS),
                SOURCE_ID,
            )
        )
    frame = pd.DataFrame(records, columns=["row", "Indeks", "Tahun", "Nilai", "Status", "Sumber"])
    frame = frame.join(desa[["kode_desa", "nama_kec", "nama_desa"]], on="row")
    frame = frame.rename(columns={"kode_desa": "Kode Desa", "nama_kec": "Kecamatan", "nama_desa": "Desa/Kelurahan"})
    return frame.sort_values(["Kode Desa", "Indeks", "Tahun"], kind="stable")[INDEX_COLUMNS].reset_index(drop=True)


def build_official_stunting() -> pd.DataFrame:
    """The survey table of DOMAIN.md plus the 2025 pengukuran serentak (routine)."""
    areas = ["Kutai Kartanegara", "Kalimantan Timur", "Indonesia"]
    rows = [
        (year, area, value, source, kind)
        for year, source, kind, values in OFFICIAL_STUNTING
        for area, value in zip(areas, values, strict=True)
    ]
    rows.append((2025, "Kutai Kartanegara", 12.6, "Pengukuran serentak 2025 (e-PPGBM)", "rutin"))
    return pd.DataFrame(rows, columns=STUNTING_COLUMNS)
