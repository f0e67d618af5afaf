"""Find a Python that can build the project's virtual environment, or say what to install.

A usable Python is 3.11 to 3.14 (MAX_VERSION) and has `venv` and `ensurepip` (Debian and Ubuntu ship
`ensurepip` separately, in python3-venv). The interpreter running the launcher is tried
first, then the usual names of other installed versions (`py -3.x` on Windows).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MIN_VERSION = (3, 11)
# The newest Python every pin of requirements*.txt has ready-made packages (wheels) for on
# Windows, macOS and Linux. A newer one (3.15, python.org's default download since October
# 2026) makes pip build numpy 2.4 from source, which fails on a laptop with no compiler.
MAX_VERSION = (3, 14)
# Newest first: when the running interpreter is unusable, prefer the newest one found.
OTHER_MINORS = (14, 13, 12, 11)
PROBE_CODE = (
    "import sys, importlib.util as u; "
    "print(sys.version_info[0], sys.version_info[1], "
    "int(u.find_spec('venv') is not None), int(u.find_spec('ensurepip') is not None))"
)


@dataclass(frozen=True)
class PythonCandidate:
    """One interpreter and what it offers; ``version`` is None when it did not run."""

    command: tuple[str, ...]
    version: tuple[int, int] | None
    has_venv: bool = False
    has_ensurepip: bool = False

    @property
    def is_new_enough(self) -> bool:
        return self.version is not None and self.version >= MIN_VERSION

    @property
    def is_too_new(self) -> bool:
        return self.version is not None and self.version > MAX_VERSION

    @property
    def usable(self) -> bool:
        return self.is_new_enough and not self.is_too_new and self.has_venv and self.has_ensurepip

    @property
    def label(self) -> str:
        version = "tidak bisa dijalankan" if self.version is None else f"Python {self.version[0]}.{self.version[1]}"
        return f"{' '.join(self.command)} ({version})"


def candidate_commands(
    system: str, current: str, which: Callable[[str], str | None] = shutil.which
) -> list[tuple[str, ...]]:
    """Interpreters worth probing, the running one first, each found on PATH."""
    if system == "Windows":
        others = [("py", f"-3.{minor}") for minor in OTHER_MINORS] + [("python",)]
    else:
        others = [(f"python3.{minor}",) for minor in OTHER_MINORS] + [("python3",)]
    commands = [(current,)]
    for command in others:
        found = which(command[0])
        if found and command not in commands:
            commands.append(command)
    return commands


def probe(command: Sequence[str], run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> PythonCandidate:
    """Ask an interpreter for its version and whether it has venv and ensurepip."""
    try:
        done = run([*command, "-c", PROBE_CODE], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return PythonCandidate(tuple(command), None)
    return parse_probe(tuple(command), done.returncode, done.stdout)


def parse_probe(command: tuple[str, ...], returncode: int, stdout: str) -> PythonCandidate:
    fields = stdout.split()
    if returncode != 0 or len(fields) != 4 or not all(f.isdigit() for f in fields):
        return PythonCandidate(command, None)
    major, minor, venv, ensurepip = (int(f) for f in fields)
    return PythonCandidate(command, (major, minor), bool(venv), bool(ensurepip))


def find_python(
    system: str,
    current: str = sys.executable,
    which: Callable[[str], str | None] = shutil.which,
    probe_one: Callable[[Sequence[str]], PythonCandidate] = probe,
) -> tuple[PythonCandidate | None, list[PythonCandidate]]:
    """The first usable interpreter (or None) and every one that was probed."""
    probed: list[PythonCandidate] = []
    for command in candidate_commands(system, current, which):
        candidate = probe_one(command)
        probed.append(candidate)
        if candidate.usable:
            return candidate, probed
    return None, probed


def install_advice(system: str, probed: Sequence[PythonCandidate]) -> str:
    """What to install, in Bahasa, given what was found."""
    found = "\n".join(f"  - {c.label}{_problem(c)}" for c in probed) or "  (tidak ada)"
    lacking_venv = [c for c in probed if c.is_new_enough and not c.is_too_new and not (c.has_venv and c.has_ensurepip)]
    lines = [
        f"Dasbor memerlukan Python {_supported()} yang memiliki modul venv.",
        "Python yang ditemukan:",
        found,
        "",
    ]
    if any(c.is_too_new for c in probed) and not lacking_venv:
        lines += [
            f"Python yang lebih baru dari {MAX_VERSION[0]}.{MAX_VERSION[1]} belum didukung: beberapa paket "
            "(mis. numpy) belum tersedia siap pasang untuknya. Pasang juga Python "
            f"{MAX_VERSION[0]}.{MAX_VERSION[1]} (boleh berdampingan dengan yang sudah ada):",
        ]
        if system == "Windows":
            lines += [
                f"  https://www.python.org/downloads/windows/ (pilih Python {MAX_VERSION[0]}.{MAX_VERSION[1]}.x, "
                "Windows installer 64-bit), lalu jalankan lagi:  py scripts\\dasbor.py run",
            ]
        elif system == "Darwin":
            lines += [f"  brew install python@{MAX_VERSION[0]}.{MAX_VERSION[1]}   lalu jalankan lagi: make run"]
        else:
            lines += [
                f"  mis. lewat paket distribusi python{MAX_VERSION[0]}.{MAX_VERSION[1]} "
                f"python{MAX_VERSION[0]}.{MAX_VERSION[1]}-venv, lalu jalankan lagi: make run"
            ]
    elif lacking_venv and system == "Linux":
        version = lacking_venv[0].version
        lines += [
            "Python sudah cukup baru, tetapi modul venv/ensurepip belum terpasang. Di Debian/Ubuntu jalankan:",
            f"  sudo apt install python3-venv python{version[0]}.{version[1]}-venv",
        ]
    elif system == "Windows":
        lines += [
            f"Pasang Python {_newest()}.x dari https://www.python.org/downloads/windows/ "
            f"(bukan versi yang lebih baru: belum didukung)",
            "(pada layar pertama pemasang, centang 'Add python.exe to PATH'), lalu buka PowerShell baru",
            "dan jalankan lagi:  py scripts\\dasbor.py run",
            "Catatan: 'python' dari Microsoft Store tidak cukup bila perintah 'py' tidak tersedia.",
        ]
    elif system == "Darwin":
        lines += [
            f"Pasang Python {_newest()}.x dari https://www.python.org/downloads/macos/",
            f"(atau dengan Homebrew: brew install python@{_newest()}), lalu jalankan lagi: make run",
        ]
    else:
        lines += [
            f"Pasang Python {_supported()} beserta venv, misalnya:",
            "  Debian/Ubuntu:  sudo apt install python3 python3-venv",
            "  Fedora:         sudo dnf install python3",
            "lalu jalankan lagi: make run",
        ]
    return "\n".join(lines)


def _newest() -> str:
    return f"{MAX_VERSION[0]}.{MAX_VERSION[1]}"


def _supported() -> str:
    return f"{MIN_VERSION[0]}.{MIN_VERSION[1]} sampai {MAX_VERSION[0]}.{MAX_VERSION[1]}"


def _problem(candidate: PythonCandidate) -> str:
    if candidate.version is None:
        return ""
    if not candidate.is_new_enough:
        return ": terlalu lama"
    if candidate.is_too_new:
        return ": terlalu baru"
    if not candidate.has_venv or not candidate.has_ensurepip:
        return ": tanpa venv/ensurepip"
    return ""
