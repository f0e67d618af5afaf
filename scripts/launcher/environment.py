"""The project's virtual environment: `.venv`, made with the standard library's venv, holding
the exact pins of requirements*.txt.

A stamp file in `.venv` records a digest of the requirement files (and the environment's
Python version) per set installed, so a second start installs nothing and an edited pin
installs again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from .python_finder import MAX_VERSION, MIN_VERSION

STAMP_NAME = "dasbor-installed.json"
# Which requirement files make up each set; "dev" includes the runtime pins.
REQUIREMENT_SETS = {
    "runtime": ("requirements.txt",),
    "dev": ("requirements.txt", "requirements-dev.txt"),
}
VERSION_CODE = "import sys; print(sys.version.split()[0])"


class SetupError(Exception):
    """Setting up the environment failed; the message says in Bahasa what to do."""


def venv_python(venv_dir: Path, system: str) -> Path:
    """The environment's interpreter: Scripts\\python.exe on Windows, bin/python elsewhere."""
    if system == "Windows":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


def venv_bin_dir(venv_dir: Path, system: str) -> Path:
    return venv_python(venv_dir, system).parent


def environment_version(python: Path, run: Callable[..., subprocess.CompletedProcess] = subprocess.run) -> str | None:
    """The environment interpreter's version, or None when it is missing or broken."""
    if not python.exists():
        return None
    try:
        done = run(
            [str(python), "-c", VERSION_CODE], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def create_venv(
    base_python: Sequence[str],
    venv_dir: Path,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> None:
    """Make a fresh environment (a broken or foreign one is removed first)."""
    if venv_dir.exists():
        shutil.rmtree(venv_dir)
    print(f"Membuat lingkungan Python proyek di {venv_dir.name}/ (sekali saja)...", flush=True)
    done = run([*base_python, "-m", "venv", str(venv_dir)], stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise SetupError(
            f"Gagal membuat {venv_dir.name}/ dengan {' '.join(base_python)}. Di Debian/Ubuntu biasanya karena "
            "paket python3-venv belum terpasang: sudo apt install python3-venv. Hapus folder "
            f"{venv_dir.name} lalu jalankan perintah yang sama lagi."
        )


def requirements_digest(repo: Path, requirement_set: str, python_version: str) -> str:
    """Changes when any file of the set or the environment's Python version changes."""
    digest = hashlib.sha256(python_version.encode())
    for name in REQUIREMENT_SETS[requirement_set]:
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update((repo / name).read_bytes())
    return digest.hexdigest()


def read_stamp(venv_dir: Path) -> dict[str, str]:
    try:
        stamp = json.loads((venv_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def is_installed(repo: Path, venv_dir: Path, requirement_set: str, python_version: str) -> bool:
    """True when this set, or one that includes it, was installed from today's files."""
    stamp = read_stamp(venv_dir)
    covering = [requirement_set] + [
        other
        for other, files in REQUIREMENT_SETS.items()
        if other != requirement_set and set(REQUIREMENT_SETS[requirement_set]) <= set(files)
    ]
    return any(stamp.get(name) == requirements_digest(repo, name, python_version) for name in covering)


def write_stamp(repo: Path, venv_dir: Path, requirement_set: str, python_version: str) -> None:
    stamp = read_stamp(venv_dir)
    stamp[requirement_set] = requirements_digest(repo, requirement_set, python_version)
    (venv_dir / STAMP_NAME).write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def install_requirements(
    repo: Path,
    python: Path,
    requirement_set: str,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> None:
    """pip-install the set's last file (it includes the others with -r) into the environment."""
    top = REQUIREMENT_SETS[requirement_set][-1]
    print(f"Memasang paket Python dari {top} ke .venv/ (sekali saja; beberapa menit)...", flush=True)
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(repo / top)]
    done = run(command, cwd=str(repo), stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise SetupError(
            f"Pemasangan paket dari {top} gagal (pesan pip ada di atas). Periksa koneksi internet, "
            "lalu jalankan perintah yang sama lagi: paket yang sudah terpasang tidak diunduh ulang."
        )


def ensure_environment(
    repo: Path,
    venv_dir: Path,
    system: str,
    requirement_set: str,
    find_base_python: Callable[[], Sequence[str]],
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> Path:
    """The environment's interpreter, with the set installed; creates what is missing.

    ``find_base_python`` is called only when the environment must be (re)made, so a
    second start neither looks for Python nor runs pip.
    """
    python = venv_python(venv_dir, system)
    version = environment_version(python, run)
    if version is None or not _supported(version):
        create_venv(find_base_python(), venv_dir, run)
        version = environment_version(python, run)
        if version is None:
            raise SetupError(f"{venv_dir.name}/ dibuat, tetapi Python di dalamnya tidak bisa dijalankan.")
    if not is_installed(repo, venv_dir, requirement_set, version):
        install_requirements(repo, python, requirement_set, run)
        write_stamp(repo, venv_dir, requirement_set, version)
    return python


def _supported(version: str) -> bool:
    """A .venv made by a Python outside 3.11–3.14 (say an earlier 3.15 whose install failed)
    is made again with a supported one."""
    parts = version.split(".")
    try:
        return MIN_VERSION <= (int(parts[0]), int(parts[1])) <= MAX_VERSION
    except (IndexError, ValueError):
        return False
