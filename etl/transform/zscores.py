"""WHO 2006 Child Growth Standards z-scores, vectorised: arrays in, arrays out, no I/O.

The rules are those of WHO's `anthro` software (R package, day-indexed tables):

- Age is looked up in whole days, x.5 rounded up (WHO's `round_up`; ages from dates are
  whole already), while the age limits use the unrounded age in months (age_days /
  30.4375), as WHO's code does: a z-score needs months < 60 (so 1826 days is in,
  1826.25 out), for weight-for-length/height too when the age is known. A missing or
  negative age leaves the age-based z-scores empty; weight-for-length/height is still
  computed, choosing the table by the recorded position (L length, H height) or, with no
  position, by length < 87 cm.
- Position: under 731 days (rounded) a standing height (H) gets +0.7 cm; from 731 days a
  lying length (L) gets -0.7 cm; no position recorded, no adjustment. A child under 9
  months (unrounded age_days / 30.4375 < 9) recorded standing is a recording error: no
  adjustment, and `position_error` is True.
- Length/height-for-age uses the plain LMS formula; weight-for-age, weight-for-
  length/height and BMI-for-age use WHO's restricted formula beyond +/-3 SD.
- Weight-for-length (45-110 cm) under 731 days, weight-for-height (65-120 cm) from 731
  days, on the adjusted length (the range checked on that number as it is, as WHO
  does), with L, M and S interpolated linearly between the 0.1 cm rows; outside the
  range, empty.
- BMI = weight / (adjusted length in m)^2.
- Oedema empties the weight-based z-scores (waz, whz, bmiz).
- Implausible flags on the z-score rounded to 2 decimals as WHO's anthro rounds it
  (`round_zscores`, R's `round`): 1 outside the WHO limits (the z-score is still
  returned, unrounded), 0 inside, empty when the z-score is empty. So a WHZ of 5.004
  is not flagged (5.00) and 5.006 is (5.01).

Inputs may be numpy arrays, pandas Series or lists of equal length. Sex is 1/2 or
'L'/'P', 'M'/'F'; anything else is invalid and empties every z-score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from etl.transform.growth_tables import GrowthTables, LmsTable, load_growth_tables

MAX_AGE_DAYS: Final = 1826
# z-scores only for children younger than this, in unrounded months (WHO: age_in_months < 60).
MAX_AGE_MONTHS: Final = 60
Z_DECIMALS: Final = 2
# Under this age (days) the tables expect a lying length, from it a standing height.
LENGTH_TABLE_AGE_LIMIT_DAYS: Final = 731
POSITION_CORRECTION_CM: Final = 0.7
DAYS_PER_MONTH: Final = 365.25 / 12
# Children younger than this (months) cannot be measured standing.
MIN_STANDING_AGE_MONTHS: Final = 9
# With age unknown and no position, shorter than this counts as a length.
UNKNOWN_AGE_LENGTH_LIMIT_CM: Final = 87.0

SEX_MALE: Final = 1
SEX_FEMALE: Final = 2
MEASURE_UNKNOWN: Final = 0
MEASURE_LYING: Final = 1
MEASURE_STANDING: Final = 2

# (low, high): a z-score below low or above high is implausible.
FLAG_LIMITS: Final = MappingProxyType({"haz": (-6.0, 6.0), "waz": (-6.0, 5.0), "whz": (-5.0, 5.0), "bmiz": (-5.0, 5.0)})
ZSCORE_COLUMNS: Final = ("haz", "waz", "whz", "bmiz")
FLAG_COLUMNS: Final = ("haz_flag", "waz_flag", "whz_flag", "bmiz_flag")

_SEX_CODES: Final = MappingProxyType(
    {
        "1": SEX_MALE,
        "2": SEX_FEMALE,
        "L": SEX_MALE,
        "P": SEX_FEMALE,
        "M": SEX_MALE,
        "F": SEX_FEMALE,
        "LAKI-LAKI": SEX_MALE,
        "PEREMPUAN": SEX_FEMALE,
        "MALE": SEX_MALE,
        "FEMALE": SEX_FEMALE,
    }
)
_MEASURE_CODES: Final = MappingProxyType(
    {
        "L": MEASURE_LYING,
        "H": MEASURE_STANDING,
        "TERLENTANG": MEASURE_LYING,
        "TELENTANG": MEASURE_LYING,
        "BERDIRI": MEASURE_STANDING,
    }
)
# "T" is not here: in Bahasa Y/T is ya/tidak, so a T must never read as oedema.
_OEDEMA_YES: Final = frozenset({"Y", "YES", "YA", "TRUE", "1"})
# Codes the batch commands accept (anything else is refused, naming row and column).
SEX_CODES_ACCEPTED: Final = frozenset(_SEX_CODES)
MEASURE_CODES_ACCEPTED: Final = frozenset(_MEASURE_CODES)
OEDEMA_CODES_ACCEPTED: Final = _OEDEMA_YES | frozenset({"N", "NO", "TIDAK", "FALSE", "2", "0"})

FloatArray = NDArray[np.float64]
# Rows per block in compute_zscore_arrays: temporaries of this size stay in cache.
_BLOCK_ROWS: Final = 1 << 15


@dataclass(frozen=True)
class ZScoreArrays:
    """Result of `compute_zscore_arrays`; NaN where a z-score is not computable."""

    haz: FloatArray
    waz: FloatArray
    whz: FloatArray
    bmiz: FloatArray
    height_cm_adjusted: FloatArray
    bmi: FloatArray
    position_error: NDArray[np.bool_]


@dataclass(frozen=True)
class _Inputs:
    """Parsed inputs; after _clean, ages are whole days and unusable numbers are NaN."""

    sex: NDArray[np.int8]  # SEX_MALE, SEX_FEMALE, or 0 when invalid
    age_days: FloatArray  # cleaned: whole days (x.5 up), NaN when missing or negative
    age_months: FloatArray  # cleaned: unrounded age_days / 30.4375, NaN when missing or negative
    weight_kg: FloatArray  # cleaned: NaN when missing or not positive
    height_cm: FloatArray  # as recorded; cleaned: NaN when missing or not positive
    measure: NDArray[np.int8]  # MEASURE_*
    oedema: NDArray[np.bool_]


# -- parsing of codes --------------------------------------------------------------


def parse_sex(values: ArrayLike) -> NDArray[np.int8]:
    """Map sex codes to 1 (male), 2 (female) or 0 (invalid or missing)."""
    return _map_codes(values, _SEX_CODES, {1: SEX_MALE, 2: SEX_FEMALE})


def parse_measure(values: ArrayLike) -> NDArray[np.int8]:
    """Map 'L' (lying) / 'H' (standing) to MEASURE_LYING / MEASURE_STANDING.

    Numbers are taken as those codes already (1 lying, 2 standing). Blank, missing or
    unknown codes mean the position was not recorded.
    """
    return _map_codes(values, _MEASURE_CODES, {MEASURE_LYING: MEASURE_LYING, MEASURE_STANDING: MEASURE_STANDING})


def parse_oedema(values: ArrayLike) -> NDArray[np.bool_]:
    """True for y/yes/ya/true/1 (any case); everything else, blank and "T" (tidak) included,
    is False."""
    array = _as_array(values)
    if isinstance(array, np.ndarray) and array.dtype.kind == "b":
        return array
    yes = {key: 1 for key in _OEDEMA_YES}
    return _map_codes(array, yes, {1: 1}) == 1


def _as_array(values: Any) -> np.ndarray | pd.api.extensions.ExtensionArray:
    if isinstance(values, pd.Series | pd.Index):
        return values.array
    if isinstance(values, np.ndarray | pd.api.extensions.ExtensionArray):
        return values
    return np.asarray(values, dtype=object)


def _map_codes(values: ArrayLike, text_codes: Any, number_codes: dict[int, int]) -> NDArray[np.int8]:
    # Few distinct values, numbers or text: decode each once, then broadcast by position;
    # a missing value (position -1) takes the last slot, 0.
    positions, uniques = pd.factorize(_as_array(values))
    lookup = np.array([_decode_code(value, text_codes, number_codes) for value in uniques] + [0], dtype=np.int8)
    return lookup[positions]


def _decode_code(value: Any, text_codes: Any, number_codes: dict[int, int]) -> int:
    if isinstance(value, bool | np.bool_):
        return number_codes.get(int(value), 0)
    if isinstance(value, int | float | np.integer | np.floating):
        return number_codes.get(int(value), 0) if float(value).is_integer() else 0
    text = str(value).strip().upper()
    if text in text_codes:
        return int(text_codes[text])
    try:
        number = float(text)
    except ValueError:
        return 0
    return number_codes.get(int(number), 0) if number.is_integer() else 0


def _as_float(values: Any) -> FloatArray:
    """Lists with None, numpy arrays and pandas columns (nullable ones too: <NA> is NaN)."""
    return np.asarray(values, dtype=np.float64)


def _prepare(
    sex: ArrayLike,
    age_days: ArrayLike | None,
    weight_kg: ArrayLike | None,
    height_cm: ArrayLike | None,
    measure: ArrayLike | None,
    oedema: ArrayLike | None,
) -> _Inputs:
    """Parse codes and check lengths; numbers are cleaned later, block by block."""
    sex_codes = parse_sex(sex)
    size = sex_codes.shape[0]

    def numbers(values: ArrayLike | None, name: str) -> FloatArray:
        if values is None:
            return np.full(size, np.nan)
        array = _as_float(values)
        if array.shape != (size,):
            raise ValueError(f"{name}: expected {size} values, got shape {array.shape}")
        return array

    inputs = _Inputs(
        sex=sex_codes,
        age_days=numbers(age_days, "age_days"),
        age_months=np.full(size, np.nan),  # set by _clean
        weight_kg=numbers(weight_kg, "weight_kg"),
        height_cm=numbers(height_cm, "height_cm"),
        measure=np.zeros(size, dtype=np.int8) if measure is None else parse_measure(measure),
        oedema=np.zeros(size, dtype=np.bool_) if oedema is None else parse_oedema(oedema),
    )
    for name in ("measure", "oedema"):
        shape = getattr(inputs, name).shape
        if shape != (size,):
            raise ValueError(f"{name}: expected {size} values, got shape {shape}")
    return inputs


def _clean(raw: _Inputs, rows: slice) -> _Inputs:
    """Rows `rows` with whole-day ages and NaN for unusable numbers (new arrays)."""
    # WHO: a negative age is missing; otherwise x.5 goes up (not to even).
    unrounded = np.where(raw.age_days[rows] >= 0, raw.age_days[rows], np.nan)
    age = np.floor(unrounded + 0.5)
    weight = raw.weight_kg[rows]
    height = raw.height_cm[rows]
    return _Inputs(
        sex=raw.sex[rows],
        age_days=np.where(age >= 0, age, np.nan),
        age_months=unrounded / DAYS_PER_MONTH,
        weight_kg=np.where(weight > 0, weight, np.nan),
        height_cm=np.where(height > 0, height, np.nan),
        measure=raw.measure[rows],
        oedema=raw.oedema[rows],
    )


def _prepare_clean(
    sex: ArrayLike,
    age_days: ArrayLike | None,
    weight_kg: ArrayLike | None,
    height_cm: ArrayLike | None,
    measure: ArrayLike | None = None,
) -> _Inputs:
    raw = _prepare(sex, age_days, weight_kg, height_cm, measure, None)
    return _clean(raw, slice(None))


# -- WHO's rounding ----------------------------------------------------------------


def round_zscores(z: ArrayLike, decimals: int = Z_DECIMALS) -> FloatArray:
    """Round as R's `round(z, 2)` does (R >= 4.0), as WHO's anthro rounds every z-score: of
    the two neighbours with `decimals` decimals, the one nearer to the stored double; an
    exact tie goes to the even one.

    So -2.005, stored as -2.00499999999999989..., rounds to -2.0, and 2.675 to 2.67;
    multiplying by 100 and rounding would sometimes get these wrong. Checked against R
    4.2.2's `round` on 5.5 million values, every x.xx5 tie and its neighbours included
    (tests/etl/data/r_round_cases.csv holds a sample).
    """
    values = np.asarray(z, dtype=np.float64)
    magnitude = np.abs(values)
    scale = 10.0**decimals
    # an infinite or huge z (given, not computed) overflows or makes inf - inf on its way to itself
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


# -- formulas ----------------------------------------------------------------------


def compute_lms_z(y: FloatArray, lam: FloatArray, mu: FloatArray, sigma: FloatArray, *, restricted: bool) -> FloatArray:
    """WHO LMS z-score; `restricted` applies WHO's linear tail beyond +/-3 SD.

    With L = lam, M = mu, S = sigma: z = ((y/M)^L - 1) / (L*S). Restricted, for z > 3:
    SD3pos = M(1+3LS)^(1/L), SD23pos = SD3pos - M(1+2LS)^(1/L), z = 3 + (y-SD3pos)/SD23pos;
    for z < -3: SD3neg = M(1-3LS)^(1/L), SD23neg = M(1-2LS)^(1/L) - SD3neg,
    z = -3 + (y-SD3neg)/SD23neg. Tables never hold L = 0 (checked when loaded).
    """
    z = (np.power(y / mu, lam) - 1.0) / (lam * sigma)  # y > 0 or NaN: nothing to warn about
    if not restricted:
        return z
    above = np.flatnonzero(z > 3.0)  # NaN compares False
    below = np.flatnonzero(z < -3.0)
    if above.size:
        power, median, spread = lam[above], mu[above], sigma[above]
        sd3pos = median * np.power(1.0 + power * spread * 3.0, 1.0 / power)
        sd23pos = sd3pos - median * np.power(1.0 + power * spread * 2.0, 1.0 / power)
        z[above] = 3.0 + (y[above] - sd3pos) / sd23pos
    if below.size:
        power, median, spread = lam[below], mu[below], sigma[below]
        sd3neg = median * np.power(1.0 - power * spread * 3.0, 1.0 / power)
        sd23neg = median * np.power(1.0 - power * spread * 2.0, 1.0 / power) - sd3neg
        z[below] = -3.0 + (y[below] - sd3neg) / sd23neg
    return z


def adjust_length_height(
    age_days: ArrayLike, height_cm: ArrayLike, measure: ArrayLike | None = None
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Return (adjusted length/height in cm, position_error) by WHO's position rules."""
    height = _as_float(height_cm)
    sex = np.full(height.shape[0], SEX_MALE)  # any valid sex: the adjustment does not depend on it
    return _adjust_length_height(_prepare_clean(sex, age_days, None, height, measure))


def _adjust_length_height(inputs: _Inputs) -> tuple[FloatArray, NDArray[np.bool_]]:
    age = inputs.age_days
    standing = inputs.measure == MEASURE_STANDING
    lying = inputs.measure == MEASURE_LYING
    # NaN ages compare False, so unknown ages get no adjustment and no error.
    young = age < LENGTH_TABLE_AGE_LIMIT_DAYS
    position_error = standing & (inputs.age_months < MIN_STANDING_AGE_MONTHS)
    add = standing & young & ~position_error
    subtract = lying & (age >= LENGTH_TABLE_AGE_LIMIT_DAYS)
    adjusted = inputs.height_cm.copy()
    adjusted[add] += POSITION_CORRECTION_CM
    adjusted[subtract] -= POSITION_CORRECTION_CM
    return adjusted, position_error


@dataclass(frozen=True)
class _AgeRows:
    """Flat row index into an age table's (2, 1827) arrays, and which rows are usable."""

    flat: NDArray[np.intp]
    usable: NDArray[np.bool_]


def _find_age_rows(sex: NDArray[np.int8], age: FloatArray, age_months: FloatArray, rows: int) -> _AgeRows:
    usable = (sex > 0) & (age <= MAX_AGE_DAYS) & (age_months < MAX_AGE_MONTHS)  # NaN age compares False
    row = np.where(usable, age, 0.0).astype(np.intp)
    flat = (np.maximum(sex, 1).astype(np.intp) - 1) * rows + row
    return _AgeRows(flat=flat, usable=usable)


def _age_based_z(table: LmsTable, at: _AgeRows, y: FloatArray, *, restricted: bool) -> FloatArray:
    return compute_lms_z(
        np.where(at.usable, y, np.nan),
        table.lam.ravel().take(at.flat),
        table.mu.ravel().take(at.flat),
        table.sigma.ravel().take(at.flat),
        restricted=restricted,
    )


@dataclass(frozen=True, eq=False)
class _StackedLengthTables:
    """Weight-for-length rows followed by weight-for-height rows, per sex."""

    lam: FloatArray
    mu: FloatArray
    sigma: FloatArray
    rows_per_sex: int
    wfl: LmsTable
    wfh: LmsTable


@cache
def _stack_length_tables(tables: GrowthTables) -> _StackedLengthTables:
    stacked = {
        name: np.concatenate([getattr(tables.wfl, name), getattr(tables.wfh, name)], axis=1).ravel()
        for name in ("lam", "mu", "sigma")
    }
    return _StackedLengthTables(
        **stacked,
        rows_per_sex=tables.wfl.rows + tables.wfh.rows,
        wfl=tables.wfl,
        wfh=tables.wfh,
    )


def _weight_for_length_height_z(
    stacked: _StackedLengthTables,
    sex: NDArray[np.int8],
    length_cm: FloatArray,
    weight_kg: FloatArray,
    use_length_table: NDArray[np.bool_] | bool,  # per row, or one table for all
) -> FloatArray:
    wfl, wfh = stacked.wfl, stacked.wfh
    start = np.where(use_length_table, wfl.start, wfh.start)
    last_row = np.where(use_length_table, wfl.rows - 1, wfh.rows - 1)
    first_cm = np.where(use_length_table, wfl.key[0], wfh.key[0])
    last_cm = np.where(use_length_table, wfl.key[-1], wfh.key[-1])
    position = (length_cm - start) / wfl.step
    # Snap float noise (e.g. 74.6 + 0.7 = 75.29999999999998) onto the 0.1 cm row.
    nearest = np.rint(position)
    position = np.where(np.abs(position - nearest) < 1e-6, nearest, position)
    # The range on the length as it is (WHO: lenhei >= 45 & lenhei <= 110), not the snapped row.
    usable = (sex > 0) & (length_cm >= first_cm) & (length_cm <= last_cm)
    position = np.clip(position, 0, last_row)
    position = np.where(usable, position, 0.0)
    low = position.astype(np.intp)  # position >= 0, so this is the floor
    fraction = position - low
    high = np.minimum(low + 1, last_row)
    base = (np.maximum(sex, 1).astype(np.intp) - 1) * stacked.rows_per_sex
    base += np.where(use_length_table, 0, wfl.rows)
    low += base
    high += base
    lms = []
    for column in (stacked.lam, stacked.mu, stacked.sigma):
        at_low = column.take(low)
        lms.append(at_low + fraction * (column.take(high) - at_low))
    y = np.where(usable, weight_kg, np.nan)
    return compute_lms_z(y, *lms, restricted=True)


# -- public helpers ------------------------------------------------------------------


def compute_height_for_age_z(sex: ArrayLike, age_days: ArrayLike, height_cm_adjusted: ArrayLike) -> FloatArray:
    """HAZ from an already position-adjusted length/height (see adjust_length_height)."""
    inputs = _prepare_clean(sex, age_days, None, height_cm_adjusted)
    table = load_growth_tables().lhfa
    at = _find_age_rows(inputs.sex, inputs.age_days, inputs.age_months, table.rows)
    return _age_based_z(table, at, inputs.height_cm, restricted=False)


def compute_weight_for_age_z(sex: ArrayLike, age_days: ArrayLike, weight_kg: ArrayLike) -> FloatArray:
    inputs = _prepare_clean(sex, age_days, weight_kg, None)
    table = load_growth_tables().wfa
    at = _find_age_rows(inputs.sex, inputs.age_days, inputs.age_months, table.rows)
    return _age_based_z(table, at, inputs.weight_kg, restricted=True)


def compute_bmi_for_age_z(sex: ArrayLike, age_days: ArrayLike, bmi: ArrayLike) -> FloatArray:
    """BMI-for-age from a BMI computed on the adjusted length/height."""
    inputs = _prepare_clean(sex, age_days, bmi, None)
    table = load_growth_tables().bmi
    at = _find_age_rows(inputs.sex, inputs.age_days, inputs.age_months, table.rows)
    return _age_based_z(table, at, inputs.weight_kg, restricted=True)


def compute_weight_for_length_z(sex: ArrayLike, length_cm_adjusted: ArrayLike, weight_kg: ArrayLike) -> FloatArray:
    """Weight-for-length (45-110 cm table), whatever the age; empty out of range."""
    inputs = _prepare_clean(sex, None, weight_kg, length_cm_adjusted)
    stacked = _stack_length_tables(load_growth_tables())
    return _weight_for_length_height_z(stacked, inputs.sex, inputs.height_cm, inputs.weight_kg, True)


def compute_weight_for_height_z(sex: ArrayLike, height_cm_adjusted: ArrayLike, weight_kg: ArrayLike) -> FloatArray:
    """Weight-for-height (65-120 cm table), whatever the age; empty out of range."""
    inputs = _prepare_clean(sex, None, weight_kg, height_cm_adjusted)
    stacked = _stack_length_tables(load_growth_tables())
    return _weight_for_length_height_z(stacked, inputs.sex, inputs.height_cm, inputs.weight_kg, False)


def compute_implausible_flag(z: ArrayLike, indicator: str) -> pd.arrays.IntegerArray:
    """1 where the z-score rounded as WHO does (`round_zscores`) is outside
    FLAG_LIMITS[indicator], 0 inside, <NA> where z is NaN (nullable Int8)."""
    low, high = FLAG_LIMITS[indicator]
    values = round_zscores(_as_float(z))
    missing = np.isnan(values)
    flag = ((values < low) | (values > high)).astype(np.int8)
    return pd.arrays.IntegerArray(flag, missing)


# -- everything at once ----------------------------------------------------------


def compute_zscore_arrays(
    sex: ArrayLike,
    age_days: ArrayLike,
    weight_kg: ArrayLike,
    height_cm: ArrayLike,
    measure: ArrayLike | None = None,
    oedema: ArrayLike | None = None,
) -> ZScoreArrays:
    """All four z-scores from raw measurements (height as recorded, not adjusted).

    Works through blocks of rows so the temporaries stay in the CPU cache; each block
    is fully vectorised.
    """
    raw = _prepare(sex, age_days, weight_kg, height_cm, measure, oedema)
    size = raw.sex.shape[0]
    result = ZScoreArrays(
        haz=np.empty(size),
        waz=np.empty(size),
        whz=np.empty(size),
        bmiz=np.empty(size),
        height_cm_adjusted=np.empty(size),
        bmi=np.empty(size),
        position_error=np.empty(size, dtype=np.bool_),
    )
    tables = load_growth_tables()
    stacked = _stack_length_tables(tables)
    for first in range(0, size, _BLOCK_ROWS):
        rows = slice(first, first + _BLOCK_ROWS)
        _compute_block(tables, stacked, _clean(raw, rows), result, rows)
    return result


def _compute_block(
    tables: GrowthTables,
    stacked: _StackedLengthTables,
    inputs: _Inputs,
    result: ZScoreArrays,
    rows: slice,
) -> None:
    age, sex = inputs.age_days, inputs.sex
    height, position_error = _adjust_length_height(inputs)
    bmi = inputs.weight_kg / np.square(height / 100.0)
    weight = np.where(inputs.oedema, np.nan, inputs.weight_kg)
    at = _find_age_rows(sex, age, inputs.age_months, tables.lhfa.rows)

    result.haz[rows] = _age_based_z(tables.lhfa, at, height, restricted=False)
    result.waz[rows] = _age_based_z(tables.wfa, at, weight, restricted=True)
    bmi_for_z = np.where(inputs.oedema, np.nan, bmi)
    result.bmiz[rows] = _age_based_z(tables.bmi, at, bmi_for_z, restricted=True)

    by_position = np.where(
        inputs.measure == MEASURE_UNKNOWN,
        height < UNKNOWN_AGE_LENGTH_LIMIT_CM,
        inputs.measure == MEASURE_LYING,
    )
    use_length_table = np.where(np.isnan(age), by_position, age < LENGTH_TABLE_AGE_LIMIT_DAYS)
    weight = np.where(inputs.age_months >= MAX_AGE_MONTHS, np.nan, weight)  # unknown age: kept
    result.whz[rows] = _weight_for_length_height_z(stacked, sex, height, weight, use_length_table)
    result.height_cm_adjusted[rows] = height
    result.bmi[rows] = bmi
    result.position_error[rows] = position_error


def compute_zscores(
    sex: ArrayLike,
    age_days: ArrayLike,
    weight_kg: ArrayLike,
    height_cm: ArrayLike,
    measure: ArrayLike | None = None,
    oedema: ArrayLike | None = None,
) -> pd.DataFrame:
    """Z-scores and flags as a DataFrame with a RangeIndex, one row per input row.

    Columns: haz, waz, whz, bmiz (float64, NaN = not computable), haz_flag, waz_flag,
    whz_flag, bmiz_flag (nullable Int8: 1 implausible, 0 plausible, <NA> = no z),
    position_error (bool), height_cm_adjusted and bmi (float64).
    """
    result = compute_zscore_arrays(sex, age_days, weight_kg, height_cm, measure, oedema)
    columns: dict[str, Any] = {name: getattr(result, name) for name in ZSCORE_COLUMNS}
    for name, flag_name in zip(ZSCORE_COLUMNS, FLAG_COLUMNS):
        columns[flag_name] = compute_implausible_flag(columns[name], name)
    columns["position_error"] = result.position_error
    columns["height_cm_adjusted"] = result.height_cm_adjusted
    columns["bmi"] = result.bmi
    return pd.DataFrame(columns, copy=False)
