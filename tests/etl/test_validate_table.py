"""validate_table as a whole, on hand-made tables: a typed Kode Desa that names another desa
than the row's names, a table whose index is not 0..n-1, the reader's notes on a file missing
a required column, headers the register ignores in any spelling, a header read for one field
only, a register without required columns, and the value each record quotes (empty, masked,
or the cell). Every expected record is written out by hand; the codes were looked up in the
Kepmendagri list (64.02.06.1002 Kel. Loa Ipuh, 64.02.06.1001 Kel. Jahab, both Kec. Tenggarong)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.extract.reader import RAGGED_COLUMN, ROW_COLUMN, ROW_PROBLEM_COLUMN, RawTable
from etl.regions import UNKNOWN_AREA_MASK, RegionMatcher
from etl.registers import DESA_BUDGET, EPPGBM, POSYANDU, REGISTERS, Field, Register
from etl.validate import BLANKED, MASKED_VALUE, NOT_DATA_ROW, REJECTED, REJECTION_COLUMNS, _empty, validate_table

TODAY = date(2025, 10, 31)
JAHAB_NAMED_LOA_IPUH = (
    "Kode Desa 64.02.06.1001 adalah Kel. Jahab, tetapi baris ini menyebut Kel. Loa Ipuh (Kec. Tenggarong)"
)


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher()


def _table(
    columns: dict[str, list], *, index: list[int] | None = None, ragged: list[int] | None = None
) -> pd.DataFrame:
    """As the reader returns a file: text cells, the file row (header on row 1), no row refused."""
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({h: pd.Series(v, dtype="string") for h, v in columns.items()})
    frame[ROW_COLUMN] = range(2, n + 2)
    frame[RAGGED_COLUMN] = ragged or [0] * n
    frame[ROW_PROBLEM_COLUMN] = pd.Series([None] * n, dtype="string")
    if index is not None:
        frame.index = index
    return frame


def _validate(register: Register, frame: pd.DataFrame, matcher: RegionMatcher, name: str = "uji.csv", **table):
    return validate_table(register, RawTable(Path(name), frame, header_row=1, **table), matcher, TODAY)


def _records(register: str, file: str, *rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([(register, file, *row) for row in rows], columns=REJECTION_COLUMNS)


def _sorted(rejections: pd.DataFrame) -> pd.DataFrame:
    return rejections.sort_values(["row_number", "column_name"]).reset_index(drop=True)


def _budget(codes: list[str | None], desa: list[str], amounts: list[str]) -> dict[str, list]:
    n = len(codes)
    return {
        "Tahun": ["2025"] * n,
        "Kode Wilayah": codes,  # the code column under its second name: records quote this header
        "Kecamatan": ["Tenggarong"] * n,
        "Desa/Kelurahan": desa,
        "Sumber": ["Dana Desa"] * n,
        "Alokasi Posyandu (Rp)": amounts,
        "Insentif Kader (Rp)": ["0"] * n,
    }


def test_a_typed_desa_code_naming_another_desa_rejects_the_row_in_the_codes_column(matcher):
    cells = _budget(
        ["64.02.06.1002", "64.02.06.1001", None, "6402061001"],
        ["Loa Ipuh", "Loa Ipuh", "Loa Ipuh", "Jahab"],
        ["Rp 1.000", "Rp 2.000", "Rp 3.000", "Rp 4.000"],
    )
    result = _validate(DESA_BUDGET, _table(cells), matcher, "anggaran_posyandu_2025.csv")
    pd.testing.assert_frame_equal(
        _sorted(result.rejections),
        _records(
            "desa_budget",
            "anggaran_posyandu_2025.csv",
            (3, "Kode Wilayah", "64.02.06.1001", JAHAB_NAMED_LOA_IPUH, REJECTED),
        ),
        check_dtype=False,
    )
    # rows 2 and 5 agree (5 spelled without dots), row 4 has no code
    assert result.accepted["_row"].tolist() == [2, 4, 5]
    assert result.accepted["kode_desa_raw"].fillna("").tolist() == ["64.02.06.1002", "", "6402061001"]
    assert result.accepted["kode_desa"].tolist() == ["64.02.06.1002", "64.02.06.1002", "64.02.06.1001"]
    assert result.accepted["posyandu_allocation_rp"].tolist() == [1_000, 3_000, 4_000]


def test_a_table_whose_index_is_not_0_to_n_lines_values_up_with_their_rows(matcher):
    """The reader numbers rows 0..n-1, but nothing in validate_table may rely on it: each
    value stays with its own row and each record names its own file row."""
    cells = _budget(
        ["64.02.06.1002", "64.02.06.1001", "64.02.06.1001", None],
        ["Loa Ipuh", "Loa Ipuh", "Jahab", "Loa Ipuh"],
        ["Rp 1.000", "Rp 2.000", "Rp 3.000", "dua ribu"],
    )
    frame = _table(cells, index=[40, 10, 30, 20])
    result = _validate(DESA_BUDGET, frame, matcher, "anggaran.csv")
    pd.testing.assert_frame_equal(
        _sorted(result.rejections),
        _records(
            "desa_budget",
            "anggaran.csv",
            (3, "Kode Wilayah", "64.02.06.1001", JAHAB_NAMED_LOA_IPUH, REJECTED),
            (
                5,
                "Alokasi Posyandu (Rp)",
                "dua ribu",
                "bukan jumlah rupiah (tulis mis. 12500000 atau Rp 12.500.000)",
                REJECTED,
            ),
        ),
        check_dtype=False,
    )
    accepted = result.accepted
    assert accepted["_row"].tolist() == [2, 4]
    assert accepted["kode_kec"].tolist() == ["64.02.06", "64.02.06"]
    assert accepted["kode_desa"].tolist() == ["64.02.06.1002", "64.02.06.1001"]
    assert accepted["posyandu_allocation_rp"].tolist() == [1_000, 3_000]
    assert accepted["year"].tolist() == [2025, 2025]


def test_the_readers_notes_stay_when_a_required_column_is_missing(matcher):
    frame = _table({"ID Posyandu": ["P1"], "Nama Posyandu": ["Melati"], "Desa/Kelurahan": ["Loa Ipuh"]})
    chosen = ("master.xlsx: dibaca dari lembar 'Data' (lembar pertama kosong)",)
    result = _validate(POSYANDU, frame, matcher, "master.xlsx", notes=chosen)
    assert result.notes == list(chosen)
    assert result.accepted.empty
    pd.testing.assert_frame_equal(
        result.rejections,
        _records(
            "posyandu",
            "master.xlsx",
            (1, "Kecamatan", "", "kolom wajib 'Kecamatan' tidak ada di baris judul", REJECTED),
        ),
        check_dtype=False,
    )


def test_columns_the_register_ignores_are_not_reported_in_any_spelling(matcher):
    cells = {
        "JK": ["L"],
        "Tgl Lahir": ["15/05/2023"],
        "Kec": ["Tenggarong"],
        "Desa/Kel": ["Loa Ipuh"],
        "Tanggal Pengukuran": ["15/10/2025"],
        "STATUS_BULAN": ["Naik"],  # the register ignores "Status Bulan"
        "bb lahir": ["3,1"],  # and "BB Lahir"
        "Golongan Darah": ["O"],
    }
    result = _validate(EPPGBM, _table(cells), matcher, "ukur.csv")
    unknown = [n for n in result.notes if "tidak dikenal" in n]
    assert unknown == ["ukur.csv: kolom tidak dikenal, diabaikan: Golongan Darah"]
    assert len(result.accepted) == 1


def test_a_header_is_read_for_one_field_only(matcher):
    """ "Nilai" is the first field's own header; the second field's "Nilai (lama)" without its
    note is "Nilai" too, but a header already read is not read again."""
    register = Register(
        name="uji",
        label="Uji",
        patterns=("uji*",),
        fields=(
            Field("code", ("Kode",), "id", required=True),
            Field("value", ("Nilai",), "decimal"),
            Field("old_value", ("Nilai (lama)",), "decimal"),
        ),
    )
    result = _validate(register, _table({"Kode": ["A1"], "Nilai": ["1,5"]}), matcher)
    assert result.accepted["value"].tolist() == [1.5]
    assert result.accepted["old_value"].isna().all()
    assert result.notes == ["uji.csv: kolom tidak ada (dibiarkan kosong): Nilai (lama)"]


def test_a_register_without_required_columns_reads_every_row_as_data(matcher):
    """With no required column there is no title-row rule: a row with one filled cell loads,
    and a ragged row gets its one record only."""
    register = Register(
        name="uji",
        label="Uji",
        patterns=("uji*",),
        fields=(Field("value", ("Nilai",), "decimal"), Field("remark", ("Catatan",), "text")),
    )
    frame = _table({"Nilai": ["1,5", None, "2"], "Catatan": [None, "tutup", "x"]}, ragged=[0, 0, 1])
    result = _validate(register, frame, matcher)
    assert result.accepted["_row"].tolist() == [2, 3]
    assert result.accepted["value"].tolist()[0] == 1.5
    assert result.accepted["remark"].tolist()[1] == "tutup"
    pd.testing.assert_frame_equal(
        result.rejections,
        _records("uji", "uji.csv", (4, "(baris)", "", "jumlah sel lebih banyak dari jumlah kolom judul", REJECTED)),
        check_dtype=False,
    )
    assert NOT_DATA_ROW not in set(result.rejections["reason"])


def test_records_quote_an_empty_cell_as_empty_and_personal_or_unknown_area_cells_masked(matcher):
    """An empty required cell is quoted as "", a required personal cell is masked even when
    empty, and a desa cell that looks like no Kukar name (a person's name, say) is masked
    while a blanked optional cell is quoted as typed."""
    register = Register(
        name="uji",
        label="Uji",
        patterns=("uji*",),
        fields=(
            Field("code", ("Kode",), "id", required=True),
            Field("child_name", ("Nama",), "personal", required=True),
            Field("kecamatan", ("Kecamatan",), "kecamatan", required=True),
            Field("desa", ("Desa",), "desa", required=True),
            Field("weight_kg", ("Berat",), "decimal"),
        ),
    )
    cells = {
        "Kode": [None, "A2", "A3", "A4"],
        "Nama": ["Budi", None, "Ani", "Sari"],
        "Kecamatan": ["Tenggarong"] * 4,
        "Desa": ["Loa Ipuh", "Loa Ipuh", "Siti Aminah", "Loa Ipuh"],
        "Berat": ["10", "11", "12", "berat"],
    }
    result = _validate(register, _table(cells), matcher)
    pd.testing.assert_frame_equal(
        _sorted(result.rejections),
        _records(
            "uji",
            "uji.csv",
            (2, "Kode", "", "'Kode' kosong", REJECTED),
            (3, "Nama", MASKED_VALUE, "'Nama' kosong", REJECTED),
            (
                4,
                "Desa",
                MASKED_VALUE,
                f"Desa/kelurahan tidak dikenal di Kutai Kartanegara ({UNKNOWN_AREA_MASK})",
                REJECTED,
            ),
            (5, "Berat", "berat", "bukan angka", BLANKED),
        ),
        check_dtype=False,
    )
    assert result.accepted["_row"].tolist() == [5]
    assert result.accepted["weight_kg"].isna().all()


def test_a_register_without_a_kecamatan_column_finds_each_desa_in_all_of_kukar(matcher):
    """Without a kecamatan the desa is looked for in all of Kukar: a name found once there is
    matched (Jahab, Loa Ipuh), one found nowhere is refused; the index is not 0..n-1."""
    register = Register(
        name="uji",
        label="Uji",
        patterns=("uji*",),
        fields=(Field("code", ("Kode",), "id", required=True), Field("desa", ("Desa",), "desa", required=True)),
    )
    frame = _table({"Kode": ["A1", "A2", "A3", "A4"], "Desa": ["Jahab", None, "Loa Ipuh", "Jahab"]}, index=[7, 5, 3, 1])
    result = _validate(register, frame, matcher)
    assert result.accepted["_row"].tolist() == [2, 4, 5]
    assert result.accepted["kode_desa"].tolist() == ["64.02.06.1001", "64.02.06.1002", "64.02.06.1001"]
    pd.testing.assert_frame_equal(
        result.rejections,
        _records("uji", "uji.csv", (3, "Desa", "", "'Desa' kosong", REJECTED)),
        check_dtype=False,
    )


def _valid_cell(f: Field) -> str:
    """One valid cell of a field's kind, written as users type it."""
    if f.kind in {"decimal", "int"}:
        low = f.minimum if f.minimum is not None else 0
        high = f.maximum if f.maximum is not None else low + 2
        middle = (low + high) / 2 if f.kind == "decimal" else int((low + high) // 2)
        return f"{middle:g}".replace(".", ",")
    if f.kind == "enum":
        return f.choices[0]
    return {
        "text": "Melati",
        "id": "P1",
        "rupiah": "Rp 1.000",
        "date": "15/10/2025",
        "month": "2025-10",
        "year": "2025",
        "sex": "L",
        "measure": "Berdiri",
        "spm_list": "KES;PEND",
        "kecamatan": "Tenggarong",
        "desa": "Loa Ipuh",
        "desa_code": "64.02.06.1002",
        "nik": "6402065505230001",
        "personal": "Budi",
    }[f.kind]


@pytest.mark.parametrize("register", [r for r in REGISTERS], ids=lambda r: r.name)
def test_accepted_rows_are_typed_as_a_file_without_rows(register, matcher):
    """Files of one register are concatenated: a file's accepted columns must carry the types
    of an empty result (_empty), or one file turns another's dates or codes into objects.
    One row with every cell valid and one with only the required cells."""
    filled = {f.headers[0]: [_valid_cell(f), _valid_cell(f) if f.required else None] for f in register.fields}
    result = _validate(register, _table(filled), matcher)
    assert result.rejections.empty, result.rejections.to_dict("records")
    assert len(result.accepted) == 2
    assert result.accepted.dtypes.to_dict() == _empty(register).dtypes.to_dict()
