"""Kader page: participation over time, kader aktif, the kader norm, training coverage.

One rate and one count, kept apart because there is no single national formula:
- participation (a rate) = Σ kader hadir per hari buka ÷ Σ kader terdaftar over the posyandu
  that opened in the month (hari buka ≥ 1), from the monthly report; a posyandu that opened
  more than once counts with its mean attendance per hari buka
  (etl/sql/mart_kader_by_posyandu_month.sql);
- kader aktif (a count) = kader in the kader register with active_from ≤ month end and
  (active_to empty or ≥ month start). A register row without a start date counts as
  active: the register lists kader who serve, and a blank start date is a gap in the record.

The kader norm is data with its source: the minimum in the targets register
(data/reference/targets.csv, ``dashboard.catalogue.targets``), whether pengurus count in
data/reference/norms.csv (table ref_norm); both are read through ``kader_norm_setting``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.catalogue.targets import Reference
from dashboard.catalogue.targets import norm as sourced_norm
from dashboard.db import query
from dashboard.filters import Filters, kec_clause, month_end, months_before, posyandu_clause
from dashboard.queries.norms import Norm, query_norms
from etl.registers import TRAINING_THEMES

TREND_MONTHS = 12
# Every month of the trend window, one row each (`month`), so a month without data still shows.
TREND_WINDOW_MONTHS = (
    "select cast(unnest(generate_series(cast($window_start as date), cast($month as date), interval 1 month)) as date)"
    " as month"
)
# A monthly report counted in participation over the trend window (mart alias `r`): the
# posyandu opened and reported both kader figures.
REPORT_COUNTED_FOR_PARTICIPATION = """r.month between $window_start and $month
                and r.opened
                and r.kader_registered is not null
                and r.kader_present is not null"""
PENGURUS_ROLES = ("Ketua", "Sekretaris", "Bendahara")


@dataclass(frozen=True)
class KaderNorm:
    """The minimum kader per posyandu and whether pengurus count toward it, with the sources."""

    minimum: int
    counts_pengurus: bool
    minimum_norm: Reference
    pengurus_norm: Norm

    @property
    def counted(self) -> str:
        return "kader aktif termasuk pengurus" if self.counts_pengurus else "kader aktif tanpa pengurus"

    def describe(self) -> str:
        """One sentence for a caption wherever the norm is used."""
        default = "ya" if self.pengurus_norm.as_bool() else "tidak"
        return (
            f"Norma {self.minimum} kader per posyandu — sumber: {self.minimum_norm.source}. "
            f"{self.pengurus_norm.note} Dihitung di sini: {self.counted} (bawaan pengurus dihitung: {default}, "
            f"{self.pengurus_norm.source[:1].lower()}{self.pengurus_norm.source[1:]})."
        )


def kader_norm_setting(counts_pengurus: bool | None = None) -> KaderNorm:
    """The norm as loaded; ``counts_pengurus`` overrides the stated default."""
    minimum = sourced_norm("kader_active")
    pengurus = query_norms()["kader_norm_counts_pengurus"]
    chosen = pengurus.as_bool() if counts_pengurus is None else counts_pengurus
    return KaderNorm(int(minimum.value), chosen, minimum, pengurus)


def active_kader_predicate(month_start: str, month_end_: str, alias: str = "k") -> str:
    """SQL: the kader `alias` is active at some time in the month [month_start, month_end_]."""
    return (
        f"coalesce({alias}.active_from, date '1900-01-01') <= {month_end_} "
        f"and ({alias}.active_to is null or {alias}.active_to >= {month_start})"
    )


def _params(filters: Filters) -> dict:
    return {
        **filters.params(),
        "month_end": month_end(filters.month),
        "window_start": months_before(filters.month, TREND_MONTHS - 1),
    }


def _run(sql: str, filters: Filters, **extra) -> pd.DataFrame:
    return query(sql, {**_params(filters), **extra})


def query_participation_by_area(filters: Filters) -> pd.DataFrame:
    """Participation per month (last 12 months up to the period) per kecamatan, or per desa
    when one kecamatan is chosen; posyandu reporting both numbers only."""
    if filters.kode_kec:
        area = "r.kode_desa"
        names = "select kode_desa as area_code, nama_desa as area_name from dim_desa"
    else:
        area = "r.kode_kec"
        names = "select kode_kec as area_code, nama_kec as area_name from dim_kecamatan"
    sql = f"""
        with report as (
            select *
            from mart_kader_by_posyandu_month as r
            where {REPORT_COUNTED_FOR_PARTICIPATION}
                and {kec_clause("r.kode_kec")} and {posyandu_clause("r.posyandu_id")}
        ),

        by_area as (
            select
                r.month,
                {area} as area_code,
                sum(r.kader_present) as kader_present,
                sum(r.kader_registered) as kader_registered,
                count(*) as posyandu_reporting
            from report as r
            group by all
        ),

        names as ({names}),

        final as (
            select
                b.month,
                b.area_code,
                coalesce(n.area_name, b.area_code) as area_name,
                b.kader_present,
                b.kader_registered,
                b.kader_present / nullif(b.kader_registered, 0) as participation,
                b.posyandu_reporting
            from by_area as b
            left join names as n using (area_code)
        )

        select * from final
        order by area_code, month
    """
    return _run(sql, filters)


def query_participation_trend(filters: Filters) -> pd.DataFrame:
    """One row per month of the last 12: participation (monthly report) and kader aktif (register)."""
    sql = f"""
        with months as (
            {TREND_WINDOW_MONTHS}
        ),

        report as (
            select
                r.month,
                sum(r.kader_present) as kader_present,
                sum(r.kader_registered) as kader_registered,
                count(*) as posyandu_reporting
            from mart_kader_by_posyandu_month as r
            where {REPORT_COUNTED_FOR_PARTICIPATION}
                and {kec_clause("r.kode_kec")} and {posyandu_clause("r.posyandu_id")}
            group by r.month
        ),

        kader as (
            select k.kader_id, k.active_from, k.active_to
            from dim_kader as k
            join dim_posyandu as p using (posyandu_id)
            where {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        ),

        active as (
            select
                m.month,
                count(k.kader_id) as kader_active
            from months as m
            left join kader as k
                on {active_kader_predicate("m.month", "last_day(m.month)")}
            group by m.month
        ),

        final as (
            select
                m.month,
                r.kader_present,
                r.kader_registered,
                r.kader_present / nullif(r.kader_registered, 0) as participation,
                coalesce(r.posyandu_reporting, 0) as posyandu_reporting,
                a.kader_active
            from months as m
            left join report as r using (month)
            left join active as a using (month)
        )

        select * from final
        order by month
    """
    return _run(sql, filters)


def query_kader_by_posyandu(filters: Filters, counts_pengurus: bool | None = None) -> pd.DataFrame:
    """One row per posyandu in the area: kader aktif (register) at the period, with and without
    pengurus, and ``kader_counted`` per the norm's setting; the period's monthly report and
    participation (posyandu that opened) over the last 12 months."""
    sql = f"""
        with posyandu as (
            select
                p.posyandu_id,
                p.posyandu_name,
                p.legacy_type,
                p.kode_desa,
                p.kode_kec
            from dim_posyandu as p
            where {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        ),

        active as (
            select
                k.posyandu_id,
                count(*) as kader_active,
                count(*) filter (where not coalesce(list_contains($pengurus_roles, k.role), false)) as kader_active_anggota
            from dim_kader as k
            where {active_kader_predicate("$month", "$month_end")}
            group by k.posyandu_id
        ),

        period as (
            select
                r.posyandu_id,
                r.days_open,
                r.opened,
                r.kader_registered,
                r.kader_present,
                r.participation
            from mart_kader_by_posyandu_month as r
            where r.month = $month
        ),

        recent as (
            select
                r.posyandu_id,
                sum(r.kader_present) / nullif(sum(r.kader_registered), 0) as participation_12m,
                count(*) as months_reported
            from mart_kader_by_posyandu_month as r
            where {REPORT_COUNTED_FOR_PARTICIPATION}
            group by r.posyandu_id
        ),

        final as (
            select
                p.posyandu_id,
                p.posyandu_name,
                p.legacy_type,
                p.kode_desa,
                d.nama_desa,
                p.kode_kec,
                c.nama_kec,
                coalesce(a.kader_active, 0) as kader_active,
                coalesce(a.kader_active_anggota, 0) as kader_active_anggota,
                case when $counts_pengurus then coalesce(a.kader_active, 0) else coalesce(a.kader_active_anggota, 0) end
                    as kader_counted,
                r.days_open,
                r.opened,
                r.kader_registered,
                r.kader_present,
                r.participation,
                w.participation_12m,
                coalesce(w.months_reported, 0) as months_reported
            from posyandu as p
            left join dim_desa as d using (kode_desa)
            left join dim_kecamatan as c on c.kode_kec = p.kode_kec
            left join active as a using (posyandu_id)
            left join period as r using (posyandu_id)
            left join recent as w using (posyandu_id)
        )

        select * from final
        order by kode_kec, kode_desa, posyandu_id
    """
    norm = kader_norm_setting(counts_pengurus)
    return _run(sql, filters, pengurus_roles=list(PENGURUS_ROLES), counts_pengurus=norm.counts_pengurus)


def query_posyandu_below_norm(filters: Filters, counts_pengurus: bool | None = None) -> pd.DataFrame:
    """Posyandu with fewer kader counted (kader register; pengurus per the setting) than the norm, fewest first."""
    norm = kader_norm_setting(counts_pengurus)
    frame = query_kader_by_posyandu(filters, norm.counts_pengurus)
    below = frame[frame["kader_counted"] < norm.minimum].copy()
    below["kader_short"] = norm.minimum - below["kader_counted"]
    return below.sort_values(["kader_counted", "kode_kec", "kode_desa", "posyandu_id"]).reset_index(drop=True)


def query_kader_summary(filters: Filters, counts_pengurus: bool | None = None) -> pd.Series:
    """Headline figures for the period and area: participation over posyandu that opened,
    kader aktif (count), posyandu below the norm counted both ways and per the setting."""
    sql = f"""
        with report as (
            select
                sum(r.kader_present) filter (where r.opened) as kader_present,
                sum(r.kader_registered) filter (where r.opened) as kader_registered,
                count(*) filter (where r.opened) as posyandu_opened,
                count(*) as posyandu_reporting
            from mart_kader_by_posyandu_month as r
            where r.month = $month
                and r.kader_registered is not null
                and r.kader_present is not null
                and {kec_clause("r.kode_kec")} and {posyandu_clause("r.posyandu_id")}
        ),

        per_posyandu as (
            select
                p.posyandu_id,
                count(k.kader_id) as kader_active,
                count(k.kader_id) filter (where not coalesce(list_contains($pengurus_roles, k.role), false)) as kader_active_anggota
            from dim_posyandu as p
            left join dim_kader as k
                on k.posyandu_id = p.posyandu_id
                and {active_kader_predicate("$month", "$month_end")}
            where {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
            group by p.posyandu_id
        ),

        register as (
            select
                count(*) as posyandu,
                sum(kader_active) as kader_active,
                count(*) filter (where kader_active < $norm) as posyandu_below_norm_with_pengurus,
                count(*) filter (where kader_active_anggota < $norm) as posyandu_below_norm_without_pengurus
            from per_posyandu
        ),

        final as (
            select
                r.kader_present,
                r.kader_registered,
                r.kader_present / nullif(r.kader_registered, 0) as participation,
                r.posyandu_opened,
                r.posyandu_reporting,
                g.posyandu,
                coalesce(g.kader_active, 0) as kader_active,
                g.posyandu_below_norm_with_pengurus,
                g.posyandu_below_norm_without_pengurus,
                case when $counts_pengurus then g.posyandu_below_norm_with_pengurus
                    else g.posyandu_below_norm_without_pengurus end as posyandu_below_norm
            from report as r
            cross join register as g
        )

        select * from final
    """
    norm = kader_norm_setting(counts_pengurus)
    return _run(
        sql, filters, norm=norm.minimum, pengurus_roles=list(PENGURUS_ROLES), counts_pengurus=norm.counts_pengurus
    ).iloc[0]


def query_training_coverage(filters: Filters) -> pd.DataFrame:
    """Share of kader aktif at the period trained (on or before the month end) in each theme,
    one row per kecamatan and theme; every theme appears for every kecamatan with kader."""
    sql = f"""
        with active as (
            select
                k.kader_id,
                p.kode_kec
            from dim_kader as k
            join dim_posyandu as p using (posyandu_id)
            where {active_kader_predicate("$month", "$month_end")}
                and {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        ),

        themes as (
            select unnest($themes) as theme
        ),

        trained as (
            select distinct
                t.kader_id,
                t.theme
            from fct_kader_training as t
            where t.trained_on <= $month_end
        ),

        by_kec as (
            select
                a.kode_kec,
                th.theme,
                count(*) as kader_active,
                count(tr.kader_id) as kader_trained
            from active as a
            cross join themes as th
            left join trained as tr
                on tr.kader_id = a.kader_id
                and tr.theme = th.theme
            group by all
        ),

        final as (
            select
                b.kode_kec,
                c.nama_kec,
                b.theme,
                b.kader_active,
                b.kader_trained,
                b.kader_trained / b.kader_active as coverage
            from by_kec as b
            left join dim_kecamatan as c using (kode_kec)
        )

        select * from final
        order by kode_kec, theme
    """
    return _run(sql, filters, themes=list(TRAINING_THEMES))


def find_weakest_training(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per theme (in the register's order), the kecamatan with the lowest coverage; all of them when tied."""
    lowest = coverage.groupby("theme")["coverage"].transform("min")
    weakest = coverage[coverage["coverage"] <= lowest + 1e-12].copy()
    weakest["theme_order"] = weakest["theme"].map({theme: i for i, theme in enumerate(TRAINING_THEMES)})
    return weakest.sort_values(["theme_order", "nama_kec"]).drop(columns="theme_order").reset_index(drop=True)
