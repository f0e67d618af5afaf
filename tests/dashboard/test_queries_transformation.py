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


@pytest.fixture
def served(warehouse, latest_month) -> pd.DataFrame:
    """Independent: fields with a service value > 0 per posyandu in the latest month."""
    return warehouse.execute(
        """
        select posyandu_id, list(distinct spm_field) as fields
        from fct_spm_service
        where month = ? and value > 0
        group by posyandu_id
        """,
        [latest_month],
    ).df()


def test_field_count_distribution_declared_and_served(posyandu, served, latest_month):
    frame = queries.query_field_count_distribution(Filters(month=latest_month)).set_index("spm_field_count")
    declared = pd.Series([len(list(f)) for f in posyandu["spm_fields"]]).value_counts()
    counts = dict(zip(served["posyandu_id"], [len(list(f)) for f in served["fields"]], strict=True))
    served_counts = pd.Series([counts.get(p, 0) for p in posyandu["posyandu_id"]]).value_counts()
    assert list(frame.index) == list(range(7))
    assert frame["posyandu_declared"].to_dict() == {k: int(declared.get(k, 0)) for k in range(7)}
    assert frame["posyandu_served"].to_dict() == {k: int(served_counts.get(k, 0)) for k in range(7)}


def test_fields_declared_and_served_in_official_order(posyandu, served, latest_month):
    frame = queries.query_spm_fields(Filters(month=latest_month))
    assert list(frame["spm_field"]) == list(SPM_FIELDS)
    served_by = dict(zip(served["posyandu_id"], [set(f) for f in served["fields"]], strict=True))
    for row in frame.itertuples():
        declaring = {
            p for p, f in zip(posyandu["posyandu_id"], posyandu["spm_fields"], strict=True) if row.spm_field in list(f)
        }
        serving = {p for p, f in served_by.items() if row.spm_field in f}
        assert row.posyandu_declared == len(declaring)
        assert row.posyandu_served == len(serving)
        assert row.declared_not_served == len(declaring - serving)
        assert row.served_not_declared == len(serving - declaring)
        assert row.posyandu_total == len(posyandu)


def test_indicator_trend_keeps_indicators_apart_and_covers_balita_against_s(warehouse, posyandu, latest_month):
    kode_kec = posyandu["kode_kec"].value_counts().sort_index().idxmax()
    filters = Filters(month=latest_month, kode_kec=kode_kec)
    frame = queries.query_service_indicator_trend(filters)
    services = warehouse.execute("select posyandu_id, month, spm_field, indicator, value from fct_spm_service").df()
    services = services.merge(posyandu[["posyandu_id", "kode_kec"]], on="posyandu_id")
    services["month"] = pd.to_datetime(services["month"])
    start = pd.Timestamp(latest_month) - pd.DateOffset(months=11)
    chosen = services[(services["kode_kec"] == kode_kec) & services["month"].between(start, pd.Timestamp(latest_month))]
    expected = chosen.groupby(["month", "spm_field", "indicator"]).agg(
        value_total=("value", "sum"), posyandu_reporting=("posyandu_id", "nunique")
    )
    got = frame.assign(month=pd.to_datetime(frame["month"])).set_index(["month", "spm_field", "indicator"]).sort_index()
    pd.testing.assert_frame_equal(got[["value_total", "posyandu_reporting"]], expected.sort_index(), check_dtype=False)
    report = warehouse.execute("select posyandu_id, month, s from fct_posyandu_month").df()
    report["month"] = pd.to_datetime(report["month"])
    weighed = chosen[chosen["indicator"] == "Balita ditimbang"].merge(report, on=["posyandu_id", "month"])
    weighed = weighed[weighed["s"] > 0]
    now = weighed[weighed["month"] == pd.Timestamp(latest_month)]
    row = got.loc[(pd.Timestamp(latest_month), "KES", "Balita ditimbang")]
    assert row["coverage"] == pytest.approx(now["value"].sum() / now["s"].sum())
    assert got.loc[(pd.Timestamp(latest_month), "PU")]["coverage"].isna().all()


def test_services_reporting_counts_posyandu_with_any_service(warehouse, posyandu, latest_month):
    row = queries.query_services_reporting(Filters(month=latest_month))
    reported = warehouse.execute(
        "select distinct posyandu_id from fct_spm_service where month = ?", [latest_month]
    ).df()
    assert row["posyandu_reporting"] == reported["posyandu_id"].isin(posyandu["posyandu_id"]).sum()
    assert row["posyandu_total"] == len(posyandu)


def _stage_counts(warehouse, month: date) -> list[int]:
    """Independent recomputation: master in force (asof), pengurus and anggota from the kader register."""
    return list(
        warehouse.execute(
            """
            with ends as (select last_day(cast($month as date)) as month_end),
            posyandu as (select distinct posyandu_id from dim_master_posyandu),
            in_force as (
                select m.*
                from posyandu as p
                cross join ends as e
                asof join dim_master_posyandu as m
                    on m.posyandu_id = p.posyandu_id and m.snapshot_date <= e.month_end
            ),
            kader as (
                select
                    posyandu_id,
                    count(distinct role) filter (where role in ('Ketua', 'Sekretaris', 'Bendahara')) = 3 as pengurus,
                    count(*) filter (where role = 'Anggota') > 0 as anggota
                from dim_kader
                where coalesce(active_from, date '1900-01-01') <= last_day(cast($month as date))
                    and (active_to is null or active_to >= cast($month as date))
                group by posyandu_id
            ),
            flags as (
                select
                    musdes_date is not null as a,
                    a and sk_number is not null as b,
                    b and coalesce(k.pengurus, false) as c,
                    c and coalesce(k.anggota, false) as d,
                    d and registration_status in ('diajukan', 'terverifikasi', 'teregistrasi') as e,
                    e and registration_status in ('terverifikasi', 'teregistrasi') as f,
                    f and registration_status = 'teregistrasi' and kemendagri_reg_number is not null as g
                from in_force
                left join kader as k using (posyandu_id)
            )
            select count(*) filter (where a), count(*) filter (where b), count(*) filter (where c),
                count(*) filter (where d), count(*) filter (where e), count(*) filter (where f), count(*) filter (where g)
            from flags
            """,
            {"month": month},
        ).fetchone()
    )


def test_pipeline_stages_are_cumulative_with_change_from_last_month(warehouse, posyandu, latest_month):
    frame = queries.query_registration_pipeline(Filters(month=latest_month))
    previous = (pd.Timestamp(latest_month) - pd.DateOffset(months=1)).date()
    now, before = _stage_counts(warehouse, latest_month), _stage_counts(warehouse, previous)
    assert list(frame["stage"]) == [key for key, _ in queries.PIPELINE_STAGES]
    assert list(frame["posyandu"]) == now
    assert list(frame["delta"]) == [a - b for a, b in zip(now, before, strict=True)]
    assert frame["posyandu"].is_monotonic_decreasing
    assert (frame["posyandu_total"] == len(posyandu)).all()


def test_registration_history_follows_the_masters(warehouse, latest_month):
    history = queries.query_registration_history(Filters(month=latest_month))
    assert len(history) > 1
    for row in history.itertuples():
        assert row.registered == _stage_counts(warehouse, pd.Timestamp(row.month).date())[-1]
    assert list(history["delta"].iloc[1:]) == list(history["registered"].diff().iloc[1:].astype(int))
    first_master = warehouse.execute("select min(snapshot_date) from dim_master_posyandu").fetchone()[0]
    assert pd.Timestamp(history["month"].iloc[0]) == pd.Timestamp(first_master).replace(day=1)


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
    assert queries.query_field_count_distribution(filters)["posyandu_declared"].sum() == len(in_kec)
    assert queries.query_registration_pipeline(filters)["posyandu_total"].iloc[0] == len(in_kec)
    assert set(queries.query_legality_action_list(filters)["kode_kec"]) <= {kode_kec}
