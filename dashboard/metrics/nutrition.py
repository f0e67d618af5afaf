"""Child-nutrition estimates for any set of kecamatan, from the mart's kecamatan rows.

Pure: frames in, frames out. Kecamatan are the strata of each month's design, so their
rows' sums (n, cases and the stratum-centred sums of squares, see
etl.transform.prevalence.DomainSums) add up to the exact design-based estimate of any
union of kecamatan: the whole kabupaten, a pembina's two kecamatan, one kecamatan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.transform.prevalence import estimate_from_sums

SUM_COLUMNS = ("n", "cases", "ss_cases", "sp_cases_children", "ss_children", "n_clusters")
# WHO/UNICEF prevalence thresholds for public-health significance (DOMAIN.md): stunting.
STUNTING_SEVERITY = ((2.5, "sangat rendah"), (10, "rendah"), (20, "sedang"), (30, "tinggi"))


def estimates_from_kecamatan_sums(sums: pd.DataFrame) -> pd.DataFrame:
    """`sums` has SUM_COLUMNS summed over kecamatan and `degrees_of_freedom`; adds
    prevalence, se, ci_low, ci_high (fractions). An estimate resting on one posyandu has
    no interval (its linearised variance is 0 by construction)."""
    frame = sums.copy()
    p, se, low, high = estimate_from_sums(
        frame["n"].to_numpy(dtype=float),
        frame["cases"].to_numpy(dtype=float),
        frame["ss_cases"].to_numpy(dtype=float),
        frame["sp_cases_children"].to_numpy(dtype=float),
        frame["ss_children"].to_numpy(dtype=float),
        frame["degrees_of_freedom"].to_numpy(dtype=float),
    )
    one_cluster = frame["n_clusters"].to_numpy() < 2
    frame["prevalence"] = p
    frame["se"] = np.where(one_cluster, np.nan, se)
    frame["ci_low"] = np.where(one_cluster, np.nan, low)
    frame["ci_high"] = np.where(one_cluster, np.nan, high)
    for column in ("n", "cases", "n_clusters"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


def stunting_severity(prevalence_pct: float) -> str:
    """WHO severity band of a stunting prevalence (percent)."""
    for limit, label in STUNTING_SEVERITY:
        if prevalence_pct < limit:
            return label
    return "sangat tinggi"


def coverage_ratios(coverage: pd.DataFrame) -> pd.DataFrame:
    """Shares beside the prevalence, from summed counts: valid measurement ÷ S, D/S,
    posyandu reporting ÷ expected, N/D and 2T ÷ D (e-PPGBM's Naik Berat Badan)."""
    frame = coverage.copy()

    def ratio(numerator: str, denominator: str) -> pd.Series:
        den = frame[denominator].astype(float)
        return (frame[numerator].astype(float) / den).where(den > 0)

    frame["measured_of_s"] = ratio("children_valid_haz", "sasaran_s")
    frame["ds"] = ratio("weighed_d", "sasaran_s")
    frame["reporting_completeness"] = ratio("posyandu_reported", "posyandu_expected")
    frame["nd"] = ratio("gained_n", "children_weighed").where(frame["children_with_gain_status"] > 0)
    frame["t2_of_d"] = ratio("not_gained_2t", "children_weighed").where(frame["children_with_gain_status"] > 0)
    return frame
