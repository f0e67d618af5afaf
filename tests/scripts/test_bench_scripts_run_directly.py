"""Every bench/ script starts the way its docstring says, `python bench/<script>.py`: from
another folder, with no PYTHONPATH (the launcher sets one; a user typing the command does not).

`--help` runs each script's module-level imports (the project modules it needs are imported
there); profile_pages, whose app.py is imported by AppTest at run time, profiles one page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(path.name for path in (REPO / "bench").glob("*.py"))


def _as_a_user_runs_it(args: list[str], cwd: Path, extra_env: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env={**env, **(extra_env or {})}, capture_output=True, text=True, timeout=600
    )


def test_every_bench_script_is_listed():
    assert {"bench_scale.py", "load_test.py", "profile_pages.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_documented_command_starts_without_pythonpath(script, tmp_path):
    done = _as_a_user_runs_it([str(REPO / "bench" / script), "--help"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:"), done.stdout[:500]
    assert "ModuleNotFoundError" not in done.stderr


def test_profile_pages_runs_the_app_from_another_folder(warehouse_path, tmp_path):
    script = str(REPO / "bench" / "profile_pages.py")
    done = _as_a_user_runs_it(
        [script, "--warehouse", str(warehouse_path), "--page", "katalog", "--repeat", "1", "--top", "2"], tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "=== pages/katalog.py: warm median" in done.stdout
    assert "PAGE ERRORS" not in done.stdout, done.stdout[-2000:]
