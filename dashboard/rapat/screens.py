"""Rapat koordinasi: the screens of the presentation and the rapat pack (PowerPoint and PDF).

One message per screen: first the headline of the whole area the user may see, then one
screen per kecamatan with data in the period, each with its stunting prevalence, kader
participation, D/S and legality, and what changed since the month before. The same
messages become the slides of the pack: a title slide, the headline, one chart per
section (stunting trend, kader participation, 6 SPM/legality, priority areas) and one
slide per kecamatan with its chart and three bullets.

The numbers come from other modules' queries (queries.priority.query_area_indicators for
both months, queries.nutrition for the design-based stunting intervals, queries.stunting
for trends, and so on); everything that turns them into words is pure and tested (see
rapat.changes). Kecamatan come worst first, by the priority score of metrics.priority with
the weights of the Prioritas page.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue.indicators import INDICATORS
from dashboard.catalogue.registers import register_source
from dashboard.charts.kader import describe_participation_trend, plot_participation_trend
from dashboard.charts.priority import area_label, plot_priority_ranking
from dashboard.charts.stunting import describe_trend, plot_prevalence_trend
from dashboard.charts.transformation import describe_pipeline, plot_registration_pipeline
from dashboard.db import cached_on_version
from dashboard.export.indicator_text import indicator_meta, indicator_sources, indicator_title, label_value_axis
from dashboard.export.kaleido_worker import find_browser, warm_up_kaleido
from dashboard.export.press import ChartMeta
from dashboard.export.slide_images import render_laid_out_figure
from dashboard.filters import Filters, months_before
from dashboard.followup.store import Actor, FollowupStore
from dashboard.formatting import format_month, format_number, source_note
from dashboard.metrics.priority import components_for, rank_areas, score_priority
from dashboard.queries.areas import describe_area
from dashboard.queries.common import query_data_as_of, query_kecamatan
from dashboard.queries.kader import query_participation_trend
from dashboard.queries.nutrition import WHOLE_AREA, query_stunting_intervals
from dashboard.queries.priority import query_area_indicators, query_scored_areas
from dashboard.queries.stunting import query_stunting_trend, query_survey_stunting
from dashboard.queries.transformation import query_registration_pipeline
from dashboard.rapat.changes import CI_HIGH, CI_LOW, Screen, build_screens
from dashboard.rapat.opening import build_opening, data_month_for_rapat, load_followup_summary, opening_slides
from dashboard.rapat.projection import Fit, fit_chart, short_label, smallest_font
from dashboard.rapat.slides import (
    KecamatanSlide,
    RapatPack,
    SlideSection,
    build_rapat_pdf,
    build_rapat_pptx,
    kecamatan_layout,
    section_layout,
)
from dashboard.theme import apply_theme

SLIDE_FONT_PT = 16  # chart text as projected on the slide (at least 14 pt)
SLIDE_PIXELS_PER_PT = 3  # a 12,3-inch chart is 2.664 px wide: sharp on any projector
PRIORITY_TOP = 10  # a slide has room for ten bars with whole 16 pt labels
# The pack's indicators: its source line names their registers (from the catalogue).
PACK_INDICATORS = ("stunting", "kader_participation", "legality")
PRIORITY_INDICATORS = ("stunting", "ds_ratio", "kader_participation", "legality", "basic_services_index")
SURVEYS = register_source("official_stunting")  # named by the catalogue, as every source line

Progress = Callable[[float, str], None]


def scope_filters(filters: Filters) -> Filters:
    """The rapat covers every kecamatan the user may see, whatever kecamatan is chosen."""
    return filters.whole_scope()


Interval = tuple[float, float] | None


def _with_intervals(areas: pd.DataFrame, filters: Filters) -> tuple[pd.DataFrame, Interval]:
    """The kecamatan rows with their design-based stunting interval (percent), and the whole area's."""
    by_code = query_stunting_intervals(filters).set_index("code")
    whole = by_code.loc[WHOLE_AREA]
    out = areas.copy()
    out[CI_LOW] = out["code"].map(by_code["ci_low"] * 100)
    out[CI_HIGH] = out["code"].map(by_code["ci_high"] * 100)
    out.attrs.update(areas.attrs)
    interval = None if pd.isna(whole["ci_low"]) else (float(whole["ci_low"]) * 100, float(whole["ci_high"]) * 100)
    return out, interval


def query_rapat_indicators(
    filters: Filters, previous_month: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Interval, Interval]]:
    """Kecamatan indicators (query_area_indicators, with the stunting intervals) for the month
    and the month compared with, and the whole area's stunting interval in each."""
    scope = scope_filters(filters)
    before = replace(scope, month=previous_month or months_before(filters.month, 1))
    current, now_interval = _with_intervals(query_area_indicators(scope, "kecamatan", scope.month), scope)
    previous, before_interval = _with_intervals(query_area_indicators(before, "kecamatan", before.month), before)
    return current, previous, (now_interval, before_interval)


@cached_on_version  # every rapat page run rebuilds all screens otherwise
def build_rapat_screens(
    filters: Filters, previous_month: dt.date | None = None, weights: dict[str, float] | None = None
) -> list[Screen]:
    """Screens comparing the month with ``previous_month`` (default: the month before); the
    kecamatan worst first by the priority score with ``weights`` (default: the page's defaults)."""
    current, previous, intervals = query_rapat_indicators(filters, previous_month)
    priority = rank_areas(score_priority(current, weights, components_for(current.attrs.get("basic_index_name"))))
    return build_screens(
        current,
        previous,
        filters.month,
        describe_area(scope_filters(filters)),
        previous_month,
        priority=priority,
        area_intervals=intervals,
    )


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


def rapat_source_note(as_of: object) -> str:
    return source_note(indicator_sources(PACK_INDICATORS), as_of)


@dataclass(frozen=True)
class RapatChart:
    """A chart of the rapat: the figure, its finding (slide title) and a short ChartMeta for the image."""

    figure: go.Figure
    finding: str
    meta: ChartMeta


def dates_as_python(fig: go.Figure) -> go.Figure:
    """x values of date traces as datetime.date, in place.

    A trace built from a pandas column holds numpy datetime64 values; next to a trace of
    datetime.date (the survey points) formatting.looks_like_dates no longer recognises
    the axis as dates, and plotly writes English month names.
    """
    for trace in fig.data:
        values = getattr(trace, "x", None)
        if values is None or len(values) == 0:
            continue
        stamps = pd.to_datetime(pd.Series(list(values)), errors="coerce")
        if stamps.notna().all():
            trace.x = [stamp.date() for stamp in stamps]
    return fig


def _area_filters(filters: Filters, screen: Screen) -> Filters:
    return scope_filters(filters) if screen.kind == "kabupaten" else filters.kecamatan_only(screen.code)


def stunting_trend_chart(filters: Filters, screen: Screen, as_of: object) -> RapatChart | None:
    """The screen's monthly routine prevalence (survey points too on the kabupaten headline);
    None when nobody was ever measured there."""
    trend = query_stunting_trend(_area_filters(filters, screen))
    if not (trend["n_haz"] > 0).any():
        return None
    surveys = query_survey_stunting()
    if screen.kind == "kecamatan" or filters.scope_kec is not None:
        surveys = surveys.iloc[0:0]  # survey figures are for the whole kabupaten only
    period = format_month(filters.month)
    target = INDICATORS["stunting"].target(filters.month.year)  # the line plot_prevalence_trend draws
    meta = indicator_meta(
        "stunting",
        title=f"{indicator_title('stunting')} per bulan",
        subtitle=f"Data rutin sampai {period}, {screen.name}; pita: IK 95%"
        + ("; titik hitam: survei tingkat kabupaten" if len(surveys) else "")
        # the short label: the full source is in the presentation's caption and the glossary
        + (f"; garis putus-putus: {target.short_label()}" if target is not None else ""),
        as_of=as_of,
        extra_sources=[SURVEYS] if len(surveys) else [],
        n=f"n = {format_number(screen.children)} balita pada {period}" if screen.children else "",
    )
    return RapatChart(dates_as_python(plot_prevalence_trend(trend, surveys)), describe_trend(trend), meta)


def kader_trend_chart(filters: Filters, screen: Screen, as_of: object) -> RapatChart:
    trend = query_participation_trend(_area_filters(filters, screen))
    meta = indicator_meta(
        "kader_participation",
        title=f"{indicator_title('kader_participation')} per bulan",
        subtitle=f"Kader hadir pada hari buka ÷ kader terdaftar, 12 bulan sampai {format_month(filters.month)}, {screen.name}",
        as_of=as_of,
        n=f"n = {format_number(screen.kader_registered)} kader terdaftar" if screen.kader_registered else "",
    )
    return RapatChart(dates_as_python(plot_participation_trend(trend)), describe_participation_trend(trend), meta)


def screen_chart(filters: Filters, screen: Screen, as_of: object) -> RapatChart:
    """Stunting trend when the area has measurements, else kader participation."""
    return stunting_trend_chart(filters, screen, as_of) or kader_trend_chart(filters, screen, as_of)


def legality_chart(filters: Filters, as_of: object) -> RapatChart:
    scope = scope_filters(filters)
    pipeline = query_registration_pipeline(scope)
    total = int(pipeline["posyandu_total"].iloc[0]) if len(pipeline) else 0
    meta = indicator_meta(
        "legality",
        title="Tahapan legalitas posyandu",
        subtitle="Posyandu yang sudah melewati tahap itu dan semua tahap sebelumnya; pengurus lengkap: ketua, "
        f"sekretaris dan bendahara; teregistrasi: ada nomor Kemendagri; {describe_area(scope)}",
        as_of=as_of,
        n=f"n = {format_number(total)} posyandu",
    )
    # Short stage names read from the back of the room; what each means is in the subtitle.
    shown = pipeline.assign(stage_label=pipeline["stage_label"].map(short_label))
    return RapatChart(plot_registration_pipeline(shown), describe_pipeline(pipeline), meta)


def describe_priority(with_score: pd.DataFrame, top: int = 3) -> str:
    """ "Bila Talang (Tabang), Buluk Sen (Tabang) dan Muara Tiq (Tabang) paling diprioritaskan"."""
    names = [area_label(row, "desa") for _, row in with_score.head(top).iterrows()]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" dan {names[-1]}"
    return f"{listed} paling diprioritaskan untuk pendampingan"


def priority_chart(filters: Filters, weights: dict[str, float] | None, as_of: object) -> RapatChart | None:
    scope = scope_filters(filters)
    scored = query_scored_areas(scope, "desa", weights)
    ranked = rank_areas(scored)
    with_score = ranked.dropna(subset=["priority_score"])
    if with_score.empty:
        return None
    shown = min(PRIORITY_TOP, len(with_score))
    meta = indicator_meta(
        PRIORITY_INDICATORS,
        title=f"{format_number(shown)} desa/kelurahan dengan {indicator_title('priority_score').lower()} tertinggi",
        subtitle=f"Skor 0–100 (100 = paling perlu didampingi), {format_month(filters.month)}, {describe_area(scope)}",
        as_of=as_of,
        n=f"n = {format_number(len(with_score))} dari {format_number(len(ranked))} desa/kelurahan memiliki skor",
    )
    components = components_for(scored.attrs.get("basic_index_name"))
    figure = plot_priority_ranking(ranked, components, "desa", top=PRIORITY_TOP)
    return RapatChart(figure, describe_priority(with_score), meta)


# --------------------------------------------------------------------------
# The pack
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlideChart:
    """A chart image for a slide box and what its smallest text measures in the image."""

    png: bytes
    renderer: str  # "kaleido" or "matplotlib"
    message: str | None
    width_px: int
    smallest_font_px: float  # in image pixels: what Chromium was asked for, or what matplotlib drew


def slide_figure(fig: go.Figure, box_in: tuple[float, float]) -> go.Figure:
    """The chart laid out for a slide box (inches) at SLIDE_FONT_PT, SLIDE_PIXELS_PER_PT pixels a point."""
    width_pt, height_pt = (v * 72 for v in box_in)
    scale = SLIDE_PIXELS_PER_PT
    fitted = fit_chart(fig, Fit(height=height_pt * scale, font=SLIDE_FONT_PT * scale, width=width_pt * scale))
    for trace in fitted.data:  # the template's line and marker sizes are in unscaled pixels
        if trace.type == "scatter":
            if trace.line.width != 0:
                trace.line.width = (trace.line.width or 3) * scale
            trace.marker.size = (trace.marker.size or 8) * scale
    # The template's sizes are defaults: the fit's explicit sizes win.
    return apply_theme(fitted, "presentation")


def render_slide_chart(
    fig: go.Figure, meta: ChartMeta, box_in: tuple[float, float], force_matplotlib: bool = False
) -> SlideChart:
    """The chart laid out for the slide, drawn by Chromium or, without it, by matplotlib at the
    same size and fonts (the slide carries the title and source line of ``meta``)."""
    laid_out = slide_figure(label_value_axis(fig, meta.indicators), box_in)
    image = render_laid_out_figure(laid_out, smallest_font(laid_out), force_matplotlib=force_matplotlib)
    return SlideChart(image.png, image.renderer, image.message, image.width_px, image.smallest_font_px)


@dataclass(frozen=True)
class PackBuild:
    """A built pack, the files, and how long each part took (seconds)."""

    pack: RapatPack
    pptx: bytes
    pdf: bytes
    renderers: dict[str, int]  # charts per renderer ("kaleido", "matplotlib")
    chart_fonts: tuple[tuple[float | None, int, float], ...]  # per chart: smallest font px, image px, box inches
    messages: tuple[str, ...]  # fallback notes from export, in Bahasa, without repeats
    kaleido_ready: bool
    seconds_warm_up: float
    seconds_charts: float
    seconds_files: float
    seconds_total: float

    @property
    def charts(self) -> int:
        return sum(self.renderers.values())


def pack_file_name(month: dt.date, extension: str) -> str:
    return f"paket-rapat-{month:%Y-%m}.{extension}"


def build_rapat_pack(
    filters: Filters,
    *,
    weights: dict[str, float] | None = None,
    meeting_date: dt.date | None = None,
    progress: Progress | None = None,
    force_matplotlib: bool = False,
    max_kecamatan: int | None = None,
    previous_rapat: dt.date | None = None,
    followup: FollowupStore | None = None,
) -> PackBuild:
    """Query, draw every chart (kaleido kept warm, matplotlib when Chromium is missing or fails)
    and lay the pack out as .pptx and .pdf. ``max_kecamatan`` keeps the first n kecamatan (tests).

    The pack opens with the follow-up of ``previous_rapat`` (from the follow-up store, within
    the user's scope) and what changed since that rapat's data month; every comparison in the
    pack is against that month (without a previous rapat: the month before)."""
    started = time.perf_counter()
    report = progress or (lambda fraction, text: None)

    kaleido_ready = False
    if not force_matplotlib and find_browser() is not None:
        report(0.01, "Menyalakan Chromium untuk menggambar grafik…")
        kaleido_ready = warm_up_kaleido()
    seconds_warm_up = time.perf_counter() - started

    report(0.03, "Mengambil angka dari gudang data…")
    as_of = query_data_as_of()
    month = filters.month
    previous_month = data_month_for_rapat(previous_rapat, month) if previous_rapat else months_before(month, 1)
    screens = build_rapat_screens(filters, previous_month, weights)
    summary = None
    if previous_rapat is not None:
        store = followup or FollowupStore()
        actor = Actor("paket-rapat", filters.scope_kec)
        summary = load_followup_summary(store, actor, previous_rapat, meeting_date or store.today())
    names = query_kecamatan()
    opening = build_opening(
        screens, previous_rapat, previous_month, summary, dict(zip(names["kode_kec"], names["nama_kec"], strict=True))
    )
    kecamatan = screens[1:] if max_kecamatan is None else screens[1 : 1 + max_kecamatan]
    headline = screens[0]

    section_makers: list[tuple[str, Callable[[], RapatChart | None]]] = [
        ("Tren stunting", lambda: stunting_trend_chart(filters, headline, as_of)),
        ("Partisipasi kader", lambda: kader_trend_chart(filters, headline, as_of)),
        ("Legalitas dan registrasi posyandu", lambda: legality_chart(filters, as_of)),
        ("Wilayah prioritas", lambda: priority_chart(filters, weights, as_of)),
    ]
    total_charts = len(section_makers) + len(kecamatan)
    renderers: dict[str, int] = {}
    messages: list[str] = []
    chart_fonts: list[tuple[float | None, int, float]] = []
    charts_started = time.perf_counter()
    done = 0

    def render(fig: go.Figure, meta: ChartMeta, box_in: tuple[float, float]) -> bytes:
        nonlocal done
        result = render_slide_chart(fig, meta, box_in, force_matplotlib)
        renderers[result.renderer] = renderers.get(result.renderer, 0) + 1
        if result.message and result.message not in messages:
            messages.append(result.message)
        chart_fonts.append((result.smallest_font_px, result.width_px, box_in[0]))
        done += 1
        return result.png

    sections = []
    for label, make in section_makers:
        report(0.05 + 0.85 * done / total_charts, f"Grafik {done + 1} dari {total_charts}: {label}")
        chart = make()
        if chart is None:
            continue
        image = render(chart.figure, chart.meta, section_layout(chart.finding, chart.meta.subtitle).chart_box_in)
        sections.append(SlideSection(chart.finding, image, note=chart.meta.source_note, subtitle=chart.meta.subtitle))

    kecamatan_slides = []
    for screen in kecamatan:
        report(0.05 + 0.85 * done / total_charts, f"Grafik {done + 1} dari {total_charts}: {screen.name}")
        chart = screen_chart(filters, screen, as_of)
        image = render(chart.figure, chart.meta, kecamatan_layout(screen.title, chart.meta.subtitle).chart_box_in)
        kecamatan_slides.append(
            KecamatanSlide(screen.name, screen.title, image, changes=screen.bullets, subtitle=chart.meta.subtitle)
        )
    seconds_charts = time.perf_counter() - charts_started

    pack = RapatPack(
        title=f"Rapat Koordinasi Tim Pembina Posyandu {headline.name}",
        subtitle=f"Data {format_month(month)}, dibanding {format_month(previous_month)}",
        headline=headline.title,
        headline_points=headline.state_points,
        source_note=rapat_source_note(as_of),
        sections=tuple(sections),
        kecamatan_slides=tuple(kecamatan_slides),
        meeting_date=meeting_date,
        previous_period=format_month(previous_month),
        opening_slides=opening_slides(opening),
    )
    files_started = time.perf_counter()
    report(0.92, "Menyusun PowerPoint…")
    pptx = build_rapat_pptx(pack)
    report(0.96, "Menyusun PDF…")
    pdf = build_rapat_pdf(pack)
    seconds_files = time.perf_counter() - files_started
    report(1.0, "Selesai")
    return PackBuild(
        pack=pack,
        pptx=pptx,
        pdf=pdf,
        renderers=renderers,
        chart_fonts=tuple(chart_fonts),
        messages=tuple(messages),
        kaleido_ready=kaleido_ready,
        seconds_warm_up=seconds_warm_up,
        seconds_charts=seconds_charts,
        seconds_files=seconds_files,
        seconds_total=time.perf_counter() - started,
    )
