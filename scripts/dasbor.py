#!/usr/bin/env python3
"""Dasbor Posyandu Kukar: one command for every system.

    python3 scripts/dasbor.py run     # Linux and macOS (what `make run` calls)
    py scripts\\dasbor.py run          # Windows PowerShell

Run with no command for the list. This file must stay parseable by any Python, so that an
old one prints what to install instead of a syntax error; the work is in scripts/launcher/.
"""

import sys

if sys.version_info < (3, 7):  # noqa: UP036 - an old Python must reach this message
    sys.stderr.write(
        "Python " + sys.version.split()[0] + " terlalu lama: dasbor memerlukan Python 3.11 atau lebih baru.\n"
        "Pasang dari https://www.python.org/downloads/ (Windows: centang 'Add python.exe to PATH'),\n"
        "atau di Debian/Ubuntu: sudo apt install python3 python3-venv\n"
    )
    sys.exit(1)

from launcher.main import main  # noqa: E402 - only after the version check above

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
