"""Two writers at once lose nothing; a writer killed mid-loop leaves a consistent file;
a backup taken while someone writes is a complete, checked copy."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard.followup.backup import backup_store
from dashboard.followup.store import Actor, FollowupStore, RecommendationDraft

REPO = Path(__file__).resolve().parents[3]
EDITS = 40


def worker(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.followup_worker", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_consistent(path: Path) -> sqlite3.Connection:
    """integrity_check ok, and every recommendation has exactly versions 1..v in its history."""
    con = sqlite3.connect(path)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("pragma foreign_key_check").fetchall() == []
    broken = con.execute(
        """
        select r.id, r.version, count(h.id), min(h.version), max(h.version)
        from recommendation r left join recommendation_history h on h.recommendation_id = r.id
        group by r.id, r.version
        having count(h.id) != r.version or min(h.version) != 1 or max(h.version) != r.version
        """
    ).fetchall()
    assert broken == []
    orphans = con.execute(
        "select count(*) from recommendation_history where recommendation_id not in (select id from recommendation)"
    ).fetchone()[0]
    assert orphans == 0
    return con


def test_two_processes_editing_one_item_lose_no_edit(tmp_path):
    path = tmp_path / "tindak_lanjut.sqlite"
    store = FollowupStore(path)
    shared = store.create(Actor("kabid"), RecommendationDraft("64.02.06", "Bersama", "Tim 1", dt.date(2026, 1, 31)))
    writers = [worker("shared", str(path), tag, str(EDITS), str(shared.id)) for tag in ("A", "B")]
    outputs = [w.communicate(timeout=300) for w in writers]
    for w, (_out, err) in zip(writers, outputs, strict=True):
        assert w.returncode == 0, err
    final = store.get(Actor("kabid"), shared.id)
    # every read-modify-write of both writers is in the note: none overwrote another
    for tag in ("A", "B"):
        for i in range(EDITS):
            assert f"{tag}{i};" in final.note
    assert final.version == 1 + 2 * EDITS
    assert len(store.recommendations(Actor("kabid"))) == 1 + 2 * EDITS
    assert_consistent(path).close()
    print(f"stale-version refusals retried: {[int(out) for out, _ in outputs]}")


def test_two_threads_in_one_process_lose_no_edit(tmp_path):
    """The same, as two Streamlit sessions of one server would write (threads)."""
    from tests.support.followup_worker import append_to_shared

    store = FollowupStore(path := tmp_path / "tindak_lanjut.sqlite")
    shared = store.create(Actor("kabid"), RecommendationDraft("64.02.06", "Bersama", "Tim 1", dt.date(2026, 1, 31)))
    errors: list[BaseException] = []

    def run(tag: str) -> None:
        try:
            append_to_shared(FollowupStore(path), Actor(tag), shared.id, tag, EDITS)
        except BaseException as error:  # reported below; a thread would swallow it
            errors.append(error)

    threads = [threading.Thread(target=run, args=(tag,)) for tag in ("S1", "S2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = store.get(Actor("kabid"), shared.id)
    assert sorted(final.note.rstrip(";").split(";")) == sorted(f"{t}{i}" for t in ("S1", "S2") for i in range(EDITS))
    assert_consistent(path).close()


def _count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("select count(*) from recommendation").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        con.close()


def test_killed_writer_leaves_a_consistent_file(tmp_path):
    path = tmp_path / "tindak_lanjut.sqlite"
    FollowupStore(path).create(Actor("kabid"), RecommendationDraft("64.02.06", "Awal", "Tim 1", dt.date(2026, 1, 1)))
    killed_at = []
    for _ in range(3):  # three kills at whatever point the loop is in
        before = _count(path)
        child = worker("churn", str(path))
        deadline = time.monotonic() + 120
        while _count(path) < before + 15 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert child.poll() is None, child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        killed_at.append(_count(path))
        assert_consistent(path).close()
    # still writable afterwards, and the counts only grew
    store = FollowupStore(path)
    store.create(Actor("kabid"), RecommendationDraft("64.02.06", "Sesudah", "Tim 1", dt.date(2026, 1, 1)))
    assert killed_at == sorted(killed_at) and _count(path) == killed_at[-1] + 1
    con = assert_consistent(path)
    statuses = dict(con.execute("select status, count(*) from recommendation group by status").fetchall())
    con.close()
    print(f"rows after each kill: {killed_at}; statuses {statuses}")


def test_backup_while_writing(tmp_path):
    path = tmp_path / "tindak_lanjut.sqlite"
    store = FollowupStore(path)
    actor = Actor("kabid")
    for i in range(20):
        store.create(actor, RecommendationDraft("64.02.06", f"item {i}", "Tim 1", dt.date(2026, 1, 1)))
    child = worker("churn", str(path))
    try:
        while _count(path) < 30 and child.poll() is None:
            time.sleep(0.05)
        result = backup_store(path, tmp_path / "backups")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert result.integrity == "ok"
    assert result.path.parent == tmp_path / "backups" and result.path.name.startswith("tindak_lanjut-")
    assert result.recommendations >= 30
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [result.path.name]  # no partial file left
    copy = assert_consistent(result.path)
    assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"
    copy.close()
    restored = FollowupStore(result.path).recommendations(actor)
    assert {f"item {i}" for i in range(20)} <= {r.text for r in restored}
