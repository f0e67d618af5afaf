"""`streamlit run app.py …` with Streamlit's old pages/-folder mode off before the first request.

    python -m scripts.launcher.streamlit_server run app.py [streamlit options]

Every server the project starts goes through here: `run`, `rapat` (also on Windows) and each
process of `serve`. Why: Streamlit decides once per process, when its first session starts,
whether the app "uses a pages directory", and says yes because app.py has a folder named
`pages/` beside it. Until st.navigation has run once, such a process treats `pages/` as
old-style multipage: it names pages after their files (paket_rapat), so the first deep link
after a start to /paket-rapat or /tindak-lanjut gets Streamlit's English "Page not found"
dialog over the right page (app.py's st.navigation then finds it). app.py always navigates
with st.navigation, which switches the mode off for good; here it is off from the start, so
no first request of any process can meet it. A plain `streamlit run app.py` still can; there
`dashboard/ui/page.py`'s `leave_legacy_pages_mode` keeps a deep-linked page behind the login.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def turn_off_pages_folder_mode() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if not hasattr(PagesManager, "uses_pages_directory"):
        # A Streamlit without this switch: the real-server test (tests/scripts/test_first_deep_link.py) says so.
        print("peringatan: versi Streamlit ini tidak dikenal oleh scripts/launcher/streamlit_server.py", flush=True)
    PagesManager.uses_pages_directory = False


def main(argv: Sequence[str]) -> int:
    turn_off_pages_folder_mode()
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]  # what `python -m streamlit` sees: same options, same messages
    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
