"""Kode Desa against the names in the budget register (etl/desa_codes.py): a row whose code and
names disagree is rejected naming file, row and column with a Bahasa reason, and counted;
rows whose code agrees (in any usual spelling) or is blank load. Every row is hand-made and
every code below was looked up in the Kepmendagri list: 64.02.06.1002 is Kel. Loa Ipuh and
64.02.06.1001 Kel. Jahab (both Kec. Tenggarong), 64.02.02.2004 Desa Loa Kulu Kota (Kec. Loa Kulu)."""

from __future__ import annotations

import duckdb
import pytest

from etl.build import build_warehouse
from etl.config import EtlConfig
from etl.desa_codes import desa_code_mismatch, normalise_desa_code

LOA_IPUH = "64.02.06.1002"
HEADER = "Tahun;Kode Desa;Kecamatan;Desa/Kelurahan;Sumber;Alokasi Posyandu (Rp);Insentif Kader (Rp)"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("64.02.06.1002", LOA_IPUH),
        (" 64.02.06.1002 ", LOA_IPUH),
        ("6402061002", LOA_IPUH),
        ("6402061002.0", LOA_IPUH),  # a number cell re-saved by a spreadsheet
        ("64 02 06 1002", LOA_IPUH),
        ("64.02.06", None),
        ("Loa Ipuh", None),
        ("64.02.06.10021", None),
        (None, None),
    ],
)
def test_code_as_typed(typed, code):
    assert normalise_desa_code(typed) == code


@pytest.mark.parametrize("typed", ["64.02.06.1002", "6402061002", "6402061002.0", "", "  ", None])
def test_agreeing_or_blank_code_passes(typed):
    assert desa_code_mismatch(typed, LOA_IPUH) is None


def test_no_check_when_the_names_found_no_desa():
    assert desa_code_mismatch("64.02.02.2004", None) is None  # that row is refused for its names


def test_code_of_another_desa_in_the_same_kecamatan():
    assert desa_code_mismatch("64.02.06.1001", LOA_IPUH) == (
        "Kode Desa 64.02.06.1001 adalah Kel. Jahab, tetapi baris ini menyebut Kel. Loa Ipuh (Kec. Tenggarong)"
    )


def test_code_of_a_desa_in_another_kecamatan():
    assert desa_code_mismatch("6402022004", LOA_IPUH) == (
        "Kode Desa 64.02.02.2004 adalah Desa Loa Kulu Kota, Kec. Loa Kulu, tetapi baris ini menyebut "
        "Kel. Loa Ipuh, Kec. Tenggarong: kecamatan berbeda"
    )


def test_unknown_bps_and_malformed_codes():
    assert desa_code_mismatch("64.02.06.1999", LOA_IPUH) == (
        "Kode Desa 64.02.06.1999 tidak ada di daftar desa/kelurahan Kutai Kartanegara; "
        "nama di baris ini Kel. Loa Ipuh, Kec. Tenggarong"
    )
    assert "kode BPS" in desa_code_mismatch("6403060002", LOA_IPUH)
    assert (
        desa_code_mismatch("Loa Ipuh", LOA_IPUH)
        == "Kode Desa 'Loa Ipuh' bukan kode desa Kemendagri (contoh: 64.02.01.2001)"
    )
    assert len(desa_code_mismatch("x" * 500, LOA_IPUH)) < 120  # a pasted paragraph is cut


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Rows 2, 3 and 8 agree or have no code; 4 names Jahab's code, 5 a Loa Kulu code, 6 a BPS
    code, 7 a name typed into the code column."""
    source = tmp_path_factory.mktemp("source")
    rows = [
        "2025;64.02.06.1002;Tenggarong;Loa Ipuh;Dana Desa;Rp 25.000.000;0",
        "2025;;Loa Kulu;Loa Kulu Kota;Dana Desa;10.000.000;0",
        "2025;64.02.06.1001;Tenggarong;Loa Ipuh;ADD;0;18.000.000",
        "2025;64.02.02.2004;Tenggarong;Loa Ipuh;PADes;1.000.000;0",
        "2025;6403061002;Tenggarong;Loa Ipuh;Lainnya;1.000.000;0",
        "2025;Loa Ipuh;Tenggarong;Loa Ipuh;Bantuan Keuangan;1.000.000;0",
        "2025;6402022004;Kec. Loa Kulu;Desa Loa Kulu Kota;ADD;0;6.000.000",
    ]
    (source / "anggaran_posyandu_2025.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    db = source.parent / "codes.duckdb"
    build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=source.parent / "key"))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_disagreeing_rows_are_rejected_naming_file_row_and_column(built):
    found = {
        r[0]: r[1:]
        for r in built.execute(
            "select row_number, column_name, reason, action, file from etl_rejected_row where register = 'desa_budget'"
        ).fetchall()
    }
    assert sorted(found) == [4, 5, 6, 7]
    assert {v[0] for v in found.values()} == {"Kode Desa"}
    assert {v[2] for v in found.values()} == {"ditolak"}
    assert {v[3] for v in found.values()} == {"anggaran_posyandu_2025.csv"}
    assert found[4][1].startswith("Kode Desa 64.02.06.1001 adalah Kel. Jahab")
    assert found[5][1].endswith("kecamatan berbeda")
    assert "kode BPS" in found[6][1]
    assert "bukan kode desa Kemendagri" in found[7][1]


def test_agreeing_rows_load_and_rejections_are_counted(built):
    loaded = built.execute(
        "select kode_desa, source, posyandu_allocation_rp + kader_incentive_rp from fct_desa_budget order by kode_desa, source"
    ).fetchall()
    assert loaded == [
        ("64.02.02.2004", "ADD", 6_000_000.0),
        ("64.02.02.2004", "Dana Desa", 10_000_000.0),
        (LOA_IPUH, "Dana Desa", 25_000_000.0),
    ]
    read, accepted, rejected = built.execute(
        "select rows_read, rows_loaded, rows_rejected from etl_file_load where register = 'desa_budget'"
    ).fetchone()
    assert (read, accepted, rejected) == (7, 3, 4)
