"""A whole build (etl/build.py) matching e-PPGBM's free-text posyandu to a hand-made master:
the warehouse rows that result. Every posyandu is in Kel. Loa Ipuh (Kec. Tenggarong), where
the default child of tests/support/eppgbm_files.py is measured."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.build import build_warehouse
from etl.config import EtlConfig
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv

MASTER = """ID Posyandu;Nama Posyandu;Kecamatan;Desa/Kelurahan;Jenis
P-1;Melati I;Tenggarong;Loa Ipuh;Balita
P-2;Melat II;Tenggarong;Loa Ipuh;Balita
P-3;Mawar 1;Tenggarong;Loa Ipuh;Balita
P-4;MAWAR I;Tenggarong;Loa Ipuh;Balita
P-5;Ar-Rahman;Tenggarong;Loa Ipuh;Balita
P-6;Al Ikhlas;Tenggarong;Loa Ipuh;Balita
P-7;Alik Hlas;Tenggarong;Loa Ipuh;Balita
"""
# (NIK, Posyandu as typed): rows 2-6 of the e-PPGBM file
MEASURED = [
    ("6402065505230001", "Melati 1"),
    ("6402065505230002", "Posyandu Melat II"),
    ("6402065505230003", "Mawar-1"),
    ("6402065505230004", "Arrahman"),  # fits no words; run together it is Ar-Rahman's
    ("6402065505230005", "ALIKHLAS"),  # run together it fits Al Ikhlas and Alik Hlas
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    (source / "posyandu.csv").write_text(MASTER, encoding="utf-8")
    write_eppgbm_csv(source / "eppgbm_2025-10.csv", [eppgbm_row(NIK=nik, Posyandu=name) for nik, name in MEASURED])
    db = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=db.parent / "key"))
    return db


def test_melati_i_and_melat_ii_are_two_posyandu_and_each_gets_its_child(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("select source_row, posyandu_id from fct_measurement order by source_row").fetchall()
    assert rows == [(2, "P-1"), (3, "P-2"), (4, None), (5, "P-5"), (6, None)]
    keys = con.execute("select posyandu_id, posyandu_key from dim_posyandu order by posyandu_id").fetchall()
    assert keys == [
        ("P-1", "melati 1"),
        ("P-2", "melat 2"),
        ("P-3", "mawar 1"),
        ("P-4", "mawar 1"),
        ("P-5", "ar rahman"),
        ("P-6", "al ikhlas"),
        ("P-7", "alik hlas"),
    ]


def test_a_name_fitting_two_posyandu_is_reported_and_its_child_still_counted(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    records = con.execute(
        "select file, row_number, column_name, value, reason, action from etl_rejected_row where register = 'eppgbm' order by row_number"
    ).fetchall()
    assert records == [
        (
            "eppgbm_2025-10.csv",
            4,
            "Posyandu",
            "Mawar-1",
            "nama cocok dengan lebih dari satu posyandu di desanya: P-3 (Mawar 1), P-4 (MAWAR I); "
            "pengukuran disimpan tanpa posyandu",
            "dikosongkan",
        ),
        (
            "eppgbm_2025-10.csv",
            6,
            "Posyandu",
            "ALIKHLAS",
            "nama cocok dengan lebih dari satu posyandu di desanya: P-6 (Al Ikhlas), P-7 (Alik Hlas); "
            "pengukuran disimpan tanpa posyandu",
            "dikosongkan",
        ),
    ]
    loaded = con.execute(
        "select rows_read, rows_loaded, rows_rejected from etl_file_load where file = 'eppgbm_2025-10.csv'"
    ).fetchall()
    assert loaded == [(5, 5, 0)]
    desa = con.execute("select count(*) from fct_measurement where kode_desa = '64.02.06.1002'").fetchone()[0]
    assert desa == 5
