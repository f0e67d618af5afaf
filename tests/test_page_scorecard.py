"""pages/scorecard.py under AppTest: runs, and each cell equals independent SQL for the
month and the month before."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import month_name
from dashboard.metrics.priority import DEFAULT_WEIGHTS, WEIGHTS_STATE_KEY
from tests.support.apptest import open_page

REPO = Path(__file__).resolve().parents[1]


def _round(x: float, decimals: int = 1) -> float:
    if x is None or pd.isna(x):
        return np.nan
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@pytest.fixture
def page(warehouse_path) -> AppTest:
    at = open_page("pages/scorecard.py", timeout=60)
    return at


def _months(warehouse) -> tuple[date, date]:
    month = warehouse.execute(
        "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
    ).fetchone()[0]
    previous = (pd.Timestamp(month) - pd.DateOffset(months=1)).date()
    return month, previous


def _by_sql(warehouse, month: date) -> pd.DataFrame:
    """Kecamatan rows and the kabupaten row (code 64.02), written independently of the page's queries."""
    frame = warehouse.execute(
        """
        with kec as (
            select kode_kec as code, nama_kec as name from dim_kecamatan
            union all select '64.02', 'Kab. Kutai Kartanegara'
        ),
        in_force as (  -- the posyandu master received last on or before the month end
            select *
            from dim_master_posyandu
            where snapshot_date <= last_day(cast($month as date))
            qualify row_number() over (partition by posyandu_id order by snapshot_date desc) = 1
        ),
        posyandu as (
            select kode_kec, posyandu_id, is_registered from in_force
        ),
        expanded as (  -- each posyandu counts for its kecamatan and for the kabupaten
            select kode_kec as code, * exclude (kode_kec) from posyandu
            union all select '64.02', * exclude (kode_kec) from posyandu
        ),
        stunting as (
            select area_code as code, 100.0 * stunted / nullif(n_haz, 0) as stunting
            from mart_stunting_by_area_month
            where month = $month and area_level in ('kecamatan', 'kabupaten')
        ),
        monthly as (
            select e.code,
                100.0 * sum(r.d) / nullif(sum(r.s), 0) as ds,
                100.0 * sum(r.kader_present) / nullif(sum(r.kader_registered), 0) as kader
            from fct_posyandu_month as r join expanded as e using (posyandu_id)
            where r.month = $month
            group by 1
        ),
        kader as (  -- participation over posyandu that opened in the month
            select e.code, 100.0 * sum(r.kader_present) / nullif(sum(r.kader_registered), 0) as kader
            from fct_posyandu_month as r join expanded as e using (posyandu_id)
            where r.month = $month and r.days_open > 0
            group by 1
        ),
        master as (
            select code, 100.0 * avg(case when is_registered then 1 else 0 end) as registered
            from expanded
            group by 1
        ),
        spm as (  -- fields served: a posyandu in the master without a report serves 0 fields
            select e.code, avg(coalesce(f.fields, 0)) as spm
            from expanded as e
            left join (
                select posyandu_id, count(distinct spm_field) filter (where value > 0) as fields
                from fct_spm_service where month = $month group by 1
            ) as f using (posyandu_id)
            group by 1
        )
        select k.code, k.name, s.stunting, m.ds, kd.kader, ms.registered, sp.spm
        from kec as k
        left join stunting as s using (code)
        left join monthly as m using (code)
        left join kader as kd using (code)
        left join master as ms using (code)
        left join spm as sp using (code)
        """,
        {"month": month},
    ).df()
    return frame.set_index("name")


def _card(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if any(c.startswith("Δ Stunting") for c in d.value.columns)).set_index(
        "Kecamatan"
    )


def _column(card: pd.DataFrame, name: str) -> pd.Series:
    """The column whose header starts with ``name (``: headers carry their unit and period."""
    (column,) = [c for c in card.columns if c.startswith(f"{name} (")]
    return card[column]


def test_scorecard_cells_equal_independent_sql(page, warehouse):
    month, previous = _months(warehouse)
    card = _card(page)
    now, before = _by_sql(warehouse, month), _by_sql(warehouse, previous)
    assert set(card.index) == set(now.index)
    assert card.index[-1] == "Kab. Kutai Kartanegara"
    for column, key in [
        ("Stunting", "stunting"),
        ("D/S", "ds"),
        ("Kader hadir", "kader"),
        ("Teregistrasi", "registered"),
        ("Bidang SPM dilayani", "spm"),
    ]:
        got = pd.to_numeric(_column(card, column), errors="coerce")
        want = now[key].reindex(card.index).astype(float)
        assert np.allclose(got, want, equal_nan=True), column
    # Legalitas lengkap equals Teregistrasi in every master: one column, not two identical ones.
    assert not any(c.startswith("Legalitas") for c in card.columns)
    # Every header states its unit and its period (value columns) or the month compared with (Δ).
    period = f"{month_name(month.month, abbreviated=True)} {month.year}"
    for column in card.columns:
        assert "(" in column and (period in column or "dari " in column), column
    # The change is between the values as shown (one decimal); registration now has history too.
    for column, key in [
        ("Δ Stunting", "stunting"),
        ("Δ D/S", "ds"),
        ("Δ Kader hadir", "kader"),
        ("Δ Teregistrasi", "registered"),
    ]:
        got = pd.to_numeric(_column(card, column), errors="coerce")
        want = now[key].map(_round).reindex(card.index) - before[key].map(_round).reindex(card.index)
        assert np.allclose(got, want.astype(float), equal_nan=True), column


def test_scorecard_sorts_worst_stunting_first_with_kabupaten_last(page):
    card = _card(page)
    stunting = pd.to_numeric(_column(card, "Stunting").iloc[:-1], errors="coerce").dropna()
    assert stunting.is_monotonic_decreasing
    page.selectbox(key="scorecard_sort").set_value("ds_pct").run()
    card = _card(page)
    assert pd.to_numeric(_column(card, "D/S").iloc[:-1], errors="coerce").dropna().is_monotonic_increasing
    assert card.index[-1] == "Kab. Kutai Kartanegara"


def test_scorecard_states_targets_and_source(page):
    text = " ".join(m.value for m in page.markdown)
    for rule in (
        "hijau ≤ 14%, kuning ≤ 20%",
        "hijau ≥ 80%, kuning ≥ 70%",
        "hijau ≥ 90%, kuning ≥ 80%",
        "hijau ≥ 90%, kuning ≥ 70%",
    ):
        assert rule in text
    captions = " ".join(c.value for c in page.caption)
    assert "Sumber:" in captions and "n = 20 kecamatan" in captions and "dibanding" in captions


def test_scorecard_follows_the_shared_kecamatan_filter(page, warehouse):
    code, name = warehouse.execute(
        "select kode_kec, nama_kec from dim_kecamatan order by kode_kec desc limit 1"
    ).fetchone()
    page.selectbox(key="filter_kecamatan").set_value(code).run()
    assert not page.exception, [e.value for e in page.exception]
    assert _card(page).index.tolist() == [name, "Kab. Kutai Kartanegara"]


def _card_with_weights(weights: dict[str, float]) -> pd.DataFrame:
    at = open_page("pages/scorecard.py", session={WEIGHTS_STATE_KEY: weights})
    return _card(at).drop(index="Kab. Kutai Kartanegara")


def test_scorecard_priority_follows_the_users_weights(warehouse_path):
    """Weights set on Prioritas (kept in the session) decide the Scorecard's priority score:
    with all weight on one component, the worst kecamatan on it scores 100, the best 0."""
    only = {key: 0.0 for key in DEFAULT_WEIGHTS}
    by_stunting = _card_with_weights({**only, "stunting": 100.0})
    by_legality = _card_with_weights({**only, "legalitas": 100.0})
    # Legalitas lengkap equals Teregistrasi (registration requires musdes and SK): one column shows both.
    for card, column, worst_is_high in ((by_stunting, "Stunting", True), (by_legality, "Teregistrasi", False)):
        score = pd.to_numeric(_column(card, "Skor prioritas"), errors="coerce")
        value = pd.to_numeric(_column(card, column), errors="coerce")
        worst = value.idxmax() if worst_is_high else value.idxmin()
        best = value.idxmin() if worst_is_high else value.idxmax()
        assert score[worst] == pytest.approx(100.0), column
        assert score[best] == pytest.approx(0.0), column
    stunting_scores = pd.to_numeric(_column(by_stunting, "Skor prioritas"), errors="coerce")
    legality_scores = pd.to_numeric(_column(by_legality, "Skor prioritas"), errors="coerce")
    assert not np.allclose(stunting_scores, legality_scores.reindex(stunting_scores.index), equal_nan=True)
