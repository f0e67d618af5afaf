"""etl/transform/zscores.py input handling: position and oedema codes, unusable numbers and
mismatched lengths (the z-score values themselves are pinned in test_zscores.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.transform.zscores import (
    MEASURE_LYING,
    MEASURE_STANDING,
    MEASURE_UNKNOWN,
    compute_zscores,
    parse_measure,
    parse_oedema,
)

L, H, U = MEASURE_LYING, MEASURE_STANDING, MEASURE_UNKNOWN


def test_measure_codes_from_text_numbers_and_blanks():
    values = ["L", "h", " l ", 1, 2, 3, "2", "x", None, 2.0, 1.5, "1.0", True]
    assert parse_measure(np.asarray(values, dtype=object)).tolist() == [L, H, L, L, H, U, H, U, U, H, U, L, L]
    assert parse_measure(np.array([1.0, 2.0, 0.0, np.nan])).tolist() == [L, H, U, U]
    assert parse_measure(pd.Series(["H", None, "L"], dtype="category")).tolist() == [H, U, L]
    assert parse_measure(np.array([1, 2, 5], dtype=np.int64)).dtype == np.int8


def test_oedema_codes_from_text_numbers_and_booleans():
    # "t" is tidak (no) in Bahasa, never oedema
    values = ["y", "Ya", " TRUE ", "no", "", None, 1, 2, 1.0, 1.5, True, False, "1", "2", "1.0", "t"]
    expected = [True, True, True, False, False, False, True, False, True, False, True, False, True, False, True, False]
    result = parse_oedema(np.asarray(values, dtype=object))
    assert result.dtype == np.bool_ and result.tolist() == expected
    assert parse_oedema(np.array([1, 0, 2])).tolist() == [True, False, False]
    assert parse_oedema(np.array([1.0, np.nan, 0.5])).tolist() == [True, False, False]
    flags = np.array([True, False])
    assert parse_oedema(flags) is flags
    assert parse_oedema(pd.Series(["ya", "tidak"])).tolist() == [True, False]


def test_oedema_makes_weight_based_z_scores_missing():
    z = compute_zscores(
        sex=[1, 1], age_days=[400, 400], weight_kg=[9.5, 9.5], height_cm=[75.2, 75.2], oedema=["y", "n"]
    )
    assert np.isnan(z.loc[0, ["waz", "whz", "bmiz"]].astype(float)).all()
    assert not np.isnan(z.loc[1, ["waz", "whz", "bmiz"]].astype(float)).any()
    assert z.loc[0, "haz"] == z.loc[1, "haz"]


def test_light_weights_count_and_zero_or_negative_numbers_do_not():
    z = compute_zscores(
        sex=[1, 1, 1, 1],
        age_days=[0, 0, 0, -1],
        weight_kg=[0.8, 0.0, -1.0, 3.3],
        height_cm=[40.0, 50.0, 0.0, 50.0],
        measure=["L", "L", "L", "L"],
    )
    assert np.isfinite(z.loc[0, "waz"])  # 0.8 kg: very low, but a weight
    assert np.isnan(z.loc[1, "waz"]) and np.isnan(z.loc[2, "waz"])
    assert np.isnan(z.loc[2, "haz"])  # height 0: not measured
    assert np.isnan(z.loc[3, ["haz", "waz"]].astype(float)).all()  # negative age: no age-based z
    assert np.isfinite(z.loc[3, "whz"])  # weight-for-length needs no age


@pytest.mark.parametrize("column", ["age_days", "weight_kg", "height_cm"])
def test_arrays_of_another_length_are_refused_by_name(column):
    inputs = {"sex": [1, 2], "age_days": [400, 500], "weight_kg": [9.5, 10.0], "height_cm": [75.0, 78.0]}
    inputs[column] = inputs[column][:1]
    with pytest.raises(ValueError, match=f"^{column}: expected 2 values"):
        compute_zscores(**inputs)


def test_result_columns_line_up_with_their_flags_for_many_rows():
    n = 70_000  # more than one internal block
    z = compute_zscores(
        sex=np.ones(n), age_days=np.full(n, 400.0), weight_kg=np.full(n, 9.5), height_cm=np.full(n, 75.2)
    )
    assert len(z) == n and z["haz"].nunique() == 1 and z["haz_flag"].eq(0).all() and z["whz_flag"].eq(0).all()


def test_nullable_pandas_columns_give_the_same_z_scores_as_lists_with_none():
    """A DuckDB frame hands integer columns with NULLs over as nullable Int32 and numbers as
    Float64 with <NA>: each <NA> must read as a missing number, as None does in a list."""
    as_lists = {
        "sex": [1, 2, 1, 2],
        "age_days": [400, None, 800, 1200],
        "weight_kg": [9.5, 10.0, None, 14.0],
        "height_cm": [75.2, 80.0, 85.0, None],
    }
    nullable = {
        "sex": pd.Series(as_lists["sex"], dtype="Int8"),
        "age_days": pd.Series(as_lists["age_days"], dtype="Int32"),
        "weight_kg": pd.Series(as_lists["weight_kg"], dtype="Float64"),
        "height_cm": pd.array(as_lists["height_cm"], dtype="Float64"),
    }
    expected = compute_zscores(**as_lists)
    assert expected[["haz", "waz", "whz"]].notna().sum().tolist() == [2, 2, 2]  # each row misses one number
    pd.testing.assert_frame_equal(compute_zscores(**nullable), expected)
