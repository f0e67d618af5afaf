"""Write e-PPGBM exports exactly as DPMD downloads them, for tests."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

EPPGBM_HEADER = (
    "NIK|Nama|JK|Tgl Lahir|BB Lahir|TB Lahir|Nama Ortu|Prov|Kab/Kota|Kec|Pukesmas|Desa/Kel|Posyandu|RT|RW|Alamat|"
    "Usia Saat Ukur|Tanggal Pengukuran|Bulan Pengukuran|Status Bulan|status tahun|Berat|Tinggi|Cara Ukur|LiLA|BB/U|"
    "ZS BB/U|TB/U|ZS TB/U|BB/TB|ZS BB/TB|Naik Berat Badan|PMT Diterima (kg)|Jml Vit A|KPSP|KIA|Detail Status|status desa"
).split("|")
assert len(EPPGBM_HEADER) == 38


def eppgbm_row(**values: object) -> dict[str, object]:
    """A valid row (a girl of about 2 years in Loa Ipuh, Tenggarong); override any header."""
    row: dict[str, object] = {h: "" for h in EPPGBM_HEADER}
    row.update(
        {
            "NIK": "6402065505230001",
            "Nama": "Siti Aminah",
            "JK": "P",
            "Tgl Lahir": "15/05/2023",
            "Nama Ortu": "Rahmawati",
            "Prov": "KALIMANTAN TIMUR",
            "Kab/Kota": "KUTAI KARTANEGARA",
            "Kec": "TENGGARONG",
            "Pukesmas": "Puskesmas Tenggarong",
            "Desa/Kel": "LOA IPUH",
            "Posyandu": "Melati",
            "RT": "003",
            "RW": "001",
            "Alamat": "Jl. Mangkurawang No. 7",
            "Usia Saat Ukur": "2 Tahun - 5 Bulan - 0 Hari",
            "Tanggal Pengukuran": "15/10/2025",
            "Bulan Pengukuran": "Oktober",
            "status tahun": "2025",
            "Berat": 11.2,
            "Tinggi": 86.4,
            "Cara Ukur": "Berdiri",
            "ZS BB/U": -0.9,
            "ZS TB/U": -0.4,
            "ZS BB/TB": -1.0,
            "Naik Berat Badan": "N",
        }
    )
    row.update(values)
    return row


def write_eppgbm_xlsx(
    path: Path, rows: list[dict], leading_no: bool = True, title: str | None = "DATA PENGUKURAN BALITA"
) -> Path:
    """As downloaded: an optional title row, a `No` column, numbers as numbers."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sheet1")
    r = 0
    if title:
        sheet.write(r, 0, title)
        r += 2
    header = (["No"] if leading_no else []) + EPPGBM_HEADER
    sheet.write_row(r, 0, header)
    for i, row in enumerate(rows, start=1):
        values = ([i] if leading_no else []) + [row[h] for h in EPPGBM_HEADER]
        sheet.write_row(r + i, 0, values)
    workbook.close()
    return path


def write_eppgbm_csv(
    path: Path, rows: list[dict], sep: str = ";", encoding: str = "cp1252", comma_decimals: bool = True
) -> Path:
    """The same export re-saved by Excel on an Indonesian laptop: `;`, comma decimals, cp1252."""
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow(EPPGBM_HEADER)
        for row in rows:
            writer.writerow([_text(row[h], comma_decimals) for h in EPPGBM_HEADER])
    return path


def _text(value: object, comma_decimals: bool) -> str:
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if comma_decimals else text
    return str(value)
