"""Kader per SPM field: a kader serves one field; a posyandu that serves a field needs a kader for it."""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, month_end, posyandu_clause
from etl.registers import SPM_FIELDS


def query_kader_by_spm_field(filters: Filters) -> pd.DataFrame:
    """One row per kecamatan in view and SPM field: kader_active (active in the month),
    posyandu_serving (the field is among the posyandu's SPM fields) and posyandu_without_kader
    (serving the field with no active kader of that field)."""
    return query(
        f"""
        with posyandu as (
            select posyandu_id, kode_kec, spm_fields
            from dim_posyandu
            where {kec_clause("kode_kec")} and {posyandu_clause()}
        ),

        fields as (
            select unnest($fields::varchar[]) as spm_field
        ),

        active as (
            select k.posyandu_id, k.spm_field, count(*) as kader_active
            from dim_kader as k
            where coalesce(k.active_from, date '1900-01-01') <= $month_end
                and (k.active_to is null or k.active_to >= $month)
            group by 1, 2
        ),

        per_posyandu as (
            select
                p.kode_kec,
                f.spm_field,
                p.posyandu_id,
                list_contains(p.spm_fields, f.spm_field) as serves,
                coalesce(a.kader_active, 0) as kader_active
            from posyandu as p
            cross join fields as f
            left join active as a on a.posyandu_id = p.posyandu_id and a.spm_field = f.spm_field
        ),

        final as (
            select
                pp.kode_kec,
                k.nama_kec,
                pp.spm_field,
                sum(pp.kader_active) as kader_active,
                count(*) filter (where pp.serves) as posyandu_serving,
                count(*) filter (where pp.serves and pp.kader_active = 0) as posyandu_without_kader
            from per_posyandu as pp
            inner join dim_kecamatan as k using (kode_kec)
            group by all
        )

        select * from final order by kode_kec, spm_field
        """,
        {**filters.params(), "fields": list(SPM_FIELDS), "month_end": month_end(filters.month)},
    )
