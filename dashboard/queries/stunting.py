"""Stunting page: routine prevalence (e-PPGBM), survey figures, areas, HAZ spread, data quality.

Routine figures count each child's latest measurement in the month, 0-59 months, with a
plausible HAZ (WHO flag 0), as `mart_stunting_by_area_month` does. Area figures are sums of
kecamatan rows, so a user restricted to some kecamatan sees exactly their kecamatan; the
design-based 95% interval (WHO's method) comes from the marts, combined exactly over the
visible kecamatan (dashboard.queries.nutrition).

Data-quality ratings: the thresholds live in `QUALITY_RULES` and are printed on the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause
from dashboard.queries.nutrition import query_nutrition_trend
from etl.registers import EPPGBM

MIN_CHILDREN_FOR_RANK = 30  # no rank, no colour on the map, no rating below this many children
NOT_RANKED_LABEL = "n < 30"
TARGET_PCT = 14.0  # national stunting target (RPJMN 2020-2024)
WILSON_Z = 1.96
HAZ_BIN_WIDTH = 0.25
KUKAR_AREA_NAMES = ("kutai kartanegara", "kukar", "kab. kutai kartanegara", "kabupaten kutai kartanegara")

_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


def _bound(sql: str, values: dict) -> dict:
    """Only the parameters the statement names (DuckDB rejects unused ones)."""
    names = set(_PARAMETER.findall(sql))
    return {name: value for name, value in values.items() if name in names}


def _run(sql: str, filters: Filters, **extra: object) -> pd.DataFrame:
    values = {**filters.params(), **extra}
    return query(sql, _bound(sql, values))


# --- prevalence -----------------------------------------------------------------------


def wilson_interval(
    events: Sequence[float] | np.ndarray | pd.Series, n: Sequence[float] | np.ndarray | pd.Series, z: float = WILSON_Z
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of events/n as fractions; NaN where n is 0."""
    k = np.asarray(events, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, k / total, np.nan)
        denominator = 1 + z**2 / total
        centre = (p + z**2 / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
    return centre - half, centre + half


def _with_prevalence(frame: pd.DataFrame) -> pd.DataFrame:
    """Prevalence from the counts; the 95% interval is the design-based one the marts carry
    (WHO's method, computed at build time), left empty where there is none (a posyandu)."""
    frame = frame.copy()
    for column in ("children_measured", "n_haz", "stunted", "severely_stunted"):
        if column in frame:
            frame[column] = frame[column].fillna(0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["prevalence"] = np.where(
            frame["n_haz"] > 0, frame["stunted"] / frame["n_haz"].where(frame["n_haz"] > 0), np.nan
        )
    for column in ("ci_low", "ci_high"):
        frame[column] = frame[column].astype("float64") if column in frame else np.nan
    return frame


def query_stunting_trend(filters: Filters) -> pd.DataFrame:
    """Monthly routine prevalence up to the chosen month for the visible area.

    Columns: month, children_measured, n_haz, stunted, severely_stunted, prevalence, ci_low, ci_high
    (fractions).
    """
    frame = _run(
        f"""
        select
            month,
            sum(children_measured) as children_measured,
            sum(n_haz) as n_haz,
            sum(stunted) as stunted,
            sum(severely_stunted) as severely_stunted
        from mart_stunting_by_area_month
        where area_level = 'kecamatan'
            and month <= $month
            and {kec_clause("area_code")}
        group by month
        order by month
        """,
        filters,
    )
    frame["month"] = pd.to_datetime(frame["month"])
    design = query_nutrition_trend(filters)
    stunting = design[design["indicator"] == "stunting"].set_index("month")
    frame["ci_low"] = frame["month"].map(stunting["ci_low"])
    frame["ci_high"] = frame["month"].map(stunting["ci_high"])
    return _with_prevalence(frame)


def query_stunting_headline(filters: Filters) -> pd.Series | None:
    """Routine prevalence of the chosen month (None when nobody was measured then)."""
    trend = query_stunting_trend(filters)
    row = trend[trend["month"] == pd.Timestamp(filters.month)]
    if row.empty or row.iloc[0]["n_haz"] == 0:
        return None
    return row.iloc[0]


def query_survey_stunting() -> pd.DataFrame:
    """Published survey figures for Kukar (SSGI/SKI): year, value_pct, source; oldest first."""
    names = ", ".join(f"'{name}'" for name in KUKAR_AREA_NAMES)  # constants, not user input
    return query(
        f"""
        select
            year,
            value_pct,
            source
        from fct_official_stunting
        where kind = 'survei'
            and lower(trim(area)) in ({names})
        order by year, source
        """
    )


def query_area_prevalence(filters: Filters, level: str) -> pd.DataFrame:
    """Prevalence per kecamatan (level "kecamatan") or desa ("desa") in the chosen month.

    Every visible area is listed, those with nobody measured too. Columns: code, name,
    kode_kec, nama_kec, children_measured, n_haz, stunted, prevalence, ci_low, ci_high, rank
    (1 = highest prevalence among areas with at least 30 children; <NA> otherwise), rank_label.
    """
    if level == "kecamatan":
        sql = f"""
            select
                k.kode_kec as code,
                k.nama_kec as name,
                k.kode_kec,
                k.nama_kec,
                m.children_measured,
                m.n_haz,
                m.stunted,
                m.severely_stunted,
                m.stunting_ci_low as ci_low,
                m.stunting_ci_high as ci_high
            from dim_kecamatan as k
            left join mart_stunting_by_area_month as m
                on m.area_level = 'kecamatan'
                and m.area_code = k.kode_kec
                and m.month = $month
            where {kec_clause("k.kode_kec")}
            order by k.kode_kec
        """
    elif level == "desa":
        sql = f"""
            select
                d.kode_desa as code,
                d.nama_desa as name,
                d.kode_kec,
                d.nama_kec,
                m.children_measured,
                m.n_haz,
                m.stunted,
                m.severely_stunted,
                m.stunting_ci_low as ci_low,
                m.stunting_ci_high as ci_high
            from dim_desa as d
            left join mart_stunting_by_area_month as m
                on m.area_level = 'desa'
                and m.area_code = d.kode_desa
                and m.month = $month
            where {kec_clause("d.kode_kec")}
            order by d.kode_desa
        """
    else:
        raise ValueError(f"unknown level {level!r}")
    return add_ranks(_with_prevalence(_run(sql, filters)))


def add_ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank by prevalence (1 = highest) only where at least 30 children were measured."""
    frame = frame.copy()
    rankable = frame["n_haz"] >= MIN_CHILDREN_FOR_RANK
    ranks = frame.loc[rankable, "prevalence"].rank(method="min", ascending=False)
    frame["rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame.loc[rankable, "rank"] = ranks.astype("int64").to_numpy()
    frame["rank_label"] = np.where(
        rankable,
        frame["rank"].astype("string").fillna(""),
        np.where(frame["n_haz"] > 0, NOT_RANKED_LABEL, "tidak ada data"),
    )
    return frame


def query_desa_options(filters: Filters) -> pd.DataFrame:
    """Desa of the chosen kecamatan (kode_desa, nama_desa, jenis), for the drill-down picker."""
    if not filters.kode_kec or not filters.single_kec:
        return pd.DataFrame(columns=["kode_desa", "nama_desa", "jenis"])
    return query(
        "select kode_desa, nama_desa, jenis from dim_desa where kode_kec = $kec order by nama_desa",
        {"kec": filters.single_kec},
    )


def query_posyandu_prevalence(filters: Filters, kode_desa: str) -> pd.DataFrame:
    """Prevalence per posyandu of one desa in the chosen month, ranked like areas.

    Children whose record named no known posyandu are one extra row ("posyandu tidak dikenali").
    """
    frame = _run(
        f"""
        with posyandu as (
            select
                p.posyandu_id as code,
                p.posyandu_name as name,
                m.children_measured,
                m.n_haz,
                m.stunted,
                m.severely_stunted
            from dim_posyandu as p
            left join mart_stunting_by_area_month as m
                on m.area_level = 'posyandu'
                and m.area_code = p.posyandu_id
                and m.month = $month
            where p.kode_desa = $desa
                and {kec_clause("p.kode_kec")}
        ),

        desa as (
            select
                children_measured,
                n_haz,
                stunted,
                severely_stunted
            from mart_stunting_by_area_month
            where area_level = 'desa'
                and area_code = $desa
                and month = $month
                and {kec_clause("left(area_code, 8)")}
        ),

        unmatched as (
            select
                null as code,
                'Posyandu tidak dikenali' as name,
                children_measured - (select coalesce(sum(children_measured), 0) from posyandu) as children_measured,
                n_haz - (select coalesce(sum(n_haz), 0) from posyandu) as n_haz,
                stunted - (select coalesce(sum(stunted), 0) from posyandu) as stunted,
                severely_stunted - (select coalesce(sum(severely_stunted), 0) from posyandu) as severely_stunted
            from desa
        ),

        final as (
            select * from posyandu
            union all
            select * from unmatched where children_measured > 0
        )

        select * from final
        order by name
        """,
        filters,
        desa=kode_desa,
    )
    return add_ranks(_with_prevalence(frame))


def query_posyandu_points(filters: Filters) -> pd.DataFrame:
    """Posyandu with coordinates, for the points-only map when boundaries are missing."""
    return _run(
        f"""
        select
            p.posyandu_id,
            p.posyandu_name,
            d.nama_desa,
            p.kode_kec,
            p.registration_status,
            p.lat,
            p.lon
        from dim_posyandu as p
        left join dim_desa as d using (kode_desa)
        where {kec_clause("p.kode_kec")}
        """,
        filters,
    )


# --- HAZ distribution -----------------------------------------------------------------


# Each child's latest measurement of the month, 0-59 months (the prevalence's children).
_LATEST_HAZ_CTE = """with latest as (
            select
                kode_kec,
                haz,
                haz_flag,
                row_number() over (partition by child_key order by measured_on desc) as rank_in_month
            from fct_measurement
            where month = $month
                and age_days between 0 and 1826
        )"""


def query_haz_distribution(filters: Filters) -> pd.DataFrame:
    """Plausible HAZ of the month's children in 0.25 SD bins: bin_start, children."""
    return _run(
        f"""
        {_LATEST_HAZ_CTE},

        final as (
            select
                floor(haz / $width) * $width as bin_start,
                count(*) as children
            from latest
            where rank_in_month = 1
                and haz_flag = 0
                and {kec_clause()}
            group by 1
        )

        select * from final
        order by bin_start
        """,
        filters,
        width=HAZ_BIN_WIDTH,
    )


def summarise_haz(bins: pd.DataFrame) -> dict[str, float]:
    """n, mean and SD of HAZ from the bins (bin centres; close to the exact values at 0.25 SD)."""
    n = float(bins["children"].sum())
    if n == 0:
        return {"n": 0.0, "mean": math.nan, "sd": math.nan}
    centres = bins["bin_start"] + HAZ_BIN_WIDTH / 2
    mean = float((centres * bins["children"]).sum() / n)
    variance = float((bins["children"] * (centres - mean) ** 2).sum() / max(n - 1, 1))
    return {"n": n, "mean": mean, "sd": math.sqrt(variance)}


def query_haz_summary(filters: Filters) -> pd.Series:
    """Exact n, mean and SD of plausible HAZ of the month's children (for titles and checks)."""
    return _run(
        f"""
        {_LATEST_HAZ_CTE}

        select
            count(*) as n,
            avg(haz) as mean,
            stddev_samp(haz) as sd,
            count(*) filter (where haz < -2) as below_minus_2
        from latest
        where rank_in_month = 1
            and haz_flag = 0
            and {kec_clause()}
        """,
        filters,
    ).iloc[0]


# --- data quality ---------------------------------------------------------------------

_QUALITY_KEYS = ("month", "kode_kec", "flagged_share", "sd_haz", "sd_whz")


def query_data_quality_totals(filters: Filters) -> pd.Series:
    """Data-quality counts of the month summed over the visible kecamatan (empty sums are 0)."""
    frame = _run(
        f"""
        select sum(columns(* exclude ({", ".join(_QUALITY_KEYS)})))
        from mart_data_quality_by_kecamatan_month
        where month = $month
            and {kec_clause()}
        """,
        filters,
    )
    return frame.iloc[0].fillna(0)


def query_data_quality_by_kecamatan(filters: Filters) -> pd.DataFrame:
    """Data-quality counts of the month per visible kecamatan, with nama_kec."""
    return _run(
        f"""
        select
            k.nama_kec,
            q.*
        from mart_data_quality_by_kecamatan_month as q
        join dim_kecamatan as k using (kode_kec)
        where q.month = $month
            and {kec_clause("q.kode_kec")}
        order by k.nama_kec
        """,
        filters,
    )


def query_data_quality_trend(filters: Filters) -> pd.DataFrame:
    """Data-quality counts per month (up to the chosen one) summed over the visible kecamatan."""
    frame = _run(
        f"""
        select
            month,
            sum(columns(* exclude ({", ".join(_QUALITY_KEYS)})))
        from mart_data_quality_by_kecamatan_month
        where month <= $month
            and {kec_clause()}
        group by month
        order by month
        """,
        filters,
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def query_import_problems() -> pd.DataFrame:
    """e-PPGBM rows refused in the last build for a missing/invalid date or sex: problem, rows.

    Refused rows carry no trusted kecamatan, so this is for the whole source, last build only.
    """
    date_headers = [h.lower() for f in EPPGBM.fields if f.name in ("birth_date", "measured_on") for h in f.headers]
    sex_headers = [h.lower() for f in EPPGBM.fields if f.name == "sex" for h in f.headers]
    frame = query(
        """
        with last_run as (
            select run_id from etl_run order by finished_at desc limit 1
        ),

        refused as (
            select
                r.file,
                r.row_number,
                case
                    when r.reason = 'tanggal lahir setelah tanggal pengukuran' then 'Tanggal lahir setelah tanggal ukur'
                    when lower(r.column_name) in (select unnest($date_headers)) then 'Tanggal kosong atau tidak sah'
                    when lower(r.column_name) in (select unnest($sex_headers)) then 'Jenis kelamin kosong atau tidak sah'
                end as problem
            from etl_rejected_row as r
            join last_run using (run_id)
            where r.register = 'eppgbm'
        ),

        final as (
            select
                problem,
                count(distinct (file, row_number)) as rows
            from refused
            where problem is not null
            group by problem
        )

        select * from final
        order by problem
        """,
        {"date_headers": date_headers, "sex_headers": sex_headers},
    )
    read = query(
        """
        select coalesce(sum(l.rows_read), 0) as rows_read
        from etl_register_load as l
        join (select run_id from etl_run order by finished_at desc limit 1) using (run_id)
        where l.register = 'eppgbm'
        """
    ).iloc[0, 0]
    frame["rows_read"] = int(read)
    return frame


# --- data-quality ratings -------------------------------------------------------------

GOOD, WATCH, PROBLEM, TOO_FEW = "Baik", "Perlu perhatian", "Bermasalah", "Belum dinilai"


@dataclass(frozen=True)
class QualityRule:
    """How one indicator is rated; ``good`` and ``watch`` are (low, high) ranges, high exclusive."""

    key: str
    label: str
    unit: str  # "%" for shares (values in percent), "" for SDs and indices
    good: tuple[float, float]
    watch: tuple[tuple[float, float], ...]
    min_n: int
    basis: str  # where the thresholds come from, shown on the page

    def rate(self, value: float, n: float) -> str:
        if n < self.min_n or value is None or (isinstance(value, float) and math.isnan(value)):
            return TOO_FEW
        low, high = self.good
        if low <= value < high:
            return GOOD
        if any(lo <= value < hi for lo, hi in self.watch):
            return WATCH
        return PROBLEM

    def describe(self) -> str:
        """The thresholds in Bahasa ("Baik < 1%; Perlu perhatian 1–2%; Bermasalah ≥ 2%"), lower bounds included."""
        from dashboard.formatting import format_number

        def num(x: float, unit: bool = True) -> str:
            return format_number(x, 0 if float(x).is_integer() else 1) + (self.unit if unit else "")

        def span(lo: float, hi: float) -> str:
            if lo <= 0:
                return f"< {num(hi)}"
            if math.isinf(hi):
                return f"≥ {num(lo)}"
            return f"{num(lo, unit=False)}–{num(hi)}"

        covered = sorted([self.good, *self.watch])
        problem, start = [], 0.0
        for lo, hi in covered:
            if lo > start:
                problem.append((start, lo))
            start = max(start, hi)
        if not math.isinf(start):
            problem.append((start, math.inf))
        return (
            f"Baik {span(*self.good)}; Perlu perhatian {' atau '.join(span(*w) for w in self.watch)}; "
            f"Bermasalah {' atau '.join(span(*p) for p in problem)}"
        )


INF = math.inf
QUALITY_RULES: dict[str, QualityRule] = {
    rule.key: rule
    for rule in (
        QualityRule(
            "flagged",
            "Data ditandai tidak masuk akal (flag WHO, TB/U, BB/U atau BB/TB)",
            "%",
            (0, 1),
            ((1, 2),),
            30,
            "WHO–UNICEF 2019: di atas 1% menandakan masalah pengukuran atau tanggal lahir",
        ),
        QualityRule(
            "sd_haz",
            "SD z-skor TB/U (nilai masuk akal)",
            "",
            (0.8, 1.2),
            ((0.7, 0.8), (1.2, 1.5)),
            30,
            "WHO–UNICEF 2019/WHO Anthro: SD sekitar 1 (0,8–1,2); makin lebar makin besar galat ukur",
        ),
        QualityRule(
            "sd_whz",
            "SD z-skor BB/TB (nilai masuk akal)",
            "",
            (0.8, 1.2),
            ((0.7, 0.8), (1.2, 1.5)),
            30,
            "WHO–UNICEF 2019/WHO Anthro: SD sekitar 1 (0,8–1,2)",
        ),
        QualityRule(
            "weight_digit",
            "Preferensi angka terakhir berat (indeks ketidaksamaan)",
            "",
            (0, 10),
            ((10, 20),),
            200,
            "Ambang kerja dasbor: indeks 0 = tiap angka 0–9 muncul 10%; di bawah 200 anak derau acak sudah sekitar 8",
        ),
        QualityRule(
            "height_digit",
            "Preferensi angka terakhir tinggi (indeks ketidaksamaan)",
            "",
            (0, 10),
            ((10, 20),),
            200,
            "Ambang kerja dasbor, sama dengan berat",
        ),
        QualityRule(
            "birth_day_heaping",
            "Tanggal lahir menumpuk di tanggal 1 dan 15",
            "%",
            (0, 10),
            ((10, 20),),
            100,
            "Ambang kerja dasbor: tanpa penumpukan sekitar 6,6% anak lahir pada tanggal 1 atau 15",
        ),
        QualityRule(
            "position",
            "Cara ukur tidak sesuai umur atau tidak dicatat",
            "%",
            (0, 5),
            ((5, 15),),
            30,
            "Ambang kerja dasbor; aturan WHO: terlentang di bawah 24 bulan, berdiri sejak 24 bulan",
        ),
        QualityRule(
            "inconsistent",
            "Tanggal lahir atau jenis kelamin berbeda antar-catatan anak yang sama",
            "%",
            (0, 1),
            ((1, 5),),
            30,
            "Ambang kerja dasbor",
        ),
    )
}


def dissimilarity_index(counts: Sequence[float] | np.ndarray) -> float:
    """Index of dissimilarity (0-100) of terminal digits 0-9 against 10% each; NaN with no data."""
    values = np.asarray(counts, dtype=float)
    total = values.sum()
    if total <= 0:
        return math.nan
    return float(50 * np.abs(values / total - 0.1).sum())


def digit_counts(totals: pd.Series, measure: str) -> np.ndarray:
    """Counts of terminal digits 0..9 of "weight" or "height" from a data-quality row."""
    return np.array([float(totals.get(f"{measure}_digit_{d}", 0)) for d in range(10)])


def _share(part: float, whole: float) -> float:
    return 100 * part / whole if whole else math.nan


def _sd(n: float, total: float, total_sq: float) -> float:
    if n < 2:
        return math.nan
    return math.sqrt(max(total_sq - total**2 / n, 0) / (n - 1))


def compute_quality_indicators(totals: pd.Series) -> dict[str, tuple[float, float]]:
    """Each rated indicator as (value, n) from summed data-quality counts."""
    children = float(totals.get("children", 0))
    weight, height = digit_counts(totals, "weight"), digit_counts(totals, "height")
    off_protocol = (
        totals.get("measure_missing", 0)
        + totals.get("lying_from_24_months", 0)
        + totals.get("standing_under_24_months", 0)
    )
    return {
        "flagged": (_share(totals.get("any_flagged", 0), totals.get("n_any_z", 0)), float(totals.get("n_any_z", 0))),
        "sd_haz": (
            _sd(totals.get("n_haz_plausible", 0), totals.get("sum_haz", 0), totals.get("sum_haz_sq", 0)),
            float(totals.get("n_haz_plausible", 0)),
        ),
        "sd_whz": (
            _sd(totals.get("n_whz_plausible", 0), totals.get("sum_whz", 0), totals.get("sum_whz_sq", 0)),
            float(totals.get("n_whz_plausible", 0)),
        ),
        "weight_digit": (dissimilarity_index(weight), float(weight.sum())),
        "height_digit": (dissimilarity_index(height), float(height.sum())),
        "birth_day_heaping": (_share(totals.get("born_on_1st", 0) + totals.get("born_on_15th", 0), children), children),
        "position": (_share(off_protocol, children), children),
        "inconsistent": (_share(totals.get("inconsistent_child", 0), children), children),
    }


def rate_quality(totals: pd.Series) -> pd.DataFrame:
    """One row per rated indicator: key, label, value, n, rating, thresholds, basis."""
    rows = []
    for key, (value, n) in compute_quality_indicators(totals).items():
        rule = QUALITY_RULES[key]
        rows.append(
            {
                "key": key,
                "label": rule.label,
                "unit": rule.unit,
                "value": value,
                "n": n,
                "rating": rule.rate(value, n),
                "thresholds": rule.describe(),
                "basis": rule.basis,
            }
        )
    return pd.DataFrame(rows)


def compute_export_differences(totals: pd.Series) -> pd.DataFrame:
    """How often the export's z-scores differ from ours by more than 0.1: indicator, compared, differs, share (%)."""
    rows = []
    for key, label in (("haz", "TB/U"), ("waz", "BB/U"), ("whz", "BB/TB")):
        compared = float(totals.get(f"n_export_{key}", 0))
        differs = float(totals.get(f"export_{key}_differs", 0))
        rows.append({"indicator": label, "compared": compared, "differs": differs, "share": _share(differs, compared)})
    return pd.DataFrame(rows)


def latest_month_with_data(trend: pd.DataFrame) -> date | None:
    months = trend.loc[trend["n_haz"] > 0, "month"]
    return None if months.empty else months.max().date()


def describe_area(filters: Filters) -> str:
    """The visible area in words for subtitles: "Kabupaten Kutai Kartanegara", "Kecamatan Tenggarong"."""
    codes = filters.visible_kec
    if codes is None:
        return "Kabupaten Kutai Kartanegara"
    names = dict(query("select kode_kec, nama_kec from dim_kecamatan").itertuples(index=False))
    if not codes:
        return "wilayah di luar cakupan Anda"
    if len(codes) == 1:
        return f"Kecamatan {names.get(codes[0], codes[0])}"
    return "Kecamatan " + ", ".join(names.get(code, code) for code in codes)
