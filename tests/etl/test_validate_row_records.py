"""The rejection list's row-level records, whole: a row with more cells than headers, a row the
reader refused, and a title or total row each give exactly one record — file, row, "(baris)",
an empty value, the reason and "ditolak" — and no per-column messages, while a row with
one required cell is data and names each empty one; a header that is the column's own wins over
one that matches only without its note. Every expected record is written by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.extract.reader import RAGGED_COLUMN, ROW_COLUMN, ROW_PROBLEM_COLUMN, RawTable
from etl.regions import RegionMatcher
from etl.registers import POSYANDU
from etl.validate import NOT_DATA_ROW, REJECTED, REJECTION_COLUMNS, validate_table

TODAY = date(2025, 10, 31)
RAGGED = "jumlah sel lebih banyak dari jumlah kolom judul"
BROKEN = "baris tidak bisa dibaca: tanda kutip tidak ditutup"


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher()


def _master(rows: list[list[str | None]], *, ragged: list[int] | None = None, refused: list[str | None] | None = None):
    headers = ["ID Posyandu", "Nama Posyandu", "Kecamatan", "Desa/Kelurahan", "Keterangan"]
    frame = pd.DataFrame({h: pd.Series([r[i] for r in rows], dtype="string") for i, h in enumerate(headers)})
    frame[ROW_COLUMN] = range(2, len(rows) + 2)
    if ragged is not None:
        frame[RAGGED_COLUMN] = ragged
    if refused is not None:
        frame[ROW_PROBLEM_COLUMN] = pd.Series(refused, dtype="string")
    return frame


def _validate(frame: pd.DataFrame, matcher: RegionMatcher):
    return validate_table(POSYANDU, RawTable(Path("master.csv"), frame, header_row=1), matcher, TODAY)


def _records(*rows: tuple[int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [("posyandu", "master.csv", row, "(baris)", "", reason, REJECTED) for row, reason in rows],
        columns=REJECTION_COLUMNS,
    )


VALID = ["P1", "Melati", "Tenggarong", "Loa Ipuh", None]


def test_ragged_refused_and_title_rows_give_one_whole_record_each(matcher):
    frame = _master(
        [
            VALID,
            ["P2", "Mawar", "Tenggarong", "Loa Ipuh", None],  # more cells than headers
            ["P3", "Anggrek", "Tenggarong", "Loa Ipuh", None],  # the reader refused it
            [None, None, None, None, "Jumlah"],  # a total row: every required cell empty
            ["P5", "Kenanga", "Tenggarong", "Loa Ipuh", None],  # both ragged and refused: one record
            ["P6", "Dahlia", "Tenggarong", "Loa Ipuh", None],
        ],
        ragged=[0, 1, 0, 0, 2, 0],
        refused=[None, None, BROKEN, None, BROKEN, None],
    )
    result = _validate(frame, matcher)
    pd.testing.assert_frame_equal(
        result.rejections.sort_values("row_number").reset_index(drop=True),
        _records((3, RAGGED), (4, BROKEN), (5, NOT_DATA_ROW), (6, RAGGED)),
        check_dtype=False,
    )
    assert result.accepted["_row"].tolist() == [2, 7]
    assert result.accepted["posyandu_id"].tolist() == ["P1", "P6"]


def test_a_row_with_one_required_cell_is_data_and_its_empty_cells_are_named(matcher):
    result = _validate(_master([VALID, ["P2", None, None, None, None]], ragged=[0, 0], refused=[None, None]), matcher)
    reasons = dict(zip(result.rejections["column_name"], result.rejections["reason"], strict=True))
    assert set(result.rejections["row_number"]) == {3}
    assert reasons == {
        "Nama Posyandu": "'Nama Posyandu' kosong",
        "Kecamatan": "'Kecamatan' kosong",
        "Desa/Kelurahan": "'Desa/Kelurahan' kosong",
    }
    assert set(result.rejections["action"]) == {REJECTED}


def test_an_exact_header_wins_over_one_that_matches_only_without_its_note(matcher):
    # "Kecamatan (lama)" comes first, but "Kecamatan" is the column's own header
    frame = pd.DataFrame(
        {
            ROW_COLUMN: [2],  # an internal column first: skipped, not the end of the headers
            "ID Posyandu": pd.Series(["P1"], dtype="string"),
            "Nama Posyandu": pd.Series(["Melati"], dtype="string"),
            "Kecamatan (lama)": pd.Series(["Loa Kulu"], dtype="string"),
            "Kecamatan": pd.Series(["Tenggarong"], dtype="string"),
            "Desa/Kelurahan": pd.Series(["Loa Ipuh"], dtype="string"),
            RAGGED_COLUMN: [0],
            ROW_PROBLEM_COLUMN: pd.Series([None], dtype="string"),
        }
    )
    result = _validate(frame, matcher)
    assert result.rejections.empty
    assert result.accepted["posyandu_id"].tolist() == ["P1"]
    assert result.accepted["kode_kec"].tolist() == ["64.02.06"]  # Tenggarong, not Loa Kulu
