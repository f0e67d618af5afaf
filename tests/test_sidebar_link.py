"""The shared filters under AppTest: read from and written to the URL, checked against the
reader's scope, areas listed by name, and a chosen puskesmas narrowing the numbers."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from dashboard.formatting import format_month, format_number, format_percent
from tests.support.apptest import open_page

SCOPE = "64.02.06"
PEMBINA = {"user_scope_kec": (SCOPE,), "user_name": "pembina_tgr", "user_role": "pembina"}


def _param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _metric(at: AppTest, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _months(warehouse) -> list[dt.date]:
    return [r[0] for r in warehouse.execute("select distinct month from fct_posyandu_month order by 1").fetchall()]


def _other_kecamatan(warehouse) -> str:
    return warehouse.execute(
        "select kode_kec from dim_posyandu where kode_kec <> ? group by 1 order by count(*) desc, 1 limit 1", [SCOPE]
    ).fetchone()[0]


def test_a_link_opens_the_view_it_names_and_the_url_follows_the_choice(warehouse_path, warehouse):
    month = _months(warehouse)[-2]
    puskesmas = warehouse.execute(
        "select puskesmas from dim_posyandu where kode_kec = ? group by 1 order by 1 limit 1", [SCOPE]
    ).fetchone()[0]
    at = open_page(query={"periode": f"{month:%Y-%m}", "kecamatan": SCOPE, "puskesmas": puskesmas})
    assert at.selectbox(key="filter_month").value == month
    assert at.selectbox(key="filter_kecamatan").value == SCOPE
    assert at.selectbox(key="filter_puskesmas").value == puskesmas
    assert not at.warning
    # the URL written back names the same view (a link sent on opens it again)
    assert (_param(at, "periode"), _param(at, "kecamatan"), _param(at, "puskesmas")) == (
        f"{month:%Y-%m}",
        SCOPE,
        puskesmas,
    )
    # a choice in the sidebar rewrites the URL; "Semua kecamatan" drops the areas from it
    at.selectbox(key="filter_kecamatan").set_value(None).run()
    assert _param(at, "kecamatan") is None and _param(at, "puskesmas") is None
    assert _param(at, "periode") == f"{month:%Y-%m}"
    # the view survives a change of page (Streamlit drops the query string then)
    at.switch_page("pages/kader.py").run()
    assert at.selectbox(key="filter_month").value == month


def test_tampered_and_invalid_params_give_bahasa_notes_and_defaults(warehouse_path, warehouse):
    latest = _months(warehouse)[-1]
    at = open_page(query={"periode": "2019-13", "kecamatan": "64.02.99", "puskesmas": "<b>x</b>"})
    notes = " ".join(w.value for w in at.warning)
    assert "Periode" in notes and "periode terbaru" in notes
    assert "Kecamatan “64.02.99” dari tautan tidak dikenal" in notes
    assert "Puskesmas" in notes and "tidak dikenal" in notes
    assert at.selectbox(key="filter_month").value == latest
    assert at.selectbox(key="filter_kecamatan").value is None
    assert _param(at, "periode") == f"{latest:%Y-%m}" and _param(at, "kecamatan") is None
    gone = open_page(query={"periode": "2019-01"})
    assert format_month(dt.date(2019, 1, 1)) in gone.warning[0].value


def test_a_pembina_link_to_another_kecamatan_shows_their_own(warehouse_path, warehouse):
    other = _other_kecamatan(warehouse)
    other_name = warehouse.execute("select nama_kec from dim_kecamatan where kode_kec = ?", [other]).fetchone()[0]
    at = open_page(session=PEMBINA, query={"kecamatan": other})
    assert any(f"Kecamatan {other_name}, di luar cakupan akun Anda" in w.value for w in at.warning)
    assert at.selectbox(key="filter_kecamatan").value == SCOPE
    assert at.selectbox(key="filter_kecamatan").options == [
        warehouse.execute("select nama_kec from dim_kecamatan where kode_kec = ?", [SCOPE]).fetchone()[0]
    ]
    own = warehouse.execute("select count(*) from dim_posyandu where kode_kec = ? and is_balita", [SCOPE]).fetchone()[0]
    assert _metric(at, "Posyandu balita") == format_number(own)
    assert _param(at, "kecamatan") == SCOPE


def test_areas_are_listed_by_name(warehouse_path, warehouse):
    at = open_page()
    kecamatan = at.selectbox(key="filter_kecamatan").options[1:]
    names = [r[0] for r in warehouse.execute("select nama_kec from dim_kecamatan").fetchall()]
    assert kecamatan == sorted(names, key=str.casefold)
    assert kecamatan != [
        r[0] for r in warehouse.execute("select nama_kec from dim_kecamatan order by kode_kec").fetchall()
    ]
    puskesmas = [p.split(" · ")[0] for p in at.selectbox(key="filter_puskesmas").options[1:]]
    assert puskesmas == sorted(puskesmas, key=str.casefold)
    assert len(puskesmas) == warehouse.execute("select count(distinct puskesmas) from dim_posyandu").fetchone()[0]


def test_a_chosen_puskesmas_narrows_the_numbers(warehouse_path, warehouse):
    month = _months(warehouse)[-1]
    puskesmas, kode_kec = warehouse.execute(
        """
        select puskesmas, kode_kec from dim_posyandu
        where kode_kec in (select kode_kec from dim_posyandu group by 1 having count(distinct puskesmas) > 1)
        group by all order by count(*) desc, 1 limit 1
        """
    ).fetchone()
    posyandu, present, registered = warehouse.execute(
        """
        select
            (select count(*) from dim_posyandu where puskesmas = $p and is_balita),
            sum(r.kader_present),
            sum(r.kader_registered)
        from fct_posyandu_month as r
        join dim_posyandu as p using (posyandu_id)
        where p.puskesmas = $p and r.month = $m and r.days_open > 0
            and r.kader_present is not null and r.kader_registered is not null
        """,
        {"p": puskesmas, "m": month},
    ).fetchone()
    at = open_page()
    at.selectbox(key="filter_puskesmas").set_value(puskesmas).run()
    assert at.selectbox(key="filter_kecamatan").value == kode_kec  # the puskesmas names its kecamatan
    assert _metric(at, "Posyandu balita") == format_number(posyandu)
    assert _metric(at, "Partisipasi kader") == format_percent(100 * present / registered)
    assert _param(at, "puskesmas") == puskesmas
    whole = warehouse.execute(
        "select count(*) from dim_posyandu where kode_kec = ? and is_balita", [kode_kec]
    ).fetchone()[0]
    assert posyandu < whole  # the narrowing shows: fewer than the kecamatan's posyandu


def test_the_sidebar_desa_narrows_the_numbers_and_is_in_the_link(warehouse_path, warehouse):
    desa_codes = [
        r[0]
        for r in warehouse.execute(
            "select kode_desa from dim_posyandu where kode_kec = ? and is_balita group by 1 order by count(*) desc, 1",
            [SCOPE],
        ).fetchall()
    ]
    at = open_page()
    assert at.selectbox(key="filter_desa").disabled  # the whole kabupaten: pick a kecamatan first
    at.selectbox(key="filter_kecamatan").set_value(SCOPE).run()
    offered = at.selectbox(key="filter_desa").options
    assert offered[0] == "Semua desa/kelurahan" and offered[1:] == sorted(offered[1:], key=str.casefold)
    in_scope = warehouse.execute("select count(*) from dim_desa where kode_kec = ?", [SCOPE]).fetchone()[0]
    assert len(offered) == in_scope + 1  # that kecamatan's desa only
    chosen = desa_codes[0]
    at.selectbox(key="filter_desa").set_value(chosen).run()
    posyandu = warehouse.execute(
        "select count(*) from dim_posyandu where kode_desa = ? and is_balita", [chosen]
    ).fetchone()[0]
    assert _metric(at, "Posyandu balita") == format_number(posyandu)
    assert _param(at, "desa") == chosen
    # another kecamatan drops the desa
    at.selectbox(key="filter_kecamatan").set_value(_other_kecamatan(warehouse)).run()
    assert at.selectbox(key="filter_desa").value is None and _param(at, "desa") is None


def test_a_desa_link_opens_the_stunting_drill_down_and_a_tampered_one_is_refused(warehouse_path, warehouse):
    linked = warehouse.execute("select max(kode_desa) from fct_measurement where kode_kec = ?", [SCOPE]).fetchone()[
        0
    ]  # not the picker's default (the first by name)
    at = open_page("pages/stunting.py", query={"kecamatan": SCOPE, "desa": linked})
    assert at.selectbox(key="filter_desa").value == linked
    assert _param(at, "desa") == linked
    assert "stunting_desa" not in [s.key for s in at.selectbox]  # the sidebar's desa is the drill-down's
    own = {
        r[0]
        for r in warehouse.execute("select posyandu_name from dim_posyandu where kode_desa = ?", [linked]).fetchall()
    }
    tables = [d.value for d in at.dataframe if "Posyandu" in d.value.columns]
    assert tables and set(tables[0]["Posyandu"]) - {"Posyandu tidak dikenali"} <= own  # the posyandu of that desa
    other = _other_kecamatan(warehouse)
    other_desa = warehouse.execute("select min(kode_desa) from dim_desa where kode_kec = ?", [other]).fetchone()[0]
    tampered = open_page("pages/stunting.py", session=PEMBINA, query={"kecamatan": SCOPE, "desa": other_desa})
    assert any("di luar cakupan akun Anda" in w.value for w in tampered.warning)
    assert tampered.selectbox(key="filter_desa").value is None
    assert tampered.selectbox(key="stunting_desa").value.startswith(SCOPE)


def test_a_desa_profile_link_does_not_narrow_the_other_pages(warehouse_path, warehouse):
    """On the profile `?desa=` names the profile, not the sidebar's desa: opening one from the
    search must not leave every other page narrowed to that desa."""
    kode_desa = warehouse.execute("select min(kode_desa) from dim_posyandu where kode_kec = ?", [SCOPE]).fetchone()[0]
    at = open_page("pages/profil.py", query={"desa": kode_desa})
    assert not at.exception
    assert at.selectbox(key="filter_desa").value is None
    assert _param(at, "desa") == kode_desa  # the profile's address stays
