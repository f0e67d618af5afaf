"""Numbered schema migrations of the follow-up store (PRAGMA user_version).

Each migration is a tuple of statements applied in one BEGIN IMMEDIATE transaction
together with the new user_version, so a killed process leaves either the old schema or
the new one, and two processes opening a fresh file at once migrate it only once.
Never edit a migration that has shipped: append a new one.
"""

from __future__ import annotations

import sqlite3

STATUSES = ("terbuka", "dalam proses", "selesai", "dibatalkan")
OPEN_STATUSES = ("terbuka", "dalam proses")

_STATUS_CHECK = "status in ('terbuka', 'dalam proses', 'selesai', 'dibatalkan')"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: recommendations, their history, the rapat they came from, priority markings
    (
        """
        create table rapat (
            held_on text primary key,          -- ISO date of the rapat koordinasi
            title text not null,
            created_by text not null,
            created_at text not null
        )
        """,
        f"""
        create table recommendation (
            id integer primary key,
            kode_kec text not null,
            kode_desa text,
            posyandu_id text,
            indicator text,                    -- scorecard indicator key, when raised from a cell
            rapat_date text,                   -- the rapat that decided it (ISO date)
            text text not null check (length(trim(text)) > 0),
            pic text not null check (length(trim(pic)) > 0),
            due_date text not null,
            status text not null check ({_STATUS_CHECK}),
            note text not null default '',
            closed_on text,                    -- date it became selesai or dibatalkan
            created_by text not null,
            created_at text not null,
            updated_by text not null,
            updated_at text not null,
            version integer not null check (version >= 1)
        )
        """,
        "create index recommendation_kec on recommendation (kode_kec)",
        "create index recommendation_rapat on recommendation (rapat_date)",
        f"""
        create table recommendation_history (
            id integer primary key,
            recommendation_id integer not null references recommendation (id),
            version integer not null,
            action text not null check (action in ('dibuat', 'diubah')),
            changed_by text not null,
            changed_at text not null,
            kode_kec text not null,
            kode_desa text,
            posyandu_id text,
            indicator text,
            rapat_date text,
            text text not null,
            pic text not null,
            due_date text not null,
            status text not null check ({_STATUS_CHECK}),
            note text not null,
            unique (recommendation_id, version)
        )
        """,
        """
        create table priority_marking (
            id integer primary key,
            kode_kec text not null,
            marked_from text not null,         -- ISO date from which the kecamatan is a priority
            ended_on text,
            reason text not null default '',
            marked_by text not null,
            marked_at text not null
        )
        """,
        "create index priority_marking_kec on priority_marking (kode_kec)",
    ),
)

LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer dashboard; the message is Bahasa."""


def schema_version(con: sqlite3.Connection) -> int:
    return int(con.execute("pragma user_version").fetchone()[0])


def migrate(con: sqlite3.Connection) -> int:
    """Bring the file to LATEST_VERSION; returns the number of migrations applied.

    `con` must be in autocommit mode (isolation_level=None) so the transactions here are ours.
    """
    applied = 0
    while schema_version(con) < LATEST_VERSION:
        con.execute("begin immediate")
        try:
            current = schema_version(con)  # another process may have migrated meanwhile
            if current < LATEST_VERSION:
                for statement in MIGRATIONS[current]:
                    con.execute(statement)
                con.execute(f"pragma user_version = {current + 1}")  # an integer we own, not user input
                applied += 1
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    if schema_version(con) > LATEST_VERSION:
        raise SchemaTooNewError(
            f"Berkas tindak lanjut memakai skema versi {schema_version(con)}, lebih baru dari dasbor ini "
            f"(versi {LATEST_VERSION}). Perbarui aplikasi dasbor."
        )
    return applied
