"""A warehouse rebuild in the same data/ folder never touches the follow-up file,
even while the app holds it open and someone writes during the build."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading

from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft
from etl.build import build_warehouse
from etl.config import EtlConfig

KAB = Actor("kabid")


def dump(path) -> str:
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def test_rebuild_leaves_the_store_intact(sample_dir, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    store = FollowupStore(data / "tindak_lanjut.sqlite")
    first = store.create(KAB, RecommendationDraft("64.02.06", "Sebelum build", "Dinkes", dt.date(2026, 1, 1)))
    store.update(KAB, first.id, 1, status="dalam proses")
    store.mark_priority(KAB, "64.02.06", dt.date(2025, 6, 1))
    config = EtlConfig(source_dir=sample_dir, db_path=data / "warehouse.duckdb", secret_path=tmp_path / "key")
    build_warehouse(config)
    before = dump(store.path)
    reader = sqlite3.connect(store.path)  # the app's open connection during the rebuild
    reader.execute("begin")
    reader.execute("select count(*) from recommendation").fetchone()

    written: list[int] = []
    done = threading.Event()

    def write_during_build() -> None:
        while not done.is_set() and len(written) < 200:
            rec = store.create(KAB, RecommendationDraft("64.02.07", "Selama build", "Tim 2", dt.date(2026, 2, 1)))
            written.append(rec.id)

    writer = threading.Thread(target=write_during_build)
    writer.start()
    try:
        build_warehouse(config)  # the rebuild: a new file swapped over data/warehouse.duckdb
    finally:
        done.set()
        writer.join()
        reader.execute("rollback")
        reader.close()

    assert written, "no write happened during the rebuild"
    con = sqlite3.connect(store.path)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from recommendation").fetchone()[0] == 1 + len(written)
    con.close()
    kept = store.get(KAB, first.id)
    assert (kept.text, kept.status, kept.version) == ("Sebelum build", "dalam proses", 2)
    assert [m.kode_kec for m in store.priority_markings(KAB)] == ["64.02.06"]
    # without the writes of the test, the file is byte-for-byte the same content as before
    con = sqlite3.connect(store.path)
    con.execute(
        "delete from recommendation_history where recommendation_id in (select id from recommendation where text = 'Selama build')"
    )
    con.execute("delete from recommendation where text = 'Selama build'")
    con.commit()
    con.close()
    assert dump(store.path) == before
