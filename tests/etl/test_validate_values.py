"""etl/validate.py value by value: what each kind of cell becomes, and the Bahasa reason the
user reads in the rejection list when it cannot be used. Tables are built as the reader
returns them (text cells, missing cells as NA, the file row in `_row`), so each case is one
cell and its expected outcome, written by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.extract.reader import RAGGED_COLUMN, ROW_COLUMN, ROW_PROBLEM_COLUMN, RawTable
from etl.regions import RegionMatcher
from etl.registers import DESA_INDEX, EPPGBM, KADER, MONTHLY_REPORT, POSYANDU, SPM_SERVICE, Register
from etl.validate import BLANKED, MASKED_VALUE, NIK_MASK, REJECTED, ValidationResult, mask_echoes, validate_table

TODAY = date(2025, 10, 31)


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher()


def _validate(register: Register, columns: dict[str, list], matcher: RegionMatcher, **extra: list) -> ValidationResult:
    frame = pd.DataFrame({h: pd.Series(v, dtype="string") for h, v in columns.items()})
    n = len(frame)
    frame[ROW_COLUMN] = range(2, n + 2)  # row 1 is the header
    frame[ROW_PROBLEM_COLUMN] = pd.Series([None] * n, dtype="string")
    frame[RAGGED_COLUMN] = 0
    for name, values in extra.items():
        frame[name] = values
    return validate_table(register, RawTable(Path("uji.csv"), frame, header_row=1), matcher, TODAY)


def _posyandu(matcher: RegionMatcher, **cells: list) -> ValidationResult:
    """Master posyandu rows, one per value of the given columns, other columns filled validly."""
    n = len(next(iter(cells.values())))
    columns = {
        "ID Posyandu": [f"P{i}" for i in range(n)],
        "Nama Posyandu": ["Melati"] * n,
        "Kecamatan": ["Tenggarong"] * n,
        "Desa/Kelurahan": ["Loa Ipuh"] * n,
        **cells,
    }
    return _validate(POSYANDU, columns, matcher)


def _monthly(matcher: RegionMatcher, **cells: list) -> ValidationResult:
    """Laporan bulanan rows: one per value of the given columns, other columns filled validly."""
    n = len(next(iter(cells.values())))
    columns = {"ID Posyandu": [f"P{i}" for i in range(n)], "Bulan": ["2025-10"] * n, **cells}
    return _validate(MONTHLY_REPORT, columns, matcher)


def _reasons(result: ValidationResult, column: str) -> dict[int, str]:
    """file row → reason, for the rejections of one column."""
    part = result.rejections[result.rejections["column_name"] == column]
    return dict(zip(part["row_number"], part["reason"], strict=True))


# ---- numbers -------------------------------------------------------------------------------


def test_int_range_is_inclusive_and_fractions_are_refused(matcher):
    result = _monthly(matcher, **{"Hari Buka": ["0", "31", "32", "-1", "2,5", "4,0", "lima", None]})
    assert result.accepted["days_open"].tolist() == [0, 31, pd.NA, pd.NA, pd.NA, 4, pd.NA, pd.NA]
    assert _reasons(result, "Hari Buka") == {
        4: "di luar rentang wajar (0–31)",
        5: "di luar rentang wajar (0–31)",
        6: "harus bilangan bulat",
        8: "bukan angka",
    }
    # an optional value is blanked and the row kept
    assert len(result.accepted) == 8
    assert set(result.rejections["action"]) == {BLANKED}


def test_decimal_commas_thousand_dots_and_range_with_decimal_limits(matcher):
    result = _posyandu(
        matcher,
        Latitude=["-0,5", "-2", "1,5", "1,6", "-2,1", "0.25"],
        Longitude=["116,9", "115", "118", "114,9", "1.116,5", "117"],
    )
    lat = result.accepted["lat"].tolist()
    lon = result.accepted["lon"].tolist()
    assert lat[:3] == [-0.5, -2.0, 1.5] and pd.isna(lat[3]) and pd.isna(lat[4]) and lat[5] == 0.25
    assert lon[:3] == [116.9, 115.0, 118.0] and pd.isna(lon[3]) and pd.isna(lon[4]) and lon[5] == 117.0
    assert _reasons(result, "Latitude") == {5: "di luar rentang wajar (-2–1,5)", 6: "di luar rentang wajar (-2–1,5)"}
    assert _reasons(result, "Longitude") == {5: "di luar rentang wajar (115–118)", 6: "di luar rentang wajar (115–118)"}


def test_fill_codes_are_named_as_codes_not_as_out_of_range(matcher):
    rows = ["12,5", "999", "0", "8888", "4,9", "30", "30,1", "5"]
    result = _eppgbm(matcher, **{"LiLA": rows})
    muac = result.accepted["muac_cm"]
    assert muac[[0, 5, 7]].tolist() == [12.5, 30.0, 5.0]
    assert muac[[1, 2, 3, 4, 6]].isna().all()
    assert _reasons(result, "LiLA") == {
        3: "nilai 999 adalah kode isian, bukan hasil ukur",
        4: "nilai 0 adalah kode isian, bukan hasil ukur",
        5: "nilai 8888 adalah kode isian, bukan hasil ukur",
        6: "di luar rentang wajar (5–30)",
        8: "di luar rentang wajar (5–30)",
    }


def test_a_required_value_with_only_a_minimum_rejects_the_row(matcher):
    n = 4
    result = _validate(
        SPM_SERVICE,
        {
            "ID Posyandu": ["P1", "P2", "P3", "P4"],
            "Bulan": ["2025-10"] * n,
            "Bidang SPM": ["KES"] * n,
            "Indikator": ["Balita ditimbang"] * n,
            "Nilai": ["0", "-0,5", "1.234,5", None],
        },
        matcher,
    )
    assert result.accepted["posyandu_id"].tolist() == ["P1", "P3"]
    assert result.accepted["value"].tolist() == [0.0, 1234.5]
    assert _reasons(result, "Nilai") == {3: "di luar rentang wajar (0–…)", 5: "'Nilai' kosong"}
    assert set(result.rejections["action"]) == {REJECTED}


def test_year_between_2000_and_2100(matcher):
    n = 5
    result = _validate(
        DESA_INDEX,
        {
            "Kecamatan": ["Tenggarong"] * n,
            "Desa/Kelurahan": ["Loa Ipuh"] * n,
            "Indeks": ["IDM"] * n,
            "Tahun": ["2000", "2100", "1999", "2101", "dua ribu"],
            "Nilai": ["50"] * n,
        },
        matcher,
    )
    assert result.accepted["year"].tolist() == [2000, 2100]
    assert str(result.accepted["year"].dtype) == "Int64"  # whole years, not 2000.0
    assert _reasons(result, "Tahun") == {4: "tahun tidak sah", 5: "tahun tidak sah", 6: "tahun tidak sah"}


def test_index_value_range_is_0_to_100(matcher):
    n = 4
    result = _validate(
        DESA_INDEX,
        {
            "Kecamatan": ["Tenggarong"] * n,
            "Desa/Kelurahan": ["Loa Ipuh"] * n,
            "Indeks": ["idm", "Indeks Desa", "IDM", "IDM"],
            "Tahun": ["2024"] * n,
            "Nilai": ["0", "100", "100,5", "-1"],
        },
        matcher,
    )
    assert result.accepted["value"].tolist() == [0.0, 100.0]
    assert result.accepted["index_name"].tolist() == ["IDM", "Indeks Desa"]  # case of the register, not of the file
    assert result.accepted["kode_kec"].tolist() == ["64.02.06"] * 2
    assert _reasons(result, "Nilai") == {4: "di luar rentang wajar (0–100)", 5: "di luar rentang wajar (0–100)"}


# ---- dates and months ----------------------------------------------------------------------


def _eppgbm(matcher: RegionMatcher, **cells: list) -> ValidationResult:
    n = len(next(iter(cells.values())))
    base = {
        "NIK": [f"64020655052300{i:02d}" for i in range(n)],
        "JK": ["P"] * n,
        "Tgl Lahir": ["15/05/2023"] * n,
        "Kec": ["TENGGARONG"] * n,
        "Desa/Kel": ["LOA IPUH"] * n,
        "Tanggal Pengukuran": ["15/10/2025"] * n,
        "Berat": ["11,2"] * n,
        "Tinggi": ["86,4"] * n,
    }
    return _validate(EPPGBM, {**base, **cells}, matcher)


def _days(series: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else v.date() for v in series]


def test_date_forms_users_type(matcher):
    measured = [
        "03/04/2025",  # day first
        "2025-04-03",
        "03-04-2025",
        "03.04.2025",
        "03/04/25",
        "45750",  # Excel serial of 3 April 2025
        "45750,75",  # a serial with a time of day (comma decimals): the calendar day
        "3 April 2025",
        "3-Apr-2025",
        "3 Agustus 2025",
        "03/04/2025 14.30",
        "2025-04-03T08:00:00+08:00",
    ]
    result = _eppgbm(matcher, **{"Tanggal Pengukuran": measured})
    april = date(2025, 4, 3)
    assert _days(result.accepted["measured_on"]) == [april] * 9 + [date(2025, 8, 3), april, april]
    assert result.rejections.empty


def test_dates_that_cannot_be_used_are_named(matcher):
    measured = [
        "31/10/2025",  # today: fine
        "01/11/2025",  # tomorrow
        "01/01/1950",  # the first day allowed
        "31/12/1949",
        "kemarin",
        "31 Februari 2025",
        "3 Brumaire 2025",
        "20000",  # serials outside 1954–2119 are not dates
        "80000",
        "3 4 2025",
    ]
    result = _eppgbm(matcher, **{"Tanggal Pengukuran": measured, "Tgl Lahir": ["01/01/1950"] * len(measured)})
    assert _days(result.accepted["measured_on"]) == [date(2025, 10, 31), date(1950, 1, 1)]
    unknown = "tanggal tidak dikenali (pakai DD/MM/YYYY)"
    assert _reasons(result, "Tanggal Pengukuran") == {
        3: "tanggal di masa depan",
        5: "tanggal sebelum 1950",
        6: unknown,
        7: unknown,
        8: unknown,
        9: unknown,
        10: unknown,
        11: unknown,
    }
    # the measurement date is required: each of those rows is left out, its date shown
    refused = result.rejections[result.rejections["column_name"] == "Tanggal Pengukuran"]
    assert set(refused["action"]) == {REJECTED}
    assert refused["value"].tolist() == measured[1:2] + measured[3:]


def test_excel_serial_limits(matcher):
    result = _eppgbm(
        matcher,
        **{
            "Tgl Lahir": ["20001", "20000", "15/05/2023", "15/05/2023"],
            "Tanggal Pengukuran": ["15/10/2025", "15/10/2025", "79999", "80000"],
        },
    )
    # 20001 is 4 October 1954; 79999 is 10 January 2119: a date, but in the future
    assert _days(result.accepted["birth_date"]) == [date(1954, 10, 4)]
    assert _reasons(result, "Tgl Lahir") == {3: "tanggal tidak dikenali (pakai DD/MM/YYYY)"}
    assert _reasons(result, "Tanggal Pengukuran") == {
        4: "tanggal di masa depan",
        5: "tanggal tidak dikenali (pakai DD/MM/YYYY)",
    }


def test_month_forms_all_give_the_first_of_the_month(matcher):
    forms = [
        "2025-10",
        "10/2025",
        "2025/10",
        "15/10/2025",
        "2025-10-15",
        "2025-10-15 00:00:00",
        "Oktober 2025",
        "okt-2025",
        "Nop 2025",
        "Foo 2025",
        "bulan lalu",
    ]
    result = _monthly(matcher, Bulan=forms)
    october = date(2025, 10, 1)
    assert _days(result.accepted["month"]) == [october] * 8 + [date(2025, 11, 1)]
    assert _reasons(result, "Bulan") == {
        11: "bulan tidak dikenali (pakai YYYY-MM)",
        12: "bulan tidak dikenali (pakai YYYY-MM)",
    }


# ---- codes ---------------------------------------------------------------------------------


def test_sex_and_measuring_position_codes(matcher):
    sexes = ["L", "laki-laki", "Laki Laki", "LK", "1", "M", "P", "perempuan", "PR", "2", "F", "W"]
    measures = ["Berdiri", "terlentang", "Telentang", "berbaring", "H", "l", "duduk", None, "H", "L", "H", "L"]
    result = _eppgbm(matcher, JK=sexes, **{"Cara Ukur": measures})
    assert result.accepted["sex"].tolist() == [1] * 6 + [2] * 5
    assert result.accepted["measure"].tolist()[:6] == ["H", "L", "L", "L", "H", "L"]
    assert pd.isna(result.accepted["measure"].iloc[6]) and pd.isna(result.accepted["measure"].iloc[7])
    assert _reasons(result, "JK") == {13: "jenis kelamin harus L atau P"}
    assert _reasons(result, "Cara Ukur") == {8: "cara ukur harus Berdiri atau Terlentang"}


def test_enum_is_matched_without_case_and_the_choices_are_listed(matcher):
    result = _validate(
        KADER,
        {"ID Kader": ["K1", "K2", "K3"], "ID Posyandu": ["P1"] * 3, "Peran": ["ketua", " ANGGOTA ", "Raja"]},
        matcher,
    )
    assert result.accepted["role"].tolist()[:2] == ["Ketua", "Anggota"]
    assert _reasons(result, "Peran") == {4: "harus salah satu dari: Ketua, Sekretaris, Bendahara, Anggota"}


def test_spm_fields_list_is_split_ordered_and_deduplicated(matcher):
    result = _posyandu(matcher, **{"Bidang SPM": ["sos; kes / PEND|kes", "KES,XYZ abc", None, "TRANTIB"]})
    fields = result.accepted["spm_fields"].tolist()
    assert fields[0] == ["KES", "PEND", "SOS"]
    assert pd.isna(fields[1]) and pd.isna(fields[2]) and fields[3] == ["TRANTIB"]
    assert _reasons(result, "Bidang SPM") == {
        3: "bidang SPM tidak dikenal: XYZ, ABC (pakai KES, PEND, PU, PERKIM, TRANTIB, SOS)"
    }


def test_ids_are_plain_codes_up_to_40_characters(matcher):
    ids = ["A-1/2.b_c", "X" * 40, "X" * 41, "P 1", "P#1"]
    result = _validate(KADER, {"ID Kader": ids, "ID Posyandu": ["P1"] * 5}, matcher)
    assert result.accepted["kader_id"].tolist() == ids[:2]
    reason = "kode tidak sah (hanya huruf, angka, titik, garis; maks. 40 karakter)"
    assert _reasons(result, "ID Kader") == {4: reason, 5: reason, 6: reason}


# ---- text ----------------------------------------------------------------------------------


def test_formula_text_is_not_loaded_but_dashes_and_numbers_are(matcher):
    names = ["=SUM(A1)", "+62", "@nama", "-x", "-5", "- Melati -", "Melati", "-", "-.5", "-,5"]
    result = _posyandu(matcher, **{"Nama Posyandu": names})
    assert result.accepted["posyandu_name"].tolist() == ["-5", "- Melati -", "Melati", "-", "-.5", "-,5"]
    formula = "teks diawali =, +, - atau @ seperti rumus spreadsheet; tidak dimuat"
    assert _reasons(result, "Nama Posyandu") == {2: formula, 3: formula, 4: formula, 5: formula}


def test_text_length_limit_and_an_nik_typed_into_a_name(matcher):
    names = ["M" * 200, "M" * 201, "Posyandu 6402065505230001", "Melati 6402 0655 0523 0001"]
    sk = ["SK 6402065505230001"] * 4  # a registration number may hold a long number
    result = _posyandu(matcher, **{"Nama Posyandu": names, "No SK Pembentukan": sk})
    assert result.accepted["posyandu_id"].tolist() == ["P0"]
    assert result.accepted["sk_number"].tolist() == ["SK 6402065505230001"]
    nik = "berisi angka seperti NIK (data pribadi); dikosongkan"
    assert _reasons(result, "Nama Posyandu") == {
        3: "teks terlalu panjang (lebih dari 200 karakter)",
        4: nik,
        5: nik,
    }
    shown = result.rejections.set_index("row_number")["value"]
    assert len(shown[3]) == 120  # a long value is quoted, cut to 120 characters


def test_nik_is_cleaned_and_unusable_ones_fall_back_without_rejecting_the_child(matcher):
    niks = ["6402 0655.0523'0001", "123", "0000000000000000", None]
    result = _eppgbm(matcher, NIK=niks)
    assert len(result.accepted) == 4  # the child is keyed on name, birth date and sex instead
    assert result.accepted["nik"].tolist()[0] == "6402065505230001"
    assert result.accepted["nik"].iloc[1:].isna().all()
    fallback = "; anak dikenali dari nama, tanggal lahir dan jenis kelamin"
    assert _reasons(result, "NIK") == {
        3: "NIK bukan 16 angka" + fallback,
        4: "NIK dummy atau tidak mungkin (mis. 0000…, 1234…)" + fallback,
    }
    assert set(result.rejections["value"]) == {MASKED_VALUE}
    assert set(result.rejections["action"]) == {BLANKED}


def test_mask_echoes_hides_nik_like_numbers_in_values_and_reasons():
    rejections = pd.DataFrame(
        {
            "value": ["6402-0655-0523-0001", "Melati", None],
            "reason": ["x 6402065505230001 y", "baik", None],
        }
    )
    masked = mask_echoes(rejections)
    assert masked["value"].tolist() == [MASKED_VALUE, "Melati", ""]
    assert masked["reason"].tolist() == [f"x {NIK_MASK} y", "baik", ""]
    assert mask_echoes(rejections.iloc[0:0]).empty


# ---- areas ---------------------------------------------------------------------------------


def test_area_names_matched_and_unknown_ones_not_quoted(matcher):
    result = _eppgbm(
        matcher,
        Kec=["TENGGARONG", "Tengarong", "Siti Aminah", "T" * 201, "TENGGARONG"],
        **{"Desa/Kel": ["LOA IPUH", "Loa Ipuh", "LOA IPUH", "LOA IPUH", "PERIAN"]},
    )
    assert result.accepted["kode_kec"].tolist() == ["64.02.06", "64.02.06"]
    kec = _reasons(result, "Kec")
    assert (
        kec[4] == "Kecamatan tidak dikenal di Kutai Kartanegara (isi sel disamarkan: bukan nama wilayah yang dikenal)"
    )
    assert kec[5] == "teks terlalu panjang (lebih dari 200 karakter)"
    shown = result.rejections[result.rejections["column_name"] == "Kec"].set_index("row_number")["value"]
    assert shown[4] == MASKED_VALUE  # perhaps a person's name: never quoted
    desa = _reasons(result, "Desa/Kel")
    assert desa[6] == (
        "Desa/kelurahan 'PERIAN' tidak ada di Kecamatan Tenggarong; nama ini ada di "
        "Kec. Muara Muntai (64.02.01.2001) (periksa kolom kecamatan)"
    )
    desa_shown = result.rejections[result.rejections["column_name"] == "Desa/Kel"].set_index("row_number")["value"]
    assert desa_shown[6] == "PERIAN"  # quoted because the reason names it


# ---- the file as a whole -------------------------------------------------------------------


def test_required_value_missing_rejects_the_row_optional_one_blanks_it(matcher):
    result = _validate(
        KADER, {"ID Kader": ["K1", None], "ID Posyandu": ["P1", "P1"], "Peran": [None, "Ketua"]}, matcher
    )
    assert result.accepted["kader_id"].tolist() == ["K1"]
    assert result.rejections[["row_number", "column_name", "reason", "action"]].values.tolist() == [
        [3, "ID Kader", "'ID Kader' kosong", REJECTED]
    ]
    assert result.rows_read == 2


def test_missing_required_columns_reject_the_file_with_typed_empty_rows(matcher):
    result = _validate(MONTHLY_REPORT, {"Hari Buka": ["3"]}, matcher)
    assert result.accepted.empty
    assert str(result.accepted["month"].dtype) == "datetime64[ns]"
    assert str(result.accepted["days_open"].dtype) == "Int64"
    assert result.rejections[["row_number", "column_name", "reason"]].values.tolist() == [
        [1, "ID Posyandu", "kolom wajib 'ID Posyandu' tidak ada di baris judul"],
        [1, "Bulan", "kolom wajib 'Bulan' tidak ada di baris judul"],
    ]


def test_a_header_without_rows_is_reported(matcher):
    result = _validate(KADER, {"ID Kader": [], "ID Posyandu": []}, matcher)
    assert result.rejections["reason"].tolist() == ["tidak ada baris data di bawah baris judul"]
    assert result.rows_read == 0


def test_repeated_unknown_and_absent_columns(matcher):
    unknown = {f"Kolom {i}": ["x"] for i in range(13)}
    result = _validate(
        KADER,
        {"ID Kader": ["K1"], "ID Posyandu": ["P1"], "Peran": ["Ketua"], "Peran [2]": ["Raja"], **unknown},
        matcher,
    )
    assert result.accepted["role"].tolist() == ["Ketua"]
    assert result.rejections[["row_number", "column_name", "reason", "action"]].values.tolist() == [
        [
            1,
            "Peran",
            "kolom 'Peran' muncul lebih dari sekali: yang dibaca kolom ke-3 ('Peran'), kolom ke-4 diabaikan",
            BLANKED,
        ]
    ]
    listed = ", ".join(f"kolom {i}" for i in range(12)).replace("kolom", "Kolom")
    assert result.notes == [
        f"uji.csv: kolom tidak dikenal, diabaikan: {listed} (dan 1 lainnya)",
        "uji.csv: kolom tidak ada (dibiarkan kosong): Bidang SPM, Mulai Aktif, Berhenti Aktif",
    ]


def test_twelve_unknown_columns_are_all_named(matcher):
    unknown = {f"Kolom {i}": ["x"] for i in range(12)}
    result = _validate(
        KADER,
        {"ID Kader": ["K1"], "ID Posyandu": ["P1"], "Peran": ["Ketua"], "Bidang SPM": ["KES"], **unknown},
        matcher,
        **{"Mulai Aktif": [None], "Berhenti Aktif": [None]},
    )
    assert result.notes[0].endswith("Kolom 11")
    assert len(result.notes) == 1


def test_ragged_and_refused_rows_get_one_message_each(matcher):
    result = _validate(
        KADER,
        {"ID Kader": ["K1", "K2", "K3", "K 4"], "ID Posyandu": ["P1", "Siti", "P3", "P4"]},
        matcher,
        **{
            RAGGED_COLUMN: [0, 2, 0, 0],
            ROW_PROBLEM_COLUMN: pd.Series([None, None, "sel terlalu panjang", None], dtype="string"),
        },
    )
    assert result.accepted["kader_id"].tolist() == ["K1"]
    assert result.rejections[["row_number", "column_name", "reason", "action"]].values.tolist() == [
        [3, "(baris)", "jumlah sel lebih banyak dari jumlah kolom judul", REJECTED],
        [4, "(baris)", "sel terlalu panjang", REJECTED],
        [5, "ID Kader", "kode tidak sah (hanya huruf, angka, titik, garis; maks. 40 karakter)", REJECTED],
    ]
    assert result.rejections["file"].unique().tolist() == ["uji.csv"]
    assert result.rejections["register"].unique().tolist() == ["kader"]


# ---- edges found by `make mutants` -----------------------------------------------------------


def test_english_month_names_in_text_dates(matcher):
    typed = ["5 October 2024", "5 Oct 2024", "5 Dec 2024", "5 May 2025", "5 Nowember 2024"]
    result = _eppgbm(matcher, **{"Tanggal Pengukuran": typed})
    assert _days(result.accepted["measured_on"]) == [
        date(2024, 10, 5),
        date(2024, 10, 5),
        date(2024, 12, 5),
        date(2025, 5, 5),
    ]
    # a misspelt month is not read as any month (not as "now")
    assert _reasons(result, "Tanggal Pengukuran") == {6: "tanggal tidak dikenali (pakai DD/MM/YYYY)"}


def test_a_day_first_date_in_a_month_column_gives_its_month(matcher):
    # 5 October, typed day first: the month is October, never May
    alone = _monthly(matcher, Bulan=["05/10/2025"])
    assert _days(alone.accepted["month"]) == [date(2025, 10, 1)]
    # the first cell's form does not decide how the others are read
    mixed = _monthly(matcher, Bulan=["09/2025", "05/10/2025", "2025-08"])
    assert _days(mixed.accepted["month"]) == [date(2025, 9, 1), date(2025, 10, 1), date(2025, 8, 1)]


def test_spm_fields_follow_the_register_order_not_the_alphabet(matcher):
    result = _posyandu(matcher, **{"Bidang SPM": [None, "PU PERKIM", None, "sos pend"]})
    fields = result.accepted["spm_fields"].tolist()
    assert pd.isna(fields[0]) and pd.isna(fields[2])
    assert fields[1] == ["PU", "PERKIM"] and fields[3] == ["PEND", "SOS"]


def _dtype_family(dtype) -> str:
    return type(dtype).__name__ if isinstance(dtype, pd.api.extensions.ExtensionDtype) else dtype.kind


@pytest.mark.parametrize("register", [POSYANDU, MONTHLY_REPORT, EPPGBM])
def test_a_file_without_its_required_columns_gives_rows_typed_as_accepted_rows(matcher, register):
    # concatenated with another file's rows, an empty result must not turn dates or codes into objects
    full = {
        POSYANDU.name: lambda: _posyandu(matcher, **{"Bidang SPM": ["KES"]}),
        MONTHLY_REPORT.name: lambda: _monthly(matcher, Bulan=["2025-10"]),
        EPPGBM.name: lambda: _eppgbm(matcher, JK=["P"], **{"Cara Ukur": ["Berdiri"]}),
    }[register.name]()
    empty = _validate(register, {"Kolom Lain": ["x"]}, matcher).accepted
    assert empty.empty
    assert {c: _dtype_family(d) for c, d in empty.dtypes.items()} == {
        c: _dtype_family(d) for c, d in full.accepted.dtypes.items()
    }


def test_desa_names_near_a_real_one_are_quoted_with_the_candidates(matcher):
    long_name = "Mangkura" + " -" * 30  # 68 characters; reads as "Mangkura"
    result = _posyandu(
        matcher,
        Kecamatan=["Tenggarong"] * 5,
        **{"Desa/Kelurahan": ["Mangkura", "Loa Ipuh Da", "Sumbersari", long_name, "Loa Ipuh"]},
    )
    assert result.accepted["kode_kec"].tolist() == ["64.02.06"]
    assert result.accepted["kode_desa"].tolist() == ["64.02.06.1002"]
    mangkurawang = "Mangkurawang, Kec. Tenggarong (64.02.06.1010)"
    assert _reasons(result, "Desa/Kelurahan") == {
        2: f"Desa/kelurahan 'Mangkura' tidak dikenal di Kutai Kartanegara; mungkin maksudnya {mangkurawang}",
        3: "Desa/kelurahan 'Loa Ipuh Da' ambigu: bisa Loa Ipuh, Kec. Tenggarong (64.02.06.1002) atau "
        "Loa Ipuh Darat, Kec. Tenggarong (64.02.06.1013)",
        4: "Desa/kelurahan 'Sumbersari' tidak ada di Kecamatan Tenggarong; nama ini ada di "
        "Kec. Loa Kulu (64.02.02.2014) dan Kec. Sebulu (64.02.07.2007) dan "
        "Kec. Kota Bangun Darat (64.02.19.2007) (periksa kolom kecamatan)",
        # a long cell is quoted up to 60 characters
        5: f"Desa/kelurahan '{long_name[:60]}…' tidak dikenal di Kutai Kartanegara; mungkin maksudnya {mangkurawang}",
    }


def test_area_names_of_exactly_the_length_limit_are_matched_not_refused_as_too_long(matcher):
    result = _posyandu(
        matcher,
        Kecamatan=["Tenggarong", "K" * 200, "Tenggarong"],
        **{"Desa/Kelurahan": ["D" * 200, "Loa Ipuh", "D" * 201]},
    )
    unknown = "tidak dikenal di Kutai Kartanegara (isi sel disamarkan: bukan nama wilayah yang dikenal)"
    assert _reasons(result, "Kecamatan") == {3: f"Kecamatan {unknown}"}
    assert _reasons(result, "Desa/Kelurahan") == {
        2: f"Desa/kelurahan {unknown}",
        4: "teks terlalu panjang (lebih dari 200 karakter)",
    }


def test_empty_optional_cells_are_not_reported(matcher):
    result = _eppgbm(
        matcher,
        NIK=[None, None],
        Nama=[None, "A" * 250],
        **{"Nama Ortu": [None, None], "Pukesmas": [None, None], "Posyandu": [None, None], "Alamat": [None, None]},
    )
    assert len(result.accepted) == 2
    assert result.rejections.empty
    # a personal value is kept only for the pseudonym and cut to the text limit, from its start
    assert result.accepted["child_name"].tolist()[1] == "A" * 200


def test_a_missing_desa_is_named_missing_and_does_not_shift_the_others(matcher):
    result = _posyandu(matcher, Kecamatan=["Tenggarong"] * 3, **{"Desa/Kelurahan": [None, "Loa Ipuh", "Maluhu"]})
    assert result.accepted["kode_desa"].tolist() == ["64.02.06.1002", "64.02.06.1011"]
    assert _reasons(result, "Desa/Kelurahan") == {2: "'Desa/Kelurahan' kosong"}


def test_a_name_ambiguous_in_its_kecamatan_gets_the_ambiguity_even_if_it_exists_elsewhere(matcher):
    # "Kota Bangun Ilir" is a desa of Kota Bangun; under Kota Bangun Darat it is near three names
    result = _posyandu(matcher, Kecamatan=["Kota Bangun Darat"], **{"Desa/Kelurahan": ["Kota Bangun Ilir"]})
    assert _reasons(result, "Desa/Kelurahan") == {
        2: "Desa/kelurahan 'Kota Bangun Ilir' ambigu: bisa Kota Bangun II, Kec. Kota Bangun Darat (64.02.19.2005) "
        "atau Kota Bangun III, Kec. Kota Bangun Darat (64.02.19.2006) "
        "atau Kota Bangun I, Kec. Kota Bangun Darat (64.02.19.2004)"
    }


def test_file_level_problems_are_whole_records(matcher):
    missing = _validate(MONTHLY_REPORT, {"Hari Buka": ["3", "4"]}, matcher)
    assert missing.rows_read == 2 and missing.notes == []
    assert missing.rejections.values.tolist() == [
        [
            "monthly_report",
            "uji.csv",
            1,
            "ID Posyandu",
            "",
            "kolom wajib 'ID Posyandu' tidak ada di baris judul",
            REJECTED,
        ],
        ["monthly_report", "uji.csv", 1, "Bulan", "", "kolom wajib 'Bulan' tidak ada di baris judul", REJECTED],
    ]
    no_rows = _validate(KADER, {"ID Kader": [], "ID Posyandu": []}, matcher)
    assert no_rows.rows_read == 0
    assert no_rows.rejections.values.tolist() == [
        ["kader", "uji.csv", 1, "(file)", "", "tidak ada baris data di bawah baris judul", REJECTED]
    ]
    twice = _validate(
        KADER, {"ID Kader": ["K1"], "ID Posyandu": ["P1"], "Peran": ["Ketua"], "Peran [2]": ["x"]}, matcher
    )
    assert twice.rejections[["column_name", "value", "action"]].values.tolist() == [["Peran", "", BLANKED]]


def test_rejections_of_a_clean_file_have_the_columns_and_several_are_numbered_in_order(matcher):
    from etl.validate import REJECTION_COLUMNS

    clean = _validate(KADER, {"ID Kader": ["K1"], "ID Posyandu": ["P1"]}, matcher)
    assert clean.rejections.empty and list(clean.rejections.columns) == REJECTION_COLUMNS
    several = _validate(
        KADER, {"ID Kader": ["K 1", "K2"], "ID Posyandu": ["P1", "P#"], "Peran": ["Raja", None]}, matcher
    )
    assert several.rejections.index.tolist() == list(range(len(several.rejections)))
    assert several.rejections["row_number"].tolist() == [2, 3, 2]


def test_optional_cells_that_cannot_be_used_are_blanked_and_the_row_kept(matcher):
    result = _posyandu(
        matcher,
        Puskesmas=["=HYPERLINK(1)", "P" * 201, "Puskesmas Uji"],
        **{"Tgl SK Pembentukan": ["01/11/2025", "31/12/1949", "31/10/2025"]},  # tomorrow, before 1950, today
    )
    assert len(result.accepted) == 3
    assert result.accepted["puskesmas"].isna().tolist() == [True, True, False]
    assert _days(result.accepted["sk_date"]) == [None, None, date(2025, 10, 31)]
    assert set(result.rejections["action"]) == {BLANKED}
