"""etl/transform/measurements.py: what each rejected row says, posyandu matched within its desa,
and the derived columns of a fact (WHO's two-decimal z-scores, the month, whole months of age).

Every expected value is read off the rows written in the test: the default child
(tests/support/eppgbm_files.py) is a girl born 15/05/2023, measured 15/10/2025 standing,
11.2 kg and 86.4 cm, in Loa Ipuh (Tenggarong), posyandu "Melati".
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from etl.extract.reader import read_register_file
from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.transform.measurements import _match_posyandu, build_measurements, posyandu_key
from etl.transform.zscores import compute_zscores
from etl.validate import REJECTED, REJECTION_COLUMNS, validate_table
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv

SECRET = b"k" * 32


def _validated(tmp_path, rows: list[dict], name: str = "e.csv") -> pd.DataFrame:
    table = read_register_file(
        write_eppgbm_csv(tmp_path / name, rows), {h for f in EPPGBM.fields if f.required for h in f.headers}
    )
    return validate_table(EPPGBM, table, RegionMatcher(), date(2025, 12, 1)).accepted


def _child(i: int, **values: object) -> dict:
    return eppgbm_row(**{"NIK": f"64020655052300{i:02d}", **values})


def test_each_rejected_row_names_file_row_column_and_reason(tmp_path):
    rows = [
        _child(1),  # kept
        _child(2, **{"Tgl Lahir": "16/10/2025"}),  # born the day after the weighing
        _child(3, **{"Tgl Lahir": "16/10/2025", "Berat": "", "Tinggi": ""}),  # both: the birth date is named
        _child(4, Berat="", Tinggi=""),
        _child(5, **{"Tgl Lahir": "13/10/2020"}),  # 1,828 days
    ]
    facts, rejections = build_measurements(_validated(tmp_path, rows), None, SECRET)
    assert len(facts) == 1
    assert list(rejections.columns) == REJECTION_COLUMNS
    by_row = rejections.set_index("row_number").sort_index()
    assert by_row.index.tolist() == [3, 4, 5, 6]  # the header is row 1, so child 2 is row 3
    assert by_row["column_name"].tolist() == ["Tgl Lahir", "Tgl Lahir", "Berat", "Usia Saat Ukur"]
    assert by_row.loc[3, "reason"] == by_row.loc[4, "reason"] == "tanggal lahir setelah tanggal pengukuran"
    assert by_row.loc[5, "reason"] == "berat dan tinggi kosong atau tidak sah"
    assert by_row.loc[6, "reason"] == "usia lebih dari 60 bulan (1.826 hari) saat diukur: bukan balita"
    assert by_row.loc[6, "value"] == "1828"
    assert by_row.loc[[3, 4, 5], "value"].tolist() == ["", "", ""]
    assert (by_row["register"] == "eppgbm").all() and (by_row["file"] == "e.csv").all()
    assert (by_row["action"] == REJECTED).all()


def test_a_duplicate_names_the_file_and_row_it_repeats(tmp_path):
    # files are read in name order: the first of a child-day is kept, later ones point to it
    first = _validated(tmp_path, [_child(1), _child(2)], "2025-01.csv")
    again = _validated(tmp_path, [_child(2, Berat=11.5)], "2025-02.csv")
    facts, rejections = build_measurements(pd.concat([first, again], ignore_index=True), None, SECRET)
    assert len(facts) == 2
    (reason,) = rejections["reason"].tolist()
    assert reason == "baris duplikat: anak dan tanggal ukur sama dengan 2025-01.csv baris 3"
    assert rejections[["file", "row_number", "column_name", "value", "action"]].values.tolist() == [
        ["2025-02.csv", 2, "(baris)", "", REJECTED]
    ]


def test_no_rejection_gives_an_empty_frame_with_the_rejection_columns(tmp_path):
    _, rejections = build_measurements(_validated(tmp_path, [_child(1)]), None, SECRET)
    assert rejections.empty and list(rejections.columns) == REJECTION_COLUMNS


def test_posyandu_are_matched_by_name_within_the_childs_desa(tmp_path):
    rows = [
        _child(1, Posyandu="Posyandu Melati 1"),
        _child(2, Posyandu="Mawar"),  # not in the master of this desa
        _child(3, Posyandu=""),
    ]
    validated = _validated(tmp_path, rows)
    loa_ipuh = validated["kode_desa"].iloc[0]
    master = pd.DataFrame(
        {
            "kode_desa": [loa_ipuh, loa_ipuh, "64.02.06.9999"],
            "posyandu_name": ["MELATI I", "Anggrek", "Mawar"],  # Mawar is in another desa
            "posyandu_id": ["P-1", "P-2", "P-3"],
        }
    )
    facts, _ = build_measurements(validated, master, SECRET)
    assert facts["posyandu_id"].tolist()[0] == "P-1"
    assert facts["posyandu_id"].isna().tolist() == [False, True, True]
    assert str(facts["posyandu_id"].dtype) == "string"
    without_master, _ = build_measurements(validated, None, SECRET)
    assert without_master["posyandu_id"].isna().all() and str(without_master["posyandu_id"].dtype) == "string"


def test_facts_keep_whos_two_decimals_the_month_and_whole_months(tmp_path):
    """Born 15/05/2023, measured 15/10/2025: 884 days, 884 / 30.4375 = 29.04 -> 29 months."""
    facts, _ = build_measurements(_validated(tmp_path, [_child(1)]), None, SECRET)
    row = facts.iloc[0]
    assert row["age_days"] == 884 and row["age_months"] == 29
    assert row["month"] == pd.Timestamp(2025, 10, 1)
    z = compute_zscores([2], [884], [11.2], [86.4], ["H"])
    for name in ("haz", "waz", "whz", "bmiz"):
        assert row[name] == pytest.approx(np.round(z[name].iloc[0], 2), abs=1e-12)
        assert row[name] == round(row[name], 2)
        assert row[f"{name}_flag"] == 0
    assert facts["age_days"].dtype == "int64" and facts["age_months"].dtype == "int64"


def test_posyandu_numbered_three_match_the_roman_numeral():
    keys = posyandu_key(pd.Series(["Posyandu Melati 3", "MELATI III", "Melati"]))
    assert keys.tolist() == ["melati 3", "melati 3", "melati"]


def test_posyandu_keys_keep_the_index_of_the_names():
    # a master filtered to one desa keeps its row labels: the keys must line up with them
    names = pd.Series(["Melati 1", "Mawar"], index=[10, 11])
    assert posyandu_key(names).index.tolist() == [10, 11]
    master = pd.DataFrame(
        {"kode_desa": ["X", "X"], "posyandu_name": ["Mawar", "Melati I"], "posyandu_id": ["P-2", "P-1"]},
        index=[7, 3],
    )
    rows = pd.DataFrame({"kode_desa": ["X", "X"], "posyandu_name": ["Melati 1", "mawar"]})
    ids, fits = _match_posyandu(rows, master)
    assert ids.tolist() == ["P-1", "P-2"] and fits.isna().all()


def test_a_weighing_without_a_height_or_a_height_without_a_weight_is_kept(tmp_path):
    rows = [_child(1, Tinggi=""), _child(2, Berat="")]
    facts, rejections = build_measurements(_validated(tmp_path, rows), None, SECRET)
    assert len(facts) == 2 and rejections.empty
    assert facts["weight_kg"].isna().tolist() == [False, True]
    assert facts["height_cm"].isna().tolist() == [True, False]


def test_children_without_a_nik_are_told_apart_by_name_birth_date_and_sex(tmp_path):
    rows = [
        _child(1, NIK="", Nama="Ani"),
        _child(2, NIK="", Nama="Budi"),
        _child(3, NIK="", Nama="Ani", **{"Tgl Lahir": "16/05/2023"}),
        _child(4, NIK="", Nama="Ani", JK="L"),
        _child(5, NIK="", Nama="A N I"),  # child 1 again: names compare on their letters
    ]
    facts, rejections = build_measurements(_validated(tmp_path, rows), None, SECRET)
    assert len(facts) == 4 and facts["child_key"].nunique() == 4
    assert rejections["row_number"].tolist() == [6]
    assert rejections["reason"].str.startswith("baris duplikat").all()


def test_the_measuring_position_corrects_the_height_and_the_recorded_height_stays(tmp_path):
    """WHO: +0.7 cm for a standing measure under 731 days, -0.7 cm for a lying one from 731
    days. Child 1 was born 15/05/2024, so 518 days old on 15/10/2025; the others are 884 days."""
    rows = [
        _child(1, **{"Tgl Lahir": "15/05/2024", "Tinggi": 78.0, "Berat": 9.5, "Cara Ukur": "Berdiri"}),
        _child(2, **{"Cara Ukur": "Terlentang"}),
        _child(3, **{"Cara Ukur": "Berdiri"}),
        _child(4, **{"Cara Ukur": ""}),  # not recorded: no correction
    ]
    facts, _ = build_measurements(_validated(tmp_path, rows), None, SECRET)
    assert facts["age_days"].tolist() == [518, 884, 884, 884]
    assert facts["height_cm"].tolist() == [78.0, 86.4, 86.4, 86.4]
    assert facts["height_cm_adjusted"].round(6).tolist() == [78.7, 85.7, 86.4, 86.4]
    standing = compute_zscores([2], [518], [9.5], [78.0], ["H"])["haz"].iloc[0]
    assert (
        facts["haz"].iloc[0]
        == round(standing, 2)
        != round(compute_zscores([2], [518], [9.5], [78.0])["haz"].iloc[0], 2)
    )


def test_the_pseudonyms_of_one_file_are_handed_on_to_the_next(tmp_path):
    # the build passes one dict through all e-PPGBM files so no child is hashed twice
    known: dict[str, str] = {}
    facts, _ = build_measurements(_validated(tmp_path, [_child(1), _child(2, NIK="", Nama="Ani")]), None, SECRET, known)
    assert len(known) == 2 and sorted(known.values()) == sorted(facts["child_key"])
