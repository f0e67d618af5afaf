"""The rapat pack for the session warehouse: PowerPoint and PDF with the same slides.

Charts are drawn with matplotlib here to keep the test short; the kaleido path is
exercised by tests/dashboard/test_export.py and, through the page, by the browser test.
"""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation

from dashboard.filters import Filters
from dashboard.rapat.screens import build_rapat_pack, build_rapat_screens


@pytest.fixture(scope="module")
def month(warehouse_path):
    import duckdb

    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        return con.execute(
            "select max(month) from (select month from fct_posyandu_month union all select month from mart_stunting_by_area_month)"
        ).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def build(month):
    steps: list[tuple[float, str]] = []
    result = build_rapat_pack(
        Filters(month=month), force_matplotlib=True, progress=lambda f, text: steps.append((f, text))
    )
    return result, steps


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_pptx_has_title_headline_sections_and_every_kecamatan(build, month):
    result, _ = build
    screens = build_rapat_screens(Filters(month=month))
    prs = Presentation(io.BytesIO(result.pptx))
    sections, kecamatan = result.pack.sections, result.pack.kecamatan_slides
    assert len(sections) == 4
    assert len(kecamatan) == len(screens) - 1
    assert len(prs.slides) == 2 + len(sections) + len(kecamatan)
    titles = [slide.shapes.title.text for slide in prs.slides]
    assert titles == result.pack.slide_titles
    assert titles[0] == "Rapat Koordinasi Tim Pembina Posyandu Kabupaten Kutai Kartanegara"
    assert titles[1] == screens[0].title
    assert titles[2].startswith("Stunting menurut data rutin")
    assert titles[6:] == [s.title for s in screens[1:]]


def test_each_kecamatan_slide_says_what_changed(build, month):
    result, _ = build
    screens = build_rapat_screens(Filters(month=month))
    prs = Presentation(io.BytesIO(result.pptx))
    for slide, screen in zip(list(prs.slides)[6:], screens[1:], strict=True):
        text = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert len(screen.bullets) == 3
        for bullet in screen.bullets:
            assert bullet in text
        assert "Perubahan sejak" in text
        assert sum(shape.shape_type == 13 for shape in slide.shapes) == 1  # one picture


def test_pdf_has_the_same_pages(build):
    result, _ = build
    assert result.pdf.startswith(b"%PDF")
    assert _pdf_pages(result.pdf) == len(result.pack.slide_titles)


def test_build_reports_progress_renderer_and_time(build):
    result, steps = build
    assert result.renderers == {"matplotlib": 2 + 2 + len(result.pack.kecamatan_slides)}
    assert result.messages  # the forced-matplotlib note, in Bahasa
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert result.seconds_total >= result.seconds_charts > 0
