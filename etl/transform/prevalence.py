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

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.stats import t as student_t

from etl.transform.zscores import DAYS_PER_MONTH, FLAG_LIMITS, MAX_AGE_DAYS, parse_oedema, round_zscores

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
# indexed by the age group's code: code -1 (60 months and over, or unknown) reads the None
_AGE_GROUP_OR_NONE: Final = np.array((*AGE_GROUPS, None), dtype=object)
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


def drop_flagged(z_rounded: ArrayLike, zscore: str) -> FloatArray:
    """NaN where WHO's implausible-value flag is set on the rounded z-score."""
    low, high = FLAG_LIMITS[zscore]
    values = np.asarray(z_rounded, dtype=np.float64)
    return np.where((values < low) | (values > high), np.nan, values)


def whole_days(age_days: ArrayLike) -> FloatArray:
    """Age in whole days as WHO's `age_to_days` has it: x.5 rounded up; negative or missing NaN."""
    age = np.asarray(age_days, dtype=np.float64)
    return np.floor(np.where(age >= 0, age, np.nan) + 0.5)


def assign_age_groups(age_days: ArrayLike) -> NDArray[np.object_]:
    """'00-05' ... '48-59' on the months of the whole-day age (WHO: rounded days / 30.4375,
    so 182.5 days is 183 days, 6.01 months, "06-11"); None outside 0-59 months or unknown."""
    return _AGE_GROUP_OR_NONE[_age_group_codes(age_days)]


def _age_group_codes(age_days: ArrayLike) -> NDArray[np.intp]:
    """Position in AGE_GROUPS of each age's group; -1 for 60 months and over, or unknown."""
    months = whole_days(age_days) / DAYS_PER_MONTH
    # the last group starting at or before the age; numpy sorts NaN past every edge
    position = np.searchsorted(_AGE_GROUP_EDGES_MONTHS, months, side="right") - 1
    return np.where(position < len(AGE_GROUPS), position, -1)


def within_age_limit(age_days: ArrayLike) -> NDArray[np.bool_]:
    """Rows WHO keeps: age unknown or at most 1,826 whole days (x.5 rounded up, so 1826.4
    stays in the design, though its z-scores are empty: 60.0 months)."""
    age = whole_days(age_days)
    return np.isnan(age) | (age <= MAX_AGE_DAYS)


def classify_children(
    haz: ArrayLike,
    waz: ArrayLike,
    whz: ArrayLike,
    oedema: ArrayLike | None = None,
) -> dict[str, FloatArray]:
    """Per indicator 1.0 (has it), 0.0 (has not) or NaN (not counted) for each child.

    Takes unrounded z-scores (as `compute_zscores` returns them); rounds, flags and
    applies oedema by WHO's rules. Oedema is read as `parse_oedema` reads it: booleans, 1,
    or y/yes/ya/true, so "n", "T" (tidak) and blank are no oedema. Leaving out children over
    1,826 days is the caller's job (`within_age_limit`), as it removes them from the design
    too.
    """
    cleaned = {
        "haz": drop_flagged(round_zscores(haz), "haz"),
        "waz": drop_flagged(round_zscores(waz), "waz"),
        "whz": drop_flagged(round_zscores(whz), "whz"),
    }
    if oedema is not None:
        has_oedema = parse_oedema(oedema)
        for name in WEIGHT_BASED_ZSCORES:
            cleaned[name] = np.where(has_oedema, OEDEMA_Z, cleaned[name])
    out: dict[str, FloatArray] = {}
    for indicator, (zscore, comparison, cutoff) in INDICATOR_RULES.items():
        values = cleaned[zscore]
        hit = values < cutoff if comparison == "<" else values > cutoff
        out[indicator] = np.where(np.isnan(values), np.nan, hit)
    return out


# -- design-based estimation --------------------------------------------------------


@dataclass(frozen=True)
class Design:
    """Primary sampling units nested in strata, coded 0..n-1 for each row."""

    psu: NDArray[np.intp]  # per row
    psu_stratum: NDArray[np.intp]  # per PSU
    psu_design: NDArray[np.intp]  # per PSU: which independent design (e.g. month)
    degrees_of_freedom: NDArray[np.intp]  # per design: PSUs - strata

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
    design_code = _codes(design, size)
    stratum_code = _codes(strata, size)
    cluster_code = _codes(cluster, size)  # no cluster column: one cluster
    distinct = combine_codes(design_code, cluster_code)[1]
    own_psu = np.bincount(design_code[distinct]) <= 1  # per design (codes 0..n-1, each used)
    # A row that is its own PSU takes its row number as its cluster: PSUs are told apart
    # within a design only, and such a design has no other cluster.
    cluster_code = np.where(own_psu[design_code], np.arange(size), cluster_code)
    psu, psu_first_row = combine_codes(design_code, stratum_code, cluster_code)
    psu_design = design_code[psu_first_row]
    psu_stratum, stratum_first_psu = combine_codes(psu_design, stratum_code[psu_first_row])
    n_psu = np.bincount(psu_design)
    n_strata = np.bincount(psu_design[stratum_first_psu])
    return Design(psu=psu, psu_stratum=psu_stratum, psu_design=psu_design, degrees_of_freedom=n_psu - n_strata)


def combine_codes(*codes: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Dense code 0..k-1 of each row's combination of non-negative integer codes, and the
    first row of each combination (hashing one integer key per row: far faster than tuples)."""
    key = np.ravel_multi_index(codes, [int(column.max(initial=0)) + 1 for column in codes])
    dense, uniques = pd.factorize(key)
    first = np.empty(len(uniques), dtype=np.intp)
    first[dense[::-1]] = np.arange(dense.shape[0] - 1, -1, -1)  # written last = seen first
    return dense, first


def _codes(values: ArrayLike | None, size: int) -> NDArray[np.intp]:
    if values is None:
        return np.zeros(size, dtype=np.intp)
    # copy=False: a million-row cluster column is not copied just to be factorised
    codes, _ = pd.factorize(pd.Series(values, copy=False))
    if codes.shape[0] != size:
        raise ValueError(f"expected {size} values, got {codes.shape[0]}")
    if (codes < 0).any():
        raise ValueError("cluster, strata and design must not be missing")
    return codes


@dataclass(frozen=True)
class DomainSums:
    """Per domain: children counted (n), cases, PSUs with a counted child, and the
    stratum-centred sums of squares and products of each PSU's cases (Y) and counted
    children (m), already scaled by n_h/(n_h - 1):

        yy = sum_h c_h sum_j (Y_j - mean Y)^2, ym = ... (Y_j - mean Y)(m_j - mean m),
        mm = ... (m_j - mean m)^2

    (uncentred, c = 1, in a stratum with one PSU). The linearised variance of p = cases/n
    is (yy - 2p ym + p^2 mm) / n^2. The sums of domains lying in different strata add up:
    kecamatan rows (strata) can be combined into any set of kecamatan exactly.
    """

    n: NDArray[np.int64]
    cases: FloatArray
    yy: FloatArray
    ym: FloatArray
    mm: FloatArray
    n_clusters: NDArray[np.int64]


@dataclass(frozen=True)
class DomainEstimates:
    """One entry per domain: children counted, proportion, SE, 95% logit interval and the
    number of PSUs with a counted child."""

    n: NDArray[np.int64]
    proportion: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    n_clusters: NDArray[np.int64]


def sum_domains(values: ArrayLike, domain: ArrayLike, n_domains: int, design: Design) -> DomainSums:
    """`values` 1/0/NaN per row, `domain` 0..n_domains-1 per row or -1 for a row in none.

    A PSU of the stratum without a child of the domain counts as Y = m = 0, so a domain's
    variance uses the whole design's PSUs (domain estimation, as R's survey package).
    """
    return sum_domains_by_indicator({"values": values}, domain, n_domains, design)["values"]


def sum_domains_by_indicator(
    values: Mapping[str, ArrayLike], domain: ArrayLike, n_domains: int, design: Design
) -> dict[str, DomainSums]:
    """`sum_domains` for several indicators over the same domains, sharing the work of
    finding each domain's PSUs (the slow part on a million rows)."""
    domains = np.asarray(domain, dtype=np.intp)
    inside = np.flatnonzero(domains >= 0)
    d, psu = domains[inside], design.psu[inside]
    n_psu_total = design.psu_stratum.shape[0]
    pair_index, pair = pd.factorize(d.astype(np.int64) * n_psu_total + psu)
    pair_domain = pair // n_psu_total
    psus_in_stratum = np.bincount(design.psu_stratum)  # stratum codes are 0..n-1, each used
    n_strata = psus_in_stratum.shape[0]
    # cells (domain, stratum); factorised indices are 0..k-1, each used, so bincount needs no minlength
    cell_index, cell = pd.factorize(pair_domain * n_strata + design.psu_stratum[pair % n_psu_total])
    n_h = psus_in_stratum[cell % n_strata]
    cell_domain = cell // n_strata

    def centred(a: FloatArray, b: FloatArray) -> FloatArray:
        products = np.bincount(cell_index, weights=a * b)
        sum_a = np.bincount(cell_index, weights=a)
        sum_b = np.bincount(cell_index, weights=b)
        # n_h / (n_h - 1) is inf for a lonely PSU, whose branch np.where does not take
        with np.errstate(invalid="ignore", divide="ignore"):
            per_cell = np.where(n_h > 1, n_h / (n_h - 1) * (products - sum_a * sum_b / n_h), products)
        return np.bincount(cell_domain, weights=per_cell, minlength=n_domains)

    out = {}
    for name, column in values.items():
        y = np.asarray(column, dtype=np.float64)[inside]
        counted = ~np.isnan(y)
        cases_in_psu = np.bincount(pair_index, weights=np.where(counted, y, 0.0))
        children_in_psu = np.bincount(pair_index, weights=counted)
        out[name] = DomainSums(
            n=np.bincount(d[counted], minlength=n_domains).astype(np.int64),
            cases=np.bincount(d[counted], weights=y[counted], minlength=n_domains),
            yy=centred(cases_in_psu, cases_in_psu),
            ym=centred(cases_in_psu, children_in_psu),
            mm=centred(children_in_psu, children_in_psu),
            n_clusters=np.bincount(pair_domain[children_in_psu > 0], minlength=n_domains).astype(np.int64),
        )
    return out


def estimate_from_sums(
    n: ArrayLike, cases: ArrayLike, yy: ArrayLike, ym: ArrayLike, mm: ArrayLike, degrees_of_freedom: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(proportion, SE, 95% low, 95% high) from DomainSums (or sums of them over strata)."""
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore"):  # an empty domain: 0 / 0 is no estimate
        p = np.asarray(cases, dtype=np.float64) / n
    variance = (np.asarray(yy, float) - 2 * p * np.asarray(ym, float) + p**2 * np.asarray(mm, float)) / n**2
    se = np.sqrt(np.maximum(variance, 0.0))  # cancellation can leave -1e-20
    low, high = logit_interval(p, se, degrees_of_freedom)
    return p, se, low, high


def estimate_domains(values: ArrayLike, domain: ArrayLike, n_domains: int, design: Design) -> DomainEstimates:
    """Prevalence, SE and logit interval in each domain, all domains at once.

    The linearised variance of a domain mean p_d: each counted child contributes
    u = (y - p_d)/n_d; U is its PSU's total; per stratum with n_h PSUs (n_h > 1)
    n_h/(n_h - 1) * sum (U - mean U)^2; a stratum with one PSU adds U^2 (centred on the
    population mean, which is 0 for a mean). With U = (Y - p m)/n this is `DomainSums`.
    """
    sums = sum_domains(values, domain, n_domains, design)
    domains = np.asarray(domain, dtype=np.intp)
    inside = domains >= 0
    domain_design = np.zeros(n_domains, dtype=np.intp)
    domain_design[domains[inside]] = design.psu_design[design.psu[inside]]  # a domain lies in one design
    # No row at all (every child over 1,826 days): no design, so no degrees of freedom.
    degrees_of_freedom = design.degrees_of_freedom[domain_design] if design.rows else np.zeros(n_domains)
    with np.errstate(invalid="ignore"):  # an empty domain: 0 / 0 is no estimate
        p = sums.cases / sums.n
    # The same variance from the residuals y - p themselves (U = sum of residuals per PSU),
    # not from yy - 2p ym + p^2 mm: that expansion cancels to about 1e-14 where the true
    # variance is 0 (a domain that is one whole cluster), and WHO's survey package says 0.
    residuals = np.asarray(values, dtype=np.float64) - np.where(inside, p[np.maximum(domains, 0)], np.nan)
    centred = sum_domains(residuals, domain, n_domains, design)
    p, se, low, high = estimate_from_sums(sums.n, sums.cases, centred.yy, 0.0, 0.0, degrees_of_freedom)
    return DomainEstimates(n=sums.n, proportion=p, se=se, ci_low=low, ci_high=high, n_clusters=sums.n_clusters)


def logit_interval(p: ArrayLike, se: ArrayLike, degrees_of_freedom: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """expit(logit p -/+ t(df) * se / (p(1-p))): the Wald interval of an intercept-only
    quasibinomial model, as `svyciprop(method = "logit")`. At p = 0 or 1 the interval
    collapses onto p (WHO's model does not converge there; its interval is p to
    within 1e-9). With no degrees of freedom there is no interval."""
    p = np.asarray(p, dtype=np.float64)
    se = np.asarray(se, dtype=np.float64)
    df = np.asarray(degrees_of_freedom, dtype=np.float64)
    quantile = student_t.ppf(0.5 + CONFIDENCE / 2, df)  # NaN for 0 degrees of freedom
    # at p = 0 or 1 the logit is infinite and the interval NaN: replaced below
    with np.errstate(invalid="ignore", divide="ignore"):
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
        return np.asarray(values)[take]

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
    age_code = _age_group_codes(age_days)
    sex_labels = ("1", "2")
    sex_code = _label_codes([_sex_label(value) for value in sex], sex_labels)
    age_sex_labels = [f"{age}.{s}" for age in AGE_GROUPS for s in sex_labels]
    age_sex_code = np.where((age_code >= 0) & (sex_code >= 0), age_code * len(sex_labels) + sex_code, -1)
    out = [
        ("all", [""], np.zeros_like(age_code)),
        ("age", list(AGE_GROUPS), age_code),
        ("sex", list(sex_labels), sex_code),
        ("age_sex", age_sex_labels, age_sex_code),
    ]
    if group is not None:
        # object, not pandas' text type: mapping a million cells is faster on plain objects
        series = pd.Series(group, dtype=object).map(lambda v: None if _is_missing(v) else str(v).strip() or None)
        codes, uniques = pd.factorize(series, sort=True)
        out.append(("group", [str(u) for u in uniques], codes))
    return out


def _label_codes(labels: ArrayLike, order: tuple[str, ...]) -> NDArray[np.intp]:
    """Position of each label in `order`; -1 for None or a label not in it."""
    return pd.Index(order).get_indexer(labels)


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
