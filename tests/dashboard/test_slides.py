from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from dashboard.rapat import slides as slides
from dashboard.rapat.slides import KecamatanSlide, RapatPack, SlideSection, build_rapat_pdf, build_rapat_pptx

SOURCE = "Sumber: e-PPGBM dan register posyandu, data per 31 Oktober 2025, diolah DPMD Kukar"


def png(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pack() -> RapatPack:
    wide, square = png(1920, 1080, (0, 114, 178)), png(1080, 1080, (213, 94, 0))
    return RapatPack(
        title="Rapat Koordinasi Tim Pembina Posyandu Kabupaten Kutai Kartanegara",
        subtitle="Data Oktober 2025",
        headline="Stunting turun menjadi 12,6%, tetapi 4 kecamatan masih di atas 20%",
        headline_points=[
            "Prevalensi stunting 12,6% (e-PPGBM, rutin).",
            "D/S naik menjadi 84,1%.",
            "612 dari 806 posyandu teregistrasi.",
        ],
        sections=[
            SlideSection("Stunting per kecamatan", wide),
            SlideSection("Tren gizi balita", square, note="Sumber: e-PPGBM"),
        ],
        kecamatan_slides=[
            KecamatanSlide(
                "Tabang",
                "Kecamatan Tabang: stunting turun 2,1 poin",
                square,
                ["Stunting 20,4% (September: 22,5%).", "D/S 78%.", "2 posyandu baru teregistrasi."],
            ),
            KecamatanSlide(
                "Kenohan",
                "Kecamatan Kenohan: kehadiran kader turun",
                wide,
                ["Kader hadir 81%.", "Stunting tetap 8,6%.", "Belum ada SK baru."],
            ),
            KecamatanSlide("Muara Wis", "Kecamatan Muara Wis: tidak ada data baru", square),
        ],
        source_note=SOURCE,
        meeting_date=dt.date(2025, 11, 12),
        previous_period="September 2025",
    )


def test_pack_is_frozen_and_takes_lists(pack):
    assert isinstance(pack.sections, tuple) and isinstance(pack.kecamatan_slides[0].changes, tuple)
    with pytest.raises(AttributeError):
        pack.title = "lain"  # type: ignore[misc]
    assert pack.title_slide_lines == ["Data Oktober 2025", "DPMD Kabupaten Kutai Kartanegara · 12 November 2025"]


def test_images_must_be_png_or_jpeg():
    with pytest.raises(ValueError):
        SlideSection("Grafik", b"not an image")


def test_pptx_has_one_slide_per_part_with_titles(pack):
    prs = Presentation(io.BytesIO(build_rapat_pptx(pack)))
    assert len(prs.slides) == 2 + 2 + 3
    assert [s.shapes.title.text for s in prs.slides] == pack.slide_titles
    assert round(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches, 2) == round(16 / 9, 2)
    pictures = [sum(1 for sh in s.shapes if sh.shape_type == 13) for s in prs.slides]
    assert pictures == [0, 0, 1, 1, 1, 1, 1]


def test_pptx_texts(pack):
    prs = Presentation(io.BytesIO(build_rapat_pptx(pack)))

    def texts(slide) -> str:
        return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)

    first, headline, _, section, tabang, _, empty = prs.slides
    assert "12 November 2025" in texts(first)
    assert "D/S naik menjadi 84,1%." in texts(headline)
    assert "Sumber: e-PPGBM" in texts(section) and "4/7" in texts(section)
    assert "Perubahan sejak September 2025" in texts(tabang)
    assert "Stunting 20,4% (September: 22,5%)." in texts(tabang)
    assert SOURCE in texts(tabang)
    assert "Tidak ada perubahan yang dicatat." in texts(empty)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_pdf_has_one_page_per_slide(pack):
    pdf = build_rapat_pdf(pack)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == len(pack.slide_titles) == 7


def test_pdf_falls_back_to_matplotlibs_dejavu(monkeypatch, tmp_path, pack):
    monkeypatch.setattr(slides, "SYSTEM_FONT_DIR", tmp_path / "nowhere")
    regular, bold = slides.find_unicode_font()
    assert "mpl-data" in str(regular) and regular.is_file() and bold.is_file()
    assert page_count(build_rapat_pdf(pack)) == 7


# --------------------------------------------------------------------------
# Titles that take three lines push the subtitle and chart down (measured)
# --------------------------------------------------------------------------

LONG_TITLE = (
    "Stunting menurut data rutin 14,8% pada Oktober 2025, turun 10,0 poin sejak November 2023; "
    "di bawah target 2025: 18,8% (RPJMN 2025–2029)"
)
SUBTITLE = (
    "Data rutin e-PPGBM sampai Oktober 2025, Kabupaten Kutai Kartanegara; pita: IK 95%; titik hitam: survei "
    "tingkat kabupaten; garis putus-putus: Target 2025: 18,8% (RPJMN 2025–2029)"
)
MIN_GAP_IN = 0.1
EMU_PER_IN = 914400


@pytest.fixture(scope="module")
def long_title_pack() -> RapatPack:
    wide = png(2663, 900, (0, 114, 178))
    return RapatPack(
        title="Rapat Koordinasi Tim Pembina Posyandu Kabupaten Kutai Kartanegara",
        subtitle="Data Oktober 2025",
        headline=LONG_TITLE,
        headline_points=["Prevalensi stunting 14,8% (e-PPGBM, rutin)."],
        sections=[SlideSection(LONG_TITLE, wide, subtitle=SUBTITLE)],
        kecamatan_slides=[KecamatanSlide("Tabang", LONG_TITLE, wide, ["Stunting turun."], subtitle=SUBTITLE)],
        source_note=SOURCE,
    )


def _text_bottom_in(shape) -> float:
    """Where the title's last line ends: its lines counted by wrapping the words at the box's
    width with DejaVu Sans Bold (wider than PowerPoint's default font), 1.2 line height."""
    from PIL import ImageFont

    size_pt = shape.text_frame.paragraphs[0].runs[0].font.size.pt
    font = ImageFont.truetype(str(slides.find_unicode_font()[1]), 100)
    room = (shape.width / EMU_PER_IN - 0.2) * 72 / size_pt * 100
    lines, current = 1, ""
    for word in shape.text_frame.text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > room:
            lines, current = lines + 1, word
        else:
            current = candidate
    return shape.top / EMU_PER_IN + 0.05 + lines * size_pt * 1.2 / 72


def test_a_three_line_title_does_not_touch_what_follows_in_the_pptx(long_title_pack):
    prs = Presentation(io.BytesIO(build_rapat_pptx(long_title_pack)))
    checked = 0
    for slide in list(prs.slides)[1:]:
        title = slide.shapes.title
        bottom = _text_bottom_in(title)
        below = [sh for sh in slide.shapes if sh.shape_id != title.shape_id and sh.top > title.top]
        assert below
        first = min(sh.top for sh in below) / EMU_PER_IN
        assert first - bottom >= MIN_GAP_IN, (title.text[:40], round(bottom, 2), round(first, 2))
        checked += 1
    assert checked == 3  # headline, section, kecamatan


def test_chart_boxes_follow_the_measured_title_and_subtitle():
    short = slides.section_layout("Partisipasi kader naik", "Satu baris")
    long = slides.section_layout(LONG_TITLE, SUBTITLE)
    assert long.title_pt == 22 and short.title_pt == 30
    assert long.subtitle_top_in > short.subtitle_top_in
    assert long.chart_top_in >= long.subtitle_top_in + long.subtitle_height_in
    assert long.chart_box_in[1] < short.chart_box_in[1]
    assert long.chart_top_in + long.chart_box_in[1] == pytest.approx(slides.CONTENT_BOTTOM_IN)


def test_a_three_line_title_does_not_touch_the_subtitle_in_the_pdf(long_title_pack, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is absent: the PDF's word positions cannot be read")
    path = tmp_path / "pack.pdf"
    path.write_bytes(build_rapat_pdf(long_title_pack))
    section_page = 3  # title, headline, section
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(section_page), "-l", str(section_page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [
        (float(y_min), float(y_max), word)
        for y_min, y_max, word in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)">([^<]*)</word>', html)
    ]
    title_words = len(LONG_TITLE.split())
    assert [w for _, _, w in words[:title_words]] == LONG_TITLE.split()
    title_bottom = max(y_max for _, y_max, _ in words[:title_words])
    subtitle_top = words[title_words][0]
    assert words[title_words][2] == SUBTITLE.split()[0]
    assert (subtitle_top - title_bottom) / 72 >= MIN_GAP_IN, (title_bottom, subtitle_top)
