"""Settings of one ETL run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO_DIR / "data" / "sample"
DEFAULT_DB = REPO_DIR / "data" / "warehouse.duckdb"
DEFAULT_PSEUDONYM_KEY = REPO_DIR / ".secrets" / "pseudonym.key"
# The key that turns NIK into pseudonyms; not to be confused with the login users' secrets.toml
# (dashboard.auth.login.LOGIN_SECRETS_FILE_ENV).
PSEUDONYM_KEY_FILE_ENV = "DASBOR_PSEUDONYM_KEY_FILE"
# DuckDB's memory during a build; beyond it, DuckDB spills to a folder beside the warehouse.
# DuckDB's own default (80 % of RAM) would let a 100x build crowd out everything else on the
# machine, and exceed the 6 GB cap of a build started from the app (etl/isolate.py).
BUILD_MEMORY_ENV = "DASBOR_BUILD_MEMORY"
DEFAULT_BUILD_MEMORY = "3GB"


def refuse_renamed_variable(old: str, new: str) -> None:
    """An environment variable under its old, confusable name is an error, never silently ignored."""
    if old in os.environ:
        raise RuntimeError(f"{old} diganti namanya menjadi {new}; ubah pengaturan lingkungan Anda")


def pseudonym_key_path() -> Path:
    refuse_renamed_variable("DASBOR_SECRET_FILE", PSEUDONYM_KEY_FILE_ENV)
    return Path(os.environ.get(PSEUDONYM_KEY_FILE_ENV, DEFAULT_PSEUDONYM_KEY))


def build_memory_limit() -> str:
    return os.environ.get(BUILD_MEMORY_ENV, DEFAULT_BUILD_MEMORY)


@dataclass(frozen=True)
class EtlConfig:
    source_dir: Path = SAMPLE_DIR
    extra_source_dirs: tuple[Path, ...] = ()  # e.g. files uploaded in the app, read after source_dir
    db_path: Path = DEFAULT_DB
    secret_path: Path = field(default_factory=pseudonym_key_path)
    today: date = field(default_factory=date.today)
    duckdb_memory_limit: str = field(default_factory=build_memory_limit)  # e.g. "3GB"

    @property
    def is_bundled_sample(self) -> bool:
        return self.source_dir.resolve() == SAMPLE_DIR.resolve()
