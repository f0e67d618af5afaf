"""Serve the dashboard to a room: N Streamlit processes behind nginx on one port (stdlib only).

    python scripts/serve.py run   [--workers N] [--port 8501] [--host 0.0.0.0] [--run-dir DIR]
    python scripts/serve.py start [same options]   # in the background; returns when healthy
    python scripts/serve.py stop  [--run-dir DIR]
    python scripts/serve.py status [--run-dir DIR]

Why several processes: one Streamlit process runs every session's script on one core (the
GIL), so a room of users queues behind it while the other cores idle. Each worker is a plain
`streamlit run app.py` on a loopback port; nginx (Debian package `nginx-light`, or nginx.exe
on Windows) is the only listener users see. It proxies the websocket (`Upgrade` headers, long
timeouts) and keeps each browser on one worker with a cookie it sets itself (`dasbor_node`,
hashed consistently onto the workers): a Streamlit session, its uploads and its download
links live in one process. A worker that fails is skipped by nginx (`max_fails`) and
restarted by this script, which polls each worker's `/_stcore/health` every few seconds.

The warehouse is read-only to every worker (a read-only DuckDB connection per query), so all
processes share one file; a rebuild replaces it atomically and every worker sees the new
version at its next query. Everything this script writes (nginx.conf, pids, logs, nginx temp
folders) goes to --run-dir (default: a `dasbor-serve` folder in the system temp dir), so it
needs no root and no system paths.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_RUN_DIR = Path(tempfile.gettempdir()) / "dasbor-serve"
AFFINITY_COOKIE = "dasbor_node"
HEALTH_PATH = "/_stcore/health"
CHECK_EVERY_SECONDS = 5.0
START_TIMEOUT_SECONDS = 120.0

NGINX_CONF = """\
# Written by scripts/serve.py; rewritten on every start.
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}

http {{
    access_log off;
    client_body_temp_path {run}/nginx-tmp/body;
    proxy_temp_path {run}/nginx-tmp/proxy;
    fastcgi_temp_path {run}/nginx-tmp/fastcgi;
    uwsgi_temp_path {run}/nginx-tmp/uwsgi;
    scgi_temp_path {run}/nginx-tmp/scgi;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # Session affinity: a browser without the cookie gets a fresh random key; the key is
    # sent back as a cookie, so every later request (websocket, uploads, media) hashes to
    # the same worker.
    map $cookie_{cookie} $affinity_key {{
        ''      $request_id;
        default $cookie_{cookie};
    }}

    upstream streamlit_workers {{
        hash $affinity_key consistent;
{servers}
    }}

    server {{
        listen {listen};
        # Perbarui Data accepts uploads up to Streamlit's server.maxUploadSize (200 MB).
        client_max_body_size 200m;

        location / {{
            proxy_pass http://streamlit_workers;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_next_upstream error timeout http_502 http_503;
            add_header Set-Cookie "{cookie}=$affinity_key; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def find_nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx.exe")
    for candidate in (found, "/usr/sbin/nginx", "/usr/local/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(
        "nginx tidak ditemukan. Debian/Ubuntu: sudo apt-get install nginx-light; "
        "Windows: unduh nginx dan tambahkan nginx.exe ke PATH."
    )


def worker_ports(port: int, workers: int) -> list[int]:
    """Loopback ports of the workers, just above the public port."""
    return [port + 10 + i for i in range(workers)]


def write_nginx_conf(run_dir: Path, host: str, port: int, ports: list[int]) -> Path:
    temp = run_dir / "nginx-tmp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    user = ""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # As root, nginx's workers drop to `nobody`: they must be able to write their temp folders.
        user = "user nobody nogroup;"
        for folder in [temp, *temp.iterdir()]:
            shutil.chown(folder, "nobody", "nogroup")
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
    conf = NGINX_CONF.format(
        run=run_dir.as_posix(),
        user=user,
        cookie=AFFINITY_COOKIE,
        servers=servers,
        listen=f"{host}:{port}" if host not in ("", "0.0.0.0") else str(port),
    )
    path = run_dir / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_healthy(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(url):
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        time.sleep(0.3)
    raise RuntimeError(f"{url}: not healthy after {timeout:.0f} s")


class Stack:
    """The workers and nginx of one `run`, supervised until stopped."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.run_dir: Path = args.run_dir
        self.ports = worker_ports(args.port, args.workers)
        self.workers: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.stopping = False
        # One cookie secret for all workers, so XSRF tokens agree whichever worker answers.
        self.cookie_secret = secrets.token_hex(32)

    def worker_env(self) -> dict[str, str]:
        env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret}
        if self.args.warehouse:
            env["DASBOR_WAREHOUSE"] = str(Path(self.args.warehouse).resolve())
        return env

    def start_worker(self, port: int) -> subprocess.Popen:
        log = open(self.run_dir / f"worker-{port}.log", "ab")
        argv = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",  # a served app does not reload when someone edits the checkout
        ]
        process = subprocess.Popen(argv, cwd=REPO_DIR, env=self.worker_env(), stdout=log, stderr=subprocess.STDOUT)
        self.workers[port] = process
        return process

    def ensure_warehouse(self) -> None:
        """Build the warehouse once before the workers start (else each would try at once)."""
        path = Path(self.args.warehouse or REPO_DIR / "data" / "warehouse.duckdb")
        if path.exists():
            return
        print(f"{path} belum ada: dibangun dari data contoh dulu (sekali saja)…", flush=True)
        subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(path)], cwd=REPO_DIR, check=True)

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.ensure_warehouse()
        for port in self.ports:
            self.start_worker(port)
        for port in self.ports:
            wait_healthy(f"http://127.0.0.1:{port}{HEALTH_PATH}", START_TIMEOUT_SECONDS, self.workers[port])
        conf = write_nginx_conf(self.run_dir, self.args.host, self.args.port, self.ports)
        nginx = find_nginx()
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(self.run_dir), "-e", str(self.run_dir / "nginx-error.log"), "-c", str(conf)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t: {check.stderr.strip()}")
        self.nginx = subprocess.Popen(
            [
                nginx,
                "-p",
                str(self.run_dir),
                "-e",
                str(self.run_dir / "nginx-error.log"),
                "-c",
                str(conf),
                "-g",
                "daemon off;",
            ],
            stdout=open(self.run_dir / "nginx.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        front = f"http://127.0.0.1:{self.args.port}{HEALTH_PATH}"
        wait_healthy(front, 30, self.nginx)
        state = {
            "pid": os.getpid(),
            "url": f"http://{self.args.host if self.args.host not in ('', '0.0.0.0') else 'localhost'}:{self.args.port}",
            "workers": {str(p): w.pid for p, w in self.workers.items()},
            "nginx": self.nginx.pid,
        }
        (self.run_dir / "state.json").write_text(json.dumps(state, indent=2), encoding="utf-8")
        print(
            f"Dasbor siap di {state['url']} — {len(self.ports)} proses Streamlit di balik nginx "
            f"(port internal {', '.join(map(str, self.ports))}); log di {self.run_dir}",
            flush=True,
        )

    def supervise(self) -> None:
        """Restart a worker that exited or stopped answering its health check."""
        misses = dict.fromkeys(self.ports, 0)
        while not self.stopping:
            time.sleep(CHECK_EVERY_SECONDS)
            if self.stopping:
                break
            if self.nginx is not None and self.nginx.poll() is not None:
                print(f"nginx berhenti (kode {self.nginx.returncode}); menghentikan semua proses", flush=True)
                break
            for port, process in list(self.workers.items()):
                ok = process.poll() is None and healthy(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=5)
                misses[port] = 0 if ok else misses[port] + 1
                if misses[port] >= 3 or process.poll() is not None:
                    print(f"proses di port {port} tidak sehat; dimulai ulang", flush=True)
                    _terminate(process)
                    self.start_worker(port)
                    misses[port] = 0

    def stop(self) -> None:
        self.stopping = True
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT if hasattr(signal, "SIGQUIT") else signal.SIGTERM)
            _wait(self.nginx, 10)
        for process in self.workers.values():
            _terminate(process)
        (self.run_dir / "state.json").unlink(missing_ok=True)


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        _wait(process, 15)


def _wait(process: subprocess.Popen, seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def command_run(args: argparse.Namespace) -> int:
    stack = Stack(args)

    def on_signal(signum, frame) -> None:
        stack.stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        stack.start()
        stack.supervise()
    finally:
        stack.stop()
    return 0


def command_start(args: argparse.Namespace) -> int:
    args.run_dir.mkdir(parents=True, exist_ok=True)
    if (state := read_state(args.run_dir)) is not None and _alive(state["pid"]):
        print(f"sudah berjalan di {state['url']} (pid {state['pid']})")
        return 0
    argv = [sys.executable, str(Path(__file__).resolve()), "run", *_shared_argv(args)]
    log = open(args.run_dir / "serve.log", "ab")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(f"http://127.0.0.1:{args.port}{HEALTH_PATH}", START_TIMEOUT_SECONDS + 30, process)
    deadline = time.monotonic() + 10
    while (state := read_state(args.run_dir) or {}).get("pid") != process.pid and time.monotonic() < deadline:
        time.sleep(0.1)
    print(f"Dasbor siap di {state.get('url', f'port {args.port}')} (pid {process.pid}); berhenti: make serve-stop")
    return 0


def command_stop(args: argparse.Namespace) -> int:
    state = read_state(args.run_dir)
    if state is None or not _alive(state["pid"]):
        print("tidak ada yang berjalan")
        return 0
    os.kill(state["pid"], signal.SIGTERM)
    deadline = time.monotonic() + 40
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    print("dihentikan" if not _alive(state["pid"]) else f"pid {state['pid']} belum berhenti")
    return 0


def command_status(args: argparse.Namespace) -> int:
    state = read_state(args.run_dir)
    if state is None or not _alive(state["pid"]):
        print("tidak berjalan")
        return 1
    print(f"berjalan di {state['url']} (pid {state['pid']})")
    for port in state["workers"]:
        ok = healthy(f"http://127.0.0.1:{port}{HEALTH_PATH}")
        print(f"  proses port {port}: {'sehat' if ok else 'TIDAK SEHAT'}")
    return 0


def read_state(run_dir: Path) -> dict | None:
    try:
        return json.loads((run_dir / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _shared_argv(args: argparse.Namespace) -> list[str]:
    argv = [
        "--workers",
        str(args.workers),
        "--port",
        str(args.port),
        "--host",
        args.host,
        "--run-dir",
        str(args.run_dir),
    ]
    if args.warehouse:
        argv += ["--warehouse", str(args.warehouse)]
    return argv


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("run", "start", "stop", "status"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="Streamlit processes (default: cores)")
    parser.add_argument("--port", type=int, default=8501, help="the one port users open")
    parser.add_argument("--host", default="0.0.0.0", help="0.0.0.0 = every network interface (LAN)")
    parser.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    parser.add_argument("--warehouse", type=Path, default=None, help="default: data/warehouse.duckdb")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.run_dir = args.run_dir.resolve()
    commands = {"run": command_run, "start": command_start, "stop": command_stop, "status": command_status}
    return commands[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
