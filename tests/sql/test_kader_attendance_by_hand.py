"""mart_kader_by_posyandu_month divides kader present by hari buka only for a posyandu that opened
more than once; a month it did not open keeps the reported figure and has no participation."""

from __future__ import annotations

from datetime import date

from tests.support.sql_models import DESA, build_models, fetch_dicts


def test_a_month_not_opened_keeps_the_reported_kader_and_has_no_participation():
    con = build_models(
        posyandu=[
            {"posyandu_id": p, "posyandu_name": p, "kode_kec": DESA[:8], "kode_desa": DESA, "legacy_type": "Balita"}
            for p in ("P1", "P2", "P3")
        ],
        monthly_report=[
            # not opened, yet 12 present of 10 registered (an inconsistent report, kept as reported)
            {
                "posyandu_id": "P1",
                "month": date(2025, 10, 1),
                "days_open": 0,
                "kader_registered": 10,
                "kader_present": 12,
            },
            # opened once: 12 of 10 is taken as it stands (nothing to divide by)
            {
                "posyandu_id": "P2",
                "month": date(2025, 10, 1),
                "days_open": 1,
                "kader_registered": 10,
                "kader_present": 12,
            },
            # opened twice: 24 of 10 can only be a sum over the days → 12 a day
            {
                "posyandu_id": "P3",
                "month": date(2025, 10, 1),
                "days_open": 2,
                "kader_registered": 10,
                "kader_present": 24,
            },
        ],
    )
    rows = fetch_dicts(con, "select posyandu_id, kader_present, participation from mart_kader_by_posyandu_month")
    by_id = {r["posyandu_id"]: (r["kader_present"], r["participation"]) for r in rows}
    assert by_id == {"P1": (12, None), "P2": (12, 1.2), "P3": (12, 1.2)}
