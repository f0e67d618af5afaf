"""Deterministic synthetic registers for a Kutai Kartanegara that looks real.

`python -m etl sample [--out DIR] [--seed N] [--scale F] [--bulk]` writes every register
of docs/registers.md into DIR (default data/sample). The e-PPGBM bulk (about a million
rows at scale 1) is not committed: `ensure_eppgbm(source_dir)` writes it at build time
into `source_dir/eppgbm/generated/` from the committed posyandu master.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data" / "sample"
DEFAULT_SEED = 2025

__all__ = ["ensure_eppgbm", "generate_sample", "main"]


def _write_csv(frame, path: Path, **options) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", **options)


def generate_sample(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    boundaries_dir: Path | None = None,
) -> dict:
    """Write all sample registers into `out_dir`; return a summary.

    At scale < 1 the e-PPGBM bulk is written too (everything in one folder, for tests);
    at scale ≥ 1 only the committed-size files are written and the bulk is left to
    `ensure_eppgbm`. Returns {"out_dir", "seed", "scale", "files": {relative path: bytes},
    "rows": {register: rows}, "warnings": [...], "seconds"}.
    """
    from etl.sample import budget, eppgbm, indices, kader, master_history, mentoring, posyandu, reports
    from etl.sample.areas import list_desa, load_desa_shapes
    from etl.sample.growth import simulate_cohort
    from etl.sample.sample_doc import write_sample_doc
    from etl.sample.scaled import scaled_cohort_stub

    started = time.perf_counter()
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    rows: dict[str, int] = {}

    desa = list_desa()
    shapes = load_desa_shapes(boundaries_dir)
    if shapes is None:
        message = (
            "warning: desa boundaries not found "
            f"({boundaries_dir or 'default data/reference/boundaries'}): posyandu get approximate "
            "points near their kecamatan centre (not inside the desa polygon), desa weigh the "
            "same and puskesmas areas follow code order"
        )
        print(message, file=sys.stderr)
        notes.append(message)

    frame = posyandu.build_posyandu(desa, shapes, seed, scale)
    posyandu.write_posyandu_xlsx(frame, out_dir / posyandu.MASTER_FILE)
    master = posyandu.read_posyandu_master(out_dir)
    rows["posyandu"] = len(master)
    rows.update(master_history.write_master_history(frame, out_dir, seed))

    extract_dir = out_dir / "eppgbm"
    extract_dir.mkdir(exist_ok=True)
    for stale in [*extract_dir.glob("eppgbm_*.xlsx"), *extract_dir.glob("eppgbm_*.csv")]:
        stale.unlink()
    extracts = eppgbm.choose_extracts(master)
    if scale > 1.0:  # bulk written now, chunk by chunk (see etl/sample/scaled.py)
        scaled = _write_scaled(out_dir, master, seed, scale, extracts)
        cohort = scaled_cohort_stub(scaled.posyandu_month)
        extract_tables = scaled.extracts
        rows["eppgbm/generated"] = scaled.weighings - sum(len(t) for t in extract_tables.values())
    else:
        cohort = simulate_cohort(master, seed)
        plan = eppgbm.plan_rows(cohort, seed)
        extract_tables = {ex: eppgbm.extract_frame(plan, ex) for ex in extracts}
    for ex in extracts:
        table = extract_tables[ex]
        if ex.kind == "xlsx":
            eppgbm.write_extract_xlsx(table, extract_dir / ex.file_name, ex, seed)
        else:
            eppgbm.write_extract_csv_cp1252(table, extract_dir / ex.file_name)
        rows[f"eppgbm/{ex.file_name}"] = len(table)

    people = kader.build_kader(frame, seed)
    _write_csv(kader.to_kader_table(people), out_dir / "kader.csv")
    rows["kader"] = len(people)
    training = kader.build_training(people, frame, seed)
    _write_csv(training, out_dir / "pelatihan_kader.csv")
    rows["pelatihan_kader"] = len(training)

    registered = kader.count_registered(people, frame["posyandu_id"].tolist())
    report = reports.build_monthly_report(frame, cohort, registered, seed)
    _write_csv(report, out_dir / "laporan_bulanan.csv")
    rows["laporan_bulanan"] = len(report)
    money = budget.build_budget(frame, registered, seed)
    _write_csv(money, out_dir / budget.FILE_NAME)
    rows["anggaran_posyandu"] = len(money)
    services = reports.build_services(frame, report, seed)
    _write_csv(services, out_dir / "layanan_spm.csv")
    rows["layanan_spm"] = len(services)

    index_table = indices.build_indices(desa, seed)
    _write_csv(index_table, out_dir / "indeks_desa.csv", sep=";", decimal=",")
    rows["indeks_desa"] = len(index_table)
    official = indices.build_official_stunting()
    _write_csv(official, out_dir / "stunting_resmi.csv")
    rows["stunting_resmi"] = len(official)
    teams = mentoring.build_teams(desa)
    _write_csv(teams, out_dir / "tim_pendamping.csv")
    rows["tim_pendamping"] = len(teams)
    visits = mentoring.build_visits(frame, seed)
    _write_csv(visits, out_dir / "kunjungan_pendampingan.csv")
    rows["kunjungan_pendampingan"] = len(visits)

    bulk_rows = None
    if scale < 1.0:
        bulk = ensure_eppgbm(out_dir, seed=seed, scale=scale)
        bulk_rows = sum(_count_lines(p) - 1 for p in bulk)
        rows["eppgbm/generated"] = bulk_rows

    summary_rows = {
        "children": scaled.children if scale > 1.0 else len(cohort.children),
        "weighings": scaled.weighings if scale > 1.0 else int(plan.table.num_rows),
        "extract_rows": sum(v for k, v in rows.items() if k.startswith("eppgbm/eppgbm_")),
    }
    write_sample_doc(out_dir, seed, scale, rows, summary_rows, extracts, notes)

    files = {
        str(p.relative_to(out_dir)): p.stat().st_size
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }
    return {
        "out_dir": str(out_dir),
        "seed": seed,
        "scale": scale,
        "files": files,
        "rows": rows,
        "warnings": notes,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def ensure_eppgbm(source_dir: Path, seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[Path]:
    """Write the monthly e-PPGBM bulk into `source_dir/eppgbm/generated/` unless it is there.

    Reads only `source_dir/posyandu.xlsx` (no boundaries needed). Files are rewritten when
    missing or when the manifest (seed, scale, master and generator fingerprints) no longer
    matches. The
    puskesmas-months committed as extracts are left out. Returns the monthly CSV paths.
    """
    from etl.sample import edge_cases, eppgbm
    from etl.sample.growth import MONTHS, simulate_cohort
    from etl.sample.posyandu import LEGACY_COUNTS, read_posyandu_master

    source_dir = Path(source_dir)
    folder = source_dir / eppgbm.GENERATED_DIR
    master = read_posyandu_master(source_dir)
    wanted = {
        "seed": int(seed),
        "scale": float(scale),
        "master": eppgbm.master_fingerprint(master),
        "generator": eppgbm.generator_fingerprint(),
    }
    paths = [*(folder / f"eppgbm_{m}.csv" for m in MONTHS), folder / edge_cases.EDGE_FILE]
    if eppgbm.read_manifest(folder) == wanted and all(p.exists() for p in paths):
        return paths

    n_balita = int((master["legacy_type"] == "Balita").sum())
    implied = max(20, round(LEGACY_COUNTS["Balita"] * scale))
    if n_balita != implied:
        print(
            f"warning: the posyandu master has {n_balita} posyandu balita, scale {scale} implies "
            f"{implied}; the e-PPGBM bulk follows the master",
            file=sys.stderr,
        )
    if scale > 1.0 or n_balita > LEGACY_COUNTS["Balita"]:  # too big for one pass in memory
        return _write_scaled(source_dir, master, seed, scale, eppgbm.choose_extracts(master)).paths
    cohort = simulate_cohort(master, seed)
    plan = eppgbm.plan_rows(cohort, seed)
    written = eppgbm.write_bulk(plan, folder, eppgbm.choose_extracts(master))
    edge = edge_cases.edge_case_frame(edge_cases.edge_posyandu(master))
    edge.to_csv(folder / edge_cases.EDGE_FILE, index=False, lineterminator="\n")
    eppgbm.write_manifest(folder, wanted)
    return [*written, folder / edge_cases.EDGE_FILE]


def _write_scaled(source_dir: Path, master, seed: int, scale: float, extracts: list):
    """Scale > 1: the bulk streamed chunk by chunk, with the manifest `ensure_eppgbm` checks."""
    from etl.sample import eppgbm
    from etl.sample.scaled import write_scaled_bulk

    folder = Path(source_dir) / eppgbm.GENERATED_DIR
    result = write_scaled_bulk(master, seed, folder, extracts)
    manifest = {
        "seed": int(seed),
        "scale": float(scale),
        "master": eppgbm.master_fingerprint(master),
        "generator": eppgbm.generator_fingerprint(),
    }
    eppgbm.write_manifest(folder, manifest)
    return result


def main(argv: list[str]) -> int:
    """CLI: `python -m etl sample [--out DIR] [--seed N] [--scale F] [--bulk]`."""
    args_in = list(argv)
    if args_in and args_in[0] == "sample":
        args_in = args_in[1:]
    parser = argparse.ArgumentParser(prog="python -m etl sample", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default data/sample)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="posyandu and children: 0.05 shrinks, 10 grows (bulk streamed)"
    )
    parser.add_argument("--boundaries", type=Path, default=None, help="folder with kukar_desa.geojson")
    parser.add_argument("--bulk", action="store_true", help="also write the e-PPGBM bulk at scale >= 1")
    args = parser.parse_args(args_in)
    summary = generate_sample(args.out, seed=args.seed, scale=args.scale, boundaries_dir=args.boundaries)
    print(f"wrote {len(summary['files'])} files to {summary['out_dir']} in {summary['seconds']} s")
    for name, n in summary["rows"].items():
        print(f"  {name}: {n} rows")
    if args.bulk and args.scale >= 1.0:
        started = time.perf_counter()
        paths = ensure_eppgbm(args.out, seed=args.seed, scale=args.scale)
        print(f"e-PPGBM bulk: {len(paths)} files in {paths[0].parent} ({time.perf_counter() - started:.1f} s)")
    return 0
