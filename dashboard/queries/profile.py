"""Profile of one desa or one posyandu: who it is, its kader, legality, SPM services,
children weighed, stunting trend and mentoring visits.

Every query names the place by `kode_desa` (a desa and all its posyandu) or `posyandu_id`
(one posyandu; wins when both are given) and keeps to the reader's kecamatan through
`Filters`: a place outside the scope gives empty frames, never its figures.
"""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, month_end, months_before
from dashboard.queries.kader import active_kader_predicate

TREND_MONTHS = 12  # trends on a profile: the period and the eleven months before

# The posyandu of the place, inside the reader's scope.
_PLACE = f"""
    place as (
        select posyandu_id, posyandu_name, kode_desa, kode_kec
        from dim_posyandu
        where (posyandu_id = $posyandu_id or ($posyandu_id is null and kode_desa = $kode_desa))
            and {kec_clause("kode_kec")}
    )
"""


def _params(filters: Filters, kode_desa: str | None, posyandu_id: str | None) -> dict:
    return {
        **filters.params(),
        "kode_desa": kode_desa,
        "posyandu_id": posyandu_id,
        "month_end": month_end(filters.month),
        "window_start": months_before(filters.month, TREND_MONTHS - 1),
    }


def _query_place(
    ctes: str, filters: Filters, kode_desa: str | None, posyandu_id: str | None, order_by: str = ""
) -> pd.DataFrame:
    """Run `ctes` (ending in `final`) after the `place` CTE and return `final` in `order_by` order."""
    order = f"order by {order_by}" if order_by else ""
    return query(
        f"with {_PLACE},\n{ctes}\nselect * from final\n{order}",
        _params(filters, kode_desa, posyandu_id),
    )


def _of_place(alias: str) -> str:
    """Keeps a fact table's rows to the posyandu of the place."""
    return f"{alias}.posyandu_id in (select posyandu_id from place)"


def _in_trend_window(alias: str) -> str:
    """Keeps a monthly fact table's rows to the trend: the period and the months before it."""
    return f"{alias}.month between $window_start and $month"


def query_place_options(filters: Filters) -> pd.DataFrame:
    """What the search lists: kind ('desa'/'posyandu'), code, name, label, kode_kec, by name
    (case-insensitive), desa before posyandu of the same name; only places in the scope."""
    return query(
        f"""
        with desa as (
            select
                'desa' as kind,
                d.kode_desa as code,
                d.nama_desa as name,
                (case when d.jenis = 'kelurahan' then 'Kel. ' else 'Desa ' end) || d.nama_desa
                    || ' · Kec. ' || d.nama_kec as label,
                d.kode_kec
            from dim_desa as d
            where {kec_clause("d.kode_kec")}
        ),

        posyandu as (
            select
                'posyandu' as kind,
                p.posyandu_id as code,
                p.posyandu_name as name,
                'Posyandu ' || p.posyandu_name || ' · ' || coalesce(d.nama_desa, p.kode_desa) || ', '
                    || coalesce(d.nama_kec, p.kode_kec) as label,
                p.kode_kec
            from dim_posyandu as p
            left join dim_desa as d on d.kode_desa = p.kode_desa
            where {kec_clause("p.kode_kec")}
        ),

        final as (
            select * from desa
            union all
            select * from posyandu
        )

        select * from final
        order by lower(name), kind, lower(label), code
        """,
        filters.params(),
    )


def query_desa_profile(filters: Filters, kode_desa: str) -> pd.DataFrame:
    """One row (none when outside the scope): kode_desa, nama_desa, jenis, kode_kec, nama_kec,
    puskesmas (names, joined), posyandu, posyandu_balita."""
    return _query_place(
        f"""
        final as (
            select
                d.kode_desa,
                d.nama_desa,
                d.jenis,
                d.kode_kec,
                d.nama_kec,
                (
                    select string_agg(distinct p.puskesmas, ', ' order by p.puskesmas)
                    from dim_posyandu as p
                    where {_of_place("p")}
                ) as puskesmas,
                (select count(*) from place) as posyandu,
                (
                    select count(*)
                    from dim_posyandu as p
                    where {_of_place("p")} and p.is_balita
                ) as posyandu_balita
            from dim_desa as d
            where d.kode_desa = $kode_desa and {kec_clause("d.kode_kec")}
        )
        """,
        filters,
        kode_desa,
        None,
    )


def query_posyandu_profile(filters: Filters, posyandu_id: str) -> pd.DataFrame:
    """One row (none when outside the scope): the posyandu's master record (legality, SPM
    fields declared, puskesmas, strata and integration when the master has them) with its desa."""
    return _query_place(
        f"""
        final as (
            select
                p.posyandu_id,
                p.posyandu_name,
                p.legacy_type,
                p.is_balita,
                p.kode_desa,
                d.nama_desa,
                d.jenis,
                p.kode_kec,
                k.nama_kec,
                p.puskesmas,
                p.spm_fields,
                p.spm_field_count,
                p.musdes_date,
                p.sk_number,
                p.sk_date,
                p.kemendagri_reg_number,
                p.registration_status,
                p.is_registered,
                p.has_full_legality,
                p.master_date
            from dim_posyandu as p
            left join dim_desa as d on d.kode_desa = p.kode_desa
            left join dim_kecamatan as k on k.kode_kec = p.kode_kec
            where {_of_place("p")}
        )
        """,
        filters,
        None,
        posyandu_id,
    )


def query_place_posyandu(
    filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None
) -> pd.DataFrame:
    """One row per posyandu of the place, by name: posyandu_id, posyandu_name, registration_status,
    sk_number, kader_active (register, active in the period), spm_fields_served (this period's
    services), s, d (the period's monthly report), children, stunted (e-PPGBM, the period)."""
    return _query_place(
        f"""
        kader as (
            select k.posyandu_id, count(*) as kader_active
            from dim_kader as k
            where {_of_place("k")}
                and {active_kader_predicate("$month", "$month_end")}
            group by k.posyandu_id
        ),

        served as (
            select posyandu_id, count(*) filter (where is_served) as spm_fields_served
            from fct_spm_field_month
            where month = $month and posyandu_id in (select posyandu_id from place)
            group by posyandu_id
        ),

        report as (
            select posyandu_id, s, d
            from fct_posyandu_month
            where month = $month and posyandu_id in (select posyandu_id from place)
        ),

        stunting as (
            select area_code as posyandu_id, n_haz as children, stunted
            from mart_stunting_by_area_month
            where area_level = 'posyandu' and month = $month
        ),

        final as (
            select
                p.posyandu_id,
                p.posyandu_name,
                m.registration_status,
                m.sk_number,
                coalesce(k.kader_active, 0) as kader_active,
                sv.spm_fields_served,
                r.s,
                r.d,
                coalesce(st.children, 0) as children,
                coalesce(st.stunted, 0) as stunted
            from place as p
            inner join dim_posyandu as m using (posyandu_id)
            left join kader as k using (posyandu_id)
            left join served as sv using (posyandu_id)
            left join report as r using (posyandu_id)
            left join stunting as st using (posyandu_id)
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="lower(posyandu_name), posyandu_id",
    )


def query_place_kader_by_field(
    filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None
) -> pd.DataFrame:
    """One row per SPM field with kader in the place: spm_field, kader_active, pengurus (ketua,
    sekretaris, bendahara among them), posyandu_serving (posyandu declaring the field)."""
    return _query_place(
        f"""
        active as (
            select
                k.spm_field,
                count(*) as kader_active,
                count(*) filter (where k.role in ('Ketua', 'Sekretaris', 'Bendahara')) as pengurus
            from dim_kader as k
            where {_of_place("k")}
                and {active_kader_predicate("$month", "$month_end")}
            group by k.spm_field
        ),

        declared as (
            select field as spm_field, count(*) as posyandu_serving
            from (
                select unnest(p.spm_fields) as field
                from dim_posyandu as p
                where {_of_place("p")}
            )
            group by field
        ),

        final as (
            select
                spm_field,
                coalesce(a.kader_active, 0) as kader_active,
                coalesce(a.pengurus, 0) as pengurus,
                coalesce(d.posyandu_serving, 0) as posyandu_serving
            from active as a
            full outer join declared as d using (spm_field)
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="spm_field",
    )


def query_place_monthly(filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None) -> pd.DataFrame:
    """One row per month of the last 12 up to the period with a report: s, d (reports with both),
    kader_registered, kader_present (reports with both), posyandu_reporting."""
    return _query_place(
        f"""
        final as (
            select
                r.month,
                sum(r.s) filter (where r.s is not null and r.d is not null) as s,
                sum(r.d) filter (where r.s is not null and r.d is not null) as d,
                sum(r.kader_registered) filter (
                    where r.kader_registered is not null and r.kader_present is not null
                ) as kader_registered,
                sum(r.kader_present) filter (
                    where r.kader_registered is not null and r.kader_present is not null
                ) as kader_present,
                count(*) as posyandu_reporting
            from fct_posyandu_month as r
            where {_in_trend_window("r")}
                and {_of_place("r")}
            group by r.month
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="month",
    )


def query_place_stunting_trend(
    filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None
) -> pd.DataFrame:
    """One row per month of the last 12 up to the period with children measured in the place
    (the desa's or the posyandu's row of the prevalence mart): month, children (valid HAZ),
    stunted, stunting_prevalence, stunting_ci_low, stunting_ci_high (percent)."""
    return _query_place(
        f"""
        codes as (
            select posyandu_id as code from place where $posyandu_id is not null
            union all
            select distinct kode_desa from place where $posyandu_id is null
        ),

        final as (
            select
                m.month,
                m.n_haz as children,
                m.stunted,
                m.stunting_prevalence,
                m.stunting_ci_low,
                m.stunting_ci_high
            from mart_stunting_by_area_month as m
            where m.area_level = case when $posyandu_id is null then 'desa' else 'posyandu' end
                and m.area_code in (select code from codes)
                and {_in_trend_window("m")}
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="month",
    )


def query_place_legality_history(
    filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None
) -> pd.DataFrame:
    """One row per month of the last 12 up to the period: posyandu of the place by registration
    status at the month end (belum, diajukan, terverifikasi, teregistrasi), has_sk, snapshot_date."""
    return _query_place(
        f"""
        final as (
            select
                l.month,
                count(*) filter (where l.registration_status = 'belum') as belum,
                count(*) filter (where l.registration_status = 'diajukan') as diajukan,
                count(*) filter (where l.registration_status = 'terverifikasi') as terverifikasi,
                count(*) filter (where l.registration_status = 'teregistrasi') as teregistrasi,
                count(*) filter (where l.has_sk) as has_sk,
                count(*) as posyandu,
                max(l.snapshot_date) as snapshot_date
            from fct_posyandu_legality_month as l
            where {_in_trend_window("l")}
                and {_of_place("l")}
            group by l.month
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="month",
    )


def query_place_spm_services(
    filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None
) -> pd.DataFrame:
    """One row per SPM field in the period: spm_field, field_order, posyandu_declaring, posyandu_serving
    (reported a service this month), indicators_served (summed over posyandu)."""
    return _query_place(
        f"""
        final as (
            select
                f.spm_field,
                min(f.field_order) as field_order,
                count(*) filter (where f.is_declared) as posyandu_declaring,
                count(*) filter (where f.is_served) as posyandu_serving,
                coalesce(sum(f.indicators_served), 0) as indicators_served
            from fct_spm_field_month as f
            where f.month = $month
                and {_of_place("f")}
            group by f.spm_field
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="field_order",
    )


def query_place_visits(filters: Filters, kode_desa: str | None = None, posyandu_id: str | None = None) -> pd.DataFrame:
    """Mentoring visits to the place up to the period's end, newest first: visited_on, team,
    topic, posyandu_id, posyandu_name (empty for a visit to the desa as a whole)."""
    return _query_place(
        f"""
        final as (
            select
                v.visited_on,
                v.team,
                v.topic,
                v.posyandu_id,
                p.posyandu_name,
                v.kode_desa
            from fct_mentoring_visit as v
            left join place as p using (posyandu_id)
            where v.visited_on <= $month_end
                and {kec_clause("v.kode_kec")}
                and (
                    ($posyandu_id is not null and v.posyandu_id = $posyandu_id)
                    or ($posyandu_id is null and v.kode_desa = $kode_desa)
                )
                and (v.posyandu_id is null or {_of_place("v")})
        )
        """,
        filters,
        kode_desa,
        posyandu_id,
        order_by="visited_on desc, team",
    )
