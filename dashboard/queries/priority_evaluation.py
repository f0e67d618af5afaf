"""Inputs of the prioritisation evaluation: per kecamatan and month, the counts behind stunting,
kader participation and legality (the priority marking itself lives in the follow-up store)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, month_end
from dashboard.queries.priority import query_area_indicators, scope_params


def query_legality_by_month(filters: Filters, month: date | None = None) -> pd.DataFrame:
    """kode_kec, posyandu, legal: posyandu in the master and those with a musdes and an SK pembentukan
    dated on or before the month's end (the legality steps that carry a date)."""
    return query(
        f"""
        with final as (
            select
                kode_kec,
                count(*) as posyandu,
                count(*) filter (
                    where musdes_date <= $month_end and sk_date <= $month_end and sk_number is not null
                ) as legal
            from dim_posyandu
            where {kec_clause("kode_kec")}
            group by kode_kec
        )

        select * from final order by kode_kec
        """,
        {**scope_params(filters), "month_end": month_end(month or filters.month)},
    )


def query_evaluation_counts(filters: Filters, month: date | None = None) -> pd.DataFrame:
    """One row per kecamatan in the user's scope: code, children, stunted, kader_present,
    kader_registered, posyandu, legal for ``month``."""
    indicators = query_area_indicators(filters, "kecamatan", month)
    month = month or filters.month
    legality = query_legality_by_month(filters, month).rename(columns={"kode_kec": "code"})
    frame = indicators[["code", "name", "children", "stunted", "kader_present", "kader_registered"]].merge(
        legality, on="code", how="left"
    )
    for column in ("posyandu", "legal"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame
