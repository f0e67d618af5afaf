"""Ringkasan's "Bandingkan dua periode": the chosen months' values and changes equal independent SQL."""

from datetime import date

import pytest

from dashboard.formatting import format_month, format_number, format_percent, round_half_up
from tests.support.apptest import open_page

CURRENT_KEY, PREVIOUS_KEY = "period_compare_current", "period_compare_previous"


def _expander(at):
    return next(e for e in at.expander if e.label == "Bandingkan dua periode")


def _metrics(at) -> dict:
    return {m.label: m for m in _expander(at).metric}


def _stunting(warehouse, month):
    return warehouse.execute(
        """
        with latest as (
            select child_key, arg_max(haz, measured_on) as haz, arg_max(haz_flag, measured_on) as flag
            from fct_measurement
            where month = $month and age_days <= 1826
            group by child_key
        )
        select count(*) filter (where haz < -2 and flag = 0), count(*) filter (where haz is not null and flag = 0)
        from latest
        """,
        {"month": month},
    ).fetchone()


def _kader(warehouse, month):
    # per hari buka: a monthly figure above kader terdaftar is a sum over the days open
    return warehouse.execute(
        """
        select
            sum(case when days_open > 1 and kader_present > kader_registered then kader_present / days_open
                else kader_present end),
            sum(kader_registered)
        from fct_posyandu_month
        where month = $month and days_open > 0 and kader_present is not null and kader_registered is not null
        """,
        {"month": month},
    ).fetchone()


def _ds(warehouse, month):
    return warehouse.execute(
        "select sum(d), sum(s) from fct_posyandu_month where month = $month and s is not null and d is not null",
        {"month": month},
    ).fetchone()


def _delta_text(now: float, before: float) -> str:
    shown = round_half_up([now, before], 1)
    delta = round(float(shown[0] - shown[1]), 1)
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return f"{sign}{format_number(abs(delta), 1)} poin"


@pytest.fixture
def months(warehouse) -> list[date]:
    rows = warehouse.execute("select distinct month from mart_stunting_by_area_month order by month").fetchall()
    return [r[0] for r in rows]


def test_default_is_latest_against_the_month_before(warehouse_path, months):
    at = open_page()
    assert at.selectbox(key=CURRENT_KEY).value == months[-1]
    assert at.selectbox(key=PREVIOUS_KEY).value == months[-2]
    assert format_month(months[-1]) in at.selectbox(key=CURRENT_KEY).options


@pytest.mark.parametrize("pick", [(-1, -4), (-7, -13)])
def test_chosen_periods_equal_independent_sql(warehouse, warehouse_path, months, pick):
    current, previous = months[pick[0]], months[pick[1]]
    at = open_page()
    at.selectbox(key=CURRENT_KEY).set_value(current)
    at.selectbox(key=PREVIOUS_KEY).set_value(previous)
    at.run()
    assert not at.exception
    shown = _metrics(at)
    for label, figures in (("Stunting", _stunting), ("Kader hadir", _kader), ("D/S", _ds)):
        top_now, n_now = figures(warehouse, current)
        top_before, n_before = figures(warehouse, previous)
        now, before = 100 * top_now / n_now, 100 * top_before / n_before
        assert shown[label].value == format_percent(now), label
        assert shown[label].delta == _delta_text(now, before), label
    captions = " ".join(c.value for c in _expander(at).caption)
    stunted, children = _stunting(warehouse, previous)
    assert f"{format_month(previous)}: {format_percent(100 * stunted / children)}" in captions
    assert f"({format_number(stunted)} dari {format_number(children)} balita diukur)" in captions


def test_changing_the_periods_changes_what_is_shown(warehouse_path, months):
    at = open_page()
    before = {label: (m.value, m.delta) for label, m in _metrics(at).items()}
    at.selectbox(key=PREVIOUS_KEY).set_value(months[0])
    at.run()
    after = {label: (m.value, m.delta) for label, m in _metrics(at).items()}
    assert after["Stunting"][0] == before["Stunting"][0]  # same current month
    assert after != before
    assert format_month(months[0]) in " ".join(c.value for c in _expander(at).caption)
    at.selectbox(key=CURRENT_KEY).set_value(months[-5])
    at.run()
    moved = {label: m.value for label, m in _metrics(at).items()}
    assert moved["Stunting"] != after["Stunting"][0]


def test_no_none_or_nan_in_the_comparison(warehouse_path, months):
    at = open_page()
    at.selectbox(key=PREVIOUS_KEY).set_value(months[0])  # earliest month: some registers have no data then
    at.run()
    texts = [m.value for m in _metrics(at).values()] + [m.delta for m in _metrics(at).values() if m.delta is not None]
    texts += [c.value for c in _expander(at).caption]
    for text in texts:
        for bad in ("None", "nan", "NaN", "NaT"):
            assert bad not in text.split(), (bad, text)


def test_moving_the_sidebar_period_starts_the_pickers_again_from_it(warehouse_path, months):
    at = open_page()
    at.selectbox(key=PREVIOUS_KEY).set_value(months[0]).run()
    at.selectbox(key="filter_month").set_value(months[-3]).run()
    assert not at.exception
    assert at.selectbox(key=CURRENT_KEY).value == months[-3]
    assert at.selectbox(key=PREVIOUS_KEY).value == months[-4]
