"""What an export says about the indicators it shows, read from the indicator catalogue.

One definition per number: a press image's title, value-axis label and source line, a
slide's chart text and the definitions under an Excel table take the indicator's name,
unit, source register, definition and sourced target from `dashboard.catalogue`, never from
a literal here or in the page. The catalogue is looked up at call time, so a corrected
name or register reaches every export at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.catalogue import indicators as catalogue
from dashboard.export.press import ChartMeta
from dashboard.formatting import source_note


def _indicator(code: str) -> catalogue.Indicator:
    return catalogue.INDICATORS[code]


def indicator_title(code: str) -> str:
    """The indicator's name as a title: "Prevalensi stunting"."""
    return _indicator(code).name


def indicator_axis_title(code: str) -> str:
    """A value axis: "Stunting (%)", "Kader aktif (kader)"; the unit once, in brackets."""
    item = _indicator(code)
    unit = item.unit.strip()
    return item.short_name if not unit or unit.lower() in item.short_name.lower() else f"{item.short_name} ({unit})"


def label_value_axis(fig: go.Figure, codes: Sequence[str]) -> go.Figure:
    """``fig`` (a copy when changed) with its value axis titled from the catalogue when it shows
    one indicator and the chart left the axis without a title."""
    if len(codes) != 1:
        return fig
    horizontal = any(t.type == "bar" and t.orientation == "h" for t in fig.data)
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    if axis.title is not None and axis.title.text:
        return fig
    out = go.Figure(fig)
    (out.update_xaxes if horizontal else out.update_yaxes)(title_text=indicator_axis_title(codes[0]))
    return out


def indicator_sources(codes: Sequence[str], extra: Iterable[str] = ()) -> str:
    """The source registers of the indicators, each once, in order: "e-PPGBM (…); Laporan …"."""
    registers = [_indicator(code).source_register for code in codes] + [text for text in extra if text]
    return "; ".join(dict.fromkeys(registers))


def indicator_meta(
    codes: str | Sequence[str],
    *,
    subtitle: str,
    as_of: object,
    title: str | None = None,
    n: str = "",
    extra_sources: Iterable[str] = (),
) -> ChartMeta:
    """A press image's words for a chart of catalogue indicators: the title (the finding, or
    the first indicator's name), the source line from their registers, and the indicators
    themselves, so the export labels an unlabelled value axis from the catalogue too."""
    codes = (codes,) if isinstance(codes, str) else tuple(codes)
    return ChartMeta(
        title=title or indicator_title(codes[0]),
        subtitle=subtitle,
        source_note=source_note(indicator_sources(codes, extra_sources), as_of),
        n=n,
        indicators=codes,
    )


def indicator_footnote(code: str, year: int | None = None) -> str:
    """ "Prevalensi stunting: <definition> Sumber: <register>. Target 2025: 18,8% (RPJMN …)." """
    item = _indicator(code)
    text = f"{item.name}: {item.definition.rstrip('.')}. Sumber: {item.source_register}."
    target = item.target(year) if year is not None else None
    return f"{text} {target.label()}." if target is not None else text


def _mentions(label: str, item: catalogue.Indicator) -> bool:
    words = re.sub(r"\s*\(.*", "", label).strip().lower()
    return bool(words) and words in {item.short_name.lower(), item.name.lower(), item.name.split(" (")[0].lower()}


def indicators_in_columns(columns: Iterable[object]) -> tuple[str, ...]:
    """Catalogue codes whose name or short name heads a column ("Stunting (%)", "D/S")."""
    labels = [str(c) for c in columns]
    return tuple(code for code, item in catalogue.INDICATORS.items() if any(_mentions(label, item) for label in labels))


def table_footnotes(frame: pd.DataFrame, year: int | None = None) -> list[str]:
    """The definitions of the catalogue indicators a table's columns show, one line each."""
    return [indicator_footnote(code, year) for code in indicators_in_columns(frame.columns)]


_BAHASA_CHILD_STATUS_WORDS = ("gizi", "pendek", "kurus", "berat badan kurang", "prevalensi")


def child_rate_words() -> tuple[str, ...]:
    """Words naming a rate counted in children (the catalogue's indicators whose minimum n is
    in children measured): the export guard blanks such a rate where it would reveal 1–4 children."""
    # The Bahasa status words people head such columns with ("Gizi kurang (%)", "Pendek (%)")
    # are guarded too: a column named outside the catalogue must not slip past the guard.
    words: dict[str, None] = dict.fromkeys(_BAHASA_CHILD_STATUS_WORDS)
    for item in catalogue.INDICATORS.values():
        if item.minimum_n is not None and item.minimum_n is catalogue.CHILD_RATE_MIN_N:
            words.update(dict.fromkeys([item.short_name.lower(), item.name.split(" (")[0].split()[0].lower()]))
    return tuple(words)
