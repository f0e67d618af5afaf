"""Samples above scale 1, written chunk by chunk so memory stays that of scale 1.

At scale 10 the kabupaten keeps its 237 desa but has ten times the posyandu (and so the
children and weighings). The posyandu balita are dealt round-robin into chunks of about
`CHUNK_POSYANDU` (each chunk a small copy of the whole kabupaten, so the calibrated
prevalence and weighing shares hold in every chunk); each chunk is simulated, turned into
e-PPGBM rows and appended to the monthly CSV files, then dropped.

Above about `POSYANDU_PER_FILE` posyandu balita a month is split into parts
(`eppgbm_2024-01_bagian02.csv`), as real exports come per month and per area: the build
reads one file at a time, so a file's size, not the whole sample's, sets its memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from etl.sample import eppgbm
from etl.sample.growth import MONTHS, N_MONTHS, Cohort, simulate_cohort

# Posyandu balita per chunk: about a quarter of the scale-1 kabupaten, so one chunk's rows
# (about 250,000 with 38 text columns) stay well under a gigabyte.
CHUNK_POSYANDU = 200
# Chunks use seeds far from any seed a user would pick for a whole sample.
CHUNK_SEED_STEP = 1_000_003
# Posyandu balita per monthly file: a 10x kabupaten (8,060) stays one file a month, about
# 450,000 rows; scale 100 writes ten parts a month.
POSYANDU_PER_FILE = 8_100


@dataclass
class ScaledBulk:
    """What the chunked writer produced (everything generate_sample needs to go on)."""

    paths: list[Path]
    extracts: dict[eppgbm.Extract, pd.DataFrame]
    posyandu_month: pd.DataFrame
    children: int
    weighings: int


def split_master(master: pd.DataFrame, seed: int) -> Iterator[tuple[pd.DataFrame, int]]:
    """(posyandu balita of one chunk, that chunk's seed), dealt round-robin in master order."""
    balita = master[master["legacy_type"] == "Balita"].reset_index(drop=True)
    n_chunks = max(1, -(-len(balita) // CHUNK_POSYANDU))
    deal = np.arange(len(balita)) % n_chunks
    for k in range(n_chunks):
        yield balita[deal == k].reset_index(drop=True), int(seed) + CHUNK_SEED_STEP * (k + 1)


def write_scaled_bulk(
    master: pd.DataFrame, seed: int, folder: Path, extracts: list[eppgbm.Extract], progress: bool = True
) -> ScaledBulk:
    """Monthly e-PPGBM CSVs in `folder` (as `write_bulk` writes them) and the rows of the
    committed-style extracts, chunk by chunk. Files appear under their names only when done."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("eppgbm_*.csv"):  # an earlier run may have split months differently
        stale.unlink()
    chunks = list(split_master(master, seed))
    n_balita = sum(len(chunk) for chunk, _ in chunks)
    n_parts = max(1, -(-n_balita // POSYANDU_PER_FILE))
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    taken_niks: set[str] = set()
    extract_parts: dict[eppgbm.Extract, list[pa.Table]] = {ex: [] for ex in extracts}
    months: list[pd.DataFrame] = []
    finals: list[Path] = []
    children = weighings = 0
    part_files: _PartFiles | None = None
    try:
        for number, (chunk, chunk_seed) in enumerate(chunks, start=1):
            part = (number - 1) * n_parts // len(chunks)  # contiguous, balanced runs of chunks
            if part_files is None or part_files.part != part:
                if part_files is not None:
                    finals.extend(part_files.finish())
                part_files = _PartFiles(folder, part, n_parts)
            cohort = simulate_cohort(chunk, chunk_seed)
            plan = eppgbm.plan_rows(cohort, chunk_seed, taken_niks=taken_niks, lokus_seed=seed)
            children += len(cohort.children)
            weighings += int(plan.table.num_rows)
            months.append(cohort.posyandu_month)
            _append_chunk(plan, extracts, extract_parts, part_files.handles, options)
            if progress:
                print(f"  chunk {number}/{len(chunks)}: {weighings:,} rows so far", flush=True)
            del cohort, plan
        if part_files is not None:
            finals.extend(part_files.finish())
            part_files = None
    finally:
        if part_files is not None:
            part_files.abandon()
    extract_frames = {
        ex: pa.concat_tables(parts).to_pandas(types_mapper=None, date_as_object=True)
        for ex, parts in extract_parts.items()
    }
    return ScaledBulk(
        paths=finals,
        extracts=extract_frames,
        posyandu_month=pd.concat(months, ignore_index=True),
        children=children,
        weighings=weighings,
    )


class _PartFiles:
    """The monthly CSV files of one part, written under temporary names until finished."""

    def __init__(self, folder: Path, part: int, n_parts: int):
        self.part = part
        suffix = f"_bagian{part + 1:02d}" if n_parts > 1 else ""
        self.finals = [folder / f"eppgbm_{m}{suffix}.csv" for m in MONTHS]
        self.temps = [p.with_name(f".{p.name}.tmp") for p in self.finals]
        self.handles = [open(t, "wb") for t in self.temps]
        header = (",".join(eppgbm.EPPGBM_COLUMNS) + "\n").encode("utf-8")
        for handle in self.handles:
            handle.write(header)

    def finish(self) -> list[Path]:
        for handle in self.handles:
            handle.close()
        for temp, final in zip(self.temps, self.finals, strict=True):
            os.replace(temp, final)
        return self.finals

    def abandon(self) -> None:
        for handle, temp in zip(self.handles, self.temps, strict=True):
            handle.close()
            temp.unlink(missing_ok=True)


def _append_chunk(
    plan: eppgbm.RowPlan,
    extracts: list[eppgbm.Extract],
    extract_parts: dict[eppgbm.Extract, list[pa.Table]],
    handles: list,
    options: pa_csv.WriteOptions,
) -> None:
    keep = np.ones(len(plan.month), dtype=bool)
    for ex in extracts:
        hit = (plan.month == ex.month) & (plan.puskesmas == ex.puskesmas)
        extract_parts[ex].append(plan.table.take(pa.array(np.flatnonzero(hit))))
        keep &= ~hit
    for m in range(N_MONTHS):
        idx = np.flatnonzero(keep & (plan.month == m))
        pa_csv.write_csv(eppgbm._format_dates_dmy(plan.table.take(pa.array(idx))), handles[m], options)


def scaled_cohort_stub(posyandu_month: pd.DataFrame) -> Cohort:
    """A Cohort carrying only the per-posyandu-month counts (all the monthly report reads)."""
    return Cohort(posyandu=pd.DataFrame(), children=pd.DataFrame(), rows={}, posyandu_month=posyandu_month)
