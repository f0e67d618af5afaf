"""Kader register (pseudonymous ids, roles, SPM field, active dates) and kader training."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from etl.sample.growth import MONTHS, N_MONTHS
from etl.sample.streams import make_rng

KADER_COLUMNS = ["ID Kader", "ID Posyandu", "Peran", "Bidang SPM", "Mulai Aktif", "Berhenti Aktif"]
TRAINING_COLUMNS = ["ID Kader", "Tema", "Tanggal", "Penyelenggara"]
THEMES = ["Manajemen Pelayanan Dasar", "Gizi Balita", "Pencatatan Data Kesehatan", "Komunikasi Sosial"]
WINDOW_START = dt.date(2023, 11, 1)
WINDOW_END = dt.date(2025, 10, 31)
KADER_NORM = 15

# Kader active at the end of Oct 2025: mean by tier (remote posyandu recruit fewer).
FINAL_MEAN = {0: 17.6, 1: 17.0, 2: 15.8, 3: 14.3}
# Share of kader trained per theme in the best-served kecamatan, and the tier multiplier.
THEME_COVERAGE = {
    "Manajemen Pelayanan Dasar": 0.55,
    "Gizi Balita": 0.72,
    "Pencatatan Data Kesehatan": 0.6,
    "Komunikasi Sosial": 0.45,
}
TIER_COVERAGE = {0: 1.0, 1: 0.88, 2: 0.68, 3: 0.38}


def _day(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, max(1, (end - start).days + 1))))


def build_kader(posyandu: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One row per kader ever registered at each posyandu.

    Columns: kader_id, posyandu_id, role, spm_field, active_from, active_to (date or None).
    """
    rng = make_rng(seed, "kader")
    records = []
    for p in posyandu.itertuples(index=False):
        fields = p.spm_fields.split(";")
        mean = FINAL_MEAN[int(p.tier)] - (1.5 if p.legacy_type != "Balita" else 0.0)
        final = int(np.clip(round(rng.normal(mean, 3.0)), 6, 28))
        initial = int(np.clip(round(final * rng.uniform(0.45, 0.8)), 4, final))
        people = []
        for _ in range(initial):
            start = _day(rng, dt.date(2008, 1, 1), dt.date(2023, 10, 31))
            end = _day(rng, WINDOW_START, WINDOW_END - dt.timedelta(days=20)) if rng.random() < 0.12 else None
            people.append([start, end, "KES"])
        survivors = sum(1 for q in people if q[1] is None)
        recruit_from = dt.date(2024, 2, 1)
        if isinstance(p.musdes_date, dt.date):
            recruit_from = max(recruit_from, p.musdes_date - dt.timedelta(days=30))
        uncovered = [f for f in fields if f != "KES"]
        for _ in range(final - survivors):
            start = _day(rng, recruit_from, dt.date(2025, 10, 20))
            if uncovered:
                field = uncovered.pop(0)
            else:
                field = "KES" if rng.random() < 0.5 else fields[int(rng.integers(len(fields)))]
            people.append([start, None, field])
        for _ in range(int(rng.poisson(2.0))):  # kader who left before the window
            start = _day(rng, dt.date(2010, 1, 1), dt.date(2020, 12, 31))
            end = _day(rng, max(start + dt.timedelta(days=180), dt.date(2016, 1, 1)), dt.date(2023, 10, 15))
            people.append([start, end, "KES"])
        people.sort(key=lambda q: q[0])
        roles = iter(["Ketua", "Sekretaris", "Bendahara"])
        for start, end, field in people:
            role = next(roles, "Anggota") if end is None else "Anggota"
            records.append((p.posyandu_id, role, field, start, end))
    frame = pd.DataFrame(records, columns=["posyandu_id", "role", "spm_field", "active_from", "active_to"])
    frame.insert(0, "kader_id", [f"K{i + 1:06d}" for i in range(len(frame))])
    return frame


def count_registered(kader: pd.DataFrame, posyandu_ids: list[str]) -> np.ndarray:
    """Kader active at the end of each month: array (posyandu, month)."""
    index = {pid: i for i, pid in enumerate(posyandu_ids)}
    month_ends = ((MONTHS + 1).astype("datetime64[D]") - 1).astype("datetime64[D]")
    out = np.zeros((len(posyandu_ids), N_MONTHS), dtype=np.int64)
    frm = pd.to_datetime(kader["active_from"]).to_numpy().astype("datetime64[D]")
    to = pd.to_datetime(kader["active_to"]).to_numpy().astype("datetime64[D]")
    pos = kader["posyandu_id"].map(index).to_numpy()
    for m, end in enumerate(month_ends):
        active = (frm <= end) & (np.isnat(to) | (to > end))
        np.add.at(out[:, m], pos[active], 1)
    return out


def to_kader_table(kader: pd.DataFrame) -> pd.DataFrame:
    """kader.csv columns; dates DD/MM/YYYY, blank Berhenti Aktif = still active."""
    return pd.DataFrame(
        {
            "ID Kader": kader["kader_id"],
            "ID Posyandu": kader["posyandu_id"],
            "Peran": kader["role"],
            "Bidang SPM": kader["spm_field"],
            "Mulai Aktif": [d.strftime("%d/%m/%Y") for d in kader["active_from"]],
            "Berhenti Aktif": [d.strftime("%d/%m/%Y") if not pd.isna(d) else "" for d in kader["active_to"]],
        }
    )[KADER_COLUMNS]


def build_training(kader: pd.DataFrame, posyandu: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Training attendance by theme; events per kecamatan, coverage uneven by tier.

    Columns as in the register (Tanggal ISO YYYY-MM-DD).
    """
    rng = make_rng(seed, "pelatihan")
    info = posyandu.set_index("posyandu_id")
    kader = kader.join(info[["kode_kec", "tier", "puskesmas"]], on="posyandu_id")
    rows = []
    for _, group in kader.groupby("kode_kec", sort=True):
        tier = int(group["tier"].iloc[0])
        for theme in THEMES:
            n_events = int(rng.integers(1, 4)) if tier < 3 else int(rng.integers(1, 3))
            events = sorted(_day(rng, dt.date(2024, 2, 1), dt.date(2025, 10, 25)) for _ in range(n_events))
            organisers = [_organiser(theme, rng) for _ in events]
            coverage = THEME_COVERAGE[theme] * TIER_COVERAGE[tier]
            for k in group.itertuples(index=False):
                if rng.random() >= coverage:
                    continue
                possible = [
                    i
                    for i, day in enumerate(events)
                    if k.active_from <= day and (pd.isna(k.active_to) or k.active_to > day)
                ]
                if not possible:
                    continue
                i = possible[int(rng.integers(len(possible)))]
                organiser = k.puskesmas if organisers[i] == "Puskesmas" else organisers[i]
                rows.append((k.kader_id, theme, events[i].isoformat(), organiser))
    frame = pd.DataFrame(rows, columns=TRAINING_COLUMNS)
    return frame.sort_values(["Tanggal", "ID Kader", "Tema"], kind="stable").reset_index(drop=True)


def _organiser(theme: str, rng: np.random.Generator) -> str:
    options = {
        "Manajemen Pelayanan Dasar": (["DPMD Kukar", "TP PKK Kukar"], [0.7, 0.3]),
        "Gizi Balita": (["Dinas Kesehatan Kukar", "Puskesmas"], [0.45, 0.55]),
        "Pencatatan Data Kesehatan": (["Dinas Kesehatan Kukar", "Puskesmas"], [0.35, 0.65]),
        "Komunikasi Sosial": (["DP2KB Kukar", "TP PKK Kukar", "DPMD Kukar"], [0.4, 0.35, 0.25]),
    }[theme]
    return options[0][int(rng.choice(len(options[0]), p=options[1]))]
