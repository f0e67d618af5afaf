"""Finding a Python for .venv on every system (Windows logic checked here on Linux)."""

from __future__ import annotations

import ast
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.launcher.python_finder import (
    PythonCandidate,
    candidate_commands,
    find_python,
    install_advice,
    parse_probe,
    probe,
)

LAUNCHER = Path(__file__).resolve().parents[2] / "scripts"


def _which(*present: str):
    return lambda name: f"/found/{name}" if name in present else None


def test_windows_tries_the_py_launcher_newest_first():
    commands = candidate_commands("Windows", r"C:\Python39\python.exe", _which("py", "python"))
    assert commands == [
        (r"C:\Python39\python.exe",),
        ("py", "-3.14"),
        ("py", "-3.13"),
        ("py", "-3.12"),
        ("py", "-3.11"),
        ("python",),
    ]


def test_linux_and_macos_try_versioned_names_found_on_path():
    assert candidate_commands("Linux", "/usr/bin/python3", _which("python3.12", "python3")) == [
        ("/usr/bin/python3",),
        ("python3.12",),
        ("python3",),
    ]
    assert candidate_commands("Darwin", "/usr/bin/python3", _which()) == [("/usr/bin/python3",)]


def test_probe_output_is_parsed_or_rejected():
    assert parse_probe(("p",), 0, "3 11 1 1\n") == PythonCandidate(("p",), (3, 11), True, True)
    assert parse_probe(("p",), 0, "3 12 1 0\n").has_ensurepip is False
    assert parse_probe(("p",), 1, "3 11 1 1").version is None
    assert (
        parse_probe(
            ("p",), 0, "Python was not found; run without arguments to install from the Microsoft Store"
        ).version
        is None
    )


def test_probe_of_this_interpreter_sees_its_version_and_venv():
    found = probe([sys.executable])
    assert found.version == tuple(sys.version_info[:2])
    assert found.has_venv


def test_probe_of_a_missing_program_is_not_usable(tmp_path):
    assert probe([str(tmp_path / "no-python")]).version is None


def test_an_old_running_python_falls_back_to_a_newer_one_via_py():
    answers = {
        (r"C:\Python38\python.exe",): PythonCandidate((r"C:\Python38\python.exe",), (3, 8), True, True),
        ("py", "-3.14"): PythonCandidate(("py", "-3.14"), None),
        ("py", "-3.13"): PythonCandidate(("py", "-3.13"), None),
        ("py", "-3.12"): PythonCandidate(("py", "-3.12"), (3, 12), True, True),
    }
    found, probed = find_python("Windows", r"C:\Python38\python.exe", _which("py"), answers.__getitem__)
    assert found is not None and found.command == ("py", "-3.12")
    assert [c.command for c in probed] == [
        (r"C:\Python38\python.exe",),
        ("py", "-3.14"),
        ("py", "-3.13"),
        ("py", "-3.12"),
    ]


def test_a_python_newer_than_the_pins_support_is_passed_over_for_a_supported_one():
    """python.org's default download (3.15) has no numpy 2.4 wheel: pip would try to compile it."""
    newest = PythonCandidate((r"C:\Python315\python.exe",), (3, 15), True, True)
    answers = {newest.command: newest, ("py", "-3.14"): PythonCandidate(("py", "-3.14"), (3, 14), True, True)}
    found, _ = find_python("Windows", newest.command[0], _which("py"), answers.__getitem__)
    assert found is not None and found.command == ("py", "-3.14")


def test_only_a_too_new_python_gets_advice_to_add_a_supported_one():
    newest = PythonCandidate(("/usr/bin/python3",), (3, 15), True, True)
    found, probed = find_python("Linux", "/usr/bin/python3", _which(), lambda command: newest)
    assert found is None
    advice = install_advice("Windows", probed)
    assert "(Python 3.15): terlalu baru" in advice
    assert "Pasang juga Python 3.14" in advice and "py scripts\\dasbor.py run" in advice
    assert "terlalu baru" in install_advice("Linux", probed) and "python3.14-venv" in install_advice("Linux", probed)


def test_nothing_usable_gives_none_and_every_probe():
    old = PythonCandidate(("/usr/bin/python3",), (3, 9), True, True)
    found, probed = find_python("Linux", "/usr/bin/python3", _which(), lambda command: old)
    assert found is None and probed == [old]


def test_windows_advice_names_the_installer_and_add_to_path():
    advice = install_advice("Windows", [PythonCandidate(("python",), (3, 9), True, True)])
    assert "python (Python 3.9): terlalu lama" in advice
    assert "https://www.python.org/downloads/windows/" in advice
    assert "Add python.exe to PATH" in advice and "py scripts\\dasbor.py run" in advice


def test_debian_python_without_venv_is_told_the_package():
    advice = install_advice("Linux", [PythonCandidate(("/usr/bin/python3",), (3, 11), True, False)])
    assert "tanpa venv/ensurepip" in advice
    assert "sudo apt install python3-venv python3.11-venv" in advice


def test_linux_and_macos_advice_when_python_is_too_old_or_missing():
    assert "sudo apt install python3 python3-venv" in install_advice("Linux", [])
    assert "(tidak ada)" in install_advice("Linux", [])
    assert "https://www.python.org/downloads/macos/" in install_advice(
        "Darwin", [PythonCandidate(("python3",), (3, 9), True, True)]
    )


def test_launcher_parses_on_old_pythons_so_they_can_print_the_advice():
    for path in [LAUNCHER / "dasbor.py", *(LAUNCHER / "launcher").glob("*.py")]:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 7))


def _old_pythons() -> list[str]:
    """Old interpreters this machine happens to have (pyenv keeps several)."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = []
    for pattern in ("2.7.*/bin/python2.7", "3.6.*/bin/python3.6", "3.8.*/bin/python3.8", "3.10.*/bin/python3.10"):
        found += sorted(glob.glob(os.path.join(root, "versions", pattern)))[:1]
    return found


def test_old_pythons_print_what_to_install_instead_of_failing(tmp_path):
    olds = _old_pythons()
    if not olds:
        pytest.skip("no Python older than 3.11 on this machine to try the launcher with")
    shutil.copytree(
        LAUNCHER / "launcher", tmp_path / "scripts" / "launcher", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(LAUNCHER / "dasbor.py", tmp_path / "scripts" / "dasbor.py")
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    for old in olds:
        done = subprocess.run(
            [old, str(tmp_path / "scripts" / "dasbor.py"), "run"],
            env={"PATH": str(empty_path), "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert done.returncode == 1, (old, done.stderr)
        assert "terlalu lama" in done.stderr and "python3-venv" in done.stderr, (old, done.stderr)
        assert "Traceback" not in done.stderr
        assert not (tmp_path / ".venv").exists()
