"""mart_stunting_by_area_month takes each indicator's 95% interval from that indicator's own
row of the design-based engine (group "all"), never from another indicator's or a subgroup's."""

from __future__ import annotations

from datetime import date

from tests.support.sql_models import OCTOBER, build_models, fetch_dicts, measurement

INDICATORS = ("stunting", "severe_stunting", "wasting", "overweight", "underweight")


def test_stunting_mart_takes_each_indicators_interval_from_its_own_engine_row():
    # ten children in two posyandu (two clusters: a–f in P1, g–j in P2), boys and girls alternating:
    #   HAZ −3,5 (a) and −2,5 (b, c, d) → stunting 4/10, severe stunting 1/10
    #   WHZ −2,5 (e, f) and +2,5 (g, h, i) → wasting 2/10, overweight 3/10
    #   WAZ −2,5 (a, b, c, e, f) → underweight 5/10
    haz = {"a": -3.5, "b": -2.5, "c": -2.5, "d": -2.5}
    whz = {"e": -2.5, "f": -2.5, "g": 2.5, "h": 2.5, "i": 2.5}
    waz = {c: -2.5 for c in "abcef"}
    rows = [
        measurement(
            child,
            date(2025, 10, 10),
            posyandu_id="P1" if child in "abcdef" else "P2",
            sex=1 + i % 2,
            haz=haz.get(child, 0.0),
            whz=whz.get(child, 0.0),
            waz=waz.get(child, 0.0),
        )
        for i, child in enumerate("abcdefghij")
    ]
    con = build_models(eppgbm=rows)
    (mart,) = fetch_dicts(
        con,
        "select * from mart_stunting_by_area_month where area_level = 'kabupaten' and month = $m",
        {"m": OCTOBER},
    )
    prevalence = {ind: mart[f"{ind}_prevalence"] for ind in INDICATORS}
    assert prevalence == {
        "stunting": 0.4,
        "severe_stunting": 0.1,
        "wasting": 0.2,
        "overweight": 0.3,
        "underweight": 0.5,
    }
    engine = {
        (row["indicator"], row["group_type"]): (row["ci_low"], row["ci_high"])
        for row in fetch_dicts(
            con,
            "select indicator, group_type, max(ci_low) as ci_low, max(ci_high) as ci_high "
            "from mart_nutrition_prevalence where area_level = 'kabupaten' group by 1, 2",
        )
    }
    own = {ind: engine[(ind, "all")] for ind in INDICATORS}
    assert len(set(own.values())) == len(INDICATORS)  # five different intervals: no pair can stand in
    assert any(group != "all" and low is not None for (_, group), (low, _) in engine.items())  # subgroups exist
    for ind in INDICATORS:
        low, high = own[ind]
        assert low < prevalence[ind] < high, ind
        assert (mart[f"{ind}_ci_low"], mart[f"{ind}_ci_high"]) == (low, high), ind
