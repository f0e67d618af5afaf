"""From validated e-PPGBM rows to measurement facts: ages, cross-field rules, child keys,
duplicates, posyandu ids and WHO z-scores. Personal columns are dropped here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.pseudonymise import child_keys
from etl.transform.prevalence import round_zscores
from etl.transform.zscores import FLAG_COLUMNS, ZSCORE_COLUMNS, compute_implausible_flag, compute_zscores
from etl.validate import REJECTED, REJECTION_COLUMNS

MAX_AGE_DAYS = 1826  # WHO: z-scores defined to 60 months (1826 days)
PERSONAL_COLUMNS = ("nik", "child_name", "parent_name", "address", "birth_date")


def posyandu_key(name: pd.Series) -> pd.Series:
    """Name key for matching posyandu within a desa ("Posyandu Melati 1" = "MELATI I")."""
    codes, uniques = pd.factorize(name.astype("string"))  # a million rows name a few thousand posyandu
    text = pd.Series(uniques, dtype="string").str.lower().str.replace(r"^\s*(posyandu|pos)\b\.?", "", regex=True)
    text = (
        text.str.replace(r"\b1\b", "i", regex=True)
        .str.replace(r"\b2\b", "ii", regex=True)
        .str.replace(r"\b3\b", "iii", regex=True)
    )
    keys = text.str.replace(r"[^a-z0-9]", "", regex=True)
    return pd.Series(pd.api.extensions.take(keys.array, codes, allow_fill=True), index=name.index, dtype="string")


def build_measurements(
    rows: pd.DataFrame, posyandu: pd.DataFrame | None, secret: bytes, known_keys: dict[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns (fact rows without personal data, rejections). `known_keys` carries the
    pseudonyms already computed by earlier files of the same build (see child_keys)."""
    problems: list[pd.DataFrame] = []

    def reject(mask: pd.Series, column: str, reason: str | pd.Series, value: pd.Series | str = "") -> None:
        if mask.any():
            problems.append(
                _rejections(
                    rows[mask],
                    column,
                    reason if isinstance(reason, str) else reason[mask],
                    value if isinstance(value, str) else value[mask],
                )
            )

    age_days = (rows["measured_on"] - rows["birth_date"]).dt.days
    before_birth = age_days < 0
    reject(before_birth, "Tgl Lahir", "tanggal lahir setelah tanggal pengukuran")
    too_old = age_days > MAX_AGE_DAYS
    reject(
        too_old,
        "Usia Saat Ukur",
        "usia lebih dari 60 bulan (1.826 hari) saat diukur: bukan balita",
        age_days.astype("string"),
    )
    nothing_measured = rows["weight_kg"].isna() & rows["height_cm"].isna()
    reject(nothing_measured & ~before_birth & ~too_old, "Berat", "berat dan tinggi kosong atau tidak sah")
    keep = ~(before_birth | too_old | nothing_measured)
    rows = rows[keep].copy()
    rows["age_days"] = age_days[keep].astype("int64")

    rows["child_key"] = child_keys(rows["nik"], rows["child_name"], rows["birth_date"], rows["sex"], secret, known_keys)
    rows = rows.drop(columns=[c for c in PERSONAL_COLUMNS if c in rows.columns])

    first = rows.sort_values(["_file", "_row"]).drop_duplicates(["child_key", "measured_on"], keep="first")
    duplicate = ~rows.index.isin(first.index)
    if duplicate.any():
        origin = first.set_index(["child_key", "measured_on"])[["_file", "_row"]]
        dupes = rows[duplicate].join(origin, on=["child_key", "measured_on"], rsuffix="_first")
        reason = (
            "baris duplikat: anak dan tanggal ukur sama dengan "
            + dupes["_file_first"]
            + " baris "
            + dupes["_row_first"].astype(str)
        )
        problems.append(_rejections(dupes, "(baris)", reason, ""))
    rows = first.sort_values(["_file", "_row"]).reset_index(drop=True)

    rows["posyandu_id"] = _match_posyandu(rows, posyandu)
    z = compute_zscores(
        sex=rows["sex"].astype("float64").to_numpy(),
        age_days=rows["age_days"].to_numpy(dtype="float64", copy=True),
        weight_kg=rows["weight_kg"].to_numpy(dtype="float64", copy=True),
        height_cm=rows["height_cm"].to_numpy(dtype="float64", copy=True),
        measure=rows["measure"].fillna("").to_numpy(dtype=object),
        oedema=None,
    )
    # Stored as WHO's anthro reports them: rounded to 2 decimals, flags on the rounded value,
    # so every cut-off downstream follows WHO's convention.
    for name, flag in zip(ZSCORE_COLUMNS, FLAG_COLUMNS, strict=True):
        z[name] = round_zscores(z[name].to_numpy())
        z[flag] = compute_implausible_flag(z[name].to_numpy(), name)
    for column in z.columns:
        rows[column] = z[column].to_numpy()
    rows["month"] = rows["measured_on"].dt.to_period("M").dt.start_time
    rows["age_months"] = np.floor(rows["age_days"] / 30.4375).astype("int64")
    rejections = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=REJECTION_COLUMNS)
    return rows, rejections


def _match_posyandu(rows: pd.DataFrame, posyandu: pd.DataFrame | None) -> pd.Series:
    if posyandu is None or posyandu.empty or "posyandu_name" not in rows:
        return pd.Series(pd.NA, index=rows.index, dtype="string")
    lookup = posyandu.assign(key=posyandu_key(posyandu["posyandu_name"])).drop_duplicates(["kode_desa", "key"])
    lookup = lookup.set_index(["kode_desa", "key"])["posyandu_id"]
    keys = pd.MultiIndex.from_arrays([rows["kode_desa"], posyandu_key(rows["posyandu_name"])])
    return pd.Series(lookup.reindex(keys).to_numpy(), index=rows.index, dtype="string")


def _rejections(rows: pd.DataFrame, column: str, reason: str | pd.Series, value: str | pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "register": "eppgbm",
            "file": rows["_file"].to_numpy(),
            "row_number": rows["_row"].to_numpy(dtype="int64"),
            "column_name": column,
            "value": value if isinstance(value, str) else value.to_numpy(),
            "reason": reason if isinstance(reason, str) else reason.to_numpy(),
            "action": REJECTED,
        }
    )
