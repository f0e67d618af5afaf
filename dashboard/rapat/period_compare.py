"""Two chosen periods side by side: each key indicator in both months and the change.

``compare_periods`` is pure: two area rows (``query_area_indicators`` columns, or their
sum from ``dashboard.rapat.changes.aggregate_areas``) in, one row per indicator out;
``load_period_comparison`` reads the two months of the area the filters show. The change is
the one of ``dashboard.rapat.changes`` (difference of the values as shown, rounded to one
decimal; stunting marked "belum berbeda nyata" when the design-based 95% intervals of the two
months overlap, by ``changes.stunting_significance``, the very test of the rapat screens), and
names and minimum n come from the indicator catalogue, so the comparison says the same as
the rapat screens and the Scorecard. The intervals are those of the Gizi Balita page
(``queries.nutrition.query_stunting_intervals``: posyandu clusters, kecamatan strata, logit
interval on the design's degrees of freedom), never Wilson intervals on the counts, which
treat children as a simple random sample and call clustered noise a real change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from dashboard.catalogue.indicators import INDICATORS, Indicator
from dashboard.db import cached_on_version
from dashboard.filters import Filters, months_before
from dashboard.formatting import format_month, format_number, is_missing
from dashboard.queries.nutrition import WHOLE_AREA, query_stunting_intervals
from dashboard.queries.priority import query_area_indicators
from dashboard.rapat.changes import Change, aggregate_areas, has_data, months_short_of, stunting_significance


@dataclass(frozen=True)
class ComparedIndicator:
    """One catalogue indicator as a column pair of an area row."""

    code: str  # catalogue code
    value: str  # column in percent (0-100)
    n: str  # column with the denominator
    count: str  # column with the numerator
    n_unit: str  # what n counts, in Bahasa

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.code]


COMPARED: tuple[ComparedIndicator, ...] = (
    ComparedIndicator("stunting", "stunting_pct", "children", "stunted", "balita diukur"),
    ComparedIndicator("kader_participation", "kader_pct", "kader_registered", "kader_present", "kader terdaftar"),
    ComparedIndicator("ds_ratio", "ds_pct", "s_total", "d_total", "balita sasaran (S)"),
    ComparedIndicator("registered", "registered_pct", "posyandu", "registered", "posyandu"),
    # the Scorecard's Legalitas column: a valid SK pembentukan (full legality equals registration in the master)
    ComparedIndicator("legal_sk", "valid_sk_pct", "posyandu", "valid_sk", "posyandu"),
)

COLUMNS = (
    "code",
    "name",
    "unit",
    "higher_is_better",
    "current",
    "previous",
    "n_current",
    "n_previous",
    "count_current",
    "count_previous",
    "n_unit",
    "delta",
    "direction",
    "improved",
    "significant",
    "min_n_missed",
    "note",
)


def with_shares(row: pd.Series) -> pd.Series:
    """The row with registered_pct, legality_pct and valid_sk_pct (percent of posyandu) when it lacks them."""
    row = row.copy()
    posyandu = float(row.get("posyandu", 0) or 0)
    for share, count in (
        ("registered_pct", "registered"),
        ("legality_pct", "full_legality"),
        ("valid_sk_pct", "valid_sk"),
    ):
        if share not in row.index or is_missing(row[share]):
            row[share] = 100 * float(row.get(count, 0) or 0) / posyandu if posyandu else float("nan")
    return row


def _number(row: pd.Series | None, column: str) -> float | None:
    if row is None or column not in row.index or is_missing(row[column]):
        return None
    return float(row[column])


def _small_n_note(spec: ComparedIndicator, n: dict[str, float | None], labels: dict[str, str]) -> str:
    """ "tidak ada data Agustus 2025" / "n kecil Oktober 2025: 12 balita diukur (minimal 30)"."""
    notes = []
    minimum = spec.indicator.min_n("banding")  # the catalogue's minimum for comparing periods
    for which, label in labels.items():
        count = n[which]
        if not count:
            notes.append(f"tidak ada data {label}")
        elif minimum and count < minimum:
            notes.append(
                f"n kecil {label}: {format_number(count)} {spec.n_unit} (minimal {format_number(minimum)}; "
                "selisih belum dapat ditafsirkan)"
            )
    return "; ".join(notes)


def compare_periods(
    current: pd.Series | None,
    previous: pd.Series | None,
    month: dt.date,
    previous_month: dt.date,
) -> pd.DataFrame:
    """One row per indicator of ``COMPARED``: value in ``month`` and in ``previous_month``,
    their n, the change as shown (``delta`` = current − previous, in points), its
    direction ("naik"/"turun"/"tetap"), whether that is better (``improved``), the stunting
    significance test of the rapat (``significant``; None with ``min_n_missed`` set when a
    month has fewer children than the catalogue's minimum), and a note on missing data or
    an n under the catalogue's minimum.

    ``current``/``previous``: area rows for the two months (None = no data at all), with the
    stunting prevalence's design-based 95% interval in ``changes.CI_LOW``/``CI_HIGH``
    (percent; without them stunting is not tested). Values are percent (0-100); a value
    without n is None, never 0.
    """
    labels = {"current": format_month(month), "previous": format_month(previous_month)}
    rows = []
    for spec in COMPARED:
        ind = spec.indicator
        n = {"current": _number(current, spec.n), "previous": _number(previous, spec.n)}
        counts = {"current": _number(current, spec.count), "previous": _number(previous, spec.count)}
        values = {
            which: (_number(row, spec.value) if n[which] else None)
            for which, row in (("current", current), ("previous", previous))
        }
        significant, min_n_missed = None, None
        if spec.code == "stunting" and values["current"] is not None and values["previous"] is not None:
            significant, min_n_missed = stunting_significance(current, previous)
        change = Change(
            ind.short_name,
            values["current"],
            values["previous"],
            ind.higher_is_better,
            labels["current"],
            labels["previous"],
            significant,
            min_n_missed,
            short_months=months_short_of(min_n_missed, (n["current"], n["previous"]), tuple(labels.values())),
        )
        rows.append(
            {
                "code": spec.code,
                "name": ind.name,
                "unit": ind.unit,
                "higher_is_better": ind.higher_is_better,
                "current": values["current"],
                "previous": values["previous"],
                "n_current": n["current"],
                "n_previous": n["previous"],
                "count_current": counts["current"],
                "count_previous": counts["previous"],
                "n_unit": spec.n_unit,
                "delta": change.delta,
                "direction": change.direction,
                "improved": change.improved,
                "significant": significant,
                "min_n_missed": min_n_missed,
                "note": _small_n_note(spec, n, labels),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame.attrs.update(month=month, previous_month=previous_month)
    return frame


def change_of(row: pd.Series, month: dt.date, previous_month: dt.date) -> Change:
    """A ``compare_periods`` row as the rapat's ``Change`` (its sentence and metric delta)."""
    min_n_missed = None if is_missing(row.get("min_n_missed")) else int(row["min_n_missed"])
    labels = (format_month(month), format_month(previous_month))
    return Change(
        INDICATORS[row["code"]].short_name,
        None if is_missing(row["current"]) else float(row["current"]),
        None if is_missing(row["previous"]) else float(row["previous"]),
        bool(row["higher_is_better"]),
        *labels,
        None if is_missing(row["significant"]) else bool(row["significant"]),
        min_n_missed,
        code=str(row["code"]),
        short_months=months_short_of(min_n_missed, (row.get("n_current"), row.get("n_previous")), labels),
    )


def load_period_values(filters: Filters, month: dt.date | None = None) -> pd.Series | None:
    """Counts and percentages of the area the filters show in ``month`` (default: the filter's):
    the chosen kecamatan, else every kecamatan in the user's scope. Sums of the kecamatan rows
    of ``query_area_indicators`` (the marts every page reads), shares recomputed on the sums, as
    the rapat screens and the Scorecard's kabupaten row do, with the design-based stunting
    interval of the whole area (``whole_area_interval``). None when the area has no
    measurement and no monthly report that month."""
    month = month or filters.month
    kecamatan = query_area_indicators(filters, "kecamatan", month)
    visible = filters.visible_kec
    if visible is not None:
        kecamatan = kecamatan[kecamatan["code"].isin(visible)]
    row = aggregate_areas(kecamatan, whole_area_interval(replace(filters, month=month)))
    row["valid_sk"] = float(pd.to_numeric(kecamatan["valid_sk"], errors="coerce").fillna(0).sum())
    return with_shares(row) if has_data(row) else None


def whole_area_interval(filters: Filters) -> tuple[float, float] | None:
    """The design-based 95% interval (percent) of stunting in the filters' month for the
    whole visible area, as the rapat screens read it; None without one (no child measured,
    or no degrees of freedom)."""
    intervals = query_stunting_intervals(filters).set_index("code")
    if WHOLE_AREA not in intervals.index or is_missing(intervals.at[WHOLE_AREA, "ci_low"]):
        return None
    whole = intervals.loc[WHOLE_AREA]
    return float(whole["ci_low"]) * 100, float(whole["ci_high"]) * 100


@cached_on_version
def load_period_comparison(
    filters: Filters, month: dt.date | None = None, previous: dt.date | None = None
) -> pd.DataFrame:
    """``compare_periods`` of the filters' area: ``month`` (default: the filter's) against
    ``previous`` (default: the month before ``month``)."""
    month = month or filters.month
    previous = previous or months_before(month, 1)
    return compare_periods(load_period_values(filters, month), load_period_values(filters, previous), month, previous)
