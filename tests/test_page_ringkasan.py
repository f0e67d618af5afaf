"""Ringkasan under AppTest: renders, and its headline numbers equal independent SQL."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import format_number, format_percent
from tests.support.apptest import open_page

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def app(warehouse_path) -> AppTest:
    return open_page()


def _metric(at: AppTest, label_start: str) -> str:
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return metric.value
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


def test_ringkasan_numbers_equal_independent_sql(app, warehouse):
    latest = warehouse.execute("select max(month) from fct_posyandu_month").fetchone()[0]
    posyandu, registered = warehouse.execute(
        "select count(*), count(*) filter (where registration_status = 'teregistrasi' and kemendagri_reg_number is not null) from dim_posyandu"
    ).fetchone()
    present, registered_kader = warehouse.execute(
        "select sum(kader_present), sum(kader_registered) from fct_posyandu_month where month = ?", [latest]
    ).fetchone()
    stunted, children = warehouse.execute(
        """
        with latest as (
            select child_key, arg_max(haz, measured_on) as haz, arg_max(haz_flag, measured_on) as flag
            from fct_measurement
            where month = (select max(month) from fct_measurement) and age_days <= 1826
            group by child_key
        )
        select count(*) filter (where haz < -2 and flag = 0), count(*) filter (where haz is not null and flag = 0) from latest
        """
    ).fetchone()
    assert _metric(app, "Jumlah posyandu") == format_number(posyandu)
    assert _metric(app, "Teregistrasi") == format_percent(registered / posyandu * 100)
    assert _metric(app, "Partisipasi kader") == format_percent(present / registered_kader * 100)
    assert _metric(app, "Stunting — e-PPGBM") == format_percent(stunted / children * 100)
    survey = warehouse.execute(
        "select value_pct from fct_official_stunting where kind = 'survei' and area ilike 'kutai kartanegara' order by year desc limit 1"
    ).fetchone()[0]
    assert _metric(app, "Stunting — survei") == format_percent(survey)


def test_ringkasan_says_routine_is_not_survey(app):
    captions = " ".join(c.value for c in app.caption)
    assert "data rutin, bukan survei" in captions
    assert "Kader hadir pada hari buka ÷ kader terdaftar" in captions
