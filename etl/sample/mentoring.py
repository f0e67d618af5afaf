"""Mentoring teams (one team for two neighbouring kecamatan) and their visits in 2025."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from etl.sample.kader import THEMES
from etl.sample.streams import make_rng

TEAM_COLUMNS = ["Tim", "Kecamatan", "Ketua Tim"]
VISIT_COLUMNS = ["Tim", "Kecamatan", "Desa/Kelurahan", "ID Posyandu", "Tanggal", "Topik"]
# Pairs checked for a shared border on the desa boundaries.
TEAMS = [
    ("64.02.06", "64.02.16", "Kepala Bidang Kelembagaan dan Sosial Budaya Masyarakat (DPMD)"),
    ("64.02.02", "64.02.03", "Kepala Seksi Kelembagaan Masyarakat Desa (DPMD)"),
    ("64.02.13", "64.02.20", "Penggerak Swadaya Masyarakat Ahli Muda (DPMD)"),
    ("64.02.14", "64.02.15", "Kepala Seksi Pemberdayaan Masyarakat (DPMD)"),
    ("64.02.04", "64.02.05", "Penggerak Swadaya Masyarakat Ahli Pertama (DPMD)"),
    ("64.02.07", "64.02.17", "Kepala Bidang Pemerintahan Desa (DPMD)"),
    ("64.02.08", "64.02.19", "Analis Kebijakan Ahli Muda (DPMD)"),
    ("64.02.11", "64.02.09", "Kepala Seksi Kesehatan Keluarga dan Gizi (Dinkes)"),
    ("64.02.01", "64.02.18", "Tenaga Ahli Pemberdayaan Masyarakat (DPMD)"),
    ("64.02.10", "64.02.12", "Kepala Seksi Penguatan Lembaga Adat (DPMD)"),
]
LEGALITY_TOPICS = ["Legalitas Posyandu (Musdes dan SK Pembentukan)", "Registrasi Kemendagri"]
TRANSFORMATION_TOPIC = "Transformasi Posyandu 6 Bidang SPM"


def build_teams(desa: pd.DataFrame) -> pd.DataFrame:
    names = dict(zip(desa["kode_kec"], desa["nama_kec"], strict=False))
    rows = []
    for i, (a, b, lead) in enumerate(TEAMS, start=1):
        rows.append((f"Tim {i}", names[a], lead))
        rows.append((f"Tim {i}", names[b], lead))
    return pd.DataFrame(rows, columns=TEAM_COLUMNS)


def build_visits(posyandu: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Visits Jan-Oct 2025: legality topics dominate before the 30 June 2025 deadline."""
    rng = make_rng(seed, "kunjungan")
    rows = []
    for i, (a, b, _) in enumerate(TEAMS, start=1):
        sites = posyandu[posyandu["kode_kec"].isin([a, b])]
        if sites.empty:
            continue
        for month in range(1, 11):
            for _ in range(int(rng.integers(3, 7))):
                start = dt.date(2025, month, 1)
                day = start + dt.timedelta(days=int(rng.integers(0, 28)))
                while day.weekday() >= 5:
                    day -= dt.timedelta(days=1)
                site = sites.iloc[int(rng.integers(len(sites)))]
                before_deadline = day <= dt.date(2025, 6, 30)
                p_legal = 0.55 if before_deadline else 0.2
                u = rng.random()
                if u < p_legal:
                    topic = LEGALITY_TOPICS[int(rng.integers(2))]
                elif u < p_legal + 0.12:
                    topic = TRANSFORMATION_TOPIC
                else:
                    topic = THEMES[int(rng.integers(len(THEMES)))]
                pid = site["posyandu_id"] if rng.random() < 0.8 else ""
                rows.append((f"Tim {i}", site["nama_kec"], site["nama_desa"], pid, day.strftime("%d/%m/%Y"), topic))
    frame = pd.DataFrame(rows, columns=VISIT_COLUMNS)
    key = pd.to_datetime(frame["Tanggal"], format="%d/%m/%Y")
    return frame.assign(_k=key).sort_values(["_k", "Tim"], kind="stable").drop(columns="_k").reset_index(drop=True)
