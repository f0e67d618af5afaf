"""Chart text in the rapat pack reads at least 14 pt on the slide: the font size in the image
times the width the picture is placed at on the slide, divided by the image's width."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from dashboard.filters import Filters

EMU_PER_PT = 12700
MIN_PT = 14


@pytest.fixture(scope="module")
def pack(warehouse_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is absent: slide charts are drawn by Chromium (kaleido)")
    import duckdb

    from dashboard.rapat.screens import build_rapat_pack

    con = duckdb.connect(str(warehouse_path), read_only=True)
    month = con.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    con.close()
    return build_rapat_pack(Filters(month=month), max_kecamatan=1)


def test_every_chart_reads_at_least_14_pt_as_placed(pack):
    assert pack.renderers == {"kaleido": len(pack.chart_fonts)}
    prs = Presentation(io.BytesIO(pack.pptx))
    pictures = [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == len(pack.chart_fonts)
    for picture, (font_px, image_px, _box) in zip(pictures, pack.chart_fonts, strict=True):
        with Image.open(io.BytesIO(picture.image.blob)) as image:
            assert image.width == image_px
        placed_pt = picture.width / EMU_PER_PT
        projected = font_px * placed_pt / image_px
        assert projected >= MIN_PT, (font_px, placed_pt, image_px)


def test_the_rendered_chart_has_no_smaller_text(warehouse_path):
    """Independent of the figure's own bookkeeping: every font-size in the SVG Chromium draws."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is absent")
    import duckdb

    from dashboard.export.kaleido_worker import _get_worker, find_browser
    from dashboard.rapat.screens import SLIDE_PIXELS_PER_PT, build_rapat_screens, slide_figure, stunting_trend_chart
    from dashboard.rapat.slides import SECTION_CHART_IN

    con = duckdb.connect(str(warehouse_path), read_only=True)
    month = con.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    con.close()
    filters = Filters(month=month)
    chart = stunting_trend_chart(filters, build_rapat_screens(filters)[0], month)
    figure = slide_figure(chart.figure, SECTION_CHART_IN)
    svg = _get_worker(find_browser()).render(figure, "svg", int(figure.layout.width), int(figure.layout.height))
    sizes = [float(s) for s in re.findall(rb"font-size:\s*([\d.]+)px", svg)]
    assert sizes
    placed_pt = SECTION_CHART_IN[0] * 72
    assert min(sizes) * placed_pt / figure.layout.width >= MIN_PT
    assert figure.layout.width == pytest.approx(placed_pt * SLIDE_PIXELS_PER_PT)


def test_the_matplotlib_fallback_reads_at_least_14_pt_as_placed(warehouse_path):
    """Without Chromium the pack's charts are drawn by matplotlib at the slide's size and fonts:
    the smallest text it drew, projected as the picture is placed, is still at least 14 pt."""
    import duckdb

    from dashboard.rapat.screens import SLIDE_FONT_PT, build_rapat_pack

    con = duckdb.connect(str(warehouse_path), read_only=True)
    month = con.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    con.close()
    pack = build_rapat_pack(Filters(month=month), max_kecamatan=1, force_matplotlib=True)
    assert pack.renderers == {"matplotlib": len(pack.chart_fonts)}
    prs = Presentation(io.BytesIO(pack.pptx))
    pictures = [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == len(pack.chart_fonts)
    for picture, (font_px, image_px, _box) in zip(pictures, pack.chart_fonts, strict=True):
        with Image.open(io.BytesIO(picture.image.blob)) as image:
            assert image.width == image_px
        projected = font_px * (picture.width / EMU_PER_PT) / image_px
        assert MIN_PT <= projected, (font_px, image_px)
        assert projected == pytest.approx(SLIDE_FONT_PT, abs=0.1)


def test_the_matplotlib_drawn_chart_has_no_smaller_text(warehouse_path):
    """Independent of the renderer's own count: every font-size in the SVG matplotlib draws of a
    slide chart (Chromium's test above does the same with plotly's SVG)."""
    import duckdb

    from dashboard.export.matplotlib_fallback import render_laid_out_with_matplotlib
    from dashboard.rapat.screens import build_rapat_screens, legality_chart, slide_figure, stunting_trend_chart
    from dashboard.rapat.slides import SECTION_CHART_IN

    con = duckdb.connect(str(warehouse_path), read_only=True)
    month = con.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    con.close()
    filters = Filters(month=month)
    placed_pt = SECTION_CHART_IN[0] * 72
    for chart in (
        stunting_trend_chart(filters, build_rapat_screens(filters)[0], month),
        legality_chart(filters, month),
    ):
        svg = render_laid_out_with_matplotlib(slide_figure(chart.figure, SECTION_CHART_IN), "svg")[0]
        sizes = [float(s) for s in re.findall(rb"font-size: ([\d.]+)px", svg)]
        width = float(re.search(rb'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
        assert len(sizes) >= 10
        assert min(sizes) * placed_pt / width >= MIN_PT, (min(sizes), width)
