"""pages/transformasi.py runs inside the app and shows the master register's legality."""

from __future__ import annotations

from pathlib import Path

from dashboard.formatting import format_number
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


def test_transformasi_page_runs_and_counts_legal_posyandu(warehouse_path, warehouse):
    at = open_page("pages/transformasi.py", run_app_first=False, timeout=60)
    metrics = {m.label: m.value for m in at.metric}
    legal = warehouse.execute(
        """
        select count(*)
        from dim_posyandu
        where musdes_date is not null
            and sk_number is not null
            and registration_status = 'teregistrasi'
            and kemendagri_reg_number is not null
        """
    ).fetchone()[0]
    six = warehouse.execute("select count(*) from dim_posyandu where len(spm_fields) = 6").fetchone()[0]
    total = warehouse.execute("select count(*) from dim_posyandu").fetchone()[0]
    assert metrics["Legal penuh"] == format_number(legal)
    assert metrics["Melayani keenam bidang SPM"] == format_number(six)
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
