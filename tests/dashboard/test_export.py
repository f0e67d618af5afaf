from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard.export import images, kaleido_worker, press
from dashboard.export.images import MSG_KALEIDO_FAILED, MSG_NO_BROWSER, figure_to_png, figure_to_svg
from dashboard.export.press import PRESS_PRESETS, ChartMeta, decorate_for_press
from dashboard.export.tables import neutralise_formulas, suppress_small_cells, table_to_csv, table_to_xlsx
from dashboard.theme import indicator_color

SOURCE = "Sumber: e-PPGBM dan register posyandu, data per 31 Oktober 2025, diolah DPMD Kukar"
META = ChartMeta(
    title="Stunting di 12 dari 20 kecamatan sudah di bawah target nasional 14%",
    subtitle="Oktober 2025, Kabupaten Kutai Kartanegara",
    source_note=SOURCE,
    n="n = 12.345 balita",
)
HAS_BROWSER = kaleido_worker.find_browser() is not None
needs_browser = pytest.mark.skipif(not HAS_BROWSER, reason="no Chromium, Chrome or Edge binary on this machine")


@pytest.fixture
def bar_fig() -> go.Figure:
    names = ["Tabang", "Kenohan", "Tenggarong Seberang", "Samboja Barat", "Loa Kulu"]
    fig = go.Figure(
        go.Bar(
            x=[20.4, 8.6, 13.3, 10.7, 13.6],
            y=names,
            orientation="h",
            marker_color=indicator_color("stunting"),
            texttemplate="%{x:.1f}%",
            textposition="outside",
        )
    )
    fig.add_vline(x=14, line_dash="dash", annotation_text="Target nasional 14%")
    fig.update_xaxes(ticksuffix="%")
    return fig


@pytest.fixture
def line_fig() -> go.Figure:
    months = pd.date_range("2024-11-01", periods=12, freq="MS")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=np.linspace(17.6, 12.6, 12), name="Stunting", mode="lines+markers"))
    fig.add_trace(go.Scatter(x=months, y=np.linspace(6.1, 5.0, 12), name="Wasting", mode="lines"))
    fig.update_yaxes(ticksuffix="%")
    return fig


@pytest.fixture
def scatter_fig() -> go.Figure:
    rng = np.random.default_rng(7)
    return go.Figure(go.Scatter(x=rng.uniform(50, 100, 30), y=rng.uniform(5, 25, 30), mode="markers", name="Desa"))


def open_png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_press_png(data: bytes, preset: str) -> None:
    image = open_png(data)
    assert image.size == PRESS_PRESETS[preset]
    pixels = np.asarray(image.convert("L"), dtype=float)
    assert pixels.std() > 5, "image is blank"
    assert (pixels < 100).mean() > 0.002, "no dark text or marks"


# --- decorate_for_press ----------------------------------------------------


def test_chart_meta_requires_a_finding_and_a_source():
    with pytest.raises(ValueError):
        ChartMeta(title=" ", subtitle="", source_note=SOURCE)
    with pytest.raises(ValueError):
        ChartMeta(title="Stunting turun", subtitle="", source_note="")


def test_unknown_preset_is_refused(bar_fig):
    with pytest.raises(ValueError):
        decorate_for_press(bar_fig, META, "800x600")


@pytest.mark.parametrize("preset", list(PRESS_PRESETS))
def test_decorate_for_press_sizes_and_labels_a_copy(bar_fig, preset):
    before = bar_fig.to_json()
    fig = decorate_for_press(bar_fig, META, preset)
    assert (fig.layout.width, fig.layout.height) == PRESS_PRESETS[preset]
    assert fig.layout.separators == ",."
    texts = " ".join(a.text for a in fig.layout.annotations).replace("<br>", " ")
    for expected in (
        "Stunting di 12 dari 20",
        "Oktober 2025, Kabupaten Kutai Kartanegara",
        "Sumber: e-PPGBM",
        "n = 12.345 balita",
    ):
        assert expected in texts
    assert "Target nasional 14%" in texts  # the chart's own annotation is kept
    assert bar_fig.to_json() == before


def test_long_titles_wrap_more_on_narrow_presets(bar_fig):
    long_meta = ChartMeta(
        title="Stunting di 12 dari 20 kecamatan sudah di bawah target nasional 14 persen, tetapi Tabang masih di atas 20 persen",
        subtitle="Oktober 2025",
        source_note=SOURCE,
    )
    wide = press._press_layout(bar_fig, long_meta, 1920, 1080)
    narrow = press._press_layout(bar_fig, long_meta, 1080, 1350)
    assert len(narrow.title_lines) > len(wide.title_lines) >= 1
    assert narrow.top > wide.top  # more title lines push the plot down


def test_date_axes_get_indonesian_months(line_fig):
    fig = decorate_for_press(line_fig, META, "1920x1080")
    assert fig.layout.xaxis.ticktext[0] == "Nov<br>2024"
    assert "Okt" in fig.layout.xaxis.ticktext


# --- matplotlib fallback ---------------------------------------------------


@pytest.mark.parametrize("preset", list(PRESS_PRESETS))
def test_forced_matplotlib_png_has_preset_size(monkeypatch, bar_fig, preset):
    monkeypatch.setenv("DASBOR_FORCE_MATPLOTLIB", "1")
    result = figure_to_png(bar_fig, META, preset)
    assert result.renderer == "matplotlib"
    assert "matplotlib" in result.message
    assert result.mime_type == "image/png" and result.extension == "png"
    assert_press_png(result.bytes, preset)


@pytest.mark.parametrize("fixture", ["line_fig", "scatter_fig"])
def test_matplotlib_draws_lines_and_scatter(request, fixture):
    result = figure_to_png(request.getfixturevalue(fixture), META, "1080x1080", force_matplotlib=True)
    assert result.renderer == "matplotlib"
    assert_press_png(result.bytes, "1080x1080")


def test_matplotlib_draws_grouped_and_stacked_vertical_bars():
    for barmode in ("group", "stack"):
        fig = go.Figure(
            [
                go.Bar(x=["Tabang", "Kenohan"], y=[12, 30], name="KES"),
                go.Bar(x=["Tabang", "Kenohan"], y=[4, 9], name="PEND", text=[4, 9]),
            ]
        )
        fig.update_layout(barmode=barmode)
        result = figure_to_png(fig, META, "1080x1350", force_matplotlib=True)
        assert_press_png(result.bytes, "1080x1350")


def test_matplotlib_svg_keeps_source_note_and_indonesian_text(line_fig):
    result = figure_to_svg(line_fig, META, "1920x1080", force_matplotlib=True)
    svg = result.bytes.decode("utf-8")
    assert result.mime_type == "image/svg+xml" and svg.lstrip().startswith(("<?xml", "<svg"))
    assert SOURCE in svg
    assert "n = 12.345 balita" in svg
    assert "Okt" in svg and "Agu" in svg  # month ticks in Bahasa
    assert "Oct" not in svg and "Aug" not in svg


def test_no_browser_falls_back_and_says_so(monkeypatch, bar_fig):
    monkeypatch.delenv("DASBOR_FORCE_MATPLOTLIB", raising=False)
    monkeypatch.setattr(images, "find_browser", lambda: None)
    result = figure_to_png(bar_fig, META, "1080x1080")
    assert result.renderer == "matplotlib"
    assert result.message == MSG_NO_BROWSER == "Chromium tidak ditemukan; gambar dibuat dengan matplotlib."
    assert_press_png(result.bytes, "1080x1080")


def test_broken_browser_falls_back(monkeypatch, bar_fig):
    monkeypatch.delenv("DASBOR_FORCE_MATPLOTLIB", raising=False)
    kaleido_worker.shutdown_kaleido()
    monkeypatch.setattr(images, "find_browser", lambda: "/bin/false")
    try:
        result = figure_to_png(bar_fig, META, "1080x1080")
        assert result.renderer == "matplotlib"
        assert result.message == MSG_KALEIDO_FAILED
        assert_press_png(result.bytes, "1080x1080")
    finally:
        kaleido_worker.shutdown_kaleido()  # also forgets the failure, so later tests try Chromium again


def test_unsupported_traces_are_reported():
    pie = go.Figure(go.Pie(labels=["Teregistrasi", "Belum"], values=[612, 194]))
    result = figure_to_png(pie, META, "1080x1080", force_matplotlib=True)
    assert "pie" in result.message
    open_png(result.bytes)


# --- kaleido with the system browser ---------------------------------------


@needs_browser
def test_kaleido_png_has_preset_size_and_stays_warm(monkeypatch, bar_fig, line_fig):
    monkeypatch.delenv("DASBOR_FORCE_MATPLOTLIB", raising=False)
    first = figure_to_png(bar_fig, META, "1920x1080")
    assert first.renderer == "kaleido", first.message
    assert first.message is None
    assert_press_png(first.bytes, "1920x1080")
    worker = kaleido_worker._worker
    second = figure_to_png(line_fig, META, "1080x1350")
    assert second.renderer == "kaleido"
    assert kaleido_worker._worker is worker  # the same Chromium served both
    assert_press_png(second.bytes, "1080x1350")


@needs_browser
def test_kaleido_svg_contains_source_note(monkeypatch, line_fig):
    monkeypatch.delenv("DASBOR_FORCE_MATPLOTLIB", raising=False)
    result = figure_to_svg(line_fig, META, "1920x1080")
    assert result.renderer == "kaleido", result.message
    svg = result.bytes.decode("utf-8")
    assert svg.startswith("<svg")
    assert SOURCE in svg
    assert "Nov" in svg and "Okt" in svg


# --- tables ------------------------------------------------------------------


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Kecamatan": ["Tabang", '=HYPERLINK("http://x")', "+62 811", "Kenohan"],
            "Balita diukur": [1234, 3, 0, 57],
            "Stunting": [180, 2, 0, 5],
            "Prevalensi stunting (%)": [14.586, 66.667, np.nan, 8.772],
            "Tanggal data": pd.to_datetime(["2025-10-31"] * 4),
            "Teregistrasi": [True, False, True, True],
        }
    )


def test_neutralise_formulas_prefixes_dangerous_text_only():
    df = pd.DataFrame({"a": ["=1+1", "+62", "-5", "@SUM(A1)", "\tx", "\rx", "aman", "–"], "n": range(8)})
    out = neutralise_formulas(df)
    assert out["a"].tolist() == ["'=1+1", "'+62", "'-5", "'@SUM(A1)", "'\tx", "'\rx", "aman", "–"]
    assert out["n"].tolist() == list(range(8))
    assert df["a"][0] == "=1+1"  # input untouched
    assert neutralise_formulas(pd.DataFrame({"=cmd": [1]})).columns.tolist() == ["'=cmd"]


def test_suppress_small_cells_hides_one_to_four_and_dependent_rates(table):
    out = suppress_small_cells(table, ["Balita diukur", "Stunting"], dependent_columns=["Prevalensi stunting (%)"])
    assert out["Balita diukur"].tolist() == [1234, "<5", 0, 57]
    assert out["Stunting"].tolist() == [180, "<5", 0, 5]
    rates = out["Prevalensi stunting (%)"]
    assert rates[0] == pytest.approx(14.586) and pd.isna(rates[1]) and rates[3] == pytest.approx(8.772)
    assert table["Stunting"][1] == 2  # input untouched


def test_suppress_small_cells_with_a_mapping_and_threshold():
    df = pd.DataFrame({"d": [8, 40], "s": [50, 6], "ds_pct": [16.0, 666.7], "other_pct": [1.0, 2.0]})
    out = suppress_small_cells(df, ["d", "s"], threshold=10, dependent_columns={"ds_pct": ["d"]})
    assert out["d"].tolist() == ["<10", 40]
    assert out["s"].tolist() == [50, "<10"]
    assert pd.isna(out["ds_pct"][0]) and out["ds_pct"][1] == 666.7
    assert out["other_pct"].tolist() == [1.0, 2.0]
    with pytest.raises(KeyError):
        suppress_small_cells(df, ["nope"])


def test_csv_is_excel_indonesian_and_round_trips():
    df = pd.DataFrame({"Kecamatan": ["Tabang", "Loa Kulu"], "Balita": [1234, 57], "Prevalensi (%)": [14.5, 8.75]})
    data = table_to_csv(df)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Kecamatan;Balita;Prevalensi (%)"
    assert "Tabang;1234;14,5" in text
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_csv_neutralises_formulas_and_writes_suppressed_cells(table):
    safe = suppress_small_cells(table, ["Balita diukur", "Stunting"], dependent_columns=["Prevalensi stunting (%)"])
    text = table_to_csv(safe).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+62 811" in text
    assert ";<5;<5;" in text
    assert "14,586" in text and "Ya" in text


def test_xlsx_has_title_source_formatted_header_and_safe_text(table):
    safe = suppress_small_cells(table, ["Balita diukur", "Stunting"], dependent_columns=["Prevalensi stunting (%)"])
    data = table_to_xlsx(safe, "Stunting per kecamatan, Oktober 2025", SOURCE)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Stunting per kecamatan, Oktober 2025"
    assert sheet["A1"].font.b
    assert sheet["A2"].value == SOURCE
    header = [c.value for c in sheet[4]]
    assert header == list(table.columns)
    assert all(c.font.b for c in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet["A6"].value == '\'=HYPERLINK("http://x")' and sheet["A6"].data_type == "s"
    assert sheet["B5"].value == 1234 and sheet["B5"].number_format == "#,##0"
    assert sheet["B6"].value == "<5"
    # a percent is a number Excel knows as a percent: 14,586% is stored as 0.14586 with "0.0%"
    assert sheet["D5"].number_format == "0.0%" and sheet["D5"].value == pytest.approx(0.14586)
    assert sheet["D5"].data_type == "n"
    assert sheet["D6"].value is None  # rate of a suppressed row is blank
    assert "mmmm" in sheet["E5"].number_format and sheet["E5"].value.year == 2025
    assert sheet["F5"].value == "Ya" and sheet["F6"].value == "Tidak"
    assert sheet.column_dimensions["D"].width >= len("Prevalensi stunting (%)")
    assert sheet.auto_filter.ref is not None


def test_xlsx_keeps_a_meaningful_index():
    df = pd.DataFrame({"Balita": [10, 20]}, index=pd.Index(["Tabang", "Kenohan"], name="Kecamatan"))
    sheet = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(df, "Balita", SOURCE))).active
    assert [c.value for c in sheet[4]] == ["Kecamatan", "Balita"]
    assert sheet["A5"].value == "Tabang"


def test_child_guard_hides_small_counts_and_rates_that_reveal_them():
    from dashboard.export.tables import suppress_child_cells

    table = pd.DataFrame(
        {
            "Desa": ["A", "B", "C", "D"],
            "Balita diukur": [3, 12, 40, 0],
            "Stunting (%)": [33.3, 25.0, 25.0, None],
            "D/S (%)": [80.0, 81.0, 82.0, 83.0],
        }
    )
    guarded = suppress_child_cells(table)
    assert list(guarded["Balita diukur"]) == ["<5", 12, 40, 0]
    # A: 3 children; B: 25 % of 12 = 3 stunted children; C: 10 stunted children is fine
    assert guarded["Stunting (%)"].isna().tolist() == [True, True, False, True]
    assert guarded["D/S (%)"].tolist() == [80.0, 81.0, 82.0, 83.0]  # not a child rate


def test_child_guard_leaves_tables_without_child_counts():
    from dashboard.export.tables import suppress_child_cells

    table = pd.DataFrame({"Posyandu": ["X"], "Kader aktif": [3]})
    assert suppress_child_cells(table).equals(table)


@needs_browser
def test_heatmap_colour_bar_and_its_labels_stay_inside_a_portrait_image(monkeypatch):
    from dashboard.charts.kader import plot_participation_heatmap

    monkeypatch.delenv("DASBOR_FORCE_MATPLOTLIB", raising=False)
    months = pd.date_range("2025-01-01", periods=6, freq="MS").date
    rows = [
        {
            "area_name": f"Kecamatan {i}",
            "month": month,
            "participation": 0.45 + 0.03 * i,
            "kader_present": 9,
            "kader_registered": 10,
            "posyandu_reporting": 4,
        }
        for i in range(12)
        for month in months
    ]
    result = figure_to_png(plot_participation_heatmap(pd.DataFrame(rows)), META, "1080x1350")
    assert result.renderer == "kaleido", result.message
    grey = np.asarray(Image.open(io.BytesIO(result.bytes)).convert("L"))
    # Labels cut at the edge leave ink in the outer columns; the press padding must be blank.
    assert (grey[:, -20:] < 200).sum() == 0


def test_matplotlib_draws_each_subplot_on_its_own_axes():
    """A make_subplots figure (the six nutrition indicators) gets one axes per subplot at its
    domain, with the subplot titles; before, every trace landed on one axes."""
    from matplotlib.figure import Figure
    from plotly.subplots import make_subplots

    from dashboard.export.matplotlib_fallback import _draw_chart

    fig = make_subplots(rows=2, cols=3, subplot_titles=[f"Indikator {i}" for i in range(6)])
    for i in range(6):
        fig.add_scatter(x=[1, 2, 3], y=[i, i + 1, i + 2], row=i // 3 + 1, col=i % 3 + 1, showlegend=False)
    figure = Figure(figsize=(19.2, 10.8), dpi=100)
    frame, _handles, unsupported = _draw_chart(figure, fig, 18)
    assert unsupported == [] and len(frame.child_axes) == 6
    assert all(child.has_data() for child in frame.child_axes)
    titles = [t.get_text() for t in frame.texts]
    assert titles == [f"Indikator {i}" for i in range(6)]


def test_matplotlib_wraps_a_long_axis_title_within_the_plot():
    fig = go.Figure(go.Bar(y=["Tabang", "Kenohan"], x=[12.0, 30.2], orientation="h"))
    fig.update_xaxes(title_text="Prevalensi stunting (garis putus: Target 2025: 18,8% (RPJMN 2025–2029))")
    from dashboard.export.matplotlib_fallback import render_with_matplotlib

    svg = render_with_matplotlib(fig, META, "1080x1350", "svg")[0].decode()
    assert "Prevalensi stunting (garis putus: Target 2025: 18,8% (RPJMN 2025–2029))" not in svg
    assert "(RPJMN" in svg
