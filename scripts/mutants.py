"""`make mutants`: mutation check of the modules that compute the numbers users see.

Each module is mutated by mutmut against only the fast tests that concern it, in its own
scratch copy of the working tree (.mutants/<module>/), so one module's run neither waits
for the whole suite nor shares a cache with another. The copy and mutmut's results are kept:
a run stopped part-way goes on where it stopped, killed mutants stay killed while their
function is unchanged, and survivors are retested against the tests added since. Prints the kill rate per module and
every surviving mutant with its diff; `scripts/mutate_sql.py` does the same for etl/sql/.

    python scripts/mutants.py                 # every module, then the SQL mutations
    python scripts/mutants.py --only priority # one module (name from MODULES)
    python scripts/mutants.py --no-sql        # Python modules only
    python scripts/mutants.py --only priority --fresh  # forget the kept results first
    python scripts/mutants.py --only priority --survivors  # after adding tests: retest the survivors
    python scripts/mutants.py --only priority --survivors --match "*score_priority*"  # some of them

Not part of `make test`: a full run takes tens of minutes on two cores.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import filecmp
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRATCH = REPO / ".mutants"
TARGET_KILL_RATE = 0.90
NICENESS = 15  # two cores shared by a team: mutmut runs at this niceness, however it was started


@dataclass(frozen=True)
class Module:
    name: str
    path: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()  # mutate only these (a big module's number-computing part)


# module → the fast tests (no session warehouse) that check it; a path that does not exist in
# this checkout (a module moved, a test not written yet) is left out and reported.
MODULES = (
    Module(
        "zscores",
        "etl/transform/zscores.py",
        (
            "tests/etl/test_zscores.py",
            "tests/etl/test_zscores_inputs.py",
            "tests/etl/test_zscores_helpers.py",
            "tests/etl/test_prevalence.py",  # round_zscores against R's round
            "tests/etl/test_who_parity.py",
            "tests/etl/test_cli_zscores.py",
        ),
    ),
    Module(
        "prevalence",
        "etl/transform/prevalence.py",
        (
            "tests/etl/test_prevalence.py",
            "tests/etl/test_prevalence_inputs.py",
            "tests/etl/test_prevalence_edges.py",
            "tests/etl/test_who_parity.py",  # WHO's own cases, and boundaries, against R's anthro/survey
            "tests/etl/test_cli_prevalence.py",
            "tests/etl/test_nutrition_marts.py",
        ),
    ),
    Module(
        "validate",
        "etl/validate.py",
        (
            "tests/etl/test_validate.py",
            "tests/etl/test_validate_messages.py",
            "tests/etl/test_validate_values.py",
            "tests/etl/test_validate_rupiah.py",
            "tests/etl/test_validate_formats.py",
            "tests/etl/test_validate_edges.py",
            "tests/etl/test_validate_row_records.py",
            "tests/etl/test_validate_table.py",
            "tests/etl/test_reader.py",
            "tests/etl/test_reader_hostile.py",
            "tests/etl/test_budget_register.py",
        ),
    ),
    Module(
        "measurements",
        "etl/transform/measurements.py",
        (
            "tests/etl/test_measurements.py",
            "tests/etl/test_measurements_posyandu_key.py",
            "tests/etl/test_measurements_rules.py",
        ),
    ),
    Module("nutrition-marts", "etl/transform/nutrition_marts.py", ("tests/etl/test_nutrition_marts.py",)),
    Module("priority", "dashboard/metrics/priority.py", ("tests/dashboard/test_priority.py",)),
    Module("scorecard", "dashboard/metrics/scorecard.py", ("tests/dashboard/test_scorecard.py",)),
    Module(
        "rounding",
        "dashboard/formatting.py",
        ("tests/dashboard/test_formatting.py", "tests/dashboard/test_formatting_defaults.py"),
        (
            "_round_half_up",
            "_rounded_float",
            "round_half_up",
            "_as_floats",
            "_as_float",
            "format_number",
            "format_percent",
            "format_share",
        ),
    ),
    Module(
        "export-suppression",
        "dashboard/export/tables.py",
        ("tests/dashboard/test_export.py", "tests/dashboard/test_export_suppression.py"),
        ("neutralise_formulas", "suppress_small_cells", "suppress_child_cells", "_child_rate", "_prepare_table"),
    ),
    Module(
        "scope",
        "dashboard/filters.py",
        ("tests/dashboard/test_filters.py",),
        ("visible_kec", "single_kec", "params", "kec_clause", "posyandu_clause", "desa_clause"),
    ),
)
# Where a module lived before (or may move to): the first that exists is mutated.
OTHER_LOCATIONS = {
    "dashboard/metrics/priority.py": ("dashboard/priority.py",),
    "dashboard/metrics/scorecard.py": ("dashboard/scorecard.py",),
    "dashboard/export/tables.py": ("dashboard/export/press.py", "dashboard/export.py"),
}


def _working_tree_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode()
    return [p for p in listed.split("\0") if p and not p.startswith("data/sample/") and (REPO / p).is_file()]


def _same(a: Path, b: Path) -> bool:
    return b.exists() and filecmp.cmp(a, b, shallow=False)


def _prepare(module: Module, path: str, tests: list[str], fresh: bool) -> tuple[Path, bool]:
    """Bring the module's scratch copy up to date with the working tree, keeping mutmut's
    results (mutants/): a run stopped by load goes on where it stopped, and a module whose
    code did not change retests only the mutants not yet killed. Returns (copy, whether the
    mutated file changed since the last run)."""
    work = SCRATCH / module.name
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    source_changed = not _same(REPO / path, work / path)
    remap = source_changed
    for relative in _working_tree_files():
        target = work / relative
        if relative == "pyproject.toml" or _same(REPO / relative, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / relative, target)
        remap = remap or relative.startswith("tests/")
        if relative == path:
            os.utime(target)  # newer than mutmut's mutated copy, so mutmut regenerates it
        else:
            # mutmut copies the unmutated sources once; drop its stale copy so it copies again
            (work / "mutants" / relative).unlink(missing_ok=True)
    earlier = _selected_tests(work / "pyproject.toml")
    if remap and (earlier is None or set(earlier) <= set(tests)):
        # mutmut maps which tests reach which function once, and later only for new test names:
        # a changed test, or a new function an old test now reaches, stays unmapped and its
        # mutants "survive" untested. Map every test again; the verdicts are kept (a test list
        # that lost a file is left to mutmut, which then forgets every verdict).
        (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    config = (
        (REPO / "pyproject.toml").read_text(encoding="utf-8") + "\n[tool.mutmut]\n"
        'source_paths = ["etl", "dashboard"]\n'
        f'only_mutate = ["{path}"]\n'
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        'also_copy = ["data/reference"]\n'  # the targets register the scorecard and catalogue read
        'pytest_add_cli_args = ["-q", "-p", "no:xdist", "-p", "no:randomly"]\n'
    )
    pyproject = work / "pyproject.toml"
    if not pyproject.exists() or pyproject.read_text(encoding="utf-8") != config:
        earlier = _selected_tests(pyproject)
        pyproject.write_text(config, encoding="utf-8")
        if earlier is not None and set(earlier) <= set(tests):
            _keep_results_for_added_tests(work, tests)
    return work, source_changed


def _selected_tests(pyproject: Path) -> list[str] | None:
    if not pyproject.exists():
        return None
    mutmut_config = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("mutmut", {})
    return mutmut_config.get("pytest_add_cli_args_test_selection")


def _keep_results_for_added_tests(work: Path, tests: list[str]) -> None:
    """mutmut forgets every result when the test selection changes. Tests only added cannot
    revive a killed mutant (survivors are retested anyway), so record the new selection as
    the one the results were made with; mutmut then collects coverage for the new tests
    alone. The fingerprint is mutmut 3.8's (`Config.config_fingerprint`, pinned)."""
    stats_path = work / "mutants" / "mutmut-stats.json"
    if not stats_path.exists():
        return
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    fingerprint = stats.get("config_fingerprint") or {}
    if "test_selection" in fingerprint:
        fingerprint["test_selection"] = hashlib.sha256(repr(tuple(tests)).encode()).hexdigest()[:12]
        stats_path.write_text(json.dumps(stats, indent=4), encoding="utf-8")


def _retest_not_killed(work: Path, path: str, only: list[str] | None = None) -> None:
    """Mark survivors and mutants no test reached (or only the `only` ones) as unchecked, so
    tests added since the last run are tried on them; killed mutants keep their result."""
    meta_path = work / "mutants" / (path + ".meta")
    if not meta_path.exists():
        return
    meta = json.loads(meta_path.read_text())
    codes = meta["exit_code_by_key"]
    for key, code in codes.items():
        if code in (0, 5, 33) and (only is None or key in only):
            codes[key] = None
    meta_path.write_text(json.dumps(meta))


def _not_killed(work: Path, path: str, patterns: list[str]) -> list[str]:
    meta_path = work / "mutants" / (path + ".meta")
    if not meta_path.exists():
        return []
    codes = json.loads(meta_path.read_text())["exit_code_by_key"]
    return [k for k, code in codes.items() if code in (0, 5, 33) and any(fnmatch.fnmatch(k, p) for p in patterns)]


def _unchecked(work: Path, path: str, patterns: list[str]) -> list[str]:
    meta = json.loads((work / "mutants" / (path + ".meta")).read_text())
    return [
        key
        for key, code in meta["exit_code_by_key"].items()
        if code is None and any(fnmatch.fnmatch(key, p) for p in patterns)
    ]


def _outcomes(work: Path, path: str) -> dict[str, str]:
    """mutant name → killed / survived / no tests / not checked, from mutmut's own record."""
    meta = json.loads((work / "mutants" / (path + ".meta")).read_text())
    names = {0: "survived", 1: "killed", 3: "killed", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}
    timeouts = {36, 24, -24, 152, 255, -9, -11}  # a mutant that hangs or crashes the tests is caught
    return {
        key: "killed" if code in timeouts else names.get(code, "suspicious")
        for key, code in meta["exit_code_by_key"].items()
    }


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("_")
    return stem, int(number) if number.isdigit() else 0


def _diffs(work: Path, path: str, mutants: list[str]) -> dict[str, str]:
    """mutant → its changed lines, read from mutmut's mutated copy of the file (one parse for
    all survivors; `mutmut show` per mutant costs a process start each)."""
    source = (work / "mutants" / path).read_text()
    lines = source.splitlines()
    functions = {
        node.name: "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    out = {}
    for mutant in mutants:
        name = mutant.rpartition(".")[2]
        original = name.rpartition("__mutmut_")[0] + "__mutmut_orig"
        before = functions.get(original, "").replace(original, name, 1).splitlines()
        after = functions.get(name, "").splitlines()
        out[mutant] = "\n".join(
            line
            for line in difflib.unified_diff(before, after, lineterm="", n=0)
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
        )
    return out


def run_module(
    module: Module,
    children: int,
    report_only: bool = False,
    fresh: bool = False,
    survivors_only: bool = False,
    match: tuple[str, ...] = (),
) -> dict | None:
    candidates = (module.path, *OTHER_LOCATIONS.get(module.path, ()))
    path = next((c for c in candidates if (REPO / c).exists()), module.path)
    tests = [t for t in module.tests if (REPO / t).exists()]
    if not (REPO / path).exists() or not tests:
        print(f"\n== {module.name}: skipped ({path} or its tests {list(module.tests)} not in this checkout)")
        return None
    dotted = path.removesuffix(".py").replace("/", ".")
    patterns = [f"{dotted}.x*{f}__mutmut_*" for f in module.functions]
    work = SCRATCH / module.name
    started = time.monotonic()
    if not report_only:
        work, source_changed = _prepare(module, path, tests, fresh)
        survivors = _not_killed(work, path, patterns or ["*"]) if survivors_only else []
        survivors = [k for k in survivors if not match or any(fnmatch.fnmatch(k, m) for m in match)]
        _retest_not_killed(work, path, survivors if survivors_only else None)
        names = patterns
        if patterns and not source_changed and (work / "mutants" / (path + ".meta")).exists():
            # mutmut reruns every mutant it is given by name: give it only the unchecked ones
            names = _unchecked(work, path, patterns)
        if survivors_only:
            names = survivors  # after adding tests: the last run's survivors only, not the unchecked
        if names or not (patterns or survivors_only):
            subprocess.run(
                [
                    "nice",
                    "-n",
                    str(max(0, NICENESS - os.nice(0))),
                    "mutmut",
                    "run",
                    "--max-children",
                    str(children),
                    *names,
                ],
                cwd=work,
                env={**os.environ, "PYTHONPATH": str(work)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    if not (work / "mutants" / (path + ".meta")).exists():
        print(f"\n== {module.name}: mutmut produced no results (see {work})")
        return None
    outcomes = _outcomes(work, path)
    if module.functions:
        outcomes = {k: v for k, v in outcomes.items() if any(fnmatch.fnmatch(k, p) for p in patterns)}
    survivors = sorted((k for k, v in outcomes.items() if v != "killed"), key=_natural)
    counted = {k: v for k, v in outcomes.items() if v not in ("skipped", "not checked")}
    total = len(counted)
    killed = sum(v == "killed" for v in counted.values())
    rate = killed / total if total else 1.0
    unchecked = sum(v == "not checked" for v in outcomes.values())
    print(
        f"\n== {module.name} ({path}; tests {' '.join(tests)}): {killed}/{total} killed ({rate:.0%}), "
        f"{len(survivors) - unchecked} not killed"
        + (f", {unchecked} not checked yet (run again to go on)" if unchecked else "")
        + f", {time.monotonic() - started:.0f} s"
    )
    diffs = _diffs(work, path, survivors)
    for mutant in survivors:
        if outcomes[mutant] == "not checked":
            continue
        print(f"  {mutant} ({outcomes[mutant]})")
        for line in diffs[mutant].splitlines():
            print(f"      {line}")
    return {"module": module.name, "killed": killed, "total": total, "unchecked": unchecked}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="module name from MODULES (repeatable)")
    parser.add_argument("--no-sql", action="store_true", help="skip scripts/mutate_sql.py")
    parser.add_argument("--children", type=int, default=2, help="parallel mutmut workers (default 2)")
    parser.add_argument("--report", action="store_true", help="print the last run's results again, run nothing")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results and mutate from scratch")
    parser.add_argument(
        "--survivors", action="store_true", help="retest only the last run's survivors (quick, after adding tests)"
    )
    parser.add_argument(
        "--match", action="append", default=[], help="with --survivors: only mutants whose name matches (glob)"
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes when piped to a file
    chosen = [m for m in MODULES if not args.only or m.name in args.only]
    results = [
        r
        for m in chosen
        if (r := run_module(m, args.children, args.report, args.fresh, args.survivors, tuple(args.match)))
    ]
    print("\nmodule                 killed / total   rate")
    for r in results:
        rate = r["killed"] / r["total"] if r["total"] else 1.0
        left = f"  ({r['unchecked']} not checked yet)" if r["unchecked"] else ""
        print(f"{r['module']:<22} {r['killed']:>6} / {r['total']:<6}  {rate:6.1%}{left}")
    killed = sum(r["killed"] for r in results)
    total = sum(r["total"] for r in results)
    if total:
        print(
            f"{'all Python modules':<22} {killed:>6} / {total:<6}  {killed / total:6.1%}  (target {TARGET_KILL_RATE:.0%})"
        )
    if not args.no_sql and not args.report:
        subprocess.run([sys.executable, str(REPO / "scripts" / "mutate_sql.py")], cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
