"""etl/pseudonymise.py: the pseudonym key is created whole and private, and a weak or
exposed key is refused with a message naming the file."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from etl.pseudonymise import MIN_SECRET_BYTES, SecretError, load_or_create_secret

posix_only = pytest.mark.skipif(os.name == "nt", reason="Windows has no POSIX file modes")


def test_created_once_whole_and_reused(tmp_path: Path):
    path = tmp_path / "sub" / "pseudonym.key"
    key = load_or_create_secret(path)
    assert len(key) >= MIN_SECRET_BYTES and len(set(key)) > 8
    assert path.read_text() == key.hex()
    assert load_or_create_secret(path) == key
    assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"]  # no temporary left


@posix_only
def test_created_readable_by_the_owner_only(tmp_path: Path):
    path = tmp_path / "pseudonym.key"
    load_or_create_secret(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "terlalu pendek (0 byte"),
        ("ab" * 16, "terlalu pendek (16 byte"),
        ("zz" * 32, "tidak bisa dibaca"),
        ("\u00e9" * 64, "tidak bisa dibaca"),
    ],
)
def test_weak_or_broken_keys_are_refused(tmp_path: Path, content: str, message: str):
    path = tmp_path / "pseudonym.key"
    path.write_text(content, encoding="utf-8")
    os.chmod(path, 0o600)
    with pytest.raises(SecretError, match=re.escape(message)) as refused:
        load_or_create_secret(path)
    assert str(path) in str(refused.value)
    assert path.read_text(encoding="utf-8") == content  # never replaced silently


@posix_only
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o666])
def test_a_key_others_can_read_is_refused(tmp_path: Path, mode: int):
    path = tmp_path / "pseudonym.key"
    load_or_create_secret(path)
    os.chmod(path, mode)
    with pytest.raises(SecretError, match=re.escape(f"chmod 600 {path}")):
        load_or_create_secret(path)


def test_usable_nik_follows_the_rules_written_as_python_regexes():
    import pandas as pd

    from etl.pseudonymise import is_usable_nik

    valid, dummy = re.compile(r"[1-9]\d{15}"), re.compile(r"^(\d)\1{15}$|^1234567890123456$|^0{6}")
    niks = [
        "6402011234560001",
        "6402011234560001",
        "1234567890123456",
        "1111111111111111",
        "0000000000000000",
        "0000001234567890",
        "640201123456000",
        "64020112345600011",
        "64020112345600a1",
        " 6402011234560001",
        "",
        None,
        "9999999999999998",
        "2222222222222222",
        "٦٤٠٢٠١١٢٣٤٥٦٠٠٠١",  # Arabic-Indic digits: Python's \d takes them, a NIK does not
    ]
    got = is_usable_nik(pd.Series(niks, dtype="string")).tolist()
    expected = [bool(valid.fullmatch(n or "")) and not dummy.match(n or "") and (n or "").isascii() for n in niks]
    assert got == expected


def test_pseudonyms_remembered_across_files_equal_those_computed_afresh(monkeypatch):
    import pandas as pd

    from etl import pseudonymise

    secret = b"k" * 32
    nik = pd.Series(["6402011234560001", "0000000000000000", "6402011234560002"], dtype="string")
    name = pd.Series(["Ani", "Budi", "Citra"], dtype="string")
    born = pd.to_datetime(pd.Series(["2023-01-02", "2022-05-06", "2021-07-08"]))
    sex = pd.Series([2, 1, 2])
    fresh = pseudonymise.child_keys(nik, name, born, sex, secret)
    known: dict[str, str] = {}
    first = pseudonymise.child_keys(nik, name, born, sex, secret, known)
    assert len(known) == 3
    known["nik:6402011234560001"] = "remembered"  # a second file reuses what the first computed
    again = pseudonymise.child_keys(nik, name, born, sex, secret, known)
    assert first.tolist() == fresh.tolist()
    assert again.tolist() == ["remembered", *fresh.tolist()[1:]]
    monkeypatch.setattr(pseudonymise, "KNOWN_KEYS_MAX", 4)  # over the cap: forgotten, recomputed
    assert pseudonymise.child_keys(nik, name, born, sex, secret, known).tolist() == fresh.tolist()
    assert len(known) == 3
