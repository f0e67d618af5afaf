"""Child-nutrition prevalence as WHO's Anthro Survey Analyser computes it: pure, arrays in,
frames out, no I/O. The ETL marts, the pages and `python -m etl prevalence` share it.

WHO's rules (R package `anthro`, `anthro_zscores` and `anthro_prevalence`):

- Z-scores are rounded to 2 decimals (R's `round`: the nearer of the two 2-decimal
  neighbours of the stored double, a tie to the even one) before cut-offs and flags.
- Flags on the rounded value: HAZ < -6 or > 6, WAZ < -6 or > 5, WHZ < -5 or > 5. A
  flagged z-score is left out of that indicator (numerator and denominator).
- Oedema: the weight-based z-scores are not used; the child counts as below -3 SD for
  wasting, severe wasting and underweight (in numerator and denominator, measured or
  not) and as not overweight.
- Children older than 1,826 days are left out; a missing age keeps the row (its
  weight-for-height may still count), with no age group.
- Cut-offs are strict: stunting HAZ < -2, severe < -3; wasting WHZ < -2, severe < -3;
  underweight WAZ < -2; overweight WHZ > 2.
- Age groups on unrounded months (days / 30.4375): 00-05, 06-11, 12-23, 24-35, 36-47,
  48-59.

Design-based estimates (the `survey` package as `anthro_prevalence` calls it): equal
weights, primary sampling units = clusters nested in strata; a subgroup is a domain of the
whole design (its PSU and stratum counts are the whole sample's); variance by Taylor
linearisation; a stratum with a single PSU is centred on the population mean
(`survey.lonely.psu = "adjust"`); the 95% interval is on the logit scale with Student's t
on the design's degrees of freedom (PSUs - strata), as `svyciprop(method = "logit")`.
Without a cluster column, or with a single cluster, every child is its own PSU, as WHO's
code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.stats import t as student_t

from etl.transform.zscores import DAYS_PER_MONTH, FLAG_LIMITS, MAX_AGE_DAYS

Z_DECIMALS: Final = 2
CONFIDENCE: Final = 0.95
# Weight-based z-score given to a child with oedema, below every undernutrition cut-off.
OEDEMA_Z: Final = -3.1

INDICATORS: Final = ("stunting", "severe_stunting", "wasting", "severe_wasting", "underweight", "overweight")
# indicator -> (z-score, comparison, cut-off)
INDICATOR_RULES: Final = MappingProxyType(
    {
        "stunting": ("haz", "<", -2.0),
        "severe_stunting": ("haz", "<", -3.0),
        "wasting": ("whz", "<", -2.0),
        "severe_wasting": ("whz", "<", -3.0),
        "underweight": ("waz", "<", -2.0),
        "overweight": ("whz", ">", 2.0),
    }
)
WEIGHT_BASED_ZSCORES: Final = frozenset({"waz", "whz"})
AGE_GROUPS: Final = ("00-05", "06-11", "12-23", "24-35", "36-47", "48-59")
_AGE_GROUP_EDGES_MONTHS: Final = (0, 6, 12, 24, 36, 48, 60)
GROUP_TYPES: Final = ("all", "age", "sex", "age_sex", "group")
OUTPUT_COLUMNS: Final = (
    "group_type",
    "group_value",
    "indicator",
    "n",
    "prevalence_pct",
    "se_pct",
    "ci95_low_pct",
    "ci95_high_pct",
)

FloatArray = NDArray[np.float64]


# -- WHO's z-score conventions ------------------------------------------------------


def round_zscores(z: ArrayLike, decimals: int = Z_DECIMALS) -> FloatArray:
    """Round as R's `round(z, 2)` does (R >= 4.0): of the two neighbours with `decimals`
    decimals, the one nearer to the stored double; an exact tie goes to the even one.

    So -2.005, stored as -2.00499999999999989..., rounds to -2.0, and 2.675 to 2.67;
    multiplying by 100 and rounding would sometimes get these wrong.
    """
    values = np.asarray(z, dtype=np.float64)
    magnitude = np.abs(values)
    scale = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = magnitude * scale
        lower_units = np.floor(scaled)
        lower = lower_units / scale
        upper = np.ceil(scaled) / scale
        distance_up = upper - magnitude
        distance_down = magnitude - lower
        take_upper = (distance_up < distance_down) | (
            (distance_up == distance_down) & (np.fmod(lower_units, 2.0) == 1.0)
        )
        rounded = np.where(take_upper, upper, lower)
        # Beyond double precision there are no decimals left to round (R returns x).
        rounded = np.where(scaled < 2.0**52, rounded, magnitude)
    return np.copysign(rounded, values)


def drop_flagged(z_rounded: ArrayLike, zscore: str) -> FloatArray:
    """NaN where WHO's implausible-value flag is set on the rounded z-score."""
    low, high = FLAG_LIMITS[zscore]
    values = np.array(z_rounded, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        values[(values < low) | (values > high)] = np.nan
    return values


def assign_age_groups(age_days: ArrayLike) -> NDArray[np.object_]:
    """'00-05' ... '48-59' on unrounded months; None outside 0-59 months or unknown."""
    months = np.asarray(age_days, dtype=np.float64) / DAYS_PER_MONTH
    labels = np.full(months.shape[0], None, dtype=object)
    for label, low, high in zip(AGE_GROUPS, _AGE_GROUP_EDGES_MONTHS, _AGE_GROUP_EDGES_MONTHS[1:], strict=False):
        with np.errstate(invalid="ignore"):
            labels[(months >= low) & (months < high)] = label
    return labels


def within_age_limit(age_days: ArrayLike) -> NDArray[np.bool_]:
    """Rows WHO keeps: age unknown or at most 1,826 days."""
    age = np.asarray(age_days, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.isnan(age) | (age <= MAX_AGE_DAYS)


def classify_children(
    haz: ArrayLike,
    waz: ArrayLike,
    whz: ArrayLike,
    oedema: ArrayLike | None = None,
) -> dict[str, FloatArray]:
    """Per indicator 1.0 (has it), 0.0 (has not) or NaN (not counted) for each child.

    Takes unrounded z-scores (as `compute_zscores` returns them); rounds, flags and
    applies oedema by WHO's rules. Leaving out children over 1,826 days is the caller's
    job (`within_age_limit`), as it removes them from the design too.
    """
    cleaned = {
        "haz": drop_flagged(round_zscores(haz), "haz"),
        "waz": drop_flagged(round_zscores(waz), "waz"),
        "whz": drop_flagged(round_zscores(whz), "whz"),
    }
    size = cleaned["haz"].shape[0]
    has_oedema = np.zeros(size, dtype=np.bool_) if oedema is None else np.asarray(oedema, dtype=np.bool_)
    for name in WEIGHT_BASED_ZSCORES:
        cleaned[name] = np.where(has_oedema, OEDEMA_Z, cleaned[name])
    out: dict[str, FloatArray] = {}
    for indicator, (zscore, comparison, cutoff) in INDICATOR_RULES.items():
        values = cleaned[zscore]
        with np.errstate(invalid="ignore"):
            hit = values < cutoff if comparison == "<" else values > cutoff
        out[indicator] = np.where(np.isnan(values), np.nan, hit.astype(np.float64))
    return out


# -- design-based estimation --------------------------------------------------------


@dataclass(frozen=True)
class Design:
    """Primary sampling units nested in strata, coded 0..n-1 for each row."""

    psu: NDArray[np.intp]  # per row
    psu_stratum: NDArray[np.intp]  # per PSU
    psu_design: NDArray[np.intp]  # per PSU: which independent design (e.g. month)
    degrees_of_freedom: NDArray[np.float64]  # per design: PSUs - strata

    @property
    def rows(self) -> int:
        return int(self.psu.shape[0])


def build_design(
    size: int,
    cluster: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    design: ArrayLike | None = None,
) -> Design:
    """Code the design. `design` splits rows into independent samples (one per month,
    say), each with its own PSUs, strata and degrees of freedom. Within a design with no
    cluster given, or a single cluster, every row is its own PSU (as WHO's code does)."""
    frame = pd.DataFrame(
        {
            "design": _codes(design, size),
            "stratum": _codes(strata, size),
            "cluster": _codes(cluster, size),
        }
    )
    one_cluster = frame.groupby("design")["cluster"].transform("nunique") <= 1
    if cluster is None:
        one_cluster[:] = True
    # A row that is its own PSU gets a code no real cluster has.
    frame["cluster"] = np.where(one_cluster, -1 - np.arange(size), frame["cluster"])
    psu, psu_keys = pd.MultiIndex.from_frame(frame[["design", "stratum", "cluster"]]).factorize()
    psu_design = psu_keys.get_level_values(0).to_numpy(dtype=np.intp)
    psu_stratum_keys = pd.MultiIndex.from_arrays([psu_design, psu_keys.get_level_values(1)])
    psu_stratum, stratum_keys = psu_stratum_keys.factorize()
    designs = int(psu_design.max()) + 1 if psu_design.size else 0
    n_psu = np.bincount(psu_design, minlength=designs)
    n_strata = np.bincount(stratum_keys.get_level_values(0).to_numpy(dtype=np.intp), minlength=designs)
    return Design(
        psu=psu.astype(np.intp),
        psu_stratum=psu_stratum.astype(np.intp),
        psu_design=psu_design,
        degrees_of_freedom=(n_psu - n_strata).astype(np.float64),
    )


def _codes(values: ArrayLike | None, size: int) -> NDArray[np.intp]:
    if values is None:
        return np.zeros(size, dtype=np.intp)
    codes, _ = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    if codes.shape[0] != size:
        raise ValueError(f"expected {size} values, got {codes.shape[0]}")
    if (codes < 0).any():
        raise ValueError("cluster, strata and design must not be missing")
    return codes.astype(np.intp)


@dataclass(frozen=True)
class DomainEstimates:
    """One entry per domain: children counted, proportion, SE and 95% logit interval."""

    n: NDArray[np.int64]
    proportion: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray


def estimate_domains(values: ArrayLike, domain: ArrayLike, n_domains: int, design: Design) -> DomainEstimates:
    """Prevalence in each domain: `values` 1/0/NaN per row, `domain` 0..n_domains-1 per
    row or -1 for a row in none. All domains are estimated at once (vectorised).

    Linearised variance of the domain mean p_d: each counted row contributes
    u = (y - p_d) / n_d; its PSU total U; per stratum h with n_h PSUs (n_h > 1)
    n_h/(n_h - 1) * sum (U - mean U)^2, where PSUs without a row of the domain count as
    U = 0; a stratum with one PSU adds U^2 (centred on the population mean, 0 here).
    """
    y = np.asarray(values, dtype=np.float64)
    domains = np.asarray(domain, dtype=np.intp)
    counted = (domains >= 0) & ~np.isnan(y)
    d, yy, psu = domains[counted], y[counted], design.psu[counted]
    n = np.bincount(d, minlength=n_domains)
    hits = np.bincount(d, weights=yy, minlength=n_domains)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = hits / n
        contribution = (yy - p[d]) / n[d]
    n_psu_total = design.psu_stratum.shape[0]
    pair, pair_index = np.unique(d.astype(np.int64) * n_psu_total + psu, return_inverse=True)
    psu_total = np.bincount(pair_index, weights=contribution, minlength=pair.shape[0])
    pair_domain = pair // n_psu_total
    pair_stratum = design.psu_stratum[pair % n_psu_total]
    n_strata = int(design.psu_stratum.max()) + 1 if n_psu_total else 0
    psus_in_stratum = np.bincount(design.psu_stratum, minlength=n_strata).astype(np.float64)
    cell, cell_index = np.unique(pair_domain * max(n_strata, 1) + pair_stratum, return_inverse=True)
    total = np.bincount(cell_index, weights=psu_total, minlength=cell.shape[0])
    squares = np.bincount(cell_index, weights=psu_total**2, minlength=cell.shape[0])
    cell_domain = cell // max(n_strata, 1)
    n_h = psus_in_stratum[cell % max(n_strata, 1)]
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = np.where(n_h > 1, n_h / (n_h - 1) * (squares - total**2 / n_h), squares)
    variance = np.bincount(cell_domain, weights=centred, minlength=n_domains)
    variance = np.maximum(variance, 0.0)  # rounding can leave -1e-20
    se = np.where(n > 0, np.sqrt(variance), np.nan)
    p = np.where(n > 0, p, np.nan)
    domain_design = _domain_design(d, psu, design, n_domains)
    low, high = logit_interval(p, se, design.degrees_of_freedom[domain_design])
    return DomainEstimates(n=n.astype(np.int64), proportion=p, se=se, ci_low=low, ci_high=high)


def _domain_design(d: NDArray[np.intp], psu: NDArray[np.intp], design: Design, n_domains: int) -> NDArray[np.intp]:
    """The design each domain lies in (domains never span two designs)."""
    out = np.zeros(n_domains, dtype=np.intp)
    out[d] = design.psu_design[psu]
    return out


def logit_interval(p: ArrayLike, se: ArrayLike, degrees_of_freedom: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """expit(logit p -/+ t(df) * se / (p(1-p))): the Wald interval of an intercept-only
    quasibinomial model, as `svyciprop(method = "logit")`. At p = 0 or 1 the interval
    collapses onto p (WHO's model does not converge there; its interval is p to
    within 1e-9). With no degrees of freedom there is no interval."""
    p = np.asarray(p, dtype=np.float64)
    se = np.asarray(se, dtype=np.float64)
    df = np.asarray(degrees_of_freedom, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = student_t.ppf(0.5 + CONFIDENCE / 2, np.where(df > 0, df, np.nan))
        centre = np.log(p / (1.0 - p))
        half = quantile * se / (p * (1.0 - p))
        low = 1.0 / (1.0 + np.exp(-(centre - half)))
        high = 1.0 / (1.0 + np.exp(-(centre + half)))
    boundary = (p == 0.0) | (p == 1.0)
    low = np.where(boundary & (df > 0), p, low)
    high = np.where(boundary & (df > 0), p, high)
    return low, high


# -- the breakdown table -------------------------------------------------------------


def compute_prevalence_table(
    haz: ArrayLike,
    waz: ArrayLike,
    whz: ArrayLike,
    age_days: ArrayLike,
    sex: ArrayLike,
    oedema: ArrayLike | None = None,
    cluster: ArrayLike | None = None,
    strata: ArrayLike | None = None,
    group: ArrayLike | None = None,
) -> pd.DataFrame:
    """WHO's breakdowns (all, age, sex, age x sex, and `group` if given) x six
    indicators, in OUTPUT_COLUMNS with percentages. Sex is 1 (boys) / 2 (girls).

    Rows over 1,826 days are dropped before the design is built, as WHO does. Every
    age group, sex and age x sex cell is listed, with n = 0 and empty estimates when no
    child is in it.
    """
    keep = within_age_limit(age_days)
    take = np.flatnonzero(keep)

    def subset(values: ArrayLike | None) -> np.ndarray | None:
        if values is None:
            return None
        return np.asarray(pd.Series(values, copy=False).to_numpy())[take]

    design = build_design(take.shape[0], subset(cluster), subset(strata))
    indicators = classify_children(subset(haz), subset(waz), subset(whz), subset(oedema))
    breakdowns = _breakdowns(subset(age_days), subset(sex), subset(group))
    frames = []
    for group_type, labels, domain in breakdowns:
        for indicator in INDICATORS:
            estimates = estimate_domains(indicators[indicator], domain, len(labels), design)
            frames.append(_as_frame(group_type, labels, indicator, estimates))
    return pd.concat(frames, ignore_index=True)


def _breakdowns(
    age_days: np.ndarray, sex: np.ndarray, group: np.ndarray | None
) -> list[tuple[str, list[str], NDArray[np.intp]]]:
    size = age_days.shape[0]
    age_group = assign_age_groups(age_days)
    age_code = _label_codes(age_group, AGE_GROUPS)
    sex_labels = ("1", "2")
    sex_text = np.array([_sex_label(value) for value in sex], dtype=object)
    sex_code = _label_codes(sex_text, sex_labels)
    age_sex_labels = [f"{age}.{s}" for age in AGE_GROUPS for s in sex_labels]
    age_sex_code = np.where((age_code >= 0) & (sex_code >= 0), age_code * len(sex_labels) + sex_code, -1)
    out = [
        ("all", [""], np.zeros(size, dtype=np.intp)),
        ("age", list(AGE_GROUPS), age_code),
        ("sex", list(sex_labels), sex_code),
        ("age_sex", age_sex_labels, age_sex_code),
    ]
    if group is not None:
        series = pd.Series(group, dtype=object).map(lambda v: None if _is_missing(v) else str(v).strip() or None)
        codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
        out.append(("group", [str(u) for u in uniques], codes.astype(np.intp)))
    return out


def _label_codes(labels: np.ndarray, order: tuple[str, ...]) -> NDArray[np.intp]:
    lookup = {label: i for i, label in enumerate(order)}
    return np.array([lookup.get(label, -1) for label in labels], dtype=np.intp)


def _sex_label(value: object) -> str | None:
    if _is_missing(value):
        return None
    text = str(value).strip().upper()
    if text in {"1", "1.0", "L", "M"}:
        return "1"
    if text in {"2", "2.0", "P", "F"}:
        return "2"
    return None


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _as_frame(group_type: str, labels: list[str], indicator: str, estimates: DomainEstimates) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_type": group_type,
            "group_value": labels,
            "indicator": indicator,
            "n": estimates.n,
            "prevalence_pct": estimates.proportion * 100,
            "se_pct": estimates.se * 100,
            "ci95_low_pct": estimates.ci_low * 100,
            "ci95_high_pct": estimates.ci_high * 100,
        }
    )
