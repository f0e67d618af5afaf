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
