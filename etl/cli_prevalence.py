"""`python -m etl prevalence IN.csv OUT.csv [--cluster COL] [--strata COL] [--group COL]`:
six nutrition indicators with design-based standard errors and 95% intervals, as WHO's
Anthro Survey Analyser computes them (etl/transform/prevalence.py has the rules).

Input as `python -m etl zscores` (sex, age_days, weight_kg, height_cm, measure, optional
oedema; any separator it accepts) plus the named columns. Output (comma-separated):
group_type, group_value, indicator, n, prevalence_pct, se_pct, ci95_low_pct,
ci95_high_pct; blank where there is nothing to estimate. Without --cluster every row
is its own cluster. Rows with an empty cluster or stratum are left out, as WHO does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.cli_zscores import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_OK,
    InputError,
    csv_in_out_parser,
    find_column,
    parse_measurements,
    read_measurements_csv,
    report_blank_rows,
)
from etl.transform.growth_tables import GrowthTableError, load_growth_tables
from etl.transform.prevalence import OUTPUT_COLUMNS, compute_prevalence_table
from etl.transform.zscores import compute_zscore_arrays

OUTPUT_DECIMALS: Final = 6


def main(argv: list[str]) -> int:
    parser = csv_in_out_parser(
        "python -m etl prevalence",
        "Prevalensi stunting, stunting berat, wasting, wasting berat, underweight dan "
        "overweight dengan galat baku dan selang kepercayaan 95% berbasis desain "
        "(cara WHO Anthro). Kolom masukan seperti `python -m etl zscores`.",
    )
    parser.add_argument("--cluster", help="kolom klaster (mis. posyandu); tanpa ini setiap baris klaster sendiri")
    parser.add_argument("--strata", help="kolom strata (mis. kecamatan)")
    parser.add_argument("--group", help="kolom pengelompokan tambahan (mis. kecamatan, desa atau posyandu)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        table, left_out = compute_prevalence_csv(
            Path(args.input), Path(args.output), cluster=args.cluster, strata=args.strata, group=args.group
        )
    except InputError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except GrowthTableError as exc:
        print(f"Gagal: tabel WHO tidak valid: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if left_out:
        print(f"Peringatan: {left_out} baris tanpa klaster/strata tidak dihitung.", file=sys.stderr)
    print(f"Selesai: {len(table)} baris ditulis ke {args.output}.", file=sys.stderr)
    return EXIT_OK


def compute_prevalence_csv(
    input_path: Path,
    output_path: Path,
    *,
    cluster: str | None = None,
    strata: str | None = None,
    group: str | None = None,
) -> tuple[pd.DataFrame, int]:
    """Read, estimate, write; return the table and how many rows had no cluster/stratum."""
    load_growth_tables()
    measurements = read_measurements_csv(input_path)
    report_blank_rows(measurements.blank_rows)
    table = measurements.table
    inputs = parse_measurements(measurements)
    z = compute_zscore_arrays(**inputs)
    design_columns = {
        name: _text_column(table, find_column(table.column_names, column, input_path))
        for name, column in (("cluster", cluster), ("strata", strata), ("group", group))
        if column is not None
    }
    usable = np.ones(table.num_rows, dtype=np.bool_)
    for name in ("cluster", "strata"):
        if name in design_columns:
            usable &= design_columns[name].notna().to_numpy()
    rows = np.flatnonzero(usable)

    def pick(values: object) -> object:
        return None if values is None else np.asarray(values)[rows]

    result = compute_prevalence_table(
        haz=z.haz[rows],
        waz=z.waz[rows],
        whz=z.whz[rows],
        age_days=inputs["age_days"][rows],
        sex=inputs["sex"][rows],
        oedema=pick(inputs["oedema"]),
        cluster=pick(design_columns.get("cluster")),
        strata=pick(design_columns.get("strata")),
        group=pick(design_columns.get("group")),
    )
    write_prevalence_csv(result, output_path)
    return result, int((~usable).sum())


def _text_column(table: pa.Table, index: int) -> pd.Series:
    """A named column as trimmed text; blank is missing."""
    series = table.column(index).to_pandas().astype("string").str.strip()
    return series.mask(series == "")


def write_prevalence_csv(result: pd.DataFrame, path: Path) -> None:
    """Fixed decimals, blanks for missing; written beside the target, then renamed."""
    if not path.parent.exists():
        raise InputError(f"{path}: folder keluaran tidak ada.")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        result.loc[:, list(OUTPUT_COLUMNS)].to_csv(
            temporary, index=False, float_format=f"%.{OUTPUT_DECIMALS}f", lineterminator="\n"
        )
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
