"""One definition per number: a page's source line for a child-nutrition figure (the press
headline's register, e-PPGBM) names the register the catalogue gives the indicator, not a literal
of its own that can drift from the exports and the Katalog page."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _literal_source_notes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "source_note" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant | ast.JoinedStr) and "ppgbm" in ast.unparse(first).lower():
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_pages_take_source_registers_from_the_catalogue():
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "dashboard" / "ui").glob("*.py"))
    literals = [hit for path in files for hit in _literal_source_notes(path)]
    assert literals == [], "source_note() naming e-PPGBM in a literal (use indicator_sources): " + ", ".join(literals)
