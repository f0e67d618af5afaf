"""Where the login throttle keeps its counts of wrong passwords.

`make serve` runs several Streamlit processes behind nginx. Counted in each process's
memory, a guesser would get the free attempts and delays once per process (and nginx spreads
new browsers over them), so the counts live in one small SQLite file beside the login
secrets, which every process of the checkout opens. SQLite serialises writers with a file
lock, so two processes failing at once both count. The clock is wall time, shared by the
processes (a monotonic clock is not).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

Key = tuple[str, str]  # ("account" | "address", value)


class MemoryFailures:
    """Counts in this process only (tests, and when the shared file cannot be written)."""

    def __init__(self) -> None:
        self._rows: dict[Key, tuple[int, float]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[dict[Key, tuple[int, float]]]:
        with self._lock:
            yield self._rows


class _SqliteRows:
    """The dict operations the throttle uses, on the failures table inside one transaction."""

    def __init__(self, con: sqlite3.Connection):
        self._con = con

    def get(self, key: Key, default: tuple[int, float] = (0, 0.0)) -> tuple[int, float]:
        row = self._con.execute("select count, last from failure where kind = ? and value = ?", key).fetchone()
        return (int(row[0]), float(row[1])) if row else default

    def __setitem__(self, key: Key, count_last: tuple[int, float]) -> None:
        self._con.execute(
            "insert into failure (kind, value, count, last) values (?, ?, ?, ?) "
            "on conflict (kind, value) do update set count = excluded.count, last = excluded.last",
            (*key, *count_last),
        )

    def pop(self, key: Key, default: object = None) -> object:
        self._con.execute("delete from failure where kind = ? and value = ?", key)
        return default


class SqliteFailures:
    """Counts shared by every process that opens `path` (created private, mode 600)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # usernames and addresses: not for others
        os.close(fd)
        with self._connect() as con:
            con.execute(
                "create table if not exists failure "
                "(kind text not null, value text not null, count integer not null, last real not null, "
                "primary key (kind, value))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10.0, isolation_level=None)

    @contextmanager
    def transaction(self) -> Iterator[_SqliteRows]:
        con = self._connect()
        try:
            con.execute("begin immediate")  # one writer at a time across processes
            try:
                yield _SqliteRows(con)
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")
        finally:
            con.close()
