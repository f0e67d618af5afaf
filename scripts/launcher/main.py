"""The launcher's commands: set up `.venv` when needed, then run the command with its Python.

Every system takes this same path (`make` calls it, Windows users run it directly), so CI
exercises what a Windows laptop runs.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .browser import local_url, open_when_ready, server_option
from .environment import SetupError, ensure_environment, venv_bin_dir
from .python_finder import find_python, install_advice
from .serve import serve as serve_behind_nginx
from .system_packages import ensure_chromium

REPO = Path(__file__).resolve().parents[2]
VENV_NAME = ".venv"
# Headless: no first-run e-mail prompt; the launcher opens the browser itself.
STREAMLIT_FLAGS = ("--server.headless", "true", "--browser.gatherUsageStats", "false")
# `streamlit run` with the pages/-folder mode off from the first request (see that module).
STREAMLIT_RUN = ("-m", "scripts.launcher.streamlit_server", "run", "app.py")
MEETING_ADDRESS, MEETING_PORT = "0.0.0.0", "8501"


@dataclass(frozen=True)
class Command:
    help: str  # Bahasa, one line
    requirements: str  # "runtime" or "dev" (environment.REQUIREMENT_SETS)
    steps: Callable[[str, Sequence[str]], list[list[str]]]  # (python, extra args) -> commands to run
    needs_chromium: bool = False
    serves: bool = False  # a Streamlit server: opened in the browser once it answers
    # Runs itself instead of steps: (python, extra args, environment, system, repo) -> exit code.
    special: Callable[[str, list[str], dict[str, str], str, Path], int] | None = None


def _python_module(module: str, *fixed: str) -> Callable[[str, Sequence[str]], list[list[str]]]:
    return lambda python, extra: [[python, "-m", module, *fixed, *extra]]


def _streamlit(python: str, extra: Sequence[str]) -> list[list[str]]:
    return [[python, *STREAMLIT_RUN, *STREAMLIT_FLAGS, *extra]]


def meeting_args(extra: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """Serve on every network interface, port 8501, unless the user chose otherwise."""
    args = list(extra)
    if server_option(args, env, "address") is None:
        args += ["--server.address", MEETING_ADDRESS]
    if server_option(args, env, "port") is None:
        args += ["--server.port", MEETING_PORT]
    return args


def _meeting(python: str, extra: Sequence[str]) -> list[list[str]]:
    return _streamlit(python, meeting_args(extra, os.environ))


def _bench(python: str, extra: Sequence[str]) -> list[list[str]]:
    return [[python, "bench/bench_zscores.py"], [python, "bench/bench_scale.py", *extra]]


def _load(python: str, extra: Sequence[str]) -> list[list[str]]:
    warehouse = [] if "--warehouse" in extra else ["--warehouse", "data/warehouse.duckdb"]
    return [[python, "bench/load_test.py", *warehouse, *extra]]


def _lint(python: str, extra: Sequence[str]) -> list[list[str]]:
    return [[python, "-m", "ruff", "check", ".", *extra], [python, "-m", "ruff", "format", "--check", "."]]


def _format(python: str, extra: Sequence[str]) -> list[list[str]]:
    return [[python, "-m", "ruff", "format", "."], [python, "-m", "ruff", "check", "--fix", "."]]


def _nothing(python: str, extra: Sequence[str]) -> list[list[str]]:
    return []


COMMANDS: dict[str, Command] = {
    "run": Command("jalankan dasbor di laptop ini (http://localhost:8501)", "runtime", _streamlit, serves=True),
    "rapat": Command("sajikan dasbor ke jaringan rapat (semua antarmuka, port 8501)", "runtime", _meeting, serves=True),
    "serve": Command(
        "sajikan rapat besar: beberapa proses di belakang nginx, satu port (Linux/macOS)",
        "runtime",
        _nothing,
        special=serve_behind_nginx,
    ),
    "test": Command("jalankan seluruh uji", "dev", _python_module("pytest"), needs_chromium=True),
    "etl": Command(
        "bangun ulang warehouse (tambahkan --source FOLDER untuk data asli)", "runtime", _python_module("etl", "build")
    ),
    "sample": Command(
        "buat ulang data contoh di data/sample", "runtime", _python_module("etl", "sample", "--out", "data/sample")
    ),
    "boundaries": Command(
        "buat ulang batas wilayah ringkas di data/reference/boundaries",
        "runtime",
        lambda p, e: [[p, "scripts/make_boundaries.py", *e]],
    ),
    "python": Command(
        "jalankan Python lingkungan proyek, mis. python -m dashboard.auth add-user", "runtime", lambda p, e: [[p, *e]]
    ),
    "bench": Command("ukur kecepatan (z-score, build 1× dan 10×, halaman)", "dev", _bench),
    "load": Command("uji beban 30 sesi", "dev", _load),
    "mutants": Command(
        "uji mutasi modul penghitung angka dan SQL (puluhan menit)",
        "dev",
        lambda p, e: [[p, "scripts/mutants.py", *e]],
    ),
    "lint": Command("periksa gaya kode (ruff)", "dev", _lint),
    "format": Command("rapikan kode (ruff)", "dev", _format),
    "setup": Command("hanya pasang paket ke .venv", "runtime", _nothing),
    "setup-dev": Command("pasang paket uji ke .venv (dan Chromium bila root)", "dev", _nothing, needs_chromium=True),
}


def usage() -> str:
    launcher = "py scripts\\dasbor.py" if platform.system() == "Windows" else "python3 scripts/dasbor.py"
    width = max(map(len, COMMANDS))
    lines = [f"Pemakaian: {launcher} PERINTAH [argumen...]", ""]
    lines += [f"  {name:<{width}}  {command.help}" for name, command in COMMANDS.items()]
    return "\n".join(lines)


def child_env(env: Mapping[str, str], repo: Path, venv_dir: Path, system: str) -> dict[str, str]:
    """The environment's tools first on PATH and the project importable from anywhere."""
    child = dict(env)
    child["VIRTUAL_ENV"] = str(venv_dir)
    child["PATH"] = os.pathsep.join(filter(None, [str(venv_bin_dir(venv_dir, system)), env.get("PATH", "")]))
    child["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH", "")]))
    child.pop("PYTHONHOME", None)
    # UTF-8 for files opened without an encoding and for output sent to a file or pipe: on
    # Windows both default to cp1252, which garbles the SQL and Bahasa text or fails on "→".
    child.setdefault("PYTHONUTF8", "1")
    return child


def base_python(system: str) -> list[str]:
    found, probed = find_python(system)
    if found is None:
        raise SetupError(install_advice(system, probed))
    return list(found.command)


def serve(steps: list[list[str]], env: Mapping[str, str], system: str) -> int:
    """Start the server, open the browser when it answers, wait until it stops."""
    server_args = steps[0][steps[0].index("app.py") + 1 :]
    url = local_url(server_args, env)
    print(f"Dasbor tersedia di {url} setelah siap. Hentikan dengan Ctrl+C.", flush=True)
    if server_option(server_args, env, "address") == MEETING_ADDRESS:
        print(
            "Peserta rapat membuka http://ALAMAT-IP-LAPTOP-INI:"
            f"{server_option(server_args, env, 'port')}/ (lihat alamat dengan 'ipconfig' di Windows, 'ip addr' di Linux).",
            flush=True,
        )
    process = subprocess.Popen(steps[0], env=dict(env), stdin=subprocess.DEVNULL)
    opener = threading.Thread(
        target=open_when_ready, args=(url, lambda: process.poll() is None, system, env), daemon=True
    )
    opener.start()
    try:
        return process.wait()
    except KeyboardInterrupt:
        # The server got the same Ctrl+C; give it time to close its sessions.
        try:
            return process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.terminate()
            return process.wait()


def run_steps(steps: list[list[str]], env: Mapping[str, str]) -> int:
    for step in steps:
        # stdin stays the user's: `python -m dashboard.auth add-user` asks for a password.
        code = subprocess.run(step, env=dict(env)).returncode
        if code != 0:
            return code
    return 0


def main(argv: Sequence[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0 if argv else 2
    name, extra = argv[0], list(argv[1:])
    command = COMMANDS.get(name)
    if command is None:
        print(f"Perintah tidak dikenal: {name}\n\n{usage()}", file=sys.stderr)
        return 2
    system = platform.system()
    venv_dir = REPO / VENV_NAME
    os.chdir(REPO)
    try:
        python = ensure_environment(REPO, venv_dir, system, command.requirements, lambda: base_python(system))
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    if command.needs_chromium:
        ensure_chromium(system, os.environ)
    env = child_env(os.environ, REPO, venv_dir, system)
    if command.special is not None:
        return command.special(str(python), extra, env, system, REPO)
    steps = command.steps(str(python), extra)
    if command.serves:
        return serve(steps, env, system)
    return run_steps(steps, env)
