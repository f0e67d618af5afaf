"""Keyed pseudonyms for children: the same child links across monthly files, nobody can
reverse the key without the local secret, and no NIK or name goes further than here."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

MIN_SECRET_BYTES = 32


class SecretError(Exception):
    """The pseudonym key cannot be used; the message is Bahasa, names the file and says what to do."""


def load_or_create_secret(path: Path) -> bytes:
    """The HMAC secret, created on first run (outside git: .secrets/ is ignored).

    A key that is empty, short, not hex, unreadable or readable by other users is refused:
    under a weak key NIKs can be recovered by trying them all. It is never replaced
    silently either, since a new key gives every child a new pseudonym."""
    if not path.exists():
        return _create_secret(path)
    _check_private(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SecretError(
            f"kunci samaran {path} tidak bisa dibaca ({type(error).__name__}). Pulihkan file itu dari cadangan; "
            "bila hilang, hapus file itu agar kunci baru dibuat (semua anak mendapat kode samaran baru)."
        ) from error
    if len(key) < MIN_SECRET_BYTES:
        raise SecretError(
            f"kunci samaran {path} terlalu pendek ({len(key)} byte, minimal {MIN_SECRET_BYTES}). "
            "Pulihkan file itu dari cadangan; bila tidak ada, hapus file itu agar kunci baru dibuat "
            "(semua anak mendapat kode samaran baru)."
        )
    return key


def _check_private(path: Path) -> None:
    if os.name == "nt":  # Windows has no POSIX modes; the file sits in the user's own folder
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise SecretError(
            f"kunci samaran {path} bisa dibaca pengguna lain (mode {mode:o}). "
            f"Jalankan `chmod 600 {path}` lalu coba lagi."
        )


def _create_secret(path: Path) -> bytes:
    """Written to a temporary file, flushed to disk, then renamed: a crash leaves either no
    key or a whole one, never an empty file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(MIN_SECRET_BYTES)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if another process created the key meanwhile
        except FileExistsError:
            return load_or_create_secret(path)
        except OSError:  # file systems without hard links
            os.replace(temporary, path)
        _fsync_folder(path.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return key


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_usable_nik(nik: pd.Series) -> pd.Series:
    """16 digits, a plausible province code, not a dummy like 0000… or 1234567890123456.

    Checked once per distinct NIK (a monthly file repeats each child's NIK many times), with
    pyarrow's vectorised string functions (a Python regex per NIK cost 7x more)."""
    codes, uniques = pd.factorize(nik.fillna("").astype(str))
    distinct = pd.Series(uniques, dtype="string[pyarrow]")
    valid = distinct.str.fullmatch(r"[1-9][0-9]{15}")
    one_digit = distinct == distinct.str.slice(0, 1).str.repeat(16)
    dummy = one_digit | (distinct == "1234567890123456") | distinct.str.startswith("000000")
    verdicts = (valid & ~dummy).fillna(False).to_numpy(dtype=bool)
    return pd.Series(verdicts[codes], index=nik.index)


# Digests remembered across the files of one build: a child is in every monthly export, and
# hashing each file on its own (the streamed build) cost 24 HMACs a child instead of one.
# Bounded (about 400 MB at the cap) for builds of a province.
KNOWN_KEYS_MAX = 2_000_000


def child_keys(
    nik: pd.Series,
    name: pd.Series,
    birth_date: pd.Series,
    sex: pd.Series,
    secret: bytes,
    known: dict[str, str] | None = None,
) -> pd.Series:
    """HMAC-SHA256 of the NIK, or of normalised name + birth date + sex when the NIK is unusable.

    Each distinct key material is hashed once; string work is done only on the rows that need it.
    `known` (material -> digest) carries digests from one file of a build to the next."""
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
    if known is None:
        known = {}
    elif len(known) + len(uniques) > KNOWN_KEYS_MAX:
        known.clear()
    digests = np.empty(len(uniques), dtype=object)
    for index, text in enumerate(uniques):
        digest = known.get(text)
        if digest is None:
            digest = known[text] = hmac.digest(secret, text.encode(), "sha256").hex()[:24]
        digests[index] = digest
    return pd.Series(digests[codes], index=nik.index, dtype="string")
