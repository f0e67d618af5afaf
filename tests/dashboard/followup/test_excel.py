"""Excel export of recommendations: Indonesian headers, dates and numbers as real cells."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from dashboard.followup.excel import COLUMNS, history_frame, recommendations_frame, recommendations_xlsx
from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft


def test_workbook_has_real_dates_and_numbers(tmp_path):
    store = FollowupStore(tmp_path / "t.sqlite", clock=lambda: dt.datetime(2025, 11, 3, 2, 30, tzinfo=dt.UTC))
    actor = Actor("kabid")
    rec = store.create(
        actor,
        RecommendationDraft(
            "64.02.06",
            '=HYPERLINK("x")',
            "Dinkes",
            dt.date(2025, 10, 31),
            rapat_date=dt.date(2025, 10, 6),
            indicator="stunting_pct",
        ),
    )
    store.update(actor, rec.id, 1, status="selesai")
    frame = recommendations_frame(
        store.recommendations(actor), {"64.02.06": "Tenggarong"}, dt.date(2025, 11, 3), {"stunting_pct": "Stunting"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(recommendations_xlsx(frame, "Tindak lanjut", "sumber"))).active
    header = [c.value for c in sheet[4]]
    assert header == list(COLUMNS.values())
    row = {h: c for h, c in zip(header, sheet[5], strict=True)}
    assert row["Nomor"].value == 1 and row["Versi"].value == 2
    assert row["Tenggat"].value == dt.datetime(2025, 10, 31) and row["Tenggat"].number_format == "dd/mm/yyyy"
    assert row["Dicatat pada (WITA)"].value == dt.datetime(2025, 11, 3, 10, 30)  # 02.30 UTC = 10.30 WITA
    assert row["Tanggal ditutup"].value == dt.datetime(2025, 11, 3)
    assert row["Kecamatan"].value == "Tenggarong" and row["Indikator"].value == "Stunting"
    assert row["Rekomendasi"].value.startswith("'=")  # never run as a formula
    assert row["Terlambat"].value == "Tidak"  # closed, so not overdue
    history = history_frame(store.history(actor, rec.id))
    assert list(history["Tindakan"]) == ["dibuat", "diubah"] and list(history["Status"]) == ["terbuka", "selesai"]
