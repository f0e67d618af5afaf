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
            select
                kode_kec,
                posyandu_id,
                is_registered,
                -- legalitas: an SK with its number and date, dated by the month end
                sk_number is not null and sk_date is not null and sk_date <= last_day(cast($month as date)) as has_sk
            from in_force
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
            select
                code,
                100.0 * avg(case when is_registered then 1 else 0 end) as registered,
                100.0 * avg(case when has_sk then 1 else 0 end) as valid_sk
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
        select k.code, k.name, s.stunting, m.ds, kd.kader, ms.registered, ms.valid_sk, sp.spm
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
        ("Legalitas (SK)", "valid_sk"),
        ("Bidang SPM dilayani", "spm"),
    ]:
        got = pd.to_numeric(_column(card, column), errors="coerce")
        want = now[key].reindex(card.index).astype(float)
        assert np.allclose(got, want, equal_nan=True), column
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
        ("Δ Legalitas (SK)", "valid_sk"),
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


def test_scorecard_states_targets_and_source(page, warehouse):
    month, _ = _months(warehouse)
    text = " ".join(m.value for m in page.markdown)
    assert month.year == 2025  # the sample's data year: RPJMN 2025–2029's value for 2025
    assert "hijau ≤ 18,8% — target nasional 2025, sumber: RPJMN 2025–2029 (Bappenas, Januari 2025)" in text
    assert "kuning < 20% — sumber: WHO–UNICEF" in text
    assert "hijau ≥ 80% — target nasional, sumber: Kemenkes, pemantauan pertumbuhan (SKDN)" in text
    # a deadline, named as one, with its unverified source said as such
    assert "hijau ≥ 100% — tenggat nasional 2025, sumber: Tenggat nasional registrasi posyandu" in text
    assert "dokumen penetapan tenggat belum dikutip" in text
    assert "**Kader hadir**: tanpa lampu — belum ada target bersumber untuk data 2025 di register target" in text
    assert "14%" not in text and "kuning ≤ 20%" not in text  # the old unsourced 14/20 is gone
    assert "target paling lokal" in text
    captions = " ".join(c.value for c in page.caption)
    assert "Sumber:" in captions and "n = 20 kecamatan" in captions and "dibanding" in captions


def test_scorecard_lights_follow_the_register_and_a_kukar_row_changes_them(warehouse_path, tmp_path, monkeypatch):
    """The same page with a Kukar RPJMD row for 2025 colours stunting against Kukar's value and says so."""
    from dashboard.catalogue.targets import REGISTER, REGISTER_ENV

    national = open_page("pages/scorecard.py", timeout=60)
    values = pd.to_numeric(_column(_card(national), "Stunting"), errors="coerce")
    text = " ".join(m.value for m in national.markdown)
    assert "(uji)" not in text and "target Kabupaten Kutai Kartanegara" not in text
    # A Kukar target lower than every kecamatan's value: every lit stunting cell must turn non-green.
    kukar_value = float(np.floor(values.min()) - 1)
    path = tmp_path / "targets.csv"
    path.write_text(
        REGISTER.read_text(encoding="utf-8")
        + f"stunting_rpjmd_kukar_2025,stunting,target,kabupaten,64.02,2025,2025,{kukar_value},%,at_most,"
        "RPJMD Kabupaten Kutai Kartanegara (uji),M,\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(REGISTER_ENV, str(path))
    local = open_page("pages/scorecard.py", timeout=60)
    text = " ".join(m.value for m in local.markdown)
    assert "RPJMD Kabupaten Kutai Kartanegara (uji)" in text and "target Kabupaten Kutai Kartanegara" in text
    assert "RPJMN 2025–2029" not in text.split("**Stunting**")[1].split("**D/S**")[0]
    assert national_hijau(national) > 0 and national_hijau(local) == 0


def national_hijau(at: AppTest) -> int:
    """Green stunting kecamatan in the summary line above the table ("Stunting: 3 hijau, …")."""
    (line,) = [m.value for m in at.markdown if m.value.startswith("**Stunting**:") and "hijau," in m.value]
    return int(line.split("**Stunting**: ")[1].split(" hijau")[0])


def test_kabupaten_priority_score_is_a_dash_with_its_reason(page):
    card = _card(page)
    assert _column(card, "Skor prioritas").loc["Kab. Kutai Kartanegara"] is None or pd.isna(
        _column(card, "Skor prioritas").loc["Kab. Kutai Kartanegara"]
    )
    text = " ".join(m.value for m in page.markdown)
    assert "Skor prioritas baris kabupaten = —" in text
    # Streamlit draws "None" in a missing cell whatever a Styler says; the table sets "—" instead.
    table = next(d for d in page.dataframe if any(c.startswith("Δ Stunting") for c in d.value.columns))
    assert table.proto.placeholder == "—"


def test_registered_and_legality_differ_where_the_data_differ(page, warehouse):
    """Teregistrasi (number in the master) and Legalitas (valid SK) are two columns with two meanings:
    wherever a kecamatan has posyandu with an SK still waiting for registration, they differ."""
    month, _ = _months(warehouse)
    card = _card(page)
    registered = pd.to_numeric(_column(card, "Teregistrasi"), errors="coerce")
    legal = pd.to_numeric(_column(card, "Legalitas (SK)"), errors="coerce")
    waiting = (
        warehouse.execute(
            """
        select k.nama_kec, count(*) filter (where l.has_valid_sk and not l.is_registered) as sk_only,
            count(*) filter (where l.is_registered and not l.has_valid_sk) as registered_only
        from fct_posyandu_legality_month as l join dim_kecamatan as k using (kode_kec)
        where l.month = $month
        group by 1
        """,
            {"month": month},
        )
        .df()
        .set_index("nama_kec")
    )
    differs = waiting[(waiting["sk_only"] > 0) | (waiting["registered_only"] > 0)].index
    same = waiting.index.difference(differs)
    assert len(differs) > 0  # the sample has posyandu with an SK still waiting for their number
    assert (registered[differs] != legal[differs]).all()
    assert np.allclose(registered[same], legal[same])


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
    # The priority's "legalitas lengkap" needs every stage up to registration: it orders kecamatan
    # as Teregistrasi does (registration requires musdes and SK in every master received).
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


def test_scorecard_compares_two_chosen_periods(page, warehouse):
    """Period A and period B picked on the page: values are A's, every Δ is A − B as shown, headers name both."""
    month, _ = _months(warehouse)
    first = (pd.Timestamp(month) - pd.DateOffset(months=1)).date()
    second = (pd.Timestamp(month) - pd.DateOffset(months=4)).date()
    page.selectbox(key="scorecard_compare_current").set_value(first).run()
    page.selectbox(key="scorecard_compare_previous").set_value(second).run()
    assert not page.exception, [e.value for e in page.exception]
    card = _card(page)
    now, before = _by_sql(warehouse, first), _by_sql(warehouse, second)
    shown = f"{month_name(first.month, abbreviated=True)} {first.year}"
    compared = f"dari {month_name(second.month, abbreviated=True)} {second.year}"
    for column, key in [("Stunting", "stunting"), ("D/S", "ds"), ("Teregistrasi", "registered")]:
        (header,) = [c for c in card.columns if c.startswith(f"{column} (")]
        assert shown in header, header
        got = pd.to_numeric(card[header], errors="coerce")
        assert np.allclose(got, now[key].reindex(card.index).astype(float), equal_nan=True), column
        (delta,) = [c for c in card.columns if c.startswith(f"Δ {column} (")]
        assert compared in delta, delta
        want = now[key].map(_round).reindex(card.index) - before[key].map(_round).reindex(card.index)
        assert np.allclose(pd.to_numeric(card[delta], errors="coerce"), want.astype(float), equal_nan=True), column
    # The priority score is computed for each period and its change is shown too.
    (score_delta,) = [c for c in card.columns if c.startswith("Δ Skor prioritas (")]
    assert pd.to_numeric(card[score_delta].iloc[:-1], errors="coerce").notna().all()
