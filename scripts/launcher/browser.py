"""Open the user's browser once the server answers, and only where there is a desktop.

Streamlit runs headless (its own browser opening comes with a first-run e-mail prompt that
waits for input), so the launcher opens the page itself. `BROWSER` is honoured as the
standard library's webbrowser module does; values that mean "no browser" (`true`, `:`,
`none`) open nothing, as do CI and SSH sessions and a Linux machine without a display.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping, Sequence

DEFAULT_PORT = 8501
NO_BROWSER_VALUES = {"", "true", ":", "none", "false", "0"}
ALL_INTERFACES = {"", "0.0.0.0", "::", "[::]"}


def server_option(args: Sequence[str], env: Mapping[str, str], option: str) -> str | None:
    """A `--server.<option>` value from the command line, else from STREAMLIT_SERVER_<OPTION>."""
    flag = f"--server.{option}"
    for i, arg in enumerate(args):
        if arg == flag and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return env.get(f"STREAMLIT_SERVER_{option.upper()}")


def local_url(args: Sequence[str], env: Mapping[str, str]) -> str:
    """Where this machine reaches the server (localhost when it listens on every interface)."""
    port = server_option(args, env, "port") or str(DEFAULT_PORT)
    address = server_option(args, env, "address") or ""
    host = "localhost" if address in ALL_INTERFACES else address
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def should_open_browser(system: str, env: Mapping[str, str]) -> bool:
    if env.get("CI") or env.get("DASBOR_NO_BROWSER"):
        return False
    if "BROWSER" in env:
        return env["BROWSER"].strip().lower() not in NO_BROWSER_VALUES
    if system == "Windows":
        return True
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return False
    if system == "Darwin":
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def open_direct(url: str, timeout: float) -> object:
    """urlopen with no proxy: an office proxy (http_proxy, or Windows' own settings, which
    urllib reads from the registry) would otherwise be asked for localhost and never answer."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=timeout)


def wait_until_healthy(
    url: str,
    alive: Callable[[], bool],
    timeout_s: float = 600.0,
    opener: Callable[..., object] = open_direct,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Poll Streamlit's health endpoint while the server process lives."""
    deadline = time.monotonic() + timeout_s
    while alive() and time.monotonic() < deadline:
        try:
            with opener(url.rstrip("/") + "/_stcore/health", timeout=2) as response:  # type: ignore[attr-defined]
                if response.status == 200:
                    return True
        except (OSError, urllib.error.URLError, ValueError):
            pass
        sleep(0.5)
    return False


def open_when_ready(
    url: str,
    alive: Callable[[], bool],
    system: str,
    env: Mapping[str, str],
    open_url: Callable[[str], object] = webbrowser.open,
) -> None:
    if wait_until_healthy(url, alive) and should_open_browser(system, env):
        open_url(url)
