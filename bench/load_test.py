"""Load test: N concurrent sessions on the recommended serving set-up, optionally with a full
rebuild of the warehouse in the middle. A script, not a test: it prints figures.

    python bench/load_test.py --warehouse /tmp/load-dev/warehouse.duckdb [--sessions 30]
        [--minutes 2] [--rebuild] [--client ws|browser] [--serve nginx|single] [--workers N]
        [--csv loads.csv]

By default (`--serve nginx`) it starts what `make serve` starts (scripts/launcher/serve.py:
--workers Streamlit processes behind nginx with cookie affinity) on a free loopback port,
with this Python instead of .venv's; `--serve single` starts one Streamlit process as `make run`
does (scripts/launcher/streamlit_server.py; the set-up before `make serve` existed). Either way DASBOR_WAREHOUSE points at the given file. The first
printed lines state the set-up. It loads every page twice with one session (cold caches, then
what a page costs alone; reported on their own), then lets the sessions click through the pages of app.py's navigation in a random
order, reading each for --think seconds (10 on average), until the time is up. With
--rebuild, a third of the way in, it runs `python -m etl build --source data/sample --db
<warehouse>` (a real subprocess, as the Perbarui Data page or cron would) and reports page
loads before, during (a load overlapping the build) and after it separately; a load that
starts after the build must show the new `versi data` in the sidebar, or it counts as a
stale-version error.

Two clients:

- `ws` (default): each session is a minimal Streamlit client on /_stcore/stream that sends
  the BackMsg `rerun_script` the browser sends when a page link is clicked (page name and
  hash, the hashes of large messages it already holds, like the browser's message cache)
  and reads ForwardMsgs until `script_finished`. A page load is the time from the request
  to the last message of the run, which is the moment the browser flips `stApp` to
  `data-test-script-state="notRunning"`, less the browser's own drawing. Errors counted:
  an `exception` element (what the browser shows as stException), an `st.error` alert,
  a timeout, an HTTP error on the page or the websocket handshake, a dropped connection.
  Why: 30 headless Chromium tabs on 2 shared cores spend more CPU drawing plotly and
  Leaflet than the server spends running the pages, so the figures would measure the
  client; the protobuf client costs a few per cent of a core for 30 sessions and measures
  what the server does for a roomful of users.
- `browser`: one headless Chromium (the system binary) with a context per session driven
  by playwright's asyncio API; every load is a `goto` of the page URL and lasts until
  stApp is `notRunning` with the page's title drawn. Closer to a person at a laptop,
  heavier than the server it measures; use it with a few sessions to calibrate the ws
  figures against real browsers.

Bounded: loops stop at the deadline (the run's minutes, or the end of the rebuild plus
--after seconds, whichever is later; a rebuild is killed after --rebuild-timeout) and at
--max-loads; every load has a --timeout; only 127.0.0.1 is contacted (Chromium resolves
no other host).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

REPO_DIR = Path(__file__).resolve().parents[1]
# `python bench/load_test.py` puts bench/, not the repository, first on the import path.
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))
HOST = "127.0.0.1"
# Perbarui Data starts builds and is for one admin, not the audience of a meeting.
ADMIN_PAGES = {"perbarui-data"}
VERSION = re.compile(r"versi data (\S+)")
ERROR_KINDS = ("exception", "error_alert", "timeout", "http", "disconnected", "stale_version", "client")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}",
]
READY_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stMain"] h1, [data-testid="stException"]') !== null;
}"""


def read_url_paths(app: Path) -> tuple[list[str], str]:
    """The viewer pages of app.py's st.navigation, in order, and the default one.

    The default page lives at "/" (its url_path answers "page not found"), so it is
    requested with an empty page name, as a click on its sidebar link does.
    """
    source = app.read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\(\s*("pages/[^"]+".*?)\)\s*[,)]?\n', source, re.S)
    # url_path may name a module constant (PERBARUI_DATA = "perbarui-data").
    constants = dict(re.findall(r'^([A-Z_][A-Z0-9_]*) = "([^"]*)"', source, re.M))
    paths, default = [], ""
    for arguments in pages:
        literal = re.search(r'url_path="([^"]+)"', arguments)
        named = re.search(r"url_path=([A-Z_][A-Z0-9_]*)", arguments)
        if literal:
            name = literal.group(1)
        elif named and named.group(1) in constants:
            name = constants[named.group(1)]
        else:  # a page without url_path (the default one) is named after its file
            name = Path(re.match(r'"([^"]+)"', arguments).group(1)).stem
        if name not in ADMIN_PAGES:
            paths.append(name)
            if "default=True" in arguments:
                default = name
    return paths, default


@dataclass
class PageLoad:
    session: int
    page: str
    started: float  # seconds since the run started
    seconds: float
    error: str = ""  # one of ERROR_KINDS, empty when the page rendered cleanly
    version: str = ""  # the `versi data` the page showed
    detail: str = ""


@dataclass
class Run:
    base_url: str
    pages: list[str]
    default_page: str
    deadline: float
    max_loads: int
    timeout: float
    think: float
    loads: list[PageLoad] = field(default_factory=list)
    t0: float = field(default_factory=time.monotonic)
    rebuild_started: float | None = None
    rebuild_finished: float | None = None
    new_version: str | None = None

    def path(self, page: str) -> str:
        return "" if page == self.default_page else page

    def now(self) -> float:
        return time.monotonic() - self.t0

    def running(self) -> bool:
        return time.monotonic() < self.deadline and len(self.loads) < self.max_loads

    def record(self, load: PageLoad) -> None:
        self.loads.append(load)

    def mark_stale_versions(self) -> None:
        """A load that started after the build ended must show the build's version."""
        if self.new_version is None or self.rebuild_finished is None:
            return
        for load in self.loads:
            if not load.error and load.started >= self.rebuild_finished and load.version != self.new_version:
                load.error, load.detail = "stale_version", f"showed {load.version or '-'}"

    async def think_pause(self, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think)


# --- ws client -------------------------------------------------------------------------


class StreamlitSession:
    """One browser tab's worth of protocol: page reruns over one websocket."""

    def __init__(self, base_url: str, timeout: float, cookie: str = ""):
        self.base_url = base_url
        self.timeout = timeout
        self.cookie = cookie  # the proxy's affinity cookie, sent back as a browser does
        self.page_hashes: dict[str, str] = {}
        self.cached_hashes: set[str] = set()
        self.ws = None

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        url = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(
            url,
            subprotocols=["streamlit"],
            origin=self.base_url,
            proxy=None,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def load(self, page: str) -> tuple[str, str, str]:
        """Run one page (its url path, "" for the default page); return (error kind or "",
        version shown, detail)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ClientState_pb2 import ClientState
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        state = ClientState(
            page_name=page,
            page_script_hash=self.page_hashes.get(page, ""),
            cached_message_hashes=sorted(self.cached_hashes),
        )
        state.context_info.timezone = "Asia/Makassar"
        state.context_info.locale = "id-ID"
        state.context_info.url = f"{self.base_url}/{page}"
        await self.ws.send(BackMsg(rerun_script=state).SerializeToString())
        error, version, detail = "", "", ""
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached_hashes.add(msg.hash)
            if kind == "navigation":
                self.page_hashes = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            elif kind == "page_not_found":
                error, detail = "http", f"page not found: {page}"
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                element_kind = element.WhichOneof("type")
                if element_kind == "exception" and not error:
                    error, detail = "exception", element.exception.type or element.exception.message[:120]
                elif element_kind == "alert" and element.alert.format == 1 and not error:  # Alert.ERROR
                    error, detail = "error_alert", element.alert.body[:120]
                elif element_kind == "markdown" and (found := VERSION.search(element.markdown.body)):
                    version = found.group(1)
            elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR and not error:
                    error, detail = "exception", "compile error"
                if detail.startswith("page not found"):  # which process answered, with which pages
                    listed = ",".join(sorted(p or "/" for p in self.page_hashes))
                    detail += f" [{self.cookie or 'no cookie'}; server listed {len(self.page_hashes)}: {listed}]"
                return error, version, detail


async def ws_user(run: Run, index: int, rng: random.Random) -> None:
    """Opens a tab, visits every page once in a random order, closes it; again until done."""
    from websockets.exceptions import ConnectionClosed, InvalidHandshake

    while run.running():
        order = rng.sample(run.pages, len(run.pages))
        started = run.now()
        status, cookie = await asyncio.to_thread(http_get, f"{run.base_url}/{run.path(order[0])}", run.timeout)
        if status != 200:
            run.record(PageLoad(index, order[0], started, run.now() - started, "http", detail=f"GET {status}"))
            await run.think_pause(rng)
            continue
        session = StreamlitSession(run.base_url, run.timeout, cookie)
        try:
            await session.open()
        except (OSError, InvalidHandshake, TimeoutError) as error:
            run.record(PageLoad(index, order[0], started, run.now() - started, "http", detail=type(error).__name__))
            await run.think_pause(rng)
            continue
        try:
            for page in order:
                if not run.running():
                    break
                started = run.now()
                try:
                    error, version, detail = await asyncio.wait_for(session.load(run.path(page)), run.timeout)
                except TimeoutError:
                    run.record(PageLoad(index, page, started, run.now() - started, "timeout"))
                    break  # the session's state is unknown: open a new tab
                except ConnectionClosed as closed:
                    run.record(
                        PageLoad(index, page, started, run.now() - started, "disconnected", detail=str(closed)[:120])
                    )
                    break
                run.record(PageLoad(index, page, started, run.now() - started, error, version, detail))
                await run.think_pause(rng)
        finally:
            await session.close()


def http_get(url: str, timeout: float) -> tuple[int, str]:
    """(status, cookies the response set as a `name=value; ...` header) of one GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
            return response.status, "; ".join(cookies)
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def http_status(url: str, timeout: float) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


# --- browser client --------------------------------------------------------------------


async def browser_user(run: Run, index: int, rng: random.Random, browser) -> None:
    """A tab that loads page after page by URL (a new Streamlit session each time)."""
    context = await browser.new_context(
        viewport={"width": 1400, "height": 900}, locale="id-ID", timezone_id="Asia/Makassar"
    )
    page = await context.new_page()
    failed_responses: list[str] = []
    # The frontend probes <page>/_stcore/health and host-config for its base path (404s by
    # design), so only server errors and a failed document count.
    page.on("response", lambda r: failed_responses.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    try:
        while run.running():
            for name in rng.sample(run.pages, len(run.pages)):
                if not run.running():
                    break
                failed_responses.clear()
                started = run.now()
                error, version, detail = "", "", ""
                try:
                    response = await page.goto(
                        f"{run.base_url}/{run.path(name)}", timeout=run.timeout * 1000, wait_until="commit"
                    )
                    if response is None or response.status >= 400:
                        error, detail = "http", f"GET {response.status if response else '-'}"
                    else:
                        remaining = max(1.0, run.timeout - (run.now() - started))
                        await page.wait_for_function(READY_JS, timeout=remaining * 1000, polling=100)
                        seconds = run.now() - started
                        if await page.locator('[data-testid="stException"]').count():
                            error = "exception"
                        elif await page.locator('[data-testid="stAlertContentError"]').count():
                            error = "error_alert"
                        elif failed_responses:
                            error, detail = "http", failed_responses[0][:120]
                        found = VERSION.search(await page.locator('[data-testid="stSidebar"]').inner_text())
                        version = found.group(1) if found else ""
                        run.record(PageLoad(index, name, started, seconds, error, version, detail))
                        await run.think_pause(rng)
                        continue
                except Exception as failure:  # noqa: BLE001 - playwright's TimeoutError and navigation errors
                    timed_out = "Timeout" in type(failure).__name__
                    error, detail = ("timeout" if timed_out else "disconnected"), str(failure).splitlines()[0][:120]
                run.record(PageLoad(index, name, started, run.now() - started, error, version, detail))
                await run.think_pause(rng)
    finally:
        await context.close()


# --- server, rebuild, process CPU ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(checkout: Path, warehouse: Path, port: int, log_path: Path, secrets_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DASBOR_WAREHOUSE": str(warehouse),
        # No secrets file: login off, every session is a kabupaten viewer.
        "DASBOR_LOGIN_SECRETS_FILE": str(secrets_path),
        "PYTHONPATH": str(checkout),
    }
    command = [
        sys.executable, "-m", "scripts.launcher.streamlit_server", "run", "app.py",  # what `make run` starts
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", HOST,
        "--server.fileWatcherType", "none",  # colleagues edit this checkout while we measure
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log_path, "w") as log:  # the server keeps its own copy of the descriptor
        return subprocess.Popen(
            command, cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


SERVE_CODE = """
import os, sys
from pathlib import Path
from scripts.launcher.serve import serve
checkout, port, workers, address = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sys.exit(serve(sys.executable, ["--workers", workers, "--port", port, "--address", address], dict(os.environ), "Linux", checkout))
"""


def start_serve(
    checkout: Path, warehouse: Path, port: int, workers: int, run_dir: Path, secrets_path: Path
) -> subprocess.Popen:
    """`make serve`'s set-up (scripts/launcher/serve.py): `workers` Streamlit processes behind
    nginx on `port`; its output (all processes) goes to run_dir/serve.log."""
    env = {
        **os.environ,
        "DASBOR_WAREHOUSE": str(warehouse),
        "DASBOR_LOGIN_SECRETS_FILE": str(secrets_path),
        "PYTHONPATH": str(checkout),
    }
    command = [sys.executable, "-c", SERVE_CODE, str(checkout), str(port), str(workers), HOST]
    run_dir.mkdir(parents=True, exist_ok=True)
    with open(run_dir / "serve.log", "w") as log:
        return subprocess.Popen(
            command, cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_healthy(base_url: str, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"streamlit exited with code {server.returncode}; see its log")
        if http_status(f"{base_url}/_stcore/health", 5) == 200:
            return
        time.sleep(0.5)
    raise SystemExit(f"streamlit not healthy after {timeout:.0f} s")


def read_version(warehouse: Path) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select warehouse_version from etl_run order by finished_at desc limit 1").fetchone()[0]
    finally:
        con.close()


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of a live process and its live descendants, with the
    children each of them has reaped (Chromium's closed tabs, a finished build)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = sum(int(x) for x in fields[11:15]) / tick
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += cpu.get(pid, 0.0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


async def rebuild(
    run: Run, checkout: Path, warehouse: Path, source: Path, at: float, timeout: float, log_path: Path
) -> tuple[int | None, float]:
    """Run the build as a subprocess; return its exit code (None if killed) and CPU seconds."""
    await asyncio.sleep(max(0.0, at - run.now()))
    run.rebuild_started = run.now()
    print(f"[{run.now():6.1f} s] rebuild: python -m etl build --source {source} --db {warehouse}", flush=True)
    reaped_before = os.times()
    with open(log_path, "w") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "etl", "build", "--source", str(source), "--db", str(warehouse),
            cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            code = await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
            code = None
    reaped_after = os.times()
    cpu = (reaped_after.children_user - reaped_before.children_user) + (
        reaped_after.children_system - reaped_before.children_system
    )
    run.rebuild_finished = run.now()
    if code == 0:
        run.new_version = await asyncio.to_thread(read_version, warehouse)
    print(
        f"[{run.now():6.1f} s] rebuild finished: exit {code}, {run.rebuild_finished - run.rebuild_started:.0f} s, version {run.new_version}, log {log_path}",
        flush=True,
    )
    return code, cpu


# --- report ----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def phase_of(run: Run, load: PageLoad) -> str:
    if run.rebuild_started is None:
        return "steady"
    if load.started + load.seconds < run.rebuild_started:
        return "before rebuild"
    if run.rebuild_finished is None or load.started < run.rebuild_finished:
        return "during rebuild"
    return "after rebuild"


def print_table(title: str, loads: list[PageLoad], pages: list[str]) -> None:
    errors = Counter(load.error for load in loads if load.error)
    print(f"\n{title}: {len(loads)} page loads, {sum(errors.values())} errors")
    print(f"  {'page':<14}{'loads':>6}{'p50 s':>8}{'p95 s':>8}{'max s':>8}   errors")
    for name in [*pages, "all"]:
        mine = [load for load in loads if name in ("all", load.page)]
        if not mine:
            continue
        seconds = [load.seconds for load in mine if load.error not in ("timeout", "http", "disconnected")]
        kinds = Counter(load.error for load in mine if load.error)
        shown = ", ".join(f"{kind} {kinds[kind]}" for kind in ERROR_KINDS if kinds[kind]) or "-"
        print(
            f"  {name:<14}{len(mine):>6}{percentile(seconds, 0.5):>8.2f}{percentile(seconds, 0.95):>8.2f}{max(seconds, default=float('nan')):>8.2f}   {shown}"
        )
    details = Counter(f"{load.error}: {load.detail}" for load in loads if load.error and load.detail)
    for text, count in details.most_common(5):
        print(f"    {count} × {text}")


def print_report(run: Run, warmup: list[PageLoad], args: argparse.Namespace) -> None:
    print_table("warm-up, one session, cold caches", warmup[: len(run.pages)], run.pages)
    print_table("warm-up, one session, warm caches (what a page costs alone)", warmup[len(run.pages) :], run.pages)
    phases = ["steady"] if run.rebuild_started is None else ["before rebuild", "during rebuild", "after rebuild"]
    for phase in phases:
        print_table(
            f"{phase} ({args.sessions} sessions, {args.client})",
            [x for x in run.loads if phase_of(run, x) == phase],
            run.pages,
        )
    if run.rebuild_started is not None:
        print_table("whole run", run.loads, run.pages)
        if run.new_version is None:
            print(f"\nthe rebuild failed (exit {args.build_code}): no new data version to look for")
            return
        after = [x for x in run.loads if phase_of(run, x) == "after rebuild" and x.error in ("", "stale_version")]
        sessions_after = {x.session for x in after}
        fresh = {x.session for x in after if x.version == run.new_version}
        print(
            f"\nnew data version {run.new_version}: {len(fresh)} of {len(sessions_after)} sessions that loaded a page "
            f"after the rebuild saw it; loads after the rebuild showing an older version: "
            f"{sum(1 for x in after if x.version != run.new_version)}"
        )


async def measure(args: argparse.Namespace, base_url: str, server_pid: int) -> tuple[Run, list[PageLoad], dict]:
    pages, default_page = read_url_paths(args.checkout / "app.py")
    run = Run(
        base_url, pages, default_page, deadline=0.0, max_loads=args.max_loads, timeout=args.timeout, think=args.think
    )
    warmup_deadline = time.monotonic() + args.timeout * 2 * len(pages)  # bounded by its page count anyway
    # Two passes by one session: cold caches (a fresh server), then what a page costs alone.
    warmup_run = Run(
        base_url,
        pages,
        default_page,
        deadline=warmup_deadline,
        max_loads=2 * len(pages),
        timeout=args.timeout,
        think=0.0,
    )
    browser, playwright = None, None
    if args.client == "browser":
        from playwright.async_api import async_playwright

        playwright = await async_playwright().start()
        browser = await playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        await browser_user(warmup_run, -1, random.Random(0), browser)
    else:
        await ws_user(warmup_run, -1, random.Random(0))
    print(f"warm-up done: {len(warmup_run.loads)} pages in {warmup_run.now():.1f} s", flush=True)

    cpu_before = {
        "server": process_tree_cpu(server_pid),
        "client": process_tree_cpu(os.getpid()) - process_tree_cpu(server_pid),
    }
    run.t0 = time.monotonic()
    run.deadline = run.t0 + args.minutes * 60
    tasks = []
    for index in range(args.sessions):
        rng = random.Random(args.seed * 1000 + index)

        async def user(index: int = index, rng: random.Random = rng) -> None:
            await asyncio.sleep(rng.uniform(0, args.ramp))
            try:
                if browser is not None:
                    await browser_user(run, index, rng, browser)
                else:
                    await ws_user(run, index, rng)
            except Exception as failure:  # noqa: BLE001 - one broken session must not end the run
                run.record(PageLoad(index, "-", run.now(), 0.0, "client", detail=repr(failure)[:120]))

        tasks.append(asyncio.create_task(user()))
    build_code, build_cpu = None, 0.0
    if args.rebuild:
        at = args.minutes * 60 / 3
        build_log = args.warehouse.with_name(f"load-rebuild-{os.getpid()}.log")
        build = asyncio.create_task(
            rebuild(run, args.checkout, args.warehouse, args.source, at, args.rebuild_timeout, build_log)
        )
        while not build.done():
            await asyncio.sleep(1)
            if run.rebuild_started is not None:  # sessions keep going until the after phase is long enough
                run.deadline = max(run.deadline, time.monotonic() + args.after)
        build_code, build_cpu = build.result()
        run.deadline = max(run.t0 + args.minutes * 60, time.monotonic() + args.after)
    await asyncio.gather(*tasks)
    run.mark_stale_versions()
    elapsed = run.now()
    server_cpu = process_tree_cpu(server_pid)
    client_cpu = process_tree_cpu(os.getpid()) - server_cpu
    if browser is not None:
        await browser.close()
        await playwright.stop()
    usage = {
        "elapsed": elapsed,
        "server": server_cpu - cpu_before["server"],
        "client": client_cpu - cpu_before["client"] - build_cpu,
        "build": build_cpu,
        "build_code": build_code,
    }
    return run, warmup_run.loads, usage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse", type=Path, required=True, help="warehouse file the server reads (and --rebuild replaces)"
    )
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument(
        "--serve",
        choices=("nginx", "single"),
        default="nginx",
        help="nginx: make serve's set-up (the recommended one); single: one streamlit process",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="with --serve nginx")
    parser.add_argument(
        "--rebuild", action="store_true", help="run a full build into --warehouse a third of the way in"
    )
    parser.add_argument("--source", type=Path, default=REPO_DIR / "data" / "sample", help="registers for --rebuild")
    parser.add_argument("--client", choices=("ws", "browser"), default="ws")
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="mean seconds a user reads a page before the next click (uniform, ±50%%)",
    )
    parser.add_argument("--ramp", type=float, default=10.0, help="sessions start at random within this many seconds")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds a page load may take before it counts as a timeout"
    )
    parser.add_argument(
        "--after", type=float, default=45.0, help="with --rebuild: seconds of load after the build at least"
    )
    parser.add_argument("--rebuild-timeout", type=float, default=900.0)
    parser.add_argument("--max-loads", type=int, default=50_000)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--csv", type=Path, help="write every page load here")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=REPO_DIR,
        help="the app to serve, e.g. a frozen copy of a checkout colleagues are editing",
    )
    args = parser.parse_args(argv)
    args.warehouse = args.warehouse.resolve()
    args.checkout = args.checkout.resolve()
    args.source = args.source.resolve()
    if not args.warehouse.exists():  # a fresh clone: build the 1x warehouse the pages read
        print(f"{args.warehouse} does not exist: building it from {args.source} first", flush=True)
        built = subprocess.run(
            [sys.executable, "-m", "etl", "build", "--source", str(args.source), "--db", str(args.warehouse)],
            cwd=args.checkout,
            env={**os.environ, "PYTHONPATH": str(args.checkout)},
        )
        if built.returncode != 0:
            parser.error(f"building {args.warehouse} failed (exit {built.returncode})")
    port = args.port or free_port()
    base_url = f"http://{HOST}:{port}"
    server_log = args.warehouse.with_name(f"load-streamlit-{port}.log")
    run_dir = args.warehouse.with_name(f"load-serve-{port}")
    load_before = os.getloadavg()
    if args.serve == "nginx":
        setup = (
            f"set-up: make serve (scripts/launcher/serve.py) — {args.workers} Streamlit processes behind nginx "
            f"(cookie affinity, websocket proxy) on {base_url}; log {run_dir / 'serve.log'}"
        )
    else:
        setup = f"set-up: one Streamlit process on {base_url} (no proxy); log {server_log}"
    print(setup, flush=True)
    print(
        f"load: {args.sessions} sessions ({args.client} client), ~{args.think:g} s reading time per page, "
        f"{args.minutes:g} minutes{', rebuild a third of the way in' if args.rebuild else ''}; "
        f"{os.cpu_count()} cores, load average {load_before[0]:.1f} (the host is shared)",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        if args.serve == "nginx":
            server = start_serve(
                args.checkout, args.warehouse, port, args.workers, run_dir, Path(folder) / "secrets.toml"
            )
        else:
            server = start_server(args.checkout, args.warehouse, port, server_log, Path(folder) / "secrets.toml")
        try:
            wait_until_healthy(base_url, server)
            print(f"warehouse {args.warehouse} version {read_version(args.warehouse)}", flush=True)
            run, warmup, usage = asyncio.run(measure(args, base_url, server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    args.build_code = usage["build_code"]
    print_report(run, warmup, args)
    logs = [run_dir / "serve.log"] if args.serve == "nginx" else [server_log]
    tracebacks = sum(log.read_text(errors="replace").count("Traceback (most recent call last)") for log in logs)
    print(
        f"\n{usage['elapsed']:.0f} s measured; CPU seconds: server {usage['server']:.0f}, load client {usage['client']:.0f}, "
        f"rebuild {usage['build']:.0f} "
        f"({os.cpu_count()} cores = {os.cpu_count() * usage['elapsed']:.0f}); load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after "
        f"(the host is shared); tracebacks in the server log: {tracebacks}"
    )
    if args.csv:
        with open(args.csv, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*PageLoad.__dataclass_fields__, "phase"])
            writer.writeheader()
            for load in [*warmup, *run.loads]:
                writer.writerow({**asdict(load), "phase": "warm-up" if load.session < 0 else phase_of(run, load)})
    failed = sum(1 for load in run.loads if load.error) or (args.rebuild and usage["build_code"] != 0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
