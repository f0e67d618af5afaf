"""The corpus's files of the other registers and the hostile files that came later, one function
per file, registered after the e-PPGBM ones (see corpus.py)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from tests.support.corpus_base import (
    BLANKED,
    FORMULAS,
    CorpusFile,
    Expected,
    _cells,
    _e,
    _eppgbm,
    _read_error,
    _spec,
    _text,
    child,
    children,
    write_csv,
    write_xlsx,
)
from tests.support.eppgbm_files import EPPGBM_HEADER
from tests.support.hostile_files import write_far_corner_xlsx, write_wide_xlsx, write_zip_bomb_xlsx

# --------------------------------------------------------------------------
# Other registers
# --------------------------------------------------------------------------

POSYANDU_HEADER = (
    "ID Posyandu", "Nama Posyandu", "Kecamatan", "Desa/Kelurahan", "Jenis", "Bidang SPM", "No SK Pembentukan",
    "Tgl SK Pembentukan", "Tgl Musdes", "No Registrasi Kemendagri", "Status Registrasi", "Puskesmas", "Latitude", "Longitude",
)  # fmt: skip


def _posyandu(pid: str, name: str, desa: str = "Loa Ipuh", kec: str = "Tenggarong", **values: str) -> list[str]:
    row = dict(
        zip(
            POSYANDU_HEADER,
            (
                pid,
                name,
                kec,
                desa,
                "Balita",
                "KES;PEND",
                "141/2024",
                "12/03/2024",
                "01/02/2024",
                "",
                "diajukan",
                "Tenggarong",
                "-0,42",
                "116,98",
            ),
        )
    )
    row.update(values)
    return [row[h] for h in POSYANDU_HEADER]


@_spec
def _posyandu_bad(tag: int) -> CorpusFile:
    rows = [
        _posyandu("P9001", "Melati"),  # the posyandu of the e-PPGBM rows
        _posyandu("P9002", "Mawar", "Timbau"),
        _posyandu("P9003", "Anggrek", "Loa Kulu Kota", "Loa Kulu"),
        _posyandu("P9001", "Melati Dua"),  # duplicate ID
        _posyandu("P9005", "Kenanga", "Desa Antah Berantah"),
        _posyandu("P9006", "Dahlia", "Sumber Sari"),  # a desa of other kecamatan
        _posyandu("P 9007!", "Teratai"),
        _posyandu("P9008", "Cempaka", Latitude="abc", **{"Bidang SPM": "KES;XYZ"}),
        _posyandu("P9009", "Flamboyan", **{"Status Registrasi": "sudah"}),
        _posyandu("P9010", FORMULAS[0]),
        _posyandu("P9011", "Seroja", Jenis="Posyandu Anak", Longitude="200"),
    ]
    return CorpusFile(
        "posyandu_master_bad.csv", "posyandu", 6,
        (
            Expected(5, "posyandu_id, snapshot_date", "baris duplikat"),
            Expected(6, "Desa/Kelurahan", "tidak dikenal"),
            Expected(7, "Desa/Kelurahan", "tidak ada di Kecamatan Tenggarong"),
            Expected(8, "ID Posyandu", "kode tidak sah"),
            Expected(9, "Latitude", "bukan angka", BLANKED),
            Expected(9, "Bidang SPM", "XYZ", BLANKED),
            Expected(10, "Status Registrasi", "harus salah satu dari", BLANKED),
            Expected(11, "Nama Posyandu", "rumus"),
            Expected(12, "Jenis", "harus salah satu dari", BLANKED),
            Expected(12, "Longitude", "di luar rentang", BLANKED),
        ),
        lambda p: write_csv(p, POSYANDU_HEADER, rows),
    )  # fmt: skip


@_spec
def _posyandu_missing_id(tag: int) -> CorpusFile:
    header = POSYANDU_HEADER[1:]
    rows = [_posyandu("P9101", "Nusa Indah")[1:]]
    return CorpusFile(
        "posyandu_without_id_column.xlsx", "posyandu", 0, (Expected(2, "ID Posyandu", "kolom wajib 'ID Posyandu'"),),
        lambda p: write_xlsx(p, header, rows, before=("Master Posyandu",)),
    )  # fmt: skip


MONTHLY_HEADER = (
    "ID Posyandu",
    "Bulan",
    "Hari Buka",
    "S",
    "K",
    "D",
    "N",
    "T",
    "O",
    "B",
    "BGM",
    "Kader Terdaftar",
    "Kader Hadir",
)


@_spec
def _monthly_bad(tag: int) -> CorpusFile:
    def row(pid: str, month: str, **values: str) -> list[str]:
        cells = dict(zip(MONTHLY_HEADER, (pid, month, "1", "40", "38", "35", "30", "3", "2", "1", "0", "15", "12")))
        cells.update(values)
        return [cells[h] for h in MONTHLY_HEADER]

    rows = [
        row("P9001", "2025-10"),
        row("P9002", "2025-10", S="dua puluh"),
        row("P9001", "2025-09", D="35,5"),
        row("P9002", "2025-09", S="-3", **{"Kader Hadir": "250"}),
        row("P9999", "2025-10"),  # not in the master
        row("P9001", "Oktober 2025"),  # same posyandu and month as row 2
        row("P9002", "13/2025"),
        row("P9001", "08/2025", BGM="8888", **{"Hari Buka": "1,0"}),
    ]
    return CorpusFile(
        "laporan_bulanan_bad.csv", "monthly_report", 5,
        (
            Expected(3, "S", "bukan angka", BLANKED),
            Expected(4, "D", "bilangan bulat", BLANKED),
            Expected(5, "S", "di luar rentang", BLANKED),
            Expected(5, "Kader Hadir", "di luar rentang", BLANKED),
            Expected(6, "ID Posyandu", "tidak ada di master posyandu"),
            Expected(7, "posyandu_id, month", "baris duplikat"),
            Expected(8, "Bulan", "bulan tidak dikenali"),
            Expected(9, "BGM", "di luar rentang", BLANKED),
        ),
        lambda p: write_csv(p, MONTHLY_HEADER, rows),
    )  # fmt: skip


INDEX_HEADER = ("Kode Desa", "Kecamatan", "Desa/Kelurahan", "Indeks", "Tahun", "Nilai", "Status", "Sumber")


@_spec
def _index_bad(tag: int) -> CorpusFile:
    def row(desa: str, index: str, year: str, value: str, status: str) -> list[str]:
        return ["", "Tenggarong", desa, index, year, value, status, "Kemendesa PDTT"]

    rows = [
        row("Rapak Lambur", "IDM", "2024", "0,8200", "Mandiri"),
        row("Bendang Raya", "IDM", "2024", "0,75", "Sangat Maju"),
        row("Loa Ipuh", "Indeks Desa", "2024", "150", "Maju"),
        row("Bendang Raya", "IDX", "2024", "0,75", "Maju"),
        row("Rapak Lambur", "IDM", "1999", "0,70", "Maju"),
        row("Desa Antah Berantah", "IDM", "2024", "0,70", "Maju"),
        row("Rapak Lambur", "IDM", "2023", "0,80", "mandiri"),
        row("Rapak Lambur", "IDM", "2024", "0,8200", "Mandiri"),  # same desa, index and year as row 2
    ]
    return CorpusFile(
        "indeks_desa_bad.csv", "desa_index", 3,
        (
            Expected(3, "Status", "harus salah satu dari", BLANKED),
            Expected(4, "Nilai", "di luar rentang"),
            Expected(5, "Indeks", "harus salah satu dari"),
            Expected(6, "Tahun", "tahun tidak sah"),
            Expected(7, "Desa/Kelurahan", "tidak dikenal"),
            Expected(9, "kode_desa, index_name, year", "baris duplikat"),
        ),
        lambda p: write_csv(p, INDEX_HEADER, rows),
    )  # fmt: skip


KADER_HEADER = ("ID Kader", "ID Posyandu", "Peran", "Bidang SPM", "Mulai Aktif", "Berhenti Aktif")


@_spec
def _kader_bad(tag: int) -> CorpusFile:
    rows = [
        ["K90001", "P9001", "Ketua", "KES", "01/01/2024", ""],
        ["K90002", "P9001", "Pengawas", "KES", "01/01/2024", ""],
        ["K90003", "P9404", "Anggota", "KES", "01/01/2024", ""],
        ["K90004", "P9002", "Anggota", "GIZI", "31/31/2024", ""],
        ["", "P9002", "Anggota", "KES", "01/01/2024", ""],
    ]
    return CorpusFile(
        "kader_bad.csv", "kader", 3,
        (
            Expected(3, "Peran", "harus salah satu dari", BLANKED),
            Expected(4, "ID Posyandu", "tidak ada di master posyandu"),
            Expected(5, "Bidang SPM", "harus salah satu dari", BLANKED),
            Expected(5, "Mulai Aktif", "tanggal tidak dikenali", BLANKED),
            Expected(6, "ID Kader", "'ID Kader' kosong"),
        ),
        lambda p: write_csv(p, KADER_HEADER, rows),
    )  # fmt: skip


# --------------------------------------------------------------------------
# Hostile files: sizes that would kill a reader, bytes the csv module chokes on
# --------------------------------------------------------------------------


@_spec
def _far_corner(tag: int) -> CorpusFile:
    return _read_error("one_cell_at_far_corner.xlsx", "kolom sampai ke-16.384", write_far_corner_xlsx)


@_spec
def _far_corner_undeclared(tag: int) -> CorpusFile:
    return _read_error(
        "far_corner_without_dimension.xlsx", "kolom sampai ke-16.384", lambda p: write_far_corner_xlsx(p, False)
    )


@_spec
def _zip_bomb(tag: int) -> CorpusFile:
    return _read_error("zip_bomb.xlsx", "bom zip", lambda p: write_zip_bomb_xlsx(p, megabytes=100))


@_spec
def _wide(tag: int) -> CorpusFile:
    return _read_error("cell_in_column_1000.xlsx", "kolom sampai ke-1.000", write_wide_xlsx)


@_spec
def _damaged_deflate(tag: int) -> CorpusFile:
    """A workbook whose sheet's deflate stream is broken (zlib.error used to escape the reader)."""
    rows = _cells(children(tag, 3), EPPGBM_HEADER)

    def write(path: Path) -> None:
        write_xlsx(path, EPPGBM_HEADER, rows)
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
        name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
        extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
        data[info.header_offset + 30 + name_length + extra_length] = 0xFF  # deflate block type 3: reserved
        path.write_bytes(bytes(data))

    return _read_error("deflate_stream_damaged.xlsx", "isi zip rusak", write)


@_spec
def _html_xls(tag: int) -> CorpusFile:
    """A web application's "Excel" export: an HTML table named .xls, a title table above."""
    rows = children(tag, 3) + [child(tag, 3, JK="X")]

    def write(path: Path) -> None:
        cells = _cells(rows, EPPGBM_HEADER)
        html = (
            "<html><head><meta charset='utf-8'></head><body>"
            f"<table><tr><td colspan='{len(EPPGBM_HEADER)}'>DATA PENGUKURAN BALITA</td></tr></table><table>"
            + "<tr>"
            + "".join(f"<th>{h}</th>" for h in EPPGBM_HEADER)
            + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{_text(v, True)}</td>" for v in row) + "</tr>" for row in cells)
            + "</table></body></html>"
        )
        path.write_text(html, encoding="utf-8")

    return CorpusFile(
        _e("html_table_named.xls"), "eppgbm", 3, (Expected(6, "JK", "L atau P"),), write, note="tabel HTML/XML"
    )


@_spec
def _utf16_no_bom(tag: int) -> CorpusFile:
    """UTF-16 text saved by a tool that writes no byte order mark."""
    rows = children(tag, 3)

    def write(path: Path) -> None:
        _eppgbm(path, rows, sep="\t", encoding="utf-16-le")

    return CorpusFile(_e("utf16_without_bom.csv"), "eppgbm", 3, (), write)


@_spec
def _month_first_dates(tag: int) -> CorpusFile:
    """Dates re-saved by Excel set to English (US): month first."""
    rows = children(tag, 3, **{"Tgl Lahir": "05/15/2023", "Tanggal Pengukuran": "10/15/2025"})
    return CorpusFile(_e("dates_month_first_us.csv"), "eppgbm", 3, (), lambda p: _eppgbm(p, rows))


def _eppgbm_bytes(path: Path, rows: Sequence[dict], replace: Callable[[bytes], bytes], **options: object) -> None:
    _eppgbm(path, rows, **options)
    path.write_bytes(replace(path.read_bytes()))


@_spec
def _lone_cr(tag: int) -> CorpusFile:
    """A carriage return typed inside unquoted cells (the csv module raised on it)."""
    rows = children(tag, 4) + [child(tag, 4, Posyandu="Mel@CR@ati", Alamat="Jl.@CR@Mawar")]
    return CorpusFile(
        _e("lone_cr_in_unquoted_cell.csv"), "eppgbm", 5, (),
        lambda p: _eppgbm_bytes(p, rows, lambda b: b.replace(b"@CR@", b"\r")),
    )  # fmt: skip


@_spec
def _cr_only(tag: int) -> CorpusFile:
    rows = children(tag, 3) + [child(tag, 3, JK="Q")]
    return CorpusFile(
        _e("old_mac_cr_line_ends.csv"), "eppgbm", 3, (Expected(5, "JK", "L atau P"),),
        lambda p: _eppgbm(p, rows, newline="\r"),
    )  # fmt: skip


@_spec
def _huge_cell(tag: int) -> CorpusFile:
    """One cell over 128 KB (the csv module's field limit raised and stopped every register)."""
    rows = children(tag, 2) + [child(tag, 2, Posyandu="M" * 200_000)] + children(tag, 2, start=3)
    return CorpusFile(
        _e("cell_over_128_kb.csv"), "eppgbm", 4, (Expected(4, "(baris)", "sel lebih dari 32.767 karakter"),),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _nul_bytes(tag: int) -> CorpusFile:
    rows = children(tag, 4) + [child(tag, 4, Posyandu="Mel@NUL@ati")]
    return CorpusFile(
        _e("nul_bytes_in_cells.csv"), "eppgbm", 5, (),
        lambda p: _eppgbm_bytes(p, rows, lambda b: b.replace(b"@NUL@", b"\x00")),
    )  # fmt: skip


@_spec
def _invalid_encoding(tag: int) -> CorpusFile:
    """Bytes valid in no encoding we try (0x81 is undefined in cp1252): read as Latin-1."""
    rows = children(tag, 4) + [child(tag, 4, Posyandu="Mel@BAD@ati", JK="?")]
    return CorpusFile(
        _e("invalid_encoding_bytes.csv"), "eppgbm", 4, (Expected(6, "JK", "L atau P"),),
        lambda p: _eppgbm_bytes(p, rows, lambda b: b.replace(b"@BAD@", b"\xff\x81\xfe")),
    )  # fmt: skip


@_spec
def _title_controls(tag: int) -> CorpusFile:
    """Title lines holding CR, U+2028, form feed and other line breaks of str.splitlines()
    (the first data row was dropped without a word)."""
    rows = children(tag, 5)
    before = ("DATA\rPENGUKURAN;;;", "PUSKESMAS\u2028TENGGARONG", "Oktober\x0c2025\x1c", "\x85\x0b")
    return CorpusFile(
        _e("title_lines_with_line_breaks.csv"), "eppgbm", 5, (), lambda p: _eppgbm(p, rows, before=before),
    )  # fmt: skip


@_spec
def _unclosed_quote(tag: int) -> CorpusFile:
    """A quote opened and never closed: the rest of the file reads as one cell; that row is
    refused with its line span, not taken silently."""
    rows = children(tag, 2) + [child(tag, 2, Posyandu="@Q@Melati")] + children(tag, 6, start=3)
    return CorpusFile(
        _e("unclosed_quote.csv"), "eppgbm", 2, (Expected(4, "(baris)", "tanda petik"),),
        lambda p: _eppgbm_bytes(p, rows, lambda b: b.replace(b"@Q@", b'"')),
    )  # fmt: skip


DATED_SERIAL = 45945.75  # 15/10/2025 18.00: rounding gave the 16th


@_spec
def _date_times(tag: int) -> CorpusFile:
    """Date-time cells and a serial with a time fraction: the measurement's calendar date.
    The first child is weighed twice on one day (morning and afternoon): a duplicate."""

    rows = _cells(children(tag, 5), EPPGBM_HEADER)
    rows.insert(1, list(rows[0]))
    rows[1][EPPGBM_HEADER.index("Berat")] = 11.4
    measured = EPPGBM_HEADER.index("Tanggal Pengukuran")
    stamps = (
        datetime(2025, 10, 15, 8, 0),
        datetime(2025, 10, 15, 14, 30),
        DATED_SERIAL,
        "31/10/2025 23:59",
        "2025-10-31T23:59:59",
        datetime(2025, 10, 31, 23, 59, 59),
    )
    for row, stamp in zip(rows, stamps, strict=True):
        row[measured] = stamp

    return CorpusFile(
        _e("date_time_cells.xlsx"), "eppgbm", 5, (Expected(3, "(baris)", "baris duplikat"),),
        lambda p: write_xlsx(p, EPPGBM_HEADER, rows, date_format="dd/mm/yyyy hh:mm"),
    )  # fmt: skip


@_spec
def _personal_values_in_area_columns(tag: int) -> CorpusFile:
    """An NIK or a child's name typed into Kec, Desa/Kel, Pukesmas or Posyandu: never quoted in
    a record, never stored (the corpus tests search every record and the warehouse)."""
    rows = [
        child(tag, 0, Kec=f"640206{tag:04d}999999"),
        child(tag, 1, **{"Desa/Kel": "Siti Aminah"}),
        child(tag, 2, Pukesmas="Muhammad Pratama"),
        child(tag, 3, Posyandu=f"6402 06{tag:02d} 9999 8888"),
        child(tag, 4),
    ]
    return CorpusFile(
        _e("personal_values_in_area_columns.csv"), "eppgbm", 3,
        (
            Expected(2, "Kec", "tidak dikenal"),
            Expected(3, "Desa/Kel", "tidak dikenal"),
            Expected(4, "Puskesmas", "bukan nama tempat", BLANKED),
            Expected(5, "Posyandu", "seperti NIK", BLANKED),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip
