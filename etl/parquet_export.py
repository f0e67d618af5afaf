"""The warehouse as Parquet partitioned by area and month, and a catalog the dashboard reads.

    python -m etl parquet [--db data/warehouse.duckdb] --out DIR

Why: when a province or the nation outgrows one file on a laptop, the same SQL models run on
an existing engine over object storage (MotherDuck, or Trino/Spark over S3-compatible
storage) and the dashboard reads the marts from there. This shows the format end to end at
small scale: every table goes to DIR/<table>/ (monthly tables as hive partitions
`kode_kec=…/month=…`, or `month=…` where there is no kecamatan column), and DIR/catalog.duckdb holds one view per table over those files,
with the original column order and types. Pointing DASBOR_WAREHOUSE at the catalog runs the
pages unchanged on the Parquet files; on a shared engine the views would name `s3://…` paths.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb

from etl.config import DEFAULT_DB

PARTITION_COLUMNS = ("kode_kec", "month")  # area first: a pembina's queries read one folder
CATALOG_FILE = "catalog.duckdb"


def partition_columns(columns: dict[str, str]) -> list[str]:
    """Monthly tables split by area (where they have one) and month; the rest is one file."""
    return [c for c in PARTITION_COLUMNS if c in columns] if "month" in columns else []


def export_parquet(db_path: Path, out_dir: Path) -> dict[str, list[str]]:
    """Write every table of the warehouse under out_dir; return {table: partition columns}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[str]] = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table, columns in _tables(con).items():
            target = out_dir / table
            if target.exists():
                shutil.rmtree(target)
            partitions = partition_columns(columns)
            if partitions:
                con.execute(
                    f"copy (select * from \"{table}\") to '{_sql_path(target)}' "
                    f"(format parquet, partition_by ({', '.join(partitions)}))"
                )
            else:
                target.mkdir()
                con.execute(
                    f"copy (select * from \"{table}\") to '{_sql_path(target / 'data.parquet')}' (format parquet)"
                )
            written[table] = partitions
    finally:
        con.close()
    return written


def write_catalog(db_path: Path, out_dir: Path) -> Path:
    """out_dir/catalog.duckdb: a view per table over its Parquet files, columns as in db_path."""
    source = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = _tables(source)
    finally:
        source.close()
    catalog = out_dir / CATALOG_FILE
    catalog.unlink(missing_ok=True)
    con = duckdb.connect(str(catalog))
    try:
        for table, columns in tables.items():
            partitions = partition_columns(columns)
            files = _sql_path(out_dir.resolve() / table / "**" / "*.parquet")
            hive = ""
            if partitions:
                types = ", ".join(f"'{c}': {columns[c]}" for c in partitions)
                hive = f", hive_partitioning = true, hive_types = {{{types}}}"
            select = ", ".join(f'"{c}"::{t} as "{c}"' for c, t in columns.items())
            con.execute(f"create view \"{table}\" as select {select} from read_parquet('{files}'{hive})")
    finally:
        con.close()
    return catalog


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    rows = con.execute(
        """
        select table_name, column_name, data_type
        from information_schema.columns
        where table_schema = 'main'
        order by table_name, ordinal_position
        """
    ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, {})[column] = data_type
    return tables


def _sql_path(path: Path) -> str:
    return path.as_posix().replace("'", "''")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl parquet", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    written = export_parquet(args.db, args.out)
    catalog = write_catalog(args.db, args.out)
    for table, partitions in written.items():
        print(f"  {table}: {'/'.join(partitions) or 'satu file'}")
    print(f"{len(written)} tabel ditulis ke {args.out}; katalog untuk dasbor: DASBOR_WAREHOUSE={catalog}")
    return 0
