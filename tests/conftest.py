"""Shared fixtures: one small generated sample and one warehouse per test session."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
SHARED_BOUNDARIES = REPO_DIR.parent / "shared" / "data" / "boundaries"
TEST_SCALE = 0.05
# .streamlit/config.toml hides error details from viewers; tests want the real messages.
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")


@pytest.fixture(scope="session", autouse=True)
def followup_store_path(tmp_path_factory) -> Path:
    """Pages open the tindak lanjut store; tests never write the repo's data/tindak_lanjut.sqlite."""
    path = tmp_path_factory.mktemp("tindak_lanjut") / "tindak_lanjut.sqlite"
    os.environ["DASBOR_TINDAK_LANJUT"] = str(path)
    return path


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """All registers at 5 % scale (every kecamatan present), generated once."""
    from etl.sample import generate_sample

    out = tmp_path_factory.mktemp("sample")
    generate_sample(out, seed=2025, scale=TEST_SCALE)
    return out


@pytest.fixture(scope="session")
def warehouse_path(sample_dir, tmp_path_factory) -> Path:
    from etl.build import build_warehouse
    from etl.config import EtlConfig

    db = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    secret = tmp_path_factory.mktemp("secret") / "pseudonym.key"
    build_warehouse(EtlConfig(source_dir=sample_dir, db_path=db, secret_path=secret))
    os.environ["DASBOR_WAREHOUSE"] = str(db)  # the app and dashboard/ read this
    return db


@pytest.fixture(scope="session")
def bare_warehouse_path(sample_dir, tmp_path_factory) -> Path:
    """A warehouse from the sample's newest posyandu master alone, without its optional Strata and
    Status Integrasi columns: pages must say what is absent (no budget register, no strata)."""
    import pandas as pd

    from etl.build import build_warehouse
    from etl.config import EtlConfig

    source = tmp_path_factory.mktemp("bare_source")
    master = pd.read_excel(sample_dir / "posyandu.xlsx", engine="calamine", dtype=str)
    master.drop(columns=["Strata", "Status Integrasi"]).to_excel(source / "posyandu.xlsx", index=False)
    db = tmp_path_factory.mktemp("bare_warehouse") / "warehouse.duckdb"
    build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=source.parent / "bare.key"))
    return db


@pytest.fixture
def warehouse(warehouse_path):
    """A read-only connection to the session's warehouse."""
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def kukar_boundaries() -> Path:
    """The simplified layers shipped with the repo (scripts/make_boundaries.py): always there."""
    return REPO_DIR / "data" / "reference" / "boundaries"


@pytest.fixture(scope="session")
def shared_boundaries() -> Path:
    if not SHARED_BOUNDARIES.exists():
        pytest.skip("../shared/data/boundaries is absent on this machine (boundaries are not part of the repo)")
    return SHARED_BOUNDARIES


def pytest_terminal_summary(terminalreporter):
    """The bad-input corpus results, one line per file, in the test output."""
    lines = []
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if report.when == "call" and "test_corpus[" in report.nodeid:
                summary = dict(report.user_properties).get("corpus", "")
                name = report.nodeid.split("[", 1)[1].rstrip("]")
                lines.append(f"{outcome.upper():<7}{name:<48}{summary}")
    if lines:
        terminalreporter.section("bad-input corpus: file → rows loaded, messages")
        for line in sorted(lines, key=lambda text: text[7:]):
            terminalreporter.write_line(line)
