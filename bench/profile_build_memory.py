"""Resident memory per build phase: which step holds what, outside DuckDB's cap. A script that
prints figures, not a test.

    DASBOR_BUILD_MEMORY=3GB python bench/profile_build_memory.py SOURCE WORK [--repo DIR]

A thread reads VmRSS (Linux /proc) every 0.5 s; the phases are each file read, each staging
table, each SQL model and the steps after them. At the start of the load step it also prints
what the extraction left in Python: the other registers' frames, the rejections and the
cross-file duplicate index. --repo runs another checkout's code (e.g. an older commit from
`git archive`) on the same input, for a before/after. The warehouse goes to WORK.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
# `python bench/profile_build_memory.py` puts bench/, not the repository, first on the import path.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


class PhaseMeter:
    """Peak resident size per named phase, in the order the phases began."""

    def __init__(self, log_path: Path):
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self.started = time.perf_counter()
        self.log = log_path.open("w")
        threading.Thread(target=self._sample, daemon=True).start()

    def enter(self, name: str) -> None:
        now = rss_mb()
        self.log.write(f"{time.perf_counter() - self.started:8.1f}s rss {now:8.0f} MB  -> {name}\n")
        self.log.flush()
        self.phase = name
        self.peaks[name] = max(self.peaks.get(name, 0.0), now)

    def note(self, text: str) -> None:
        self.log.write(f"   {text}\n")
        self.log.flush()
        print(text, flush=True)

    def _sample(self) -> None:
        while True:
            phase = self.phase
            self.peaks[phase] = max(self.peaks.get(phase, 0.0), rss_mb())
            time.sleep(0.5)


def instrument(meter: PhaseMeter) -> None:
    """Wrap the build's steps (module attributes looked up at call time) to name the phases."""
    import etl.build as build
    import etl.load as load

    def wrap(module, name: str) -> None:
        original = getattr(module, name)

        def inner(*args, **kwargs):
            meter.enter(name)
            try:
                return original(*args, **kwargs)
            finally:
                meter.enter(f"after {name}")

        setattr(module, name, inner)

    for name in ("_write_reference", "_write_prevalence_mart", "_write_operations", "_run_checks"):
        wrap(load, name)
    staging = load._write_staging

    def logged_staging(con, register, frame):
        meter.enter(f"staging {register.name}")
        return staging(con, register, frame)

    load._write_staging = logged_staging
    models = load.ordered_models

    class LoggedModels(list):  # a list: the build may walk the models more than once
        def __iter__(self):
            for model in list.__iter__(self):
                meter.enter(f"model {model.name}")
                yield model

    load.ordered_models = lambda *args, **kwargs: LoggedModels(models(*args, **kwargs))
    load_warehouse = build.load_warehouse

    def logged_load(**kwargs):
        meter.enter("load_warehouse start")
        rejections, frames = kwargs["rejections"], kwargs["frames"]
        spill = frames.get("eppgbm")
        index = getattr(spill, "_seen", None)
        index_mb = (index.nbytes + spill._ordinal.nbytes) / 1e6 if index is not None else 0.0
        other = sum(f.memory_usage(deep=True).sum() for n, f in frames.items() if n != "eppgbm" and f is not None)
        meter.note(
            f"left in Python at the load step: rejections {len(rejections):,} rows, "
            f"{rejections.memory_usage(deep=True).sum() / 1e6:,.0f} MB; duplicate index {index_mb:,.0f} MB "
            f"({getattr(spill, 'rows', 0):,} rows); other registers' frames {other / 1e6:,.0f} MB"
        )
        return load_warehouse(**kwargs)

    build.load_warehouse = logged_load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--repo", type=Path, default=REPO_DIR, help="checkout whose etl/ is measured")
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo))
    from etl.build import build_warehouse
    from etl.config import EtlConfig

    args.work.mkdir(parents=True, exist_ok=True)
    meter = PhaseMeter(args.work / "phases.log")
    instrument(meter)
    files = [0]

    def on_file(path: Path) -> None:
        files[0] += 1
        meter.enter(f"file {files[0]:03d} {path.name}")

    db = args.work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    config = EtlConfig(source_dir=args.source, db_path=db, secret_path=args.work / "pseudonym.key")
    report = build_warehouse(config, on_file=on_file)
    meter.enter("done")
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in report.stage_seconds.items())
    cap = os.environ.get("DASBOR_BUILD_MEMORY", "default")
    print(f"stages: {stages}; DuckDB cap {cap}; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'phase':<52}{'peak RSS':>10}")
    for name, peak in meter.peaks.items():
        print(f"{name:<52}{peak:>7,.0f} MB")
    print(f"whole build (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
