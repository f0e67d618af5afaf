"""dashboard/queries/stunting.py against an independent recount from fct_measurement (pandas)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.metrics import prevalence, quality
from dashboard.queries import stunting as q


@pytest.fixture(scope="module")
def measurements(warehouse_path) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return con.execute("select * from fct_measurement").df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def children(measurements) -> pd.DataFrame:
    """Each child's latest measurement per month, 0-59 completed months (the prevalence population)."""
    frame = measurements[(measurements["age_days"] >= 0) & (np.floor(measurements["age_days"] / (365.25 / 12)) <= 59)]
    frame = frame.sort_values(["child_key", "month", "measured_on"])
    return frame.groupby(["child_key", "month"], as_index=False).tail(1).copy()


@pytest.fixture(scope="module")
def latest_month(children) -> date:
    return pd.Timestamp(children["month"].max()).date()


def _recount(children: pd.DataFrame) -> pd.DataFrame:
    """n, stunted by month from plausible HAZ, in plain pandas."""
    plausible = children[children["haz_flag"] == 0]
    return plausible.groupby("month").agg(n=("haz", "size"), stunted=("haz", lambda h: int((h < -2).sum())))


def test_trend_equals_recount(children, latest_month):
    trend = q.query_stunting_trend(Filters(month=latest_month)).set_index("month")
    expected = _recount(children)
    expected.index = pd.to_datetime(expected.index)
    assert list(trend.index) == list(expected.index)
    assert trend["n_haz"].tolist() == expected["n"].tolist()
    assert trend["stunted"].tolist() == expected["stunted"].tolist()
    assert np.allclose(trend["prevalence"], expected["stunted"] / expected["n"])


def test_headline_equals_recount_and_mart_ci(children, latest_month, warehouse):
    headline = q.query_stunting_headline(Filters(month=latest_month))
    month = children[children["month"] == pd.Timestamp(latest_month)]
    plausible = month[month["haz_flag"] == 0]
    assert headline["n_haz"] == len(plausible)
    assert headline["stunted"] == int((plausible["haz"] < -2).sum())
    low, high = warehouse.execute(
        """
        select stunting_ci_low, stunting_ci_high
        from mart_stunting_by_area_month
        where area_level = 'kabupaten' and month = ?
        """,
        [latest_month],
    ).fetchone()
    assert headline["ci_low"] == pytest.approx(low)
    assert headline["ci_high"] == pytest.approx(high)


def test_scope_and_kecamatan_filters_restrict_every_count(children, latest_month):
    codes = sorted(children["kode_kec"].unique())[:2]
    month = children[(children["month"] == pd.Timestamp(latest_month)) & (children["haz_flag"] == 0)]
    for filters, visible in (
        (Filters(month=latest_month, scope_kec=tuple(codes)), codes),
        (Filters(month=latest_month, kode_kec=codes[0]), codes[:1]),
    ):
        mine = month[month["kode_kec"].isin(visible)]
        headline = q.query_stunting_headline(filters)
        assert headline["n_haz"] == len(mine)
        assert headline["stunted"] == int((mine["haz"] < -2).sum())
        bins = q.query_haz_distribution(filters)
        assert bins["children"].sum() == len(mine)
        summary = q.query_haz_summary(filters)
        assert summary["below_minus_2"] == int((mine["haz"] < -2).sum())
        assert summary["sd"] == pytest.approx(mine["haz"].std())


def test_kecamatan_desa_and_posyandu_figures_equal_recount(children, latest_month):
    month = children[(children["month"] == pd.Timestamp(latest_month)) & (children["haz_flag"] == 0)]
    by_kec = month.groupby("kode_kec")["haz"].agg(n="size", stunted=lambda h: int((h < -2).sum()))
    areas = q.query_area_prevalence(Filters(month=latest_month), "kecamatan").set_index("code")
    assert len(areas) == 20  # every kecamatan is listed, measured or not
    measured = areas[areas["n_haz"] > 0]
    assert measured["n_haz"].to_dict() == by_kec["n"].to_dict()
    assert measured["stunted"].to_dict() == by_kec["stunted"].to_dict()

    kode_kec = by_kec["n"].idxmax()
    filters = Filters(month=latest_month, kode_kec=kode_kec)
    desa = q.query_area_prevalence(filters, "desa").set_index("code")
    by_desa = (
        month[month["kode_kec"] == kode_kec]
        .groupby("kode_desa")["haz"]
        .agg(n="size", stunted=lambda h: int((h < -2).sum()))
    )
    assert set(desa["kode_kec"]) == {kode_kec}
    assert desa.loc[desa["n_haz"] > 0, "n_haz"].to_dict() == by_desa["n"].to_dict()
    assert desa.loc[desa["n_haz"] > 0, "stunted"].to_dict() == by_desa["stunted"].to_dict()

    kode_desa = by_desa["n"].idxmax()
    posyandu = q.query_posyandu_prevalence(filters, kode_desa)
    assert posyandu["n_haz"].sum() == by_desa.loc[kode_desa, "n"]  # unmatched children are their own row
    in_desa = month[month["kode_desa"] == kode_desa]
    by_posyandu = in_desa.dropna(subset=["posyandu_id"]).groupby("posyandu_id")["haz"].size()
    shown = posyandu.dropna(subset=["code"]).set_index("code")
    assert shown.loc[shown["n_haz"] > 0, "n_haz"].to_dict() == by_posyandu.to_dict()


def test_no_rank_below_30_children(latest_month):
    areas = q.query_area_prevalence(Filters(month=latest_month), "kecamatan")
    small = areas[(areas["n_haz"] > 0) & (areas["n_haz"] < 30)]
    assert small["rank"].isna().all()
    assert (small["rank_label"] == "n < 30").all()
    ranked = areas[areas["n_haz"] >= 30].sort_values("rank")
    assert ranked["rank"].notna().all()
    assert ranked["prevalence"].is_monotonic_decreasing
    assert ranked["rank"].iloc[0] == 1


def test_add_ranks_on_made_up_areas():
    frame = pd.DataFrame(
        {"name": ["a", "b", "c", "d"], "n_haz": [100, 29, 50, 0], "prevalence": [0.1, 0.9, 0.2, np.nan]}
    )
    ranked = prevalence.add_ranks(frame).set_index("name")
    assert ranked.loc["c", "rank"] == 1 and ranked.loc["a", "rank"] == 2
    assert ranked.loc["b", "rank_label"] == "n < 30" and pd.isna(ranked.loc["b", "rank"])
    assert ranked.loc["d", "rank_label"] == "tidak ada data"


def test_wilson_interval_pinned():
    # Wilson score 95% interval of 10/100 (Newcombe 1998, table I): 0.0552 to 0.1744.
    low, high = prevalence.wilson_interval([10, 0], [100, 0])
    assert low[0] == pytest.approx(0.0552, abs=5e-5)
    assert high[0] == pytest.approx(0.1744, abs=5e-5)
    assert math.isnan(low[1]) and math.isnan(high[1])


def test_mart_intervals_are_the_design_based_ones(warehouse):
    """mart_stunting_by_area_month carries the engine's design-based interval (WHO's method),
    not a simple-random-sample one; none for a posyandu (a single cluster)."""
    frame = warehouse.execute(
        """
        select m.*, e.indicator, e.ci_low, e.ci_high
        from mart_stunting_by_area_month m
        join mart_nutrition_prevalence e
            on e.month = m.month and e.area_level = m.area_level and e.area_code = m.area_code
        where e.group_type = 'all' and m.n_haz > 0
        """
    ).df()
    assert set(frame["area_level"]) == {"kabupaten", "kecamatan", "desa"}
    for indicator in ("stunting", "severe_stunting", "wasting", "overweight", "underweight"):
        rows = frame[frame["indicator"] == indicator]
        assert np.allclose(rows[f"{indicator}_ci_low"], rows["ci_low"], equal_nan=True), indicator
        assert np.allclose(rows[f"{indicator}_ci_high"], rows["ci_high"], equal_nan=True), indicator
        shown = rows.dropna(subset=[f"{indicator}_ci_low"])
        assert (shown[f"{indicator}_ci_low"] <= shown[f"{indicator}_prevalence"] + 1e-12).all()
        assert (shown[f"{indicator}_ci_high"] >= shown[f"{indicator}_prevalence"] - 1e-12).all()
    posyandu = warehouse.execute(
        "select count(stunting_ci_low) from mart_stunting_by_area_month where area_level = 'posyandu'"
    ).fetchone()[0]
    assert posyandu == 0


def test_survey_figures_are_survey_only(warehouse):
    surveys = q.query_survey_stunting()
    kinds = warehouse.execute(
        "select distinct kind from fct_official_stunting where source in (select unnest(?))", [list(surveys["source"])]
    ).fetchall()
    assert surveys.empty or kinds == [("survei",)]
    assert surveys["year"].is_monotonic_increasing


# --- data quality ---------------------------------------------------------------------


def test_data_quality_totals_equal_recount(children, latest_month):
    month = children[children["month"] == pd.Timestamp(latest_month)]
    totals = q.query_data_quality_totals(Filters(month=latest_month))
    assert totals["children"] == len(month)

    flagged = (month["haz_flag"] == 1) | (month["waz_flag"] == 1) | (month["whz_flag"] == 1)
    any_z = month[["haz", "waz", "whz"]].notna().any(axis=1)
    assert totals["any_flagged"] == int(flagged.sum())
    assert totals["n_any_z"] == int(any_z.sum())

    indicators = quality.compute_quality_indicators(totals)
    assert indicators["flagged"][0] == pytest.approx(100 * flagged.sum() / any_z.sum())
    assert indicators["sd_haz"][0] == pytest.approx(month.loc[month["haz_flag"] == 0, "haz"].std())
    assert indicators["sd_whz"][0] == pytest.approx(month.loc[month["whz_flag"] == 0, "whz"].std())

    weight_digits = (np.round(month["weight_kg"].dropna() * 10).astype(int) % 10).value_counts()
    height_digits = (np.round(month["height_cm"].dropna() * 10).astype(int) % 10).value_counts()
    assert quality.digit_counts(totals, "weight").tolist() == [float(weight_digits.get(d, 0)) for d in range(10)]
    assert quality.digit_counts(totals, "height").tolist() == [float(height_digits.get(d, 0)) for d in range(10)]

    birth_day = (month["measured_on"] - pd.to_timedelta(month["age_days"], unit="D")).dt.day
    assert totals["born_on_1st"] == int((birth_day == 1).sum())
    assert totals["born_on_15th"] == int((birth_day == 15).sum())

    assert totals["measure_missing"] == int(month["measure"].isna().sum())
    assert totals["lying_from_24_months"] == int(((month["measure"] == "L") & (month["age_days"] >= 731)).sum())
    assert totals["standing_under_24_months"] == int(((month["measure"] == "H") & (month["age_days"] < 731)).sum())
    assert totals["standing_under_9_months"] == int(month["position_error"].sum())

    for key in ("haz", "waz", "whz"):
        both = month[month[f"export_{key}"].notna() & month[key].notna()]
        assert totals[f"n_export_{key}"] == len(both)
        assert totals[f"export_{key}_differs"] == int(((both[f"export_{key}"] - both[key]).abs() > 0.1).sum())


def test_inconsistent_children_counted_across_all_records(measurements, children, latest_month):
    birth = measurements["measured_on"] - pd.to_timedelta(measurements["age_days"], unit="D")
    per_child = (
        measurements.assign(birth=birth).groupby("child_key").agg(births=("birth", "nunique"), sexes=("sex", "nunique"))
    )
    odd = set(per_child.index[(per_child["births"] > 1) | (per_child["sexes"] > 1)])
    month = children[children["month"] == pd.Timestamp(latest_month)]
    totals = q.query_data_quality_totals(Filters(month=latest_month))
    assert totals["inconsistent_child"] == int(month["child_key"].isin(odd).sum())


def test_data_quality_by_kecamatan_and_month_add_up(latest_month):
    filters = Filters(month=latest_month)
    totals = q.query_data_quality_totals(filters)
    by_kec = q.query_data_quality_by_kecamatan(filters)
    assert by_kec["children"].sum() == totals["children"]
    assert by_kec["height_digit_0"].sum() == totals["height_digit_0"]
    trend = q.query_data_quality_trend(filters)
    assert trend.iloc[-1]["children"] == totals["children"]
    assert trend["month"].max() == pd.Timestamp(latest_month)


def test_quality_ratings_follow_the_stated_thresholds():
    rules = quality.QUALITY_RULES
    assert rules["flagged"].rate(0.5, 1000) == quality.GOOD
    assert rules["flagged"].rate(1.5, 1000) == quality.WATCH
    assert rules["flagged"].rate(2.0, 1000) == quality.PROBLEM
    assert rules["sd_haz"].rate(1.0, 1000) == quality.GOOD
    assert rules["sd_haz"].rate(1.3, 1000) == quality.WATCH
    assert rules["sd_haz"].rate(0.6, 1000) == quality.PROBLEM
    assert rules["sd_haz"].rate(1.0, 29) == quality.TOO_FEW
    assert rules["height_digit"].rate(5.0, 199) == quality.TOO_FEW
    assert (
        rules["sd_haz"].describe() == "Baik 0,8–1,2; Perlu perhatian 0,7–0,8 atau 1,2–1,5; Bermasalah < 0,7 atau ≥ 1,5"
    )
    assert rules["flagged"].describe() == "Baik < 1%; Perlu perhatian 1–2%; Bermasalah ≥ 2%"


def test_dissimilarity_index():
    assert quality.dissimilarity_index([10] * 10) == pytest.approx(0)
    assert quality.dissimilarity_index([100] + [0] * 9) == pytest.approx(90)
    # heights rounded to .0 and .5 only: half the records on each
    assert quality.dissimilarity_index([50, 0, 0, 0, 0, 50, 0, 0, 0, 0]) == pytest.approx(80)
    assert math.isnan(quality.dissimilarity_index([0] * 10))


def test_export_differences_share():
    totals = pd.Series({"n_export_haz": 200, "export_haz_differs": 50, "n_export_waz": 0, "export_waz_differs": 0})
    frame = quality.compute_export_differences(totals).set_index("indicator")
    assert frame.loc["TB/U", "share"] == pytest.approx(25)
    assert math.isnan(frame.loc["BB/U", "share"])


def test_import_problems_equal_recount(warehouse):
    refused = q.query_import_problems().set_index("problem")["rows"].to_dict()
    rejected = warehouse.execute(
        """
        select file, row_number, lower(column_name) as column_name, reason
        from etl_rejected_row
        where register = 'eppgbm' and run_id = (select run_id from etl_run order by finished_at desc limit 1)
        """
    ).df()
    before_birth = rejected["reason"] == "tanggal lahir setelah tanggal pengukuran"
    date_column = rejected["column_name"].isin(
        ["tgl lahir", "tanggal lahir", "tanggal pengukuran", "tgl pengukuran", "tanggal ukur"]
    )
    sex_column = rejected["column_name"].isin(["jk", "jenis kelamin", "l/p"])
    expected = {
        "Tanggal lahir setelah tanggal ukur": rejected[before_birth],
        "Tanggal kosong atau tidak sah": rejected[date_column & ~before_birth],
        "Jenis kelamin kosong atau tidak sah": rejected[sex_column],
    }
    expected = {k: len(v.drop_duplicates(["file", "row_number"])) for k, v in expected.items()}
    assert refused == {k: v for k, v in expected.items() if v}
