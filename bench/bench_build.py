"""Benchmark: full sample build (≈1 M measurements) on this machine. Prints figures only.

python bench/bench_build.py [--source DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb

from etl.build import build_warehouse
from etl.config import SAMPLE_DIR, EtlConfig
from etl.sample import ensure_eppgbm


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args()
    tick = time.perf_counter()
    ensure_eppgbm(args.source)
    print(f"sample bulk present/generated: {time.perf_counter() - tick:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "warehouse.duckdb"
        config = EtlConfig(source_dir=args.source, db_path=db, secret_path=Path(folder) / "key")
        tick = time.perf_counter()
        report = build_warehouse(config)
        total = time.perf_counter() - tick
        con = duckdb.connect(str(db), read_only=True)
        rows = con.execute("select count(*) from fct_measurement").fetchone()[0]
        con.close()
        print(f"cores: {os.cpu_count()}")
        for stage, seconds in report.stage_seconds.items():
            print(f"  {stage:<16}{seconds:7.1f} s")
        print(
            f"full build: {total:.1f} s for {rows:,} measurement rows ({rows / total:,.0f} rows/s); warehouse {db.stat().st_size / 1e6:.0f} MB"
        )


if __name__ == "__main__":
    main()
