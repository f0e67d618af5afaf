"""etl/extract/reader.py: the header row is found wherever it is, and every cell stays text with its file row."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.extract.reader import ROW_COLUMN, ReadError, read_register_file

KEYS = {"Tgl Lahir", "ZS TB/U", "Posyandu"}


def test_a_csv_with_title_lines_and_semicolons_is_read_from_its_header(tmp_path):
    path = tmp_path / "eppgbm.csv"
    path.write_text(
        "Laporan e-PPGBM;;\nKecamatan Tenggarong;;\nPosyandu;Tgl Lahir;ZS TB/U\nMelati I;01/02/2023;-2,15\nMawar;;0,3\n",
        encoding="utf-8",
    )
    table = read_register_file(path, KEYS)
    assert table.header_row == 3
    assert list(table.frame.columns[:3]) == ["Posyandu", "Tgl Lahir", "ZS TB/U"]
    assert table.frame["ZS TB/U"].tolist() == ["-2,15", "0,3"]  # text: the validator parses comma decimals
    assert table.frame[ROW_COLUMN].tolist() == [4, 5]  # file rows, for messages that name the row
    assert pd.isna(table.frame.loc[1, "Tgl Lahir"]) or table.frame.loc[1, "Tgl Lahir"] == ""


def test_an_xlsx_header_below_a_title_is_found_too(tmp_path):
    path = tmp_path / "eppgbm.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["Rekap"], [None]]).to_excel(writer, header=False, index=False)
        pd.DataFrame({"Posyandu": ["Melati"], "ZS TB/U": [-1.5]}).to_excel(writer, startrow=2, index=False)
    table = read_register_file(path, KEYS)
    assert table.header_row == 3
    assert table.frame["Posyandu"].tolist() == ["Melati"]


@pytest.mark.parametrize(("name", "content"), [("kosong.csv", b""), ("data.pdf", b"%PDF-1.4")])
def test_empty_or_unsupported_files_are_refused_in_bahasa(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match="kosong|tidak didukung"):
        read_register_file(path, KEYS)
