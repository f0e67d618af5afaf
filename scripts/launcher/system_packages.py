"""The system's Chromium, which chart export (kaleido) and the browser tests drive.

Never a downloaded browser: where it is absent and the launcher runs as root with apt
(CI, a fresh server), Debian's package is installed; elsewhere the launcher says what
happens without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
APT_PACKAGES = ("chromium", "fonts-dejavu-core")


def find_chromium(which: Callable[[str], str | None] = shutil.which) -> str | None:
    return next((path for path in map(which, BROWSER_NAMES) if path), None)


def can_use_apt(system: str, uid: int | None, which: Callable[[str], str | None] = shutil.which) -> bool:
    return system == "Linux" and uid == 0 and which("apt-get") is not None


def ensure_chromium(
    system: str,
    env: Mapping[str, str],
    uid: int | None = None,
    which: Callable[[str], str | None] = shutil.which,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> bool:
    """True when a Chromium is there (installing Debian's when root with apt)."""
    if system != "Linux" or find_chromium(which):
        # Windows and macOS: kaleido finds Edge or Chrome by itself.
        return True
    uid = os.getuid() if uid is None and hasattr(os, "getuid") else uid
    if not can_use_apt(system, uid, which):
        print(
            "Chromium tidak ditemukan: ekspor gambar memakai matplotlib dan uji peramban dilewati. "
            "Pasang paket 'chromium' (sudo apt install chromium) untuk ekspor penuh.",
            flush=True,
        )
        return False
    print("Memasang Chromium dari paket Debian (untuk ekspor gambar dan uji peramban)...", flush=True)
    apt_env = {**env, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "env": apt_env}
    run(["apt-get", "update", "-q"], **quiet)
    done = run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *APT_PACKAGES], **quiet)
    return done.returncode == 0 and find_chromium(which) is not None
