"""What changed since the previous rapat, and the screens that say it (pure: frames in, screens out).

Changes are the difference of the values as shown, rounded to one decimal, as on the
scorecard: 14,94% after 16,05% is shown as 14,9% after 16,1%, so it reads "turun 1,2 poin",
not the 1,1 of the unrounded difference. A stunting change whose two design-based 95%
intervals (posyandu clusters, from mart_nutrition_prevalence, the engine of the Gizi Balita
page) overlap is marked "belum berbeda nyata", the test the Gizi Balita page uses for its
trend; a change resting on fewer children than the catalogue's minimum n is not judged.
Names, directions and minimum n come from the indicator catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from dashboard.catalogue.indicators import INDICATORS
from dashboard.filters import months_before
from dashboard.formatting import format_month, format_number, format_percent, is_missing, round_half_up
from dashboard.queries.areas import KABUPATEN

ROUTINE_NOTE = "data rutin e-PPGBM, bukan survei"
NOT_SIGNIFICANT = "belum berbeda nyata"

Direction = Literal["naik", "turun", "tetap"]


# --------------------------------------------------------------------------
# What changed
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    key: str  # column of query_area_indicators, in percent
    code: str  # catalogue code: name, direction and minimum n

    @property
    def label(self) -> str:
        """As the sentence starts: the catalogue's short name ("Stunting", "Kader hadir", "D/S")."""
        return INDICATORS[self.code].short_name

    @property
    def higher_is_better(self) -> bool:
        return INDICATORS[self.code].higher_is_better


CHANGE_INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("stunting_pct", "stunting"),
    IndicatorSpec("kader_pct", "kader_participation"),
    IndicatorSpec("ds_pct", "ds_ratio"),
)
_STATE_CODES = ("stunting", "kader_participation", "ds_ratio")
STUNTING_MIN_N = INDICATORS["stunting"].min_n("banding", "kecamatan")  # comparing two months
# Columns of the area rows holding the stunting prevalence's design-based 95% interval, in percent.
CI_LOW, CI_HIGH = "stunting_ci_low", "stunting_ci_high"


def _value(x: object) -> float | None:
    return None if is_missing(x) else float(x)


def shown_delta(current: float | None, previous: float | None, decimals: int = 1) -> float | None:
    """The change between the two values as they are displayed (rounded half up)."""
    if current is None or previous is None:
        return None
    now, before = round_half_up([current, previous], decimals)
    return round(float(now - before), decimals)


def ranges_overlap(now: tuple[float, float], before: tuple[float, float]) -> bool:
    """True when two 95% intervals (low, high) overlap: no clear change."""
    return not (now[0] > before[1] or now[1] < before[0])


def _interval(row: pd.Series | None) -> tuple[float, float] | None:
    if row is None:
        return None
    low, high = _value(row.get(CI_LOW)), _value(row.get(CI_HIGH))
    return None if low is None or high is None else (low, high)


def months_short_of(minimum: int | None, children: tuple[object, object], labels: tuple[str, str]) -> tuple[str, ...]:
    """Labels (current, previous order) of the months measuring fewer children than `minimum`."""
    if not minimum:
        return ()
    return tuple(label for n, label in zip(children, labels, strict=True) if (_value(n) or 0) < minimum)


def stunting_significance(current: pd.Series, previous: pd.Series | None) -> tuple[bool | None, int | None]:
    """(significant, minimum n not reached): whether the design-based intervals of the two
    months are apart; None when either month has fewer children than the catalogue's
    minimum n (that minimum is returned) or no interval (one posyandu measured)."""
    if previous is None:
        return None, None
    children = [_value(row.get("children")) or 0 for row in (current, previous)]
    if min(children) < STUNTING_MIN_N:
        return None, STUNTING_MIN_N
    now, before = _interval(current), _interval(previous)
    if now is None or before is None:
        return None, None
    return not ranges_overlap(now, before), None


@dataclass(frozen=True)
class Change:
    """One indicator now and a month earlier, in percent, and how to say it."""

    label: str
    current: float | None
    previous: float | None
    higher_is_better: bool
    month_label: str  # "Oktober 2025"
    previous_label: str  # "September 2025"
    significant: bool | None = None  # None: no test applies (not a sample, or a value missing)
    min_n_missed: int | None = None  # the catalogue's minimum n when a month had fewer
    code: str = ""  # catalogue code ("stunting", "kader_participation", "ds_ratio")
    short_months: tuple[str, ...] = ()  # labels of the months with fewer than min_n_missed

    @property
    def delta(self) -> float | None:
        return shown_delta(self.current, self.previous)

    @property
    def direction(self) -> Direction | None:
        delta = self.delta
        if delta is None:
            return None
        return "tetap" if delta == 0 else "naik" if delta > 0 else "turun"

    @property
    def improved(self) -> bool | None:
        if self.direction in (None, "tetap"):
            return None
        return (self.direction == "naik") == self.higher_is_better

    def qualifier(self) -> str:
        if self.direction in (None, "tetap"):
            return ""
        if self.min_n_missed:
            # name the short month: a well-measured month beside "n < 30" reads as a contradiction
            minimum = format_number(self.min_n_missed)
            if len(self.short_months) == 1:
                return f" (balita diukur {self.short_months[0]} kurang dari {minimum}, belum dapat dinilai)"
            if len(self.short_months) == 2:
                return f" (balita diukur kurang dari {minimum} di kedua bulan, belum dapat dinilai)"
            return f" (n < {minimum} balita, belum dapat dinilai)"
        return f" ({NOT_SIGNIFICANT})" if self.significant is False else ""

    def bullet(self) -> str:
        """ "Stunting turun 1,2 poin menjadi 14,9%" (the pack's bullets)."""
        if self.current is None:
            return f"{self.label}: tidak ada data {self.month_label}"
        value = format_percent(self.current)
        if self.previous is None:
            return f"{self.label} {value} (tidak ada data {self.previous_label} untuk dibandingkan)"
        if self.direction == "tetap":
            return f"{self.label} tetap {value}"
        return (
            f"{self.label} {self.direction} {format_number(abs(self.delta), 1)} poin menjadi {value}{self.qualifier()}"
        )

    def phrase(self) -> str | None:
        """ "stunting turun 1,2 poin" inside the one-sentence summary; None without both values."""
        if self.direction is None:
            return None
        name = _name_in_sentence(self.label)
        if self.direction == "tetap":
            return f"{name} tetap"
        return f"{name} {self.direction} {format_number(abs(self.delta), 1)} poin{self.qualifier()}"

    def metric_delta(self) -> str | None:
        """Delta text for st.metric: "-1,2 poin" (ASCII minus so Streamlit draws a down arrow)."""
        delta = self.delta
        if delta is None:
            return None
        sign = "+" if delta > 0 else "-" if delta < 0 else ""
        return f"{sign}{format_number(abs(delta), 1)} poin"


def summarise_changes(changes: tuple[Change, ...], previous_label: str) -> str:
    """One sentence: "Dibanding September 2025: stunting turun 1,2 poin, D/S tetap."."""
    phrases = [p for p in (c.phrase() for c in changes) if p]
    if not phrases:
        return f"Belum ada data {previous_label} untuk dibandingkan."
    missing = [c.label for c in changes if c.phrase() is None]
    text = f"Dibanding {previous_label}: " + ", ".join(phrases)
    if missing:
        text += f"; {' dan '.join(missing)} tidak dapat dibandingkan"
    return text + "."


# --------------------------------------------------------------------------
# Screens
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """One screen of the presentation (and, from screen 2, one kecamatan slide of the pack)."""

    number: int  # 1-based
    kind: Literal["kabupaten", "kecamatan"]
    code: str  # "64.02" for the headline of the whole kabupaten, else the kode_kec
    name: str  # "Kabupaten Kutai Kartanegara", "Kecamatan Tenggarong"
    title: str  # the one message
    changes: tuple[Change, ...]
    summary: str  # one sentence on what changed
    children: int
    stunted: int
    kader_present: int
    kader_registered: int
    s_total: int
    d_total: int
    posyandu: int
    registered: int
    full_legality: int
    points: tuple[str, ...] = field(default=())  # headline screen only: what moved in the whole area
    state_points: tuple[str, ...] = field(default=())  # headline screen only: where it stands, with counts
    priority_rank: int | None = None  # kecamatan: rank of the priority score (1 = most in need)
    priority_of: int = 0  # kecamatan with a priority score

    @property
    def bullets(self) -> tuple[str, ...]:
        """The three "what changed" bullets: stunting, kader participation, D/S."""
        return tuple(c.bullet() for c in self.changes)

    def change(self, label_or_code: str) -> Change:
        """By short name ("Kader hadir"), catalogue code or catalogue name ("Partisipasi kader")."""
        return next(
            c
            for c in self.changes
            if label_or_code in (c.label, c.code) or (c.code and INDICATORS[c.code].name == label_or_code)
        )

    @property
    def legality_pct(self) -> float | None:
        return self.full_legality / self.posyandu * 100 if self.posyandu else None

    @property
    def registered_pct(self) -> float | None:
        return self.registered / self.posyandu * 100 if self.posyandu else None


_COUNT_COLUMNS = (
    "children",
    "stunted",
    "kader_present",
    "kader_registered",
    "s_total",
    "d_total",
    "posyandu",
    "registered",
    "full_legality",
)


def has_data(row: pd.Series) -> bool:
    """A kecamatan has something to show in the month: children measured or a monthly report."""
    return any(float(row.get(c, 0) or 0) > 0 for c in ("children", "s_total", "kader_registered"))


def aggregate_areas(frame: pd.DataFrame, interval: tuple[float, float] | None = None) -> pd.Series:
    """Sums of the area rows' counts and the percentages recomputed on the sums (NaN without n);
    ``interval``: the stunting prevalence's design-based 95% interval of the whole area (percent)."""
    sums = {
        c: float(pd.to_numeric(frame[c], errors="coerce").fillna(0).sum()) if c in frame else 0.0
        for c in _COUNT_COLUMNS
    }
    row = pd.Series(sums)
    row["stunting_pct"] = 100 * row["stunted"] / row["children"] if row["children"] else float("nan")
    row["kader_pct"] = 100 * row["kader_present"] / row["kader_registered"] if row["kader_registered"] else float("nan")
    row["ds_pct"] = 100 * row["d_total"] / row["s_total"] if row["s_total"] else float("nan")
    row[CI_LOW], row[CI_HIGH] = interval if interval is not None else (float("nan"), float("nan"))
    return row


def compute_changes(
    current: pd.Series, previous: pd.Series | None, month: dt.date, previous_month: dt.date | None = None
) -> tuple[Change, ...]:
    """Stunting, kader participation and D/S now and in ``previous_month`` (default: a month earlier)."""
    month_label = format_month(month)
    previous_label = format_month(previous_month or months_before(month, 1))
    changes = []
    for spec in CHANGE_INDICATORS:
        now = _value(current.get(spec.key))
        before = None if previous is None else _value(previous.get(spec.key))
        significant, min_n_missed = None, None
        if spec.code == "stunting" and now is not None and before is not None:
            significant, min_n_missed = stunting_significance(current, previous)
        changes.append(
            Change(
                spec.label,
                now,
                before,
                spec.higher_is_better,
                month_label,
                previous_label,
                significant,
                min_n_missed,
                code=spec.code,
                short_months=months_short_of(
                    min_n_missed,
                    (current.get("children"), None if previous is None else previous.get("children")),
                    (month_label, previous_label),
                ),
            )
        )
    return tuple(changes)


def _counts(row: pd.Series) -> dict[str, int]:
    return {c: int(float(row.get(c, 0) or 0)) for c in _COUNT_COLUMNS}


def _name_in_sentence(label: str) -> str:
    return label if label.isupper() or "/" in label else label.lower()


def _area_title(name: str, changes: tuple[Change, ...], previous_label: str, period: str | None = None) -> str:
    """The one message of a screen: the stunting figure and its move, else kader participation.

    ``period`` (headline screen) adds the source and month after the figure.
    """
    stunting = changes[0]
    lead = stunting if stunting.current is not None else next((c for c in changes if c.current is not None), None)
    if lead is None:
        return f"{name}: belum ada data pada periode ini"
    text = f"{name}: {_name_in_sentence(lead.label)} {format_percent(lead.current)}"
    if period and lead is stunting:
        text += f" (e-PPGBM, {period})"
    elif period:
        text += f" ({period})"
    if lead.direction == "tetap":
        return f"{text}, sama dengan {previous_label}"
    if lead.direction is not None:
        return (
            f"{text}, {lead.direction} {format_number(abs(lead.delta), 1)} poin dari {previous_label}{lead.qualifier()}"
        )
    return text


def _headline_points(changes: tuple[Change, ...], kecamatan: list[Screen]) -> tuple[str, ...]:
    """What moved in the whole area: the opening's "Apa yang berubah" (the counts behind each
    share are on the headline slide, ``_state_points``)."""
    points = [changes[0].bullet()]
    compared = [s.changes[0] for s in kecamatan if s.changes[0].direction is not None]
    if compared:
        down = sum(c.direction == "turun" for c in compared)
        up = sum(c.direction == "naik" for c in compared)
        clear = sum(bool(c.significant) and c.direction != "tetap" for c in compared)
        points.append(
            f"Stunting turun di {format_number(down)} dan naik di {format_number(up)} dari "
            f"{format_number(len(compared))} kecamatan yang dapat dibandingkan; perubahan yang bermakna secara "
            f"statistik (IK 95% berbasis desain tidak tumpang tindih): {format_number(clear)} kecamatan"
        )
    points.extend(c.bullet() for c in changes[1:])
    return tuple(points)


def _state_points(area: pd.Series, changes: tuple[Change, ...], month: dt.date) -> tuple[str, ...]:
    """Where the whole area stands in the month, with the counts behind each share and the
    sourced target (the headline slide). The moves are the opening's "Apa yang berubah" and
    are not said again here."""
    stunting, kader, ds = (next(c for c in changes if c.code == code) for code in _STATE_CODES)
    points = []
    if area["children"]:
        text = (
            f"{stunting.label} {format_percent(stunting.current)}: {format_number(area['stunted'])} balita pendek atau "
            f"sangat pendek dari {format_number(area['children'])} yang diukur ({ROUTINE_NOTE})"
        )
        target = INDICATORS["stunting"].target(month.year)
        points.append(f"{text}; {target.short_label()}" if target is not None else text)
    if area["kader_registered"]:
        points.append(
            f"{kader.label} {format_percent(kader.current)}: {format_number(area['kader_present'])} kader hadir per "
            f"hari buka dari {format_number(area['kader_registered'])} kader terdaftar di posyandu yang buka"
        )
    if area["s_total"]:
        points.append(
            f"{ds.label} {format_percent(ds.current)}: {format_number(area['d_total'])} balita ditimbang dari "
            f"{format_number(area['s_total'])} balita sasaran (S)"
        )
    if area["posyandu"]:
        points.append(
            f"Legalitas lengkap {format_number(area['full_legality'])} dari {format_number(area['posyandu'])} posyandu "
            f"({format_percent(100 * area['full_legality'] / area['posyandu'])}); teregistrasi Kemendagri "
            f"{format_percent(100 * area['registered'] / area['posyandu'])} (master posyandu yang berlaku akhir bulan)"
        )
    return tuple(points)


def build_screens(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    month: dt.date,
    area_name: str = KABUPATEN,
    previous_month: dt.date | None = None,
    *,
    priority: pd.DataFrame | None = None,
    area_intervals: tuple[tuple[float, float] | None, tuple[float, float] | None] = (None, None),
) -> list[Screen]:
    """Pure: the headline screen of the whole area, then one screen per kecamatan with data.

    current, previous: query_area_indicators rows (one per kecamatan) for the month and the
    month compared with (``previous_month``, default the month before: the previous rapat's
    data month when one is chosen), with the stunting interval columns CI_LOW and CI_HIGH.
    ``priority``: metrics.priority.rank_areas of the kecamatan (code, priority_rank), the
    order of the kecamatan screens, worst first (without it: by code). ``area_intervals``:
    the whole area's stunting interval in the month and in the month compared with.
    """
    previous_month = previous_month or months_before(month, 1)
    previous_label = format_month(previous_month)
    before = previous.set_index("code") if len(previous) else None
    ranks: dict[str, int] = {}
    if priority is not None:
        ranked = priority.dropna(subset=["priority_rank"])
        ranks = {str(c): int(r) for c, r in zip(ranked["code"], ranked["priority_rank"], strict=True)}
        order = {str(code): i for i, code in enumerate(priority["code"])}
        current = current.assign(_order=[order.get(str(c), len(order)) for c in current["code"]])
        current = current.sort_values(["_order", "code"], kind="stable")
    kecamatan: list[Screen] = []
    for _, row in current.iterrows():
        if not has_data(row):
            continue
        prev_row = before.loc[row["code"]] if before is not None and row["code"] in before.index else None
        if prev_row is not None and not has_data(prev_row):
            prev_row = None
        changes = compute_changes(row, prev_row, month, previous_month)
        name = f"Kecamatan {row['name']}"
        kecamatan.append(
            Screen(
                number=len(kecamatan) + 2,
                kind="kecamatan",
                code=str(row["code"]),
                name=name,
                title=_area_title(name, changes, previous_label),
                changes=changes,
                summary=summarise_changes(changes, previous_label),
                **_counts(row),
                priority_rank=ranks.get(str(row["code"])),
                priority_of=len(ranks),
            )
        )
    area_now = aggregate_areas(current, area_intervals[0])
    area_before = aggregate_areas(previous, area_intervals[1]) if len(previous) else None
    if area_before is not None and not has_data(area_before):
        area_before = None
    changes = compute_changes(area_now, area_before, month, previous_month)
    headline = Screen(
        number=1,
        kind="kabupaten",
        code="64.02",
        name=area_name,
        title=_area_title(area_name, changes, previous_label, format_month(month)),
        changes=changes,
        summary=summarise_changes(changes, previous_label),
        points=_headline_points(changes, kecamatan),
        state_points=_state_points(area_now, changes, month),
        **_counts(area_now),
    )
    return [headline, *kecamatan]
