"""anggaran_posyandu.csv: what each desa budgeted for its posyandu and kader incentives, per
year and funding source (APBDes; Dana Kelurahan for a kelurahan).

Ranges (sample only, L confidence): a desa's Dana Desa is about Rp 1 miliar; a few percent of
it goes to posyandu operations, more where a desa has more posyandu; kader incentives are
Rp 100-300 rb per kader per month for most of the registered kader, paid from ADD in most
desa. Only desa with a posyandu in the master get rows, so the register follows --scale
(amounts grow with the posyandu and kader, rows stay one or two per desa and year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.sample.growth import MONTHS
from etl.sample.streams import make_rng

FILE_NAME = "anggaran_posyandu.csv"
COLUMNS = [
    "Tahun",
    "Kode Desa",
    "Kecamatan",
    "Desa/Kelurahan",
    "Sumber",
    "Alokasi Posyandu (Rp)",
    "Insentif Kader (Rp)",
]
YEARS = (2024, 2025)
DANA_DESA_RP = 1_000_000_000
POSYANDU_SHARE = (0.01, 0.025)  # of Dana Desa per posyandu balita-equivalent, before the desa's own choices
INCENTIVE_RP_PER_MONTH = (100_000, 300_000)
MISSING_DESA_SHARE = 0.06  # desa that sent no budget for a year


def _round_to(value: float, step: int) -> int:
    return int(round(value / step) * step)


def build_budget(posyandu: pd.DataFrame, registered: np.ndarray, seed: int) -> pd.DataFrame:
    """One or two rows per desa and year.

    posyandu: the generator's master frame (posyandu_id, kode_desa, nama_kec, nama_desa, jenis,
    tier, legacy_type); registered: kader registered per posyandu and month (posyandu order).
    """
    rng = make_rng(seed, "anggaran")
    years = MONTHS.astype("datetime64[Y]").astype(int) + 1970
    frame = posyandu.assign(_row=np.arange(len(posyandu)))
    rows = []
    for kode_desa, group in frame.groupby("kode_desa", sort=True):
        first = group.iloc[0]
        kelurahan = first["jenis"] == "kelurahan"
        n_posyandu = len(group)
        tier = int(first["tier"])
        rate = _round_to(rng.uniform(*INCENTIVE_RP_PER_MONTH), 25_000)  # the desa's Perkades rate
        funded_share = rng.uniform(0.4, 0.8)  # not every registered kader is paid
        incentive_from_add = rng.random() < 0.7  # incentives from ADD, operations from Dana Desa
        share = rng.uniform(*POSYANDU_SHARE) * (1.0 - 0.1 * tier)
        for year in YEARS:
            if rng.random() < MISSING_DESA_SHARE:
                continue
            in_year = years == year
            kader = registered[group["_row"].to_numpy()][:, in_year].mean(axis=1).sum()
            growth = 1.0 if year == YEARS[0] else rng.uniform(1.0, 1.25)  # 2025: the transformation push
            allocation = _round_to(DANA_DESA_RP * share * n_posyandu**0.8 * growth, 500_000)
            incentive = _round_to(kader * funded_share * rate * 12, 100_000)
            names = (year, kode_desa, first["nama_kec"], first["nama_desa"])
            if kelurahan:
                rows.append((*names, "Dana Kelurahan", allocation, incentive))
            elif incentive_from_add:
                rows.append((*names, "Dana Desa", allocation, 0))
                rows.append((*names, "ADD", 0, incentive))
            else:
                rows.append((*names, "Dana Desa", allocation, incentive))
    return pd.DataFrame(rows, columns=COLUMNS)
