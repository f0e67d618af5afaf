"""Settings of one ETL run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_DIR / "data" / "sample"
DEFAULT_DB = REPO_DIR / "data" / "warehouse.duckdb"
DEFAULT_SECRET = REPO_DIR / ".secrets" / "pseudonym.key"


@dataclass(frozen=True)
class EtlConfig:
    source_dir: Path = SAMPLE_DIR
    extra_source_dirs: tuple[Path, ...] = ()  # e.g. files uploaded in the app, read after source_dir
    db_path: Path = DEFAULT_DB
    secret_path: Path = field(default_factory=lambda: Path(os.environ.get("DASBOR_SECRET_FILE", DEFAULT_SECRET)))
    today: date = field(default_factory=date.today)

    @property
    def is_bundled_sample(self) -> bool:
        return self.source_dir.resolve() == SAMPLE_DIR.resolve()
