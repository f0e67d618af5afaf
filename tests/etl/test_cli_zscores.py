"""`python -m etl zscores IN.csv OUT.csv`: columns in and out, separators, errors."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from etl.cli_zscores import main
from etl.transform.zscores import compute_zscores

REPO = Path(__file__).resolve().parents[2]
NEW_COLUMNS = ["haz", "waz", "whz", "bmiz", "haz_flag", "waz_flag", "whz_flag", "bmiz_flag"]


def read_rows(path: Path, separator: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=separator))


def header_of(path: Path, separator: str = ",") -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle, delimiter=separator))


def test_computes_and_passes_other_columns_through(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "child_id,sex,age_days,weight_kg,height_cm,measure,oedema,note\n"
        '007,1,365,9.5,75.0,L,n,"a, b"\n'
        "008,P,400,9.0,74.3,H,,\n"
        "009,L,365,9.5,75.0,L,y,oedema\n"
        "010,,365,9.5,75.0,L,n,no sex\n"
        "011,1,,10.0,80.0,L,n,no age\n"
        '012,1,2000,15,100,H,n,""\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    assert main([str(source), str(target), "--decimals", "6"]) == 0

    assert header_of(target) == [
        "child_id",
        "sex",
        "age_days",
        "weight_kg",
        "height_cm",
        "measure",
        "oedema",
        "note",
        *NEW_COLUMNS,
    ]
    rows = read_rows(target)
    # Other columns unchanged: leading zeros, quoted separator, number text as written.
    assert [row["child_id"] for row in rows] == ["007", "008", "009", "010", "011", "012"]
    assert rows[0]["note"] == "a, b"
    assert rows[0]["height_cm"] == "75.0"
    # Hand-checked values (see test_zscores.py), written with 6 decimals.
    assert rows[0]["haz"] == "-0.311077"
    assert rows[0]["waz"] == "-0.139533"
    assert rows[0]["whz"] == "-0.004060"
    assert rows[0]["bmiz"] == "0.066411"
    assert [rows[0][name] for name in NEW_COLUMNS[4:]] == ["0", "0", "0", "0"]
    assert rows[1]["haz"] == "-0.145926"  # girl, standing 74.3 -> 75.0 cm
    # Oedema: weight-based z-scores and their flags blank, HAZ kept.
    assert rows[2]["haz"] == "-0.311077"
    assert [rows[2][name] for name in ("waz", "whz", "bmiz", "waz_flag", "whz_flag", "bmiz_flag")] == [""] * 6
    assert [rows[3][name] for name in NEW_COLUMNS] == [""] * 8
    # Age unknown: only weight-for-length (wfl M 80.0, 10 kg -> -0.531015).
    assert rows[4]["whz"] == "-0.531015"
    assert rows[4]["haz"] == ""
    assert [rows[5][name] for name in NEW_COLUMNS] == [""] * 8


def test_semicolon_file_with_decimal_commas(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "Nama Posyandu;SEX;Age_Days;weight_kg;height_cm;measure\nMelati;1;365;9,5;75,0;L\nMawar;2;400;9;74,3;H\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    assert main([str(source), str(target), "--decimals", "6"]) == 0
    rows = read_rows(target, ";")
    assert header_of(target, ";")[:6] == ["Nama Posyandu", "SEX", "Age_Days", "weight_kg", "height_cm", "measure"]
    assert rows[0]["weight_kg"] == "9,5"
    assert rows[0]["haz"] == "-0.311077"
    assert rows[1]["haz"] == "-0.145926"


def test_bom_tabs_and_cp1252(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("\ufeffsex\tage_days\tweight_kg\theight_cm\tmeasure\tdesa\n1\t365\t9.5\t75\tL\tSanga\n".encode())
    target = tmp_path / "out.csv"
    assert main([str(source), str(target)]) == 0
    assert read_rows(target, "\t")[0]["haz"] == "-0.31"  # WHO's 2 decimals by default

    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(
        "sex,age_days,weight_kg,height_cm,measure,catatan\n1,365,9.5,75,L,Tenggar\xf6ng\n".encode("cp1252")
    )
    assert main([str(legacy), str(target)]) == 0
    assert read_rows(target)[0]["catatan"] == "Tenggar\u00f6ng"


def test_full_precision_and_details(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n1,365,9.5,75.35,L\n1,200,7.5,65,H\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target), "--full-precision", "--details"]) == 0
    rows = read_rows(target)
    expected = compute_zscores([1, 1], [365, 200], [9.5, 7.5], [75.35, 65.0], ["L", "H"])
    for row, (_, want) in zip(rows, expected.iterrows(), strict=True):
        for name in ("haz", "waz", "whz", "bmiz"):
            assert float(row[name]) == want[name]  # shortest round-trip text: exact
    assert [row["position_error"] for row in rows] == ["false", "true"]
    assert rows[0]["height_cm_adjusted"] == "75.35"


def test_without_oedema_column_and_with_only_a_header(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target)]) == 0
    assert header_of(target) == ["sex", "age_days", "weight_kg", "height_cm", "measure", *NEW_COLUMNS]
    assert read_rows(target) == []


def test_existing_result_columns_are_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure,haz\n1,365,9.5,75,L,old\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target)]) == 0
    assert header_of(target).count("haz") == 1
    assert read_rows(target)[0]["haz"] == "-0.31"
    assert "diganti" in capsys.readouterr().err


def test_missing_required_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,weight_kg,height_cm,measure\n1,9.5,75,L\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target)]) == 2
    message = capsys.readouterr().err
    assert "in.csv" in message
    assert "'age_days'" in message
    assert not target.exists()


def test_unreadable_number_names_file_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n1,365,9.5,75,L\n1,365, NA ,75,L\n2,400,abc,74,H\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target)]) == 2
    message = capsys.readouterr().err
    assert "in.csv baris 4" in message
    assert "'weight_kg'" in message
    assert "'abc'" in message
    assert not target.exists()


def test_infinite_and_comma_age_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    target = tmp_path / "out.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n1,365,inf,75,L\n")
    assert main([str(source), str(target)]) == 2
    assert "baris 2, kolom 'weight_kg'" in capsys.readouterr().err
    # A comma in an age is not a decimal comma (it could be a thousands separator).
    source.write_text("sex;age_days;weight_kg;height_cm;measure\n1;1,234;9,5;75;L\n")
    assert main([str(source), str(target)]) == 2
    assert "kolom 'age_days'" in capsys.readouterr().err


def test_ragged_row_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n1,365,9.5,75,L\n1,365,9.5,75,L,extra\n")
    assert main([str(source), str(tmp_path / "out.csv")]) == 2
    assert "in.csv baris 3" in capsys.readouterr().err


def test_missing_or_empty_input_and_bad_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.csv"), str(tmp_path / "out.csv")]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main([str(empty), str(tmp_path / "out.csv")]) == 2
    assert "kosong" in capsys.readouterr().err
    good = tmp_path / "in.csv"
    good.write_text("sex,age_days,weight_kg,height_cm,measure\n1,365,9.5,75,L\n")
    assert main([str(good), str(tmp_path / "no" / "out.csv")]) == 2
    assert "folder keluaran" in capsys.readouterr().err
    assert main([]) == 2


def test_many_rows_keep_their_order(tmp_path: Path) -> None:
    size = 50_000
    rng = np.random.default_rng(5)
    ages = rng.integers(0, 1827, size)
    source = tmp_path / "in.csv"
    lines = ["row,sex,age_days,weight_kg,height_cm,measure"]
    lines += [
        f"{i},{1 + i % 2},{age},12.5,{60 + age / 40:.1f},{'L' if age < 731 else 'H'}" for i, age in enumerate(ages)
    ]
    source.write_text("\n".join(lines) + "\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target), "--decimals", "6"]) == 0
    rows = read_rows(target)
    assert [int(row["row"]) for row in rows] == list(range(size))
    heights = np.array([float(row["height_cm"]) for row in rows])
    expected = compute_zscores(
        1 + np.arange(size) % 2, ages, np.full(size, 12.5), heights, np.where(ages < 731, "L", "H")
    )
    written = np.array([float(row["haz"]) for row in rows])
    assert written == pytest.approx(expected["haz"].to_numpy(), abs=5e-7)


def test_python_dash_m_etl_zscores(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n1,365,9.5,75,L\n")
    target = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "zscores", str(source), str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Selesai" in done.stderr
    assert read_rows(target)[0]["haz"] == "-0.31"


def test_default_output_is_whos_two_decimals_with_flags_on_the_rounded_value(tmp_path: Path) -> None:
    """WHO's anthro_zscores writes z rounded to 2 decimals (R's round) and flags that value.
    Girl, 24 months, 77.5 cm, no position: WHO's own test expects HAZ -2.55; boy, 987 days,
    72.86 cm lying (-0.7 cm): -6.09, flagged (WHO's test "length for age uses adjusted
    lenhei"); boy 44 days, 50 cm: round((50/56.4833 - 1)/0.03492, 2) = -3.29."""
    source = tmp_path / "in.csv"
    source.write_text("sex,age_days,weight_kg,height_cm,measure\n2,730.5,8.8,77.5,\n1,987,,72.86,L\n1,44,,50,\n")
    target = tmp_path / "out.csv"
    assert main([str(source), str(target)]) == 0
    rows = read_rows(target)
    assert [row["haz"] for row in rows] == ["-2.55", "-6.09", "-3.29"]
    assert [row["haz_flag"] for row in rows] == ["0", "1", "0"]


def test_refused_codes_and_negative_age_name_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    target = tmp_path / "out.csv"
    header = "sex,age_days,weight_kg,height_cm,measure,oedema\n"
    good = "1,365,9.5,75,L,n\n"
    for bad, column in (
        ("3,365,9.5,75,L,n", "sex"),
        ("X,365,9.5,75,L,n", "sex"),
        ("1,365,9.5,75,S,n", "measure"),
        ("1,365,9.5,75,L,T", "oedema"),  # T is tidak in Bahasa: never guessed as oedema
        ("1,-3,9.5,75,L,n", "age_days"),
    ):
        source.write_text(header + good + bad + "\n")
        assert main([str(source), str(target)]) == 2
        message = capsys.readouterr().err
        assert f"in.csv baris 3, kolom '{column}'" in message, message
        assert not target.exists()
    source.write_text(header + "L,365,9.5,75,Terlentang,ya\n2.0,365,9.5,75,h,2\n")
    assert main([str(source), str(target)]) == 0


def test_blank_rows_are_left_out_and_lines_still_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    target = tmp_path / "out.csv"
    # line 3 empty, line 4 all separators, line 5 a quoted value over two lines, line 7 bad.
    source.write_text(
        'sex;age_days;weight_kg;height_cm;measure;note\n1;365;9,5;75;L;a\n\n;;;;;\n1;365;9,5;75;L;"two\nlines"\n'
        "2;400;9,x;74;H;b\n"
    )
    assert main([str(source), str(target)]) == 2
    assert "in.csv baris 7, kolom 'weight_kg'" in capsys.readouterr().err
    source.write_text("sex;age_days;weight_kg;height_cm;measure\n1;365;9,5;75;L\n;;;;\n ; ; ;;\n2;400;9;74,3;H\n")
    assert main([str(source), str(target)]) == 0
    assert [row["haz"] for row in read_rows(target, ";")] == ["-0.31", "-0.15"]
    assert "2 baris kosong" in capsys.readouterr().err
