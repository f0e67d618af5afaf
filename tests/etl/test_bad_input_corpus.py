"""The bad-input corpus (tests/support/corpus.py) through one build: every file is read
without a crash, reported, its problems land in etl_rejected_row with file, row, column
and a Bahasa reason, and its valid rows are loaded."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.build import BuildReport, build_warehouse, extract_registers
from etl.config import EtlConfig
from etl.validate import MASKED_VALUE
from tests.support.corpus import (
    FIRST_NAMES,
    LAST_NAMES,
    MOTHER_NAMES,
    TODAY,
    CorpusFile,
    corpus_files,
    write_corpus,
)

CORPUS = corpus_files()
# Tables holding the rows of the registers other than e-PPGBM (no source file column there:
# all files of a register together must give the table's count).
REGISTER_TABLES = {
    "posyandu": "dim_posyandu",
    "monthly_report": "fct_posyandu_month",
    "desa_index": "fct_desa_index",
    "kader": "dim_kader",
}
PERSONAL_HEADERS = {"NIK", "Nama", "Nama Anak", "Nama Ortu", "Alamat", "Tgl Lahir", "Tanggal Lahir"}


@dataclass
class CorpusBuild:
    db: Path
    report: BuildReport
    rejected: pd.DataFrame
    measurements_by_file: dict[str, int]
    register_rows: dict[str, int]
    seconds: float
    file_load: pd.DataFrame
    dry_run_rejected: pd.DataFrame

    def loaded(self, entry: CorpusFile) -> int:
        if entry.register == "eppgbm":
            return self.measurements_by_file.get(entry.name, 0)
        return self.register_rows[entry.register]

    def expected_loaded(self, entry: CorpusFile) -> int:
        if entry.register == "eppgbm":
            return entry.loaded
        return sum(e.loaded for e in CORPUS if e.register == entry.register)


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory) -> CorpusBuild:
    source = tmp_path_factory.mktemp("corpus")
    write_corpus(source, CORPUS)
    db = tmp_path_factory.mktemp("corpus_wh") / "warehouse.duckdb"
    secret = tmp_path_factory.mktemp("corpus_secret") / "pseudonym.key"
    # CPU seconds of the build (all threads), not wall time: the budget must not depend on
    # how busy the shared runner is
    tick = time.process_time()
    config = EtlConfig(source_dir=source, db_path=db, secret_path=secret, today=TODAY)
    report = build_warehouse(config)
    seconds = time.process_time() - tick
    dry_run_rejected = extract_registers(config).rejections  # what "Periksa data" reports
    for entry in CORPUS:
        if entry.name == "two_million_rows.csv":
            (source / entry.path).unlink()  # ~180 MB; pytest keeps the last runs' folders
    con = duckdb.connect(str(db), read_only=True)
    try:
        rejected = con.execute("select file, row_number, column_name, value, reason, action from etl_rejected_row").df()
        by_file = dict(con.execute("select source_file, count(*) from fct_measurement group by 1").fetchall())
        register_rows = {
            name: con.execute(f"select count(*) from {table}").fetchone()[0] for name, table in REGISTER_TABLES.items()
        }
        file_load = con.execute("select * from etl_file_load").df()
    finally:
        con.close()
    return CorpusBuild(db, report, rejected, by_file, register_rows, seconds, file_load, dry_run_rejected)


def test_corpus_is_large_and_named_uniquely():
    names = [entry.name for entry in CORPUS]
    assert len(names) >= 40
    assert len(set(names)) == len(names)  # etl_rejected_row names files without their folder


@pytest.mark.parametrize("entry", CORPUS, ids=lambda entry: entry.name)
def test_corpus(entry: CorpusFile, corpus_build: CorpusBuild, record_property):
    register = corpus_build.report.registers[entry.register]
    mine = corpus_build.rejected[corpus_build.rejected["file"] == entry.name]
    first = mine.iloc[0] if len(mine) else None
    record_property(
        "corpus",
        f"{corpus_build.loaded(entry):>9,} dimuat, {len(mine):>3} pesan"
        + (
            f"; mis. baris {first.row_number}, kolom '{first.column_name}': {first.reason[:70]}"
            if first is not None
            else ""
        ),
    )
    assert entry.name in register.files
    if entry.note:
        assert any(entry.name in note and entry.note in note for note in register.notes), register.notes

    got = sorted(zip(mine["row_number"], mine["column_name"], mine["action"]))
    want = sorted((e.row, e.column, e.action) for e in entry.expected)
    assert got == want, mine.to_string()
    for expected in entry.expected:
        same_place = mine[(mine["row_number"] == expected.row) & (mine["column_name"] == expected.column)]
        assert any(expected.reason in reason for reason in same_place["reason"]), (
            expected,
            same_place["reason"].tolist(),
        )

    assert corpus_build.loaded(entry) == corpus_build.expected_loaded(entry)


def test_rejections_never_show_personal_values(corpus_build: CorpusBuild):
    rejected = corpus_build.rejected
    personal = rejected[rejected["column_name"].isin(PERSONAL_HEADERS)]
    assert set(personal["value"]) <= {"", MASKED_VALUE}
    names = {part for name in (*FIRST_NAMES, *LAST_NAMES, *MOTHER_NAMES) for part in name.split()} | {"Binti"}
    pattern = re.compile(r"\d{15,}|\b(?:" + "|".join(sorted(names)) + r")\b")
    for column in ("value", "reason"):
        leaks = rejected[rejected[column].fillna("").str.contains(pattern)]
        assert leaks.empty, leaks.to_string()


def test_reasons_are_short_bahasa_sentences(corpus_build: CorpusBuild):
    reasons = corpus_build.rejected["reason"]
    assert reasons.notna().all() and (reasons.str.len() > 5).all()
    assert reasons.str.len().max() <= 400  # a 10,000-character cell is not copied into a reason
    assert set(corpus_build.rejected["action"]) == {"ditolak", "dikosongkan"}


def test_every_format_reads_the_same_values(corpus_build: CorpusBuild):
    """Valid rows of the default child (Loa Ipuh, 11,2 kg, 86,4 cm, measured 15/10/2025)
    come out identical whatever the encoding, separator, date form or header layout."""
    files = [
        "utf8_bom_comma_separator.csv",
        "cp1252_semicolon_comma_decimals.csv",
        "utf8_semicolon_lf.csv",
        "utf16_tab_unicode_text.csv",
        "comma_separator_quoted_comma_decimals.csv",
        "dates_iso.csv",
        "dates_mixed_cells_and_text.xlsx",
        "variant_export_aliases.xlsx",
        "header_case_spaces_newline.xlsx",
        "title_rows_above_header.csv",
        "title_rows_above_header.xlsx",
        "merged_header_cells.xlsx",
        "blank_lines_multiline_cell.csv",
        "html_table_named.xls",
        "utf16_without_bom.csv",
        "dates_month_first_us.csv",
        "first_sheet_empty.xlsx",
    ]
    con = duckdb.connect(str(corpus_build.db), read_only=True)
    try:
        rows = con.execute(
            """
            select source_file, kode_desa, weight_kg, height_cm, measured_on, age_days, sex, posyandu_id
            from fct_measurement
            where source_file in (select unnest($files))
            """,
            {"files": files},
        ).df()
    finally:
        con.close()
    assert set(rows["source_file"]) == set(files)
    assert set(rows["kode_desa"]) == {"64.02.06.1002"}  # Loa Ipuh, also written "Kel. Loa Ipuhh"
    assert set(rows["weight_kg"]) == {11.2} and set(rows["height_cm"]) == {86.4}
    assert set(rows["measured_on"].dt.date) == {date(2025, 10, 15)}
    assert set(rows["age_days"]) == {(date(2025, 10, 15) - date(2023, 5, 15)).days}
    assert set(rows["sex"]) == {2}


def test_excel_serial_and_text_dates(corpus_build: CorpusBuild):
    con = duckdb.connect(str(corpus_build.db), read_only=True)
    try:
        dates = con.execute(
            """
            select source_file, source_row, measured_on, age_days
            from fct_measurement
            where source_file like 'dates_excel_serial%' or source_file = 'dates_text_bahasa_english.csv'
            order by 1, 2
            """
        ).fetchall()
    finally:
        con.close()
    serial = {(d, a) for f, _, d, a in dates if f.startswith("dates_excel_serial")}
    assert serial == {(date(2025, 10, 15), (date(2025, 10, 15) - date(2023, 10, 19)).days)}
    text = [(d, a) for f, _, d, a in dates if f.startswith("dates_text")]
    assert text == [
        (date(2025, 9, 18), (date(2025, 9, 18) - date(2023, 9, 18)).days),
        (date(2025, 10, 5), (date(2025, 10, 5) - date(2023, 8, 1)).days),
        (date(2025, 11, 3), (date(2025, 11, 3) - date(2024, 5, 7)).days),
        (date(2025, 10, 1), (date(2025, 10, 1) - date(2024, 3, 12)).days),
    ]


def test_posyandu_names_in_eppgbm_find_the_master(corpus_build: CorpusBuild):
    con = duckdb.connect(str(corpus_build.db), read_only=True)
    try:
        ids = dict(
            con.execute(
                """
                select posyandu_name, any_value(posyandu_id)
                from fct_measurement
                where source_file = 'formula_text.csv'
                group by 1
                """
            ).fetchall()
        )
    finally:
        con.close()
    # formula-looking names were blanked; "- Melati -" and the untouched rows find Melati (P9001)
    assert ids == {None: None, "Melati": "P9001", "- Melati -": "P9001"}


def test_big_file_build_time(corpus_build: CorpusBuild):
    """2 million rows plus the rest of the corpus stay well inside the suite's time budget
    (about 30 CPU seconds on the 2-core runner in November 2025)."""
    assert corpus_build.measurements_by_file["two_million_rows.csv"] == 2_000_000
    assert corpus_build.seconds < 90, corpus_build.report.render()


def test_every_row_read_is_loaded_or_rejected(corpus_build: CorpusBuild, record_property):
    """Per file: rows read = rows loaded + rows rejected, each side counted where it lands
    (loaded: the warehouse's own tables; rejected: etl_rejected_row)."""
    files = corpus_build.file_load.set_index("file")
    assert set(files.index) == {entry.name for entry in CORPUS}
    refused = corpus_build.rejected[corpus_build.rejected["action"] == "ditolak"]
    for entry in CORPUS:
        row = files.loc[entry.name]
        mine = refused[refused["file"] == entry.name]
        whole_file = (mine["row_number"] <= row["header_row"]).any()
        rejected = row["rows_read"] if whole_file else mine["row_number"].nunique()
        loaded = corpus_build.measurements_by_file.get(entry.name, 0) if entry.register == "eppgbm" else None
        assert row["rows_rejected"] == rejected, entry.name
        if loaded is not None:
            assert row["rows_loaded"] == loaded == entry.loaded, entry.name
        assert row["rows_read"] == row["rows_loaded"] + row["rows_rejected"], (entry.name, row.to_dict())
    for register, table_rows in corpus_build.register_rows.items():
        assert files.loc[files["register"] == register, "rows_loaded"].sum() == table_rows, register
    record_property(
        "corpus",
        f"{len(files)} file: {int(files['rows_read'].sum()):,} baris dibaca = "
        f"{int(files['rows_loaded'].sum()):,} dimuat + {int(files['rows_rejected'].sum()):,} ditolak",
    )


def test_dry_run_reports_what_the_build_refuses(corpus_build: CorpusBuild):
    """ "Periksa data" reads and validates as the build does: the same messages, and the
    build's own SQL checks found nothing more (it succeeded)."""
    columns = ["file", "row_number", "column_name", "reason", "action"]
    dry = corpus_build.dry_run_rejected[columns].astype(str).value_counts().sort_index()
    built = corpus_build.rejected[columns].astype(str).value_counts().sort_index()
    assert dry.equals(built)


def test_times_of_day_are_dropped_not_rounded(corpus_build: CorpusBuild):
    con = duckdb.connect(str(corpus_build.db), read_only=True)
    try:
        dates = con.execute(
            "select source_row, measured_on from fct_measurement where source_file = 'date_time_cells.xlsx' order by 1"
        ).fetchall()
    finally:
        con.close()
    assert dates == [
        (2, date(2025, 10, 15)),  # 08.00; the 14.30 weighing of row 3 is a duplicate
        (4, date(2025, 10, 15)),  # serial 45945,75 (18.00) is the 15th, not the 16th
        (5, date(2025, 10, 31)),
        (6, date(2025, 10, 31)),
        (7, date(2025, 10, 31)),
    ]


def test_no_control_characters_reach_the_warehouse(corpus_build: CorpusBuild):
    con = duckdb.connect(str(corpus_build.db), read_only=True)
    try:
        names = [n for (n,) in con.execute("select distinct posyandu_name from fct_measurement").fetchall() if n]
    finally:
        con.close()
    assert names and not [n for n in names if re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", n)]


def test_area_columns_never_store_personal_values(corpus_build: CorpusBuild):
    """An NIK or a name typed into an area column is not kept in the warehouse either."""
    names = {part for name in (*FIRST_NAMES, *LAST_NAMES, *MOTHER_NAMES) for part in name.split()}
    pattern = re.compile(r"(?:\d[ .\-]?){15}\d|\b(?:" + "|".join(sorted(names)) + r")\b")
    con = duckdb.connect(str(corpus_build.db), read_only=True)
    try:
        stored = con.execute(
            "select distinct puskesmas, posyandu_name from fct_measurement union all "
            "select distinct puskesmas, posyandu_name from dim_posyandu"
        ).fetchall()
    finally:
        con.close()
    leaks = [row for row in stored for value in row if value and pattern.search(value)]
    assert not leaks
