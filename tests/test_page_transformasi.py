"""pages/transformasi.py runs inside the app and shows the master register's legality."""

from __future__ import annotations

from pathlib import Path

from dashboard.formatting import format_month, format_number
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


def test_transformasi_page_runs_and_counts_declared_served_and_registered(warehouse_path, warehouse):
    at = open_page("pages/transformasi.py", run_app_first=False, timeout=60)
    metrics = {m.label: m.value for m in at.metric}
    month = warehouse.execute("select max(month) from fct_posyandu_month").fetchone()[0]
    registered = warehouse.execute(
        """
        with in_force as (
            select *
            from dim_master_posyandu
            where snapshot_date <= last_day(cast($month as date))
            qualify row_number() over (partition by posyandu_id order by snapshot_date desc) = 1
        )
        select count(*)
        from in_force
        where musdes_date is not null
            and sk_number is not null
            and registration_status = 'teregistrasi'
            and kemendagri_reg_number is not null
        """,
        {"month": month},
    ).fetchone()[0]
    six_declared = warehouse.execute("select count(*) from dim_posyandu where len(spm_fields) = 6").fetchone()[0]
    six_served = warehouse.execute(
        """
        select count(*) from (
            select posyandu_id
            from fct_spm_service
            where month = $month and value > 0
            group by posyandu_id
            having count(distinct spm_field) = 6
        )
        """,
        {"month": month},
    ).fetchone()[0]
    total = warehouse.execute("select count(*) from dim_posyandu").fetchone()[0]
    assert metrics["Teregistrasi Kemendagri"] == format_number(registered)
    assert metrics["Keenam bidang SPM dinyatakan"] == format_number(six_declared)
    assert metrics["Keenam bidang SPM dilayani"] == format_number(six_served)
    assert six_served < six_declared
    assert metrics["Jumlah posyandu"] == format_number(total)
    # The action list offers every team with posyandu lacking legality.
    assert at.selectbox(key="legality-team").options[0] == "Semua tim"


def test_transformasi_page_names_the_missing_registers(sample_dir, tmp_path_factory, monkeypatch):
    from tests.support.partial_warehouse import build_partial_warehouse

    partial = build_partial_warehouse(
        sample_dir, tmp_path_factory.getbasetemp() / "partial_warehouse", ("posyandu", "laporan_bulanan")
    )
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(partial))
    at = open_page("pages/transformasi.py", run_app_first=False, timeout=60)
    warnings = " ".join(w.value for w in at.warning)
    assert "layanan 6 SPM belum dimuat" in warnings and "tim pendamping belum dimuat" in warnings
    # Without teams the action list still lists every posyandu lacking legality.
    assert "Belum ada tim pendamping" in at.selectbox(key="legality-team").options


def test_transformasi_page_for_one_team(warehouse_path, warehouse):
    at = open_page("pages/transformasi.py", run_app_first=False, timeout=60, check=False)
    team, kode_kec = warehouse.execute(
        "select team, kode_kec from dim_mentoring_team order by team, kode_kec limit 1"
    ).fetchone()
    at.selectbox(key="filter_kecamatan").set_value(kode_kec).run()
    at.selectbox(key="legality-team").set_value(team).run()
    assert not at.exception, [e.value for e in at.exception]
    lacking = warehouse.execute(
        "select count(*) from dim_posyandu where kode_kec = ? and not has_full_legality", [kode_kec]
    ).fetchone()[0]
    assert any(f"({format_number(lacking)} posyandu)" in m.value for m in at.markdown if team in m.value)


def test_a_month_before_the_first_master_says_why_fields_and_legality_are_empty(warehouse_path, warehouse):
    first = warehouse.execute("select min(month) from int_master_in_force_month").fetchone()[0]
    before = warehouse.execute(
        "select max(month) from fct_spm_service where month < $first", {"first": first}
    ).fetchone()[0]
    assert before is not None  # the sample reports services a year before its first master
    at = open_page("pages/transformasi.py", query={"periode": f"{before:%Y-%m}"}, run_app_first=False, timeout=60)
    notes = " ".join(i.value for i in at.info)
    assert "Belum ada master posyandu yang berlaku pada akhir" in notes
    assert f"mulai {format_month(first)}" in notes
    # no back-dated master: nothing declared or registered, as in fct_posyandu_legality_month
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Keenam bidang SPM dinyatakan"] == "0" and metrics["Teregistrasi Kemendagri"] == "0"
    at = open_page("pages/transformasi.py", query={"periode": f"{first:%Y-%m}"}, run_app_first=False, timeout=60)
    assert not any("Belum ada master posyandu yang berlaku" in i.value for i in at.info)
