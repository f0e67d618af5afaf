"""dashboard/queries/transformation.py against recomputations on the sample warehouse."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.queries import transformation as queries
from etl.registers import SPM_FIELDS


@pytest.fixture
def posyandu(warehouse) -> pd.DataFrame:
    return warehouse.execute(
        """
        select posyandu_id, kode_kec, kode_desa, spm_fields, musdes_date, sk_number,
               kemendagri_reg_number, registration_status, has_full_legality
        from dim_posyandu
        """
    ).df()


@pytest.fixture
def latest_month(warehouse) -> date:
    return pd.Timestamp(warehouse.execute("select max(month) from fct_spm_service").fetchone()[0]).date()


def _present(value) -> bool:
    return value is not None and not pd.isna(value)


def test_field_count_distribution_counts_each_posyandu_once(posyandu):
    frame = queries.query_field_count_distribution(Filters(month=date(2025, 10, 1)))
    expected = pd.Series([len(list(f)) for f in posyandu["spm_fields"]]).value_counts()
    assert list(frame["spm_field_count"]) == list(range(7))
    assert frame.set_index("spm_field_count")["posyandu"].to_dict() == {k: int(expected.get(k, 0)) for k in range(7)}


def test_fields_served_in_official_order(posyandu):
    frame = queries.query_fields_served(Filters(month=date(2025, 10, 1)))
    assert list(frame["spm_field"]) == list(SPM_FIELDS)
    for row in frame.itertuples():
        serving = sum(row.spm_field in list(fields) for fields in posyandu["spm_fields"])
        assert row.posyandu_serving == serving
        assert row.share == pytest.approx(serving / len(posyandu))


def test_services_trend_sums_values_per_field_and_month(warehouse, posyandu, latest_month):
    kode_kec = posyandu["kode_kec"].value_counts().sort_index().idxmax()
    filters = Filters(month=latest_month, kode_kec=kode_kec)
    frame = queries.query_services_trend(filters)
    services = warehouse.execute("select posyandu_id, month, spm_field, value from fct_spm_service").df()
    services = services.merge(posyandu[["posyandu_id", "kode_kec"]], on="posyandu_id")
    services["month"] = pd.to_datetime(services["month"])
    start = pd.Timestamp(latest_month) - pd.DateOffset(months=11)
    chosen = services[(services["kode_kec"] == kode_kec) & services["month"].between(start, pd.Timestamp(latest_month))]
    expected = chosen.groupby(["month", "spm_field"]).agg(
        services=("value", "sum"), posyandu_reporting=("posyandu_id", "nunique")
    )
    got = frame.assign(month=pd.to_datetime(frame["month"])).set_index(["month", "spm_field"]).sort_index()
    pd.testing.assert_frame_equal(got[["services", "posyandu_reporting"]], expected.sort_index(), check_dtype=False)


def test_services_reporting_counts_posyandu_with_any_service(warehouse, posyandu, latest_month):
    row = queries.query_services_reporting(Filters(month=latest_month))
    reported = warehouse.execute(
        "select distinct posyandu_id from fct_spm_service where month = ?", [latest_month]
    ).df()
    assert row["posyandu_reporting"] == reported["posyandu_id"].isin(posyandu["posyandu_id"]).sum()
    assert row["posyandu_total"] == len(posyandu)


def test_pipeline_stages_are_cumulative_and_end_at_full_legality(posyandu):
    frame = queries.query_registration_pipeline(Filters(month=date(2025, 10, 1)))
    musdes = posyandu["musdes_date"].map(_present)
    sk = musdes & posyandu["sk_number"].map(_present)
    submitted = sk & posyandu["registration_status"].isin(["diajukan", "terverifikasi", "teregistrasi"])
    verified = submitted & posyandu["registration_status"].isin(["terverifikasi", "teregistrasi"])
    registered = (
        verified & (posyandu["registration_status"] == "teregistrasi") & posyandu["kemendagri_reg_number"].map(_present)
    )
    assert list(frame["posyandu"]) == [int(s.sum()) for s in (musdes, sk, submitted, verified, registered)]
    assert frame["posyandu"].iloc[-1] == posyandu["has_full_legality"].sum()
    assert (frame["posyandu_total"] == len(posyandu)).all()


def test_action_list_says_what_each_posyandu_lacks(warehouse, posyandu):
    actions = queries.query_legality_action_list(Filters(month=date(2025, 10, 1)))
    lacking = posyandu[~posyandu["has_full_legality"]].set_index("posyandu_id")
    assert sorted(actions["posyandu_id"]) == sorted(lacking.index)
    teams = warehouse.execute("select team, kode_kec from dim_mentoring_team").df()
    team_of = teams.groupby("kode_kec")["team"].agg(lambda t: ", ".join(sorted(t)))
    for row in actions.itertuples():
        p = lacking.loc[row.posyandu_id]
        expected = []
        if not _present(p["musdes_date"]):
            expected.append("belum musdes")
        if not _present(p["sk_number"]):
            expected.append("belum SK")
        expected += {
            "belum": ["belum diajukan"],
            "diajukan": ["menunggu verifikasi"],
            "terverifikasi": ["menunggu nomor registrasi"],
            "teregistrasi": [] if _present(p["kemendagri_reg_number"]) else ["nomor registrasi belum tercatat"],
        }[p["registration_status"]]
        assert row.missing == ", ".join(expected)
        assert row.next_step == expected[0]
        assert row.team == team_of.get(p["kode_kec"], queries.NO_TEAM)


def test_action_list_for_one_team_and_summary(posyandu):
    filters = Filters(month=date(2025, 10, 1))
    actions = queries.query_legality_action_list(filters)
    summary = queries.summarise_action_list(actions)
    assert summary["posyandu"].sum() == len(actions)
    team = summary["team"].iloc[0]
    one = queries.query_legality_action_list(filters, team)
    assert set(one["team"]) == {team}
    assert len(one) == summary.loc[summary["team"] == team, "posyandu"].iloc[0]
    assert (
        summary.loc[summary["team"] == team, "no_musdes"].iloc[0] == one["missing"].str.contains("belum musdes").sum()
    )


def test_kecamatan_filter_restricts_every_query(posyandu):
    kode_kec = posyandu["kode_kec"].value_counts().sort_index().idxmax()
    filters = Filters(month=date(2025, 10, 1), kode_kec=kode_kec)
    in_kec = posyandu[posyandu["kode_kec"] == kode_kec]
    assert queries.query_field_count_distribution(filters)["posyandu"].sum() == len(in_kec)
    assert queries.query_registration_pipeline(filters)["posyandu_total"].iloc[0] == len(in_kec)
    assert set(queries.query_legality_action_list(filters)["kode_kec"]) <= {kode_kec}
