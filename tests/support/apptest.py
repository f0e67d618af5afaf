"""Open the app under AppTest on one page, as a browser would: app.py (login gate, navigation) first.

One helper instead of a copy per page test; a page test says which page, what is in the
session (a scoped user) and the query string, and gets the AppTest after the page ran.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page(
    page: str | None = None,
    *,
    session: Mapping[str, object] | None = None,
    query: Mapping[str, str] | None = None,
    timeout: float = 120,
    run_app_first: bool = True,
    check: bool = True,
) -> AppTest:
    """The AppTest after `page` ("pages/kader.py"; None = the default page) ran.

    run_app_first: run app.py once before switching, as a visitor lands on the home page
    first; False opens the page directly (a deep link). check: fail on any exception.
    """
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.query_params.update(query or {})
    if run_app_first or page is None:
        at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    if check:
        assert not at.exception, [e.value for e in at.exception]
    return at


def app_page_files() -> list[str]:
    """Every page app.py lists in st.navigation ("pages/kader.py", …), read from its source."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", None) == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
