"""pages/profil.py under AppTest: a desa's and a posyandu's numbers equal independent SQL,
the search opens a profile, a place outside a pembina's scope shows nothing of it, and a
recommendation recorded from a profile names its desa and posyandu."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.followup.store import Actor, FollowupStore
from dashboard.formatting import format_number, format_percent
from tests.support.apptest import open_page

SCOPE = "64.02.06"
PEMBINA = {"user_scope_kec": (SCOPE,), "user_name": "pembina_tgr", "user_role": "pembina"}


@pytest.fixture
def store(tmp_path, monkeypatch) -> FollowupStore:
    monkeypatch.setenv("DASBOR_TINDAK_LANJUT", str(tmp_path / "tindak_lanjut.sqlite"))
    return FollowupStore()


@pytest.fixture
def navigation_already_ran(monkeypatch):
    """A server process as users meet it: st.navigation has run once, so Streamlit's legacy
    pages/ mode is off. AppTest turns it back on before every run, which reruns a page whose
    file name equals its address (dashboard.ui.page.leave_legacy_pages_mode) and so drops a
    form's submit click before the form is reached."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.pages_manager import PagesManager

    class NavigatedPagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", NavigatedPagesManager)


def _metric(at: AppTest, label_start: str) -> str:
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return metric.value
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


def _latest_month(warehouse) -> dt.date:
    return warehouse.execute("select max(month) from fct_posyandu_month").fetchone()[0]


def _busiest_desa(warehouse, kecamatan: str = SCOPE) -> str:
    return warehouse.execute(
        "select kode_desa from dim_posyandu where kode_kec = ? group by 1 order by count(*) desc, 1 limit 1",
        [kecamatan],
    ).fetchone()[0]


def _independent_figures(warehouse, posyandu_ids: list[str], month: dt.date) -> dict:
    """The profile's headline, recounted from the facts (not the marts the page reads)."""
    month_end = warehouse.execute("select last_day(?::date)", [month]).fetchone()[0]
    kader = warehouse.execute(
        """
        select count(*) from dim_kader
        where posyandu_id = any(?) and coalesce(active_from, date '1900-01-01') <= ?
            and (active_to is null or active_to >= ?)
        """,
        [posyandu_ids, month_end, month],
    ).fetchone()[0]
    registered = warehouse.execute(
        "select count(*) filter (where registration_status = 'teregistrasi') from dim_posyandu where posyandu_id = any(?)",
        [posyandu_ids],
    ).fetchone()[0]
    s, d = warehouse.execute(
        """
        select sum(s), sum(d) from fct_posyandu_month
        where month = ? and posyandu_id = any(?) and s is not null and d is not null
        """,
        [month, posyandu_ids],
    ).fetchone()
    stunted, children = warehouse.execute(
        """
        with latest as (
            select child_key, arg_max(round(haz, 2), measured_on) as haz, arg_max(haz_flag, measured_on) as flag,
                arg_max(posyandu_id, measured_on) as posyandu_id
            from fct_measurement
            where month = ? and age_days <= 1826
            group by child_key
        )
        select count(*) filter (where haz < -2 and flag = 0), count(*) filter (where haz is not null and flag = 0)
        from latest where posyandu_id = any(?)
        """,
        [month, posyandu_ids],
    ).fetchone()
    return {"kader": kader, "registered": registered, "s": s, "d": d, "stunted": stunted, "children": children}


def test_desa_profile_numbers_equal_independent_sql(warehouse_path, warehouse):
    desa = _busiest_desa(warehouse)
    month = _latest_month(warehouse)
    posyandu = [
        r[0] for r in warehouse.execute("select posyandu_id from dim_posyandu where kode_desa = ?", [desa]).fetchall()
    ]
    name = warehouse.execute("select nama_desa from dim_desa where kode_desa = ?", [desa]).fetchone()[0]
    expected = _independent_figures(warehouse, posyandu, month)

    at = open_page("pages/profil.py", query={"desa": desa})
    assert name in at.title[0].value and at.title[0].value.startswith("Profil ")
    assert _metric(at, "Posyandu") == format_number(len(posyandu))
    assert _metric(at, "Kader aktif") == format_number(expected["kader"])
    assert _metric(at, "Teregistrasi") == f"{format_number(expected['registered'])} dari {format_number(len(posyandu))}"
    assert _metric(at, "D/S") == format_percent(100 * expected["d"] / expected["s"])
    assert _metric(at, "Stunting") == format_percent(100 * expected["stunted"] / expected["children"])
    table = next(d.value for d in at.dataframe if "Posyandu" in getattr(d.value, "columns", []))
    assert sorted(table["Posyandu"]) == sorted(
        r[0] for r in warehouse.execute("select posyandu_name from dim_posyandu where kode_desa = ?", [desa]).fetchall()
    )
    assert list(table["Posyandu"]) == sorted(table["Posyandu"], key=str.casefold)  # by name
    # the link keeps the place and writes the period
    assert at.query_params["desa"] == [desa] or at.query_params["desa"] == desa


def test_posyandu_profile_numbers_equal_independent_sql(warehouse_path, warehouse):
    month = _latest_month(warehouse)
    posyandu_id = warehouse.execute(
        "select posyandu_id from fct_posyandu_month where month = ? and s > 0 order by s desc, 1 limit 1", [month]
    ).fetchone()[0]
    expected = _independent_figures(warehouse, [posyandu_id], month)
    name, status = warehouse.execute(
        "select posyandu_name, registration_status from dim_posyandu where posyandu_id = ?", [posyandu_id]
    ).fetchone()

    at = open_page("pages/profil.py", query={"posyandu": posyandu_id})
    assert at.title[0].value == f"Profil Posyandu {name}"
    assert _metric(at, "Kader aktif") == format_number(expected["kader"])
    assert _metric(at, "Registrasi") == ("Sudah" if status == "teregistrasi" else "Belum")
    assert _metric(at, "D/S") == format_percent(100 * expected["d"] / expected["s"])
    if expected["children"]:
        assert _metric(at, "Stunting") == format_percent(100 * expected["stunted"] / expected["children"])
    visits = warehouse.execute(
        "select count(*) from fct_mentoring_visit where posyandu_id = ? and visited_on <= last_day(?::date)",
        [posyandu_id, month],
    ).fetchone()[0]
    shown = [d.value for d in at.dataframe if "Topik" in getattr(d.value, "columns", [])]
    assert (len(shown[0]) if shown else 0) == visits


def test_a_place_outside_the_pembina_scope_shows_nothing_of_it(warehouse_path, warehouse):
    other = warehouse.execute(
        "select kode_kec from dim_posyandu where kode_kec <> ? group by 1 order by count(*) desc limit 1", [SCOPE]
    ).fetchone()[0]
    desa = _busiest_desa(warehouse, other)
    name = warehouse.execute("select nama_desa from dim_desa where kode_desa = ?", [desa]).fetchone()[0]
    at = open_page("pages/profil.py", session=PEMBINA, query={"desa": desa})
    assert "di luar cakupan akun Anda" in at.warning[0].value
    assert not at.metric and not at.tabs
    assert all(name not in t.value for t in at.title)


@pytest.mark.parametrize("bad", ["64.02.99.9999", "'; drop table dim_desa; --", "x" * 300])
def test_a_tampered_place_gives_a_note_not_a_crash(warehouse_path, bad):
    at = open_page("pages/profil.py", query={"posyandu": bad})
    assert "tidak ditemukan" in at.warning[0].value


def test_the_search_opens_a_profile(warehouse_path, warehouse):
    desa = _busiest_desa(warehouse)
    name = warehouse.execute("select nama_desa from dim_desa where kode_desa = ?", [desa]).fetchone()[0]
    at = open_page()  # Ringkasan
    search = at.selectbox(key="place_search")
    labels = search.options  # the labels shown: "Desa X · Kec. Y", "Posyandu Z · X, Y"
    assert (
        len(labels)
        == warehouse.execute("select (select count(*) from dim_desa) + (select count(*) from dim_posyandu)").fetchone()[
            0
        ]
    )
    place_names = [text.split(" · ")[0].split(" ", 1)[1] for text in labels]
    assert place_names == sorted(place_names, key=str.casefold)
    search.set_value(f"desa:{desa}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith(name)


def test_recording_a_recommendation_from_a_posyandu_profile(warehouse_path, warehouse, store, navigation_already_ran):
    posyandu_id, desa = warehouse.execute(
        "select posyandu_id, kode_desa from dim_posyandu where kode_kec = ? order by 1 limit 1", [SCOPE]
    ).fetchone()
    at = open_page("pages/profil.py", session=PEMBINA, query={"posyandu": posyandu_id})
    key = "profile-fu-posyandu-new"
    at.text_area(key=f"{key}-text").input("Kunjungi posyandu, periksa buku register")
    at.text_input(key=f"{key}-pic").input("Tim Pendamping 1")
    next(b for b in at.button if b.label == "Simpan rekomendasi").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    (rec,) = store.recommendations(Actor("t"))
    assert (rec.kode_kec, rec.kode_desa, rec.posyandu_id, rec.created_by) == (
        SCOPE,
        desa,
        posyandu_id,
        "pembina_tgr",
    )
    assert "Rekomendasi nomor 1 disimpan" in at.success[0].value
