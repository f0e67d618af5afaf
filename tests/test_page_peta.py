"""pages/peta.py under AppTest: the map element is there with its legend, the values
beside it equal independent SQL, a click chooses the kecamatan for the whole app, and
without boundary files the posyandu points still show with a how-to."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def page(warehouse_path) -> AppTest:
    at = open_page("pages/peta.py", timeout=60)
    return at


def _map_args(at: AppTest) -> dict:
    """The st_folium component's arguments (AppTest shows it as an unknown element)."""
    maps = [e for e in at.main if getattr(e, "type", None) == "component_instance"]
    assert len(maps) == 1, "the map element is missing"
    assert maps[0].proto.component_name.endswith("st_folium")
    return json.loads(maps[0].proto.json_args)


def _table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Keterangan" in d.value.columns)


def _month(warehouse):
    return warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]


def test_peta_shows_map_with_legend_and_stunting_per_kecamatan(page, warehouse):
    # Drawn from the boundaries shipped in data/reference/boundaries: a clean clone has them.
    script = _map_args(page)["script"]
    assert "Tenggarong Seberang" in script and "Samboja Barat" in script
    assert "cahyadsn/wilayah_boundaries" in script
    assert "Prevalensi stunting (%)" in script
    assert "Klasifikasi: Kuantil (5 kelas)" in script
    assert "Posyandu (status registrasi)" in script
    assert "tiles" not in script.lower() or "tilelayer" not in script.lower()  # offline: no tile layer
    expected = warehouse.execute(
        """
        select k.nama_kec, case when m.n_haz >= 30 then 100.0 * m.stunted / m.n_haz end as stunting, m.n_haz
        from dim_kecamatan as k
        left join mart_stunting_by_area_month as m
            on m.area_level = 'kecamatan' and m.area_code = k.kode_kec and m.month = ?
        """,
        [_month(warehouse)],
    ).df()
    table = _table(page).set_index("Kecamatan")
    expected = expected.set_index("nama_kec").reindex(table.index)
    assert len(table) == 20
    assert np.allclose(
        pd.to_numeric(table["Prevalensi stunting (%)"], errors="coerce"),
        expected["stunting"].astype(float).round(1),
        equal_nan=True,
    )
    assert (pd.to_numeric(table["n (balita diukur)"]) == expected["n_haz"].fillna(0)).all()
    captions = " ".join(c.value for c in page.caption)
    assert "Prevalensi stunting" in captions and "Sumber: e-PPGBM" in captions and "klasifikasi kuantil" in captions


def test_peta_desa_level_ds_with_equal_intervals(page, warehouse):
    page.radio(key="map_level").set_value("Desa/Kelurahan")
    page.selectbox(key="map_indicator").set_value("ds")
    page.radio(key="map_classification").set_value("equal")
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    script = _map_args(page)["script"]
    assert "Klasifikasi: Interval sama" in script
    assert "D/S (balita ditimbang" in script
    assert "tidak ada data" in script  # most desa have no posyandu in the 5 % sample
    expected = warehouse.execute(
        """
        select d.nama_desa, d.nama_kec, 100.0 * sum(r.d) / nullif(sum(r.s), 0) as ds
        from dim_desa as d
        left join dim_posyandu as p using (kode_desa)
        left join fct_posyandu_month as r on r.posyandu_id = p.posyandu_id and r.month = ?
        group by all
        """,
        [_month(warehouse)],
    ).df()
    table = _table(page).set_index(["Desa/Kelurahan", "Kecamatan"])
    expected = expected.set_index(["nama_desa", "nama_kec"]).reindex(table.index)
    assert len(table) == 237
    assert np.allclose(
        pd.to_numeric(table["D/S (balita ditimbang ÷ sasaran) (%)"], errors="coerce"),
        expected["ds"].astype(float).round(1),
        equal_nan=True,
    )


def test_peta_registered_share_and_priority_run(page, warehouse):
    page.selectbox(key="map_indicator").set_value("registered").run()
    assert not page.exception, [e.value for e in page.exception]
    table = _table(page).set_index("Kecamatan")
    expected = warehouse.execute(
        """
        select k.nama_kec, 100.0 * avg(case when p.is_registered then 1 else 0 end) as registered
        from dim_kecamatan as k left join dim_posyandu as p using (kode_kec)
        group by 1
        """
    ).df()
    expected = expected.set_index("nama_kec").reindex(table.index)
    assert np.allclose(
        pd.to_numeric(table["Posyandu teregistrasi Kemendagri (%)"], errors="coerce"),
        expected["registered"].astype(float).round(1),
        equal_nan=True,
    )
    page.selectbox(key="map_indicator").set_value("priority").run()
    assert not page.exception, [e.value for e in page.exception]
    assert "Skor prioritas" in _map_args(page)["script"]
    assert _table(page)["Keterangan"].str.len().gt(0).all()  # every area says why


def test_chosen_kecamatan_narrows_the_desa_map_and_the_rest_of_the_app(page, warehouse):
    code, name = warehouse.execute(
        "select kode_kec, nama_kec from dim_kecamatan where kode_kec = '64.02.06'"
    ).fetchone()
    # What select_kecamatan does when the map is clicked (the callback is tested below).
    page.session_state["filter_kecamatan"] = code
    page.session_state["kept_filter_kecamatan"] = code
    page.radio(key="map_level").set_value("Desa/Kelurahan").run()
    assert not page.exception, [e.value for e in page.exception]
    table = _table(page)
    assert set(table["Kecamatan"]) == {name}
    posyandu = warehouse.execute("select count(*) from dim_posyandu where kode_kec = ?", [code]).fetchone()[0]
    captions = " ".join(c.value for c in page.caption)
    assert f"Kecamatan {name}" in captions and f"{posyandu} posyandu" in captions
    assert any(b.label == "Tampilkan seluruh kabupaten" for b in page.button)
    for other in ("pages/ringkasan.py", "pages/scorecard.py"):
        page.switch_page(other).run()
        assert not page.exception, [e.value for e in page.exception]
        assert page.selectbox(key="filter_kecamatan").value == code
    card = next(d.value for d in page.dataframe if "Kecamatan" in d.value.columns)
    assert card["Kecamatan"].tolist() == [name, "Kab. Kutai Kartanegara"]


def _click_script(feature: dict) -> None:
    import streamlit as st

    from dashboard.ui.map_clicks import select_clicked_area

    st.session_state["peta_map"] = {"last_active_drawing": feature}
    st.write(f"chosen={select_clicked_area('peta_map')}")
    st.write(f"filter={st.session_state.get('filter_kecamatan')}")
    st.write(f"kept={st.session_state.get('kept_filter_kecamatan')}")


@pytest.mark.parametrize(
    ("feature", "chosen"),
    [
        (
            {"type": "Feature", "geometry": {"type": "Polygon"}, "properties": {"kode_kec": "64.02.07"}},
            "64.02.07",
        ),
        (
            {
                "type": "Feature",
                "geometry": {"type": "MultiPolygon"},
                "properties": {"kode_desa": "64.02.06.1001", "kode_kec": "64.02.06"},
            },
            "64.02.06",
        ),
        ({"type": "Feature", "geometry": {"type": "Point"}, "properties": {"posyandu_id": "P1"}}, None),
    ],
)
def test_a_click_on_an_area_sets_the_shared_kecamatan_filter(feature, chosen):
    at = AppTest.from_function(_click_script, args=(feature,), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown] == [f"chosen={chosen}", f"filter={chosen}", f"kept={chosen}"]


def test_a_click_outside_the_users_scope_is_ignored():
    def script():
        import streamlit as st

        from dashboard.ui.map_clicks import select_clicked_area

        st.session_state["user_scope_kec"] = ("64.02.06",)
        st.session_state["m"] = {
            "last_active_drawing": {"geometry": {"type": "Polygon"}, "properties": {"kode_kec": "64.02.07"}}
        }
        st.write(f"chosen={select_clicked_area('m')}")

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    assert at.markdown[0].value == "chosen=None"


def test_without_boundary_files_the_points_show_with_a_how_to(warehouse_path, tmp_path, monkeypatch):
    import dashboard.maps.boundaries

    monkeypatch.setattr(dashboard.maps.boundaries, "default_search_dirs", lambda: [tmp_path])
    at = open_page("pages/peta.py", timeout=60)
    warning = " ".join(w.value for w in at.warning)
    assert "Batas wilayah tidak ditemukan" in warning and "data/boundaries/" in warning
    assert len(at.warning) == 1 and str(tmp_path) not in warning
    script = _map_args(at)["script"]
    assert "Posyandu (status registrasi)" in script
    assert "Batas wilayah belum tersedia" in script
    assert "data/boundaries/" not in script and str(tmp_path) not in script  # the how-to is said once


def test_a_click_on_a_desa_map_with_a_desa_picker_chooses_both_within_scope():
    # The stunting page's desa map: one handler, with the same scope check as the Peta map.
    def script():
        import streamlit as st

        from dashboard.ui.map_clicks import select_clicked_area

        st.session_state["user_scope_kec"] = ("64.02.06",)
        for code in ("64.02.06.2003", "64.02.07.2001"):
            st.session_state["m"] = {
                "last_active_drawing": {
                    "geometry": {"type": "Polygon"},
                    "properties": {"kode_desa": code, "kode_kec": code[:8]},
                }
            }
            st.write(f"chosen={select_clicked_area('m', 'desa_pick')}")
        st.write(f"desa={st.session_state.get('desa_pick')} kec={st.session_state.get('filter_kecamatan')}")

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown] == [
        "chosen=64.02.06.2003",
        "chosen=None",
        "desa=64.02.06.2003 kec=64.02.06",
    ]


def _legend_labels(at: AppTest) -> list[str]:
    """The class labels in the map legend, in order (between the classification line and the note)."""
    import re

    script = _map_args(at)["script"].replace("\\u003c", "<").replace("\\u003e", ">")
    legend = script.split("Klasifikasi:", 1)[1].split("Makin gelap", 1)[0]
    return re.findall(r"margin-right:6px[^>]*></span>([^<]+)</div>", legend)


def test_peta_classification_choice_changes_the_classes(page):
    quantile = _legend_labels(page)
    page.radio(key="map_classification").set_value("equal").run()
    assert not page.exception, [e.value for e in page.exception]
    equal = _legend_labels(page)
    assert quantile and equal and quantile != equal


def test_peta_priority_follows_the_users_weights(warehouse_path):
    from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY

    def priority_table(weights: dict[str, float]) -> pd.DataFrame:
        at = open_page("pages/peta.py", session={WEIGHTS_STATE_KEY: weights})
        at.selectbox(key="map_indicator").set_value("priority").run()
        assert not at.exception, [e.value for e in at.exception]
        return _table(at).set_index("Kecamatan")

    only = dict.fromkeys(DEFAULT_WEIGHTS, 0.0)
    by_stunting = priority_table({**only, "stunting": 100.0})
    by_legality = priority_table({**only, "legalitas": 100.0})
    column = next(c for c in by_stunting.columns if c.startswith("Skor prioritas"))
    stunting_scores = pd.to_numeric(by_stunting[column], errors="coerce")
    legality_scores = pd.to_numeric(by_legality[column], errors="coerce").reindex(stunting_scores.index)
    assert stunting_scores.max() == 100.0 and legality_scores.max() == 100.0
    assert not np.allclose(stunting_scores, legality_scores, equal_nan=True)
