"""Our linearised prevalence engine beside samplics and svy (PyPI) on the same clustered,
stratified sample with missing values: prints the largest differences and the time each
takes. samplics and svy are not project dependencies: install them where you like and put
them on PYTHONPATH, e.g. `pip install --target /tmp/svylibs samplics svy`, then
`PYTHONPATH=/tmp/svylibs python bench/compare_survey_libraries.py`.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO_DIR = Path(__file__).resolve().parents[1]
# `python bench/compare_survey_libraries.py` puts bench/, not the repository, first on the import path.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from etl.transform.prevalence import build_design, estimate_domains  # noqa: E402 - after the path above

ROWS = 80_000
CLUSTERS = 800
STRATA = 20
GROUPS = 6


def make_sample(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cluster = rng.integers(0, CLUSTERS, ROWS)
    cluster_effect = rng.normal(0, 0.6, CLUSTERS)[cluster]
    y = (rng.normal(-1.2 + cluster_effect, 1.1) < -2).astype(float)
    y[rng.random(ROWS) < 0.1] = np.nan  # a tenth not measured or flagged
    return pd.DataFrame(
        {"y": y, "cluster": cluster, "stratum": cluster % STRATA, "group": rng.integers(0, GROUPS, ROWS)}
    )


def ours(frame: pd.DataFrame) -> pd.DataFrame:
    design = build_design(len(frame), frame["cluster"], frame["stratum"])
    est = estimate_domains(frame["y"].to_numpy(), frame["group"].to_numpy(), GROUPS, design)
    return pd.DataFrame({"p": est.proportion, "se": est.se, "low": est.ci_low, "high": est.ci_high})


def with_samplics(frame: pd.DataFrame) -> pd.DataFrame:
    from samplics import PopParam, TaylorEstimator

    estimator = TaylorEstimator(PopParam.prop, ciprop_method="logit")
    estimator.estimate(
        y=frame["y"],
        samp_weight=np.ones(len(frame)),
        stratum=frame["stratum"],
        psu=frame["cluster"],
        domain=frame["group"],
        remove_nan=True,
    )
    out = estimator.to_dataframe()
    out = out[out["_level"] == 1.0].sort_values("_domain")
    return pd.DataFrame(
        {"p": out["_estimate"], "se": out["_stderror"], "low": out["_lci"], "high": out["_uci"]}
    ).reset_index(drop=True)


def with_svy(frame: pd.DataFrame) -> pd.DataFrame:
    import polars as pl
    import svy

    sample = svy.Sample(pl.from_pandas(frame.assign(w=1.0)), svy.Design(stratum="stratum", psu="cluster", wgt="w"))
    out = sample.estimation.prop("y", by="group", ci_method="logit", drop_nulls=True).to_polars().to_pandas()
    out = out[out["y"] == 1.0].sort_values("group")
    return pd.DataFrame({"p": out["est"], "se": out["se"], "low": out["lci"], "high": out["uci"]}).reset_index(
        drop=True
    )


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help, nothing else
    frame = make_sample()
    start = time.perf_counter()
    result = ours(frame)
    print(f"ours: {time.perf_counter() - start:.3f} s for {ROWS:,} rows, {CLUSTERS} clusters, {GROUPS} domains")
    print(result.to_string())
    for name, run in (("samplics", with_samplics), ("svy", with_svy)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start = time.perf_counter()
                other = run(frame)
                seconds = time.perf_counter() - start
        except ImportError as error:
            print(f"{name}: not installed ({error})")
            continue
        largest = (other - result).abs().max()
        print(
            f"{name}: {seconds:.3f} s; largest difference from ours: "
            + ", ".join(f"{k} {v:.1e}" for k, v in largest.items())
        )


if __name__ == "__main__":
    main()
