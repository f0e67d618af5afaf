"""Real-format and hostile files read one by one: the reader takes what a user would see
(the data sheet, not a cover or a hidden sheet; an HTML "Excel" export; UTF-16 without a
mark) and refuses what it cannot read with a Bahasa reason naming the file, never an
exception of another kind. Every file is written by the test, a few KB each."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from etl.extract.reader import ROW_COLUMN, ReadError, read_register_file
from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.validate import NOT_DATA_ROW, validate_table
from tests.support.eppgbm_files import EPPGBM_HEADER, eppgbm_row

KEYS = {h for f in EPPGBM.fields if f.required for h in f.headers}  # as the build asks
TODAY = date(2025, 11, 30)


def _row(**values: object) -> list[object]:
    row = eppgbm_row(**values)
    return [row[h] for h in EPPGBM_HEADER]


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]], bool]]) -> Path:
    """sheets: (name, rows, hidden)."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for name, rows, hidden in sheets:
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        if hidden:
            sheet.hide()
    visible = next(i for i, (_, _, hidden) in enumerate(sheets) if not hidden)
    workbook.worksheets()[visible].activate()
    workbook.close()
    return path


def _csv_text(header: list[str], rows: list[list[object]], sep: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _names(path: Path) -> list[str]:
    return read_register_file(path, KEYS).frame["Nama"].tolist()


# ---- which sheet ------------------------------------------------------------------------


def test_a_cover_sheet_before_the_data_is_passed_over_and_the_choice_is_noted(tmp_path):
    path = _workbook(
        tmp_path / "eppgbm.xlsx",
        [("Keterangan", [["Data e-PPGBM Oktober 2025"], ["Sumber: Dinkes"]], False),
         ("Data", [EPPGBM_HEADER, _row(Nama="Ani"), _row(Nama="Budi")], False),
         ("Rekap", [["Total", 2]], False)],
    )  # fmt: skip
    table = read_register_file(path, KEYS)
    assert table.frame["Nama"].tolist() == ["Ani", "Budi"]
    assert table.frame[ROW_COLUMN].tolist() == [2, 3]
    assert table.notes == (
        "eppgbm.xlsx: data dibaca dari sheet 'Data'; sheet lain tidak dibaca ('Keterangan', 'Rekap'): "
        "bila berisi data juga, simpan tiap sheet sebagai file sendiri",
    )


def test_a_visible_data_sheet_wins_over_a_hidden_one_holding_an_old_copy(tmp_path):
    path = _workbook(
        tmp_path / "eppgbm.xlsx",
        [("Lama", [EPPGBM_HEADER, _row(Nama="Lama")], True), ("Baru", [EPPGBM_HEADER, _row(Nama="Baru")], False)],
    )
    assert _names(path) == ["Baru"]


def test_data_only_in_a_hidden_sheet_is_read_and_said_to_be_hidden(tmp_path):
    path = _workbook(
        tmp_path / "eppgbm.xlsx",
        [("Grafik", [["lihat grafik"]], False), ("data", [EPPGBM_HEADER, _row(Nama="Ani")], True)],
    )
    table = read_register_file(path, KEYS)
    assert table.frame["Nama"].tolist() == ["Ani"]
    assert "sheet tersembunyi 'data'" in table.notes[0]


def test_no_sheet_with_a_header_names_the_sheets_looked_at(tmp_path):
    path = _workbook(tmp_path / "rekap.xlsx", [("A", [["x"]], False), ("B", [["y"]], True)])
    with pytest.raises(
        ReadError, match=r"^rekap\.xlsx: baris judul kolom tidak ditemukan di sheet mana pun \('A', 'B'\)"
    ):
        read_register_file(path, KEYS)


def test_rows_keep_their_excel_numbers_below_blank_rows_and_beside_blank_columns(tmp_path):
    path = tmp_path / "eppgbm.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(3, 2, EPPGBM_HEADER)  # header at C4
    sheet.write_row(4, 2, _row(Nama="Ani"))
    for r in range(5, 5000):  # cells holding only spaces: blank rows the reader drops
        sheet.write_string(r, 2, " ")
    sheet.write_row(5000, 2, _row(Nama="Budi"))
    workbook.close()
    table = read_register_file(path, KEYS)
    assert table.header_row == 4
    assert list(zip(table.frame["Nama"], table.frame[ROW_COLUMN], strict=True)) == [("Ani", 5), ("Budi", 5001)]


# ---- damaged workbooks ------------------------------------------------------------------


def _valid_workbook(path: Path) -> Path:
    return _workbook(path, [("Data", [EPPGBM_HEADER, *[_row() for _ in range(30)]], False)])


def _patch_sheet_data(path: Path, patch) -> Path:
    """Overwrite bytes of the sheet's compressed data in place (the zip directory stays)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    patch(data, start)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("name", "damage", "reason"),
    [
        # a deflate block of the reserved type 3: zlib.error, which used to escape the reader
        ("bad_block.xlsx", lambda p: _patch_sheet_data(p, lambda d, s: d.__setitem__(s, 0xFF)), "isi zip rusak"),
        ("unknown_method.xlsx", lambda p: _method_99(p), "metode kompresi tidak dikenal"),
        ("truncated.xlsx", lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "isi zip rusak"),
    ],
)
def test_a_damaged_zip_is_refused_in_bahasa(tmp_path, name, damage, reason):
    path = _valid_workbook(tmp_path / name)
    damage(path)
    with pytest.raises(ReadError, match=rf"^{name}: file Excel rusak, tidak bisa dibaca \({reason}"):
        read_register_file(path, KEYS)


def _method_99(path: Path) -> None:
    """Every central-directory entry claims compression method 99."""
    data = bytearray(path.read_bytes())
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        data[position + 10 : position + 12] = (99).to_bytes(2, "little")
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))


def test_an_entity_bomb_in_shared_strings_is_refused_at_once(tmp_path):
    path = _valid_workbook(tmp_path / "bom.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{("&a;" if i == 1 else f"&a{i - 1};") * 10}">' for i in range(1, 10)
    )
    strings = parts["xl/sharedStrings.xml"]
    strings = strings.replace(b"?>", f"?><!DOCTYPE sst [{entities}]>".encode(), 1).replace(b"<t>", b"<t>&a9;", 1)
    parts["xl/sharedStrings.xml"] = strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(ReadError, match=r"^bom\.xlsx: file Excel tidak bisa dibaca: isi XML rusak"):
        read_register_file(path, KEYS)


# ---- content, not name -------------------------------------------------------------------


def test_an_html_table_named_xls_is_read_as_excel_shows_it(tmp_path):
    header = "".join(f"<th>{h}</th>" for h in EPPGBM_HEADER)
    cells = _row(Nama="Ani &amp; Budi", Alamat="Jl. Mawar<br>RT 3")
    body = "".join(f"<td>{c}</td>" for c in cells)
    html = (
        "<html><head><meta charset='utf-8'><style>td {mso-number-format:'@'}</style></head><body>"
        f"<table><tr><td colspan='38'>LAPORAN PENGUKURAN</td></tr></table>"
        f"<table><tr>{header}</tr><tr>{body}</tr><tr>{body}</tr></table></body></html>"
    )
    path = tmp_path / "eppgbm_oktober.xls"
    path.write_text(html, encoding="utf-8")
    table = read_register_file(path, KEYS)
    assert table.header_row == 2
    assert table.frame["Nama"].tolist() == ["Ani & Budi"] * 2
    assert table.frame["Alamat"].tolist() == ["Jl. Mawar RT 3"] * 2
    assert table.frame[ROW_COLUMN].tolist() == [3, 4]
    assert "tabel HTML/XML" in table.notes[0]


def test_an_entity_bomb_in_html_stays_a_few_bytes_of_text(tmp_path):
    bomb = "<!DOCTYPE html [" + "".join(f'<!ENTITY a{i} "{"&a;" * 10}">' for i in range(9)) + "]>"
    header = "".join(f"<th>{h}</th>" for h in EPPGBM_HEADER)
    body = "".join(f"<td>{c}</td>" for c in _row(Nama="&a8;"))
    path = tmp_path / "eppgbm.xls"
    path.write_text(f"{bomb}<html><table><tr>{header}</tr><tr>{body}</tr></table></html>", encoding="utf-8")
    assert _names(path) == ["&a8;"]


def test_huge_colspans_in_html_stay_within_the_widest_sheet_read(tmp_path):
    header = "".join(f"<th>{h}</th>" for h in EPPGBM_HEADER) + "<th colspan='1000000'>x</th>" * 50
    body = "".join(f"<td>{c}</td>" for c in _row(Nama="Ani")) + "<td colspan='999999'></td>"
    path = tmp_path / "eppgbm.xls"
    path.write_text(f"<table><tr>{header}</tr>" + f"<tr>{body}</tr>" * 200 + "</table>", encoding="utf-8")
    table = read_register_file(path, KEYS)
    assert len(table.frame) == 200 and table.frame["Nama"].eq("Ani").all()
    assert len(table.frame.columns) <= 256 + 3  # MAX_COLUMNS and the reader's own columns


def test_excel_2003_xml_skips_cells_by_index(tmp_path):
    def cell(text: object, index: int | None = None) -> str:
        where = f' ss:Index="{index}"' if index else ""
        return f'<Cell{where}><Data ss:Type="String">{text}</Data></Cell>'

    values = _row(Nama="Ani")
    header_row = "<Row>" + "".join(cell(h) for h in EPPGBM_HEADER) + "</Row>"
    # NIK left out: the name cell says where it stands
    data_row = "<Row>" + cell(values[1], 2) + "".join(cell(v) for v in values[2:]) + "</Row>"
    xml = (
        '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data"><Table>'
        f"{header_row}{data_row}</Table></Worksheet></Workbook>"
    )
    path = tmp_path / "eppgbm.xls"
    path.write_text(xml, encoding="utf-8")
    table = read_register_file(path, KEYS)
    assert table.frame["Nama"].tolist() == ["Ani"]
    assert table.frame["NIK"].isna().all()
    assert table.frame["JK"].tolist() == ["P"]


def test_tab_separated_text_named_xls_is_read_as_csv(tmp_path):
    path = tmp_path / "eppgbm.xls"
    path.write_text(_csv_text(EPPGBM_HEADER, [_row(Nama="Ani")], sep="\t"), encoding="cp1252")
    table = read_register_file(path, KEYS)
    assert table.frame["Nama"].tolist() == ["Ani"]
    assert "isinya teks CSV walau bernama .xls" in table.notes[0]


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path):
    path = _workbook(tmp_path / "eppgbm.csv", [("Data", [EPPGBM_HEADER, _row(Nama="Ani")], False)])
    table = read_register_file(path, KEYS)
    assert table.frame["Nama"].tolist() == ["Ani"]
    assert "isinya workbook Excel walau bernama .csv" in table.notes[0]


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_unicode_text_with_or_without_a_byte_order_mark(tmp_path, encoding, mark):
    path = tmp_path / "eppgbm.csv"
    text = _csv_text(EPPGBM_HEADER, [_row(Nama="Désirée Nur’aini")], sep="\t")
    path.write_bytes(mark + text.encode(encoding))
    assert _names(path) == ["Désirée Nur’aini"]


def test_a_stray_cp1252_byte_in_a_utf8_file_with_bom_costs_only_that_character(tmp_path):
    path = tmp_path / "eppgbm.csv"
    text = _csv_text(EPPGBM_HEADER, [_row(Nama="Ani"), _row(Nama="Budi")])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8").replace(b"Budi", b"Bud\xe9"))
    assert _names(path) == ["Ani", "Bud\ufffd"]


# ---- header variants --------------------------------------------------------------------

ENGLISH = {
    "Nama": "Child Name",
    "JK": "Sex",
    "Tgl Lahir": "Date of Birth",
    "Kec": "Subdistrict",
    "Pukesmas": "Health Center",
    "Desa/Kel": "Village",
    "Tanggal Pengukuran": "Measurement Date",
    "Berat": "Weight (kg)",
    "Tinggi": "Height (cm)",
    "LiLA": "MUAC",
}


# A form typed by hand: spelled-out names with notes in brackets
FORM = {
    "JK": "Jenis Kelamin (L/P)",
    "Tgl Lahir": "Tanggal Lahir (dd/mm/yyyy)",
    "Berat": "Berat Badan (kg)",
    "Tinggi": "TB/PB (cm)",
    "Tanggal Pengukuran": "Tanggal Pengukuran (dd/mm/yyyy)",
}


@pytest.mark.parametrize(
    "rename",
    [
        lambda h: ENGLISH.get(h, h),
        lambda h: h.upper().replace(" ", "_"),  # TGL_LAHIR, as database dumps write it
        lambda h: h.replace("Tgl ", "Tgl. ") + ("*" if h in {"JK", "Kec"} else ""),  # "Tgl. Lahir", "JK*"
        lambda h: FORM.get(h, h),
    ],
    ids=["english", "upper_snake", "dots_and_asterisks", "form_notes_in_brackets"],
)
def test_header_variants_give_the_same_values(tmp_path, rename):
    path = tmp_path / "eppgbm.csv"
    path.write_text(_csv_text([rename(h) for h in EPPGBM_HEADER], [_row()]), encoding="utf-8")
    result = validate_table(EPPGBM, read_register_file(path, KEYS), RegionMatcher(), TODAY)
    assert result.rejections.empty, result.rejections.to_string()
    row = result.accepted.iloc[0]
    assert row["sex"] == 2  # P
    assert (row["birth_date"].date(), row["measured_on"].date()) == (date(2023, 5, 15), date(2025, 10, 15))
    assert (row["weight_kg"], row["height_cm"]) == (11.2, 86.4)


# ---- formula text -----------------------------------------------------------------------


def test_a_dash_formula_with_numbers_first_is_not_loaded(tmp_path):
    payloads = ["-2+3+cmd|' /C calc'!A0", "-1+1", "-5", "- Melati -"]
    path = tmp_path / "eppgbm.csv"
    path.write_text(_csv_text(EPPGBM_HEADER, [_row(Posyandu=p) for p in payloads]), encoding="utf-8")
    result = validate_table(EPPGBM, read_register_file(path, KEYS), RegionMatcher(), TODAY)
    assert result.accepted["posyandu_name"].tolist()[2:] == ["-5", "- Melati -"]
    assert result.accepted["posyandu_name"].iloc[:2].isna().all()
    reasons = result.rejections.set_index("row_number")["reason"]
    assert reasons.loc[[2, 3]].str.contains("rumus spreadsheet").all()


# ---- empty rows ---------------------------------------------------------------------------


@pytest.mark.parametrize("empty_line", [";" * 37, " ; " * 37, "", "\t"], ids=["separators", "spaced", "blank", "tab"])
def test_a_csv_with_many_empty_lines_keeps_the_row_numbers_of_its_data(tmp_path, empty_line):
    """Excel writes ";;;;" for every formatted but empty row of a sheet saved as CSV."""
    rows = _csv_text(EPPGBM_HEADER, [_row(Nama="Ani")]).splitlines()
    lines = [*rows, *[empty_line] * 20_000, _csv_text(EPPGBM_HEADER, [_row(Nama="Budi")]).splitlines()[1]]
    path = tmp_path / "eppgbm.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    table = read_register_file(path, KEYS)
    assert list(zip(table.frame["Nama"], table.frame[ROW_COLUMN], strict=True)) == [("Ani", 2), ("Budi", 20_003)]


# ---- files the folder holds besides registers ------------------------------------------------


def test_a_locked_file_says_to_close_it(tmp_path, monkeypatch):
    """Windows refuses to read a workbook Excel has open (PermissionError, whoever runs)."""
    path = _workbook(tmp_path / "eppgbm.xlsx", [("Data", [EPPGBM_HEADER, _row()], False)])

    def locked(*args, **kwargs):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(
        ReadError, match=r"^eppgbm\.xlsx: file tidak bisa dibuka \(izin ditolak, atau file sedang dibuka"
    ):
        read_register_file(path, KEYS)


def test_excel_owner_files_and_macos_forks_are_not_taken_for_registers(tmp_path):
    from etl.build import discover_files

    (tmp_path / "eppgbm").mkdir()
    _workbook(tmp_path / "eppgbm" / "oktober.xlsx", [("Data", [EPPGBM_HEADER, _row()], False)])
    (tmp_path / "eppgbm" / "~$oktober.xlsx").write_bytes(b"\x05user" + b"\x00" * 160)
    (tmp_path / "._kader.csv").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    found = discover_files(tmp_path)
    assert [p.name for p in found["eppgbm"]] == ["oktober.xlsx"]
    assert found["kader"] == []


def test_title_note_and_total_rows_around_the_table_get_one_message_each(tmp_path):
    lines = [
        ["DATA PENGUKURAN BALITA"],
        ["Periode: Oktober 2025"],
        [],
        EPPGBM_HEADER,
        _row(),
        _row(NIK="6402065505230002"),
    ]
    lines += [["Jumlah", "", "", "", "2"], ["Dicetak pada 01/11/2025 oleh admin"]]
    path = tmp_path / "eppgbm.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = validate_table(EPPGBM, read_register_file(path, KEYS), RegionMatcher(), TODAY)
    assert len(result.accepted) == 2 and result.rows_read == 4
    messages = result.rejections[["row_number", "column_name", "value", "action"]].to_numpy().tolist()
    assert messages == [[7, "(baris)", "", "ditolak"], [8, "(baris)", "", "ditolak"]]
    assert set(result.rejections["reason"]) == {NOT_DATA_ROW}


def test_a_kecamatan_merged_down_beside_its_rows_is_read_on_every_row(tmp_path):
    """A master typed by hand: the kecamatan once, merged over its posyandu."""
    path = tmp_path / "posyandu.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, ["ID Posyandu", "Nama Posyandu", "Kecamatan", "Desa/Kelurahan"])
    sheet.merge_range(1, 2, 3, 2, "Tenggarong")  # C2:C4
    sheet.merge_range(4, 2, 5, 2, "Loa Kulu")  # C5:C6
    for r, (pid, name, desa) in enumerate(
        [("P1", "Melati", "Loa Ipuh"), ("P2", "Mawar", "Loa Ipuh"), ("P3", "Kenanga", "Sukarame"),
         ("P4", "Anggrek", "Loa Kulu Kota"), ("P5", "Dahlia", "Jembayan")],
        start=1,
    ):  # fmt: skip
        sheet.write_row(r, 0, [pid, name])
        sheet.write(r, 3, desa)
    sheet.write_row(6, 0, ["P6", "Teratai", None, "Loa Ipuh"])  # not merged: stays empty
    workbook.close()
    table = read_register_file(path, {"ID Posyandu"})
    assert table.frame["Kecamatan"].iloc[:5].tolist() == ["Tenggarong"] * 3 + ["Loa Kulu"] * 2
    assert table.frame["Kecamatan"].isna().iloc[5]
