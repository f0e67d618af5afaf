"""Priority score: normalisation, direction, missing components, weights and reasons."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.metrics.priority import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    MIN_CHILDREN,
    components_for,
    normalise_component,
    normalise_weights,
    rank_areas,
    rank_phrase,
    score_priority,
)


def _areas(**columns) -> pd.DataFrame:
    base = {
        "code": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "stunting_pct": [10.0, 20.0, 30.0],
        "children": [50, 50, 50],
        "basic_index": [80.0, 60.0, 40.0],
        "basic_index_n": [1, 1, 1],
        "ds_pct": [90.0, 80.0, 70.0],
        "s_total": [100, 100, 100],
        "kader_pct": [95.0, 90.0, 85.0],
        "kader_registered": [20, 20, 20],
        "legality_pct": [100.0, 50.0, 0.0],
        "posyandu": [2, 2, 2],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_default_weights_cover_every_component_and_sum_to_100():
    assert set(DEFAULT_WEIGHTS) == {c.key for c in COMPONENTS}
    assert sum(DEFAULT_WEIGHTS.values()) == 100


def test_normalise_weights_to_shares_and_zero_falls_back_to_defaults():
    shares = normalise_weights({"stunting": 2, "layanan_dasar": 2, "ds": 0, "kader": 0, "legalitas": 0})
    assert shares == {"stunting": 0.5, "layanan_dasar": 0.5, "ds": 0.0, "kader": 0.0, "legalitas": 0.0}
    assert normalise_weights(dict.fromkeys(DEFAULT_WEIGHTS, 0)) == {k: v / 100 for k, v in DEFAULT_WEIGHTS.items()}


def test_normalise_component_makes_100_the_worst_in_both_directions():
    values = pd.Series([10.0, 20.0, 30.0, np.nan])
    assert normalise_component(values, higher_is_worse=True).tolist()[:3] == [0.0, 50.0, 100.0]
    assert normalise_component(values, higher_is_worse=False).tolist()[:3] == [100.0, 50.0, 0.0]
    assert math.isnan(normalise_component(values, higher_is_worse=True).iloc[3])


def test_component_without_spread_scores_zero():
    assert normalise_component(pd.Series([5.0, 5.0, np.nan]), True).tolist()[:2] == [0.0, 0.0]


def test_worst_area_on_every_component_scores_100_and_ranks_first():
    scored = rank_areas(score_priority(_areas()))
    assert scored["code"].tolist() == ["C", "B", "A"]
    assert scored["priority_score"].tolist() == pytest.approx([100.0, 50.0, 0.0])
    assert scored["priority_rank"].tolist() == [1, 2, 3]
    assert (scored["components_used"] == 5).all()


def test_weighted_mean_by_hand():
    # Only stunting and D/S weigh; they disagree about A and C.
    areas = _areas(ds_pct=[70.0, 80.0, 90.0])
    weights = {"stunting": 3, "ds": 1, "layanan_dasar": 0, "kader": 0, "legalitas": 0}
    scored = score_priority(areas, weights).set_index("code")
    # A: stunting 0, D/S 100 -> 0.75*0 + 0.25*100 = 25; C: 0.75*100 + 0.25*0 = 75.
    assert scored.loc["A", "priority_score"] == pytest.approx(25.0)
    assert scored.loc["B", "priority_score"] == pytest.approx(50.0)
    assert scored.loc["C", "priority_score"] == pytest.approx(75.0)


def test_missing_component_reweights_and_is_stated():
    areas = _areas(basic_index=[80.0, 60.0, np.nan], basic_index_n=[1, 1, 0])
    scored = score_priority(areas).set_index("code")
    # C is the worst on the other four components: 100 after re-weighting (80 if the
    # missing Layanan Dasar counted as 0).
    assert scored.loc["C", "priority_score"] == pytest.approx(100.0)
    assert scored.loc["C", "components_used"] == 4
    assert scored.loc["C", "missing_components"] == "Layanan Dasar"
    assert "tanpa data: Layanan Dasar (bobot dibagi ulang)" in scored.loc["C", "reason"]
    # Layanan Dasar is normalised over A and B only: B (60) is the worst of the two.
    assert scored.loc["B", "layanan_dasar_score"] == pytest.approx(100.0)
    assert scored.loc["A", "missing_components"] == ""


def test_stunting_on_too_few_children_is_treated_as_missing():
    areas = _areas(children=[50, MIN_CHILDREN - 1, 50])
    scored = score_priority(areas).set_index("code")
    assert math.isnan(scored.loc["B", "stunting_score"])
    assert "stunting" in scored.loc["B", "missing_components"]


def test_area_without_any_component_has_no_score_and_ranks_last():
    nan = np.nan
    areas = _areas(
        stunting_pct=[10.0, 20.0, nan],
        children=[50, 50, 0],
        basic_index=[80.0, 60.0, nan],
        ds_pct=[90.0, 80.0, nan],
        kader_pct=[95.0, 90.0, nan],
        legality_pct=[100.0, 50.0, nan],
        posyandu=[2, 2, 0],
    )
    scored = rank_areas(score_priority(areas))
    assert scored["code"].iloc[-1] == "C"
    assert math.isnan(scored["priority_score"].iloc[-1])
    assert math.isnan(scored["priority_rank"].iloc[-1])
    assert scored["reason"].iloc[-1] == "tidak ada data untuk komponen mana pun"


def test_reason_names_values_and_ranks_in_bahasa():
    scored = score_priority(_areas()).set_index("code")
    reason = scored.loc["C", "reason"]
    assert reason.startswith("stunting 30,0% (tertinggi dari 3)")
    assert "Layanan Dasar 40,0 (terendah dari 3)" in reason
    assert reason.count(";") == 2  # the three largest contributions
    assert "stunting 20,0% (tertinggi ke-2 dari 3)" in scored.loc["B", "reason"]


def test_rank_phrase():
    assert rank_phrase(1, 20, True) == "tertinggi dari 20"
    assert rank_phrase(3, 237, False) == "terendah ke-3 dari 237"


def test_idm_component_is_named_and_formatted_as_idm():
    components = components_for("IDM")
    scored = score_priority(_areas(basic_index=[0.81, 0.7, 0.6]), components=components).set_index("code")
    assert "IDM 0,600 (terendah dari 3)" in scored.loc["C", "reason"]
    assert components_for("Indeks Desa - Layanan Dasar") == COMPONENTS


def test_zero_weight_component_neither_counts_nor_is_reported_missing():
    areas = _areas(kader_pct=[np.nan, np.nan, np.nan])
    weights = dict(DEFAULT_WEIGHTS, kader=0)
    scored = score_priority(areas, weights)
    assert (scored["missing_components"] == "").all()
    assert (scored["components_used"] == 4).all()


def test_contributions_sum_to_the_score():
    areas = _areas(basic_index=[80.0, np.nan, 40.0], basic_index_n=[1, 0, 1], ds_pct=[70.0, 95.0, 90.0])
    scored = score_priority(areas)
    parts = scored[[f"{c.key}_contribution" for c in COMPONENTS]].sum(axis=1, min_count=1)
    assert parts.tolist() == pytest.approx(scored["priority_score"].tolist())


def test_area_with_too_few_components_gets_no_score_and_says_why():
    nan = np.nan
    areas = _areas(
        stunting_pct=[10.0, 20.0, nan],
        children=[50, 50, 0],
        ds_pct=[90.0, 80.0, nan],
        s_total=[100, 100, 0],
        kader_pct=[95.0, 90.0, nan],
    )
    scored = rank_areas(score_priority(areas))
    c = scored.set_index("code").loc["C"]
    assert math.isnan(c["priority_score"])
    assert c["components_used"] == 2
    assert c["reason"].startswith("tidak diberi skor: hanya 2 dari 5 komponen berdata (minimal 3)")
    assert scored["code"].iloc[-1] == "C"


# --- edges the mutation check found untested -----------------------------------------------


def test_weights_not_given_count_as_zero_and_small_totals_still_normalise():
    from dashboard.metrics.priority import normalise_weights as shares_of

    assert shares_of({"stunting": 0.5}) == {
        "stunting": 1.0,
        "layanan_dasar": 0.0,
        "ds": 0.0,
        "kader": 0.0,
        "legalitas": 0.0,
    }
    assert shares_of({"stunting": None, "ds": -3, "kader": 1}) == {
        "stunting": 0.0,
        "layanan_dasar": 0.0,
        "ds": 0.0,
        "kader": 1.0,
        "legalitas": 0.0,
    }


def test_component_values_need_a_known_count_and_ignore_text():
    from dashboard.metrics.priority import DS, STUNTING, component_values

    areas = _areas(children=[50, None, 9], ds_pct=["90", "n/a", 70.0], s_total=[100, "?", None])
    assert component_values(areas, STUNTING).tolist()[:1] == [10.0]
    assert np.isnan(component_values(areas, STUNTING).tolist()[1:]).all()  # unknown n, n below 10
    values = component_values(areas, DS)
    assert values.iloc[0] == 90.0 and values.dtype == float
    assert np.isnan(values.iloc[1]) and np.isnan(values.iloc[2])  # not a number; unknown count


def test_ties_share_the_better_rank_and_the_next_rank_skips():
    areas = _areas(
        code=["A", "B", "C", "D"],
        name=list("ABCD"),
        **{k: v + [v[-1]] for k, v in _areas().drop(columns=["code", "name"]).to_dict("list").items()},
    )
    scored = score_priority(areas, {"stunting": 1})
    assert scored["priority_rank"].tolist() == [4.0, 3.0, 1.0, 1.0]
    assert scored["stunting_rank"].tolist() == [4.0, 3.0, 1.0, 1.0]
    assert list(scored.columns[: len(areas.columns)]) == list(areas.columns)  # no index column added


def test_rank_areas_puts_unscored_last_and_breaks_ties_by_code():
    scored = pd.DataFrame(
        {"code": ["B", "A", "C", "D"], "priority_score": [50.0, 50.0, np.nan, 70.0]}, index=[7, 8, 9, 10]
    )
    ranked = rank_areas(scored)
    assert ranked["code"].tolist() == ["D", "A", "B", "C"]
    assert ranked.index.tolist() == [0, 1, 2, 3] and "index" not in ranked.columns


def test_area_with_one_component_is_not_scored_and_says_why():
    areas = _areas(
        ds_pct=[90.0, np.nan, np.nan],
        kader_pct=[95.0, np.nan, np.nan],
        legality_pct=[100.0, np.nan, np.nan],
        basic_index=[80.0, np.nan, 40.0],
    )
    scored = score_priority(areas)
    assert np.isnan(scored.loc[1, "priority_score"])
    assert scored.loc[1, "components_used"] == 1
    assert scored.loc[1, "missing_components"] == "Layanan Dasar, D/S, partisipasi kader, legalitas lengkap"
    assert scored.loc[1, "reason"].startswith("tidak diberi skor: hanya 1 dari 5 komponen berdata (minimal 3)")
    assert scored.loc[2, "reason"].startswith("tidak diberi skor: hanya 2 dari 5")


def test_reason_lists_the_three_largest_parts_and_the_missing_ones():
    areas = _areas(kader_pct=[95.0, 90.0, np.nan])
    scored = score_priority(areas)
    reason = scored.loc[2, "reason"]
    assert reason.split("; ")[0].startswith("stunting 30,0% (tertinggi dari 3)")
    assert len(reason.split(" · ")[0].split("; ")) == 3
    assert reason.endswith(" · tanpa data: partisipasi kader (bobot dibagi ulang)")


def test_idm_component_is_named_after_the_index_with_three_decimals():
    from dashboard.metrics.priority import BASIC_SERVICES, basic_services_component

    idm = basic_services_component("IDM")
    assert (idm.key, idm.label, idm.reason_label, idm.value, idm.n) == (
        "layanan_dasar",
        "IDM (rendah)",
        "IDM",
        "basic_index",
        "basic_index_n",
    )
    assert idm.decimals == 3 and idm.higher_is_worse is False and idm.unit == ""
    assert basic_services_component("Indeks Desa - Layanan Dasar") is BASIC_SERVICES


@pytest.mark.parametrize("level", ["kecamatan", "desa"])
def test_priority_table_as_shown_and_downloaded(level):
    from dashboard.metrics.priority import priority_table

    areas = _areas(
        nama_kec=["Tenggarong", "Loa Kulu", "Anggana"], stunting_pct=[10.04, 20.05, 30.0], children=[50, 50, 5]
    )
    ranked = rank_areas(score_priority(areas))
    table = priority_table(ranked, COMPONENTS, level)
    name = "Desa/Kelurahan" if level == "desa" else "Kecamatan"
    expected_columns = [
        "Peringkat",
        name,
        *(["Kecamatan"] if level == "desa" else []),
        "Skor prioritas (0–100)",
        "Alasan",
        "Catatan n kecil",
        "Stunting (%)",
        "Balita diukur (jumlah)",
        "Layanan Dasar",
        "D/S (%)",
        "Partisipasi kader (%)",
        "Legalitas lengkap (%)",
        "Posyandu (jumlah)",
        "Komponen tersedia",
    ]
    assert list(table.columns) == expected_columns
    assert table["Peringkat"].tolist() == ranked["priority_rank"].astype(int).tolist()
    assert table[name].tolist() == ranked["name"].tolist()
    if level == "desa":
        assert table["Kecamatan"].tolist() == ranked["nama_kec"].tolist()
    assert table["Skor prioritas (0–100)"].tolist() == [round(s, 1) for s in ranked["priority_score"]]
    by_name = table.set_index(name)
    assert by_name.loc["Alpha", "Stunting (%)"] == 10.0 and by_name.loc["Beta", "Stunting (%)"] == 20.1  # half up
    assert np.isnan(by_name.loc["Gamma", "Stunting (%)"])  # 5 children: not used
    assert by_name.loc["Gamma", "Komponen tersedia"] == 4
    assert "5 balita diukur (minimal 30)" in by_name.loc["Gamma", "Catatan n kecil"]  # marked, not ranked on stunting
    assert by_name.loc["Alpha", "Catatan n kecil"] == ""
    assert by_name["Alasan"].tolist() == ranked.set_index("name")["reason"].tolist()


def test_reason_says_how_many_children_or_posyandu_stand_behind_a_share():
    scored = score_priority(_areas(stunted=[5, 10, 15], full_legality=[2, 1, 0])).set_index("code")
    assert scored.loc["C", "reason"].startswith("stunting 30,0% (15 dari 50 balita diukur; tertinggi dari 3); ")
    assert scored.loc["A", "reason"].startswith("stunting 10,0% (5 dari 50 balita diukur; tertinggi ke-3 dari 3); ")
    only_legality = {"stunting": 0, "layanan_dasar": 0, "ds": 0, "kader": 0, "legalitas": 100}
    scored = score_priority(_areas(full_legality=[2, 1, 0]), only_legality).set_index("code")
    assert scored.loc["C", "reason"].startswith("legalitas lengkap 0,0% (0 dari 2 posyandu; terendah dari 3)")


def test_reason_without_a_known_count_names_only_the_share_and_rank():
    scored = score_priority(_areas(stunted=[5, None, None])).set_index("code")
    assert scored.loc["C", "reason"].startswith("stunting 30,0% (tertinggi dari 3); ")
    assert "dari 50 balita" not in scored.loc["B", "reason"]


def test_small_n_notes_list_every_component_under_its_minimum_in_any_order():
    from dataclasses import replace

    from dashboard.metrics.priority import DS, KADER, STUNTING, small_n_notes

    kader_min_10 = replace(KADER, min_n=10, n_unit="kader")
    areas = _areas(children=[50, 5, 5], kader_registered=[20, 20, 4]).set_index(pd.Index([7, 8, 9]))
    notes = small_n_notes(areas, (DS, kader_min_10, STUNTING))
    assert notes.index.tolist() == [7, 8, 9]
    assert notes.tolist() == [
        "",
        "stunting tidak dihitung: 5 balita diukur (minimal 30)",
        "partisipasi kader tidak dihitung: 4 kader (minimal 10); stunting tidak dihitung: 5 balita diukur (minimal 30)",
    ]


def test_a_minimum_of_two_marks_an_area_of_one():
    from dataclasses import replace

    from dashboard.metrics.priority import STUNTING, small_n_notes

    notes = small_n_notes(_areas(children=[1, 2, 3]), (replace(STUNTING, min_n=2),))
    assert notes.tolist() == ["stunting tidak dihitung: 1 balita diukur (minimal 2)", "", ""]


# --- second mutation round: the downloaded table's numbers and the small-n notes' edges ----------


def test_priority_table_writes_ranks_and_counts_as_whole_numbers_and_an_unscored_rank_empty():
    from dashboard.export.tables import table_to_csv
    from dashboard.metrics.priority import priority_table

    # Gamma has stunting only: 1 of 5 components, so no score and no rank. Beta is worse than
    # Alpha on every component: stunting 50 (of 10–30), the others 100 → 0,3 × 50 + 0,7 × 100 = 85.
    areas = _areas(
        basic_index=[80.0, 60.0, np.nan],
        ds_pct=[90.0, 80.0, np.nan],
        kader_pct=[95.0, 90.0, np.nan],
        legality_pct=[100.0, 50.0, np.nan],
        posyandu=[2, 2, np.nan],  # no master for Gamma: no count, not a zero
    )
    table = priority_table(rank_areas(score_priority(areas)), COMPONENTS, "kecamatan")
    assert table["Kecamatan"].tolist() == ["Beta", "Alpha", "Gamma"]
    assert table["Skor prioritas (0–100)"].tolist()[:2] == [85.0, 0.0]
    counts = table[["Peringkat", "Balita diukur (jumlah)", "Posyandu (jumlah)", "Komponen tersedia"]]
    csv = table_to_csv(counts).decode("utf-8-sig")  # never "1,0": a rank and a count are whole
    assert csv.split("\r\n")[1:4] == ["1;50;2;5", "2;50;2;5", ";50;;1"]


def test_priority_table_rounds_the_score_to_one_decimal_and_idm_to_three():
    from dashboard.metrics.priority import priority_table

    # stunting 10/20/30 → 0/50/100; D/S 90/85/70 → 0/25/100 (low is worse); weights 1 : 2
    # → Beta (1 × 50 + 2 × 25) / 3 = 33,333…, shown 33,3
    weights = {"stunting": 1, "layanan_dasar": 0, "ds": 2, "kader": 0, "legalitas": 0}
    ranked = rank_areas(score_priority(_areas(ds_pct=[90.0, 85.0, 70.0]), weights))
    table = priority_table(ranked, COMPONENTS, "kecamatan").set_index("Kecamatan")
    assert table.loc["Beta", "Skor prioritas (0–100)"] == 33.3
    idm = components_for("IDM")
    ranked = rank_areas(score_priority(_areas(basic_index=[0.6543, 0.5, 0.4]), None, idm))
    table = priority_table(ranked, idm, "kecamatan").set_index("Kecamatan")
    assert table.loc["Alpha", "IDM"] == 0.654


def test_small_n_notes_leave_out_an_area_with_no_data_and_a_frame_without_the_n():
    from dashboard.metrics.priority import STUNTING, small_n_notes

    # 0 children is no data (the reason says "tanpa data"), not a small n
    assert small_n_notes(_areas(children=[0, 50, 50]), (STUNTING,)).tolist() == ["", "", ""]
    assert small_n_notes(_areas().drop(columns="children"), (STUNTING,)).tolist() == ["", "", ""]
