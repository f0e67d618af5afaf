"""From validated e-PPGBM rows to measurement facts: ages, cross-field rules, child keys,
duplicates, posyandu ids and WHO z-scores. Personal columns are dropped here."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from etl.pseudonymise import child_keys
from etl.transform.prevalence import round_zscores
from etl.transform.zscores import FLAG_COLUMNS, ZSCORE_COLUMNS, compute_implausible_flag, compute_zscores
from etl.validate import BLANKED, REJECTED, REJECTION_COLUMNS

MAX_AGE_DAYS = 1826  # WHO: z-scores defined to 60 months (1826 days)
PERSONAL_COLUMNS = ("nik", "child_name", "parent_name", "address", "birth_date")


# Roman numerals read as the numbers they are: "Melati II" is "Melati 2".
_ROMAN_NUMERALS = {roman: str(n) for n, roman in enumerate("i ii iii iv v vi vii viii ix x xi xii".split(), start=1)}
_NAME_WORDS = re.compile(r"[a-z]+|[0-9]+")  # letters and digits apart: "Melati1" is "Melati 1"
_APOSTROPHES = re.compile(r"['’`]")  # inside a word, not between words: "Al-Ma'un" is "Al Maun"
_NAME_PREFIXES = ("posyandu", "pos")


def posyandu_key(name: pd.Series) -> pd.Series:
    """Name key for matching posyandu within a desa: its words in lower case, without a leading
    "Posyandu"/"Pos.", numbers as digits ("Posyandu Melati 1" = "MELATI I" = "Melati-01" ->
    "melati 1"). Words stay apart, so "Melati I" ("melati 1") is not "Melat II" ("melat 2").
    A name with no letter or digit has no key."""
    codes, uniques = pd.factorize(name.astype("string"))  # a million rows name a few thousand posyandu
    keys = pd.array([_name_key(text) for text in uniques], dtype="string")
    return pd.Series(pd.api.extensions.take(keys, codes, allow_fill=True), index=name.index)


def _name_key(name: str) -> str | None:
    words = _NAME_WORDS.findall(_APOSTROPHES.sub("", name.lower()))
    if words and words[0] in _NAME_PREFIXES:
        words = words[1:]
    words = [str(int(word)) if word.isdigit() else _ROMAN_NUMERALS.get(word, word) for word in words]
    return " ".join(words) or None


def build_measurements(
    rows: pd.DataFrame, posyandu: pd.DataFrame | None, secret: bytes, known_keys: dict[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns (fact rows without personal data, rejections). `known_keys` carries the
    pseudonyms already computed by earlier files of the same build (see child_keys)."""
    problems: list[pd.DataFrame] = []

    def reject(
        mask: pd.Series, column: str, reason: str | pd.Series, value: pd.Series | str = "", action: str = REJECTED
    ) -> None:
        if mask.any():
            problems.append(
                _rejections(
                    rows[mask],
                    column,
                    reason if isinstance(reason, str) else reason[mask],
                    value if isinstance(value, str) else value[mask],
                    action,
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

    first = rows.sort_values(["_file", "_row"]).drop_duplicates(["child_key", "measured_on"])
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
        problems.append(_rejections(dupes, "(baris)", reason, "", REJECTED))
    rows = first

    rows["posyandu_id"], fits = _match_posyandu(rows, posyandu)
    reject(
        fits.notna(),
        "Posyandu",
        "nama cocok dengan lebih dari satu posyandu di desanya: " + fits + "; pengukuran disimpan tanpa posyandu",
        rows["posyandu_name"],
        BLANKED,
    )
    # compute_zscores reads the columns as they are (codes, missing values) and writes new arrays
    z = compute_zscores(rows["sex"], rows["age_days"], rows["weight_kg"], rows["height_cm"], rows["measure"])
    # Stored as WHO's anthro reports them: rounded to 2 decimals, flags on the rounded value,
    # so every cut-off downstream follows WHO's convention.
    for name, flag in zip(ZSCORE_COLUMNS, FLAG_COLUMNS):
        z[name] = round_zscores(z[name].to_numpy())
        z[flag] = compute_implausible_flag(z[name].to_numpy(), name)
    for column in z.columns:
        rows[column] = z[column].to_numpy()
    rows["month"] = rows["measured_on"].dt.to_period("M").dt.start_time
    rows["age_months"] = np.floor(rows["age_days"] / 30.4375).astype("int64")
    rejections = pd.concat(problems) if problems else pd.DataFrame(columns=REJECTION_COLUMNS)
    return rows, rejections


def _match_posyandu(rows: pd.DataFrame, posyandu: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Each row's posyandu_id, matched by name key within its desa, and for a row whose name
    fits two or more posyandu of its desa the ones it fits ("P-1 (Melati 1), P-2 (MELATI I)"):
    such a row gets no posyandu rather than a guess. A name whose words fit no posyandu is
    tried once more with its words run together, as e-PPGBM spells "Ar-Rahman" "Arrahman"."""
    if posyandu is None or posyandu.empty:  # no master read: no name matches
        posyandu = pd.DataFrame(columns=["kode_desa", "posyandu_id", "posyandu_name"])
    master = posyandu.assign(
        key=posyandu_key(posyandu["posyandu_name"]),
        label=posyandu["posyandu_id"] + " (" + posyandu["posyandu_name"] + ")",
    )
    keys = posyandu_key(rows["posyandu_name"])
    by_words = _fitting(master, rows["kode_desa"], keys)
    joined = _fitting(master.assign(key=_joined(master["key"])), rows["kode_desa"], _joined(keys))
    found = by_words.where(by_words["count"].notna(), joined)  # a word match always wins
    ambiguous = found["count"] > 1
    return found["posyandu_id"].mask(ambiguous).astype("string"), found["labels"].where(ambiguous).astype("string")


def _joined(keys: pd.Series) -> pd.Series:
    """A key's words with nothing between them: "ar rahman" -> "arrahman"."""
    return keys.str.replace(" ", "")


def _fitting(master: pd.DataFrame, desa: pd.Series, keys: pd.Series) -> pd.DataFrame:
    """Per row (desa and key): the first posyandu_id of the master rows with that desa and key,
    how many posyandu those are (NaN when none) and their labels."""
    # one posyandu listed in several master snapshots is one candidate
    master = master.drop_duplicates(["kode_desa", "key", "posyandu_id"]).sort_values("posyandu_id")
    candidates = master.groupby(["kode_desa", "key"]).agg(
        posyandu_id=("posyandu_id", "first"), count=("posyandu_id", "size"), labels=("label", ", ".join)
    )
    return candidates.reindex(pd.MultiIndex.from_arrays([desa, keys])).set_axis(desa.index)


def _rejections(
    rows: pd.DataFrame, column: str, reason: str | pd.Series, value: str | pd.Series, action: str
) -> pd.DataFrame:
    """One record per row; a reason or value given as a series is read row by row (same index)."""
    return pd.DataFrame(
        {
            "register": "eppgbm",
            "file": rows["_file"],
            "row_number": rows["_row"],
            "column_name": column,
            "value": value,
            "reason": reason,
            "action": action,
        }
    )
