"""No NIK, name, parent name or address of a child leaves the ETL: not in any warehouse
table (rejections included), not in what `python -m etl build` prints, not in the CSV and
Excel exports of the tables; and the pseudonymisation secret stays out of git."""

from __future__ import annotations

import html
import io
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dashboard.export.tables import table_to_csv, table_to_xlsx
from etl.config import DEFAULT_PSEUDONYM_KEY, REPO_DIR
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv, write_eppgbm_xlsx

# nik, name, parent, address, sex, birth date
CHILDREN = (
    ("6402064101230007", "Kirana Wiraatmadja", "Sulastri Wiraatmadja", "Jl. Gunung Belah No. 41", "P", "01/01/2023"),
    ("6402061507220008", "Bagas Sukmawijaya", "Endang Sukmawijaya", "Gg. Cempedak RT 12", "L", "15/07/2022"),
    ("", "Ratih Tanoesoedibjo", "Maryam Tanoesoedibjo", "Jl. Danau Aji Tiga", "P", "20/02/2024"),
    (
        "0000000000000000",
        '=HYPERLINK("http://rahasia.example","Putri Kelanasari")',
        "@SUM(1+1) Ningrum Kelanasari",
        "Perum Bukit Biru Blok C",
        "P",
        "03/03/2023",
    ),
    (
        "6402062209210009",
        "+cmd|' /C calc'!A0 Jatmiko",
        "Sumirah Jatmikowati",
        "Jl. Ki Hajar Dewantara",
        "L",
        "22/09/2021",
    ),
    ("6402061234", "Danu Prawirodirdjo", "Wulan Prawirodirdjo", "Jl. Pesut Mahakam", "L", "05/05/2023"),
)
# rows the build refuses: the values must not survive in the rejections either
REFUSED = (
    ("6402060101240010", "Sekar Kusumawardhani", "Tuti Kusumawardhani", {"JK": "X"}),
    ("6402060202240011", "Yoga Hadikusumo", "Rini Hadikusumo", {"Tanggal Pengukuran": "15/10/2099"}),
    ("6402060303240012", "Galih Purbonegoro", "Asih Purbonegoro", {"Kec": "Balikpapan Kota"}),
    ("6402060404240013", "Intan Mangkubumi", "Sari Mangkubumi", {"Tgl Lahir": "20/10/2025"}),
)
SHIFTED = ("6402060505240014", "Laras; Puspitasari", "Dewi Puspitasari")  # a name typed with the separator
SECRETS = sorted(
    {
        *(value for child in CHILDREN for value in child[:4] if value and not value.startswith("0000")),
        *(value for child in REFUSED for value in child[:3]),
        *(value.strip() for value in SHIFTED[1].split(";")),
        SHIFTED[0],
        SHIFTED[2],
        "Wiraatmadja",
        "Sukmawijaya",
        "Tanoesoedibjo",
        "Kelanasari",
        "Jatmiko",
        "Prawirodirdjo",
        "rahasia.example",
        "Rahasia Sekali",
    }
)


def _rows() -> list[dict]:
    rows = [
        eppgbm_row(NIK=nik, Nama=name, JK=sex, Alamat=address, **{"Nama Ortu": parent, "Tgl Lahir": born})
        for nik, name, parent, address, sex, born in CHILDREN
    ]
    rows += [
        eppgbm_row(NIK=nik, Nama=name, Alamat="Jl. Rahasia Sekali", **{"Nama Ortu": parent}, **bad)
        for nik, name, parent, bad in REFUSED
    ]
    return rows + [rows[0]]  # an exact duplicate


def _write_sources(folder: Path) -> None:
    write_eppgbm_xlsx(folder / "eppgbm_tenggarong_oktober_2025.xlsx", _rows())
    write_eppgbm_csv(folder / "eppgbm_tenggarong_oktober_2025.csv", _rows())
    # a hand-made CSV where a name holds the separator: one cell too many, cells shifted
    shifted = eppgbm_row(NIK=SHIFTED[0], Nama=SHIFTED[1], **{"Nama Ortu": SHIFTED[2]})
    path = write_eppgbm_csv(folder / "eppgbm_manual.csv", [eppgbm_row(NIK="6402060606240015", Nama="Umar Said")])
    with open(path, "a", encoding="cp1252", newline="") as handle:
        handle.write(
            ";".join(str(v).replace(".", ",") if isinstance(v, float) else str(v) for v in shifted.values()) + "\r\n"
        )


@dataclass
class CliBuild:
    db: Path
    secret: Path
    output: str


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory) -> CliBuild:
    source = tmp_path_factory.mktemp("privacy_source")
    _write_sources(source)
    out = tmp_path_factory.mktemp("privacy_out")
    db, secret = out / "warehouse.duckdb", out / "pseudonym.key"
    result = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--source", str(source), "--db", str(db)],
        cwd=REPO_DIR,
        env={**os.environ, "DASBOR_PSEUDONYM_KEY_FILE": str(secret)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return CliBuild(db, secret, result.stdout + "\n" + result.stderr)


def _leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [secret for secret in SECRETS if secret.lower() in lowered]


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [t for (t,) in con.execute("select table_name from information_schema.tables order by 1").fetchall()]


def test_build_kept_rows_and_rejections(cli_build: CliBuild):
    """The scans below mean something only if the personal rows went through the build."""
    con = duckdb.connect(str(cli_build.db), read_only=True)
    try:
        loaded = con.execute("select count(*) from fct_measurement").fetchone()[0]
        rejected = con.execute("select count(*) from etl_rejected_row").fetchone()[0]
    finally:
        con.close()
    # every child once, "Umar Said", and the formula-named child of the .xlsx a second time:
    # xlsxwriter stores "=HYPERLINK(…)" as a real formula, so its name reads differently there
    assert loaded == len(CHILDREN) + 2
    assert rejected >= 2 * (len(REFUSED) + 1) + len(CHILDREN) + 1
    assert cli_build.secret.exists()
    assert "contoh baris ditolak" in cli_build.output


def test_no_personal_value_in_any_table(cli_build: CliBuild):
    con = duckdb.connect(str(cli_build.db), read_only=True)
    try:
        varchar = con.execute(
            "select table_name, column_name from information_schema.columns where data_type like '%VARCHAR%'"
        ).fetchall()
        assert ("etl_rejected_row", "value") in varchar and ("etl_rejected_row", "reason") in varchar
        found = []
        for table, column in varchar:
            values = con.execute(f'select distinct cast("{column}" as varchar) from "{table}"').fetchall()
            found += [(table, column, secret) for secret in _leaks("\n".join(str(v) for (v,) in values))]
        for table in _tables(con):  # every column of every type, as text
            text = con.execute(f'select * from "{table}"').df().to_csv(index=False)
            found += [(table, "*", secret) for secret in _leaks(text)]
    finally:
        con.close()
    assert not found


def test_no_personal_value_in_the_warehouse_file(cli_build: CliBuild):
    """Belt and braces: not even in dropped staging tables' leftover blocks."""
    raw = cli_build.db.read_bytes().decode("latin-1")
    assert not _leaks(raw)


def test_no_personal_value_in_build_output(cli_build: CliBuild):
    assert cli_build.output.strip()
    assert not _leaks(cli_build.output)


def test_no_personal_value_in_exports(cli_build: CliBuild):
    con = duckdb.connect(str(cli_build.db), read_only=True)
    try:
        tables = [t for t in _tables(con) if t.startswith("mart_") or t == "etl_rejected_row"]
        frames = {t: con.execute(f'select * from "{t}"').df() for t in tables}
    finally:
        con.close()
    assert any(len(frame) for name, frame in frames.items() if name.startswith("mart_"))
    for table, frame in frames.items():
        csv_text = table_to_csv(frame).decode("utf-8-sig")
        assert not _leaks(csv_text), (table, "csv")
        workbook = zipfile.ZipFile(io.BytesIO(table_to_xlsx(frame, title=table, source_note="Sumber: uji privasi")))
        xml = "\n".join(html.unescape(workbook.read(name).decode("utf-8")) for name in workbook.namelist())
        assert not _leaks(xml), (table, "xlsx")


def test_pseudonym_secret_is_ignored_and_untracked():
    relative = DEFAULT_PSEUDONYM_KEY.relative_to(REPO_DIR)
    assert relative.as_posix() == ".secrets/pseudonym.key"
    ignored = subprocess.run(["git", "check-ignore", "-q", relative.as_posix()], cwd=REPO_DIR)
    assert ignored.returncode == 0, "the secret file would be committed"
    tracked = subprocess.run(["git", "ls-files", ".secrets"], cwd=REPO_DIR, capture_output=True, text=True, check=True)
    assert tracked.stdout.strip() == ""
