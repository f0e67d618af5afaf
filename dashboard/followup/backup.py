"""Backup of the follow-up file with SQLite's online backup API (safe while the app runs)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dashboard.followup.store import WITA, connect


@dataclass(frozen=True)
class BackupResult:
    path: Path
    recommendations: int
    history_rows: int
    integrity: str  # "ok" from PRAGMA integrity_check


def backup_store(source: Path, destination: Path) -> BackupResult:
    """Copy a consistent snapshot to `destination`: a file name (with a suffix, e.g. `.sqlite`), or a
    folder (existing, or a path without a suffix) to put a dated file in.

    The copy is written beside the destination and renamed over it only when complete and
    checked, so a failed backup never leaves a half-written file under the final name.
    """
    destination = Path(destination)
    if destination.is_dir() or not destination.suffix:
        stamp = dt.datetime.now(WITA).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"tindak_lanjut-{stamp}.sqlite"
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    src = connect(source)
    try:
        target = sqlite3.connect(partial)
        try:
            src.backup(target)
            target.execute("pragma journal_mode = delete")  # one self-contained file
            integrity = target.execute("pragma integrity_check").fetchone()[0]
            recommendations = target.execute("select count(*) from recommendation").fetchone()[0]
            history_rows = target.execute("select count(*) from recommendation_history").fetchone()[0]
        finally:
            target.close()
    finally:
        src.close()
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"Salinan cadangan rusak (integrity_check: {integrity}); berkas tidak disimpan.")
    os.replace(partial, destination)
    return BackupResult(destination, int(recommendations), int(history_rows), integrity)
