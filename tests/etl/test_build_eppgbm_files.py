"""A real-format e-PPGBM export (xlsx as downloaded, and the same re-saved as cp1252 `;` CSV
with comma decimals) with duplicates and invalid rows."""

from pathlib import Path

import duckdb
import pytest

from etl.build import build_warehouse
from etl.config import EtlConfig
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv, write_eppgbm_xlsx

CHILDREN = [
    ("6402065505230001", "Siti Aminah", "Rahmawati", "P", "15/05/2023"),
    ("6402061203240002", "Muhammad Rizky Pratama", "Nurhayati", "L", "12/03/2024"),
    ("6402060101220003", "Aisyah Putri Ramadhani", "Sri Wahyuni", "P", "01/01/2022"),
    ("", "Bayu Aji Saputra", "Kartini Lestari", "L", "20/07/2024"),
    ("0000000000000000", "Nabila Zahra Kusuma", "Dewi Sartika Hasanah", "P", "09/09/2023"),
]


def _rows() -> list[dict]:
    valid = [
        eppgbm_row(NIK=nik, Nama=name, **{"Nama Ortu": parent, "JK": sex, "Tgl Lahir": born})
        for nik, name, parent, sex, born in CHILDREN
    ]
    invalid = [
        eppgbm_row(NIK="6402069999990001", Nama="Tidak Sah Satu", JK="X"),
        eppgbm_row(NIK="6402069999990002", Nama="Tidak Sah Dua", **{"Tanggal Pengukuran": "15/10/2099"}),
        eppgbm_row(NIK="6402069999990003", Nama="Tidak Sah Tiga", Kec="Balikpapan Kota"),
        eppgbm_row(NIK="6402069999990004", Nama="Tidak Sah Empat", **{"Tgl Lahir": "20/10/2025"}),
    ]
    return valid + [valid[0]] + invalid  # one exact duplicate


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    source = tmp_path_factory.mktemp("source")
    write_eppgbm_xlsx(source / "eppgbm_tenggarong_oktober_2025.xlsx", _rows())
    write_eppgbm_csv(source / "eppgbm_tenggarong_oktober_2025_resave.csv", _rows())
    db = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    secret = tmp_path_factory.mktemp("secret") / "key"
    report = build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=secret))
    return db, report


def test_valid_rows_load_once_across_both_files(built):
    db, _ = built
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from fct_measurement").fetchone()[0] == len(CHILDREN)
    weights = sorted(r[0] for r in con.execute("select weight_kg from fct_measurement").fetchall())
    assert weights == [11.2] * len(CHILDREN)  # comma decimals read as decimals


def test_invalid_rows_are_kept_with_file_row_column_and_reason(built):
    db, _ = built
    con = duckdb.connect(str(db), read_only=True)
    rejected = con.execute(
        "select file, row_number, column_name, reason, action from etl_rejected_row order by file, row_number"
    ).df()
    xlsx = rejected[rejected["file"].str.endswith(".xlsx")]
    # title row, blank row, header on row 3: data rows start at Excel row 4
    by_row = {r.row_number: r for r in xlsx.itertuples()}
    assert by_row[10].column_name == "JK" and "L atau P" in by_row[10].reason
    assert by_row[11].column_name == "Tanggal Pengukuran" and "masa depan" in by_row[11].reason
    assert by_row[12].column_name == "Kec" and "tidak dikenal" in by_row[12].reason
    assert "setelah tanggal pengukuran" in by_row[13].reason
    assert "duplikat" in by_row[9].reason
    csv_rows = rejected[rejected["file"].str.endswith(".csv")]
    assert (csv_rows["reason"].str.contains("duplikat")).sum() == len(CHILDREN) + 1  # whole copy of the xlsx
    assert set(rejected["action"]) <= {"ditolak", "dikosongkan"}


def test_no_nik_or_name_in_any_table(built):
    db, _ = built
    con = duckdb.connect(str(db), read_only=True)
    secrets = [s for child in CHILDREN for s in child[:3] if s and not s.startswith("0000")]
    secrets += ["6402069999990001", "Tidak Sah", "Jl. Mangkurawang"]
    columns = con.execute(
        "select table_name, column_name from information_schema.columns where data_type = 'VARCHAR'"
    ).fetchall()
    for table, column in columns:
        for secret in secrets:
            hits = con.execute(
                f'select count(*) from "{table}" where "{column}" ilike $s', {"s": f"%{secret}%"}
            ).fetchone()[0]
            assert hits == 0, f"{secret!r} found in {table}.{column}"


def test_report_counts_rows(built):
    _, report = built
    eppgbm = report.registers["eppgbm"]
    assert eppgbm.rows_read == 2 * len(_rows())
    assert eppgbm.rows_loaded == len(CHILDREN)
    assert "posyandu" in report.missing
