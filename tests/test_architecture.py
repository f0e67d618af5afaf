"""The layers of docs/architecture.md, read from the import statements of every module (ast).

Fails when a module imports against the direction (a chart importing streamlit or a query,
the ETL importing the dashboard) and when any import circle exists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("dashboard", "etl", "pages")
STREAMLIT = ("streamlit", "streamlit_folium")

# The dashboard's folders above the pure base (formatting, theme, filters, catalogue).
DASHBOARD_LAYERS = (
    "dashboard.metrics",
    "dashboard.db",
    "dashboard.queries",
    "dashboard.charts",
    "dashboard.maps",
    "dashboard.export",
    "dashboard.rapat",
    "dashboard.ui",
    "dashboard.auth",
)


def _all_but(*allowed: str) -> tuple[str, ...]:
    """Every dashboard layer and streamlit, except the layers named."""
    return (*(layer for layer in DASHBOARD_LAYERS if layer not in allowed), *STREAMLIT)


# Layer -> module prefixes it must not import. A prefix matches the module and its submodules.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "dashboard.formatting": ("dashboard.", *STREAMLIT),
    "dashboard.theme": ("dashboard.", *STREAMLIT),
    "dashboard.filters": _all_but(),
    "dashboard.catalogue": _all_but(),
    "dashboard.metrics": _all_but(),
    "dashboard.queries": _all_but("dashboard.db", "dashboard.metrics"),
    "dashboard.charts": _all_but("dashboard.metrics"),
    "dashboard.maps": _all_but("dashboard.metrics"),
    "dashboard.export": _all_but(),
    "dashboard.followup": _all_but("dashboard.export"),
    "dashboard.rapat": _all_but(
        "dashboard.db",
        "dashboard.metrics",
        "dashboard.queries",
        "dashboard.charts",
        "dashboard.maps",
        "dashboard.export",
    ),
    "dashboard.refresh": _all_but("dashboard.db"),
    "etl": ("dashboard", "pages", *STREAMLIT),
    "etl.transform": ("etl.build", "etl.load", "etl.extract", "etl.cli_zscores", "duckdb"),
}
# The base's one allowed edge (docs/architecture.md: formatting and theme import each other
# only): theme's axis ticks are written by formatting's Bahasa numbers; the no-circle test
# keeps formatting from importing theme back.
BASE_EXCEPTIONS = {"dashboard.theme": ("dashboard.formatting",)}
# Only these may import streamlit (directly or through another module).
STREAMLIT_ALLOWED = ("dashboard.ui", "dashboard.auth", "dashboard.db", "dashboard.bootstrap", "pages", "app")
# The query layer reaches streamlit only through db.py's version-keyed cache (st.cache_data):
# the chain stops there. Charts, metrics, maps and export may not import db at all (FORBIDDEN).
CACHE_BOUNDARY = "dashboard.db"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = {_module_name(p): p for d in SOURCE_DIRS for p in (REPO / d).rglob("*.py")}
    files["app"] = REPO / "app.py"
    return files


SOURCES = _sources()


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, at the top or inside a function (a lazy import still binds)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:  # `from dashboard.export import press` imports a module
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in SOURCES else base)
    return found


GRAPH = {name: _imports(name, path) for name, path in SOURCES.items()}


def _matches(module: str, prefix: str) -> bool:
    return module.startswith(prefix) if prefix.endswith(".") else module == prefix or module.startswith(prefix + ".")


def _layer(module: str) -> list[str]:
    return [layer for layer in FORBIDDEN if _matches(module, layer)]


def test_the_tree_is_read():
    assert "dashboard.charts.stunting" in GRAPH and "etl.build" in GRAPH and "pages.stunting" in GRAPH
    assert "streamlit" in GRAPH["dashboard.ui.page"]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_against_the_layer_direction(module):
    wrong = sorted(
        f"{module} imports {imported} ({layer} must not import {prefix})"
        for layer in _layer(module)
        for imported in GRAPH[module]
        for prefix in FORBIDDEN[layer]
        if _matches(imported, prefix)
        and not _matches(imported, layer)
        and not any(_matches(imported, allowed) for allowed in BASE_EXCEPTIONS.get(layer, ()))
    )
    assert not wrong, "\n".join(wrong)


def _reaches_streamlit(module: str, seen: set[str]) -> list[str] | None:
    """A chain of imports from `module` to streamlit, or None."""
    for imported in sorted(GRAPH.get(module, ())):
        if imported.split(".")[0] in STREAMLIT:
            return [module, imported]
        if imported in GRAPH and imported not in seen and imported != CACHE_BOUNDARY:
            seen.add(imported)
            chain = _reaches_streamlit(imported, seen)
            if chain:
                return [module, *chain]
    return None


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if not any(_matches(m, p) for p in STREAMLIT_ALLOWED)))
def test_only_the_ui_layer_reaches_streamlit(module):
    chain = _reaches_streamlit(module, {module})
    assert chain is None, " → ".join(chain)


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in GRAPH:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in GRAPH[node]:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle():
    assert _cycles() == []


def test_the_circle_finder_finds_a_circle(monkeypatch):
    monkeypatch.setitem(GRAPH, "etl.load", GRAPH["etl.load"] | {"etl.build"})
    assert ["etl.build", "etl.load"] in _cycles()
