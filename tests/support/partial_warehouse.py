"""A warehouse built from only some registers of the session sample, for pages that must
say which register is missing instead of failing."""

from __future__ import annotations

import shutil
from pathlib import Path

from etl.build import build_warehouse
from etl.config import EtlConfig


def build_partial_warehouse(sample_dir: Path, out_dir: Path, keep: tuple[str, ...]) -> Path:
    """Copy the files whose names start with one of `keep` and build a warehouse from them;
    built once per out_dir (the session's temporary folder), then reused."""
    db = out_dir / "warehouse.duckdb"
    if db.exists():
        return db
    source = out_dir / "source"
    source.mkdir(parents=True, exist_ok=True)
    for path in sample_dir.iterdir():
        if path.is_file() and path.name.lower().startswith(keep):
            shutil.copy2(path, source / path.name)
    build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=out_dir / "pseudonym.key"))
    return db
