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
from dashboard.formatting import format_month
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
    assert len(prs.slides) == 4 + len(sections) + len(kecamatan)
    titles = [slide.shapes.title.text for slide in prs.slides]
    assert titles == result.pack.slide_titles
    assert titles[0] == "Rapat Koordinasi Tim Pembina Posyandu Kabupaten Kutai Kartanegara"
    assert titles[1] == "Tindak lanjut rapat sebelumnya"  # no previous rapat chosen
    assert titles[2].startswith("Apa yang berubah sejak rapat lalu")
    assert titles[3] == screens[0].title
    assert titles[4].startswith("Stunting menurut data rutin")
    assert titles[8:] == [s.title for s in screens[1:]]


def test_each_kecamatan_slide_says_what_changed(build, month):
    result, _ = build
    screens = build_rapat_screens(Filters(month=month))
    prs = Presentation(io.BytesIO(result.pptx))
    for slide, screen in zip(list(prs.slides)[8:], screens[1:], strict=True):
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


def test_pack_opens_with_the_previous_rapats_follow_up(month, tmp_path):
    """With a previous rapat: its follow-up (done, overdue, open) and the comparison with its data month."""
    import datetime as dt

    from dashboard.filters import months_before
    from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft
    from dashboard.rapat.opening import data_month_for_rapat

    store = FollowupStore(tmp_path / "tindak_lanjut.sqlite")
    kab = Actor("kabid")
    rapat = months_before(month, 2) + dt.timedelta(days=4)  # early in the month two months back
    meeting = month + dt.timedelta(days=40)
    done = store.create(kab, RecommendationDraft("64.02.06", "Latih kader", "Dinkes", meeting, rapat_date=rapat))
    store.update(kab, done.id, 1, status="selesai")
    store.create(kab, RecommendationDraft("64.02.07", "Musdes posyandu", "DPMD", rapat, rapat_date=rapat))
    store.create(kab, RecommendationDraft("64.02.08", "PMT lokal", "Tim 3", meeting, rapat_date=rapat))
    store.create(kab, RecommendationDraft("64.02.09", "Baru", "Tim 4", meeting, rapat_date=meeting))  # not yet due
    result = build_rapat_pack(
        Filters(month=month),
        force_matplotlib=True,
        max_kecamatan=1,
        meeting_date=meeting,
        previous_rapat=rapat,
        followup=store,
    )
    opening = result.pack.opening_slides
    assert opening[0].title == "Tindak lanjut rapat sebelumnya"
    assert opening[0].lead.startswith("Dari 3 tindak lanjut rapat ")
    assert opening[0].lead.endswith(": 1 selesai, 1 terlambat, 1 masih berjalan")
    assert opening[0].lines[0].startswith("Sebulu: Musdes posyandu — DPMD (TERLAMBAT")
    compared = data_month_for_rapat(rapat, month)
    assert compared == months_before(month, 3)
    assert result.pack.previous_period == format_month(compared)
    assert opening[1].lead.startswith(f"Dibanding data {format_month(compared)} (bulan penuh terakhir sebelum rapat ")
    assert any(line.startswith("Tindak lanjut: 1 dari 3 rekomendasi") for line in opening[1].lines)
    prs = Presentation(io.BytesIO(result.pptx))
    second = " ".join(shape.text_frame.text for shape in prs.slides[1].shapes if shape.has_text_frame)
    assert "Musdes posyandu" in second and "TERLAMBAT" in second
    assert _pdf_pages(result.pdf) == len(result.pack.slide_titles)


def test_pack_page_says_the_period_against_the_month_before(warehouse_path, month):
    """The contents list reads "data <period> dibanding <month before>", as the slides do."""
    from dashboard.filters import months_before
    from dashboard.formatting import format_month
    from tests.support.apptest import open_page

    at = open_page("pages/paket_rapat.py")
    text = " ".join(m.value for m in at.markdown)
    period, before = format_month(month), format_month(months_before(month, 1))
    assert f"(data {period} dibanding {before})" in text, text
