"""Transformasi 6 SPM dan legalitas: fields served, services reported, the registration
pipeline and what each posyandu still lacks."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.catalogue.legality import GAP_LABELS, PIPELINE_STAGES
from dashboard.db import query
from dashboard.filters import Filters, kec_clause, months_before, posyandu_clause
from dashboard.queries.mentoring import team_order
from etl.registers import SPM_FIELDS

TREND_MONTHS = 12

# Services whose register gives a denominator: indicator → (column of fct_posyandu_month, its name).
# The other indicators of layanan 6 SPM have none (no households or residents are reported),
# so they are shown as counts only.
SERVICE_DENOMINATORS = {
    ("KES", "Balita ditimbang"): ("s", "balita sasaran (S), laporan bulanan"),
}

NO_TEAM = "Belum ada tim pendamping"


def _run(sql: str, params: dict) -> pd.DataFrame:
    return query(sql, params)


def query_first_master_month(filters: Filters) -> date | None:
    """The first month a posyandu master is in force for the area (int_master_in_force_month):
    SPM fields and legality exist from then on; None without any master."""
    frame = query(
        f"""
        select min(month) as first_month
        from int_master_in_force_month
        where {kec_clause()} and {posyandu_clause()}
        """,
        filters.params(),
    )
    first = frame["first_month"].iloc[0] if len(frame) else None
    return None if first is None or pd.isna(first) else pd.Timestamp(first).date()


def query_spm_fields(filters: Filters) -> pd.DataFrame:
    """Per SPM field (official order), the period's posyandu that declare it in the master in
    force at the month end ("bidang SPM dinyatakan") and that reported a service > 0 in it
    ("bidang SPM dilayani"), with the gap both ways."""
    sql = f"""
        with cells as (
            select *
            from fct_spm_field_month
            where month = $month
                and {kec_clause()} and {posyandu_clause()}
        ),

        final as (
            select
                f.spm_field,
                f.field_order,
                count(c.posyandu_id) filter (where c.is_declared) as posyandu_declared,
                count(c.posyandu_id) filter (where c.is_served) as posyandu_served,
                count(c.posyandu_id) filter (where c.is_declared and not c.is_served) as declared_not_served,
                count(c.posyandu_id) filter (where c.is_served and not c.is_declared) as served_not_declared,
                count(c.posyandu_id) as posyandu_total
            from ref_spm_field as f
            left join cells as c using (spm_field)
            group by f.spm_field, f.field_order
        )

        select * from final
        order by field_order
    """
    return _run(sql, filters.params())


def query_field_count_distribution(filters: Filters) -> pd.DataFrame:
    """Posyandu by number of SPM fields (0 to 6, every count present), declared and served, in the period."""
    sql = f"""
        with per_posyandu as (
            select
                posyandu_id,
                count(*) filter (where is_declared) as declared,
                count(*) filter (where is_served) as served
            from fct_spm_field_month
            where month = $month
                and {kec_clause()} and {posyandu_clause()}
            group by posyandu_id
        ),

        final as (
            select
                cast(r.range as integer) as spm_field_count,
                (select count(*) from per_posyandu where declared = r.range) as posyandu_declared,
                (select count(*) from per_posyandu where served = r.range) as posyandu_served
            from range(0, 7) as r
        )

        select * from final
        order by spm_field_count
    """
    return _run(sql, filters.params())


def query_service_indicator_trend(filters: Filters) -> pd.DataFrame:
    """Per SPM field, indicator and month (last 12 up to the period): the indicator's total,
    posyandu reporting it and, where the register has a denominator, that denominator summed
    over the same posyandu and the coverage. Never summed across indicators."""
    sql = f"""
        with services as (
            select
                s.month,
                s.spm_field,
                s.indicator,
                s.posyandu_id,
                s.value
            from fct_spm_service as s
            join dim_posyandu as p using (posyandu_id)
            where s.month between $window_start and $month
                and {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        ),

        denominators as (
            select
                unnest($denominator_fields) as spm_field,
                unnest($denominator_indicators) as indicator,
                unnest($denominator_columns) as denominator_column
        ),

        report as (
            select posyandu_id, month, 's' as denominator_column, s as denominator
            from fct_posyandu_month
        ),

        joined as (
            select
                s.*,
                d.denominator_column,
                r.denominator
            from services as s
            left join denominators as d using (spm_field, indicator)
            left join report as r
                on r.posyandu_id = s.posyandu_id
                and r.month = s.month
                and r.denominator_column = d.denominator_column
        ),

        final as (
            select
                month,
                spm_field,
                indicator,
                sum(value) as value_total,
                count(distinct posyandu_id) as posyandu_reporting,
                sum(denominator) filter (where denominator > 0) as denominator_total,
                sum(value) filter (where denominator > 0)
                    / nullif(sum(denominator) filter (where denominator > 0), 0) as coverage
            from joined
            group by all
        )

        select * from final
        order by array_position($fields, spm_field), indicator, month
    """
    keys = list(SERVICE_DENOMINATORS)
    params = {
        **filters.params(),
        "window_start": months_before(filters.month, TREND_MONTHS - 1),
        "fields": list(SPM_FIELDS),
        "denominator_fields": [f for f, _ in keys],
        "denominator_indicators": [i for _, i in keys],
        "denominator_columns": [SERVICE_DENOMINATORS[k][0] for k in keys],
    }
    return _run(sql, params)


def query_services_by_indicator(filters: Filters) -> pd.DataFrame:
    """The period's services per field and indicator: total, posyandu reporting, posyandu
    declaring the field, and coverage where the register has a denominator."""
    trend = query_service_indicator_trend(filters)
    period = trend[trend["month"] == pd.Timestamp(filters.month)].drop(columns="month")
    declared = query_spm_fields(filters)[["spm_field", "posyandu_declared"]]
    out = period.merge(declared, on="spm_field", how="left").reset_index(drop=True)
    out["denominator_label"] = [
        SERVICE_DENOMINATORS.get((f, i), (None, None))[1]
        for f, i in zip(out["spm_field"], out["indicator"], strict=True)
    ]
    return out


def query_registration_pipeline(filters: Filters, month: date | None = None) -> pd.DataFrame:
    """Posyandu at each legality stage at the month end (having passed every earlier stage),
    with the share of all posyandu in the master in force and the change from the month before."""
    month = month or filters.month
    sql = f"""
        with months as (
            select
                l.month,
                l.stages_passed
            from fct_posyandu_legality_month as l
            where l.month in ($month, $previous)
                and {kec_clause("l.kode_kec")} and {posyandu_clause("l.posyandu_id")}
        ),

        final as (
            select
                count(*) filter (where month = $month) as total,
                count(*) filter (where month = $previous) as total_previous,
                {", ".join(f"count(*) filter (where month = $month and stages_passed >= {i + 1}) as {key}, count(*) filter (where month = $previous and stages_passed >= {i + 1}) as {key}_previous" for i, (key, _) in enumerate(PIPELINE_STAGES))}
            from months
        )

        select * from final
    """
    counts = _run(sql, {**filters.params(), "month": month, "previous": months_before(month, 1)}).iloc[0]
    total, total_previous = int(counts["total"]), int(counts["total_previous"])
    rows = [
        {
            "stage": key,
            "stage_label": label,
            "posyandu": int(counts[key]),
            "posyandu_total": total,
            "share": counts[key] / total if total else None,
            "posyandu_previous": int(counts[f"{key}_previous"]) if total_previous else None,
            "delta": int(counts[key]) - int(counts[f"{key}_previous"]) if total and total_previous else None,
        }
        for key, label in PIPELINE_STAGES
    ]
    return pd.DataFrame(rows)


def query_registration_history(filters: Filters) -> pd.DataFrame:
    """Per month with a posyandu master in force: posyandu, registered, share, change from the
    month before and the date of the master in force (newest snapshot on or before the month end)."""
    sql = f"""
        with months as (
            select
                l.month,
                count(*) as posyandu,
                count(*) filter (where l.is_registered) as registered,
                max(l.snapshot_date) as master_date
            from fct_posyandu_legality_month as l
            where l.month <= $month
                and {kec_clause("l.kode_kec")} and {posyandu_clause("l.posyandu_id")}
            group by l.month
        ),

        final as (
            select
                month,
                posyandu,
                registered,
                registered / nullif(posyandu, 0) as share,
                registered - lag(registered) over (order by month) as delta,
                master_date
            from months
        )

        select * from final
        order by month
    """
    return _run(sql, filters.params())


def query_legality_action_list(filters: Filters, team: str | None = None) -> pd.DataFrame:
    """Posyandu without full legality, each with what is missing and the next step, ordered by
    mentoring team, kecamatan, desa; posyandu in a kecamatan without a team come last.
    `team` keeps one team's posyandu only."""
    sql = f"""
        with posyandu as (
            select *
            from dim_posyandu
            where not has_full_legality
                and {kec_clause()} and {posyandu_clause()}
        ),

        teams as (
            select
                kode_kec,
                string_agg(team, ', ' order by team) as team
            from dim_mentoring_team
            group by kode_kec
        ),

        team_areas as (
            select
                t.team,
                string_agg(c.nama_kec, ' & ' order by t.kode_kec) as team_kecamatan
            from dim_mentoring_team as t
            left join dim_kecamatan as c using (kode_kec)
            group by t.team
        ),

        gaps as (
            select
                p.posyandu_id,
                list_filter(
                    [
                        case when p.musdes_date is null then 'no_musdes' end,
                        case when p.sk_number is null then 'no_sk' end,
                        case when p.registration_status = 'belum' then 'not_submitted' end,
                        case when p.registration_status = 'diajukan' then 'awaiting_verification' end,
                        case when p.registration_status = 'terverifikasi' then 'awaiting_number' end,
                        case when p.registration_status = 'teregistrasi' and p.kemendagri_reg_number is null then 'number_missing' end
                    ],
                    lambda gap: gap is not null
                ) as gap_codes
            from posyandu as p
        ),

        final as (
            select
                coalesce(t.team, $no_team) as team,
                t.team is null as without_team,
                a.team_kecamatan,
                p.kode_kec,
                c.nama_kec,
                p.kode_desa,
                d.nama_desa,
                p.posyandu_id,
                p.posyandu_name,
                p.registration_status,
                p.musdes_date,
                p.sk_number,
                p.sk_date,
                g.gap_codes
            from posyandu as p
            join gaps as g using (posyandu_id)
            left join teams as t on t.kode_kec = p.kode_kec
            left join team_areas as a on a.team = t.team
            left join dim_kecamatan as c on c.kode_kec = p.kode_kec
            left join dim_desa as d on d.kode_desa = p.kode_desa
        )

        select * from final
        order by without_team, {team_order()}, kode_kec, kode_desa, posyandu_id
    """
    frame = _run(sql, {**filters.params(), "no_team": NO_TEAM})
    frame["missing"] = [", ".join(GAP_LABELS[c] for c in codes) for codes in frame["gap_codes"]]
    frame["next_step"] = [GAP_LABELS[codes[0]] if len(codes) else "" for codes in frame["gap_codes"]]
    if team is not None:
        frame = frame[frame["team"] == team].reset_index(drop=True)
    return frame.drop(columns=["without_team"])


def summarise_action_list(actions: pd.DataFrame) -> pd.DataFrame:
    """Per team: posyandu without full legality and how many lack each item."""
    rows = []
    for team, group in actions.groupby("team", sort=False):
        areas = group["team_kecamatan"].dropna()
        kecamatan = areas.iloc[0] if len(areas) else " & ".join(dict.fromkeys(group["nama_kec"]))
        row = {"team": team, "kecamatan": kecamatan, "posyandu": len(group)}
        for code in GAP_LABELS:
            row[code] = int(sum(code in codes for codes in group["gap_codes"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=["team", "kecamatan", "posyandu", *GAP_LABELS])


def query_services_reporting(filters: Filters) -> pd.Series:
    """Posyandu in the area and those that reported any 6-SPM service in the period."""
    sql = f"""
        with posyandu as (
            select posyandu_id
            from dim_posyandu
            where {kec_clause()} and {posyandu_clause()}
        ),

        reporting as (
            select distinct s.posyandu_id
            from fct_spm_service as s
            join posyandu as p using (posyandu_id)
            where s.month = $month
        )

        select
            (select count(*) from posyandu) as posyandu_total,
            (select count(*) from reporting) as posyandu_reporting
    """
    return _run(sql, filters.params()).iloc[0]
