"""The project's .venv: where its Python is on each system, made once, pins installed once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.launcher.environment import (
    SetupError,
    create_venv,
    ensure_environment,
    environment_version,
    is_installed,
    requirements_digest,
    venv_python,
)


class FakeSystem:
    """Stands in for subprocess.run: makes the venv's python file, answers its version."""

    def __init__(self, system: str, *versions: str, venv_ok: bool = True, pip_ok: bool = True):
        self.system, self.venv_ok, self.pip_ok = system, venv_ok, pip_ok
        self.versions = list(versions or ["3.11.2"])  # answers in turn; the last one stays
        self.commands: list[list[str]] = []

    def __call__(self, command, **kwargs):
        self.commands.append([str(c) for c in command])
        if "venv" in command:
            if self.venv_ok:
                python = venv_python(Path(command[-1]), self.system)
                python.parent.mkdir(parents=True)
                python.write_text("")
            return subprocess.CompletedProcess(command, 0 if self.venv_ok else 1)
        if "pip" in command:
            return subprocess.CompletedProcess(command, 0 if self.pip_ok else 1)
        version = self.versions.pop(0) if len(self.versions) > 1 else self.versions[0]
        return subprocess.CompletedProcess(command, 0, stdout=version + "\n")

    def ran(self, what: str) -> int:
        return sum(what in " ".join(c) for c in self.commands)


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / "requirements.txt").write_text("streamlit==1.67.0\n")
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\npytest==9.2.0\n")
    return tmp_path


def test_venv_python_is_under_scripts_on_windows_and_bin_elsewhere():
    venv = Path(".venv")
    assert venv_python(venv, "Windows") == venv / "Scripts" / "python.exe"
    assert venv_python(venv, "Linux") == venv / "bin" / "python"
    assert venv_python(venv, "Darwin") == venv / "bin" / "python"


@pytest.mark.parametrize("system", ["Windows", "Linux"])
def test_first_start_creates_and_installs_second_start_does_neither(repo, system):
    fake = FakeSystem(system)
    venv = repo / ".venv"
    python = ensure_environment(repo, venv, system, "runtime", lambda: ["py", "-3.12"], fake)
    assert python == venv_python(venv, system)
    assert fake.commands[0] == ["py", "-3.12", "-m", "venv", str(venv)]
    assert fake.ran("-m pip install") == 1 and fake.ran(str(repo / "requirements.txt")) == 1

    fake.commands.clear()
    ensure_environment(repo, venv, system, "runtime", lambda: pytest.fail("must not look for Python"), fake)
    assert fake.ran("-m venv") == 0 and fake.ran("pip") == 0


def test_a_changed_pin_installs_again_and_dev_covers_runtime(repo):
    fake = FakeSystem("Linux")
    venv = repo / ".venv"
    ensure_environment(repo, venv, "Linux", "dev", lambda: ["python3"], fake)
    assert fake.ran("requirements-dev.txt") == 1
    ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3"], fake)
    assert fake.ran("pip") == 1  # the dev set includes the runtime pins

    (repo / "requirements.txt").write_text("streamlit==1.67.1\n")
    ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3"], fake)
    assert fake.ran("pip") == 2


def test_digest_follows_files_and_python_version(repo):
    before = requirements_digest(repo, "dev", "3.11.2")
    assert requirements_digest(repo, "dev", "3.12.1") != before
    (repo / "requirements-dev.txt").write_text("-r requirements.txt\npytest==9.2.1\n")
    assert requirements_digest(repo, "dev", "3.11.2") != before


def test_a_too_old_venv_is_made_again_a_current_one_is_kept(repo):
    venv = repo / ".venv"
    python = venv_python(venv, "Linux")
    python.parent.mkdir(parents=True)
    python.write_text("")
    (venv / "stale-file").write_text("x")
    fake = FakeSystem("Linux", "3.11.2")
    ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3"], fake)
    assert fake.ran("-m venv") == 0 and (venv / "stale-file").exists()

    fake = FakeSystem("Linux", "3.9.2", "3.12.1")
    ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3.12"], fake)
    assert fake.ran("python3.12 -m venv") == 1 and not (venv / "stale-file").exists()
    assert fake.ran("pip") == 1  # a new environment gets the pins again


def test_a_venv_made_by_a_too_new_python_is_made_again_with_a_supported_one(repo):
    """A .venv left by an earlier try with Python 3.15, whose pip install failed."""
    venv = repo / ".venv"
    python = venv_python(venv, "Windows")
    python.parent.mkdir(parents=True)
    python.write_text("")
    fake = FakeSystem("Windows", "3.15.0", "3.14.1")
    ensure_environment(repo, venv, "Windows", "runtime", lambda: ["py", "-3.14"], fake)
    assert fake.ran("py -3.14 -m venv") == 1 and fake.ran("pip") == 1


def test_a_venv_whose_python_does_not_run_is_made_again(repo):
    venv = repo / ".venv"
    fake = FakeSystem("Linux", "")
    with pytest.raises(SetupError, match="tidak bisa dijalankan"):
        ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3"], fake)
    assert fake.ran("-m venv") == 1


def test_venv_failure_says_to_install_python3_venv(repo):
    fake = FakeSystem("Linux", venv_ok=False)
    with pytest.raises(SetupError, match="sudo apt install python3-venv"):
        ensure_environment(repo, repo / ".venv", "Linux", "runtime", lambda: ["/usr/bin/python3"], fake)


def test_failed_install_leaves_no_stamp_so_the_next_start_retries(repo):
    venv = repo / ".venv"
    with pytest.raises(SetupError, match="koneksi internet"):
        ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3"], FakeSystem("Linux", pip_ok=False))
    assert not is_installed(repo, venv, "runtime", "3.11.2")
    fake = FakeSystem("Linux")
    ensure_environment(repo, venv, "Linux", "runtime", lambda: ["python3"], fake)
    assert fake.ran("pip") == 1


def test_a_real_venv_is_made_with_the_standard_library(tmp_path):
    venv = tmp_path / ".venv"
    create_venv([sys.executable], venv)
    assert environment_version(venv_python(venv, "Linux")) == sys.version.split()[0]
