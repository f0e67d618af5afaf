"""Screenshot app pages with headless Chromium (system binary), blocking non-loopback requests.

python scripts/screenshot.py http://localhost:8501 ringkasan stunting ... --out docs/screenshots
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
        for name in args.pages:
            page.goto(f"{args.base_url}/{name}")
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
            page.wait_for_timeout(2500)
            path = args.out / f"{name.split('?')[0] or 'home'}.png"
            page.screenshot(path=str(path), full_page=args.full)
            print(path)
        browser.close()


if __name__ == "__main__":
    main()
