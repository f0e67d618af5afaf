"""Transformasi 6 SPM dan legalitas: fields served, services reported, the registration
pipeline and what each posyandu still lacks."""

from __future__ import annotations

import pandas as pd

from dashboard.catalogue.legality import GAP_LABELS, PIPELINE_STAGES
from dashboard.db import query
from dashboard.filters import Filters, kec_clause, months_before
from dashboard.queries.mentoring import team_order
from etl.registers import SPM_FIELDS

TREND_MONTHS = 12

NO_TEAM = "Belum ada tim pendamping"


def _run(sql: str, params: dict) -> pd.DataFrame:
    return query(sql, params)


def query_field_count_distribution(filters: Filters) -> pd.DataFrame:
    """Posyandu by number of SPM fields served, 0 to 6 (every count present)."""
    sql = f"""
        with counts as (
            select
                spm_field_count,
                count(*) as posyandu
            from dim_posyandu
            where {kec_clause()}
            group by spm_field_count
        ),

        final as (
            select
                cast(r.range as integer) as spm_field_count,
                coalesce(c.posyandu, 0) as posyandu
            from range(0, 7) as r
            left join counts as c on c.spm_field_count = r.range
        )

        select * from final
        order by spm_field_count
    """
    return _run(sql, filters.params())


def query_fields_served(filters: Filters) -> pd.DataFrame:
    """Per SPM field (all six, in the official order): posyandu serving it and their share."""
    sql = f"""
        with posyandu as (
            select posyandu_id, spm_fields
            from dim_posyandu
            where {kec_clause()}
        ),

        fields as (
            select
                unnest($fields) as spm_field,
                generate_subscripts($fields, 1) as field_order
        ),

        served as (
            select
                unnest(spm_fields) as spm_field,
                posyandu_id
            from posyandu
        ),

        final as (
            select
                f.spm_field,
                f.field_order,
                count(distinct s.posyandu_id) as posyandu_serving,
                (select count(*) from posyandu) as posyandu_total,
                count(distinct s.posyandu_id) / nullif((select count(*) from posyandu), 0) as share
            from fields as f
            left join served as s using (spm_field)
            group by f.spm_field, f.field_order
        )

        select * from final
        order by field_order
    """
    return _run(sql, {**filters.params(), "fields": list(SPM_FIELDS)})


def query_services_trend(filters: Filters) -> pd.DataFrame:
    """Services reported per SPM field and month (last 12 months up to the period): the sum of
    every indicator's value, and the posyandu reporting that field."""
    sql = f"""
        with services as (
            select
                s.month,
                s.spm_field,
                s.posyandu_id,
                s.value
            from fct_spm_service as s
            join dim_posyandu as p using (posyandu_id)
            where s.month between $window_start and $month
                and {kec_clause("p.kode_kec")}
        ),

        final as (
            select
                month,
                spm_field,
                sum(value) as services,
                count(distinct posyandu_id) as posyandu_reporting
            from services
            group by month, spm_field
        )

        select * from final
        order by month, spm_field
    """
    return _run(sql, {**filters.params(), "window_start": months_before(filters.month, TREND_MONTHS - 1)})


def query_services_by_indicator(filters: Filters) -> pd.DataFrame:
    """The period's services per field and indicator, with the posyandu reporting each."""
    sql = f"""
        with services as (
            select
                s.spm_field,
                s.indicator,
                s.posyandu_id,
                s.value
            from fct_spm_service as s
            join dim_posyandu as p using (posyandu_id)
            where s.month = $month
                and {kec_clause("p.kode_kec")}
        ),

        final as (
            select
                spm_field,
                indicator,
                sum(value) as services,
                count(distinct posyandu_id) as posyandu_reporting
            from services
            group by spm_field, indicator
        )

        select * from final
        order by array_position($fields, spm_field), indicator
    """
    return _run(sql, {**filters.params(), "fields": list(SPM_FIELDS)})


def query_registration_pipeline(filters: Filters) -> pd.DataFrame:
    """Posyandu at each pipeline stage (having passed every earlier stage), with the share of all."""
    sql = f"""
        with posyandu as (
            select
                musdes_date is not null as musdes,
                sk_number is not null as sk,
                registration_status in ('diajukan', 'terverifikasi', 'teregistrasi') as submitted,
                registration_status in ('terverifikasi', 'teregistrasi') as verified,
                is_registered as registered
            from dim_posyandu
            where {kec_clause()}
        ),

        counts as (
            select
                count(*) as total,
                count(*) filter (where musdes) as musdes,
                count(*) filter (where musdes and sk) as sk,
                count(*) filter (where musdes and sk and submitted) as submitted,
                count(*) filter (where musdes and sk and submitted and verified) as verified,
                count(*) filter (where musdes and sk and submitted and verified and registered) as registered
            from posyandu
        )

        select * from counts
    """
    counts = _run(sql, filters.params()).iloc[0]
    total = int(counts["total"])
    rows = [
        {
            "stage": key,
            "stage_label": label,
            "posyandu": int(counts[key]),
            "posyandu_total": total,
            "share": counts[key] / total if total else None,
        }
        for key, label in PIPELINE_STAGES
    ]
    return pd.DataFrame(rows)


def query_legality_action_list(filters: Filters, team: str | None = None) -> pd.DataFrame:
    """Posyandu without full legality, each with what is missing and the next step, ordered by
    mentoring team, kecamatan, desa; posyandu in a kecamatan without a team come last.
    `team` keeps one team's posyandu only."""
    sql = f"""
        with posyandu as (
            select *
            from dim_posyandu
            where not has_full_legality
                and {kec_clause()}
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
            where {kec_clause()}
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
