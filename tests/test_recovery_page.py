"""A missing or broken warehouse in the app: the recovery page (restore the previous
version, rebuild from the last sources) for kabupaten only, never a silent rebuild from the
synthetic sample, and nothing built before login."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth.login import hash_password
from etl.build import build_warehouse
from etl.config import EtlConfig
from etl.lifecycle import OK, previous_path, warehouse_state
from tests.etl.test_lifecycle import truncate
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv

RESTORE, REBUILD = "Pulihkan versi sebelumnya", "Bangun ulang dari sumber terakhir"


def _version(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select warehouse_version from etl_run").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def real_warehouse(tmp_path, monkeypatch) -> Path:
    """Real (non-sample) data built twice, so a previous version exists; login off."""
    source = tmp_path / "registers"
    source.mkdir()
    write_eppgbm_csv(source / "eppgbm_2025-10.csv", [eppgbm_row(NIK=f"640206550523{i:04d}") for i in range(4)])
    db = tmp_path / "wh" / "warehouse.duckdb"
    config = EtlConfig(source_dir=source, db_path=db, secret_path=tmp_path / "key")
    build_warehouse(config)
    build_warehouse(config)
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(db))
    monkeypatch.setenv("DASBOR_PSEUDONYM_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("DASBOR_LOGIN_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    return db


def _run() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.run()
    return at


def _buttons(at: AppTest) -> dict:
    return {b.label: b for b in at.button}


def test_deleted_warehouse_is_restored_not_replaced_by_the_sample(real_warehouse: Path):
    previous_version = _version(previous_path(real_warehouse))
    real_warehouse.unlink()
    at = _run()
    assert not at.exception, at.exception
    assert "tidak ditemukan" in at.error[0].value and "data contoh" in at.error[0].value
    assert not real_warehouse.exists()  # nothing built from the sample
    _buttons(at)[RESTORE].click().run()
    assert not at.exception, at.exception
    assert warehouse_state(real_warehouse) == OK and _version(real_warehouse) == previous_version
    assert not [e for e in at.error if "File data dasbor" in e.value]


def test_truncated_warehouse_is_rebuilt_from_the_last_sources(real_warehouse: Path):
    truncate(real_warehouse)
    at = _run()
    assert not at.exception, at.exception
    assert "rusak" in at.error[0].value
    _buttons(at)[REBUILD].click().run()
    assert not at.exception, at.exception
    assert warehouse_state(real_warehouse) == OK
    con = duckdb.connect(str(real_warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from fct_measurement").fetchone()[0] == 4
    finally:
        con.close()


def _secrets(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "secrets.toml"
    quick = hash_password("rahasia-sekali", n=2**4)
    path.write_text(
        "[auth]\nenabled = true\n"
        f'[auth.users.kabid]\npassword_hash = "{quick}"\nrole = "kabupaten"\n'
        f'[auth.users.pembina_tgr]\npassword_hash = "{quick}"\nrole = "pembina"\nkecamatan = ["64.02.06"]\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    monkeypatch.setenv("DASBOR_LOGIN_SECRETS_FILE", str(path))


def test_nothing_is_built_before_login(tmp_path: Path, monkeypatch):
    db = tmp_path / "fresh" / "warehouse.duckdb"  # a fresh clone: no warehouse, no manifest
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(db))
    _secrets(tmp_path, monkeypatch)
    at = _run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Dasbor Posyandu Kukar" and at.subheader[0].value == "Masuk"
    assert not db.exists() and not db.parent.exists()


def test_a_pembina_sees_the_problem_but_no_recovery_buttons(real_warehouse: Path, tmp_path: Path, monkeypatch):
    _secrets(tmp_path, monkeypatch)
    real_warehouse.unlink()
    at = AppTest.from_file("../app.py", default_timeout=180)
    at.session_state["user_name"] = "pembina_tgr"
    at.run()
    assert not at.exception, at.exception
    assert "tidak ditemukan" in at.error[0].value
    assert RESTORE not in _buttons(at) and REBUILD not in _buttons(at)
    assert any("kabupaten" in i.value for i in at.info)
