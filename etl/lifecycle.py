"""The warehouse's neighbours: a rollback copy of the previous version and a small manifest.

data/warehouse.duckdb                the current version (replaced atomically by a build)
data/warehouse.duckdb.previous       the version before it (restore it if the current breaks)
data/warehouse.duckdb.manifest.json  what the last build read, and whether real data was
                                     ever loaded here (then the app never rebuilds from
                                     the synthetic sample by itself)
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl.config import EtlConfig

OK, MISSING, CORRUPT = "ok", "missing", "corrupt"


def previous_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".previous")


def manifest_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".manifest.json")


@dataclass(frozen=True)
class Manifest:
    version: str
    built_at: str
    source_dir: str
    extra_source_dirs: tuple[str, ...] = field(default_factory=tuple)
    real_data_loaded: bool = False  # ever, at this warehouse path: never reset by a sample build


def read_manifest(db_path: Path) -> Manifest | None:
    try:
        data = json.loads(manifest_path(db_path).read_text(encoding="utf-8"))
        return Manifest(
            version=str(data["version"]),
            built_at=str(data["built_at"]),
            source_dir=str(data["source_dir"]),
            extra_source_dirs=tuple(str(p) for p in data.get("extra_source_dirs", ())),
            real_data_loaded=bool(data.get("real_data_loaded", False)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_real_data(config: EtlConfig) -> bool:
    return not config.is_bundled_sample or bool(config.extra_source_dirs)


def write_manifest(config: EtlConfig, run_id: str) -> None:
    """After a successful build; written to a temporary file and renamed."""
    before = read_manifest(config.db_path)
    manifest = Manifest(
        version=run_id,
        built_at=datetime.now().isoformat(timespec="seconds"),
        source_dir=str(config.source_dir.resolve()),
        extra_source_dirs=tuple(str(p.resolve()) for p in config.extra_source_dirs),
        real_data_loaded=is_real_data(config) or bool(before and before.real_data_loaded),
    )
    target = manifest_path(config.db_path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    os.replace(temporary, target)


def keep_previous(db_path: Path) -> None:
    """Make the current warehouse the rollback copy (a hard link: no copying, and the
    current file stays in place for readers until the new one replaces it)."""
    if not db_path.exists():
        return
    temporary = db_path.with_name(f".{db_path.name}.previous.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(db_path, temporary)
    except OSError:  # no hard links (some Windows or network drives): copy
        shutil.copy2(db_path, temporary)
    os.replace(temporary, previous_path(db_path))
    # rename() between two links of one file (the copy kept by a build killed before its swap)
    # does nothing and leaves the source: remove it
    temporary.unlink(missing_ok=True)


def warehouse_state(db_path: Path) -> str:
    """OK when the file opens and holds a finished build, MISSING, or CORRUPT."""
    if not db_path.exists():
        return MISSING
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            con.execute("select warehouse_version from etl_run limit 1").fetchone()
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - any failure to open or read is a broken warehouse
        return CORRUPT
    return OK


def may_build_from_sample(db_path: Path) -> bool:
    """Only on a fresh install: no real data was ever loaded here and no earlier version exists."""
    manifest = read_manifest(db_path)
    if manifest is not None:
        return not manifest.real_data_loaded
    return not previous_path(db_path).exists()


def restore_previous(db_path: Path) -> None:
    """Put the rollback copy back (copied, so the copy stays a rollback); caller holds the build lock."""
    previous = previous_path(db_path)
    if warehouse_state(previous) != OK:
        raise FileNotFoundError(f"salinan versi sebelumnya ({previous.name}) tidak ada atau rusak")
    temporary = db_path.with_name(f".{db_path.name}.restore.{os.getpid()}.tmp")
    shutil.copy2(previous, temporary)
    os.replace(temporary, db_path)


def last_sources_config(db_path: Path) -> EtlConfig | None:
    """The folders the last successful build read (those that still exist)."""
    manifest = read_manifest(db_path)
    if manifest is None or not Path(manifest.source_dir).is_dir():
        return None
    extra = tuple(Path(p) for p in manifest.extra_source_dirs if Path(p).is_dir())
    return EtlConfig(source_dir=Path(manifest.source_dir), extra_source_dirs=extra, db_path=db_path)
