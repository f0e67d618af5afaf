"""The rapat koordinasi pack as PowerPoint and PDF, from charts already rendered.

Pages fill a RapatPack from the warehouse (chart PNGs from export.figure_to_png,
bullet texts in Bahasa Indonesia); this module only lays them out, the same
way in both formats: a title slide, a headline slide, one slide per section,
one slide per kecamatan. Slides are 16:9 with large type for projectors.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboard.formatting import format_date
from dashboard.theme import MUTED_TEXT_COLOR, OKABE_ITO, TEXT_COLOR

SLIDE_WIDTH_IN = 13.333
SLIDE_HEIGHT_IN = 7.5
MARGIN_IN = 0.5
TITLE_TOP_IN = 0.35
TITLE_HEIGHT_IN = 1.05
CONTENT_TOP_IN = 1.5
CONTENT_BOTTOM_IN = 6.8
FOOTER_TOP_IN = 6.95
FOOTER_HEIGHT_IN = 0.35
KECAMATAN_IMAGE_WIDTH_IN = 7.7
SUBTITLE_PT = 14  # the chart's subtitle (what the band and points are) above it
SUBTITLE_HEIGHT_IN = 0.8  # three lines of 14-16 pt
CHART_TOP_IN = CONTENT_TOP_IN + SUBTITLE_HEIGHT_IN
# Where a chart is placed when the title takes two lines and the subtitle three: its image is
# drawn at exactly the aspect of its box (chart_slide_layout), so it fills the box and a font of
# f pt in the chart's layout (dashboard.rapat.screens.slide_figure) reads f pt.
SECTION_CHART_IN = (SLIDE_WIDTH_IN - 2 * MARGIN_IN, CONTENT_BOTTOM_IN - CHART_TOP_IN)
KECAMATAN_CHART_IN = (KECAMATAN_IMAGE_WIDTH_IN, CONTENT_BOTTOM_IN - CHART_TOP_IN)
TITLE_SIZES_PT = (30, 26, 22)  # the largest that fits in two lines is chosen
LINE_HEIGHT = 1.25  # of the font size, in both formats
TEXT_INSET_IN = 0.1  # a PowerPoint text box's inner margin on each side (fpdf's is smaller)
BLOCK_GAP_IN = 0.15  # white space between the title, the subtitle and the chart
ACCENT = OKABE_ITO["blue"]
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"


def _check_image(image: bytes, where: str) -> None:
    if not (image.startswith(_PNG_SIGNATURE) or image.startswith(_JPEG_SIGNATURE)):
        raise ValueError(f"{where}: image must be PNG or JPEG bytes")


@dataclass(frozen=True)
class SlideSection:
    """One chart slide. note replaces the pack's source note in this slide's footer."""

    title: str
    image_png: bytes
    note: str = ""
    subtitle: str = ""  # above the chart, at SUBTITLE_PT

    def __post_init__(self) -> None:
        _check_image(self.image_png, f"section {self.title!r}")


@dataclass(frozen=True)
class TextSlide:
    """A slide of words only (the rapat's opening): a title, a bold lead line and bullets."""

    title: str
    lead: str = ""
    lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))


def _text_size_pt(lines: Sequence[str]) -> int:
    # Long lists shrink rather than run into the footer.
    length = sum(len(line) for line in lines) + 60 * len(lines)
    return 18 if length <= 900 else 16 if length <= 1300 else 14


@dataclass(frozen=True)
class KecamatanSlide:
    """One kecamatan: its chart and (usually three) bullets on what changed since the previous period."""

    kecamatan: str
    title: str
    image_png: bytes
    changes: tuple[str, ...] = ()
    subtitle: str = ""  # above the chart, at SUBTITLE_PT

    def __post_init__(self) -> None:
        _check_image(self.image_png, f"kecamatan {self.kecamatan!r}")
        object.__setattr__(self, "changes", tuple(self.changes))


@dataclass(frozen=True)
class RapatPack:
    """Everything a rapat pack shows, in Bahasa Indonesia.

    title: "Rapat Koordinasi Tim Pembina Posyandu Kabupaten Kutai Kartanegara".
    subtitle: "Data Oktober 2025".
    headline / headline_points: the main finding and its supporting points.
    previous_period: label of the period the kecamatan bullets compare with ("September 2025").
    """

    title: str
    subtitle: str
    headline: str
    source_note: str
    headline_points: tuple[str, ...] = ()
    sections: tuple[SlideSection, ...] = ()
    kecamatan_slides: tuple[KecamatanSlide, ...] = ()
    opening_slides: tuple[TextSlide, ...] = ()  # right after the title slide
    meeting_date: dt.date | None = None
    previous_period: str = ""
    organiser: str = "DPMD Kabupaten Kutai Kartanegara"

    def __post_init__(self) -> None:
        for name in ("headline_points", "sections", "kecamatan_slides", "opening_slides"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def slide_titles(self) -> list[str]:
        """Titles in slide order, as both builders write them."""
        return [
            self.title,
            *(s.title for s in self.opening_slides),
            self.headline,
            *(s.title for s in self.sections),
            *(k.title for k in self.kecamatan_slides),
        ]

    @property
    def changes_heading(self) -> str:
        return f"Perubahan sejak {self.previous_period}" if self.previous_period else "Perubahan sejak periode lalu"

    @property
    def title_slide_lines(self) -> list[str]:
        when = format_date(self.meeting_date) if self.meeting_date else ""
        return [line for line in (self.subtitle, " · ".join(p for p in (self.organiser, when) if p)) if line]


def _font(bold: bool):  # noqa: ANN202 - PIL's FreeTypeFont, imported lazily
    from PIL import ImageFont

    regular, bold_path = find_unicode_font()
    return ImageFont.truetype(str(bold_path if bold else regular), 100)


def wrapped_lines(text: str, size_pt: float, width_in: float, *, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width_in`` wide at ``size_pt``, measured with
    DejaVu Sans (the PDF's font, and wider than PowerPoint's default: a safe upper bound)."""
    font = _font(bold)
    room = (width_in - 2 * TEXT_INSET_IN) * 72 / size_pt * 100  # in the font's 100-unit em
    lines, current = 0, ""
    for paragraph in str(text).split("\n"):
        lines += 1
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and font.getlength(candidate) > room:
                lines += 1
                current = word
            else:
                current = candidate
    return max(lines, 1)


def text_height_in(text: str, size_pt: float, width_in: float, *, bold: bool = False) -> float:
    return wrapped_lines(text, size_pt, width_in, bold=bold) * size_pt * LINE_HEIGHT / 72


def _title_size_pt(text: str, width_in: float = SLIDE_WIDTH_IN - 2 * MARGIN_IN) -> int:
    # Long findings shrink rather than overflow: the largest size that keeps them to two lines.
    for size in TITLE_SIZES_PT:
        if wrapped_lines(text, size, width_in, bold=True) <= 2:
            return size
    return TITLE_SIZES_PT[-1]


@dataclass(frozen=True)
class ChartSlideLayout:
    """Where a chart slide's title, subtitle and chart go (inches from the top left), measured
    from their texts, so a three-line title pushes the subtitle down instead of touching it."""

    title_pt: int
    title_height_in: float
    subtitle_top_in: float
    subtitle_height_in: float
    chart_top_in: float
    chart_box_in: tuple[float, float]


def chart_slide_layout(title: str, subtitle: str, chart_width_in: float) -> ChartSlideLayout:
    """The layout of a chart slide whose chart (and subtitle) is ``chart_width_in`` wide."""
    title_pt = _title_size_pt(title)
    title_h = text_height_in(title, title_pt, SLIDE_WIDTH_IN - 2 * MARGIN_IN, bold=True) + 0.1
    subtitle_top = max(CONTENT_TOP_IN, TITLE_TOP_IN + title_h + BLOCK_GAP_IN)
    subtitle_h = text_height_in(subtitle, SUBTITLE_PT, chart_width_in) + 0.1 if subtitle else 0.0
    chart_top = subtitle_top + subtitle_h + (BLOCK_GAP_IN if subtitle else 0.0)
    return ChartSlideLayout(
        title_pt, title_h, subtitle_top, subtitle_h, chart_top, (chart_width_in, CONTENT_BOTTOM_IN - chart_top)
    )


def content_top_in(title: str) -> float:
    """Where a text slide's body starts: under its title, however many lines it takes."""
    return chart_slide_layout(title, "", SLIDE_WIDTH_IN - 2 * MARGIN_IN).subtitle_top_in


def section_layout(title: str, subtitle: str) -> ChartSlideLayout:
    return chart_slide_layout(title, subtitle, SLIDE_WIDTH_IN - 2 * MARGIN_IN)


def kecamatan_layout(title: str, subtitle: str) -> ChartSlideLayout:
    return chart_slide_layout(title, subtitle, KECAMATAN_IMAGE_WIDTH_IN)


def _fit(image: bytes, box_w: float, box_h: float) -> tuple[float, float]:
    from PIL import Image

    with Image.open(io.BytesIO(image)) as im:
        width, height = im.size
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# --------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------


def build_rapat_pptx(pack: RapatPack) -> bytes:
    """The pack as a 16:9 .pptx; every slide has a real title placeholder (outline view, screen readers)."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width = Inches(SLIDE_WIDTH_IN)
    prs.slide_height = Inches(SLIDE_HEIGHT_IN)
    prs.core_properties.title = pack.title
    prs.core_properties.author = pack.organiser
    prs.core_properties.language = "id-ID"
    total = len(pack.slide_titles)
    text_rgb = RGBColor(*_rgb(TEXT_COLOR))
    muted_rgb = RGBColor(*_rgb(MUTED_TEXT_COLOR))

    def style_runs(frame: object, size: int, bold: bool = False, color: RGBColor = text_rgb) -> None:
        for paragraph in frame.paragraphs:  # type: ignore[attr-defined]
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.font.bold = bold
                run.font.color.rgb = color

    def set_title(slide: object, text: str) -> None:
        title = slide.shapes.title  # type: ignore[attr-defined]
        height = chart_slide_layout(text, "", SLIDE_WIDTH_IN - 2 * MARGIN_IN).title_height_in
        title.left, title.top = Inches(MARGIN_IN), Inches(TITLE_TOP_IN)
        title.width, title.height = Inches(SLIDE_WIDTH_IN - 2 * MARGIN_IN), Inches(max(TITLE_HEIGHT_IN, height))
        title.text = text
        frame = title.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
        style_runs(frame, _title_size_pt(text), bold=True)

    def add_text(
        slide: object,
        left: float,
        top: float,
        width: float,
        height: float,
        lines: Sequence[str],
        size: int,
        *,
        bold: bool = False,
        color: RGBColor = text_rgb,
        bullets: bool = False,
        align: int = PP_ALIGN.LEFT,
    ) -> None:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))  # type: ignore[attr-defined]
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = f"•  {line}" if bullets else line
            paragraph.alignment = align
            paragraph.space_after = Pt(size * 0.6 if bullets else 0)
        style_runs(frame, size, bold=bold, color=color)

    def add_footer(slide: object, number: int, note: str) -> None:
        width = SLIDE_WIDTH_IN - 2 * MARGIN_IN
        add_text(slide, MARGIN_IN, FOOTER_TOP_IN, width - 1.2, FOOTER_HEIGHT_IN, [note], 11, color=muted_rgb)
        add_text(
            slide,
            SLIDE_WIDTH_IN - MARGIN_IN - 1.2,
            FOOTER_TOP_IN,
            1.2,
            FOOTER_HEIGHT_IN,
            [f"{number}/{total}"],
            11,
            color=muted_rgb,
            align=PP_ALIGN.RIGHT,
        )

    def add_picture(
        slide: object, image: bytes, left: float, top: float, width: float, height: float, centre: bool
    ) -> None:
        w, h = _fit(image, width, height)
        x = left + (width - w) / 2 if centre else left
        slide.shapes.add_picture(io.BytesIO(image), Inches(x), Inches(top + (height - h) / 2), Inches(w), Inches(h))  # type: ignore[attr-defined]

    # 1. Title slide
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.35), prs.slide_height)
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor(*_rgb(ACCENT))
    bar.line.fill.background()
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(1.0), Inches(2.0), Inches(11.3), Inches(2.2)
    title.text = pack.title
    title.text_frame.word_wrap = True
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    style_runs(title.text_frame, 40 if len(pack.title) <= 70 else 32, bold=True)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Inches(1.0), Inches(4.4), Inches(11.3), Inches(1.6)
    subtitle.text = "\n".join(pack.title_slide_lines)
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    style_runs(subtitle.text_frame, 24, color=muted_rgb)

    title_only = prs.slide_layouts[5]
    number = 1

    # 1b. Opening: the previous rapat's follow-up and what changed since
    body_w = SLIDE_WIDTH_IN - 2 * MARGIN_IN
    for opening in pack.opening_slides:
        number += 1
        slide = prs.slides.add_slide(title_only)
        set_title(slide, opening.title)
        top = content_top_in(opening.title) + 0.1
        if opening.lead:
            add_text(slide, MARGIN_IN, top, body_w, 0.9, [opening.lead], 22, bold=True)
            top += 1.0
        if opening.lines:
            size = _text_size_pt(opening.lines)
            add_text(slide, MARGIN_IN, top, body_w, CONTENT_BOTTOM_IN - top, opening.lines, size, bullets=True)
        add_footer(slide, number, pack.source_note)

    # 2. Headline
    number += 1
    slide = prs.slides.add_slide(title_only)
    set_title(slide, pack.headline)
    if pack.headline_points:
        top = content_top_in(pack.headline) + 0.2
        add_text(
            slide,
            MARGIN_IN,
            top,
            SLIDE_WIDTH_IN - 2 * MARGIN_IN,
            CONTENT_BOTTOM_IN - top,
            pack.headline_points,
            24,
            bullets=True,
        )
    add_footer(slide, number, pack.source_note)

    def chart_slide(
        title: str, subtitle: str, subtitle_w: float, image: bytes, layout: ChartSlideLayout, centre: bool
    ) -> object:
        """A slide with its title, the chart's subtitle (when it has one) and the chart."""
        slide = prs.slides.add_slide(title_only)
        set_title(slide, title)
        if subtitle:
            add_text(
                slide, MARGIN_IN, layout.subtitle_top_in, subtitle_w, layout.subtitle_height_in, [subtitle], SUBTITLE_PT
            )
        add_picture(slide, image, MARGIN_IN, layout.chart_top_in, *layout.chart_box_in, centre=centre)
        return slide

    # 3. Sections
    for section in pack.sections:
        number += 1
        layout = section_layout(section.title, section.subtitle)
        slide = chart_slide(section.title, section.subtitle, body_w, section.image_png, layout, centre=True)
        add_footer(slide, number, section.note or pack.source_note)

    # 4. Kecamatan
    text_left = MARGIN_IN + KECAMATAN_IMAGE_WIDTH_IN + 0.35
    text_width = SLIDE_WIDTH_IN - MARGIN_IN - text_left
    for kecamatan in pack.kecamatan_slides:
        number += 1
        layout = kecamatan_layout(kecamatan.title, kecamatan.subtitle)
        slide = chart_slide(
            kecamatan.title, kecamatan.subtitle, KECAMATAN_IMAGE_WIDTH_IN, kecamatan.image_png, layout, centre=False
        )
        top = layout.subtitle_top_in + 0.1
        add_text(slide, text_left, top, text_width, 0.6, [pack.changes_heading], 20, bold=True)
        top += text_height_in(pack.changes_heading, 20, text_width, bold=True) + 0.15
        add_text(
            slide,
            text_left,
            top,
            text_width,
            CONTENT_BOTTOM_IN - top,
            kecamatan.changes or ("Tidak ada perubahan yang dicatat.",),
            18,
            bullets=True,
        )
        add_footer(slide, number, pack.source_note)

    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


def find_unicode_font() -> tuple[Path, Path]:
    """Regular and bold TTF with Indonesian glyphs: Debian's DejaVu, else matplotlib's copy."""
    system = SYSTEM_FONT_DIR
    if (system / "DejaVuSans.ttf").is_file() and (system / "DejaVuSans-Bold.ttf").is_file():
        return system / "DejaVuSans.ttf", system / "DejaVuSans-Bold.ttf"
    import matplotlib

    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return bundled / "DejaVuSans.ttf", bundled / "DejaVuSans-Bold.ttf"


def build_rapat_pdf(pack: RapatPack) -> bytes:
    """The same pack as a 16:9 PDF, one page per slide."""
    from fpdf import FPDF

    mm = 25.4
    page_w, page_h = SLIDE_WIDTH_IN * mm, SLIDE_HEIGHT_IN * mm
    margin = MARGIN_IN * mm
    pdf = FPDF(orientation="L", unit="mm", format=(page_h, page_w))
    pdf.set_auto_page_break(False)
    pdf.set_margins(margin, margin, margin)
    pdf.set_title(pack.title)
    pdf.set_author(pack.organiser)
    pdf.set_lang("id-ID")
    regular, bold = find_unicode_font()
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    total = len(pack.slide_titles)
    text_rgb, muted_rgb, accent_rgb = _rgb(TEXT_COLOR), _rgb(MUTED_TEXT_COLOR), _rgb(ACCENT)
    pt_to_mm = mm / 72

    def text_block(
        x: float,
        y: float,
        w: float,
        lines: Sequence[str],
        size: float,
        *,
        bold_text: bool = False,
        color: tuple[int, int, int] = text_rgb,
        bullets: bool = False,
        align: str = "L",
        gap: float = 0.0,
    ) -> float:
        pdf.set_font("DejaVu", "B" if bold_text else "", size)
        pdf.set_text_color(*color)
        pdf.set_xy(x, y)
        line_h = size * pt_to_mm * 1.25
        for line in lines:
            pdf.set_x(x)
            pdf.multi_cell(w, line_h, f"•  {line}" if bullets else line, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(pdf.get_y() + gap)
        return pdf.get_y()

    def slide_title(text: str) -> None:
        text_block(margin, TITLE_TOP_IN * mm, page_w - 2 * margin, [text], _title_size_pt(text), bold_text=True)

    def body_top(text: str) -> float:
        return content_top_in(text) * mm

    def footer(number: int, note: str) -> None:
        y = FOOTER_TOP_IN * mm
        text_block(margin, y, page_w - 2 * margin - 30, [note], 10, color=muted_rgb)
        text_block(page_w - margin - 30, y, 30, [f"{number}/{total}"], 10, color=muted_rgb, align="R")

    def picture(image: bytes, x: float, y: float, w: float, h: float, centre: bool, alt: str) -> None:
        fw, fh = _fit(image, w, h)
        left = x + (w - fw) / 2 if centre else x
        pdf.image(io.BytesIO(image), x=left, y=y + (h - fh) / 2, w=fw, h=fh, alt_text=alt)

    # 1. Title slide
    pdf.add_page()
    pdf.set_fill_color(*accent_rgb)
    pdf.rect(0, 0, 0.35 * mm, page_h, style="F")
    pdf.set_font("DejaVu", "B", 40 if len(pack.title) <= 70 else 32)
    title_lines = pdf.multi_cell(11.3 * mm, 40 * pt_to_mm * 1.2, pack.title, dry_run=True, output="LINES")
    title_h = len(title_lines) * 40 * pt_to_mm * 1.2
    text_block(
        1.0 * mm, 4.2 * mm - title_h, 11.3 * mm, [pack.title], 40 if len(pack.title) <= 70 else 32, bold_text=True
    )
    text_block(1.0 * mm, 4.4 * mm, 11.3 * mm, pack.title_slide_lines, 24, color=muted_rgb)

    number = 1

    # 1b. Opening: the previous rapat's follow-up and what changed since
    for opening in pack.opening_slides:
        number += 1
        pdf.add_page()
        slide_title(opening.title)
        y = body_top(opening.title) + 0.1 * mm
        if opening.lead:
            y = text_block(margin, y, page_w - 2 * margin, [opening.lead], 22, bold_text=True) + 4
        if opening.lines:
            size = _text_size_pt(opening.lines)
            text_block(margin, y, page_w - 2 * margin, opening.lines, size, bullets=True, gap=size * pt_to_mm * 0.5)
        footer(number, pack.source_note)

    # 2. Headline
    number += 1
    pdf.add_page()
    slide_title(pack.headline)
    if pack.headline_points:
        text_block(
            margin,
            body_top(pack.headline) + 0.2 * mm,
            page_w - 2 * margin,
            pack.headline_points,
            24,
            bullets=True,
            gap=24 * pt_to_mm * 0.6,
        )
    footer(number, pack.source_note)

    def chart_page(
        title: str, subtitle: str, subtitle_w: float, image: bytes, layout: ChartSlideLayout, centre: bool
    ) -> None:
        """A page with its title, the chart's subtitle (when it has one) and the chart."""
        pdf.add_page()
        slide_title(title)
        if subtitle:
            text_block(margin, layout.subtitle_top_in * mm, subtitle_w, [subtitle], SUBTITLE_PT)
        chart_w, chart_h = (v * mm for v in layout.chart_box_in)
        picture(image, margin, layout.chart_top_in * mm, chart_w, chart_h, centre, title)

    # 3. Sections
    for section in pack.sections:
        number += 1
        layout = section_layout(section.title, section.subtitle)
        chart_page(section.title, section.subtitle, page_w - 2 * margin, section.image_png, layout, centre=True)
        footer(number, section.note or pack.source_note)

    # 4. Kecamatan
    text_left = (MARGIN_IN + KECAMATAN_IMAGE_WIDTH_IN + 0.35) * mm
    text_w = page_w - margin - text_left
    for kecamatan in pack.kecamatan_slides:
        number += 1
        layout = kecamatan_layout(kecamatan.title, kecamatan.subtitle)
        chart_page(
            kecamatan.title,
            kecamatan.subtitle,
            KECAMATAN_IMAGE_WIDTH_IN * mm,
            kecamatan.image_png,
            layout,
            centre=False,
        )
        y = text_block(
            text_left, (layout.subtitle_top_in + 0.1) * mm, text_w, [pack.changes_heading], 20, bold_text=True
        )
        text_block(
            text_left,
            y + 4,
            text_w,
            kecamatan.changes or ("Tidak ada perubahan yang dicatat.",),
            18,
            bullets=True,
            gap=18 * pt_to_mm * 0.6,
        )
        footer(number, pack.source_note)

    return bytes(pdf.output())
