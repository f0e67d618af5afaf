"""The budget register (anggaran_posyandu): rupiah as typed in Indonesia, bad amounts
rejected with file, row, column and reason, every row accounted for in etl_file_load."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.build import build_warehouse, discover_files
from etl.config import EtlConfig
from etl.validate import rupiah_to_number

HEADER = "Tahun;Kode Desa;Kecamatan;Desa/Kelurahan;Sumber;Alokasi Posyandu (Rp);Insentif Kader (Rp)"


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("12500000", 12_500_000),
        ("Rp 12.500.000", 12_500_000),
        ("Rp. 12.500.000,00", 12_500_000),
        ("12.500.000,50", 12_500_000.5),
        ("1.500", 1_500),  # thousands: never one and a half rupiah
        ("12,500,000.00", 12_500_000),
        ("12500000.0", 12_500_000),  # a spreadsheet's float
        ("IDR 300 000", 300_000),
        ("0", 0),
    ],
)
def test_rupiah_as_typed(typed, rupiah):
    assert rupiah_to_number(pd.Series([typed], dtype="string")).iloc[0] == rupiah


@pytest.mark.parametrize("typed", ["dua juta", "Rp", "12,5 jt", "1.2.3,4,5"])
def test_not_an_amount(typed):
    assert pd.isna(rupiah_to_number(pd.Series([typed], dtype="string")).iloc[0])


def test_file_names_find_the_register(tmp_path):
    for name in ("anggaran_posyandu_2025.xlsx", "APBDes Posyandu.csv", "Anggaran Posyandu 2024.csv"):
        (tmp_path / name).write_text(HEADER + "\n")
    assert sorted(p.name for p in discover_files(tmp_path)["desa_budget"]) == sorted(
        ["anggaran_posyandu_2025.xlsx", "APBDes Posyandu.csv", "Anggaran Posyandu 2024.csv"]
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse from one budget file: rows 2 and 3 good, 4 a word for an amount, 5 negative,
    6 above Rp 2 miliar, 7 a duplicate of row 2, 8 an unknown source, 9 a blank incentive."""
    source = tmp_path_factory.mktemp("source")
    rows = [
        "2025;64.02.06.1002;Tenggarong;Loa Ipuh;Dana Desa;Rp 25.000.000;0",
        "2025;64.02.06.1002;Tenggarong;Loa Ipuh;ADD;0;18.000.000",
        "2025;;Tenggarong;Loa Ipuh;Dana Kelurahan;dua juta;1000000",
        "2025;;Loa Kulu;Loa Kulu Kota;Dana Desa;-500000;0",
        "2025;;Loa Kulu;Loa Kulu Kota;ADD;0;3.000.000.000",
        "2025;64.02.06.1002;Tenggarong;Loa Ipuh;Dana Desa;1;1",
        "2025;;Loa Kulu;Loa Kulu Kota;Dana Hibah;1000000;0",
        "2024;;Loa Kulu;Loa Kulu Kota;Dana Desa;1000000;",
    ]
    (source / "anggaran_posyandu_2025.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    db = source.parent / "budget.duckdb"
    report = build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=source.parent / "key"))
    con = duckdb.connect(str(db), read_only=True)
    yield report, con
    con.close()


def _rejections(con) -> dict[int, tuple]:
    rows = con.execute(
        "select row_number, column_name, reason, action, file from etl_rejected_row where register = 'desa_budget'"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_bad_amount_rows_are_rejected_naming_file_row_and_column(built):
    _, con = built
    found = _rejections(con)
    assert found[4][0] == "Alokasi Posyandu (Rp)" and found[4][1].startswith("bukan jumlah rupiah")
    assert found[5][0] == "Alokasi Posyandu (Rp)" and "rentang" in found[5][1]
    assert found[6][0] == "Insentif Kader (Rp)" and "Rp 2.000.000.000" in found[6][1]
    assert found[7][0] == "kode_desa, year, source" and "duplikat" in found[7][1]
    assert found[8][0] == "Sumber" and "Dana Desa" in found[8][1]
    assert found[9][:2] == ("Insentif Kader (Rp)", "'Insentif Kader (Rp)' kosong")
    assert {v[2] for v in found.values()} == {"ditolak"}
    assert {v[3] for v in found.values()} == {"anggaran_posyandu_2025.csv"}
    assert sorted(found) == [4, 5, 6, 7, 8, 9]


def test_good_rows_load_and_every_row_is_accounted_for(built):
    _, con = built
    rows = con.execute(
        "select kode_desa, kode_kec, year, source, posyandu_allocation_rp, kader_incentive_rp from fct_desa_budget "
        "order by source"
    ).fetchall()
    assert rows == [
        ("64.02.06.1002", "64.02.06", 2025, "ADD", 0.0, 18_000_000.0),
        ("64.02.06.1002", "64.02.06", 2025, "Dana Desa", 25_000_000.0, 0.0),
    ]
    read, loaded, rejected = con.execute(
        "select rows_read, rows_loaded, rows_rejected from etl_file_load where register = 'desa_budget'"
    ).fetchone()
    assert (read, loaded, rejected) == (8, 2, 6)
    assert read == loaded + rejected
