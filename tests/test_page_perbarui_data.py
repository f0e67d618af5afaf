"""pages/perbarui_data.py with AppTest: renders for kabupaten, refuses others, runs a
dry run and a rebuild on a private warehouse copy."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_page
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv

PAGE = "pages/perbarui_data.py"


@pytest.fixture
def app_env(warehouse_path, tmp_path, monkeypatch):
    """Login off, a private warehouse copy, a tiny source folder, an empty uploads folder."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, db)
    source = tmp_path / "source"
    source.mkdir()
    rows = [
        eppgbm_row(NIK=f"64020655052200{i:02d}", **{"Tgl Lahir": "15/05/2022", "Tanggal Pengukuran": "15/10/2025"})
        for i in range(5)
    ]
    write_eppgbm_csv(source / "eppgbm_2025-10.csv", [*rows, eppgbm_row(NIK="6402065505220099", JK="X")])
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(db))
    monkeypatch.setenv("DASBOR_SOURCE_DIR", str(source))
    monkeypatch.setenv("DASBOR_UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("DASBOR_PSEUDONYM_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("DASBOR_LOGIN_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    return db


def _open_page() -> AppTest:
    at = open_page(PAGE, check=False)
    return at


def test_page_renders_for_kabupaten(app_env):
    at = _open_page()
    assert not at.exception, at.exception
    assert at.title[0].value == "Perbarui Data"
    assert any("versi" in i.value for i in at.info)  # the data version shown
    assert any("200 MB" in m.value for m in at.markdown)  # the stated size limit
    assert [b.label for b in at.button][:1] == ["Simpan unggahan"]


def test_page_is_refused_to_pembina(app_env):
    at = AppTest.from_file(f"../{PAGE}", default_timeout=60)
    at.session_state["user_role"] = "pembina"
    at.session_state["user_scope_kec"] = ("64.02.06",)
    at.run()
    assert not at.exception
    assert at.error and "kabupaten" in at.error[0].value
    assert not at.get("file_uploader") and not at.button


def test_check_then_rebuild_shows_what_changed(app_env):
    at = _open_page()
    next(b for b in at.button if b.label == "Periksa data").click().run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric][:3] == ["Baris dibaca", "Baris dimuat", "Baris ditolak"]
    assert at.metric[1].value == "5" and at.metric[2].value == "1"
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Bangun ulang data dasbor").click().run()
    assert not at.exception, at.exception
    assert any("diperbarui ke versi" in s.value for s in at.success)
    assert at.header[0].value == "Perubahan data"  # shown first, under the notice
    assert any(m.label == "Baris ditolak" and m.value == "1" for m in at.metric)
