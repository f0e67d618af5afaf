"""The launcher's commands: the same path on every system, what each runs, and the files
that call it (Makefile, CI, README)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from scripts.launcher import main as launcher

REPO = Path(__file__).resolve().parents[2]


def test_run_is_headless_without_usage_statistics():
    (step,) = launcher.COMMANDS["run"].steps("/v/python", ["--server.port", "9000"])
    assert step[:5] == ["/v/python", "-m", "scripts.launcher.streamlit_server", "run", "app.py"]
    assert step[step.index("--server.headless") + 1] == "true"
    assert step[step.index("--browser.gatherUsageStats") + 1] == "false"
    assert step[-2:] == ["--server.port", "9000"]


def test_every_server_starts_with_the_pages_folder_mode_off():
    """run, rapat (also Windows' way in) and each serve process: scripts/launcher/streamlit_server.py,
    whose first deep link shows no 'Page not found' (tests/scripts/test_first_deep_link.py)."""
    from scripts.launcher.serve import backend_command

    commands = [launcher.COMMANDS[name].steps("py", [])[0] for name in ("run", "rapat")]
    for command in [*commands, backend_command("py", 8601)]:
        assert command[1:5] == ["-m", "scripts.launcher.streamlit_server", "run", "app.py"]


def test_meeting_serves_every_interface_on_8501_unless_told_otherwise():
    assert launcher.meeting_args([], {}) == ["--server.address", "0.0.0.0", "--server.port", "8501"]
    assert launcher.meeting_args(["--server.port", "8502"], {}) == [
        "--server.port",
        "8502",
        "--server.address",
        "0.0.0.0",
    ]
    assert launcher.meeting_args([], {"STREAMLIT_SERVER_ADDRESS": "192.0.2.5"}) == ["--server.port", "8501"]


def test_test_and_etl_pass_the_user_arguments_on():
    assert launcher.COMMANDS["test"].steps("py", ["-x", "tests/etl"]) == [["py", "-m", "pytest", "-x", "tests/etl"]]
    assert launcher.COMMANDS["test"].requirements == "dev" and launcher.COMMANDS["test"].needs_chromium
    assert launcher.COMMANDS["etl"].steps("py", ["--source", "D:/data"]) == [
        ["py", "-m", "etl", "build", "--source", "D:/data"]
    ]
    assert launcher.COMMANDS["load"].steps("py", [])[0][1:4] == [
        "bench/load_test.py",
        "--warehouse",
        "data/warehouse.duckdb",
    ]


@pytest.mark.parametrize(("system", "bin_dir"), [("Windows", "Scripts"), ("Linux", "bin")])
def test_child_processes_use_the_venv_and_import_the_project(system, bin_dir, tmp_path):
    env = launcher.child_env({"PATH": "/usr/bin", "PYTHONHOME": "/x"}, tmp_path, tmp_path / ".venv", system)
    assert env["PATH"].split(launcher.os.pathsep)[0] == str(tmp_path / ".venv" / bin_dir)
    assert env["PYTHONPATH"].split(launcher.os.pathsep)[0] == str(tmp_path)
    assert env["VIRTUAL_ENV"] == str(tmp_path / ".venv") and "PYTHONHOME" not in env
    assert env["PYTHONUTF8"] == "1"  # Windows' cp1252 default would garble SQL and Bahasa text


def test_usage_shows_the_command_of_the_system(monkeypatch):
    monkeypatch.setattr(launcher.platform, "system", lambda: "Windows")
    assert "py scripts\\dasbor.py PERINTAH" in launcher.usage()
    monkeypatch.setattr(launcher.platform, "system", lambda: "Linux")
    assert "python3 scripts/dasbor.py PERINTAH" in launcher.usage()


def test_unknown_or_missing_command_is_refused_with_the_list(capsys):
    assert launcher.main([]) == 2
    assert launcher.main(["jalan"]) == 2
    assert "Perintah tidak dikenal: jalan" in capsys.readouterr().err


def test_setup_failure_is_one_bahasa_message_and_exit_1(monkeypatch, capsys):
    monkeypatch.setattr(launcher.os, "chdir", lambda path: None)

    def no_python(*args, **kwargs):
        raise launcher.SetupError("Dasbor memerlukan Python 3.11")

    monkeypatch.setattr(launcher, "ensure_environment", no_python)
    assert launcher.main(["run"]) == 1
    assert capsys.readouterr().err.strip() == "Dasbor memerlukan Python 3.11"


def test_windows_takes_the_same_path_with_the_scripts_python(monkeypatch, tmp_path):
    ran = []
    monkeypatch.setattr(launcher.os, "chdir", lambda path: None)
    monkeypatch.setattr(launcher.platform, "system", lambda: "Windows")
    monkeypatch.setattr(launcher, "REPO", tmp_path)
    monkeypatch.setattr(
        launcher,
        "ensure_environment",
        lambda repo, venv, system, requirements, finder: venv / "Scripts" / "python.exe",
    )
    monkeypatch.setattr(launcher, "ensure_chromium", lambda system, env: True)
    monkeypatch.setattr(
        launcher.subprocess, "run", lambda step, **kwargs: ran.append(step) or subprocess.CompletedProcess(step, 0)
    )
    assert launcher.main(["test", "-q"]) == 0
    assert ran == [[str(tmp_path / ".venv" / "Scripts" / "python.exe"), "-m", "pytest", "-q"]]


def test_make_and_ci_call_the_launcher():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: .*\n\t@\$\(DASBOR\) run", makefile, re.M)
    assert re.search(r"^test: .*\n\t@\$\(DASBOR\) test", makefile, re.M)
    assert "DASBOR = $(PYTHON) scripts/dasbor.py" in makefile
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_gives_both_commands_for_linux_and_windows():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make run\b", readme, re.M) and re.search(r"^make test\b", readme, re.M)
    assert re.search(r"^py scripts\\dasbor\.py run\b", readme, re.M)
    assert re.search(r"^py scripts\\dasbor\.py test\b", readme, re.M)
    windows_lines = [line for line in readme.splitlines() if line.startswith("py scripts\\dasbor.py")]
    assert not any("&&" in line for line in windows_lines)  # PowerShell 5.1 has no &&
