"""Earlier posyandu masters (posyandu_YYYY-MM-DD.csv), as DPMD would have received them over
2025: the same posyandu at an earlier stage of musdes, SK and Kemendagri registration and
with the SPM fields declared by then. The committed posyandu.xlsx is the newest master
(October 2025); these let the warehouse follow registration month by month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from etl.sample.posyandu import MASTER_COLUMNS, to_master_table
from etl.sample.streams import make_rng

SNAPSHOT_DATES = (
    dt.date(2024, 12, 31),
    dt.date(2025, 3, 31),
    dt.date(2025, 5, 31),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 31),
    dt.date(2025, 8, 31),
    dt.date(2025, 9, 30),
)
FIRST_MONTH = dt.date(2023, 11, 1)  # month index 0 of spm_since
LAST_STEP = dt.date(2025, 10, 28)  # every transition happens before the newest master
SNAPSHOT_COLUMN = "Tanggal Data"
SHARE_REGISTERED_BY_DEADLINE = 0.7


def file_name(day: dt.date) -> str:
    return f"posyandu_{day.isoformat()}.csv"


def _days(rng: np.random.Generator, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=int(rng.integers(low, high + 1)))


def _between(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + _days(rng, 0, max(0, (end - start).days))


def plan_transitions(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Per posyandu the day it was submitted, verified and registered (NaT when never),
    ordered, after its SK and musdes, and consistent with its status in the newest master."""
    rng = make_rng(seed, "master-history")
    rows = []
    for row in frame.itertuples():
        status = row.registration_status
        submitted = verified = registered = None
        if status == "teregistrasi":
            if rng.random() < SHARE_REGISTERED_BY_DEADLINE:
                registered = _between(rng, dt.date(2025, 2, 1), dt.date(2025, 6, 30))
            else:
                registered = _between(rng, dt.date(2025, 7, 1), LAST_STEP)
            verified = registered - _days(rng, 7, 45)
            submitted = verified - _days(rng, 7, 60)
        elif status == "terverifikasi":
            verified = _between(rng, dt.date(2025, 3, 1), LAST_STEP)
            submitted = verified - _days(rng, 7, 60)
        elif status == "diajukan":
            submitted = _between(rng, dt.date(2025, 2, 1), LAST_STEP)
        earliest = max((d for d in (row.musdes_date, row.sk_date) if isinstance(d, dt.date)), default=None)
        steps = [d for d in (submitted, verified, registered)]
        if earliest is not None:  # one cannot submit before the SK
            steps = [max(d, earliest + dt.timedelta(days=1)) if d else None for d in steps]
        steps = [min(d, LAST_STEP) if d else None for d in steps]
        for i in range(1, 3):  # keep the order after clamping
            if steps[i] and steps[i - 1] and steps[i] < steps[i - 1]:
                steps[i] = steps[i - 1]
        rows.append((row.posyandu_id, *steps))
    return pd.DataFrame(rows, columns=["posyandu_id", "submitted_on", "verified_on", "registered_on"])


def snapshot_table(frame: pd.DataFrame, transitions: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The master as it stood on ``day``."""
    table = to_master_table(frame).reset_index(drop=True)
    steps = transitions.set_index("posyandu_id").loc[table["ID Posyandu"]].reset_index(drop=True)

    def reached(column: str) -> np.ndarray:
        return np.array([isinstance(d, dt.date) and d <= day for d in steps[column]])

    status = np.where(
        reached("registered_on"),
        "teregistrasi",
        np.where(reached("verified_on"), "terverifikasi", np.where(reached("submitted_on"), "diajukan", "belum")),
    )
    table["Status Registrasi"] = status
    table["No Registrasi Kemendagri"] = table["No Registrasi Kemendagri"].where(status == "teregistrasi", None)
    musdes_later = [isinstance(d, dt.date) and d > day for d in table["Tgl Musdes"]]
    table.loc[musdes_later, "Tgl Musdes"] = None
    sk_later = [isinstance(d, dt.date) and d > day for d in table["Tgl SK Pembentukan"]]
    table.loc[sk_later, ["Tgl SK Pembentukan", "No SK Pembentukan"]] = None
    month_index = (day.year - FIRST_MONTH.year) * 12 + day.month - FIRST_MONTH.month
    table["Bidang SPM"] = [
        ";".join(f for f in fields.split(";") if since.get(f, 0) <= month_index)
        for fields, since in zip(frame["spm_fields"], frame["spm_since"], strict=True)
    ]
    for column in ("Tgl Musdes", "Tgl SK Pembentukan"):
        table[column] = [d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else None for d in table[column]]
    table[SNAPSHOT_COLUMN] = day.strftime("%d/%m/%Y")
    return table[[*MASTER_COLUMNS, SNAPSHOT_COLUMN]]


def write_master_history(frame: pd.DataFrame, out_dir: Path, seed: int) -> dict[str, int]:
    """Write one CSV per earlier master; return {file name: rows}."""
    for stale in Path(out_dir).glob("posyandu_20*.csv"):
        stale.unlink()
    transitions = plan_transitions(frame, seed)
    written = {}
    for day in SNAPSHOT_DATES:
        table = snapshot_table(frame, transitions, day)
        table.to_csv(Path(out_dir) / file_name(day), index=False, lineterminator="\n")
        written[file_name(day)] = len(table)
    return written
