"""pages/tindak_lanjut.py and the scorecard cell form under AppTest: record, edit, close,
a stale edit refused, and a pembina who sees only their kecamatan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path, monkeypatch) -> FollowupStore:
    monkeypatch.setenv("DASBOR_TINDAK_LANJUT", str(tmp_path / "tindak_lanjut.sqlite"))
    return FollowupStore()


def open_tindak_lanjut(scope: tuple[str, ...] | None = None) -> AppTest:
    pembina = {"user_scope_kec": scope, "user_name": "pembina_tgr", "user_role": "pembina"}
    return open_page("pages/tindak_lanjut.py", session=pembina if scope is not None else None, timeout=60)


def listed(at: AppTest) -> list[str]:
    """The Rekomendasi column of the page's list (the first table that has one)."""
    return next(list(d.value["Rekomendasi"]) for d in at.dataframe if "Rekomendasi" in d.value.columns)


def submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_record_edit_close(warehouse_path, store):
    at = open_tindak_lanjut()
    at.selectbox(key="tl-new-kec").set_value("64.02.06")
    at.run()
    at.text_area(key="tl-new-text").input("Latih 10 kader baru")
    at.text_input(key="tl-new-pic").input("Dinkes")
    submit(at, "Simpan rekomendasi")
    assert "Rekomendasi nomor 1 disimpan" in at.success[0].value
    (rec,) = store.recommendations(Actor("t"))
    assert (rec.kode_kec, rec.text, rec.pic, rec.status, rec.created_by) == (
        "64.02.06",
        "Latih 10 kader baru",
        "Dinkes",
        "terbuka",
        "pengguna lokal",
    )
    assert listed(at) == ["Latih 10 kader baru"]

    at.text_area(key="tl-note-1-1").input("Pelatihan dijadwalkan")
    submit(at, "Tandai selesai")
    rec = store.get(Actor("t"), 1)
    assert (rec.status, rec.note, rec.version) == ("selesai", "Pelatihan dijadwalkan", 2)
    # the default status filter shows open items only: the closed one is gone from the list
    assert at.info and "Belum ada rekomendasi" in at.info[0].value


def test_stale_edit_is_refused_on_the_page(warehouse_path, store):
    store.create(Actor("kabid"), RecommendationDraft("64.02.06", "Awal", "Dinkes", dt.date(2030, 1, 1)))
    at = open_tindak_lanjut()
    store.update(Actor("rekan"), 1, 1, pic="Bappeda")  # another session saves in between
    at.text_input(key="tl-pic-1-1").input("DP2KB")
    submit(at, "Simpan perubahan")
    assert "sudah diubah oleh rekan" in at.error[0].value
    assert store.get(Actor("t"), 1).pic == "Bappeda"


def test_pembina_sees_only_their_kecamatan(warehouse_path, store):
    kab = Actor("kabid")
    store.create(kab, RecommendationDraft("64.02.06", "Untuk Tenggarong", "Tim 1", dt.date(2030, 1, 1)))
    store.create(kab, RecommendationDraft("64.02.07", "Untuk kecamatan lain", "Tim 2", dt.date(2030, 1, 1)))
    at = open_tindak_lanjut(scope=("64.02.06",))
    assert listed(at) == ["Untuk Tenggarong"]
    assert at.selectbox(key="tl-new-kec").options == ["Tenggarong"]
    assert not any(b.label == "Buat salinan cadangan untuk diunduh" for b in at.button)


def test_scorecard_cell_opens_the_form(warehouse_path, store):
    at = open_page("pages/scorecard.py", timeout=60, check=False)
    assert not at.exception
    assert any("Klik sel" in c.value for c in at.caption)


def test_scorecard_cell_target():
    import pandas as pd

    from dashboard.metrics.scorecard import INDICATORS, delta_column
    from dashboard.ui.followup import scorecard_cell_target

    card = pd.DataFrame({"code": ["64.02.06", "64.02"], "is_kabupaten": [False, True]})
    stunting = next(i for i in INDICATORS if i.key == "stunting_pct")
    assert scorecard_cell_target(card, (0, stunting.short)) == ("64.02.06", "stunting_pct")
    assert scorecard_cell_target(card, (0, delta_column(stunting))) == ("64.02.06", "stunting_pct")
    assert scorecard_cell_target(card, (0, "Kecamatan")) == ("64.02.06", None)
    assert scorecard_cell_target(card, (1, stunting.short)) == (None, None)  # kabupaten row
    assert scorecard_cell_target(card, None) == (None, None)
