"""Several Streamlit processes behind one nginx port, for a meeting room that clicks at once.

    make serve                          # 0.0.0.0:8501, one process per CPU core (at least 2)
    make serve WORKERS=3 PORT=8502

One Streamlit process runs every session on one core (measured: 30 sessions saturate it),
so `serve` starts WORKERS processes on 127.0.0.1:8601, 8602, ... and Debian's nginx in front
on one port. nginx forwards HTTP and Streamlit's websocket, and keeps each browser with one
process: a cookie chosen on the browser's first request is hashed consistently to a
process, because Streamlit keeps a session, its uploads and its download files in that
process's memory. Health: nginx takes a process out for a while after a failed request, and
the launcher asks each process for /_stcore/health every few seconds and restarts one that
stopped or stopped answering. The processes only read the warehouse, so they share it.
nginx on Windows is not offered: there, `rapat` serves a meeting with one process.

Warm-up: each process runs the app once through /_stcore/script-health-check before nginx
sends it anyone (and again after a restart), so the first user of a process does not wait for
its imports and first queries; nginx does not forward that address. (Streamlit's English
"Page not found" on a first deep link, which the warm-up used to hide, is prevented in every
process by scripts/launcher/streamlit_server.py.)
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

FIRST_BACKEND_PORT = 8601
HEALTH_INTERVAL_S = 5.0
# A process busy running pages answers /_stcore/health late, not never: restarting it drops
# every session it holds (measured: 3 s timeouts and 3 misses restarted both processes three
# times in a 2-minute 30-session load test on a loaded machine). So a live process is only
# restarted after about two minutes without an answer.
HEALTH_TIMEOUT_S = 10.0
UNHEALTHY_CHECKS = 8  # consecutive failed checks before a live process is restarted
ROUTE_COOKIE = "dasbor_backend"
UPLOAD_LIMIT_MB = 200  # server.maxUploadSize in .streamlit/config.toml
WARM_UP_PATH = "/_stcore/script-health-check"  # runs app.py once in the process (server.scriptHealthCheckEnabled)
WARM_UP_TIMEOUT_S = 90.0  # Streamlit gives the run 60 s, then answers "timeout"


@dataclass(frozen=True)
class ServeOptions:
    workers: int
    port: int = 8501
    address: str = "0.0.0.0"
    first_backend_port: int = FIRST_BACKEND_PORT
    chosen_ports: tuple[int, ...] = ()  # set by serve() to free ports from first_backend_port on

    @property
    def backend_ports(self) -> list[int]:
        return list(self.chosen_ports) or [self.first_backend_port + i for i in range(self.workers)]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def pick_backend_ports(first: int, count: int, is_free: Callable[[int], bool] = port_is_free) -> tuple[int, ...]:
    """`count` free loopback ports from `first` on. A port already taken (another `serve`, a
    colleague's test) must not be used: nginx would send our users to someone else's
    Streamlit, and our health check would ask that process, not ours."""
    ports: list[int] = []
    for port in range(first, first + 1000):
        if len(ports) == count:
            break
        if is_free(port):
            ports.append(port)
    if len(ports) < count:
        raise ValueError(f"tidak ada {count} port bebas mulai dari {first}")
    return tuple(ports)


def default_workers(cpu_count: int | None) -> int:
    return max(2, cpu_count or 1)


def parse_serve_args(args: Sequence[str], env: Mapping[str, str], cpu_count: int | None) -> ServeOptions:
    """`--workers N`, `--port P`, `--address A` (flags), else DASBOR_WORKERS / defaults."""
    values = {"--workers": env.get("DASBOR_WORKERS"), "--port": None, "--address": None}
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        name, _, inline = flag.partition("=")
        if name not in values or (not inline and not rest):
            raise ValueError(f"argumen tidak dikenal untuk serve: {flag} (pakai --workers N, --port P, --address A)")
        values[name] = inline or rest.pop(0)
    workers = int(values["--workers"]) if values["--workers"] else default_workers(cpu_count)
    if workers < 1:
        raise ValueError("--workers minimal 1")
    return ServeOptions(
        workers=workers,
        port=int(values["--port"] or 8501),
        address=values["--address"] or "0.0.0.0",
    )


def nginx_config(options: ServeOptions, prefix: Path) -> str:
    """A complete nginx.conf that runs in the foreground with every file under ``prefix``."""
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;" for port in options.backend_ports
    )
    listen = f"{options.address}:{options.port}" if options.address not in ("", "0.0.0.0") else str(options.port)
    return f"""# Written by scripts/launcher/serve.py for `make serve`; rewritten at every start.
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log stderr warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    client_body_temp_path {prefix / "client_body"};
    proxy_temp_path {prefix / "proxy"};
    fastcgi_temp_path {prefix / "fastcgi"};
    uwsgi_temp_path {prefix / "uwsgi"};
    scgi_temp_path {prefix / "scgi"};
    client_max_body_size {UPLOAD_LIMIT_MB}m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # A browser keeps the key it got on its first request, so it keeps its process.
    map $cookie_{ROUTE_COOKIE} $dasbor_route {{
        ''      $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    upstream dasbor {{
        hash $dasbor_route consistent;
{servers}
    }}
    server {{
        listen {listen};
        # Runs the whole app on every request: for the launcher's warm-up only, not for users.
        location = {WARM_UP_PATH} {{
            return 404;
        }}
        location / {{
            proxy_pass http://dasbor;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_next_upstream error timeout http_502 http_503;
            add_header Set-Cookie "{ROUTE_COOKIE}=$dasbor_route; Path=/; HttpOnly; SameSite=Lax" always;
        }}
    }}
}}
"""


def find_nginx(which: Callable[[str], str | None] = shutil.which) -> str | None:
    return which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None)


def ensure_nginx(
    system: str,
    env: Mapping[str, str],
    uid: int | None,
    which: Callable[[str], str | None] = shutil.which,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> str | None:
    """nginx's path, installing Debian's package when root with apt; None with advice printed."""
    found = find_nginx(which)
    if found:
        return found
    if system == "Linux" and uid == 0 and which("apt-get"):
        print("Memasang nginx dari paket Debian...", flush=True)
        quiet = {
            "stdin": subprocess.DEVNULL,
            "stdout": subprocess.DEVNULL,
            "env": {**env, "DEBIAN_FRONTEND": "noninteractive"},
        }
        run(["apt-get", "update", "-q"], **quiet)
        run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx"], **quiet)
        return find_nginx(which)
    print(
        "nginx tidak ditemukan. Pasang dulu (Debian/Ubuntu: sudo apt install nginx; macOS: brew install nginx), "
        "atau sajikan rapat dengan satu proses: make rapat",
        flush=True,
    )
    return None


def backend_command(python: str, port: int) -> list[str]:
    from .main import STREAMLIT_FLAGS, STREAMLIT_RUN

    return [
        python,
        *STREAMLIT_RUN,
        *STREAMLIT_FLAGS,
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.scriptHealthCheckEnabled",
        "true",
    ]


def is_healthy(port: int, timeout: float = HEALTH_TIMEOUT_S) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def warm_up(port: int, timeout: float = WARM_UP_TIMEOUT_S) -> bool:
    """Run app.py once in the process on `port` (see the module docstring); True when it ran
    without error: its imports and first queries are then paid before a user arrives."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{WARM_UP_PATH}", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Supervisor:
    """Keeps one process per port alive, answering and warmed up."""

    ports: Sequence[int]
    spawn: Callable[[int], subprocess.Popen]
    healthy: Callable[[int], bool] = is_healthy
    warm: Callable[[int], bool] = warm_up
    processes: dict[int, subprocess.Popen] = field(default_factory=dict)
    failures: dict[int, int] = field(default_factory=dict)
    warmed: set[int] = field(default_factory=set)
    restarts: int = 0

    def start_all(self) -> None:
        for port in self.ports:
            self.processes[port] = self.spawn(port)
            self.failures[port] = 0

    def check_once(self) -> list[int]:
        """Restart what stopped, or stopped answering; returns the ports restarted."""
        restarted = []
        for port in self.ports:
            process = self.processes[port]
            if process.poll() is None and self.healthy(port):
                self.failures[port] = 0
                self.warm_once(port)
                continue
            if process.poll() is None:
                self.failures[port] += 1
                if self.failures[port] < UNHEALTHY_CHECKS:
                    continue
                _stop(process)
            print(f"Proses dasbor di port {port} berhenti atau tidak menjawab; dijalankan ulang.", flush=True)
            self.processes[port] = self.spawn(port)
            self.failures[port] = 0
            self.warmed.discard(port)
            self.restarts += 1
            restarted.append(port)
        return restarted

    def warm_once(self, port: int) -> None:
        """Warm a process that answers but has not run the app yet (new or restarted)."""
        if port in self.warmed:
            return
        if not self.warm(port):
            print(f"Pemanasan proses dasbor di port {port} belum berhasil; dicoba lagi nanti.", flush=True)
            return
        self.warmed.add(port)

    def stop_all(self) -> None:
        for process in self.processes.values():
            _stop(process)


def _stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(python: str, args: Sequence[str], env: Mapping[str, str], system: str, repo: Path) -> int:
    """Start the processes and nginx, watch them until Ctrl+C or nginx stops."""
    if system == "Windows":
        print(
            "serve (beberapa proses di belakang nginx) hanya untuk Linux/macOS; di Windows: py scripts\\dasbor.py rapat"
        )
        return 2
    try:
        options = parse_serve_args(args, env, os.cpu_count())
    except ValueError as error:
        print(error)
        return 2
    nginx = ensure_nginx(system, env, os.getuid() if hasattr(os, "getuid") else None)
    if nginx is None:
        return 1
    try:
        options = dataclasses.replace(
            options, chosen_ports=pick_backend_ports(options.first_backend_port, options.workers)
        )
    except ValueError as error:
        print(error)
        return 1
    prefix = repo / ".run" / f"nginx-{options.port}"  # two serves from one checkout keep apart
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(options, prefix), encoding="utf-8")

    def spawn(port: int) -> subprocess.Popen:
        return subprocess.Popen(backend_command(python, port), env=dict(env), stdin=subprocess.DEVNULL, cwd=str(repo))

    supervisor = Supervisor(options.backend_ports, spawn)
    supervisor.start_all()
    proxy = None
    try:
        deadline = time.monotonic() + 300
        while not all(map(is_healthy, options.backend_ports)):
            if time.monotonic() > deadline or any(p.poll() is not None for p in supervisor.processes.values()):
                print("Proses dasbor tidak siap; lihat pesan di atas.", flush=True)
                return 1
            time.sleep(0.5)
        for port in options.backend_ports:  # before nginx sends anyone: see the module docstring
            supervisor.warm_once(port)
        proxy = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(config)], stdin=subprocess.DEVNULL)
        print(
            f"Dasbor disajikan oleh {options.workers} proses di port {options.port} "
            f"(peserta membuka http://ALAMAT-IP-INI:{options.port}/). Hentikan dengan Ctrl+C.",
            flush=True,
        )
        while proxy.poll() is None:
            time.sleep(HEALTH_INTERVAL_S)
            supervisor.check_once()
        return proxy.returncode or 1
    except KeyboardInterrupt:
        return 0
    finally:
        if proxy is not None:
            _stop(proxy)
        supervisor.stop_all()
