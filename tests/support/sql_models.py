"""Run every SQL model of etl/sql/ in an in-memory DuckDB over a few hand-written staging
rows, so a model's numbers can be compared with results worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from etl.load import PREVALENCE_MART, PYTHON_MODELS, _write_prevalence_mart, _write_reference, _write_staging
from etl.models import SQL_DIR, ordered_models
from etl.registers import REGISTERS

KEC = "64.02.01"
DESA = "64.02.01.2001"
OTHER_KEC = "64.02.02"
OTHER_DESA = "64.02.02.2001"
OCTOBER = date(2025, 10, 1)
NOVEMBER = date(2025, 11, 1)


def posyandu(posyandu_id: str, kode_desa: str, legacy_type: str = "Balita") -> dict[str, Any]:
    """A master posyandu row in a desa (its kecamatan read off the desa code)."""
    return {
        "posyandu_id": posyandu_id,
        "posyandu_name": f"Posyandu {posyandu_id}",
        "kode_kec": kode_desa[:8],
        "kode_desa": kode_desa,
        "legacy_type": legacy_type,
    }


def measurement(child: str, measured_on: date, **values: Any) -> dict[str, Any]:
    """One transformed e-PPGBM row (what stg_eppgbm holds): plausible defaults, then `values`."""
    row: dict[str, Any] = {
        "child_key": child,
        "kode_kec": KEC,
        "kode_desa": DESA,
        "puskesmas": "Puskesmas Uji",
        "posyandu_name": "Posyandu Uji",
        "posyandu_id": "P1",
        "measured_on": measured_on,
        "month": measured_on.replace(day=1),
        "age_days": 400,
        "age_months": 13,
        "sex": 1,
        "weight_kg": 9.5,
        "height_cm": 75.2,
        "measure": "L",
        "muac_cm": None,
        "weight_gain": "N",
        "haz": 0.0,
        "waz": 0.0,
        "whz": 0.0,
        "bmiz": 0.0,
        "haz_flag": 0,
        "waz_flag": 0,
        "whz_flag": 0,
        "bmiz_flag": 0,
        "position_error": False,
        "export_haz": None,
        "export_waz": None,
        "export_whz": None,
        "_file": "tangan.csv",
        "_row": 1,
    }
    unknown = set(values) - set(row)
    if unknown:
        raise KeyError(f"not a stg_eppgbm column: {sorted(unknown)}")
    row.update(values)
    return row


def build_models(path: str = ":memory:", **rows: list[dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    """A warehouse (in memory, or the file `path`): reference areas, stg_<register> from `rows`
    (register name → list of row dicts; registers not given stay empty) and every model, in
    build order."""
    unknown = set(rows) - {r.name for r in REGISTERS}
    if unknown:
        raise KeyError(f"not a register: {sorted(unknown)}")
    con = duckdb.connect(path)
    _write_reference(con)
    for register in REGISTERS:
        given = rows.get(register.name)
        _write_staging(con, register, pd.DataFrame(given) if given else None)
    for model in ordered_models(SQL_DIR, PYTHON_MODELS):  # as etl/load.py builds them
        if model.name == PREVALENCE_MART:
            _write_prevalence_mart(con)
        else:
            con.execute(f"create or replace table {model.name} as {model.path.read_text()}")
    return con


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
