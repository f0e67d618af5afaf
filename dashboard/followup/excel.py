"""Recommendations as a table with Indonesian headers, and as an Excel workbook
(numbers and dates as real cells, through the dashboard's one spreadsheet writer)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.export.tables import table_to_xlsx
from dashboard.followup.store import WITA, HistoryEntry, Recommendation

COLUMNS = {
    "id": "Nomor",
    "kecamatan": "Kecamatan",
    "kode_desa": "Kode desa/kelurahan",
    "posyandu_id": "Posyandu",
    "indicator": "Indikator",
    "rapat_date": "Tanggal rapat",
    "text": "Rekomendasi",
    "pic": "Penanggung jawab (PIC)",
    "due_date": "Tenggat",
    "status": "Status",
    "overdue": "Terlambat",
    "closed_on": "Tanggal ditutup",
    "note": "Catatan",
    "created_by": "Dicatat oleh",
    "created_at": "Dicatat pada (WITA)",
    "updated_by": "Terakhir diubah oleh",
    "updated_at": "Terakhir diubah (WITA)",
    "version": "Versi",
}


def _local(stamp: dt.datetime | None) -> pd.Timestamp | None:
    return None if stamp is None else pd.Timestamp(stamp.astimezone(WITA).replace(tzinfo=None))


def _day(value: dt.date | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def recommendations_frame(
    recommendations: list[Recommendation],
    names: dict[str, str],
    today: dt.date,
    indicator_labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per recommendation, Indonesian headers; dates as datetime64 (real Excel dates)."""
    labels = indicator_labels or {}
    rows = [
        {
            "id": rec.id,
            "kecamatan": names.get(rec.kode_kec, rec.kode_kec),
            "kode_desa": rec.kode_desa or "",
            "posyandu_id": rec.posyandu_id or "",
            "indicator": labels.get(rec.indicator, rec.indicator) if rec.indicator else "",
            "rapat_date": _day(rec.rapat_date),
            "text": rec.text,
            "pic": rec.pic,
            "due_date": _day(rec.due_date),
            "status": rec.status,
            "overdue": rec.is_overdue(today),
            "closed_on": _day(rec.closed_on),
            "note": rec.note,
            "created_by": rec.created_by,
            "created_at": _local(rec.created_at),
            "updated_by": rec.updated_by,
            "updated_at": _local(rec.updated_at),
            "version": rec.version,
        }
        for rec in recommendations
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("rapat_date", "due_date", "closed_on", "created_at", "updated_at"):
        frame[column] = pd.to_datetime(frame[column])
    frame["id"] = frame["id"].astype("int64")
    frame["version"] = frame["version"].astype("int64")
    frame["overdue"] = frame["overdue"].astype(bool)
    return frame.rename(columns=COLUMNS)


def history_frame(entries: list[HistoryEntry]) -> pd.DataFrame:
    """Who changed what when, one row per version."""
    frame = pd.DataFrame(
        [
            {
                "Versi": e.version,
                "Tindakan": e.action,
                "Oleh": e.changed_by,
                "Waktu (WITA)": _local(e.changed_at),
                "Status": e.snapshot.status,
                "PIC": e.snapshot.pic,
                "Tenggat": _day(e.snapshot.due_date),
                "Rekomendasi": e.snapshot.text,
                "Catatan": e.snapshot.note,
            }
            for e in entries
        ],
        columns=["Versi", "Tindakan", "Oleh", "Waktu (WITA)", "Status", "PIC", "Tenggat", "Rekomendasi", "Catatan"],
    )
    for column in ("Waktu (WITA)", "Tenggat"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def recommendations_xlsx(frame: pd.DataFrame, title: str, note: str) -> bytes:
    """The frame of recommendations_frame as a formatted workbook; dates d/m/yyyy so they sort and filter."""
    formats = {COLUMNS[c]: "dd/mm/yyyy" for c in ("rapat_date", "due_date", "closed_on")} | {
        COLUMNS[c]: "dd/mm/yyyy hh:mm" for c in ("created_at", "updated_at")
    }
    return table_to_xlsx(frame, title, note, column_formats=formats)
