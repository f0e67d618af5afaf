#!/usr/bin/env bash
# Installs what the dashboard needs on a fresh machine: Python packages (exact pins) and,
# with --dev, test tools plus Debian's Chromium for browser tests and chart export.
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt

stamp=".install-stamp-$(basename "$requirements" .txt)"
if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  "$PYTHON" -m pip install --disable-pip-version-check -q -r "$requirements"
  touch "$stamp"
fi

# Chart export (kaleido) and browser tests use the system's Chromium; never a downloaded one.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
  else
    echo "Chromium tidak ditemukan: ekspor gambar memakai matplotlib. Pasang paket 'chromium' untuk ekspor penuh." >&2
  fi
fi
