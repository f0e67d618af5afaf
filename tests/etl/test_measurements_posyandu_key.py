"""etl/transform/measurements.py: posyandu names matched within a desa.

The key keeps a name's words apart, so two posyandu whose letters run together alike
("Melati I" and "Melat II") stay two; a name fitting two posyandu of its desa is not guessed.
The rows are hand-made: the default child (tests/support/eppgbm_files.py) is measured in
Loa Ipuh (Tenggarong); the master rows are written here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.extract.reader import read_register_file
from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.transform.measurements import build_measurements, posyandu_key
from etl.validate import BLANKED, validate_table
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv

SECRET = b"k" * 32
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def test_spellings_of_one_posyandu_give_one_key():
    names = pd.Series(
        [
            "Posyandu Melati 1",
            "MELATI I",
            "pos. melati i",
            " Posyandu  Melati-1 ",
            "Pos.Melati I",
            "Melati1",
            "Melati 01",
            "Melati 2",
            None,
        ]
    )
    assert posyandu_key(names).tolist()[:8] == ["melati 1"] * 7 + ["melati 2"]
    assert pd.isna(posyandu_key(names).iloc[8])


def test_words_stay_apart_so_melati_i_is_not_melat_ii():
    names = pd.Series(["Melati I", "Melat II", "Melati Indah", "Mel Ati", "Melati"])
    assert posyandu_key(names).tolist() == ["melati 1", "melat 2", "melati indah", "mel ati", "melati"]


def test_an_apostrophe_joins_the_letters_around_it():
    names = pd.Series(["Al-Ma'un", "AL MAUN", "Al Ma’un", "Al-Ma`un", "Almaun"])
    assert posyandu_key(names).tolist() == ["al maun"] * 4 + ["almaun"]


def test_every_roman_numeral_to_twelve_is_its_number():
    roman = posyandu_key(pd.Series([f"Mawar {r}" for r in ROMAN]))
    digits = posyandu_key(pd.Series([f"Mawar {n}" for n in range(1, 13)]))
    assert roman.tolist() == digits.tolist() == [f"mawar {n}" for n in range(1, 13)]
    # a word made of numeral letters is a word: only whole words are numerals
    assert posyandu_key(pd.Series(["Vila Ixora", "Mawar XIII"])).tolist() == ["vila ixora", "mawar xiii"]


def test_a_number_inside_a_name_is_not_turned_into_a_roman_numeral():
    keys = posyandu_key(pd.Series(["Anggrek 12", "Anggrek 1"]))
    assert keys.tolist() == ["anggrek 12", "anggrek 1"]


def test_only_a_leading_posyandu_or_pos_is_dropped():
    names = pd.Series(["Posyandu Pos Melati", "Melati Posyandu", "Pos Mawar", "Posbindu Sehat"])
    assert posyandu_key(names).tolist() == ["pos melati", "melati posyandu", "mawar", "posbindu sehat"]


def test_a_name_without_a_letter_or_digit_has_no_key():
    keys = posyandu_key(pd.Series(["Posyandu", "-", "", "Pos."], index=[4, 5, 6, 7]))
    assert keys.isna().all() and keys.index.tolist() == [4, 5, 6, 7]
    assert str(keys.dtype) == "string"
    assert str(posyandu_key(pd.Series([None, None], dtype=object)).dtype) == "string"


def _validated(tmp_path, names: list[str]) -> pd.DataFrame:
    rows = [eppgbm_row(NIK=f"64020655052300{i:02d}", Posyandu=name) for i, name in enumerate(names, start=1)]
    table = read_register_file(
        write_eppgbm_csv(tmp_path / "e.csv", rows), {h for f in EPPGBM.fields if f.required for h in f.headers}
    )
    return validate_table(EPPGBM, table, RegionMatcher(), date(2025, 12, 1)).accepted


def _master(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kode_desa", "posyandu_id", "posyandu_name"])


def test_melati_i_and_melat_ii_of_one_desa_are_both_matched(tmp_path):
    # the old key ("melatii" for both) kept one of the two and matched both names to it
    validated = _validated(tmp_path, ["Melati 1", "MELAT II", "Posyandu Melati I"])
    desa = validated["kode_desa"].iloc[0]
    master = _master([(desa, "P-1", "Melati I"), (desa, "P-2", "Melat II")])
    facts, rejections = build_measurements(validated, master, SECRET)
    assert facts["posyandu_id"].tolist() == ["P-1", "P-2", "P-1"]
    assert rejections.empty


def test_a_name_fitting_two_posyandu_of_its_desa_is_kept_without_a_posyandu(tmp_path):
    validated = _validated(tmp_path, ["Melati I", "Mawar", "melati-1"])
    desa = validated["kode_desa"].iloc[0]
    master = _master(
        [
            (desa, "P-2", "MELATI I"),
            (desa, "P-1", "Melati 1"),  # two posyandu of Loa Ipuh whose names read alike
            (desa, "P-3", "Mawar"),
            ("64.02.06.9999", "P-4", "Melati 1"),  # another desa's: not a candidate
        ]
    )
    facts, rejections = build_measurements(validated, master, SECRET)
    assert len(facts) == 3  # the measurements stay (desa and kecamatan figures count them)
    assert facts["posyandu_id"].isna().tolist() == [True, False, True]
    assert facts["posyandu_id"].iloc[1] == "P-3"
    assert str(facts["posyandu_id"].dtype) == "string"
    reason = (
        "nama cocok dengan lebih dari satu posyandu di desanya: P-1 (Melati 1), P-2 (MELATI I); "
        "pengukuran disimpan tanpa posyandu"
    )
    assert rejections.values.tolist() == [
        ["eppgbm", "e.csv", 2, "Posyandu", "Melati I", reason, BLANKED],
        ["eppgbm", "e.csv", 4, "Posyandu", "melati-1", reason, BLANKED],
    ]


def test_one_posyandu_in_several_master_snapshots_is_one_candidate(tmp_path):
    validated = _validated(tmp_path, ["Melati 1", "Kenanga"])
    desa = validated["kode_desa"].iloc[0]
    master = _master(
        [
            (desa, "P-1", "Melati 1"),  # the December master
            (desa, "P-1", "MELATI I"),  # the October one, spelled otherwise
            (desa, "P-1", "Melati 1"),
            (desa, "P-5", "Kenanga"),
        ]
    )
    facts, rejections = build_measurements(validated, master, SECRET)
    assert facts["posyandu_id"].tolist() == ["P-1", "P-5"]
    assert rejections.empty


def test_a_name_typed_as_a_number_is_read_as_text():
    assert posyandu_key(pd.Series([17, "Melati"], dtype=object)).tolist() == ["17", "melati"]


def test_without_a_master_no_row_gets_a_posyandu(tmp_path):
    validated = _validated(tmp_path, ["Melati 1"])
    for master in (None, pd.DataFrame()):  # no master file read: the build hands over an empty frame
        facts, rejections = build_measurements(validated, master, SECRET)
        assert facts["posyandu_id"].isna().all() and str(facts["posyandu_id"].dtype) == "string"
        assert rejections.empty


def test_words_run_together_or_split_still_find_their_posyandu(tmp_path):
    # e-PPGBM spells one posyandu with and without the spaces or hyphens between its words
    names = ["Arrahman", "Al Ikhlas", "TunasHarapan", "Posyandu Ar Rahman", "AL-IKHLAS", "Tunas-Harapan"]
    validated = _validated(tmp_path, names)
    desa = validated["kode_desa"].iloc[0]
    master = _master(
        [
            (desa, "P-1", "Ar-Rahman"),
            (desa, "P-2", "Alikhlas"),
            (desa, "P-3", "Tunas Harapan"),
            ("64.02.06.9999", "P-4", "Arrahman"),  # another desa's: not a candidate
            ("64.02.06.9999", "P-5", "Al Ikhlas"),
        ]
    )
    facts, rejections = build_measurements(validated, master, SECRET)
    assert facts["posyandu_id"].tolist() == ["P-1", "P-2", "P-3", "P-1", "P-2", "P-3"]
    assert rejections.empty


def test_run_together_melati_i_and_melat_ii_stay_apart(tmp_path):
    # run together, the digits keep them apart: "melati1" and "melat2"; "MelatII" is one
    # word ("melatii") that fits neither, so it gets no posyandu and no guess
    validated = _validated(tmp_path, ["Mela Ti I", "Mel-At II", "Melati1", "MelatII"])
    desa = validated["kode_desa"].iloc[0]
    master = _master([(desa, "P-1", "Melati I"), (desa, "P-2", "Melat II")])
    facts, rejections = build_measurements(validated, master, SECRET)
    assert facts["posyandu_id"].tolist()[:3] == ["P-1", "P-2", "P-1"]
    assert pd.isna(facts["posyandu_id"].iloc[3])
    assert rejections.empty


def test_a_word_match_wins_and_a_run_together_name_fitting_two_is_not_guessed(tmp_path):
    validated = _validated(tmp_path, ["Melati", "Mel Ati", "MelAti", "Me Lati"])
    desa = validated["kode_desa"].iloc[0]
    # run together both are "melati"; by their words they are two names
    master = _master([(desa, "P-2", "Melati"), (desa, "P-1", "Mel-Ati")])
    facts, rejections = build_measurements(validated, master, SECRET)
    assert facts["posyandu_id"].tolist()[:3] == ["P-2", "P-1", "P-2"]
    assert pd.isna(facts["posyandu_id"].iloc[3])  # "me lati" fits no words; "melati" fits both
    reason = (
        "nama cocok dengan lebih dari satu posyandu di desanya: P-1 (Mel-Ati), P-2 (Melati); "
        "pengukuran disimpan tanpa posyandu"
    )
    assert rejections.values.tolist() == [["eppgbm", "e.csv", 5, "Posyandu", "Me Lati", reason, BLANKED]]
