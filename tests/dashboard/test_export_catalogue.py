"""Exports take an indicator's words from the catalogue: change a catalogue entry and the press
image's title, axis label and source line, the slide chart's text, the Excel footnote and the
export guard follow; and no literal indicator name, register or target is left in export/."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from dashboard.catalogue import indicators as catalogue
from dashboard.catalogue.targets import read_register
from dashboard.export import indicator_text
from dashboard.export.images import figure_to_svg
from dashboard.export.press import decorate_for_press
from dashboard.export.tables import suppress_child_cells, table_to_xlsx

EXPORT_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "export"


@pytest.fixture
def renamed(monkeypatch):
    """The catalogue with stunting renamed and given another register, as a correction would."""
    entries = dict(catalogue.INDICATORS)
    entries["stunting"] = dataclasses.replace(
        entries["stunting"],
        name="Balita pendek menurut TB/U",
        short_name="Pendek TB/U",
        source_register="Register uji pengukuran",
        definition="Definisi uji dari katalog.",
    )
    monkeypatch.setattr(catalogue, "INDICATORS", entries)
    return entries["stunting"]


def _figure() -> go.Figure:
    return go.Figure(go.Bar(x=["Tenggarong", "Tabang"], y=[14.2, 21.7]))


def test_the_press_image_title_axis_and_source_follow_the_catalogue(renamed):
    meta = indicator_text.indicator_meta("stunting", subtitle="Oktober 2025", as_of="2025-10-31")
    assert meta.title == "Balita pendek menurut TB/U"
    assert meta.source_note.startswith("Sumber: Register uji pengukuran, data per 31 Oktober 2025")
    press = decorate_for_press(indicator_text.label_value_axis(_figure(), meta.indicators), meta, "1080x1080")
    notes = {a.name: a.text for a in press.layout.annotations}
    assert "Balita pendek menurut TB/U" in notes["press_title"]
    assert "Register uji pengukuran" in notes["press_source"]
    assert press.layout.yaxis.title.text == "Pendek TB/U (%)"
    svg = figure_to_svg(_figure(), meta, "1080x1080", force_matplotlib=True).bytes.decode()
    assert "Balita pendek menurut TB/U" in svg and "Pendek TB/U (%)" in svg and "Register uji pengukuran" in svg


def test_a_chart_with_its_own_axis_title_keeps_it():
    fig = _figure().update_yaxes(title_text="Prevalensi (%)")
    assert indicator_text.label_value_axis(fig, ("stunting",)).layout.yaxis.title.text == "Prevalensi (%)"
    assert indicator_text.label_value_axis(_figure(), ("stunting", "wasting")).layout.yaxis.title.text is None


def test_the_excel_footnote_and_the_child_guard_follow_the_catalogue(renamed):
    table = pd.DataFrame({"Kecamatan": ["Tabang"], "Balita diukur": [3], "Pendek TB/U (%)": [33.3]})
    book = load_workbook(io.BytesIO(table_to_xlsx(table, "Uji", "Sumber: uji")))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert any(
        c.startswith("Balita pendek menurut TB/U: Definisi uji dari katalog. Sumber: Register uji") for c in cells
    )
    # the renamed rate is still recognised as a child rate and blanked where it reveals 1 child
    assert pd.isna(suppress_child_cells(table).loc[0, "Pendek TB/U (%)"])


def test_a_footnote_states_the_sourced_target_of_the_year():
    note = indicator_text.indicator_footnote("stunting", 2025)
    assert note.startswith(catalogue.INDICATORS["stunting"].name + ": ")
    assert "Target 2025: 18,8%" in note and "RPJMN 2025–2029" in note


def test_the_rapat_slide_charts_take_their_words_from_the_catalogue(renamed, warehouse_path):
    import duckdb

    from dashboard.filters import Filters
    from dashboard.rapat.screens import build_rapat_screens, rapat_source_note, stunting_trend_chart

    con = duckdb.connect(str(warehouse_path), read_only=True)
    month = con.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    con.close()
    filters = Filters(month=month)
    chart = stunting_trend_chart(filters, build_rapat_screens(filters)[0], month)
    assert chart.meta.title == "Balita pendek menurut TB/U per bulan"
    assert "Register uji pengukuran" in chart.meta.source_note
    assert "Register uji pengukuran" in rapat_source_note(month)


def test_no_literal_indicator_words_in_the_export_package():
    """Names, short names, registers and target sources of the catalogue appear in export/ only in
    docstrings and comments (examples), never in code."""
    literals = {item.name for item in catalogue.INDICATORS.values()}
    literals |= {item.source_register for item in catalogue.INDICATORS.values()}
    literals |= {item.short_name for item in catalogue.INDICATORS.values() if len(item.short_name) > 4}
    literals |= {row.source.split(" (")[0] for row in read_register()}
    found = []
    for path in EXPORT_DIR.glob("*.py"):
        code = re.sub(r'""".*?"""', "", path.read_text(encoding="utf-8"), flags=re.S)
        code = "\n".join(line.split("#")[0] for line in code.splitlines())
        strings = re.findall(r'"([^"\n]*)"', code)
        found += [f"{path.name}: {s!r}" for s in strings for word in literals if word.lower() in s.lower()]
    assert not found, found
