"""python -m dashboard.followup backup / export / check."""

from __future__ import annotations

import datetime as dt

import openpyxl

from dashboard.followup.__main__ import main
from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft


def test_backup_check_export(tmp_path, capsys):
    path = tmp_path / "tindak_lanjut.sqlite"
    FollowupStore(path).create(
        Actor("kabid"), RecommendationDraft("64.02.06", "Latih kader", "Dinkes", dt.date(2026, 1, 1))
    )
    assert main(["--store", str(path), "backup", str(tmp_path / "copy.sqlite")]) == 0
    assert "1 rekomendasi" in capsys.readouterr().out
    assert main(["--store", str(tmp_path / "copy.sqlite"), "check"]) == 0
    assert "integrity_check ok; recommendation 1, recommendation_history 1" in capsys.readouterr().out
    assert main(["--store", str(path), "export", str(tmp_path / "tl.xlsx")]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "tl.xlsx").active
    assert sheet.cell(5, 2).value == "Tenggarong" and sheet.cell(5, 7).value == "Latih kader"


def test_backup_of_a_missing_file_says_so(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "none.sqlite"), "backup", str(tmp_path / "b")]) == 1
    assert "belum ada" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()
