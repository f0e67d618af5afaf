"""Peta: posyandu points with their registration status."""

from __future__ import annotations

import pandas as pd

from dashboard.db import query
from dashboard.filters import Filters, kec_clause, posyandu_clause


def query_posyandu_points(filters: Filters) -> pd.DataFrame:
    """One row per posyandu in the chosen area: name, desa, registration status, lat/lon."""
    return query(
        f"""
        select
            p.posyandu_id,
            p.posyandu_name,
            d.nama_desa,
            p.kode_kec,
            p.registration_status,
            p.is_registered,
            p.lat,
            p.lon
        from dim_posyandu as p
        left join dim_desa as d using (kode_desa)
        where {kec_clause("p.kode_kec")} and {posyandu_clause("p.posyandu_id")}
        order by p.posyandu_id
        """,
        filters.params(),
    )
