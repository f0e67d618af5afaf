"""dashboard/rapat/changes.py and screens.py: the "what changed" sentences against independent SQL, and the pure wording."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from dashboard.filters import Filters, months_before
from dashboard.formatting import format_month, format_number, format_percent
from dashboard.rapat.changes import (
    NOT_SIGNIFICANT,
    Change,
    aggregate_areas,
    build_screens,
    ranges_overlap,
    shown_delta,
    summarise_changes,
)
from dashboard.rapat.screens import build_rapat_screens, dates_as_python


def _latest_month(warehouse) -> dt.date:
    return warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]


def _half_up(x: float) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _design_interval(warehouse, code: str, month: dt.date) -> tuple[float, float]:
    return warehouse.execute(
        """
        select ci_low, ci_high
        from mart_nutrition_prevalence
        where area_level = 'kecamatan' and area_code = $code and month = $month
            and group_type = 'all' and indicator = 'stunting'
        """,
        {"code": code, "month": month},
    ).fetchone()


def _expected_bullet(label: str, now: float | None, before: float | None, month: dt.date, qualifier: str = "") -> str:
    if now is None:
        return f"{label}: tidak ada data {format_month(month)}"
    if before is None:
        return (
            f"{label} {format_percent(now)} (tidak ada data {format_month(months_before(month, 1))} untuk dibandingkan)"
        )
    delta = _half_up(now) - _half_up(before)
    if delta == 0:
        return f"{label} tetap {format_percent(now)}"
    verb = "naik" if delta > 0 else "turun"
    return f"{label} {verb} {format_number(abs(delta), 1)} poin menjadi {format_percent(now)}{qualifier}"


def _independent_indicators(warehouse, month: dt.date) -> pd.DataFrame:
    """Per kecamatan, straight from the fact tables: stunted/children (each child's latest
    measurement in the month, 0-59 months, plausible HAZ), kader present/registered, D/S."""
    stunting = warehouse.execute(
        """
        with latest as (
            select kode_kec, haz, haz_flag
            from fct_measurement
            where month = $month
                and age_days between 0 and 1826
            qualify row_number() over (partition by child_key order by measured_on desc) = 1
        )
        select
            kode_kec,
            count(*) filter (where haz_flag = 0 and haz < -2) as stunted,
            count(*) filter (where haz_flag = 0 and haz is not null) as children
        from latest
        group by kode_kec
        """,
        {"month": month},
    ).df()
    reports = warehouse.execute(
        """
        select
            p.kode_kec,
            sum(r.kader_present) filter (
                where r.days_open > 0 and r.kader_present is not null and r.kader_registered is not null
            ) as present,
            sum(r.kader_registered) filter (
                where r.days_open > 0 and r.kader_present is not null and r.kader_registered is not null
            ) as registered,
            sum(r.d) filter (where r.s is not null and r.d is not null) as d,
            sum(r.s) filter (where r.s is not null and r.d is not null) as s
        from fct_posyandu_month as r
        join dim_posyandu as p using (posyandu_id)
        where r.month = $month
        group by p.kode_kec
        """,
        {"month": month},
    ).df()
    frame = pd.merge(stunting, reports, on="kode_kec", how="outer").set_index("kode_kec")
    return frame.fillna(0)


def _pct(part: float, whole: float) -> float | None:
    return 100 * float(part) / float(whole) if whole else None


def test_bullets_equal_independent_sql_deltas(warehouse_path, warehouse):
    month = _latest_month(warehouse)
    now = _independent_indicators(warehouse, month)
    before = _independent_indicators(warehouse, months_before(month, 1))
    screens = build_rapat_screens(Filters(month=month))
    names = dict(warehouse.execute("select kode_kec, nama_kec from dim_kecamatan").fetchall())
    checked = 0
    for screen in screens[1:]:
        code = screen.code
        assert screen.name == f"Kecamatan {names[code]}"
        cur = now.loc[code]
        prev = before.loc[code] if code in before.index else None
        stunting_now = _pct(cur["stunted"], cur["children"])
        stunting_before = None if prev is None else _pct(prev["stunted"], prev["children"])
        qualifier = ""
        if stunting_now is not None and stunting_before is not None:
            short = [m for m, row in ((month, cur), (months_before(month, 1), prev)) if row["children"] < 30]
            if len(short) == 2:  # 30: the catalogue's minimum n for stunting
                qualifier = " (balita diukur kurang dari 30 di kedua bulan, belum dapat dinilai)"
            elif short:
                qualifier = f" (balita diukur {format_month(short[0])} kurang dari 30, belum dapat dinilai)"
            else:
                # the design-based intervals the build stored for the kecamatan, read straight from the mart
                low_a, high_a = _design_interval(warehouse, code, month)
                low_b, high_b = _design_interval(warehouse, code, months_before(month, 1))
                known = None not in (low_a, high_a, low_b, high_b)  # one posyandu measured: no interval
                if known and not (low_a > high_b or high_a < low_b):
                    qualifier = f" ({NOT_SIGNIFICANT})"
            if stunting_now is not None and round(stunting_now, 1) == round(stunting_before, 1):
                qualifier = ""
        expected = [
            _expected_bullet("Stunting", stunting_now, stunting_before, month, qualifier),
            _expected_bullet(
                "Kader hadir",
                _pct(cur["present"], cur["registered"]),
                None if prev is None else _pct(prev["present"], prev["registered"]),
                month,
            ),
            _expected_bullet(
                "D/S", _pct(cur["d"], cur["s"]), None if prev is None else _pct(prev["d"], prev["s"]), month
            ),
        ]
        assert list(screen.bullets) == expected, code
        checked += 1
    assert checked >= 10  # the 5 % sample has reports and measurements in most kecamatan


def test_screens_are_headline_plus_each_kecamatan_with_data(warehouse_path, warehouse):
    month = _latest_month(warehouse)
    with_data = warehouse.execute(
        """
        select count(distinct kode_kec) from (
            select kode_kec
            from fct_measurement
            where month = $month and age_days between 0 and 1826 and haz_flag = 0 and haz is not null
            union all
            select p.kode_kec
            from fct_posyandu_month as r
            join dim_posyandu as p using (posyandu_id)
            where r.month = $month
                and (
                    (r.s > 0 and r.d is not null)
                    or (r.kader_registered > 0 and r.kader_present is not null)
                )
        )
        """,
        {"month": month},
    ).fetchone()[0]
    screens = build_rapat_screens(Filters(month=month))
    assert len(screens) == 1 + with_data
    assert [s.number for s in screens] == list(range(1, len(screens) + 1))
    assert screens[0].kind == "kabupaten" and screens[0].name == "Kabupaten Kutai Kartanegara"
    # worst first: the priority score's ranks (metrics.priority) in screen order
    ranks = [s.priority_rank for s in screens[1:] if s.priority_rank is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(s.priority_of == len(ranks) for s in screens[1:])


def test_headline_sums_every_kecamatan(warehouse_path, warehouse):
    month = _latest_month(warehouse)
    stunted, children = warehouse.execute(
        """
        select stunted, n_haz from mart_stunting_by_area_month
        where area_level = 'kabupaten' and month = $month
        """,
        {"month": month},
    ).fetchone()
    headline = build_rapat_screens(Filters(month=month))[0]
    assert (headline.stunted, headline.children) == (stunted, children)
    assert headline.title.startswith(
        f"Kabupaten Kutai Kartanegara: stunting {format_percent(100 * stunted / children)}"
    )
    assert any("dari" in p and "kecamatan" in p for p in headline.points)


def test_a_scoped_user_sees_only_their_kecamatan(warehouse_path, warehouse):
    month = _latest_month(warehouse)
    scope = ("64.02.06", "64.02.07")
    screens = build_rapat_screens(Filters(month=month, kode_kec="64.02.01", scope_kec=scope))
    assert {s.code for s in screens[1:]} <= set(scope)
    names = [
        n
        for (n,) in warehouse.execute(
            "select nama_kec from dim_kecamatan where kode_kec in ('64.02.06', '64.02.07') order by kode_kec"
        ).fetchall()
    ]
    assert screens[0].name == "Kecamatan " + ", ".join(names)
    assert screens[0].children == sum(s.children for s in screens[1:])


# --- pure wording --------------------------------------------------------------------------


def change(now: float | None, before: float | None, label: str = "Stunting", better_high: bool = False, **kw) -> Change:
    return Change(label, now, before, better_high, "Oktober 2025", "September 2025", **kw)


def test_change_is_the_difference_of_the_shown_values():
    # 14,9 - 16,1 as shown: the unrounded -1,11 would print as 1,1 next to those two numbers.
    assert shown_delta(14.94, 16.05) == pytest.approx(-1.2)
    assert shown_delta(14.85, 14.75) == pytest.approx(0.1)  # half up at the shortest repr: 14,9 and 14,8
    assert change(14.94, 16.05).bullet() == "Stunting turun 1,2 poin menjadi 14,9%"
    assert change(93.04, 92.8, "Partisipasi kader", True).bullet() == "Partisipasi kader naik 0,2 poin menjadi 93,0%"
    assert change(85.41, 85.36, "D/S", True).bullet() == "D/S tetap 85,4%"


def test_missing_values_are_said_not_guessed():
    assert change(14.9, None).bullet() == "Stunting 14,9% (tidak ada data September 2025 untuk dibandingkan)"
    assert change(None, 14.9).bullet() == "Stunting: tidak ada data Oktober 2025"
    assert change(None, 14.9).phrase() is None
    assert change(14.9, None).metric_delta() is None


def test_stunting_change_within_chance_is_marked():
    assert (
        change(23.4, 24.1, significant=False).bullet() == f"Stunting turun 0,7 poin menjadi 23,4% ({NOT_SIGNIFICANT})"
    )
    assert change(14.9, 15.8, significant=True).bullet() == "Stunting turun 0,9 poin menjadi 14,9%"
    assert change(14.9, 14.9, significant=False).bullet() == "Stunting tetap 14,9%"
    assert ranges_overlap((8.0, 12.0), (11.0, 14.0))
    assert not ranges_overlap((8.0, 10.0), (10.5, 14.0))
    assert (
        change(14.9, 15.8, min_n_missed=30).bullet()
        == "Stunting turun 0,9 poin menjadi 14,9% (n < 30 balita, belum dapat dinilai)"
    )


def test_metric_delta_signs_for_streamlit():
    assert change(14.9, 15.8).metric_delta() == "-0,9 poin"
    assert change(93.0, 92.8, "Partisipasi kader", True).metric_delta() == "+0,2 poin"
    assert change(14.9, 14.9).metric_delta() == "0,0 poin"


def test_summary_is_one_sentence():
    changes = (
        change(14.9, 15.8),
        change(93.0, 92.8, "Partisipasi kader", True),
        change(None, 80.0, "D/S", True),
    )
    assert summarise_changes(changes, "September 2025") == (
        "Dibanding September 2025: stunting turun 0,9 poin, partisipasi kader naik 0,2 poin; "
        "D/S tidak dapat dibandingkan."
    )
    assert (
        summarise_changes((change(14.9, None),), "September 2025")
        == "Belum ada data September 2025 untuk dibandingkan."
    )


def _area(code: str, name: str, **values: float) -> dict:
    base = dict.fromkeys(
        (
            "children",
            "stunted",
            "kader_present",
            "kader_registered",
            "s_total",
            "d_total",
            "posyandu",
            "registered",
            "full_legality",
        ),
        0,
    )
    base.update(values)
    return {"code": code, "name": name, **base}


def _with_pct(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["stunting_pct"] = 100 * frame["stunted"] / frame["children"].where(frame["children"] > 0)
    frame["kader_pct"] = 100 * frame["kader_present"] / frame["kader_registered"].where(frame["kader_registered"] > 0)
    frame["ds_pct"] = 100 * frame["d_total"] / frame["s_total"].where(frame["s_total"] > 0)
    # design-based intervals as the mart gives them: here a wide 5 points either side
    frame["stunting_ci_low"], frame["stunting_ci_high"] = frame["stunting_pct"] - 5, frame["stunting_pct"] + 5
    return frame


def test_build_screens_skips_kecamatan_without_data_and_sums_the_rest():
    current = _with_pct(
        [
            _area(
                "64.02.01",
                "Semboja",
                children=200,
                stunted=30,
                kader_present=90,
                kader_registered=100,
                s_total=50,
                d_total=40,
                posyandu=10,
                registered=6,
                full_legality=5,
            ),
            _area("64.02.02", "Kosong", posyandu=3),
            _area("64.02.03", "Baru", children=100, stunted=20),
        ]
    )
    previous = _with_pct(
        [
            _area(
                "64.02.01",
                "Semboja",
                children=200,
                stunted=34,
                kader_present=80,
                kader_registered=100,
                s_total=50,
                d_total=40,
            )
        ]
    )
    screens = build_screens(current, previous, dt.date(2025, 10, 1))
    assert [s.code for s in screens] == ["64.02", "64.02.01", "64.02.03"]
    headline, semboja, baru = screens
    assert (headline.children, headline.stunted, headline.posyandu) == (300, 50, 13)
    assert headline.change("Stunting").current == pytest.approx(100 * 50 / 300)
    assert semboja.bullets[:2] == (
        "Stunting turun 2,0 poin menjadi 15,0% (belum berbeda nyata)",
        "Kader hadir naik 10,0 poin menjadi 90,0%",
    )
    assert semboja.bullets[2] == "D/S tetap 80,0%"
    assert (
        semboja.title == "Kecamatan Semboja: stunting 15,0%, turun 2,0 poin dari September 2025 (belum berbeda nyata)"
    )
    assert baru.bullets[0] == "Stunting 20,0% (tidak ada data September 2025 untuk dibandingkan)"
    assert baru.bullets[1] == "Kader hadir: tidak ada data Oktober 2025"
    assert semboja.legality_pct == pytest.approx(50.0)
    assert aggregate_areas(current)["ds_pct"] == pytest.approx(80.0)


def test_dates_as_python_keeps_mixed_date_axes_recognisable():
    import numpy as np
    import plotly.graph_objects as go

    from dashboard.formatting import apply_indonesian_layout

    fig = go.Figure()
    fig.add_scatter(x=np.array(["2024-01-01", "2024-05-01"], dtype="datetime64[ns]"), y=[1, 2])
    fig.add_scatter(x=[dt.date(2023, 7, 1)], y=[3])
    apply_indonesian_layout(dates_as_python(fig))
    assert fig.layout.xaxis.ticktext is not None
    assert any("Mei" in t for t in fig.layout.xaxis.ticktext) or any("Jul" in t for t in fig.layout.xaxis.ticktext)
