"""Keyed pseudonyms for children: the same child links across monthly files, nobody can
reverse the key without the local secret, and no NIK or name goes further than here."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

_VALID_NIK = re.compile(r"[1-9]\d{15}")
_DUMMY_NIK = re.compile(r"^(\d)\1{15}$|^1234567890123456$|^0{6}")


def load_or_create_secret(path: Path) -> bytes:
    """The HMAC secret, created on first run (outside git: .secrets/ is ignored)."""
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    return key


def _usable(nik: str) -> bool:
    return bool(_VALID_NIK.fullmatch(nik)) and not _DUMMY_NIK.match(nik)


def is_usable_nik(nik: pd.Series) -> pd.Series:
    """16 digits, a plausible province code, not a dummy like 0000… or 1234567890123456.

    Checked once per distinct NIK (a monthly file repeats each child's NIK many times)."""
    codes, uniques = pd.factorize(nik.fillna("").astype(str))
    verdicts = np.array([_usable(value) for value in uniques], dtype=bool)
    return pd.Series(verdicts[codes], index=nik.index)


def child_keys(nik: pd.Series, name: pd.Series, birth_date: pd.Series, sex: pd.Series, secret: bytes) -> pd.Series:
    """HMAC-SHA256 of the NIK, or of normalised name + birth date + sex when the NIK is unusable.

    Each distinct key material is hashed once; string work is done only on the rows that need it."""
    usable = is_usable_nik(nik)
    material = ("nik:" + nik.fillna("")).astype(object)
    fallback_rows = ~usable
    if fallback_rows.any():
        normal_name = name[fallback_rows].fillna("").str.lower().str.replace(r"[^a-z]", "", regex=True)
        born = birth_date[fallback_rows].dt.strftime("%Y-%m-%d").fillna("")
        material[fallback_rows] = (
            "nbs:" + normal_name + "|" + born + "|" + sex[fallback_rows].astype("string").fillna("")
        )
    codes, uniques = pd.factorize(material)
    digests = np.array([hmac.new(secret, m.encode(), hashlib.sha256).hexdigest()[:24] for m in uniques], dtype=object)
    return pd.Series(digests[codes], index=nik.index, dtype="string")
