"""`serve`: several Streamlit processes behind one nginx port, sticky per browser, watched."""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scripts.launcher.serve import (
    ROUTE_COOKIE,
    UNHEALTHY_CHECKS,
    WARM_UP_PATH,
    ServeOptions,
    Supervisor,
    backend_command,
    find_nginx,
    is_healthy,
    nginx_config,
    parse_serve_args,
    pick_backend_ports,
    port_is_free,
)

REPO = Path(__file__).resolve().parents[2]


def test_arguments_and_defaults():
    assert parse_serve_args([], {}, 2) == ServeOptions(workers=2, port=8501, address="0.0.0.0")
    assert parse_serve_args([], {}, None).workers == 2
    assert parse_serve_args(["--workers", "3", "--port=8502"], {}, 8) == ServeOptions(3, 8502)
    assert parse_serve_args([], {"DASBOR_WORKERS": "4"}, 2).workers == 4
    with pytest.raises(ValueError, match="--workers N"):
        parse_serve_args(["--server.port", "1"], {}, 2)
    with pytest.raises(ValueError, match="minimal 1"):
        parse_serve_args(["--workers", "0"], {}, 2)


def test_backends_are_headless_on_loopback():
    command = backend_command("/v/python", 8602)
    assert command[:5] == ["/v/python", "-m", "scripts.launcher.streamlit_server", "run", "app.py"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8602"
    assert command[command.index("--server.headless") + 1] == "true"


def test_config_forwards_websockets_to_every_process_sticky_by_cookie(tmp_path):
    config = nginx_config(ServeOptions(workers=3, port=8501), tmp_path)
    assert config.count("server 127.0.0.1:86") == 3 and "127.0.0.1:8603" in config
    assert "hash $dasbor_route consistent;" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "proxy_set_header Connection $connection_upgrade;" in config
    assert "listen 8501;" in config and "max_fails=" in config
    assert "client_max_body_size 200m;" in config


class FakeProcess:
    def __init__(self):
        self.code = None
        self.terminated = False

    def poll(self):
        return self.code

    def terminate(self):
        self.terminated = True
        self.code = -15

    def wait(self, timeout=None):
        return self.code

    def kill(self):
        self.code = -9


def test_supervisor_restarts_a_dead_process_at_once_and_a_silent_one_after_checks():
    spawned = []
    answers = {8601: True, 8602: True}

    def spawn(port):
        spawned.append(port)
        return FakeProcess()

    supervisor = Supervisor([8601, 8602], spawn, healthy=lambda port: answers[port])
    supervisor.start_all()
    assert supervisor.check_once() == []

    supervisor.processes[8601].code = 1  # crashed
    assert supervisor.check_once() == [8601]

    answers[8602] = False  # alive but hung
    silent = supervisor.processes[8602]
    for _ in range(UNHEALTHY_CHECKS - 1):
        assert supervisor.check_once() == []
    assert supervisor.check_once() == [8602]
    assert silent.terminated and supervisor.restarts == 2
    assert spawned == [8601, 8602, 8601, 8602]


class _Backend(BaseHTTPRequestHandler):
    def do_GET(self):
        body = str(self.server.server_address[1]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _two_neighbouring_backends() -> tuple[int, list[ThreadingHTTPServer]]:
    """Backends on two neighbouring ports (as `make serve` numbers them); a port taken by
    someone else between probing and binding means trying another pair, not skipping."""
    for _ in range(50):
        first = _free_port()
        try:
            one = ThreadingHTTPServer(("127.0.0.1", first), _Backend)
        except OSError:
            continue
        try:
            return first, [one, ThreadingHTTPServer(("127.0.0.1", first + 1), _Backend)]
        except OSError:
            one.server_close()
    raise AssertionError("no two neighbouring free ports on 127.0.0.1 in 50 tries")


def test_real_nginx_keeps_each_browser_on_one_process_and_spreads_browsers(tmp_path):
    nginx = find_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (make serve installs Debian's package when run as root)")
    first, backends = _two_neighbouring_backends()
    for server in backends:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    options = ServeOptions(workers=2, port=_free_port(), address="127.0.0.1", first_backend_port=first)
    (tmp_path / "nginx.conf").write_text(nginx_config(options, tmp_path))
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{options.port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        seen_by_browser = []
        for _ in range(12):
            jar = http.cookiejar.CookieJar()
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            answers = {browser.open(url, timeout=5).read().decode() for _ in range(5)}
            assert len(answers) == 1, "a browser moved between processes"
            assert any(c.name == ROUTE_COOKIE for c in jar)
            seen_by_browser.append(answers.pop())
        assert set(seen_by_browser) == {str(first), str(first + 1)}, "new browsers are spread over the processes"
    finally:
        proxy.terminate()
        proxy.wait(10)
        for server in backends:
            server.shutdown()


def test_backend_ports_skip_ports_someone_else_listens_on():
    taken = {8601, 8603}
    assert pick_backend_ports(8601, 3, is_free=lambda port: port not in taken) == (8602, 8604, 8605)
    options = ServeOptions(workers=3, chosen_ports=(8602, 8604, 8605))
    assert options.backend_ports == [8602, 8604, 8605]
    assert "server 127.0.0.1:8604 " in nginx_config(options, Path("/tmp/x"))


def test_a_port_held_by_a_listener_is_not_free():
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        assert not port_is_free(port)
        assert pick_backend_ports(port, 1)[0] != port


def test_config_keeps_the_warm_up_address_from_users(tmp_path):
    config = nginx_config(ServeOptions(workers=2, port=8501), tmp_path)
    block = config[config.index(f"location = {WARM_UP_PATH}") :]
    assert block.split("}", 1)[0].strip().endswith("return 404;")
    command = backend_command("/v/python", 8602)
    assert command[command.index("--server.scriptHealthCheckEnabled") + 1] == "true"


def test_supervisor_warms_each_process_once_and_again_after_a_restart():
    warmed, answers = [], {8601: True, 8602: False}  # 8602's first warm-up fails (still starting)

    def warm(port):
        warmed.append(port)
        return answers[port]

    supervisor = Supervisor([8601, 8602], lambda port: FakeProcess(), healthy=lambda port: True, warm=warm)
    supervisor.start_all()
    supervisor.check_once()
    assert warmed == [8601, 8602]
    answers[8602] = True
    supervisor.check_once()
    supervisor.check_once()
    assert warmed == [8601, 8602, 8602]  # retried until it worked, then left alone
    supervisor.processes[8601].code = 1  # crashed: the new process is warmed at the next check
    assert supervisor.check_once() == [8601]
    supervisor.check_once()
    assert warmed == [8601, 8602, 8602, 8601]


PLAIN_STREAMLIT = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]


@pytest.mark.parametrize("launched_by", ["launcher", "plain streamlit"])
def test_a_first_deep_link_to_a_hyphenated_page_finds_its_page(launched_by, warehouse_path, tmp_path):
    """The 'page not found: paket-rapat' of the load test: the first request a fresh Streamlit
    process gets runs in its pages/-folder mode, where /paket-rapat names no file. The
    launcher's command (run, rapat, each serve process) starts with that mode off, unwarmed;
    a plain `streamlit run app.py` still shows the message (so the test can fail)."""
    from bench.load_test import StreamlitSession

    port = _free_port()
    env = {
        **os.environ,
        "DASBOR_WAREHOUSE": str(warehouse_path),
        "DASBOR_LOGIN_SECRETS_FILE": str(tmp_path / "no-secrets.toml"),  # login off
        "PYTHONPATH": str(REPO),
    }
    command = (
        backend_command(sys.executable, port)
        if launched_by == "launcher"
        else [*PLAIN_STREAMLIT, "--server.address", "127.0.0.1", "--server.port", str(port)]
    )
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while not is_healthy(port, timeout=2):
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.5)

        async def first_load() -> tuple[str, str, str, dict]:
            session = StreamlitSession(f"http://127.0.0.1:{port}", timeout=180)
            await session.open()
            try:
                return (*await session.load("paket-rapat"), session.page_hashes)
            finally:
                await session.close()

        error, _, detail, listed = asyncio.run(first_load())
        assert "paket-rapat" in listed  # the app's own navigation ran either way
        if launched_by == "launcher":
            assert error == "", detail
        else:
            assert detail.startswith("page not found: paket-rapat")
    finally:
        process.terminate()
        process.wait(30)
