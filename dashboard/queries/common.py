"""Queries every page needs: periods, kecamatan list, which registers were loaded."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.db import query


def query_months() -> list[date]:
    frame = query(
        """
        select distinct month from (
            select month from fct_posyandu_month
            union all
            select month from mart_stunting_by_area_month
        )
        where month is not null
        order by month
        """
    )
    return [pd.Timestamp(m).date() for m in frame["month"]]


def query_kecamatan() -> pd.DataFrame:
    """Every kecamatan, by name (case-insensitive, as a reader looks one up), not by code."""
    return query("select kode_kec, nama_kec from dim_kecamatan order by lower(nama_kec), kode_kec")


def query_puskesmas_list() -> pd.DataFrame:
    """puskesmas, kode_kec, nama_kec: every puskesmas named in the posyandu master, by name.
    A puskesmas serves the posyandu of one kecamatan; one serving several is listed once per kecamatan."""
    return query(
        """
        select distinct p.puskesmas, p.kode_kec, k.nama_kec
        from dim_posyandu as p
        inner join dim_kecamatan as k using (kode_kec)
        where p.puskesmas is not null
        order by lower(p.puskesmas), lower(k.nama_kec)
        """
    )


def query_desa_list() -> pd.DataFrame:
    """kode_desa, nama_desa, jenis, kode_kec, puskesmas (a list: those serving its posyandu, per
    the posyandu master; empty for a desa without posyandu): every desa/kelurahan, by name."""
    return query(
        """
        select
            d.kode_desa,
            d.nama_desa,
            d.jenis,
            d.kode_kec,
            coalesce(
                list(distinct p.puskesmas order by p.puskesmas) filter (where p.puskesmas is not null),
                []
            ) as puskesmas
        from dim_desa as d
        left join dim_posyandu as p using (kode_desa)
        group by d.kode_desa, d.nama_desa, d.jenis, d.kode_kec
        order by lower(d.nama_desa), d.kode_desa
        """
    )


def query_loaded_registers() -> set[str]:
    frame = query("select register from etl_register_load where rows_loaded > 0")
    return set(frame["register"])


def query_data_as_of() -> date | None:
    """Latest measurement or report date in the warehouse ("data per …")."""
    frame = query(
        """
        select max(d) as d from (
            select max(measured_on) as d from fct_measurement
            union all
            select max(last_day(month)) from fct_posyandu_month
        )
        """
    )
    value = frame.iloc[0, 0]
    return None if pd.isna(value) else pd.Timestamp(value).date()
