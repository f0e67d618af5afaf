"""Places a follow-up can name (desa, posyandu) within the user's scope."""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, posyandu_clause


def query_posyandu_choices(filters: Filters) -> pd.DataFrame:
    """posyandu_id, posyandu_name, kode_desa, nama_desa, kode_kec of every posyandu the user may see."""
    return query(
        f"""
        select
            p.posyandu_id,
            p.posyandu_name,
            p.kode_desa,
            d.nama_desa,
            p.kode_kec
        from dim_posyandu as p
        left join dim_desa as d on d.kode_desa = p.kode_desa
        where {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        order by lower(d.nama_desa), lower(p.posyandu_name), p.posyandu_id
        """,
        filters.params(),
    )
