"""Profile every page's warm run (cProfile, stdlib) on a warehouse. A script: prints figures.

    python bench/profile_pages.py [--warehouse data/warehouse.duckdb] [--top 12] [--repeat 3]

Each page of app.py is opened with AppTest, run once to fill the caches, then run --repeat
times with cProfile enabled inside the script thread (its CPU time is printed beside the wall
time: on a shared machine the wall time includes waiting for other people's processes) (AppTest runs the page in its own
thread, which a profiler started in the caller would not see). Per page it prints the warm
seconds and the functions with the most cumulative time that belong to this project or are
known hot spots (plotly validation, pandas Styler, formatting, DuckDB).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
# `python bench/profile_pages.py` puts bench/, not the repository, first on the import path.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))


def profile_pages(repeat: int, top: int, only: list[str], dump: Path | None = None) -> None:
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler: list[cProfile.Profile | None] = [None]
    cpu_seconds: list[float] = []  # CPU time of each run's script thread (others' load excluded)
    original = LocalScriptRunner._run_script_thread

    def profiled(self) -> None:
        active = profiler[0]
        started = time.thread_time()
        if active is not None:
            active.enable()
        try:
            return original(self)
        finally:
            if active is not None:
                active.disable()
            cpu_seconds.append(time.thread_time() - started)

    LocalScriptRunner._run_script_thread = profiled
    app = (REPO_DIR / "app.py").read_text()
    pages = [p for p in re.findall(r'st\.Page\(\s*"(pages/[^"]+)"', app) if not p.endswith("perbarui_data.py")]
    if only:
        pages = [p for p in pages if any(o in p for o in only)]
    at = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=300)
    at.run()
    for page in pages:
        at.switch_page(page)
        at.run()  # cold: fills the caches
        profiler[0] = cProfile.Profile()
        times: list[float] = []
        cpu_seconds.clear()
        for _ in range(repeat):
            tick = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - tick)
        stats = pstats.Stats(profiler[0])
        if dump is not None:  # for pstats/snakeviz: python -m pstats DIR/ringkasan.prof
            dump.mkdir(parents=True, exist_ok=True)
            stats.dump_stats(dump / f"{Path(page).stem}.prof")
        profiler[0] = None
        runs = ", ".join(f"{t:.3f}" for t in times)
        print(
            f"\n=== {page}: warm median {statistics.median(times):.3f} s wall, "
            f"{statistics.median(cpu_seconds):.3f} s CPU of the script thread (wall runs {runs})"
        )
        errors = [str(e.value).splitlines()[0][:160] for e in at.exception]
        if errors:
            print(f"  PAGE ERRORS: {errors}")
        buffer = io.StringIO()
        stats.stream = buffer
        stats.sort_stats("cumulative").print_stats(
            r"dashboard|pages/|plotly/basedatatypes|validator|style_render|formatting|duckdb|folium|cache_data"
        )
        lines = [line for line in buffer.getvalue().splitlines() if re.match(r"\s*\d", line)]
        for line in lines[:top]:
            print("  " + _shorten(line))


def _shorten(line: str) -> str:
    return re.sub(r"/\S*/(site-packages|wt-\w+|main)/", "", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=14)
    parser.add_argument("--page", action="append", default=[], help="only pages whose path contains this")
    parser.add_argument("--dump", type=Path, help="also write each page's profile to DIR/<page>.prof")
    args = parser.parse_args()
    if args.warehouse:
        os.environ["DASBOR_WAREHOUSE"] = str(args.warehouse.resolve())
    os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
    profile_pages(args.repeat, args.top, args.page, args.dump)


if __name__ == "__main__":
    main()
