"""Monthly posyandu report (SKDN + kader present) and SPM services in long form."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.sample.growth import MONTHS, N_MONTHS, Cohort
from etl.sample.streams import make_rng

REPORT_COLUMNS = [
    "ID Posyandu",
    "Bulan",
    "Hari Buka",
    "S",
    "K",
    "D",
    "N",
    "T",
    "O",
    "B",
    "BGM",
    "Kader Terdaftar",
    "Kader Hadir",
]
SERVICE_COLUMNS = ["ID Posyandu", "Bulan", "Bidang SPM", "Indikator", "Nilai"]

# Kader present / kader registered, kabupaten level, first and last month.
PARTICIPATION_START = 0.80
PARTICIPATION_END = 0.93
TIER_PARTICIPATION = {0: 0.25, 1: 0.1, 2: -0.2, 3: -0.45}  # logit shifts

# (indicator, mean count) per field; KES depends on the legacy type.
KES_INDICATORS = {
    "Lansia": [("Lansia diperiksa", 34.0)],
    "Remaja": [("Remaja diperiksa", 22.0)],
    "Posbindu": [("Skrining PTM", 30.0)],
    "Keluarga": [("Keluarga dikunjungi", 25.0)],
}
FIELD_INDICATORS = {
    "PEND": [("Anak PAUD dipantau", 12.0), ("Balita mendapat stimulasi BKB", 10.0)],
    "PU": [("Rumah tangga dipantau akses air minum layak", 20.0), ("Rumah tangga dipantau jamban sehat", 18.0)],
    "PERKIM": [("Rumah tidak layak huni didata", 4.0), ("Lingkungan permukiman dipantau", 3.0)],
    "TRANTIB": [("Warga mendapat penyuluhan kebencanaan", 15.0), ("Kejadian trantib dilaporkan", 0.6)],
    "SOS": [("Penyandang disabilitas didata", 3.0), ("Warga rentan dirujuk bansos", 4.0)],
}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def build_monthly_report(posyandu: pd.DataFrame, cohort: Cohort, registered: np.ndarray, seed: int) -> pd.DataFrame:
    """laporan_bulanan rows (all posyandu × 24 months), typed.

    SKDN comes from the simulated cohort (zero for posyandu that are not posyandu balita);
    Kader Hadir is drawn so the kabupaten participation rises to about 93% in Oct 2025.
    """
    rng = make_rng(seed, "laporan")
    n_pos = len(posyandu)
    skdn = cohort.posyandu_month.set_index(["posyandu_id", "month"])
    counts = {c: np.zeros((n_pos, N_MONTHS), dtype=np.int64) for c in ["S", "K", "D", "N", "T", "O", "B", "BGM"]}
    days_open = np.where(rng.random((n_pos, N_MONTHS)) < 0.015, 0, 1)
    days_open[:, -1] = 1
    index = {pid: i for i, pid in enumerate(posyandu["posyandu_id"])}
    rows = np.array([index[p] for p in cohort.posyandu_month["posyandu_id"]])
    months = cohort.posyandu_month["month"].to_numpy()
    for c in counts:
        counts[c][rows, months] = skdn[c].to_numpy()
    days_open[rows, months] = cohort.posyandu_month["days_open"].to_numpy()

    tier = posyandu["tier"].to_numpy()
    effect = np.array([TIER_PARTICIPATION[int(t)] for t in tier]) + rng.normal(0.0, 0.45, n_pos)
    present = np.zeros_like(registered)
    for m in range(N_MONTHS):
        target = PARTICIPATION_START + (PARTICIPATION_END - PARTICIPATION_START) * (m / (N_MONTHS - 1)) ** 0.8
        open_ = days_open[:, m] > 0
        weights = registered[:, m] * open_ / max(registered[:, m].sum(), 1)

        def mean_share(a, w=weights):
            return float((w * _sigmoid(a + effect)).sum())

        alpha = _bisect(mean_share, target)
        present[:, m] = np.where(open_, rng.binomial(registered[:, m], _sigmoid(alpha + effect)), 0)
    _hit_exactly(present[:, -1], registered[:, -1], PARTICIPATION_END, rng)

    frame = pd.DataFrame(
        {
            "ID Posyandu": np.repeat(posyandu["posyandu_id"].to_numpy(), N_MONTHS),
            "Bulan": np.tile(MONTHS.astype(str), n_pos),
            "Hari Buka": days_open.reshape(-1),
            **{c: counts[c].reshape(-1) for c in counts},
            "Kader Terdaftar": registered.reshape(-1),
            "Kader Hadir": present.reshape(-1),
        }
    )
    return frame[REPORT_COLUMNS]


def _bisect(fn, target: float, lo: float = -8.0, hi: float = 8.0) -> float:
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if fn(mid) > target:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def _hit_exactly(present: np.ndarray, registered: np.ndarray, share: float, rng: np.random.Generator) -> None:
    """Nudge single counts so sum(present)/sum(registered) rounds to `share` (the figure
    the client reports for the latest month)."""
    goal = int(round(share * registered.sum()))
    while present.sum() != goal:
        if present.sum() < goal:
            room = np.flatnonzero(present < registered)
            present[room[int(rng.integers(len(room)))]] += 1
        else:
            room = np.flatnonzero(present > 0)
            present[room[int(rng.integers(len(room)))]] -= 1


def build_services(posyandu: pd.DataFrame, report: pd.DataFrame, seed: int) -> pd.DataFrame:
    """layanan_spm rows: each field a posyandu serves, from the month it began."""
    rng = make_rng(seed, "layanan")
    by_key = report.set_index(["ID Posyandu", "Bulan"])
    records = []
    month_names = MONTHS.astype(str)
    for p in posyandu.itertuples(index=False):
        for m, month in enumerate(month_names):
            rep = by_key.loc[(p.posyandu_id, month)]
            if rep["Hari Buka"] == 0:
                continue
            for field in p.spm_fields.split(";"):
                if m < p.spm_since[field]:
                    continue
                if field == "KES":
                    if p.legacy_type == "Balita":
                        records.append((p.posyandu_id, month, field, "Balita ditimbang", int(rep["D"])))
                        pregnant = int(rng.poisson(0.07 * rep["S"] + 1.0))
                        records.append((p.posyandu_id, month, field, "Ibu hamil diperiksa", pregnant))
                    else:
                        for name, mean in KES_INDICATORS[p.legacy_type]:
                            records.append((p.posyandu_id, month, field, name, int(rng.poisson(mean))))
                    continue
                if rng.random() < 0.15:  # not every field reports every month
                    continue
                for name, mean in FIELD_INDICATORS[field]:
                    records.append((p.posyandu_id, month, field, name, int(rng.poisson(mean))))
    return pd.DataFrame(records, columns=SERVICE_COLUMNS)
