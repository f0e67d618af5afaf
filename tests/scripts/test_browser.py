"""Opening the user's browser: where, when, and at which address."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from scripts.launcher.browser import local_url, open_when_ready, should_open_browser, wait_until_healthy


def test_url_defaults_to_localhost_8501():
    assert local_url([], {}) == "http://localhost:8501/"


def test_url_follows_streamlit_environment_and_flags():
    env = {"STREAMLIT_SERVER_PORT": "9123", "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
    assert local_url([], env) == "http://127.0.0.1:9123/"
    assert local_url(["--server.port", "8600"], env) == "http://127.0.0.1:8600/"
    assert local_url(["--server.port=8601", "--server.address=0.0.0.0"], {}) == "http://localhost:8601/"


@pytest.mark.parametrize(
    ("system", "env", "expected"),
    [
        ("Windows", {}, True),
        ("Darwin", {}, True),
        ("Darwin", {"SSH_CONNECTION": "10.0.0.1 22"}, False),
        ("Linux", {}, False),
        ("Linux", {"DISPLAY": ":0"}, True),
        ("Linux", {"WAYLAND_DISPLAY": "wayland-0"}, True),
        ("Linux", {"DISPLAY": ":0", "BROWSER": "true"}, False),
        ("Windows", {"BROWSER": "none"}, False),
        ("Linux", {"BROWSER": "firefox"}, True),
        ("Windows", {"CI": "true"}, False),
        ("Darwin", {"DASBOR_NO_BROWSER": "1"}, False),
    ],
)
def test_browser_opens_only_where_someone_can_see_it(system, env, expected):
    assert should_open_browser(system, env) is expected


class _Health(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_health_is_awaited_then_the_page_opened(health_server):
    opened = []
    open_when_ready(health_server, lambda: True, "Windows", {}, opened.append)
    assert opened == [health_server]


def test_an_office_proxy_is_not_asked_for_the_local_server(health_server, monkeypatch):
    """A proxy that answers nothing (port 9, discard) must not stand between us and localhost."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert wait_until_healthy(health_server, lambda: True, timeout_s=20, sleep=lambda s: None)


def test_nothing_opens_without_a_desktop(health_server):
    opened = []
    open_when_ready(health_server, lambda: True, "Linux", {"BROWSER": "true"}, opened.append)
    assert opened == []


def test_a_server_that_died_is_not_waited_for():
    naps = []
    assert not wait_until_healthy("http://127.0.0.1:9/", lambda: False, sleep=naps.append)
    assert naps == []


def test_a_server_not_answering_yet_is_polled_while_it_lives():
    lives = iter([True, True, True, False])
    naps = []
    assert not wait_until_healthy("http://127.0.0.1:9/", lambda: next(lives), sleep=naps.append)
    assert len(naps) == 3
