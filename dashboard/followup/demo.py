"""Example recommendations for a demo on the bundled sample: two earlier rapat, items done,
overdue and still open.

Every date is counted from `today` (injected; the CLI uses the store's clock), never fixed,
so the mix of done / overdue / open is the same whichever day the demo is given: a sample
whose due dates were fixed in 2025 would show every item overdue a year later. Items are
created on their rapat's day and closed on their closing day through a store whose clock is
moved along, so the history reads as it would have happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dashboard.followup.store import WITA, Actor, FollowupError, FollowupStore, RecommendationDraft

EARLIER_RAPAT_DAYS_AGO = 91
LAST_RAPAT_DAYS_AGO = 28
DEMO_USER = "contoh"


@dataclass(frozen=True)
class DemoItem:
    """One recommendation: decided `rapat_days_ago`, due `due_in_days` from today (negative:
    already past); `final_status` set `changed_days_ago` days ago (None: left as decided)."""

    kode_kec: str
    text: str
    pic: str
    rapat_days_ago: int
    due_in_days: int
    indicator: str | None = None
    final_status: str | None = None
    changed_days_ago: int = 0
    note: str = ""


DEMO_ITEMS: tuple[DemoItem, ...] = (
    # earlier rapat: mostly settled by now
    DemoItem("64.02.12", "Pelatihan kader gizi balita untuk posyandu di Tabang", "Dinkes", 91, -45, "stunting_pct",
             "selesai", 50, "Pelatihan 2 hari, 38 kader hadir"),
    DemoItem("64.02.01", "Musyawarah desa pembentukan posyandu terintegrasi", "DPMD", 91, -30, "registered_pct",
             "selesai", 33),
    DemoItem("64.02.18", "Pendataan ulang balita sasaran (S) bersama bidan desa", "Puskesmas Muara Wis", 91, -20,
             "ds_pct", "dibatalkan", 60, "Digabung dengan pendataan serentak Dinkes"),
    DemoItem("64.02.09", "SK pembentukan posyandu yang belum ada di Kenohan", "Camat Kenohan", 91, -14,
             "registered_pct"),
    # last rapat: some done, some late, some still running
    DemoItem("64.02.10", "PMT lokal untuk balita gizi kurang di Kembang Janggut", "Dinkes", 28, -7, "stunting_pct"),
    DemoItem("64.02.11", "Pendampingan registrasi Kemendagri posyandu yang sudah ber-SK", "Tim Pendamping 8", 28, -3,
             "registered_pct", "selesai", 5),
    DemoItem("64.02.06", "Jadwal hari buka posyandu diumumkan lewat kelurahan", "DPMD", 28, -2, "ds_pct"),
    DemoItem("64.02.16", "Insentif kader dianggarkan dalam APBDes perubahan", "DPMD", 28, 14, "kader_pct",
             "dalam proses", 10, "Rancangan sudah dibahas di dua desa"),
    DemoItem("64.02.05", "Kunjungan rumah balita yang tidak datang dua bulan", "Tim Pendamping 5", 28, 21, "ds_pct"),
    DemoItem("64.02.13", "Bidang SPM pendidikan: PAUD hadir di hari buka posyandu", "Disdikbud", 28, 35, None),
)  # fmt: skip


class DemoRefused(FollowupError):
    pass


class _MovableClock:
    """A clock the demo sets to each day it writes on (09.00 WITA)."""

    def __init__(self, day: dt.date):
        self.day = day

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(9, 0), tzinfo=WITA)


def seed_demo(path: Path, today: dt.date, items: tuple[DemoItem, ...] = DEMO_ITEMS) -> int:
    """Write the example rapat and recommendations into an empty store; return how many.

    A store that already holds recommendations is refused: example items never mix with
    real decisions."""
    clock = _MovableClock(today)
    store = FollowupStore(path, clock=clock)
    actor = Actor(DEMO_USER)
    if store.recommendations(actor):
        raise DemoRefused("Berkas tindak lanjut sudah berisi rekomendasi; contoh hanya diisikan ke berkas kosong.")
    for days_ago in sorted({item.rapat_days_ago for item in items}, reverse=True):
        clock.day = today - dt.timedelta(days=days_ago)
        store.record_rapat(actor, clock.day)
    for item in sorted(items, key=lambda i: -i.rapat_days_ago):
        rapat = today - dt.timedelta(days=item.rapat_days_ago)
        clock.day = rapat
        saved = store.create(
            actor,
            RecommendationDraft(
                kode_kec=item.kode_kec,
                text=item.text,
                pic=item.pic,
                due_date=today + dt.timedelta(days=item.due_in_days),
                indicator=item.indicator,
                rapat_date=rapat,
            ),
        )
        if item.final_status is not None:
            clock.day = max(rapat, today - dt.timedelta(days=item.changed_days_ago))
            store.update(actor, saved.id, saved.version, status=item.final_status, note=item.note)
    return len(items)
