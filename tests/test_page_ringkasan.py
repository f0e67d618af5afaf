"""Ringkasan under AppTest: the 10-second answer's numbers equal independent SQL, the kecamatan
that need attention are the top of the priority score, and no None/nan reaches the page."""

import csv
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import Filters, months_before
from dashboard.formatting import format_month, format_number, format_percent, round_half_up
from dashboard.metrics.priority import DEFAULT_WEIGHTS, components_for, rank_areas, score_priority
from tests.support.apptest import open_page

TARGETS = Path(__file__).resolve().parents[1] / "data" / "reference" / "targets.csv"
LATEST_CHILD = """
    with latest as (
        select child_key, arg_max(haz, measured_on) as haz, arg_max(haz_flag, measured_on) as flag
        from fct_measurement
        where month = $month and age_days <= 1826 {where}
        group by child_key
    )
    select count(*) filter (where haz < -2 and flag = 0), count(*) filter (where haz is not null and flag = 0)
    from latest
"""


@pytest.fixture(scope="module")
def app(warehouse_path) -> AppTest:
    return open_page()


@pytest.fixture
def month(warehouse) -> date:
    return warehouse.execute("select max(month) from fct_posyandu_month").fetchone()[0]


def _metric(at: AppTest, label_start: str):
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return metric
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


def _stunting(warehouse, month, kode_kec=None) -> tuple[int, int]:
    where = "and kode_kec = $kec" if kode_kec else ""
    values = {"month": month} | ({"kec": kode_kec} if kode_kec else {})
    return warehouse.execute(LATEST_CHILD.format(where=where), values).fetchone()


def _shown_delta(now: float, before: float) -> str:
    shown = round_half_up([now, before], 1)
    delta = round(float(shown[0] - shown[1]), 1)
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return f"{sign}{format_number(abs(delta), 1)} poin"


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _attention_links(at: AppTest) -> list[tuple[str, str]]:
    """(label, query string) of each page link to the Scorecard."""
    return [
        (link.proto.label, link.proto.query_string) for link in at.get("page_link") if link.proto.page == "scorecard"
    ]


def test_headline_numbers_equal_independent_sql(app, warehouse, month):
    balita, posyandu, registered = warehouse.execute(
        """
        select count(*) filter (where legacy_type = 'Balita'), count(*),
            count(*) filter (where registration_status = 'teregistrasi' and kemendagri_reg_number is not null)
        from dim_posyandu
        """
    ).fetchone()
    assert _metric(app, "Posyandu balita").value == format_number(balita)
    assert f">{format_number(posyandu)}</div>" in _markdown(app)  # all types, beside and smaller
    captions = " ".join(c.value for c in app.caption)
    assert f"{format_number(registered)} dari {format_number(posyandu)} posyandu" in captions
    assert format_percent(registered / posyandu * 100) in captions

    present, kader = warehouse.execute(
        "select sum(kader_present), sum(kader_registered) from fct_posyandu_month where month = ?", [month]
    ).fetchone()
    assert _metric(app, "Partisipasi kader").value == format_percent(present / kader * 100)

    stunted, children = _stunting(warehouse, month)
    before_stunted, before_children = _stunting(warehouse, months_before(month, 1))
    stunting = _metric(app, f"Stunting — e-PPGBM, {format_month(month)}")
    assert stunting.value == format_percent(stunted / children * 100)
    assert stunting.delta == _shown_delta(stunted / children * 100, before_stunted / before_children * 100)
    assert f"{format_number(stunted)} dari {format_number(children)} balita diukur" in captions
    assert "data rutin, bukan survei" in captions
    assert "Kader hadir pada hari buka ÷ kader terdaftar" in captions
    survey = warehouse.execute(
        "select value_pct, source from fct_official_stunting where kind = 'survei' and area ilike 'kutai kartanegara' "
        "order by year desc limit 1"
    ).fetchone()
    assert f"survei {survey[1]} (kabupaten): {format_percent(survey[0])}" in captions


def test_stunting_target_is_the_sourced_one_of_the_data_year(app, month):
    with TARGETS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["indicator"] == "stunting" and r["kind"] == "target"]
    target = next(r for r in rows if int(r["year_from"]) <= month.year <= int(r["year_to"]))
    value = format_percent(float(target["value"]), 0 if float(target["value"]).is_integer() else 1)
    captions = " ".join(c.value for c in app.caption)
    assert f"Target {month.year}: {value} ({target['source'].split(' (')[0].split(';')[0]})" in captions
    assert target["source"] in _metric(app, "Stunting — e-PPGBM").help  # the full source beside the figure


def test_kecamatan_needing_attention_are_the_top_of_the_priority_score(app, warehouse, month):
    from dashboard.queries.priority import query_area_indicators

    areas = query_area_indicators(Filters(month=month), "kecamatan")
    ranked = rank_areas(score_priority(areas, DEFAULT_WEIGHTS, components_for(areas.attrs["basic_index_name"])))
    top = ranked[ranked["priority_score"].notna()].head(5)
    listed = []
    for link in app.get("page_link"):  # page links open the Scorecard in the same tab and session
        label = re.fullmatch(r"(\d+)\. \*\*(.+?)\*\* — (.+)", link.proto.label)
        if label and link.proto.page == "scorecard":
            query = dict(parse_qsl(link.proto.query_string))
            listed.append((label[1], label[2], query["periode"], query["kecamatan"], label[3]))
    assert [(name, code) for _, name, _, code, _ in listed] == list(zip(top["name"], top["code"], strict=True))
    assert {period for _, _, period, _, _ in listed} == {f"{month:%Y-%m}"}
    # each reason's stunting figure is the kecamatan's own, recounted from the measurements
    for _, _, _, code, reason in listed:
        if match := re.search(r"stunting (\d+,\d)%", reason):
            stunted, children = _stunting(warehouse, month, code)
            assert match.group(1) + "%" == format_percent(stunted / children * 100), code


def test_what_changed_since_last_month(app, warehouse, month):
    text = _markdown(app)
    previous = months_before(month, 1)
    assert f"Apa yang berubah sejak {format_month(previous)}" in text
    stunted, children = _stunting(warehouse, month)
    before_stunted, before_children = _stunting(warehouse, previous)
    delta = _shown_delta(stunted / children * 100, before_stunted / before_children * 100)
    direction = "turun" if delta.startswith("-") else "naik" if delta.startswith("+") else "tetap"
    amount = delta.lstrip("+-").removesuffix(" poin")
    assert f"**Kabupaten Kutai Kartanegara**: stunting {direction} {amount} poin" in text
    kecamatan_lines = re.findall(r"^- \*\*Kecamatan .+?\*\*: .+ (?:naik|turun) (\d+,\d) poin menjadi", text, re.M)
    sizes = [float(s.replace(",", ".")) for s in kecamatan_lines]
    assert 1 <= len(sizes) <= 3 and sizes == sorted(sizes, reverse=True)


def test_no_none_or_nan_anywhere(app):
    texts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    texts += [m.value for m in app.metric] + [m.label for m in app.metric] + [m.delta or "" for m in app.metric]
    texts += [label for label, _ in _attention_links(app)]
    for text in texts:
        assert not re.search(r"\b(None|nan|NaN|NaT)\b", str(text)), text


def test_a_chosen_kecamatan_and_a_pembina_see_their_area(warehouse, warehouse_path, month):
    code = "64.02.06"
    at = open_page(session={"filter_kecamatan": code})
    stunted, children = _stunting(warehouse, month, code)
    assert _metric(at, "Stunting — e-PPGBM").value == format_percent(stunted / children * 100)
    assert "**Kecamatan Tenggarong**:" in _markdown(at)
    pembina = open_page(session={"user_scope_kec": (code,), "user_role": "pembina"})
    assert _metric(pembina, "Stunting — e-PPGBM").value == format_percent(stunted / children * 100)
    links = re.findall(r"kecamatan=([\d.]+)", " ".join(query for _, query in _attention_links(pembina)))
    assert set(links) <= {code}
    assert not any(label.rstrip().endswith("—") for label, _ in _attention_links(pembina))  # no empty reason
    assert _markdown(pembina).count("**Kecamatan Tenggarong**") == 1  # its own changes listed once


def test_attention_list_is_the_prioritas_pages_ranking_with_its_weights(warehouse_path):
    at = open_page("pages/prioritas.py")
    at.radio(key="priority_level").set_value("Kecamatan").run()
    at.slider(key="priority_weight_stunting").set_value(0).run()  # the user's weights follow to Ringkasan
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Kecamatan" in d.value.columns and "Peringkat" in d.value.columns)
    ranked = table.dropna(subset=["Peringkat"]).sort_values("Peringkat", kind="stable")
    at.switch_page("pages/ringkasan.py").run()
    assert not at.exception
    labels = [label for label, _ in _attention_links(at)]
    listed = [re.match(r"\d+\. \*\*(.+?)\*\*", label)[1] for label in labels]
    assert listed == list(ranked["Kecamatan"].head(5))
    reasons = [label.split(" — ", 1)[1] for label in labels]
    assert not any("stunting" in reason for reason in reasons)  # weight 0: stunting adds nothing to the score
