"""One definition per number: a page's source line names its registers as the catalogue does
(`dashboard/catalogue/registers.py`, through `indicator_sources` or `register_sources`), never in
a literal of its own that can drift from the exports and the Katalog page. This holds for every
register: e-PPGBM, the posyandu master, the kader register and training, the monthly report, the
SPM services, the indices, the surveys, the mentoring teams and visits, the budget, the targets."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dashboard.catalogue.registers import SOURCE_NAMES, register_source, register_sources
from etl.registers import REGISTERS

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("pages", "dashboard/ui", "dashboard/maps", "dashboard/charts", "dashboard/rapat")

# How a source line names a register, in every spelling pages have used.
REGISTER_WORDS = re.compile(
    r"ppgbm|master|\bregister\b|laporan|pelatihan|\bspm\b|pendamping|anggaran|apbdes|\bssgi\b|\bski\b|\bidm\b|indeks desa",
    re.IGNORECASE,
)
# Calls that read the catalogue: their arguments are codes, not source text,
# except indicator_sources' extra remarks ("data rutin, bukan survei"), which are checked.
CATALOGUE_CALLS = {"indicator_sources", "register_sources", "register_source", "indicator"}
# Where a source line goes: call name → (position, keyword) of the source argument.
SOURCE_ARGUMENTS = {
    "source_note": (0, "sources"),
    "show_table": (2, "source_note"),
    "ChartMeta": (2, "source_note"),
    "MapIndicator": (4, "source"),
}
SUMBER = re.compile(r"\bsumber:([^{}]*)", re.IGNORECASE)


def _name(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[position] if len(call.args) > position else None


def _literal_texts(node: ast.expr) -> list[str]:
    """The string literals in ``node`` outside the catalogue calls (their extra remarks included)."""
    if isinstance(node, ast.Call) and _name(node) in CATALOGUE_CALLS:
        extra = _argument(node, 1, "extra") if _name(node) == "indicator_sources" else None
        return _literal_texts(extra) if extra is not None else []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return [text for child in ast.iter_child_nodes(node) for text in _literal_texts(child)]


def _f_string_text(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def literal_sources(source: str) -> list[tuple[int, str]]:
    """(line, text) of every source line in ``source`` that names a register in a literal."""
    found = []
    tree = ast.parse(source)
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Call) and _name(node) in SOURCE_ARGUMENTS:
            argument = _argument(node, *SOURCE_ARGUMENTS[_name(node)])
            if argument is not None:
                found += [(node.lineno, text) for text in _literal_texts(argument) if REGISTER_WORDS.search(text)]
        text = _f_string_text(node) if isinstance(node, ast.JoinedStr) else None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        if text is not None:
            found += [(node.lineno, text) for named in SUMBER.findall(text) if REGISTER_WORDS.search(named)]
    return sorted(set(found))


def test_pages_take_every_source_register_from_the_catalogue():
    files = sorted(path for folder in SCANNED for path in (ROOT / folder).glob("*.py"))
    literals = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in files
        for line, text in literal_sources(path.read_text(encoding="utf-8"))
    ]
    assert literals == [], "a source line naming a register in a literal (use register_sources):\n" + "\n".join(
        literals
    )


def test_the_check_finds_a_literal_source_of_any_register():
    planted = """
source_note("register kader dan master posyandu", as_of)
source_note(f"laporan bulanan posyandu, {year}", as_of)
source_note(indicator_sources(["stunting"], ["daftar tim pendamping"]), as_of)
show_table(t, "Judul", "Sumber: register anggaran posyandu (APBDes)", "k")
ChartMeta(title="x", subtitle="y", source_note=source_note("layanan 6 SPM", as_of))
MapIndicator(spec, "v", "n", "unit", "e-PPGBM (data rutin)", "month", describe)
st.caption(f"{n} posyandu · sumber: kunjungan pendampingan")
st.caption("Sumber: SSGI 2024")
"""
    assert sorted({line for line, _ in literal_sources(planted)}) == [2, 3, 4, 5, 6, 7, 8, 9]


def test_the_check_lets_catalogue_sources_and_plain_remarks_pass():
    allowed = """
source_note(register_sources([("kader", "kolom Bidang SPM"), "posyandu"]), as_of)
source_note(indicator_sources(["stunting"], ["data rutin, bukan survei", register_sources(["mentoring_team"])]), as_of)
st.caption(f"{n} posyandu · sumber: {register_sources(['posyandu'])}")
show_table(t, "Katalog", "Sumber: katalog indikator Dasbor Posyandu Kukar", "k")
"""
    assert literal_sources(allowed) == []


def test_every_register_has_a_source_name_the_check_recognises():
    assert {register.name for register in REGISTERS} <= set(SOURCE_NAMES)
    unrecognised = [name for name in SOURCE_NAMES.values() if not REGISTER_WORDS.search(name)]
    assert unrecognised == []


def test_a_register_with_its_columns_reads_as_one_name():
    assert register_source("kader", "kolom Bidang SPM") == "Register kader (kolom Bidang SPM)"
    # a name that carries brackets takes the detail inside them, never "(…) (…)"
    assert register_source("monthly_report", "SKDN") == "Laporan bulanan posyandu (SIP Format 5–6; SKDN)"
    assert register_sources(["kader", "posyandu", "kader"]) == "Register kader; Master posyandu"
