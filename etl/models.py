"""The SQL models of etl/sql/ in the order they must run: each after the models it reads.

A model's dependencies are the other models it names after `from` or `join`, plus any listed
on a `-- depends on: a, b` line (for a reference the pattern cannot see). File names no
longer decide the order, so `mart_area_indicators_month` may read `mart_stunting_by_area_month`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"

_RELATION = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
_DEPENDS_ON = re.compile(r"^\s*--\s*depends on:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_LINE_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True)
class Model:
    """A relation to build: from its SQL file, or in Python from the rows its input SQL (`path`) reads."""

    name: str
    path: Path


class ModelOrderError(ValueError):
    """Models that read each other in a circle, or a declared dependency that does not exist."""


def model_dependencies(sql: str, models: set[str]) -> set[str]:
    """The models `sql` reads: named after from/join (comments ignored) or declared."""
    declared = {name.strip() for line in _DEPENDS_ON.findall(sql) for name in line.split(",") if name.strip()}
    unknown = declared - models
    if unknown:
        raise ModelOrderError(f"declared dependencies that are not models: {', '.join(sorted(unknown))}")
    named = {name.lower() for name in _RELATION.findall(_LINE_COMMENT.sub("", sql))}
    return (named & models) | declared


def ordered_models(sql_dir: Path = SQL_DIR, python_models: Mapping[str, Path] | None = None) -> list[Model]:
    """Every model, dependencies first; among models ready at the same time, by name.

    python_models: relations written by Python (name -> the input SQL it reads), ordered
    like the SQL models so that the models reading them come after.
    """
    files = {path.stem: path for path in sorted(sql_dir.glob("*.sql"))} | dict(python_models or {})
    needs = {
        name: model_dependencies(path.read_text(encoding="utf-8"), set(files)) - {name} for name, path in files.items()
    }
    ordered: list[Model] = []
    done: set[str] = set()
    while len(done) < len(files):
        ready = sorted(name for name in files if name not in done and needs[name] <= done)
        if not ready:
            stuck = sorted(name for name in files if name not in done)
            raise ModelOrderError(f"models read each other in a circle: {', '.join(stuck)}")
        for name in ready:
            ordered.append(Model(name, files[name]))
            done.add(name)
    return ordered
