"""The corpus's e-PPGBM files: encodings, separators, dates, headers, broken files and impossible
values, one function per file, registered in order (see corpus.py)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import xlsxwriter

from tests.support.corpus_base import (
    BIG_CHILDREN,
    BIG_ROWS,
    BLANKED,
    FILE,
    FORMULAS,
    LONG_TEXT,
    OLE2_MAGIC,
    PNG_BYTES,
    VARIANT_HEADER,
    VARIANT_NAMES,
    CorpusFile,
    Expected,
    _cells,
    _e,
    _eppgbm,
    _letters,
    _read_error,
    _spec,
    _text,
    child,
    children,
    write_csv,
    write_xlsx,
)
from tests.support.eppgbm_files import EPPGBM_HEADER, write_eppgbm_csv


@_spec
def _utf8_bom_comma(tag: int) -> CorpusFile:
    rows = children(tag, 5) + [child(tag, 5, JK="X")]
    return CorpusFile(
        _e("utf8_bom_comma_separator.csv"), "eppgbm", 5, (Expected(7, "JK", "L atau P"),),
        lambda p: _eppgbm(p, rows, sep=",", encoding="utf-8-sig", comma_decimals=False),
    )  # fmt: skip


@_spec
def _cp1252(tag: int) -> CorpusFile:
    rows = children(tag, 4, Nama="Andréas Muñoz Çelik", Posyandu="Mawar Biru", **{"Nama Ortu": "Zoë Françoise"})
    rows.append(child(tag, 9, **{"Tanggal Pengukuran": "32/13/2025"}))
    return CorpusFile(
        _e("cp1252_semicolon_comma_decimals.csv"), "eppgbm", 4,
        (Expected(6, "Tanggal Pengukuran", "tanggal tidak dikenali"),),
        lambda p: write_eppgbm_csv(p, rows, sep=";", encoding="cp1252", comma_decimals=True),
    )  # fmt: skip


@_spec
def _utf8_semicolon(tag: int) -> CorpusFile:
    rows = children(tag, 3, Posyandu="Posyandu Kenari Ceria") + [child(tag, 3, Kec="")]
    return CorpusFile(
        _e("utf8_semicolon_lf.csv"), "eppgbm", 3, (Expected(5, "Kec", "'Kec' kosong"),),
        lambda p: _eppgbm(p, rows, newline="\n"),
    )  # fmt: skip


@_spec
def _utf16(tag: int) -> CorpusFile:
    """Excel's "Unicode Text" save: UTF-16 with BOM, tab separated."""
    rows = children(tag, 3) + [child(tag, 3, Berat="", Tinggi="")]
    return CorpusFile(
        _e("utf16_tab_unicode_text.csv"), "eppgbm", 3, (Expected(5, "Berat", "berat dan tinggi kosong"),),
        lambda p: _eppgbm(p, rows, sep="\t", encoding="utf-16"),
    )  # fmt: skip


@_spec
def _comma_quoted_decimals(tag: int) -> CorpusFile:
    rows = children(tag, 4) + [child(tag, 4, Berat="12,5,3", Tinggi="")]
    return CorpusFile(
        _e("comma_separator_quoted_comma_decimals.csv"), "eppgbm", 4,
        (Expected(6, "Berat", "bukan angka", BLANKED), Expected(6, "Berat", "berat dan tinggi kosong")),
        lambda p: _eppgbm(p, rows, sep=",", comma_decimals=True),
    )  # fmt: skip


@_spec
def _serial_csv(tag: int) -> CorpusFile:
    # 45218 = 19/10/2023, 45945 = 15/10/2025, 46100 = 18/03/2026 (future)
    rows = children(tag, 4, **{"Tgl Lahir": "45218", "Tanggal Pengukuran": "45945"})
    rows.append(child(tag, 4, **{"Tgl Lahir": "45218", "Tanggal Pengukuran": "46100"}))
    return CorpusFile(
        _e("dates_excel_serial.csv"), "eppgbm", 4, (Expected(6, "Tanggal Pengukuran", "masa depan"),),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _serial_xlsx(tag: int) -> CorpusFile:
    rows = children(tag, 4, **{"Tgl Lahir": 45218, "Tanggal Pengukuran": 45945})
    rows.append(child(tag, 4, **{"Tgl Lahir": 45218, "Tanggal Pengukuran": 1.5}))
    return CorpusFile(
        _e("dates_excel_serial.xlsx"), "eppgbm", 4, (Expected(6, "Tanggal Pengukuran", "tanggal tidak dikenali"),),
        lambda p: write_xlsx(p, EPPGBM_HEADER, _cells(rows, EPPGBM_HEADER)),
    )  # fmt: skip


@_spec
def _iso_dates(tag: int) -> CorpusFile:
    rows = children(tag, 4, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "2025-10-15"})
    rows.append(child(tag, 4, **{"Tgl Lahir": "2023-02-30", "Tanggal Pengukuran": "2025-10-15"}))
    return CorpusFile(
        _e("dates_iso.csv"), "eppgbm", 4, (Expected(6, "Tgl Lahir", "tanggal tidak dikenali"),),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _text_dates(tag: int) -> CorpusFile:
    rows = [
        child(tag, 0, **{"Tgl Lahir": "18 September 2023", "Tanggal Pengukuran": "18 September 2025"}),
        child(tag, 1, **{"Tgl Lahir": "1 Agustus 2023", "Tanggal Pengukuran": "5 Okt 2025"}),
        child(tag, 2, **{"Tgl Lahir": "7-Mei-2024", "Tanggal Pengukuran": "03 Nop 2025"}),
        child(tag, 3, **{"Tgl Lahir": "12 March 2024", "Tanggal Pengukuran": "1 October 2025"}),
        child(tag, 4, **{"Tgl Lahir": "31 Juni 2023", "Tanggal Pengukuran": "18 September 2025"}),
    ]
    return CorpusFile(
        _e("dates_text_bahasa_english.csv"), "eppgbm", 4, (Expected(6, "Tgl Lahir", "tanggal tidak dikenali"),),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _mixed_dates_xlsx(tag: int) -> CorpusFile:

    rows = [
        child(tag, 0, **{"Tgl Lahir": datetime(2023, 5, 15), "Tanggal Pengukuran": datetime(2025, 10, 15)}),
        child(tag, 1, **{"Tgl Lahir": "15/05/2023", "Tanggal Pengukuran": "15-10-2025"}),
        child(tag, 2, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "15.10.2025"}),
        child(tag, 3, **{"Tgl Lahir": datetime(1949, 12, 31), "Tanggal Pengukuran": datetime(2025, 10, 15)}),
    ]
    return CorpusFile(
        _e("dates_mixed_cells_and_text.xlsx"), "eppgbm", 3, (Expected(5, "Tgl Lahir", "sebelum 1950"),),
        lambda p: write_xlsx(p, EPPGBM_HEADER, _cells(rows, EPPGBM_HEADER)),
    )  # fmt: skip


@_spec
def _variant_csv(tag: int) -> CorpusFile:
    rows = children(tag, 4, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "2025-10-15", "LiLA": 14.5})
    rows.append(child(tag, 4, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "2025-10-15", "JK": ""}))
    return CorpusFile(
        _e("variant_export_aliases.csv"), "eppgbm", 4, (Expected(6, "Jenis Kelamin", "'Jenis Kelamin' kosong"),),
        lambda p: write_csv(p, VARIANT_HEADER, _cells(rows, VARIANT_HEADER, VARIANT_NAMES), sep=",", comma_decimals=False),
    )  # fmt: skip


@_spec
def _variant_xlsx(tag: int) -> CorpusFile:
    rows = children(tag, 4, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "2025-10-15", "LiLA": 14.5})
    rows.append(
        child(tag, 4, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "2025-10-15", "Desa/Kel": "Kel. Loa Ipuhh"})
    )
    rows.append(
        child(
            tag, 5, **{"Tgl Lahir": "2023-05-15", "Tanggal Pengukuran": "2025-10-15", "Desa/Kel": "Kelurahan Atlantis"}
        )
    )
    return CorpusFile(
        _e("variant_export_aliases.xlsx"), "eppgbm", 5, (Expected(9, "Kelurahan", "tidak dikenal"),),
        lambda p: write_xlsx(p, VARIANT_HEADER, _cells(rows, VARIANT_HEADER, VARIANT_NAMES), before=("Laporan Balita", "")),
    )  # fmt: skip


@_spec
def _header_spelling(tag: int) -> CorpusFile:
    header = ["no", *[h.upper() if i % 2 else f"  {h.lower()}  " for i, h in enumerate(EPPGBM_HEADER)]]
    for standard, spelled in (
        ("Tanggal Pengukuran", "Tanggal\nPengukuran"),
        ("Tgl Lahir", "Tgl   LAHIR"),
        ("Kec", "kec "),
    ):
        header[1 + EPPGBM_HEADER.index(standard)] = spelled
    rows = children(tag, 3) + [child(tag, 3, **{"Cara Ukur": "Duduk"})]
    cells = [[i + 1, *r] for i, r in enumerate(_cells(rows, EPPGBM_HEADER))]
    return CorpusFile(
        _e("header_case_spaces_newline.xlsx"), "eppgbm", 4, (Expected(5, "CARA UKUR", "Berdiri atau Terlentang", BLANKED),),
        lambda p: write_xlsx(p, header, cells),
    )  # fmt: skip


@_spec
def _title_rows_csv(tag: int) -> CorpusFile:
    rows = children(tag, 4) + [child(tag, 4, JK="Laki")]
    before = ("DATA PENGUKURAN BALITA;;;", "PUSKESMAS TENGGARONG - OKTOBER 2025;;;", "", "Dicetak: 01/11/2025")
    return CorpusFile(
        _e("title_rows_above_header.csv"), "eppgbm", 4, (Expected(10, "JK", "L atau P"),),
        lambda p: _eppgbm(p, rows, before=before),
    )  # fmt: skip


@_spec
def _title_rows_xlsx(tag: int) -> CorpusFile:
    rows = children(tag, 4) + [child(tag, 4, Kec="Balikpapan Kota")]
    cells = [[i + 1, *r] for i, r in enumerate(_cells(rows, EPPGBM_HEADER))]
    before = ("DATA PENGUKURAN BALITA", "Kabupaten Kutai Kartanegara", "", "", "")
    return CorpusFile(
        _e("title_rows_above_header.xlsx"), "eppgbm", 4, (Expected(11, "Kec", "tidak dikenal"),),
        lambda p: write_xlsx(p, ["No", *EPPGBM_HEADER], cells, before=before),
    )  # fmt: skip


@_spec
def _merged_header(tag: int) -> CorpusFile:
    """A title merged across the sheet and a two-row header: most headers merged down two
    rows, the measurements grouped under a merged "Hasil Pengukuran" cell."""
    rows = children(tag, 4) + [child(tag, 4, Tinggi=300.0, Berat=0.0)]
    grouped = ("Berat", "Tinggi", "Cara Ukur", "LiLA")

    def write(path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        width = len(EPPGBM_HEADER) + 1
        sheet.cell(1, 1, "LAPORAN HASIL PENGUKURAN BALITA - OKTOBER 2025")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for c, header in enumerate(["No", *EPPGBM_HEADER], start=1):
            if header in grouped:
                sheet.cell(4, c, header)
            else:
                sheet.cell(3, c, header)
                sheet.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        first = 2 + EPPGBM_HEADER.index("Berat")
        sheet.cell(3, first, "Hasil Pengukuran")
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + len(grouped) - 1)
        for r, cells in enumerate(_cells(rows, EPPGBM_HEADER), start=5):
            for c, value in enumerate([r - 4, *cells], start=1):
                if value != "":
                    sheet.cell(r, c, value)
        workbook.save(path)

    return CorpusFile(
        _e("merged_header_cells.xlsx"), "eppgbm", 4,
        (
            Expected(9, "Berat", "kode isian", BLANKED),
            Expected(9, "Tinggi", "di luar rentang", BLANKED),
            Expected(9, "Berat", "berat dan tinggi kosong"),
        ),
        write,
    )  # fmt: skip


@_spec
def _extra_columns(tag: int) -> CorpusFile:
    header = [*EPPGBM_HEADER, "Catatan Kader", "Kolom Tambahan", ""]
    rows = [[*r, "sehat", "x", ""] for r in _cells(children(tag, 4), EPPGBM_HEADER)]
    rows.append([*_cells([child(tag, 4)], EPPGBM_HEADER)[0], "catatan", "x", "", "sel lebih"])
    return CorpusFile(
        _e("extra_columns_and_ragged_row.csv"), "eppgbm", 4, (Expected(6, "(baris)", "lebih banyak"),),
        lambda p: write_csv(p, header, rows), note="kolom tidak dikenal, diabaikan: Catatan Kader, Kolom Tambahan",
    )  # fmt: skip


@_spec
def _unquoted_separator(tag: int) -> CorpusFile:
    """A name typed with ';' in a hand-made CSV: the row has one cell too many and every
    cell after the name is shifted; the row is refused once, not per shifted column."""

    def write(path: Path) -> None:
        write_csv(path, EPPGBM_HEADER, _cells(children(tag, 3), EPPGBM_HEADER))
        bad = _cells([child(tag, 3)], EPPGBM_HEADER)[0]
        bad[1] = f"{bad[1]}; Binti Ahmad"
        with open(path, "a", encoding="utf-8", newline="") as handle:
            handle.write(";".join(_text(v, True) for v in bad) + "\r\n")

    return CorpusFile(
        _e("unquoted_separator_in_name.csv"), "eppgbm", 3, (Expected(5, "(baris)", "lebih banyak"),), write,
    )  # fmt: skip


@_spec
def _missing_required(tag: int) -> CorpusFile:
    header = [h for h in EPPGBM_HEADER if h != "Tgl Lahir"]
    return CorpusFile(
        _e("missing_required_column.csv"), "eppgbm", 0, (Expected(1, "Tgl Lahir", "kolom wajib 'Tgl Lahir' tidak ada"),),
        lambda p: write_csv(p, header, _cells(children(tag, 5), header)),
    )  # fmt: skip


@_spec
def _missing_optional(tag: int) -> CorpusFile:
    header = [h for h in EPPGBM_HEADER if h not in ("Tinggi", "LiLA", "Cara Ukur", "Posyandu", "NIK")]
    rows = children(tag, 4, NIK="") + [child(tag, 4, NIK="", Berat="")]
    return CorpusFile(
        _e("missing_optional_columns.csv"), "eppgbm", 4, (Expected(6, "Berat", "berat dan tinggi kosong"),),
        lambda p: write_csv(p, header, _cells(rows, header)), note="kolom tidak ada (dibiarkan kosong): NIK",
    )  # fmt: skip


@_spec
def _duplicated_columns(tag: int) -> CorpusFile:
    header = [*EPPGBM_HEADER, "Berat", "Kec"]
    rows = [[*r, 99.0, "Loa Kulu"] for r in _cells(children(tag, 4), EPPGBM_HEADER)]
    return CorpusFile(
        _e("duplicated_columns.csv"), "eppgbm", 4,
        (Expected(1, "Berat", "lebih dari sekali", BLANKED), Expected(1, "Kec", "lebih dari sekali", BLANKED)),
        lambda p: write_csv(p, header, rows),
    )  # fmt: skip


@_spec
def _empty_csv(tag: int) -> CorpusFile:
    return _read_error("empty_0_bytes.csv", "file kosong", lambda p: p.write_bytes(b""))


@_spec
def _empty_xlsx(tag: int) -> CorpusFile:
    return _read_error("empty_0_bytes.xlsx", "file kosong", lambda p: p.write_bytes(b""))


@_spec
def _blank_lines_csv(tag: int) -> CorpusFile:
    return _read_error("only_blank_lines.csv", "file kosong", lambda p: p.write_bytes(b"\r\n;;;\r\n\r\n"))


@_spec
def _header_only_csv(tag: int) -> CorpusFile:
    return CorpusFile(
        _e("header_only.csv"), "eppgbm", 0, (Expected(1, FILE, "tidak ada baris data"),),
        lambda p: write_csv(p, EPPGBM_HEADER, []),
    )  # fmt: skip


@_spec
def _header_only_xlsx(tag: int) -> CorpusFile:
    return CorpusFile(
        _e("header_only.xlsx"), "eppgbm", 0, (Expected(3, FILE, "tidak ada baris data"),),
        lambda p: write_xlsx(p, EPPGBM_HEADER, [], before=("DATA PENGUKURAN", "")),
    )  # fmt: skip


@_spec
def _empty_sheet_xlsx(tag: int) -> CorpusFile:
    """An empty first sheet, then the data: the first sheet holding the header is read."""
    rows = _cells(children(tag, 2), EPPGBM_HEADER)

    def write(path: Path) -> None:
        workbook = xlsxwriter.Workbook(str(path))
        workbook.add_worksheet("Kosong")
        second = workbook.add_worksheet("Data")
        second.write_row(0, 0, EPPGBM_HEADER)
        for r, row in enumerate(rows, start=1):
            second.write_row(r, 0, row)
        workbook.close()

    return CorpusFile(_e("first_sheet_empty.xlsx"), "eppgbm", 2, (), write, note="data dibaca dari sheet 'Data'")


@_spec
def _png_xlsx(tag: int) -> CorpusFile:
    return _read_error("picture_renamed.xlsx", "bukan file Excel", lambda p: p.write_bytes(PNG_BYTES))


@_spec
def _text_xlsx(tag: int) -> CorpusFile:
    """CSV text renamed .xlsx: read as the CSV it is, and said so."""
    text = ";".join(EPPGBM_HEADER).encode() + b"\r\n"
    return CorpusFile(
        _e("csv_text_renamed.xlsx"), "eppgbm", 0, (Expected(1, FILE, "tidak ada baris data"),),
        lambda p: p.write_bytes(text), note="isinya teks CSV",
    )  # fmt: skip


@_spec
def _zip_xlsx(tag: int) -> CorpusFile:
    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("foto/anak.jpg", b"\xff\xd8\xff\xe0 not really a picture")

    return _read_error("zip_archive_renamed.xlsx", "tidak bisa dibaca", write)


@_spec
def _png_csv(tag: int) -> CorpusFile:
    return _read_error("picture_renamed.csv", "bukan file teks", lambda p: p.write_bytes(PNG_BYTES))


@_spec
def _password_xlsx(tag: int) -> CorpusFile:
    # An encrypted .xlsx is an OLE2/CFB container, not a zip.
    blob = OLE2_MAGIC + b"\x00" * 504 + b"EncryptedPackage".ljust(512, b"\x00")
    return _read_error("password_protected.xlsx", "kata sandi", lambda p: p.write_bytes(blob))


@_spec
def _no_header(tag: int) -> CorpusFile:
    rows = _cells(children(tag, 3), EPPGBM_HEADER)
    return _read_error(
        "no_header_row.csv", "baris judul kolom tidak ditemukan",
        lambda p: p.write_text("\r\n".join(";".join(_text(v, True) for v in r) for r in rows), encoding="utf-8"),
    )  # fmt: skip


@_spec
def _duplicate_rows(tag: int) -> CorpusFile:
    rows = children(tag, 4)
    rows += [rows[0], rows[0], dict(rows[1], Berat=12.0)]  # two exact copies, one same child and date
    return CorpusFile(
        _e("duplicate_rows.csv"), "eppgbm", 4,
        (
            Expected(6, "(baris)", "duplicate_rows.csv baris 2"),
            Expected(7, "(baris)", "baris duplikat"),
            Expected(8, "(baris)", "duplicate_rows.csv baris 3"),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _birth_after(tag: int) -> CorpusFile:
    rows = children(tag, 3)
    rows += [
        child(tag, 3, **{"Tgl Lahir": "20/10/2025", "Tanggal Pengukuran": "15/10/2025"}),
        child(tag, 4, **{"Tgl Lahir": "15/10/2025", "Tanggal Pengukuran": "15/10/2025", "Berat": 3.2, "Tinggi": 49.0}),
    ]
    return CorpusFile(
        _e("birth_after_measurement.csv"), "eppgbm", 4, (Expected(5, "Tgl Lahir", "setelah tanggal pengukuran"),),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _future(tag: int) -> CorpusFile:
    rows = children(tag, 3)
    rows += [
        child(tag, 3, **{"Tanggal Pengukuran": "01/12/2025"}),  # the day after the build's today
        child(tag, 4, **{"Tgl Lahir": "15/05/2099"}),
        child(tag, 5, **{"Tanggal Pengukuran": "30/11/2025"}),  # today itself is fine
    ]
    return CorpusFile(
        _e("future_dates.csv"), "eppgbm", 4,
        (Expected(5, "Tanggal Pengukuran", "masa depan"), Expected(6, "Tgl Lahir", "masa depan")),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _old(tag: int) -> CorpusFile:
    rows = [
        child(
            tag, 0, **{"Tgl Lahir": "16/11/2020", "Tanggal Pengukuran": "15/10/2025", "Tinggi": 105.0, "Berat": 16.5}
        ),
        child(
            tag, 1, **{"Tgl Lahir": "15/10/2020", "Tanggal Pengukuran": "16/10/2025", "Tinggi": 106.0, "Berat": 17.0}
        ),
        child(
            tag, 2, **{"Tgl Lahir": "01/01/2019", "Tanggal Pengukuran": "15/10/2025", "Tinggi": 115.0, "Berat": 20.0}
        ),
        child(tag, 3, **{"Tgl Lahir": "15/05/2023"}),
    ]
    return CorpusFile(
        _e("age_60_months_and_over.csv"), "eppgbm", 2,
        (Expected(3, "Usia Saat Ukur", "60 bulan"), Expected(4, "Usia Saat Ukur", "60 bulan")),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _impossible(tag: int) -> CorpusFile:
    rows = [
        child(tag, 0, Berat=150.0),
        child(tag, 1, Berat=0.1),
        child(tag, 2, Tinggi=300.0),
        child(tag, 3, Tinggi=12.0),
        child(tag, 4, Berat=-5.0, Tinggi=250.0),
        child(tag, 5, LiLA=55.0),
        child(tag, 6),
    ]
    blank = BLANKED
    return CorpusFile(
        _e("impossible_weights_heights.csv"), "eppgbm", 6,
        (
            Expected(2, "Berat", "di luar rentang wajar (0,5–40)", blank),
            Expected(3, "Berat", "di luar rentang", blank),
            Expected(4, "Tinggi", "di luar rentang wajar (35–140)", blank),
            Expected(5, "Tinggi", "di luar rentang", blank),
            Expected(6, "Berat", "di luar rentang", blank),
            Expected(6, "Tinggi", "di luar rentang", blank),
            Expected(6, "Berat", "berat dan tinggi kosong"),
            Expected(7, "LiLA", "di luar rentang", blank),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _sentinels(tag: int) -> CorpusFile:
    rows = [
        child(tag, 0, Berat=0.0),
        child(tag, 1, Tinggi=999.0),
        child(tag, 2, Berat=8888.0, Tinggi=8888.0),
        child(tag, 3, LiLA=999.0),
        child(tag, 4, Berat="0,0", Tinggi="999,0"),
    ]
    return CorpusFile(
        _e("sentinel_values.csv"), "eppgbm", 3,
        (
            Expected(2, "Berat", "nilai 0 adalah kode isian", BLANKED),
            Expected(3, "Tinggi", "nilai 999 adalah kode isian", BLANKED),
            Expected(4, "Berat", "8888", BLANKED),
            Expected(4, "Tinggi", "8888", BLANKED),
            Expected(4, "Berat", "berat dan tinggi kosong"),
            Expected(5, "LiLA", "999", BLANKED),
            Expected(6, "Berat", "kode isian", BLANKED),
            Expected(6, "Tinggi", "kode isian", BLANKED),
            Expected(6, "Berat", "berat dan tinggi kosong"),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _unknown_areas(tag: int) -> CorpusFile:
    rows = [
        child(tag, 0, Kec="Kec. Tenggarong Sbrg", **{"Desa/Kel": "Desa Bukit Raya"}),
        child(tag, 1, Kec="SANGA-SANGA", **{"Desa/Kel": "Sanga Sanga Dalam"}),
        child(tag, 2, Kec="Marangkayu", **{"Desa/Kel": "Sebuntal"}),
        child(tag, 3, Kec="Balikpapan Kota"),
        child(tag, 4, **{"Desa/Kel": "Desa Antah Berantah"}),
        child(tag, 5, **{"Desa/Kel": ""}),
        child(tag, 6, Kec=LONG_TEXT),
    ]
    return CorpusFile(
        _e("unknown_area_names.csv"), "eppgbm", 3,
        (
            Expected(5, "Kec", "tidak dikenal"),
            Expected(6, "Desa/Kel", "tidak dikenal"),
            Expected(7, "Desa/Kel", "'Desa/Kel' kosong"),
            Expected(8, "Kec", "terlalu panjang"),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _other_kecamatan(tag: int) -> CorpusFile:
    rows = [
        child(tag, 0),
        child(tag, 1, **{"Desa/Kel": "Loa Kulu Kota"}),  # a desa of Kec. Loa Kulu, row says Tenggarong
        child(tag, 2, **{"Desa/Kel": "Sumber Sari"}),  # in Loa Kulu, Sebulu and Kota Bangun Darat
        child(tag, 3, Kec="Sebulu", **{"Desa/Kel": "Sumber Sari"}),  # the kecamatan settles it
    ]
    return CorpusFile(
        _e("desa_in_other_kecamatan.csv"), "eppgbm", 2,
        (
            Expected(3, "Desa/Kel", "ada di Kec. Loa Kulu"),
            Expected(4, "Desa/Kel", "Kec. Kota Bangun Darat"),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _niks(tag: int) -> CorpusFile:
    bad = (
        "abc",
        "12345",
        "64020655052300011",
        "0000000000000000",
        "1234567890123456",
        "1111111111111111",
        "6,40207E+15",
    )
    rows = [child(tag, i, NIK=nik) for i, nik in enumerate(bad)]
    rows += [child(tag, 7, NIK="6402 0655.0523 0099"), child(tag, 8, NIK="")]
    expected = [Expected(2 + i, "NIK", "NIK", BLANKED) for i in range(len(bad))]
    return CorpusFile(
        _e("nik_malformed_and_dummy.csv"), "eppgbm", len(rows), tuple(expected), lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _formulas_csv(tag: int) -> CorpusFile:
    rows = [child(tag, i, Nama=f"{formula} {_letters(i)}", Posyandu=formula) for i, formula in enumerate(FORMULAS)]
    rows += [child(tag, 3, Pukesmas="=1+1"), child(tag, 4, Posyandu="-Melati"), child(tag, 5, Posyandu="- Melati -")]
    return CorpusFile(
        _e("formula_text.csv"), "eppgbm", 6,
        (
            Expected(2, "Posyandu", "rumus", BLANKED),
            Expected(3, "Posyandu", "rumus", BLANKED),
            Expected(4, "Posyandu", "rumus", BLANKED),
            Expected(5, "Pukesmas", "rumus", BLANKED),
            Expected(6, "Posyandu", "rumus", BLANKED),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _formulas_xlsx(tag: int) -> CorpusFile:
    rows = [child(tag, i, Nama=f"{formula} {_letters(i)}", Posyandu=formula) for i, formula in enumerate(FORMULAS)]
    rows.append(child(tag, 3))
    return CorpusFile(
        _e("formula_text.xlsx"), "eppgbm", 4,
        tuple(Expected(2 + i, "Posyandu", "rumus", BLANKED) for i in range(3)),
        lambda p: write_xlsx(p, EPPGBM_HEADER, _cells(rows, EPPGBM_HEADER)),
    )  # fmt: skip


@_spec
def _long_strings(tag: int) -> CorpusFile:
    rows = [
        child(tag, 0, Nama=LONG_TEXT + " Panjang", **{"Nama Ortu": LONG_TEXT}),
        child(tag, 1, Posyandu=LONG_TEXT),
        child(tag, 2, JK=LONG_TEXT),
        child(tag, 3, NIK=LONG_TEXT),
        child(tag, 4, **{"Desa/Kel": LONG_TEXT}),
        child(tag, 5, Alamat=LONG_TEXT, **{"Tanggal Pengukuran": LONG_TEXT}),
    ]
    return CorpusFile(
        _e("very_long_strings.csv"), "eppgbm", 3,
        (
            Expected(3, "Posyandu", "terlalu panjang", BLANKED),
            Expected(4, "JK", "L atau P"),
            Expected(5, "NIK", "NIK", BLANKED),
            Expected(6, "Desa/Kel", "terlalu panjang"),
            Expected(7, "Tanggal Pengukuran", "tanggal tidak dikenali"),
        ),
        lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _blank_lines_multiline(tag: int) -> CorpusFile:
    """Blank lines, a separators-only line and a quoted address over two lines: a row is
    numbered by the line it starts on, as in a text editor."""

    def write(path: Path) -> None:
        good = _cells(children(tag, 3), EPPGBM_HEADER)
        multiline = _cells([child(tag, 3, JK="W", Alamat="Jl. Panjang\nRT 3")], EPPGBM_HEADER)[0]
        bad = _cells([child(tag, 4, JK="W")], EPPGBM_HEADER)[0]
        lines = io.StringIO()
        writer = csv.writer(lines, delimiter=";", lineterminator="\r\n")
        writer.writerow(EPPGBM_HEADER)  # line 1
        writer.writerow([_text(v, True) for v in good[0]])  # line 2
        lines.write("\r\n")  # line 3
        writer.writerow([_text(v, True) for v in multiline])  # lines 4-5
        lines.write(";;;;\r\n")  # line 6
        writer.writerow([_text(v, True) for v in good[1]])  # line 7
        writer.writerow([_text(v, True) for v in bad])  # line 8
        writer.writerow([f"  {_text(v, True)}  " for v in good[2]])  # line 9, padded cells
        path.write_text(lines.getvalue(), encoding="utf-8")

    return CorpusFile(
        _e("blank_lines_multiline_cell.csv"), "eppgbm", 3,
        (Expected(4, "JK", "L atau P"), Expected(8, "JK", "L atau P")),
        write,
    )  # fmt: skip


@_spec
def _sex_measure_variants(tag: int) -> CorpusFile:
    spelled = (
        ("Laki-laki", "Telentang"),
        ("Perempuan", "TERLENTANG"),
        ("1", "berdiri"),
        ("2", ""),
        ("lk", "Berbaring"),
    )
    rows = [child(tag, i, JK=sex, **{"Cara Ukur": how}) for i, (sex, how) in enumerate(spelled)]
    rows.append(child(tag, 5, JK="Laki2"))
    return CorpusFile(
        _e("sex_and_measure_spellings.csv"), "eppgbm", 5, (Expected(7, "JK", "L atau P"),), lambda p: _eppgbm(p, rows),
    )  # fmt: skip


@_spec
def _big(tag: int) -> CorpusFile:
    """BIG_ROWS rows as a two-year e-PPGBM history has them: BIG_CHILDREN children measured
    once a month, only the columns that matter; two bad rows at the very end."""
    header = "NIK;Nama;JK;Tgl Lahir;Kec;Desa/Kel;Posyandu;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur\r\n"
    kinds = (
        ("P", "15/05/2023", "TENGGARONG", "LOA IPUH", "Melati", "11,2", "86,4", "Berdiri"),
        ("L", "02/01/2023", "Loa Kulu", "Loa Kulu Kota", "Anggrek", "9,8", "76,1", "Terlentang"),
        ("P", "20/11/2021", "Kec. Tenggarong Sbrg", "Bukit Raya", "Mawar", "14,1", "97,0", "Berdiri"),
        ("L", "07/07/2022", "SANGA-SANGA", "Sanga Sanga Dalam", "Kenanga", "12,6", "90,2", "Berdiri"),
    )
    block = 1000
    letters = "abcdefghij"
    tails = [
        ";Anak Besar {}{}{};{};{};{};{};{};{{date}};{};{};{}\r\n".format(
            letters[i % 10], letters[i // 10 % 10], letters[i // 100], *kinds[i % len(kinds)]
        )
        for i in range(block)
    ]
    months = BIG_ROWS // BIG_CHILDREN
    dates = [f"15/{k % 12 + 1:02d}/{2024 + k // 12}" for k in range(22 - months, 22)]  # k = 21: October 2025

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(header)
            for measured in dates:
                dated = [t.replace("{date}", measured) for t in tails]
                for j in range(BIG_CHILDREN // block):
                    handle.write("".join(f"64{tag:02d}{j:06d}{i:06d}" + dated[i] for i in range(block)))
            # the last two rows: a future measurement and an unknown sex
            handle.write(f"64{tag:02d}999999000001" + tails[0].replace("{date}", "15/10/2026"))
            handle.write(f"64{tag:02d}999999000002" + tails[1].replace("{date}", "15/10/2025").replace(";L;", ";X;"))

    return CorpusFile(
        _e("two_million_rows.csv"), "eppgbm", BIG_ROWS,
        (Expected(BIG_ROWS + 2, "Tanggal Pengukuran", "masa depan"), Expected(BIG_ROWS + 3, "JK", "L atau P")),
        write,
    )  # fmt: skip
