"""dashboard/refresh.py: staging uploads, the dry-run report, rebuild and what changed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dashboard import refresh
from etl.config import EtlConfig
from etl.load import BuildInProgress, BuildLock
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv, write_eppgbm_xlsx


@dataclass
class FakeUpload:
    """What st.file_uploader hands over."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


def _children(month: str, count: int = 3) -> list[dict]:
    """Valid rows, one child each, measured on the 15th of `month` (MM/YYYY)."""
    return [
        eppgbm_row(
            NIK=f"64020655052200{i:02d}",
            Nama=f"Anak {i}",
            **{"Tgl Lahir": "15/05/2022", "Tanggal Pengukuran": f"15/{month}"},
        )
        for i in range(count)
    ]


# --- staging -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("eppgbm_2025-10.csv", "eppgbm_2025-10.csv"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\dpmd\\Laporan Bulanan Okt.XLSX", "Laporan_Bulanan_Okt.xlsx"),
        ("Pelatihan kader (revisi) ñ.csv", "Pelatihan_kader_revisi_n.csv"),
        ("..csv", "unggahan.csv"),
        (".hidden.xlsx", "hidden.xlsx"),
        ("con.csv", "unggahan_con.csv"),  # Windows device names are not files
        ("NUL.xlsx", "unggahan_NUL.xlsx"),
        ("lpt1.backup.csv", "unggahan_lpt1.backup.csv"),
        ("console.csv", "console.csv"),
    ],
)
def test_sanitise_filename(raw, safe):
    assert refresh.sanitise_filename(raw) == safe


def test_save_uploads_refuses_large_and_foreign_files_and_names_the_register(tmp_path):
    files = [
        FakeUpload("data ukur.csv", b"a;b\n1;2\n"),
        FakeUpload("data ukur.csv", b"a;b\n3;4\n"),  # same name: kept, renamed
        FakeUpload("posyandu_master.xlsx", b"x"),
        FakeUpload("ekspor_web.xls", b"<table></table>"),  # a web application's "Excel"
        FakeUpload("virus.exe", b"MZ"),
        FakeUpload("besar.csv", b"x" * (1024 * 1024 + 1)),
    ]
    saved = refresh.save_uploads(files, tmp_path, register="eppgbm", max_mb=1, now=datetime(2025, 11, 3, 9, 30))
    assert saved.folder == tmp_path / "20251103-093000"
    names = sorted(p.name for p in saved.saved)
    assert names == [
        "eppgbm_data_ukur.csv",
        "eppgbm_data_ukur_2.csv",
        "eppgbm_ekspor_web.xls",
        "eppgbm_posyandu_master.xlsx",
    ]
    assert all(refresh.register_of(n) == "eppgbm" for n in names)
    assert len(saved.refused) == 2
    assert any("virus.exe" in r and "jenis file" in r for r in saved.refused)
    assert any("besar.csv" in r and "1 MB" in r for r in saved.refused)
    again = refresh.save_uploads([FakeUpload("kader.csv", b"x")], tmp_path, now=datetime(2025, 11, 3, 9, 30))
    assert again.folder == tmp_path / "20251103-093000-2"  # never mixed into an earlier upload


@pytest.mark.parametrize("register", [r.name for r in refresh.REGISTERS])
def test_a_chosen_register_is_the_one_the_etl_files_it_under(register):
    assert refresh.register_of(refresh.name_for_register("export_dinkes.csv", register)) == register


def test_nothing_acceptable_creates_no_folder(tmp_path):
    saved = refresh.save_uploads([FakeUpload("a.pdf", b"x")], tmp_path)
    assert saved.folder is None and not list(tmp_path.iterdir())


def test_discard_removes_only_uploads_not_yet_loaded(tmp_path):
    old = refresh.save_uploads([FakeUpload("kader.csv", b"x")], tmp_path, now=datetime(2025, 1, 1)).folder
    refresh.mark_applied([old], "v1")
    new = refresh.save_uploads([FakeUpload("kader.csv", b"x"), FakeUpload("posyandu.csv", b"y")], tmp_path).folder
    assert refresh.staged_folders(tmp_path) == [new]
    assert refresh.upload_folders(tmp_path) == [new, old]  # newest first
    assert refresh.discard_staged_uploads(tmp_path) == 2
    assert refresh.upload_folders(tmp_path) == [old]
    assert list(refresh.list_uploads(tmp_path)["status"]) == ["sudah dimuat"]


def test_active_source_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DASBOR_SOURCE_DIR", raising=False)
    assert refresh.active_source_dir() == refresh.SAMPLE_DIR
    monkeypatch.setenv("DASBOR_SOURCE_DIR", str(tmp_path))
    assert refresh.active_source_dir() == tmp_path


# --- dry run -------------------------------------------------------------------------


def test_dry_run_reports_rows_reasons_and_a_sample_without_personal_values(tmp_path):
    source, uploads = tmp_path / "source", tmp_path / "uploads"
    source.mkdir()
    rows = _children("10/2025") + [
        eppgbm_row(NIK="6402065505220099", Nama="Budi Santoso", **{"Tgl Lahir": "31/02/2022"}),  # impossible date
        eppgbm_row(NIK="6402065505220098", Nama="Citra Lestari", Berat=999),  # sentinel
    ]
    write_eppgbm_csv(source / "eppgbm_2025-10.csv", rows)
    (source / "posyandu_rusak.csv").write_text("ini bukan register\n1;2;3\n")
    staged = refresh.save_uploads(
        [
            FakeUpload(
                "eppgbm_2025-09.xlsx", write_eppgbm_xlsx(tmp_path / "x.xlsx", _children("09/2025", 2)).read_bytes()
            ),
            FakeUpload("catatan rapat.csv", b"apa;ini\n1;2\n"),
        ],
        uploads,
    )
    db = tmp_path / "w.duckdb"
    config = EtlConfig(source_dir=source, extra_source_dirs=(staged.folder,), db_path=db, secret_path=tmp_path / "key")
    report = refresh.dry_run(config)

    assert not db.exists()  # a dry run writes nothing
    eppgbm = report.registers.set_index("register").loc["eppgbm"]
    assert eppgbm["files"] == 2 and eppgbm["rows_read"] == 7
    assert eppgbm["rows_loaded"] == 6 and eppgbm["rows_rejected"] == 1 and eppgbm["values_blanked"] >= 1
    assert report.rows_loaded >= 6
    reasons = " ".join(report.reasons["reason"])
    assert "kode isian" in reasons
    assert report.reasons["rows"].sum() >= 3  # bad date, sentinel, unreadable file
    assert (report.reasons.groupby("reason")["rows"].sum() > 0).all()
    posyandu = report.registers.set_index("register").loc["posyandu"]
    assert posyandu["rows_loaded"] == 0 and any("posyandu_rusak.csv" in n for n in report.notes)
    assert list(report.sample.columns) == ["register", "file", "row_number", "column_name", "reason", "action"]
    text = report.sample.to_csv() + report.reasons.to_csv() + report.uploads.to_csv()
    for personal in ("Budi", "Citra", "Anak 0", "6402065505220099", "Rahmawati", "Mangkurawang"):
        assert personal not in text
    uploads_table = report.uploads.set_index("file")
    assert uploads_table.loc["catatan_rapat.csv", "register"].startswith("tidak dikenali")
    assert uploads_table.loc["eppgbm_2025-09.xlsx", "register"].startswith("e-PPGBM")
    assert "Master posyandu" in " ".join(report.missing) or report.missing


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        (
            "baris duplikat: anak dan tanggal ukur sama dengan eppgbm_2024-01.csv baris 12",
            "baris duplikat: anak dan tanggal ukur sama dengan baris sebelumnya",
        ),
        ("baris duplikat: sama dengan Data Oktober (2).XLSX baris 3", "baris duplikat: sama dengan baris sebelumnya"),
        ("nilai 999 adalah kode isian, bukan hasil ukur", "nilai 999 adalah kode isian, bukan hasil ukur"),
    ],
)
def test_reasons_are_counted_without_the_row_they_cite(reason, kind):
    assert refresh.reason_kind(reason) == kind


# --- rebuild -------------------------------------------------------------------------


@pytest.fixture
def warehouse_copy(warehouse_path, tmp_path, monkeypatch) -> Path:
    """A private copy of the session warehouse that the app (DASBOR_WAREHOUSE) points at."""
    db = tmp_path / "warehouse" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copy(warehouse_path, db)
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(db))
    monkeypatch.setenv("DASBOR_PSEUDONYM_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("DASBOR_UPLOADS_DIR", str(tmp_path / "uploads"))
    return db


def test_snapshot_reads_key_figures(warehouse_path):
    snapshot = refresh.take_snapshot(warehouse_path)
    assert snapshot.version and snapshot.table_counts["dim_kecamatan"] == 20
    assert snapshot.months and snapshot.latest_stunting is not None
    month, value = snapshot.latest_stunting
    assert month == max(snapshot.stunting_by_month) and 0 < value < 1
    assert not any(t.startswith(("etl_", "stg_", "ref_")) for t in snapshot.table_counts)
    assert refresh.take_snapshot(warehouse_path.parent / "tidak-ada.duckdb") == refresh.EMPTY_SNAPSHOT


def test_rebuild_replaces_the_warehouse_and_reports_the_change(sample_dir, warehouse_copy, tmp_path):
    new_month = date(2023, 10, 1)  # before the sample's first month
    upload = write_eppgbm_csv(
        tmp_path / "eppgbm_2023-10.csv", _children("10/2023", 4) + [eppgbm_row(NIK="6402065505220097", JK="X")]
    )
    staged = refresh.save_uploads([FakeUpload(upload.name, upload.read_bytes())])
    config = refresh.refresh_config(warehouse_copy, source_dir=sample_dir)
    assert config.extra_source_dirs == (staged.folder,)
    old_version = refresh.take_snapshot(warehouse_copy).version
    messages = []

    before, report, after = refresh.rebuild(config, progress=lambda message, fraction: messages.append(fraction))

    assert before.version == old_version and after.version == report.run_id != old_version
    assert messages and messages[-1] == 1.0
    change = refresh.compare_snapshots(before, after)
    counts = change.counts.set_index("table")
    assert counts.loc["fct_measurement", "change"] == 4
    assert counts.loc["dim_kecamatan", "change"] == 0
    assert new_month in change.new_months and not change.dropped_months
    assert change.rejected_after == change.rejected_before + 1
    assert change.stunting_before == before.latest_stunting and change.stunting_after == after.latest_stunting
    assert refresh.is_applied(staged.folder) and refresh.staged_folders() == []
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        assert con.execute("select count(*) from fct_measurement where month = $m", {"m": new_month}).fetchone()[0] == 4
    finally:
        con.close()
    # a later rebuild from the page reads the applied upload again: its rows are not lost
    assert refresh.refresh_config(warehouse_copy, source_dir=sample_dir).extra_source_dirs == (staged.folder,)


def test_second_rebuild_while_one_runs_is_refused(sample_dir, warehouse_copy):
    staged = refresh.save_uploads([FakeUpload("kader_baru.csv", b"ID Kader;ID Posyandu\n")])
    before = warehouse_copy.read_bytes()
    with BuildLock(warehouse_copy):  # as a build in another session holds it
        with pytest.raises(BuildInProgress, match="sedang berjalan"):
            refresh.rebuild(refresh.refresh_config(warehouse_copy, source_dir=sample_dir))
    assert warehouse_copy.read_bytes() == before
    assert not refresh.is_applied(staged.folder)  # still staged, can be cancelled


def test_check_in_a_child_survives_a_hostile_workbook_and_reads_the_rest(tmp_path, monkeypatch):
    """The far-corner workbook (it made "Periksa data" kill the server) is refused with its
    name and reason; the other file's rows are still read."""
    from tests.support.hostile_files import write_far_corner_xlsx

    source = tmp_path / "source"
    (source / "eppgbm").mkdir(parents=True)
    write_far_corner_xlsx(source / "eppgbm" / "eppgbm_pojok.xlsx")
    write_eppgbm_csv(source / "eppgbm" / "eppgbm_2025-10.csv", _children("10/2025"))
    monkeypatch.setenv("DASBOR_PSEUDONYM_KEY_FILE", str(tmp_path / "key"))
    config = EtlConfig(source_dir=source, db_path=tmp_path / "w.duckdb", secret_path=tmp_path / "key")
    seen = []
    report = refresh.dry_run_in_child(config, progress=lambda m, f: seen.append(m))
    assert report.rows_loaded == 3
    assert any("eppgbm_pojok.xlsx" in n and "kolom sampai ke-16.384" in n for n in report.notes), report.notes
    assert seen and not (tmp_path / "w.duckdb").exists()


@pytest.mark.skipif(__import__("os").name == "nt", reason="Windows has no POSIX file modes")
def test_uploads_are_private(tmp_path):
    import os
    import stat

    saved = refresh.save_uploads([FakeUpload("eppgbm_2025-10.csv", b"NIK;Nama\n")], tmp_path / "uploads")
    assert stat.S_IMODE(saved.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(saved.saved[0].stat().st_mode) == 0o600
    os.chmod(saved.saved[0], 0o644)  # saved before this rule
    refresh.protect_uploads(tmp_path / "uploads")
    assert stat.S_IMODE(saved.saved[0].stat().st_mode) == 0o600


def test_uploads_are_deleted_by_the_rebuild_after_the_retention(sample_dir, warehouse_copy, tmp_path):
    import os

    root = tmp_path / "uploads"
    old = refresh.save_uploads([FakeUpload("eppgbm_lama.csv", b"x")], root, now=datetime(2024, 1, 1)).folder
    recent = refresh.save_uploads([FakeUpload("eppgbm_baru.csv", b"x")], root, now=datetime(2025, 1, 1)).folder
    refresh.mark_applied([old, recent], "v1")
    long_ago = datetime.now().timestamp() - (refresh.UPLOAD_RETENTION_DAYS + 1) * 86400
    os.utime(old / refresh.APPLIED_MARKER, (long_ago, long_ago))
    assert refresh.expired_upload_folders(refresh.upload_folders(root)) == [old]
    config = refresh.refresh_config(warehouse_copy, source_dir=sample_dir, root=root)
    refresh.rebuild(config)
    assert not old.exists() and recent.exists()


def test_a_rebuild_killed_by_the_time_cap_leaves_the_warehouse_and_frees_the_lock(
    sample_dir, warehouse_copy, monkeypatch
):
    """The child is killed wherever it is (reading, writing the temporary file or swapping):
    the warehouse still opens, and the next build is not refused by a stale lock."""
    from etl.isolate import ChildFailed
    from etl.lifecycle import OK, warehouse_state

    monkeypatch.setenv("DASBOR_CHILD_TIMEOUT_S", "6")
    config = refresh.refresh_config(warehouse_copy, source_dir=sample_dir, root=warehouse_copy.parent / "none")
    with pytest.raises(ChildFailed, match="dihentikan setelah"):
        refresh.rebuild_in_child(config)
    assert warehouse_state(warehouse_copy) == OK
    with BuildLock(warehouse_copy):
        pass
