"""The export guard at its edges: which counts are hidden (1 to threshold - 1, never 0 or the
threshold itself), which rates go with them, how a child rate reveals a count (rate × children
measured, rounded), and text a spreadsheet would run as a formula. Expected cells by hand."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from dashboard.export.tables import neutralise_formulas, suppress_child_cells, suppress_small_cells, table_to_csv


def test_counts_from_one_to_below_the_threshold_are_hidden():
    df = pd.DataFrame({"n": [0, 1, 4, 5, 6, None], "label": list("abcdef")})
    out = suppress_small_cells(df, ["n"])
    assert out["n"].tolist()[:5] == [0, "<5", "<5", 5, 6]
    assert pd.isna(out["n"].tolist()[5])
    assert out["label"].tolist() == list("abcdef")
    assert suppress_small_cells(df, ["n"], threshold=6)["n"].tolist()[:5] == [0, "<6", "<6", "<6", 6]


def test_counts_typed_as_text_are_judged_by_their_number():
    out = suppress_small_cells(pd.DataFrame({"n": ["3", "12", "-"]}), ["n"])
    assert out["n"].tolist() == ["<5", "12", "-"]


def test_a_rate_of_whole_numbers_or_text_is_blanked_with_none():
    df = pd.DataFrame({"n": [2, 20], "pct": [50, 10], "note": ["x", "y"]})
    out = suppress_small_cells(df, ["n"], dependent_columns=["pct", "note"])
    assert out["pct"].tolist() == [None, 10]
    assert out["note"].tolist() == [None, "y"]


def test_a_float_rate_is_blanked_as_a_missing_number():
    out = suppress_small_cells(pd.DataFrame({"n": [2, 20], "pct": [50.0, 10.0]}), ["n"], dependent_columns=["pct"])
    assert out["pct"].dtype == "float64"
    assert np.isnan(out["pct"][0]) and out["pct"][1] == 10.0


def test_a_rate_follows_only_its_own_counts():
    df = pd.DataFrame({"a": [2, 20, 20], "b": [20, 3, 20], "a_pct": [1.0, 2.0, 3.0], "b_pct": [4.0, 5.0, 6.0]})
    out = suppress_small_cells(df, ["a", "b"], dependent_columns={"a_pct": ["a"], "b_pct": ["b"]})
    assert out["a_pct"].isna().tolist() == [True, False, False]
    assert out["b_pct"].isna().tolist() == [False, True, False]
    # given as a list, a rate is blanked wherever any count was hidden
    listed = suppress_small_cells(df, ["a", "b"], dependent_columns=["a_pct"])
    assert listed["a_pct"].isna().tolist() == [True, True, False]


def test_a_child_rate_is_blanked_when_it_implies_one_to_four_children():
    table = pd.DataFrame(
        {
            "Desa": list("ABCDEFG"),
            "Balita diukur": [100, 30, 100, 100, 5, 4, 100],
            # implied stunted children: 0.4 → 0; 3.333 % of 30 = 0.9999 → 1 (a rounded rate);
            # 1; 4; 2; 1 of only 4 children; 5
            "Stunting (%)": [0.4, 3.333, 1.0, 4.0, 40.0, 25.0, 5.0],
        }
    )
    guarded = suppress_child_cells(table)
    assert guarded["Stunting (%)"].isna().tolist() == [False, True, True, True, True, True, False]
    assert guarded["Balita diukur"].tolist() == [100, 30, 100, 100, 5, "<5", 100]
    assert guarded["Stunting (%)"][0] == 0.4 and guarded["Stunting (%)"][6] == 5.0


def test_the_child_guard_reads_the_first_child_count_and_child_rates_only():
    table = pd.DataFrame(
        {
            "Jumlah anak": [50, 3],
            "Balita ditimbang": [2, 50],  # a second count: hidden, but not the rates' denominator
            "Underweight (%)": [4.0, 10.0],  # 2 children of 50; of 3 children (the first count)
            "Cakupan (%)": [4.0, 10.0],  # not a nutrition indicator
            "Catatan anak": ["a", "b"],  # text, not a count
        }
    )
    guarded = suppress_child_cells(table)
    assert guarded["Jumlah anak"].tolist() == [50, "<5"]
    assert guarded["Balita ditimbang"].tolist() == ["<5", 50]
    assert guarded["Underweight (%)"].isna().tolist() == [True, True]
    assert guarded["Cakupan (%)"].tolist() == [4.0, 10.0]
    assert guarded["Catatan anak"].tolist() == ["a", "b"]


@pytest.mark.parametrize("column", ["Gizi kurang (%)", "Gizi buruk (%)", "Pendek (%)", "Sangat kurus (%)"])
def test_a_rate_headed_with_a_bahasa_status_word_is_guarded(column):
    guarded = suppress_child_cells(pd.DataFrame({"Balita diukur": [50, 200], column: [4.0, 4.0]}))
    assert guarded[column].isna().tolist() == [True, False]  # 2 of 50 children; 8 of 200


def test_a_percent_column_naming_children_is_a_rate_not_a_count():
    table = pd.DataFrame({"Balita diukur": [50], "Balita stunting (%)": [4.0]})
    guarded = suppress_child_cells(table)
    assert guarded["Balita diukur"].tolist() == [50]
    assert pd.isna(guarded["Balita stunting (%)"][0])  # 2 of 50 children


def test_formula_text_in_any_text_column_and_header_is_neutralised():
    df = pd.DataFrame(
        {
            "-x": ["=1", "ok"],
            "s": pd.Series(["+1", None], dtype="string"),
            "n": [-5, 3],
            "mixed": ["@a", 1],
        }
    )
    out = neutralise_formulas(df)
    assert out.columns.tolist() == ["'-x", "s", "n", "mixed"]
    assert out["'-x"].tolist() == ["'=1", "ok"]
    assert out["s"].tolist()[0] == "'+1" and pd.isna(out["s"].tolist()[1])
    assert out["n"].tolist() == [-5, 3]  # numbers are not text: a negative number stays a number
    assert out["mixed"].tolist() == ["'@a", 1]


def test_csv_writes_yes_no_for_flags_and_neutralised_cells():
    df = pd.DataFrame({"Teregistrasi": [True, False], "Nama": ["=cmd", "Melati"]})
    lines = table_to_csv(df).decode("utf-8-sig").splitlines()
    assert lines == ["Teregistrasi;Nama", "Ya;'=cmd", "Tidak;Melati"]


def test_a_missing_count_in_a_nullable_column_stays_missing():
    df = pd.DataFrame({"n": pd.array([3, pd.NA, 7], dtype="Int64")})
    out = suppress_small_cells(df, ["n"])
    assert out["n"].tolist()[0] == "<5" and pd.isna(out["n"].tolist()[1]) and out["n"].tolist()[2] == 7


@pytest.mark.parametrize(
    ("counts", "dependent", "named"),
    [
        (["nope"], ["a_pct"], ["nope"]),
        (["a"], ["nope"], ["nope"]),
        (["nope"], {"a_pct": ["a"]}, ["nope", "a"]),  # and a rate's source that is not a count
        (["a", "nope"], {"a_pct": ["b"]}, ["nope", "b"]),
    ],
)
def test_the_refusal_names_every_column_that_is_not_there(counts, dependent, named):
    df = pd.DataFrame({"a": [1], "b": [1], "a_pct": [1.0]})
    with pytest.raises(KeyError, match=re.escape(f"not in the table or not among count_columns: {named}")):
        suppress_small_cells(df, counts, dependent_columns=dependent)


def test_a_child_rate_near_the_rounding_edge_and_denominators_at_the_edges():
    table = pd.DataFrame(
        {
            "Balita diukur": [100, 1, 5, 1000],
            # 4.52 % of 100 implies 4.52, rounded to 5 children: shown; 0 % of 1 child: the 1 child
            # reveals it; 0 % of 5: shown; 2 % of 1000 is 20 children
            "Stunting (%)": [4.52, 0.0, 0.0, 2.0],
            "Balita stunting (%)": [4.52, 0.0, 0.0, 2.0],  # a rate whose name says balita, not a count
        }
    )
    guarded = suppress_child_cells(table)
    assert guarded["Stunting (%)"].isna().tolist() == [False, True, False, False]
    assert guarded["Balita stunting (%)"].tolist()[3] == 2.0
    assert guarded["Balita diukur"].tolist() == [100, "<5", 5, 1000]


def test_the_child_guard_threshold_reaches_the_counts():
    guarded = suppress_child_cells(pd.DataFrame({"Balita diukur": [7, 12]}), threshold=10)
    assert guarded["Balita diukur"].tolist() == ["<10", 12]


def test_a_named_index_is_exported_as_a_column():
    df = pd.DataFrame({"Balita": [10, 20]}, index=pd.RangeIndex(2, name="No"))
    header = table_to_csv(df).decode("utf-8-sig").splitlines()[0]
    assert header == "No;Balita"
