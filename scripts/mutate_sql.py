"""SQL operator mutations over etl/sql/: each mutant is applied alone to a scratch copy of the
working tree and the tests that concern that model are run; a mutant is killed when they fail.

Mutations: comparison operators (< ↔ <=, > ↔ >=, = → <>, <> → =), desc ↔ asc, boundary
constants (an integer in a comparison or `between` ± 1), count(col) → count(*) and
count(*) → count(<the first column the model counts>). Comments are left alone.

    python scripts/mutate_sql.py                       # every model listed in MODELS
    python scripts/mutate_sql.py --only mart_stunting_by_area_month
    python scripts/mutate_sql.py --only mart_stunting_by_area_month --match "haz <= -2"

Outcomes are kept in .mutants/sql-results.json, keyed by the mutated file, as mutmut keeps its
own: a run stopped part-way goes on where it stopped; a killed mutant stays killed while its
model is unchanged; a survivor is tested again when anything its tests read changed since (the
tests, tests/support, the other models, etl/load.py, etl/models.py), so a new test is tried on
the survivors without re-running every killed mutant.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRATCH = REPO / ".mutants" / "sql"  # with --only, one copy per selection: runs may go side by side
# mutant → {"killed": bool, "context": what its tests read then}, kept across runs: killed stays
# killed while the model is unchanged; a survivor is retested once its context changed
RESULTS = REPO / ".mutants" / "sql-results.json"
NICENESS = 15
SQL_TESTS = ("tests/etl/test_sql_models.py",)
POSYANDU_TESTS = ("tests/etl/test_pembina_models_by_hand.py",)
AREA_TESTS = (*POSYANDU_TESTS, "tests/dashboard/test_area_indicators_by_hand.py")
BUDGET_TESTS = ("tests/etl/test_budget_models.py", "tests/sql/test_budget_denominators_by_hand.py")
COVERAGE_TESTS = ("tests/sql/test_nutrition_coverage_by_hand.py",)

# The models whose numbers users see → the fast tests that run them on hand-made rows.
MODELS = {
    "fct_measurement": SQL_TESTS,
    "fct_child_month": ("tests/sql/test_child_month_by_hand.py", *SQL_TESTS),
    "mart_stunting_by_area_month": ("tests/sql/test_stunting_intervals_by_hand.py", *SQL_TESTS),
    "mart_data_quality_by_kecamatan_month": ("tests/sql/test_data_quality_position_by_hand.py", *SQL_TESTS),
    "dim_master_posyandu": POSYANDU_TESTS,
    "dim_posyandu": POSYANDU_TESTS,
    "int_master_in_force_month": ("tests/etl/test_master_in_force_by_hand.py", *POSYANDU_TESTS),
    "mart_kader_by_posyandu_month": ("tests/sql/test_kader_attendance_by_hand.py", *POSYANDU_TESTS, *SQL_TESTS),
    "fct_posyandu_legality_month": POSYANDU_TESTS,
    "fct_spm_field_month": POSYANDU_TESTS,
    "mart_area_indicators_month": AREA_TESTS,
    "mart_area_snapshot": AREA_TESTS,
    "int_budget_by_area_year": BUDGET_TESTS,
    "mart_budget_by_desa_year": BUDGET_TESTS,
    "mart_budget_by_kecamatan_year": BUDGET_TESTS,
    "mart_nutrition_coverage_by_kecamatan_month": COVERAGE_TESTS,
}

# Models whose tests share a file with other models' tests: only the tests whose names hold
# this text are run for them (pytest -k), so a mutant does not wait for unrelated builds.
KEYWORDS = {"mart_data_quality_by_kecamatan_month": "data_quality", "mart_stunting_by_area_month": "stunting"}


@dataclass(frozen=True)
class Mutant:
    model: str
    line: int
    before: str
    after: str
    text: str  # the whole mutated file


_COMPARISON = re.compile(r"(?<![<>=!])(<=|>=|<>|!=|<|>|=)(?![<>=])")
_SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "=": "<>", "<>": "=", "!=": "="}
_ORDER = re.compile(r"\b(desc|asc)\b", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+(-?\d+)\s+and\s+(-?\d+)\b", re.IGNORECASE)
_CONSTANT_AFTER_OPERATOR = re.compile(r"(?:<=|>=|<>|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)\b")
_COUNT_COLUMN = re.compile(r"\bcount\((?!\*|distinct\b)([a-z_][a-z0-9_.]*)\)", re.IGNORECASE)
_COUNT_STAR_PLAIN = re.compile(r"\bcount\(\*\)(?!\s+filter)", re.IGNORECASE)


def _code_part(line: str) -> str:
    """The line up to a `--` comment (no string literal here contains `--`)."""
    return line.split("--", 1)[0]


def _bump(number: str, step: int) -> str:
    if "." in number:
        decimals = len(number.split(".")[1])
        return f"{float(number) + step * 10**-decimals:.{decimals}f}"
    return str(int(number) + step)


def mutants_of(model: str, text: str) -> list[Mutant]:
    lines = text.split("\n")
    found: list[Mutant] = []
    first_counted = _COUNT_COLUMN.search("\n".join(_code_part(line) for line in lines))
    counted_column = first_counted.group(1) if first_counted else None

    def add(i: int, start: int, end: int, replacement: str) -> None:
        line = lines[i]
        changed = line[:start] + replacement + line[end:]
        whole = "\n".join([*lines[:i], changed, *lines[i + 1 :]])
        found.append(Mutant(model, i + 1, line.strip(), changed.strip(), whole))

    for i, line in enumerate(lines):
        code = _code_part(line)
        if not code.strip():
            continue
        for m in _COMPARISON.finditer(code):
            if code[max(0, m.start() - 1) : m.start()] == ":" or code[m.end() : m.end() + 1] == ">":
                continue  # := and => are not comparisons
            add(i, m.start(), m.end(), _SWAP[m.group(1)])
        for m in _ORDER.finditer(code):
            add(i, m.start(), m.end(), "asc" if m.group(1).lower() == "desc" else "desc")
        for m in _BETWEEN.finditer(code):
            for group in (1, 2):
                for step in (-1, 1):
                    add(i, m.start(group), m.end(group), _bump(m.group(group), step))
        for m in _CONSTANT_AFTER_OPERATOR.finditer(code):
            for step in (-1, 1):
                add(i, m.start(1), m.end(1), _bump(m.group(1), step))
        for m in _COUNT_COLUMN.finditer(code):
            add(i, m.start(), m.end(), "count(*)")
        if counted_column:  # count(*) over rows → count of one nullable column's values
            for m in _COUNT_STAR_PLAIN.finditer(code):
                add(i, m.start(), m.end(), f"count({counted_column})")
    return found


def _copy_tree(into: Path) -> None:
    shutil.rmtree(into, ignore_errors=True)
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    for relative in listed.split("\0"):
        if relative and not relative.startswith("data/sample/") and (REPO / relative).is_file():
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / relative, target)


def _preload(work: Path) -> None:
    """Import pytest, pandas, DuckDB and the package once; each mutant's run is a fork of this
    process, so it pays only for its tests (the SQL files are read when a test builds)."""
    os.chdir(work)
    sys.path.insert(0, str(work))
    os.nice(max(0, NICENESS - os.nice(0)))
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401

    import etl.load

    # what every build reads (areas, norms) and the dashboard queries the area tests call: read
    # and imported once here, not again in each mutant's fork (3–4 s each on a loaded machine)
    etl.load.kecamatan_frame(), etl.load.desa_frame(), etl.load.read_norms()
    import dashboard.queries.priority  # noqa: F401


def _killed(tests: tuple[str, ...], keyword: str | None = None) -> bool:
    pid = os.fork()
    if pid == 0:
        import pytest

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        selection = ["-k", keyword] if keyword else []
        code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", "-p", "no:xdist", *selection, *tests])
        os._exit(int(code))
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) != 0


def _fingerprint(work: Path, model: str, tests: tuple[str, ...]) -> str:
    """What a mutant's outcome depends on besides the mutant itself."""
    digest = hashlib.sha256()
    paths = [
        *tests,
        *sorted(str(p.relative_to(work)) for p in (work / "tests" / "support").glob("*.py")),
        *sorted(str(p.relative_to(work)) for p in (work / "etl" / "sql").rglob("*.sql") if p.stem != model),
        "etl/load.py",
        "etl/models.py",
    ]
    for relative in paths:
        path = work / relative
        digest.update(relative.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()


def _load_results() -> dict[str, dict]:
    try:
        kept = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return {}
    # the old format (a bare bool per model-and-context key) cannot be matched to a mutant
    return {k: v for k, v in kept.items() if isinstance(v, dict)}


def _record(key: str, outcome: dict) -> None:
    """Add one outcome to the kept results, under a lock: runs of other selections write there too."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        results = _load_results()
        results[key] = outcome
        temporary = RESULTS.with_suffix(".tmp")
        temporary.write_text(json.dumps(results))
        os.replace(temporary, RESULTS)


def _outcome(results: dict[str, dict], key: str, context: str) -> bool | None:
    """True killed, False survived, None not yet tested (or a survivor whose tests changed)."""
    kept = results.get(key)
    if kept is None:
        return None
    if kept["killed"] or kept["context"] == context:
        return kept["killed"]
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="model name (repeatable)")
    parser.add_argument("--match", help="only the mutants whose mutated line contains this text")
    parser.add_argument("--fresh", action="store_true", help="forget the kept results and test every mutant")
    parser.add_argument("--report", action="store_true", help="print the kept results for this tree, test nothing")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes when piped to a file
    results = {} if args.fresh else _load_results()
    scratch = SCRATCH.with_name("sql-" + "-".join(sorted(args.only))[:80]) if args.only else SCRATCH
    work = REPO if args.report else scratch  # a report leaves a running test's scratch copy alone
    if not args.report:
        _copy_tree(scratch)
        _preload(scratch)
    sql_dir = work / "etl" / "sql"
    summary = []
    for model, tests in MODELS.items():
        if args.only and model not in args.only:
            continue
        path = sql_dir / f"{model}.sql"
        present = tuple(t for t in tests if (work / t).exists())
        if not path.exists() or not present:
            print(f"\n== {model}.sql: skipped (model or its tests {list(tests)} not in this checkout)")
            continue
        original = path.read_text()
        started = time.monotonic()
        survivors = []
        unchecked = 0
        stale = 0
        mutants = [m for m in mutants_of(model, original) if not args.match or args.match in m.after]
        keyword = KEYWORDS.get(model)
        # a report compares with the working tree: a survivor of older tests is shown as such
        context = _fingerprint(work, model, present)
        context += keyword or ""
        keys = [hashlib.sha256((model + "\0" + m.text).encode()).hexdigest() for m in mutants]
        to_test = not args.report and any(_outcome(results, k, context) is None for k in keys)
        if to_test and _killed(present, keyword):
            # every mutant would count as killed: a failing baseline says nothing
            print(f"\n== {model}.sql: its tests fail on the unmutated model; fix them first ({' '.join(present)})")
            continue
        try:
            for mutant, key in zip(mutants, keys, strict=True):
                outcome = _outcome(results, key, context)
                if outcome is None and args.report:
                    kept = results.get(key)
                    if kept is None:
                        unchecked += 1
                        continue
                    outcome = kept["killed"]  # a survivor of older tests: shown, retested next run
                    stale += 1
                if outcome is None:
                    path.write_text(mutant.text)
                    outcome = _killed(present, keyword)
                    results[key] = {"killed": outcome, "context": context}
                    _record(key, results[key])
                if not outcome:
                    survivors.append(mutant)
        finally:
            if not args.report:
                path.write_text(original)
        checked = len(mutants) - unchecked
        killed = checked - len(survivors)
        rate = killed / checked if checked else 1.0
        print(
            f"\n== {model}.sql (tests {' '.join(present)}): {killed}/{checked} killed ({rate:.0%}), "
            + (f"{unchecked} not checked yet, " if unchecked else "")
            + (f"{stale} survivors of older tests (retested next run), " if stale else "")
            + f"{time.monotonic() - started:.0f} s"
        )
        for s in survivors:
            print(f"  line {s.line}: {s.before}\n        → {s.after}")
        summary.append((model, killed, checked))
    print("\nSQL model                              killed / total   rate")
    for model, killed, total in summary:
        print(f"{model:<38} {killed:>6} / {total:<6}  {killed / total if total else 1:6.1%}")
    killed = sum(k for _, k, _ in summary)
    total = sum(t for _, _, t in summary)
    if total:
        print(f"{'all SQL models':<38} {killed:>6} / {total:<6}  {killed / total:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
