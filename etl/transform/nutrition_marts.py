"""The warehouse's design-based nutrition estimates, computed once at build time with the
WHO-parity engine (etl/transform/prevalence.py) so pages read a small table.

Each month is its own survey: clusters are posyandu, strata are kecamatan, degrees of
freedom are that month's posyandu minus its kecamatan. Every area (kabupaten, kecamatan,
desa) and every age/sex group is a domain of its month's sample, as WHO's
`anthro_prevalence` treats its breakdowns. A child with no matched posyandu is a cluster of
its own (rather than dropped, so n stays the count of measured children). An area whose
counted children all sit in one posyandu gets no standard error or interval (the
linearised variance of a single cluster is 0 by construction, not a measure of precision).

ss_cases, sp_cases_children and ss_children are the stratum-centred sums behind the
variance (etl.transform.prevalence.DomainSums): kecamatan rows are whole strata, so any
set of kecamatan (a pembina's two, say) combines exactly by summing them
(`estimate_from_sums`).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from etl.transform.prevalence import (
    INDICATORS,
    assign_age_groups,
    build_design,
    classify_children,
    combine_codes,
    estimate_from_sums,
    sum_domains_by_indicator,
    within_age_limit,
)

KABUPATEN_CODE: Final = "64.02"
CHILD_COLUMNS: Final = (
    "month",
    "kode_kec",
    "kode_desa",
    "posyandu_id",
    "age_days",
    "sex",
    "haz",
    "waz",
    "whz",
    "oedema",
)
MART_COLUMNS: Final = (
    "month",
    "area_level",
    "area_code",
    "group_type",
    "group_value",
    "indicator",
    "n",
    "cases",
    "prevalence",
    "se",
    "ci_low",
    "ci_high",
    "n_clusters",
    "degrees_of_freedom",
    "ss_cases",
    "sp_cases_children",
    "ss_children",
)
# (area level, breakdowns): age and sex breakdowns down to kecamatan; desa totals only.
_LEVELS: Final = (
    ("kabupaten", ("all", "age", "sex", "age_sex")),
    ("kecamatan", ("all", "age", "sex", "age_sex")),
    ("desa", ("all",)),
)


def compute_area_month_prevalence(children: pd.DataFrame) -> pd.DataFrame:
    """One row per month, area, breakdown group and indicator (only groups with children).

    `children` holds one row per child per month (the month's latest measurement) with
    CHILD_COLUMNS; z-scores as stored (rounded or not: rounding twice changes nothing).
    Proportions are fractions (0-1), as in the other marts.
    """
    frame = children.loc[within_age_limit(children["age_days"].to_numpy(dtype=float))].reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame({name: pd.Series(dtype=_dtype(name)) for name in MART_COLUMNS})
    month_code, months = pd.factorize(frame["month"])
    cluster = frame["posyandu_id"].astype("string")
    no_posyandu = cluster.isna().to_numpy()
    cluster_code = pd.factorize(cluster)[0]
    cluster_code[no_posyandu] = cluster_code.max(initial=0) + 1 + np.arange(int(no_posyandu.sum()))
    design = build_design(
        len(frame), cluster=cluster_code, strata=frame["kode_kec"].astype("string"), design=month_code
    )
    indicators = classify_children(
        frame["haz"].to_numpy(dtype=float),
        frame["waz"].to_numpy(dtype=float),
        frame["whz"].to_numpy(dtype=float),
        frame["oedema"].fillna(False).to_numpy(dtype=bool),
    )
    groups = _group_labels(frame)
    areas = {
        "kabupaten": pd.Series(KABUPATEN_CODE, index=frame.index, dtype="string"),
        "kecamatan": frame["kode_kec"].astype("string"),
        "desa": frame["kode_desa"].astype("string"),
    }
    parts = []
    for level, breakdowns in _LEVELS:
        area_code, area_values = pd.factorize(areas[level])
        for group_type in breakdowns:
            group_code, group_values = pd.factorize(groups[group_type])
            usable = (area_code >= 0) & (group_code >= 0)
            dense, first = combine_codes(month_code[usable], area_code[usable], group_code[usable])
            domain = np.full(len(frame), -1, dtype=np.intp)
            domain[usable] = dense
            rows = np.flatnonzero(usable)[first]
            labels = pd.DataFrame(
                {
                    "month": months[month_code[rows]],
                    "area_code": area_values[area_code[rows]],
                    "group_value": group_values[group_code[rows]],
                }
            )
            df = design.degrees_of_freedom[month_code[rows]]
            by_indicator = sum_domains_by_indicator(indicators, domain, len(labels), design)
            for indicator in INDICATORS:
                sums = by_indicator[indicator]
                p, se, low, high = estimate_from_sums(sums.n, sums.cases, sums.yy, sums.ym, sums.mm, df)
                parts.append(
                    labels.assign(
                        area_level=level,
                        group_type=group_type,
                        indicator=indicator,
                        n=sums.n,
                        cases=np.rint(sums.cases),
                        prevalence=p,
                        se=se,
                        ci_low=low,
                        ci_high=high,
                        n_clusters=sums.n_clusters,
                        degrees_of_freedom=df,
                        ss_cases=sums.yy,
                        sp_cases_children=sums.ym,
                        ss_children=sums.mm,
                    )
                )
    out = pd.concat(parts, ignore_index=True)
    # Within a single posyandu the linearised variance is 0 by construction: no interval.
    one_cluster = out["n_clusters"] < 2
    out.loc[one_cluster, ["se", "ci_low", "ci_high"]] = np.nan
    out["degrees_of_freedom"] = out["degrees_of_freedom"].astype("int64")
    out["cases"] = out["cases"].fillna(0).astype("int64")
    return out.loc[:, list(MART_COLUMNS)].sort_values(["month", "area_level", "area_code", "group_type"], kind="stable")


def _group_labels(frame: pd.DataFrame) -> dict[str, pd.Series]:
    age = pd.Series(assign_age_groups(frame["age_days"].to_numpy(dtype=float)), index=frame.index, dtype="string")
    sex = frame["sex"].astype("Int64").astype("string").where(frame["sex"].isin([1, 2]))
    return {
        "all": pd.Series("", index=frame.index, dtype="string"),
        "age": age,
        "sex": sex,
        "age_sex": age + "." + sex,
    }


def _dtype(name: str) -> str:
    if name in {"n", "cases", "n_clusters", "degrees_of_freedom"}:
        return "int64"
    if name in {"prevalence", "se", "ci_low", "ci_high", "ss_cases", "sp_cases_children", "ss_children"}:
        return "float64"
    return "object"
