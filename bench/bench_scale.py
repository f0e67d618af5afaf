"""Benchmark: sample generation and warehouse build at 1×, 10× (and 100×) data, and warm
page times on the built warehouses. A script, not a test: it prints figures.

    python bench/bench_scale.py [--scales 1 10] [--work /tmp/dasbor-bench] [--pages 1 10]
    python bench/bench_scale.py --pages-only --scales 1 10 --work /tmp/dasbor-bench  # re-time pages

The 100x build (about 100 M rows, an hour or more on two cores) is not run by default: its
figures are printed from bench/results/build-x100.json, written by an earlier
`--scales 100 --pages --record bench/results` run, and labelled with that run's date,
commit and load average. A scale measured now is followed by its recorded run from
bench/results (the quiet-machine figures of the README), for comparison. DASBOR_BUILD_MEMORY caps DuckDB's memory during a build (3GB).

Scale 1 is the bundled sample (data/sample, bulk generated once); scale N > 1 is generated
into WORK/xN by `python -m etl sample --scale N` (kept between runs). Every generation and
build runs in its own child process so its peak resident memory (its own getrusage ru_maxrss) is
the child's alone. Page times: a child process opens every page of app.py with AppTest on
that warehouse, once cold, then --repeat times warm, and prints the median warm run: wall
time and the CPU time of the script thread (on a shared machine the wall time includes waiting
for other people's processes; the CPU time does not).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
# `python bench/bench_scale.py` puts bench/, not the repository, first on the import path.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from etl.sample import ensure_eppgbm, eppgbm  # noqa: E402 - after the path above

SAMPLE_DIR = REPO_DIR / "data" / "sample"
RESULTS_DIR = REPO_DIR / "bench" / "results"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: on a shared machine every figure needs them."""
    return "/".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def run_child(argv: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of one child process; raises if it fails."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}
    )
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}):\n{err[-3000:]}")
    peak = _peak_from_marker(out)
    return seconds, peak, out


def _peak_from_marker(out: str) -> float:
    for line in out.splitlines():
        if line.startswith("PEAK_RSS_MB "):
            return float(line.split()[1])
    return float("nan")


def with_peak(module_argv: list[str]) -> list[str]:
    """Run a module in a child that prints its own peak RSS at exit (resource.getrusage)."""
    code = (
        "import resource, runpy, sys, atexit;"
        "atexit.register(lambda: print('PEAK_RSS_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024));"
        f"sys.argv = {module_argv!r};"
        "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
    )
    return [sys.executable, "-c", code]


def source_for(scale: float, work: Path) -> tuple[Path, str]:
    """The register folder of a scale, generating it when absent; returns (folder, note)."""
    if scale == 1:
        tick = time.perf_counter()
        ensure_eppgbm(SAMPLE_DIR)
        return SAMPLE_DIR, f"bundled sample (bulk present/generated in {time.perf_counter() - tick:.1f} s)"
    folder = work / f"x{scale:g}"
    if (folder / "SAMPLE.md").exists() and (folder / "eppgbm" / "generated" / "_manifest.json").exists():
        return folder, f"generated earlier (kept, {input_size_gb(folder):.1f} GB){generator_note(folder)}"
    if folder.exists():
        shutil.rmtree(folder)
    argv = with_peak(["etl", "sample", "--scale", f"{scale:g}", "--out", str(folder)])
    seconds, peak, _ = run_child(argv, {"PYTHONPATH": str(REPO_DIR)})
    return folder, f"generated in {seconds:.0f} s, peak {peak:,.0f} MB"


def input_size_gb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e9


def generator_note(folder: Path) -> str:
    """Says when a kept sample was written by another version of the generator: the same
    volume of rows, but not the bytes the current code would write (regenerate to compare
    contents; a 100x sample takes about 40 minutes)."""
    manifest = eppgbm.read_manifest(folder / eppgbm.GENERATED_DIR) or {}
    if manifest.get("generator") in (None, eppgbm.generator_fingerprint()):
        return ""
    return "; WRITTEN BY AN EARLIER GENERATOR (its fingerprint differs from the current code's)"


BUILD_CHILD = """
import json, resource, sys, time
from pathlib import Path
import duckdb
from etl.build import build_warehouse
from etl.config import EtlConfig
source, db, secret = (Path(a) for a in sys.argv[1:4])
tick = time.perf_counter()
report = build_warehouse(EtlConfig(source_dir=source, db_path=db, secret_path=secret))
total = time.perf_counter() - tick
con = duckdb.connect(str(db), read_only=True)
rows = con.execute("select count(*) from fct_measurement").fetchone()[0]
read = sum(r.rows_read for r in report.registers.values())
con.close()
usage = resource.getrusage(resource.RUSAGE_SELF)
peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
print(json.dumps({"stages": report.stage_seconds, "total": total, "rows": rows, "read": read, "peak_mb": peak, "cpu": cpu}))
"""


def build(source: Path, db: Path) -> dict:
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    argv = [sys.executable, "-c", BUILD_CHILD, str(source), str(db), str(db.parent / "pseudonym.key")]
    load_before = load_average()
    seconds, _, out = run_child(argv, {"PYTHONPATH": str(REPO_DIR)})
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = seconds
    result["size_mb"] = db.stat().st_size / 1e6
    result["load"] = f"{load_before} at start, {load_average()} at end"
    return result


PAGES_CHILD = """
import json, re, statistics, sys, time
from pathlib import Path
from streamlit.testing.v1 import AppTest
repo, repeat = Path(sys.argv[1]), int(sys.argv[2])
app = (repo / "app.py").read_text()
pages = re.findall(r'st\\.Page\\(\\s*"(pages/[^"]+)"', app)
from streamlit.testing.v1.local_script_runner import LocalScriptRunner
cpu = []  # CPU time of each run's script thread: other users' load excluded
original = LocalScriptRunner._run_script_thread
def timed(self):
    started = time.thread_time()
    try:
        return original(self)
    finally:
        cpu.append(time.thread_time() - started)
LocalScriptRunner._run_script_thread = timed
at = AppTest.from_file(str(repo / "app.py"), default_timeout=300)
at.run()
out = {}
for page in pages:
    if page.endswith("perbarui_data.py"):
        continue
    at.switch_page(page)
    tick = time.perf_counter(); at.run(); cold = time.perf_counter() - tick
    warm = []
    cpu.clear()
    for _ in range(repeat):
        tick = time.perf_counter(); at.run(); warm.append(time.perf_counter() - tick)
    errors = [str(e.value)[:200] for e in at.exception]
    out[page] = {"cold": cold, "warm": statistics.median(warm), "max": max(warm), "cpu": statistics.median(cpu), "errors": errors}
print(json.dumps(out))
"""


def time_pages(db: Path, repeat: int) -> dict:
    env = {"PYTHONPATH": str(REPO_DIR), "DASBOR_WAREHOUSE": str(db), "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"}
    _, _, out = run_child([sys.executable, "-c", PAGES_CHILD, str(REPO_DIR), str(repeat)], env)
    return json.loads(out.strip().splitlines()[-1])


def print_build(scale: float, result: dict) -> None:
    for stage, seconds in result["stages"].items():
        print(f"  {stage:<16}{seconds:8.1f} s")
    print(
        f"  build {result['total']:.1f} s ({result['wall']:.1f} s with start-up, {result['cpu']:.0f} CPU-s); "
        f"{result['read']:,} rows read, {result['rows']:,} measurement rows, "
        f"{result['read'] / result['total']:,.0f} rows read/s; peak memory {result['peak_mb']:,.0f} MB; "
        f"warehouse {result['size_mb']:,.0f} MB; load average {result.get('load', 'n/a')}",
        flush=True,
    )


def print_pages(pages: dict, repeat: int, load: str) -> None:
    print(f"  pages (AppTest, server-side, median of {repeat} warm runs; load average {load}):")
    for page, t in pages.items():
        flag = f"  ERRORS {t['errors']}" if t["errors"] else ""
        print(
            f"    {page:<26} cold {t['cold']:6.2f} s   warm {t['warm']:6.3f} s (max {t['max']:.3f}), "
            f"CPU {t['cpu']:.3f} s{flag}"
        )


def recorded(scale: float) -> dict | None:
    path = RESULTS_DIR / f"build-x{scale:g}.json"
    return json.loads(path.read_text()) if path.exists() else None


def print_recorded_beside(scale: float, earlier: dict) -> None:
    """The recorded run of a scale measured now (bench/results, the README's figures), to compare."""
    pages = earlier.get("pages") or {}
    cpu = [t["cpu"] for t in pages.values()]
    page_text = f"; pages warm CPU {min(cpu):.3f}–{max(cpu):.3f} s" if cpu else ""
    print(
        f"  recorded (bench/results/build-x{scale:g}.json, {earlier['date']}, commit {earlier['commit']}, "
        f"load {earlier.get('load', 'n/a')}): build {earlier['total']:.1f} s, {earlier['cpu']:.0f} CPU-s, "
        f"{earlier['read'] / earlier['total']:,.0f} rows read/s, peak {earlier['peak_mb']:,.0f} MB, "
        f"warehouse {earlier['size_mb']:,.0f} MB{page_text}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--pages", type=float, nargs="*", default=[1, 10], help="scales whose pages are timed")
    parser.add_argument("--work", type=Path, default=Path("/tmp/dasbor-bench"))
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per page")
    parser.add_argument("--record", type=Path, help="also write each scale's figures to DIR/build-xN.json")
    parser.add_argument(
        "--recorded", type=float, nargs="*", default=[100], help="scales printed from bench/results when not built"
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="time the pages of WORK/warehouse-xN/warehouse.duckdb built earlier (after a change to the pages)",
    )
    args = parser.parse_args()
    if args.pages_only and args.record:
        parser.error("--pages-only times pages only: it records no build")
    if hasattr(os, "nice"):  # minutes of full CPU on a machine others use: lowest priority
        os.nice(19)
    print(f"cores: {os.cpu_count()}; load average now {load_average()} (1/5/15 min)")
    results = {}
    for scale in args.scales if args.pages_only else ():
        db = args.work / f"warehouse-x{scale:g}" / "warehouse.duckdb"
        if not db.exists():
            parser.error(f"{db} does not exist: build it first (without --pages-only)")
        print(f"\n== scale {scale:g}: pages of {db} ({db.stat().st_size / 1e6:,.0f} MB, built earlier)", flush=True)
        print_pages(time_pages(db, args.repeat), args.repeat, load_average())
    for scale in () if args.pages_only else args.scales:
        source, note = source_for(scale, args.work)
        print(f"\n== scale {scale:g}: {source} — {note}", flush=True)
        db = args.work / f"warehouse-x{scale:g}" / "warehouse.duckdb"
        result = build(source, db)
        result["generated"] = note
        results[scale] = result
        print_build(scale, result)
        if scale in args.pages:
            pages = time_pages(db, args.repeat)
            result["pages"], result["pages_load"] = pages, load_average()
            print_pages(pages, args.repeat, result["pages_load"])
        if (earlier := recorded(scale)) is not None:
            print_recorded_beside(scale, earlier)
        if args.record:
            args.record.mkdir(parents=True, exist_ok=True)
            stamp = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": git_commit()}
            (args.record / f"build-x{scale:g}.json").write_text(json.dumps({**stamp, **result}, indent=1))
    for scale in () if args.pages_only else args.recorded:
        if scale in results:
            continue
        earlier = recorded(scale)
        if earlier is None:
            print(f"\n== scale {scale:g}: no recorded run in {RESULTS_DIR} (run with --scales {scale:g} --record)")
            continue
        print(
            f"\n== scale {scale:g}: FROM A PREVIOUS RUN ({earlier['date']}, commit {earlier['commit']}; "
            f"bench/results/build-x{scale:g}.json), not measured now"
        )
        print_build(scale, earlier)
        results[scale] = earlier
    if len(results) > 1:
        base = min(results)
        print("\nscaling against the smallest scale (1.0 = linear):")
        for scale, r in sorted(results.items()):
            if scale == base:
                continue
            rows = r["rows"] / results[base]["rows"]
            wall = (r["total"] / results[base]["total"]) / rows
            cpu = (r["cpu"] / results[base]["cpu"]) / rows
            print(
                f"  {scale:g}×: per measurement row, wall time {wall:.2f} × and CPU time {cpu:.2f} × that of {base:g}×"
            )


if __name__ == "__main__":
    main()
