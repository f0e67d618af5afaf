"""`python -m etl build|sample|zscores|prevalence|parquet` — the ETL's command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.config import DEFAULT_DB, SAMPLE_DIR, EtlConfig


def _build(argv: list[str]) -> int:
    from etl.build import BuildError, build_warehouse
    from etl.load import BuildInProgress
    from etl.pseudonymise import SecretError

    parser = argparse.ArgumentParser(prog="python -m etl build", description="Bangun warehouse DuckDB dari register.")
    parser.add_argument("--source", type=Path, default=SAMPLE_DIR, help="folder register (default: data/sample)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="file warehouse (default: data/warehouse.duckdb)")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"Gagal: folder sumber {args.source} tidak ada", file=sys.stderr)
        return 2
    try:
        report = build_warehouse(
            EtlConfig(source_dir=args.source, db_path=args.db),
            progress=lambda m, f: print(f"[{f:4.0%}] {m}", flush=True),
        )
    except (BuildError, BuildInProgress, SecretError) as error:
        print(f"Gagal: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - one line for the user; previous warehouse kept
        print(f"Gagal: {type(error).__name__}: {error}; warehouse lama tetap dipakai", file=sys.stderr)
        return 1
    print(report.render())
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"build", "sample", "zscores", "prevalence", "parquet"}
    if not argv or argv[0] not in commands:
        print("pemakaian: python -m etl {build,sample,zscores,prevalence,parquet} [opsi]", file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "build":
        return _build(rest)
    if command == "sample":
        from etl.sample import main as sample_main

        return sample_main(rest)
    if command == "prevalence":
        from etl.cli_prevalence import main as prevalence_main

        return prevalence_main(rest)
    if command == "parquet":
        from etl.parquet_export import main as parquet_main

        return parquet_main(rest)
    from etl.cli_zscores import main as zscores_main

    return zscores_main(rest)


if __name__ == "__main__":
    raise SystemExit(main())
