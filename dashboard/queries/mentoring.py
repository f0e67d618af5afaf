"""Pendampingan: each mentoring team with its kecamatan, gaps, priority desa and visits.

Visits are counted by where they happened (the kecamatan of the visit), not by the team
name typed in the visit register, so a spelling variant of a team name loses no visit.
"""

from __future__ import annotations

import pandas as pd

from dashboard.catalogue.indicators import MENTORING_RECENT_MONTHS, MIN_CHILDREN_FOR_RANK
from dashboard.catalogue.targets import ds_target, kader_norm
from dashboard.db import query
from dashboard.filters import Filters, kec_clause, month_end, months_before
from dashboard.queries.kader import PENGURUS_ROLES, TREND_WINDOW_MONTHS, active_kader_predicate, kader_norm_setting

LAYANAN_DASAR_INDEX = "Indeks Desa - Layanan Dasar"


# Each team's kecamatan inside the reader's scope (a CTE named team_kec).
_TEAM_KECAMATAN = f"""team_kec as (
            select team, kode_kec
            from dim_mentoring_team as t
            where {kec_clause("t.kode_kec")}
        )"""


def team_order(column: str = "team") -> str:
    """SQL ordering teams naturally: "Tim 2" before "Tim 10"."""
    return f"try_cast(regexp_extract({column}, '(\\d+)\\s*$', 1) as integer) nulls last, {column}"


def sort_teams(frame: pd.DataFrame, column: str = "team") -> pd.DataFrame:
    """Rows in the natural team order of team_order()."""
    number = pd.to_numeric(frame[column].str.extract(r"(\d+)\s*$", expand=False), errors="coerce")
    ordered = frame.assign(_number=number).sort_values(["_number", column], na_position="last", kind="stable")
    return ordered.drop(columns="_number").reset_index(drop=True)


def _params(filters: Filters) -> dict:
    return {
        **filters.params(),
        "month_end": month_end(filters.month),
        "recent_start": months_before(filters.month, MENTORING_RECENT_MONTHS - 1),
        "year_start": filters.month.replace(month=1, day=1),
        "norm": kader_norm(),
        "counts_pengurus": kader_norm_setting().counts_pengurus,
        "pengurus_roles": list(PENGURUS_ROLES),
        "ds_target": ds_target(),
        "min_children": MIN_CHILDREN_FOR_RANK,
        "layanan_dasar": LAYANAN_DASAR_INDEX,
    }


def _run(sql: str, filters: Filters) -> pd.DataFrame:
    return query(sql, _params(filters))


def query_team_kecamatan(filters: Filters) -> pd.DataFrame:
    """One row per team and kecamatan in the area: posyandu, gaps and visits up to the period."""
    sql = f"""
        with team_kec as (
            select
                t.team,
                t.kode_kec,
                c.nama_kec
            from dim_mentoring_team as t
            left join dim_kecamatan as c using (kode_kec)
            where {kec_clause("t.kode_kec")}
        ),

        active as (
            select
                k.posyandu_id,
                -- counted as the kader norm says (pengurus or not, data/reference/norms.csv)
                count(*) filter (where $counts_pengurus or not coalesce(list_contains($pengurus_roles, k.role), false))
                    as kader_active
            from dim_kader as k
            where {active_kader_predicate("$month", "$month_end")}
            group by k.posyandu_id
        ),

        report as (
            select
                posyandu_id,
                d / s as ds_ratio
            from fct_posyandu_month
            where month = $month
                and s > 0
                and d is not null
        ),

        posyandu as (
            select
                p.kode_kec,
                count(*) as posyandu,
                count(*) filter (where coalesce(a.kader_active, 0) < $norm) as posyandu_below_norm,
                count(*) filter (where not p.has_full_legality) as posyandu_without_legality,
                count(r.ds_ratio) as posyandu_reporting_ds,
                count(*) filter (where r.ds_ratio < $ds_target) as posyandu_low_ds
            from dim_posyandu as p
            left join active as a using (posyandu_id)
            left join report as r using (posyandu_id)
            group by p.kode_kec
        ),

        visits as (
            select
                kode_kec,
                count(*) filter (where visited_on >= $recent_start) as visits_recent,
                count(*) filter (where visited_on >= $year_start) as visits_year,
                max(visited_on) as last_visit
            from fct_mentoring_visit
            where visited_on <= $month_end
            group by kode_kec
        ),

        desa as (
            select
                d.kode_kec,
                count(*) as desa,
                count(*) filter (
                    where not exists (
                        select 1
                        from fct_mentoring_visit as v
                        where v.kode_desa = d.kode_desa
                            and v.visited_on <= $month_end
                    )
                ) as desa_never_visited
            from dim_desa as d
            group by d.kode_kec
        ),

        final as (
            select
                t.team,
                t.kode_kec,
                t.nama_kec,
                coalesce(p.posyandu, 0) as posyandu,
                coalesce(p.posyandu_below_norm, 0) as posyandu_below_norm,
                coalesce(p.posyandu_without_legality, 0) as posyandu_without_legality,
                coalesce(p.posyandu_reporting_ds, 0) as posyandu_reporting_ds,
                coalesce(p.posyandu_low_ds, 0) as posyandu_low_ds,
                coalesce(v.visits_recent, 0) as visits_recent,
                coalesce(v.visits_year, 0) as visits_year,
                v.last_visit,
                coalesce(d.desa, 0) as desa,
                coalesce(d.desa_never_visited, 0) as desa_never_visited
            from team_kec as t
            left join posyandu as p using (kode_kec)
            left join visits as v using (kode_kec)
            left join desa as d using (kode_kec)
        )

        select * from final
        order by {team_order()}, kode_kec
    """
    return _run(sql, filters)


def summarise_teams(team_kec: pd.DataFrame) -> pd.DataFrame:
    """One row per team from query_team_kecamatan: counts summed, latest visit, kecamatan named."""
    counts = [
        "posyandu",
        "posyandu_below_norm",
        "posyandu_without_legality",
        "posyandu_reporting_ds",
        "posyandu_low_ds",
        "visits_recent",
        "visits_year",
        "desa",
        "desa_never_visited",
    ]
    grouped = team_kec.groupby("team", sort=True)
    summary = grouped[counts].sum()
    summary["kecamatan"] = grouped["nama_kec"].agg(lambda names: " & ".join(names))
    summary["last_visit"] = grouped["last_visit"].max()
    return sort_teams(summary.reset_index()[["team", "kecamatan", *counts, "last_visit"]])


def query_priority_desa(filters: Filters) -> pd.DataFrame:
    """Per team, its priority desa and the rule used.

    Rule 1 (stunting): the desa with the highest routine stunting prevalence in the period
    among desa with at least 30 children measured. A team with no such desa falls back to
    rule 2 (layanan_dasar): the desa with the lowest Indeks Desa - Layanan Dasar, latest year
    up to the period's year.
    """
    sql = f"""
        with {_TEAM_KECAMATAN},

        stunting as (
            select
                t.team,
                m.area_code as kode_desa,
                m.stunting_prevalence as value,
                m.n_haz as children,
                cast(null as integer) as year
            from mart_stunting_by_area_month as m
            join dim_desa as d on d.kode_desa = m.area_code
            join team_kec as t on t.kode_kec = d.kode_kec
            where m.area_level = 'desa'
                and m.month = $month
                and m.n_haz >= $min_children
        ),

        latest_index as (
            select
                i.kode_desa,
                i.value,
                i.year,
                row_number() over (partition by i.kode_desa order by i.year desc) as newest
            from fct_desa_index as i
            where i.index_name = $layanan_dasar
                and i.year <= year($month)
        ),

        layanan_dasar as (
            select
                t.team,
                i.kode_desa,
                i.value,
                cast(null as bigint) as children,
                i.year
            from latest_index as i
            join dim_desa as d using (kode_desa)
            join team_kec as t on t.kode_kec = d.kode_kec
            where i.newest = 1
                and t.team not in (select team from stunting)
        ),

        ranked as (
            select
                'stunting' as rule,
                *,
                row_number() over (partition by team order by value desc, kode_desa) as rank_in_team
            from stunting
            union all by name
            select
                'layanan_dasar' as rule,
                *,
                row_number() over (partition by team order by value asc, kode_desa) as rank_in_team
            from layanan_dasar
        ),

        final as (
            select
                r.team,
                r.rule,
                r.kode_desa,
                d.nama_desa,
                d.kode_kec,
                d.nama_kec,
                r.value,
                r.children,
                r.year
            from ranked as r
            join dim_desa as d using (kode_desa)
            where r.rank_in_team = 1
        )

        select * from final
        order by {team_order()}
    """
    return _run(sql, filters)


def query_desa_never_visited(filters: Filters) -> pd.DataFrame:
    """Desa in each team's kecamatan with no mentoring visit up to the period's end."""
    sql = f"""
        with {_TEAM_KECAMATAN},

        visited as (
            select distinct kode_desa
            from fct_mentoring_visit
            where visited_on <= $month_end
        ),

        final as (
            select
                t.team,
                d.kode_kec,
                d.nama_kec,
                d.kode_desa,
                d.nama_desa,
                d.jenis
            from dim_desa as d
            join team_kec as t using (kode_kec)
            where d.kode_desa not in (select kode_desa from visited where kode_desa is not null)
        )

        select * from final
        order by {team_order()}, kode_kec, kode_desa
    """
    return _run(sql, filters)


def query_visits_by_month(filters: Filters) -> pd.DataFrame:
    """Visits per team and month over the 12 months up to the period (every month present)."""
    sql = f"""
        with months as (
            {TREND_WINDOW_MONTHS}
        ),

        teams as (
            select distinct team
            from dim_mentoring_team as t
            where {kec_clause("t.kode_kec")}
        ),

        team_kec as (
            select team, kode_kec
            from dim_mentoring_team as t
            where {kec_clause("t.kode_kec")}
        ),

        visits as (
            select
                k.team,
                cast(date_trunc('month', v.visited_on) as date) as month,
                count(*) as visits
            from fct_mentoring_visit as v
            join team_kec as k using (kode_kec)
            where v.visited_on between $window_start and $month_end
            group by all
        ),

        final as (
            select
                t.team,
                m.month,
                coalesce(v.visits, 0) as visits
            from teams as t
            cross join months as m
            left join visits as v using (team, month)
        )

        select * from final
        order by {team_order()}, month
    """
    return query(sql, {**_params(filters), "window_start": months_before(filters.month, 11)})
