"""Keyed pseudonyms for children: the same child links across monthly files, nobody can
reverse the key without the local secret, and no NIK or name goes further than here."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

import pandas as pd

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


def is_usable_nik(nik: pd.Series) -> pd.Series:
    """16 digits, a plausible province code, not a dummy like 0000… or 1234567890123456."""
    text = nik.fillna("")
    return text.str.fullmatch(r"[1-9]\d{15}").fillna(False) & ~text.str.match(_DUMMY_NIK).fillna(False)


def child_keys(nik: pd.Series, name: pd.Series, birth_date: pd.Series, sex: pd.Series, secret: bytes) -> pd.Series:
    """HMAC-SHA256 of the NIK, or of normalised name + birth date + sex when the NIK is unusable."""
    usable = is_usable_nik(nik)
    normal_name = name.fillna("").str.lower().str.replace(r"[^a-z]", "", regex=True)
    fallback = "nbs:" + normal_name + "|" + birth_date.dt.strftime("%Y-%m-%d").fillna("") + "|" + sex.astype("string").fillna("")
    material = ("nik:" + nik.fillna("")).where(usable, fallback)
    unique = material.unique()
    digests = {m: hmac.new(secret, m.encode(), hashlib.sha256).hexdigest()[:24] for m in unique}
    return material.map(digests).astype("string")
