"""The follow-up store: recommendations of a rapat, their history, rapat dates and
priority markings, in SQLite (WAL) at data/tindak_lanjut.sqlite.

Why these choices:
- WAL lets the app read while another session writes, and a backup run while the app runs.
- Every write is one BEGIN IMMEDIATE transaction (the write lock is taken before reading,
  so two writers queue behind busy_timeout instead of failing half-way); a killed process
  leaves the last committed state.
- Optimistic versioning: an edit names the version the user saw; if someone saved in
  between, the edit is refused with a Bahasa message instead of overwriting theirs.
- Scope is enforced here, not only in the UI: a pembina's Actor carries their kecamatan
  and every read and write is restricted to them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from dashboard.followup.schema import OPEN_STATUSES, STATUSES, migrate
from etl.config import REPO_DIR

DEFAULT_PATH = REPO_DIR / "data" / "tindak_lanjut.sqlite"
ENV_PATH = "DASBOR_TINDAK_LANJUT"
BUSY_TIMEOUT_MS = 10_000
WITA = dt.timezone(dt.timedelta(hours=8), "WITA")  # Kutai Kartanegara's local time
MAX_TEXT, MAX_PIC, MAX_NOTE = 2000, 200, 2000
_KEC_CODE = re.compile(r"^64\.02\.\d{2}$")
Clock = Callable[[], dt.datetime]


def store_path() -> Path:
    """data/tindak_lanjut.sqlite, or $DASBOR_TINDAK_LANJUT (tests, a server keeping it elsewhere)."""
    return Path(os.environ.get(ENV_PATH, DEFAULT_PATH))


class FollowupError(Exception):
    """A refusal the user should read; the message is one Bahasa sentence."""


class ScopeError(FollowupError):
    pass


class StaleVersionError(FollowupError):
    pass


class NotFoundError(FollowupError):
    pass


class InvalidRecommendationError(FollowupError):
    pass


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in username and the kecamatan they may see (None = kabupaten)."""

    username: str
    scope_kec: tuple[str, ...] | None = None

    def may_touch(self, kode_kec: str) -> bool:
        return self.scope_kec is None or kode_kec in self.scope_kec


@dataclass(frozen=True)
class RecommendationDraft:
    """What a user fills in; the store adds ids, who/when and the version."""

    kode_kec: str
    text: str
    pic: str
    due_date: dt.date
    status: str = "terbuka"
    kode_desa: str | None = None
    posyandu_id: str | None = None
    indicator: str | None = None
    rapat_date: dt.date | None = None
    note: str = ""


EDITABLE = tuple(f.name for f in fields(RecommendationDraft))


@dataclass(frozen=True)
class Recommendation(RecommendationDraft):
    id: int = 0
    closed_on: dt.date | None = None
    created_by: str = ""
    created_at: dt.datetime | None = None
    updated_by: str = ""
    updated_at: dt.datetime | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, on: dt.date) -> bool:
        """Still open after its due date."""
        return self.is_open and self.due_date < on


@dataclass(frozen=True)
class HistoryEntry:
    recommendation_id: int
    version: int
    action: str  # dibuat / diubah
    changed_by: str
    changed_at: dt.datetime
    snapshot: RecommendationDraft


@dataclass(frozen=True)
class PriorityMarking:
    id: int
    kode_kec: str
    marked_from: dt.date
    ended_on: dt.date | None
    reason: str
    marked_by: str
    marked_at: dt.datetime


def connect(path: Path | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode (our own BEGIN IMMEDIATE), WAL, migrated to the latest schema."""
    path = Path(path or store_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        if con.execute("pragma journal_mode").fetchone()[0] != "wal":
            con.execute("pragma journal_mode = wal")  # persistent: set once per file
        con.execute("pragma synchronous = full")  # a handful of writes a day: durability first
        con.execute("pragma foreign_keys = on")
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _datetime(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _clean_optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def validate_draft(draft: RecommendationDraft) -> RecommendationDraft:
    """Trimmed text, checked codes, dates and status; refuses with a Bahasa message."""
    text, pic, note = str(draft.text).strip(), str(draft.pic).strip(), str(draft.note or "").strip()
    if not _KEC_CODE.match(str(draft.kode_kec)):
        raise InvalidRecommendationError(f"Kode kecamatan '{draft.kode_kec}' tidak sah (contoh: 64.02.06).")
    if not text:
        raise InvalidRecommendationError("Isi rekomendasi tidak boleh kosong.")
    if len(text) > MAX_TEXT:
        raise InvalidRecommendationError(f"Isi rekomendasi terlalu panjang (maksimal {MAX_TEXT} karakter).")
    if not pic:
        raise InvalidRecommendationError("Penanggung jawab (PIC: OPD atau tim) wajib diisi.")
    if len(pic) > MAX_PIC:
        raise InvalidRecommendationError(f"Nama PIC terlalu panjang (maksimal {MAX_PIC} karakter).")
    if len(note) > MAX_NOTE:
        raise InvalidRecommendationError(f"Catatan terlalu panjang (maksimal {MAX_NOTE} karakter).")
    if draft.status not in STATUSES:
        raise InvalidRecommendationError(f"Status harus salah satu dari: {', '.join(STATUSES)}.")
    if not isinstance(draft.due_date, dt.date):
        raise InvalidRecommendationError("Tenggat waktu wajib diisi dengan tanggal.")
    if draft.rapat_date is not None and not isinstance(draft.rapat_date, dt.date):
        raise InvalidRecommendationError("Tanggal rapat harus berupa tanggal.")
    kode_desa = _clean_optional(draft.kode_desa)
    if kode_desa is not None and not kode_desa.startswith(f"{draft.kode_kec}."):
        raise InvalidRecommendationError("Desa yang dipilih tidak berada di kecamatan rekomendasi ini.")
    return replace(
        draft,
        text=text,
        pic=pic,
        note=note,
        kode_desa=kode_desa,
        posyandu_id=_clean_optional(draft.posyandu_id),
        indicator=_clean_optional(draft.indicator),
    )


# Columns stored as ISO text that come back as dates or moments.
_DATE_COLUMNS = frozenset({"due_date", "rapat_date", "closed_on", "marked_from", "ended_on"})
_MOMENT_COLUMNS = frozenset({"created_at", "updated_at", "changed_at", "marked_at"})


def _from_row(cls: type, row: sqlite3.Row, **given: object):
    """An instance of the dataclass `cls` from a stored row: each field from its column (dates
    and moments parsed), except the fields `given`."""
    values = {}
    for field in fields(cls):
        if field.name not in given:
            value = row[field.name]
            if field.name in _DATE_COLUMNS:
                value = _date(value)
            elif field.name in _MOMENT_COLUMNS:
                value = _datetime(value)
            values[field.name] = value
    return cls(**values, **given)


def _row_to_recommendation(row: sqlite3.Row) -> Recommendation:
    return _from_row(Recommendation, row)


def _in_clause(column: str, values: tuple | list) -> tuple[str, list]:
    """`column` among `values`, bound; no values matches nothing."""
    if not values:
        return "0 = 1", []
    return f"{column} in ({', '.join('?' * len(values))})", list(values)


def _scope_clause(actor: Actor, column: str = "kode_kec") -> tuple[str, list]:
    return ("1 = 1", []) if actor.scope_kec is None else _in_clause(column, actor.scope_kec)


def _require_kabupaten(actor: Actor, done: str) -> None:
    """Priority markings are a kabupaten decision: anyone with a kecamatan scope is refused."""
    if actor.scope_kec is not None:
        raise ScopeError(f"Penetapan kecamatan prioritas hanya dapat {done} pengguna tingkat kabupaten.")


class FollowupStore:
    """All reads and writes of the follow-up file. One short connection per call, so the
    object is safe to share between Streamlit sessions and threads."""

    def __init__(self, path: Path | None = None, clock: Clock | None = None):
        self.path = Path(path or store_path())
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # --- plumbing ------------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        con = connect(self.path)
        con.row_factory = sqlite3.Row
        return con

    def _now(self) -> dt.datetime:
        return self._clock().astimezone(dt.UTC).replace(microsecond=0)

    def today(self) -> dt.date:
        """Today in Kukar (WITA), for closing dates and overdue checks."""
        return self._clock().astimezone(WITA).date()

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> object:
        con = self.connect()
        try:
            con.execute("begin immediate")
            try:
                result = work(con)
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
            return result
        finally:
            con.close()

    def _read(self, work: Callable[[sqlite3.Connection], object]) -> object:
        con = self.connect()
        try:
            return work(con)
        finally:
            con.close()

    @staticmethod
    def _check_scope(actor: Actor, kode_kec: str) -> None:
        if not actor.may_touch(kode_kec):
            raise ScopeError(
                "Anda hanya dapat melihat dan mengubah tindak lanjut kecamatan dalam cakupan Anda "
                f"({', '.join(actor.scope_kec or ()) or 'tidak ada'})."
            )

    # --- recommendations -----------------------------------------------------------

    def create(self, actor: Actor, draft: RecommendationDraft) -> Recommendation:
        draft = validate_draft(draft)
        self._check_scope(actor, draft.kode_kec)
        now = _iso(self._now())
        closed_on = None if draft.status in OPEN_STATUSES else _iso(self.today())

        def work(con: sqlite3.Connection) -> int:
            values = {k: _iso(v) if isinstance(v, dt.date) else v for k, v in asdict(draft).items()}
            cursor = con.execute(
                """
                insert into recommendation (kode_kec, kode_desa, posyandu_id, indicator, rapat_date, text, pic,
                    due_date, status, note, closed_on, created_by, created_at, updated_by, updated_at, version)
                values (:kode_kec, :kode_desa, :posyandu_id, :indicator, :rapat_date, :text, :pic,
                    :due_date, :status, :note, :closed_on, :who, :now, :who, :now, 1)
                """,
                {**values, "closed_on": closed_on, "who": actor.username, "now": now},
            )
            rec_id = int(cursor.lastrowid)
            self._record_history(con, rec_id, "dibuat")
            return rec_id

        return self.get(actor, self._write(work))

    def update(self, actor: Actor, rec_id: int, expected_version: int, **changes: object) -> Recommendation:
        """Change fields of one recommendation, if nobody saved it since `expected_version`."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")

        def work(con: sqlite3.Connection) -> None:
            row = con.execute("select * from recommendation where id = ?", (rec_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"Rekomendasi nomor {rec_id} tidak ditemukan.")
            current = _row_to_recommendation(row)
            self._check_scope(actor, current.kode_kec)
            if current.version != expected_version:
                raise StaleVersionError(
                    f"Rekomendasi nomor {rec_id} sudah diubah oleh {current.updated_by} "
                    f"pada {current.updated_at.astimezone(WITA):%d/%m/%Y %H.%M} WITA setelah Anda membukanya. "
                    "Perubahan Anda tidak disimpan; muat ulang, periksa isinya, lalu ulangi perubahan Anda."
                )
            draft = validate_draft(
                replace(RecommendationDraft(**{k: getattr(current, k) for k in EDITABLE}), **changes)
            )
            self._check_scope(actor, draft.kode_kec)  # moving an item out of one's scope is refused too
            if draft == RecommendationDraft(**{k: getattr(current, k) for k in EDITABLE}):
                return  # nothing changed: no new version, no history row
            closed_on = current.closed_on
            if draft.status in OPEN_STATUSES:
                closed_on = None
            elif current.status in OPEN_STATUSES or closed_on is None:
                closed_on = self.today()
            values = {k: _iso(v) if isinstance(v, dt.date) else v for k, v in asdict(draft).items()}
            con.execute(
                """
                update recommendation set kode_kec = :kode_kec, kode_desa = :kode_desa, posyandu_id = :posyandu_id,
                    indicator = :indicator, rapat_date = :rapat_date, text = :text, pic = :pic,
                    due_date = :due_date, status = :status, note = :note, closed_on = :closed_on,
                    updated_by = :who, updated_at = :now, version = version + 1
                where id = :id and version = :expected
                """,
                {
                    **values,
                    "closed_on": _iso(closed_on),
                    "who": actor.username,
                    "now": _iso(self._now()),
                    "id": rec_id,
                    "expected": expected_version,
                },
            )
            self._record_history(con, rec_id, "diubah")

        self._write(work)
        return self.get(actor, rec_id)

    @staticmethod
    def _record_history(con: sqlite3.Connection, rec_id: int, action: str) -> None:
        """The state after the change, with who and when, in the same transaction."""
        con.execute(
            """
            insert into recommendation_history (recommendation_id, version, action, changed_by, changed_at,
                kode_kec, kode_desa, posyandu_id, indicator, rapat_date, text, pic, due_date, status, note)
            select id, version, ?, updated_by, updated_at,
                kode_kec, kode_desa, posyandu_id, indicator, rapat_date, text, pic, due_date, status, note
            from recommendation where id = ?
            """,
            (action, rec_id),
        )

    def get(self, actor: Actor, rec_id: int) -> Recommendation:
        row = self._read(lambda con: con.execute("select * from recommendation where id = ?", (rec_id,)).fetchone())
        if row is None:
            raise NotFoundError(f"Rekomendasi nomor {rec_id} tidak ditemukan.")
        recommendation = _row_to_recommendation(row)
        self._check_scope(actor, recommendation.kode_kec)
        return recommendation

    def recommendations(
        self,
        actor: Actor,
        *,
        kode_kec: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        indicator: str | None = None,
        kode_desa: str | None = None,
        posyandu_id: str | None = None,
    ) -> list[Recommendation]:
        """Recommendations the actor may see, newest first; the filters only narrow."""
        where, params = [], []
        clause, bound = _scope_clause(actor)
        where.append(clause)
        params += bound
        for column, values in (("kode_kec", kode_kec), ("status", statuses)):
            if values is not None:
                clause, bound = _in_clause(column, list(values))
                where.append(clause)
                params += bound
        for column, value in (("indicator", indicator), ("kode_desa", kode_desa), ("posyandu_id", posyandu_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"select * from recommendation where {' and '.join(where)} order by due_date, id"
        rows = self._read(lambda con: con.execute(sql, params).fetchall())
        return [_row_to_recommendation(r) for r in rows]

    def history(self, actor: Actor, rec_id: int) -> list[HistoryEntry]:
        self.get(actor, rec_id)  # scope check
        rows = self._read(
            lambda con: con.execute(
                "select * from recommendation_history where recommendation_id = ? order by version", (rec_id,)
            ).fetchall()
        )
        return [_from_row(HistoryEntry, r, snapshot=_from_row(RecommendationDraft, r)) for r in rows]

    # --- rapat ---------------------------------------------------------------------

    def record_rapat(self, actor: Actor, held_on: dt.date, title: str = "Rapat koordinasi Tim Pembina") -> None:
        """Remember a rapat date (idempotent); recommendations name it as their rapat_date."""
        title = str(title).strip() or "Rapat koordinasi Tim Pembina"

        def work(con: sqlite3.Connection) -> None:
            con.execute(
                "insert into rapat (held_on, title, created_by, created_at) values (?, ?, ?, ?) "
                "on conflict (held_on) do nothing",
                (_iso(held_on), title[:200], actor.username, _iso(self._now())),
            )

        self._write(work)

    def rapat_dates(self) -> list[dt.date]:
        """Every known rapat date, newest first: recorded rapat and dates recommendations name."""
        rows = self._read(
            lambda con: con.execute(
                "select held_on from rapat union select rapat_date from recommendation "
                "where rapat_date is not null order by 1 desc"
            ).fetchall()
        )
        return [_date(r[0]) for r in rows]

    # --- priority markings ---------------------------------------------------------

    def mark_priority(self, actor: Actor, kode_kec: str, marked_from: dt.date, reason: str = "") -> PriorityMarking:
        """Mark a kecamatan as a priority from a date (kabupaten users only: it is a kabupaten decision)."""
        _require_kabupaten(actor, "dilakukan")
        if not _KEC_CODE.match(str(kode_kec)):
            raise InvalidRecommendationError(f"Kode kecamatan '{kode_kec}' tidak sah (contoh: 64.02.06).")

        def work(con: sqlite3.Connection) -> int:
            active = con.execute(
                "select 1 from priority_marking where kode_kec = ? and ended_on is null", (kode_kec,)
            ).fetchone()
            if active:
                raise FollowupError("Kecamatan ini sudah ditandai prioritas; akhiri penandaan lama dulu.")
            cursor = con.execute(
                "insert into priority_marking (kode_kec, marked_from, reason, marked_by, marked_at) "
                "values (?, ?, ?, ?, ?)",
                (kode_kec, _iso(marked_from), str(reason).strip()[:500], actor.username, _iso(self._now())),
            )
            return int(cursor.lastrowid)

        marking_id = self._write(work)
        return next(m for m in self.priority_markings(actor) if m.id == marking_id)

    def end_priority(self, actor: Actor, marking_id: int, ended_on: dt.date) -> None:
        _require_kabupaten(actor, "diubah")

        def work(con: sqlite3.Connection) -> None:
            row = con.execute("select marked_from from priority_marking where id = ?", (marking_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"Penandaan prioritas nomor {marking_id} tidak ditemukan.")
            if ended_on < _date(row[0]):
                raise InvalidRecommendationError("Tanggal akhir tidak boleh sebelum tanggal mulai prioritas.")
            con.execute("update priority_marking set ended_on = ? where id = ?", (_iso(ended_on), marking_id))

        self._write(work)

    def priority_markings(self, actor: Actor) -> list[PriorityMarking]:
        clause, params = _scope_clause(actor)
        rows = self._read(
            lambda con: con.execute(
                f"select * from priority_marking where {clause} order by marked_from, kode_kec", params
            ).fetchall()
        )
        return [_from_row(PriorityMarking, r) for r in rows]
