"""SQL models of the pembina indicators checked against independent SQL on the generated
sample, and the attendance rule on hand-made rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.norms import read_norms
from etl.transform.snapshots import date_from_file_name, resolve_undated_snapshots, stamp_snapshot_dates

SQL_DIR = Path(__file__).resolve().parents[2] / "etl" / "sql"


def test_every_master_received_is_a_snapshot_and_dim_posyandu_is_the_newest(warehouse):
    snapshots = warehouse.execute("select count(distinct snapshot_date) from dim_master_posyandu").fetchone()[0]
    assert snapshots == 8  # seven dated CSV masters and the undated posyandu.xlsx
    mismatches = warehouse.execute(
        """
        with newest as (
            select posyandu_id, max(snapshot_date) as snapshot_date
            from dim_master_posyandu
            group by posyandu_id
        )
        select count(*)
        from dim_posyandu as d
        join newest as n using (posyandu_id)
        join dim_master_posyandu as m on m.posyandu_id = n.posyandu_id and m.snapshot_date = n.snapshot_date
        where d.registration_status <> m.registration_status
            or d.master_date <> n.snapshot_date
            or d.is_registered <> m.is_registered
        """
    ).fetchone()[0]
    assert mismatches == 0
    # the undated master describes the end of the latest report month
    assert warehouse.execute("select max(master_date) from dim_posyandu").fetchone()[0] == date(2025, 10, 31)


def test_registered_by_month_matches_an_asof_join_on_the_snapshots(warehouse):
    model = warehouse.execute(
        """
        select month, count(*) filter (where is_registered) as registered, count(*) as posyandu
        from fct_posyandu_legality_month
        group by month
        order by month
        """
    ).df()
    independent = warehouse.execute(
        """
        with months as (
            select distinct month from fct_posyandu_legality_month
        ),
        ends as (
            select month, last_day(month) as month_end from months
        ),
        posyandu as (
            select distinct posyandu_id from dim_master_posyandu
        )
        select e.month,
            count(*) filter (where m.registration_status = 'teregistrasi' and m.kemendagri_reg_number is not null) as registered,
            count(m.posyandu_id) as posyandu
        from ends as e
        cross join posyandu as p
        asof join dim_master_posyandu as m
            on m.posyandu_id = p.posyandu_id and m.snapshot_date <= e.month_end
        group by e.month
        order by e.month
        """
    ).df()
    pd.testing.assert_frame_equal(model, independent, check_dtype=False)
    # registration only grows in the sample, and the newest month equals the current master
    assert model["registered"].is_monotonic_increasing
    current = warehouse.execute("select count(*) filter (where is_registered) from dim_posyandu").fetchone()[0]
    assert model["registered"].iloc[-1] == current


def test_stages_are_passed_in_order(warehouse):
    broken = warehouse.execute(
        """
        select count(*)
        from fct_posyandu_legality_month
        where (stages_passed >= 7 and not is_registered)
            or (is_registered and has_musdes and has_sk and has_pengurus and has_kader_list and stages_passed < 7)
            or (stages_passed >= 2 and not (has_musdes and has_sk))
            or (not has_musdes and stages_passed > 0)
        """
    ).fetchone()[0]
    assert broken == 0


def test_fields_served_match_the_service_register(warehouse):
    model = warehouse.execute(
        """
        select month, posyandu_id, count(*) filter (where is_served) as served,
            count(*) filter (where is_declared) as declared
        from fct_spm_field_month
        group by all
        order by month, posyandu_id
        """
    ).df()
    independent = warehouse.execute(
        """
        with served as (
            select month, posyandu_id, count(distinct spm_field) as served
            from fct_spm_service
            where value > 0
            group by all
        )
        select l.month, l.posyandu_id, coalesce(s.served, 0) as served
        from (select distinct month, posyandu_id from fct_spm_field_month) as l
        left join served as s using (month, posyandu_id)
        order by l.month, l.posyandu_id
        """
    ).df()
    pd.testing.assert_series_equal(model["served"], independent["served"], check_dtype=False)
    latest = warehouse.execute("select max(month) from fct_spm_field_month").fetchone()[0]
    declared_now = warehouse.execute(
        "select posyandu_id, spm_field_count as declared from dim_posyandu order by posyandu_id"
    ).df()
    in_model = model[model["month"] == pd.Timestamp(latest)].reset_index(drop=True)
    assert in_model["declared"].tolist() == declared_now["declared"].tolist()
    # declared and served are different things: some declared fields had no service
    assert (in_model["declared"] > in_model["served"]).any()


def test_participation_counts_only_posyandu_that_opened(warehouse):
    model = warehouse.execute(
        """
        select month, sum(kader_present) filter (where opened) / sum(kader_registered) filter (where opened) as rate
        from mart_kader_by_posyandu_month
        group by month
        order by month
        """
    ).df()
    independent = warehouse.execute(
        """
        select month, sum(kader_present) / sum(kader_registered) as rate
        from fct_posyandu_month
        where days_open > 0
        group by month
        order by month
        """
    ).df()
    pd.testing.assert_frame_equal(model, independent, check_dtype=False)
    closed = warehouse.execute(
        "select count(*) from mart_kader_by_posyandu_month where not opened and participation is not null"
    ).fetchone()[0]
    assert closed == 0


def _run_kader_mart(rows: list[tuple]) -> pd.DataFrame:
    con = duckdb.connect()
    con.execute(
        "create table fct_posyandu_month (posyandu_id varchar, month date, days_open bigint, "
        "kader_registered bigint, kader_present bigint)"
    )
    con.executemany("insert into fct_posyandu_month values (?, ?, ?, ?, ?)", rows)
    con.execute(
        "create table dim_posyandu as select distinct posyandu_id, '64.02.01' as kode_kec, "
        "'64.02.01.2001' as kode_desa, 'Puskesmas X' as puskesmas from fct_posyandu_month"
    )
    frame = con.execute((SQL_DIR / "mart_kader_by_posyandu_month.sql").read_text()).df()
    con.close()
    return frame.set_index("posyandu_id")


def test_attendance_rule_mean_per_hari_buka():
    month = date(2025, 7, 1)
    frame = _run_kader_mart(
        [
            ("A", month, 1, 15, 12),  # opened once: as reported
            ("B", month, 2, 15, 26),  # a sum over two hari buka: mean 13 per day
            ("C", month, 2, 15, 14),  # opened twice, figure already per day
            ("D", month, 0, 15, 0),  # did not open: no rate
        ]
    )
    assert frame.loc["A", "participation"] == pytest.approx(12 / 15)
    assert frame.loc["B", "kader_present"] == pytest.approx(13)
    assert frame.loc["B", "participation"] == pytest.approx(13 / 15)
    assert frame.loc["C", "participation"] == pytest.approx(14 / 15)
    assert pd.isna(frame.loc["D", "participation"])
    assert not frame.loc["D", "opened"]


def test_date_in_file_name():
    assert date_from_file_name("posyandu_2025-06-30.xlsx") == date(2025, 6, 30)
    assert date_from_file_name("posyandu 2025-06.csv") == date(2025, 6, 30)
    assert date_from_file_name("master_posyandu_202502.xlsx") == date(2025, 2, 28)
    assert date_from_file_name("posyandu.xlsx") is None
    assert date_from_file_name("posyandu_2025-02-30.csv") is None
    assert date_from_file_name("posyandu_12025-06.csv") is None


def test_tanggal_data_column_wins_over_the_file_name():
    frame = pd.DataFrame({"posyandu_id": ["A", "B"], "snapshot_date": [pd.Timestamp("2025-05-31"), pd.NaT]})
    stamped = stamp_snapshot_dates(frame, "posyandu_2025-06.csv")
    assert stamped["snapshot_date"].tolist() == [pd.Timestamp("2025-05-31"), pd.Timestamp("2025-06-30")]


def test_undated_master_is_the_newest():
    frame = pd.DataFrame({"posyandu_id": ["A", "A"], "snapshot_date": [pd.Timestamp("2025-09-30"), pd.NaT]})
    resolved = resolve_undated_snapshots(frame, date(2025, 10, 1), date(2026, 12, 6))
    assert resolved["snapshot_date"].iloc[1] == pd.Timestamp("2025-10-31")
    # activity data older than a dated master: the undated one still comes after it
    later = resolve_undated_snapshots(frame, date(2025, 8, 1), date(2026, 12, 6))
    assert later["snapshot_date"].iloc[1] == pd.Timestamp("2025-10-01")
    # no activity data: today
    alone = resolve_undated_snapshots(frame.iloc[[1]], None, date(2026, 12, 6))
    assert alone["snapshot_date"].iloc[0] == pd.Timestamp("2026-12-06")


def test_norms_have_sources_and_the_pengurus_setting_is_stated(tmp_path):
    norms = read_norms().set_index("key")
    pengurus = norms.loc["kader_norm_counts_pengurus"]
    assert pengurus["value"] == "1" and "ketetapan dasbor" in pengurus["source_kind"]
    assert "26/11/2025" in pengurus["note"]
    assert norms.loc["registration_deadline", "value"] == "2025-06-30"
    broken = tmp_path / "norms.csv"
    read_norms().assign(source="").to_csv(broken, index=False)
    with pytest.raises(ValueError, match="tanpa sumber"):
        read_norms(broken)


def test_norms_reach_the_warehouse(warehouse):
    keys = {k for (k,) in warehouse.execute("select key from ref_norm").fetchall()}
    assert {"kader_norm_counts_pengurus", "registration_deadline"} <= keys
