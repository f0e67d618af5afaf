"""Every public query_* in dashboard/queries/ keeps a pembina inside their kecamatan.

The scope is enforced in SQL through `Filters`, not only by hiding options in the
sidebar. For each function (found by walking the package, so new modules are checked
without editing this file) and each way of calling it:

- scoped: Filters(scope_kec=(SCOPE,)) must return no row of another kecamatan
  (kode_kec, kode_desa, area_code/code, posyandu_id are checked);
- widened: Filters(scope_kec=(SCOPE,), kode_kec=OTHER), as a tampered session would
  send, must return nothing of OTHER: no OTHER rows, and not the very result a
  kabupaten user gets for OTHER; likewise no OTHER rows with a desa of OTHER chosen;
- an aggregate without codes must not equal the whole-kabupaten figure when that differs
  from SCOPE's own figure (the scope silently ignored).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

import dashboard.queries as queries_package
from dashboard.filters import Filters

SCOPE = "64.02.06"  # Tenggarong
CODE_COLUMNS = ("kode_kec", "kode_desa", "area_code", "code")
# Functions without Filters: reference lists and published figures, the same for everyone.
UNSCOPED_ALLOWED = {
    "query_months": "periods list",
    "query_kecamatan": "kecamatan names (reference)",
    "query_puskesmas_list": "puskesmas names and their kecamatan (reference)",
    "query_desa_list": "desa names, their kecamatan and puskesmas (reference)",
    "query_loaded_registers": "which registers were loaded",
    "query_data_as_of": "date of the newest data",
    "query_latest_survey_stunting": "published survey figure",
    "query_survey_stunting": "published survey figures",
    "query_basic_index_choice": "which desa index exists",
    "query_norms": "norms and thresholds with their sources (reference)",
    "query_import_problems": "kabupaten-wide counts of refused rows (no trusted kecamatan); no rows or codes",
}


def _discover() -> list:
    params = []
    for info in sorted(pkgutil.iter_modules(queries_package.__path__), key=lambda m: m.name):
        name = f"dashboard.queries.{info.name}"
        try:
            module = importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - reported as a failing case, not a collection error
            params.append(pytest.param(name, None, error, id=f"{info.name}-import"))
            continue
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn_name.startswith("query_") and fn.__module__ == name:
                params.append(pytest.param(name, fn, None, id=f"{info.name}.{fn_name}"))
    return params


QUERY_FUNCTIONS = _discover()


@pytest.fixture(scope="module")
def areas(warehouse_path) -> dict:
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        posyandu = dict(con.execute("select posyandu_id, kode_kec from dim_posyandu").fetchall())
        other = con.execute(
            "select kode_kec from dim_posyandu where kode_kec <> $scope group by 1 order by count(*) desc, 1 limit 1",
            {"scope": SCOPE},
        ).fetchone()[0]
        desa = {
            kec: con.execute("select min(kode_desa) from fct_measurement where kode_kec = $k", {"k": kec}).fetchone()[0]
            for kec in (SCOPE, other)
        }
        teams = dict(con.execute("select team, list(kode_kec) from dim_mentoring_team group by 1").fetchall())
        month = con.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0]
    finally:
        con.close()
    one_posyandu = {kec: min(p for p, k in posyandu.items() if k == kec) for kec in (SCOPE, other)}
    other_team = next((t for t, kecs in sorted(teams.items()) if SCOPE not in kecs), None)
    return {
        "posyandu": posyandu,
        "one_posyandu": one_posyandu,
        "other": other,
        "desa": desa,
        "other_team": other_team,
        "month": pd.Timestamp(month).date(),
    }


def _extra_argument_sets(fn: Callable, areas: dict) -> list[dict]:
    """Values for the parameters after `filters`: every Literal value, a desa or team of
    another kecamatan (a leak attempt) and of the scope; defaults otherwise."""
    hints = typing.get_type_hints(fn)
    sets: list[dict] = [{}]
    for name, parameter in list(inspect.signature(fn).parameters.items())[1:]:
        choices: list = []
        if typing.get_origin(hints.get(name)) is typing.Literal:
            choices = list(typing.get_args(hints[name]))
        elif name == "level":
            choices = ["kecamatan", "desa"]
        elif name == "kode_desa":
            choices = [areas["desa"][areas["other"]], areas["desa"][SCOPE]]
        elif name == "posyandu_id":
            choices = [None, areas["one_posyandu"][areas["other"]], areas["one_posyandu"][SCOPE]]
        elif name == "team":
            choices = [None, areas["other_team"]]
        elif parameter.default is not inspect.Parameter.empty:
            continue
        else:
            choices = [None]
        sets = [{**s, name: c} for s in sets for c in choices]
    return sets


def _frames(result) -> list[pd.DataFrame]:
    if result is None:
        return []
    if isinstance(result, pd.DataFrame):
        return [result]
    if isinstance(result, pd.Series):
        return [result.to_frame().T.infer_objects()]
    if isinstance(result, dict):
        return [f for v in result.values() for f in _frames(v)]
    if isinstance(result, list | tuple):
        return [f for v in result for f in _frames(v)]
    return []


def _outside(frame: pd.DataFrame, scope: tuple[str, ...], posyandu: dict[str, str]) -> list[str]:
    """Codes in the frame that belong to a kecamatan outside the scope."""
    found = []
    for column in CODE_COLUMNS:
        if column in frame:
            for value in frame[column].dropna().astype(str).unique():
                if value.startswith("64.02.") and value[:8] not in scope:
                    found.append(f"{column}={value}")
                elif value in posyandu and posyandu[value] not in scope:
                    found.append(f"{column}={value} (posyandu of {posyandu[value]})")
    if "posyandu_id" in frame:
        for value in frame["posyandu_id"].dropna().astype(str).unique():
            if value in posyandu and posyandu[value] not in scope:
                found.append(f"posyandu_id={value} (of {posyandu[value]})")
    return found


def _substantial(result) -> bool:
    """A result that shows something: a non-zero number or a text value (not just dates)."""
    for frame in _frames(result):
        for column in frame.columns:
            values = frame[column].dropna()
            if pd.api.types.is_bool_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
                continue
            if pd.api.types.is_numeric_dtype(values):
                if (values != 0).any():
                    return True
            elif any(isinstance(v, str) and v for v in values):
                return True
    return False


def _same(a, b) -> bool:
    fa, fb = _frames(a), _frames(b)
    if len(fa) != len(fb):
        return False
    for x, y in zip(fa, fb):
        try:
            pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_dtype=False)
        except AssertionError:
            return False
    return True


def _describe(fn: Callable, extra: dict) -> str:
    return f"{fn.__name__}({', '.join(['filters', *(f'{k}={v!r}' for k, v in extra.items())])})"


@pytest.mark.parametrize(("module", "fn", "import_error"), QUERY_FUNCTIONS)
def test_query_stays_inside_the_scope(module, fn, import_error, areas, warehouse_path):
    if import_error is not None:
        pytest.fail(f"{module} does not import: {import_error!r}")
    parameters = list(inspect.signature(fn).parameters)
    if not parameters or parameters[0] != "filters":
        assert fn.__name__ in UNSCOPED_ALLOWED, (
            f"{module}.{fn.__name__} takes no Filters: a pembina would see the whole kabupaten. "
            "Take `filters: Filters` and restrict with kec_clause(), or list it in UNSCOPED_ALLOWED with the reason."
        )
        return
    month, other = areas["month"], areas["other"]
    scoped = Filters(month=month, scope_kec=(SCOPE,))
    widened = Filters(month=month, kode_kec=other, scope_kec=(SCOPE,))
    leaks = []
    for extra in _extra_argument_sets(fn, areas):
        call = _describe(fn, extra)
        result = fn(scoped, **extra)
        for frame in _frames(result):
            if outside := _outside(frame, (SCOPE,), areas["posyandu"]):
                leaks.append(f"{call} with scope {SCOPE}: rows of {sorted(set(outside))[:5]}")
        widened_result = fn(widened, **extra)
        for frame in _frames(widened_result):
            if outside := _outside(frame, (SCOPE,), areas["posyandu"]):
                leaks.append(f"{call} with scope {SCOPE} and kode_kec={other}: rows of {sorted(set(outside))[:5]}")
        other_desa = areas["desa"][other]  # a desa of another kecamatan, as a tampered link would send
        for frame in _frames(fn(replace(scoped, kode_desa=other_desa), **extra)):
            if outside := _outside(frame, (SCOPE,), areas["posyandu"]):
                leaks.append(
                    f"{call} with scope {SCOPE} and kode_desa={other_desa}: rows of {sorted(set(outside))[:5]}"
                )
        other_result = fn(Filters(month=month, kode_kec=other), **extra)
        if _substantial(other_result) and _same(widened_result, other_result):
            leaks.append(f"{call} with scope {SCOPE} and kode_kec={other}: returns {other}'s figures")
        everything = fn(Filters(month=month), **extra)
        own = fn(Filters(month=month, kode_kec=SCOPE), **extra)
        if _substantial(everything) and _same(result, everything) and not _same(everything, own):
            leaks.append(f"{call} with scope {SCOPE}: returns the whole kabupaten's figures")
    assert not leaks, "\n".join(leaks)


def test_discovery_found_the_query_modules():
    modules = {p.values[0] for p in QUERY_FUNCTIONS}
    assert {"dashboard.queries.common", "dashboard.queries.overview"} <= modules
    assert len(QUERY_FUNCTIONS) >= 10


def test_the_checker_catches_a_leak(areas):
    """The checks themselves: a query that ignores the scope is caught."""
    frame = pd.DataFrame({"kode_kec": [SCOPE, areas["other"]], "n": [1, 2]})
    assert _outside(frame, (SCOPE,), areas["posyandu"]) == [f"kode_kec={areas['other']}"]
    other_posyandu = next(p for p, k in areas["posyandu"].items() if k != SCOPE)
    assert _outside(pd.DataFrame({"posyandu_id": [other_posyandu]}), (SCOPE,), areas["posyandu"])
    assert _outside(pd.DataFrame({"area_code": [areas["desa"][areas["other"]]]}), (SCOPE,), areas["posyandu"])
    assert not _outside(pd.DataFrame({"area_code": ["64.02", areas["desa"][SCOPE]]}), (SCOPE,), areas["posyandu"])
