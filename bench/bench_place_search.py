"""Benchmark: the sidebar place search (dashboard/ui/search.py) on one warehouse. A script,
not a test: it prints figures.

    python bench/bench_place_search.py --warehouse data/warehouse.duckdb [--repeat 20]

Every page draws the search, so what it costs is paid on every page run. A light page
(Katalog) is opened with AppTest (login off), once with no kecamatan chosen and once with the
kecamatan of --kecamatan, and run --repeat times warm. Printed per case: the options listed;
the median time of `place_search` itself (wall, and CPU of the script thread); the bytes of
the select element's message, which a new browser session receives in full (a session that
already holds it gets a reference: Streamlit's message cache); and the time to serialize and
hash that message as the server does once per run before sending it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
# `python bench/bench_place_search.py` puts bench/, not the repository, first on the import path.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from streamlit.testing.v1 import AppTest  # noqa: E402 - after the path above

import dashboard.ui.page  # noqa: E402

PAGE = "pages/katalog.py"
LABEL = "Cari desa atau posyandu"


def timed_place_search(times: list[tuple[float, float]]):
    original = dashboard.ui.page.place_search

    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            times.append((time.perf_counter() - wall, time.thread_time() - cpu))

    return timed


def serialize_and_hash_seconds(proto, repeat: int) -> float:
    """What the server does with the element's message each run: serialize it and hash it."""
    from streamlit.util import calc_hash

    best = float("inf")
    for _ in range(repeat):
        tick = time.perf_counter()
        calc_hash(proto.SerializeToString(deterministic=True))
        best = min(best, time.perf_counter() - tick)
    return best


def measure(kecamatan: str | None, repeat: int) -> dict:
    times: list[tuple[float, float]] = []
    dashboard.ui.page.place_search = timed_place_search(times)
    at = AppTest.from_file(str(REPO_DIR / "app.py"), default_timeout=300)
    if kecamatan:
        at.query_params["kecamatan"] = kecamatan
    at.run()
    at.switch_page(PAGE)
    at.run()  # cold: fills the caches
    times.clear()
    for _ in range(repeat):
        at.run()
    errors = [str(e.value)[:160] for e in at.exception]
    box = next(s for s in at.sidebar.selectbox if s.label == LABEL)
    return {
        "options": len(box.options),
        "wall": statistics.median(t[0] for t in times),
        "cpu": statistics.median(t[1] for t in times),
        "bytes": box.proto.ByteSize(),
        "serialize": serialize_and_hash_seconds(box.proto, 5),
        "placeholder": box.proto.placeholder,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=REPO_DIR / "data" / "warehouse.duckdb")
    parser.add_argument("--repeat", type=int, default=20, help="warm runs per case")
    parser.add_argument("--kecamatan", default="64.02.06", help="the kecamatan chosen in the second case")
    args = parser.parse_args()
    os.environ["DASBOR_WAREHOUSE"] = str(args.warehouse.resolve())
    os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"place search on {args.warehouse} ({args.warehouse.stat().st_size / 1e6:,.0f} MB); load average {load}")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DASBOR_LOGIN_SECRETS_FILE"] = str(Path(folder) / "none.toml")  # login off: kabupaten view
        os.environ.setdefault("DASBOR_TINDAK_LANJUT", str(Path(folder) / "tindak_lanjut.sqlite"))
        for name, kecamatan in (("no kecamatan chosen", None), (f"kecamatan {args.kecamatan}", args.kecamatan)):
            r = measure(kecamatan, args.repeat)
            print(
                f"  {name:<26} {r['options']:>6,} options; place_search {r['wall'] * 1000:6.1f} ms wall, "
                f"{r['cpu'] * 1000:6.1f} ms CPU (median of {args.repeat} warm runs); element {r['bytes'] / 1000:7.1f} kB "
                f"to a new browser; serialize+hash {r['serialize'] * 1000:.1f} ms per run"
                + (f"  ERRORS {r['errors']}" if r["errors"] else "")
            )
            print(f"  {'':<26} placeholder: {r['placeholder']}")


if __name__ == "__main__":
    main()
