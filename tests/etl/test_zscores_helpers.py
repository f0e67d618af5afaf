"""The single-indicator helpers and the code parsers of etl/transform/zscores.py at the
edges the batch path does not reach: BMI-for-age beyond +/-3 SD through its own helper,
codes typed with decimals, oedema read as booleans, missing z-scores given as None, the
last row of a table.

Expected values are worked out by hand from the LMS row quoted next to them (WHO 2006
BMI-for-age, boys, day 365: L -0.4113, M 16.7992, S 0.08009).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from etl.transform.zscores import (
    MEASURE_LYING,
    compute_bmi_for_age_z,
    compute_weight_for_height_z,
    compute_zscores,
    parse_measure,
    parse_oedema,
    parse_sex,
    round_zscores,
)

TOL = 1e-9


def test_bmi_for_age_helper_uses_whos_restricted_formula_above_3() -> None:
    """BMI 24.0: plain z = ((24/16.7992)^-0.4113 - 1)/(-0.4113*0.08009) = 4.142685040 > 3, so
    SD3pos = 16.7992*(1 - 0.4113*0.08009*3)^(1/-0.4113) = 21.635132523
    SD2pos = 16.7992*(1 - 0.4113*0.08009*2)^(1/-0.4113) = 19.826741332
    z = 3 + (24 - 21.635132523)/(21.635132523 - 19.826741332) = 4.307718976
    """
    assert compute_bmi_for_age_z([1], [365], [24.0])[0] == pytest.approx(4.3077189760297, abs=TOL)


def test_bmi_for_age_helper_uses_whos_restricted_formula_below_minus_3() -> None:
    """BMI 12.0: plain z = -4.505083706 < -3, so
    SD3neg = 16.7992*(1 + 0.4113*0.08009*3)^(1/-0.4113) = 13.359195527
    SD2neg = 16.7992*(1 + 0.4113*0.08009*2)^(1/-0.4113) = 14.385300500
    z = -3 + (12 - 13.359195527)/(14.385300500 - 13.359195527) = -4.324616449
    """
    assert compute_bmi_for_age_z([1], [365], [12.0])[0] == pytest.approx(-4.324616449261258, abs=TOL)


def test_codes_typed_with_a_fraction_are_not_rounded_to_a_code() -> None:
    # "1.5" is no sex and no position; "2.0" and "1.0" are the codes 2 and 1 written as numbers
    assert parse_sex(["1.5", "2.0", "1", "0.9"]).tolist() == [0, 2, 1, 0]
    assert parse_measure(["1.5", "1.0", "2.7"]).tolist() == [0, MEASURE_LYING, 0]


def test_oedema_read_as_booleans_with_blanks() -> None:
    # a spreadsheet column of TRUE/FALSE with empty cells arrives as objects, not as a bool array
    column = pd.Series([True, False, None, True], dtype=object)
    assert parse_oedema(column).tolist() == [True, False, False, True]
    assert parse_oedema(np.array([True, False], dtype=object)).tolist() == [True, False]


def test_missing_z_scores_given_as_none_stay_missing() -> None:
    rounded = round_zscores([2.675, None, -2.005])
    assert rounded[0] == 2.67 and math.isnan(rounded[1]) and rounded[2] == -2.0


def test_weight_for_height_on_the_last_row_of_the_girls_table() -> None:
    """Girl, 120.0 cm (the table's last row: L -0.3833, M 22.8173, S 0.09828), 22.0 kg:
    ((22.0/22.8173)^-0.3833 - 1)/(-0.3833*0.09828) = -0.373756180."""
    assert compute_weight_for_height_z([2], [120.0], [22.0])[0] == pytest.approx(-0.3737561799738421, abs=TOL)


def test_weight_for_height_between_two_rows_of_the_girls_table() -> None:
    """Girl, 86.05 cm, 11.0 kg: halfway between the rows 86.0 (L -0.3833, M 11.6444,
    S 0.08895) and 86.1 (M 11.6696): M = 11.657, so
    ((11.0/11.657)^-0.3833 - 1)/(-0.3833*0.08895) = -0.659486908."""
    assert compute_weight_for_height_z([2], [86.05], [11.0])[0] == pytest.approx(-0.65948690817144, abs=TOL)


def test_a_length_on_the_grid_after_the_position_adjustment_gives_that_rows_value_exactly() -> None:
    """74.6 cm standing at 365 days is 74.6 + 0.7, stored a hair below 75.3: the 75.3 cm row
    itself (boys' weight-for-length: L -0.3521, M 9.5639, S 0.08299) to the last bit, not an
    interpolation 1e-14 away, so WHO's two-decimal rounding sees the same number."""
    adjusted = compute_zscores([1], [365], [9.5], [74.6], ["H"])["whz"].iloc[0]
    assert adjusted == (np.power(9.5 / 9.5639, -0.3521) - 1.0) / (-0.3521 * 0.08299)


def test_a_tiny_positive_height_is_a_measurement_flagged_implausible_not_a_missing_one() -> None:
    # only a missing or non-positive height is unusable: 0.5 cm gives a length-for-age z-score
    # far below -6, which WHO's flag marks; no weight-for-length (outside 45-110 cm)
    row = compute_zscores([1], [365], [9.5], [0.5], ["L"]).iloc[0]
    assert row["height_cm_adjusted"] == 0.5
    assert row["haz"] < -6 and row["haz_flag"] == 1
    assert math.isnan(row["whz"])


def test_values_beyond_two_decimals_of_double_precision_come_back_as_they_are() -> None:
    # from 2^52 hundredths on a double has no hundredths left: R's round returns x itself,
    # where x*100 rounded and divided back would move these two in their last digit
    values = [59885792629280.414, 2.804094061362098e19]
    assert round_zscores(values).tolist() == values


def test_an_oedema_column_of_the_wrong_length_is_named() -> None:
    with pytest.raises(ValueError, match=r"^oedema: expected 1 values, got shape \(2,\)$"):
        compute_zscores([1], [365], [9.5], [75.0], ["L"], ["y", "n"])


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_infinite_and_huge_z_scores_come_back_as_they_are_without_a_warning() -> None:
    """A register's own z-score column can hold anything a spreadsheet can: inf makes
    inf - inf on its way through, 1e307 overflows when scaled to hundredths. Neither is a
    reason to print a RuntimeWarning into an ETL log; both come back as given."""
    values = [math.inf, -math.inf, 1e307, -1e307]
    assert round_zscores(values).tolist() == values
