"""Charts and tables as every page shows them: themed, Indonesian-formatted, with the
source line under them and press/spreadsheet downloads beside them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.export.images import figure_to_png, figure_to_svg
from dashboard.export.kaleido_worker import find_browser
from dashboard.export.names import export_file_stem
from dashboard.export.press import PRESS_PRESETS, ChartMeta
from dashboard.export.tables import suppress_child_cells, suppress_small_cells, table_to_csv, table_to_xlsx
from dashboard.formatting import NumberStyle, apply_indonesian_layout, format_number, number_styles
from dashboard.theme import apply_theme
from dashboard.ui.column_config import PLACEHOLDER, indonesian_table, merge_column_config
from dashboard.ui.styler_speed import install as install_faster_display_values

PRESENTATION_KEY = "presentation_mode"


def presentation_mode() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def _slug(text: str) -> str:
    return export_file_stem(text)


@st.cache_resource(show_spinner=False, max_entries=256)
def _themed_chart(name: str, mode: str, _builder: Callable, args: tuple, kwargs: dict) -> go.Figure:
    fig = _builder(*args, **kwargs)  # `name` identifies _builder in the cache key
    apply_theme(fig, mode)
    apply_indonesian_layout(fig)
    fig._dasbor_theme = mode  # show_chart draws it as it is
    return fig


def cached_chart(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """builder(*args, **kwargs), themed for this session's mode, built once per distinct input.

    Building and theming a plotly figure validates every property (tens of ms a chart on
    each rerun); the inputs are query results, so equal inputs give the same figure. The
    figure is shared between sessions: never modify it after this (show_chart does not).
    """
    mode = "presentation" if presentation_mode() else "standard"
    return _themed_chart(f"{builder.__module__}.{builder.__qualname__}", mode, builder, args, kwargs)


@st.cache_data(show_spinner=False, max_entries=256)
def _built_table(name: str, _builder: Callable, args: tuple, kwargs: dict) -> pd.DataFrame:
    return _builder(*args, **kwargs)  # `name` identifies _builder in the cache key


def cached_table(builder: Callable[..., pd.DataFrame], *args, **kwargs) -> pd.DataFrame:
    """builder(*args, **kwargs) once per distinct input (a copy each time, like db.query):
    for tables built row by row from query results (quality statuses, ratings), which cost
    more on every rerun than the query that fed them."""
    return _built_table(f"{builder.__module__}.{builder.__qualname__}", builder, args, kwargs)


def show_chart(fig: go.Figure, meta: ChartMeta, key: str) -> None:
    """Draw a figure with its title, period, n and source; offer PNG presets and SVG."""
    mode = "presentation" if presentation_mode() else "standard"
    themed = getattr(fig, "_dasbor_theme", None)
    if themed != mode:  # a cached_chart figure is themed already
        if themed is not None:  # shared by other sessions: theme a copy
            fig = go.Figure(fig)
        apply_theme(fig, mode)
        apply_indonesian_layout(fig)
    st.markdown(f"**{meta.title}**")
    st.caption(meta.subtitle)
    st.plotly_chart(
        fig,
        key=f"chart-{key}",
        config={"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]},
        # Streamlit's own chart theme would override the presentation template's large type.
        theme=None if presentation_mode() else "streamlit",
    )
    st.caption(" · ".join(part for part in (meta.n, meta.source_note) if part))
    if presentation_mode():
        return
    with st.popover("⬇ Unduh grafik", help="Gambar siap rilis pers, dengan judul, periode, sumber dan n"):
        if find_browser() is None:
            st.caption(
                "Chromium tidak ditemukan di komputer ini: gambar dibuat dengan matplotlib (tampilan lebih sederhana)."
            )
        name = _slug(meta.title)
        for preset in PRESS_PRESETS:
            st.download_button(
                f"PNG {preset.replace('x', '×')}",
                data=lambda p=preset: figure_to_png(go.Figure(fig), meta, p).bytes,
                file_name=f"{name}-{preset}.png",
                mime="image/png",
                key=f"png-{key}-{preset}",
                on_click="ignore",
            )
        st.download_button(
            "SVG (vektor)",
            data=lambda: figure_to_svg(go.Figure(fig), meta, "1920x1080").bytes,
            file_name=f"{name}.svg",
            mime="image/svg+xml",
            key=f"svg-{key}",
            on_click="ignore",
        )


def _column_order(frame: pd.DataFrame, columns: Sequence[str] | None, key: str) -> list[str] | None:
    """``columns`` unless the reader asked for every column (None: all, in the frame's order)."""
    hidden = [c for c in frame.columns if columns is not None and c not in columns]
    if not hidden:
        return None
    every = st.toggle(
        f"Tampilkan semua kolom ({format_number(len(hidden))} lagi)",
        key=f"all-columns-{key}",
        help="Kolom lain: " + ", ".join(map(str, hidden)) + ". Unduhan Excel dan CSV selalu memuat semua kolom.",
    )
    return None if every else [c for c in frame.columns if c in columns]


def show_table(
    frame: pd.DataFrame,
    title: str,
    source_note: str,
    key: str,
    *,
    count_columns: Sequence[str] = (),
    dependent_columns: Sequence[str] = (),
    column_config: dict | None = None,
    styles: Mapping[str, NumberStyle] | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Draw an aggregate table in Indonesian whatever the browser's language; offer Excel
    (numbers as numbers, with the same decimals and percent formats) and CSV, small cells
    suppressed. styles overrides a number column's inferred decimals or percent.

    columns: the columns shown by default, so a wide table fits a 1366-px laptop beside the
    sidebar; a toggle shows the others (named in its help), and the downloads carry them all."""
    install_faster_display_values()
    shown, config = indonesian_table(frame, key, styles)
    st.dataframe(
        shown,
        hide_index=True,
        column_config=merge_column_config(config, column_config),
        column_order=_column_order(frame, columns, key),
        key=f"table-{key}",
        placeholder=PLACEHOLDER,
    )
    if presentation_mode():
        return
    exported = (
        suppress_small_cells(frame, count_columns, dependent_columns=dependent_columns) if count_columns else frame
    )
    exported = suppress_child_cells(exported)  # guard for tables that did not name their counts
    name = export_file_stem(title, fallback="tabel")
    left, right = st.columns(2)
    left.download_button(
        "⬇ Excel (.xlsx)",
        data=lambda: table_to_xlsx(exported, title, source_note, styles=number_styles(frame, styles)),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{key}",
        on_click="ignore",
    )
    right.download_button(
        "⬇ CSV",
        data=lambda: table_to_csv(exported),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        on_click="ignore",
    )
