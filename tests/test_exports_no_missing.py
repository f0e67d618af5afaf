"""No export shows None, nan, NaN, NaT, null or <NA>: every download the app offers, found by
running every page of app.py under AppTest and recording each download button it draws.

Scopes: the whole kabupaten and one kecamatan on the session warehouse, and the kabupaten on a
warehouse with no measurements or monthly reports at all (every chart and table empty).
Per download: Excel cells and headers (and error cells such as #NUM!), CSV text, the text of
every press image (each PNG preset also drawn as SVG with the same layout, so its words can
be read; Chromium's input figure checked as well), the SVG itself, PowerPoint text (slides,
tables, notes) and PDF text (pdftotext). The rapat pack is built by clicking its button; the
tindak lanjut workbook appears once a recommendation with empty optional fields exists.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go
import pytest
import streamlit
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from streamlit.elements.widgets.button import ButtonMixin

from dashboard.export import images
from dashboard.export.press import decorate_for_press, resolve_preset
from tests.support.apptest import open_page

# As tests.support.shown_text.LEAKED_MISSING, plus JSON's null: a word of its own.
LEAKED = re.compile(r"(?<![\w<])(None|nan|NaN|NaT|null|<NA>|#NUM!|#VALUE!)(?![\w>])")
APP = Path(__file__).resolve().parents[1] / "app.py"
PDFTOTEXT = shutil.which("pdftotext")
# Buttons that make a download appear (the rapat pack is built on request).
BUILD_BUTTONS = ("rapat_build",)


def _page_files() -> list[str]:
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", None) == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


@dataclass
class Download:
    where: str
    label: str
    file_name: str
    data: object
    texts: list[str] = field(default_factory=list)  # press image words, recorded when drawn

    def payload(self) -> bytes:
        data = self.data() if callable(self.data) else self.data
        return data.encode() if isinstance(data, str) else bytes(data)


class Recorder:
    """Records every st.download_button (module function and container method) of a page run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.downloads: list[Download] = []
        self.where = ""
        self.press_texts: list[str] = []
        original = ButtonMixin.download_button
        recorder = self

        def download_button(dg, label, data, file_name=None, *args, **kwargs):
            recorder.downloads.append(Download(recorder.where, str(label), str(file_name), data))
            return original(dg, label, data, file_name, *args, **kwargs)

        monkeypatch.setattr(ButtonMixin, "download_button", download_button)
        monkeypatch.setattr(
            streamlit, "download_button", lambda *a, **k: download_button(streamlit._main, *a, **k), raising=True
        )
        real_export = images._export

        def export(fig, meta, preset, fmt, force_matplotlib):
            # The words of this very image: the same layout drawn as SVG, and what Chromium is given.
            svg = real_export(go.Figure(fig), meta, preset, "svg", True).bytes.decode("utf-8")
            recorder.press_texts += svg_texts(svg)
            recorder.press_texts += figure_texts(decorate_for_press(go.Figure(fig), meta, preset))
            return real_export(fig, meta, preset, fmt, True)

        monkeypatch.setattr(images, "_export", export)


def svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)]


def _strings(value: object, key: str = "") -> list[str]:
    if isinstance(value, str):
        return [value] if key not in {"hovertemplate", "meta", "uid", "customdata"} else []
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in {"hovertemplate", "customdata"} for s in _strings(v, k)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item, key)]
    return []


def figure_texts(fig: go.Figure) -> list[str]:
    """Strings Chromium would draw: titles, annotations, tick text, trace names and text."""
    spec = fig.to_plotly_json()
    texts = _strings(spec.get("layout", {}))
    for trace in spec.get("data", []):
        texts += _strings({k: trace.get(k) for k in ("name", "text", "texttemplate") if trace.get(k) is not None})
    return texts


def xlsx_texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def pptx_texts(data: bytes) -> list[str]:
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def pdf_texts(data: bytes, tmp_path: Path) -> list[str]:
    if PDFTOTEXT is None:
        return []
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.splitlines()


def texts_of(download: Download, payload: bytes, tmp_path: Path) -> list[str]:
    name = download.file_name.lower()
    if name.endswith(".xlsx"):
        return xlsx_texts(payload)
    if name.endswith(".csv"):
        return payload.decode("utf-8-sig").splitlines()
    if name.endswith(".svg"):
        return svg_texts(payload.decode("utf-8"))
    if name.endswith(".png"):
        preset = re.search(r"(\d+x\d+)\.png$", name)
        with Image.open(io.BytesIO(payload)) as image:
            assert not preset or image.size == resolve_preset(preset.group(1)), (name, image.size)
        return download.texts
    if name.endswith(".pptx"):
        return pptx_texts(payload)
    if name.endswith(".pdf"):
        return pdf_texts(payload, tmp_path)
    return []


def walk(recorder: Recorder, label: str, session: dict | None = None) -> None:
    for page in _page_files():
        recorder.where = f"{label} {page}"
        at = open_page(page, session=session, timeout=300)
        for key in BUILD_BUTTONS:
            if any(b.key == key for b in at.button):
                at.button(key=key).click().run(timeout=600)
                assert not at.exception, [e.value for e in at.exception]


def check(recorder: Recorder, tmp_path: Path) -> tuple[list[str], dict[str, int]]:
    leaks: list[str] = []
    kinds: dict[str, int] = {}
    for download in recorder.downloads:
        recorder.press_texts = []
        payload = download.payload()
        download.texts = recorder.press_texts
        kind = download.file_name.rsplit(".", 1)[-1]
        kinds[kind] = kinds.get(kind, 0) + 1
        texts = texts_of(download, payload, tmp_path)
        assert texts or kind in {"sqlite"}, f"{download.where}: no text read from {download.file_name}"
        leaks += [f"{download.where} {download.file_name}: {t[:160]!r}" for t in texts if LEAKED.search(t)]
    return leaks, kinds


@pytest.fixture
def recorder(monkeypatch):
    return Recorder(monkeypatch)


@pytest.fixture
def recommendation_with_blanks():
    """A tindak lanjut with no desa, posyandu, indicator, rapat date or note."""
    from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft

    store = FollowupStore()
    return store.create(Actor("walker"), RecommendationDraft("64.02.06", "Periksa data", "Tim 1", dt.date(2030, 1, 1)))


def test_the_detector_sees_what_a_reader_would(tmp_path):
    assert LEAKED.search("Nomor SK: None") and LEAKED.search("nan%") and LEAKED.search("#NUM!")
    assert LEAKED.search("null") and LEAKED.search("NaT")
    assert not LEAKED.search("Nanas") and not LEAKED.search("Kenohan") and not LEAKED.search("nullam")
    assert svg_texts('<text x="1">Stunting <tspan>NaN</tspan></text>') == ["Stunting NaN"]


def test_the_check_finds_a_leak_in_each_kind_of_download(recorder, tmp_path):
    """The check itself can fail: a table cell, a CSV cell and a press image title that leak."""
    import pandas as pd

    from dashboard.export.images import figure_to_png
    from dashboard.export.press import ChartMeta
    from dashboard.export.tables import table_to_csv, table_to_xlsx

    table = pd.DataFrame({"Nomor SK": ["None", "12/2024"], "Kecamatan": ["Tabang", "Kenohan"]})
    meta = ChartMeta("Stunting nan%", "Oktober 2025", "Sumber: uji")
    fig = go.Figure(go.Bar(x=["Tabang", "Kenohan"], y=[1.0, 2.0]))
    recorder.downloads += [
        Download("uji", "x", "t.xlsx", lambda: table_to_xlsx(table, "Uji", "Sumber: uji")),
        Download("uji", "c", "t.csv", lambda: table_to_csv(table)),
        Download("uji", "p", "g-1080x1080.png", lambda: figure_to_png(fig, meta, "1080x1080").bytes),
    ]
    leaks, kinds = check(recorder, tmp_path)
    assert kinds == {"xlsx": 1, "csv": 1, "png": 1}
    assert [leak.split(":")[0] for leak in leaks].count("uji t.xlsx") == 1, leaks
    assert any(leak.startswith("uji t.csv") for leak in leaks) and any("nan%" in leak for leak in leaks), leaks


@pytest.mark.parametrize("scope", ["kabupaten", "kecamatan"])
def test_no_export_shows_a_missing_value(
    scope, warehouse_path, warehouse, recorder, recommendation_with_blanks, tmp_path
):
    session = None
    if scope == "kecamatan":
        session = {"filter_kecamatan": warehouse.execute("select min(kode_kec) from dim_kecamatan").fetchone()[0]}
    walk(recorder, scope, session)
    leaks, kinds = check(recorder, tmp_path)
    assert not leaks, leaks
    # The walk must have reached every kind of export (a page that stopped offering them
    # would pass with nothing checked).
    for kind in ("xlsx", "csv", "png", "svg", "pptx", "pdf"):
        assert kinds.get(kind, 0) >= 1, kinds
    assert kinds["png"] >= 3 * 20, kinds


def test_no_export_of_an_empty_area_shows_a_missing_value(
    warehouse_path, bare_warehouse_path, recorder, recommendation_with_blanks, monkeypatch, tmp_path
):
    monkeypatch.setenv("DASBOR_WAREHOUSE", str(bare_warehouse_path))
    walk(recorder, "kosong")
    leaks, kinds = check(recorder, tmp_path)
    assert not leaks, leaks
    assert kinds.get("xlsx", 0) >= 1, kinds
