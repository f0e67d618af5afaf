"""A Kode Desa typed beside the names in a register, checked against the desa the names give.

The budget register carries the Kemendagri desa code and the kecamatan and desa names. The
names decide the desa (that is how every register is read); a code that points at another
desa or another kecamatan means one of the two is wrong, and the row is refused with the
reason rather than booked to a desa nobody can be sure of.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from etl.regions import KABUPATEN_CODE, desa_frame

# 64.02.01.2001 as typed: with dots, spaces or nothing between the parts ("6402012001").
_CODE = re.compile(r"^(\d{2})[.\s]?(\d{2})[.\s]?(\d{2})[.\s]?(\d{4})$")
_MAX_QUOTED = 40  # a pasted paragraph is cut, not copied into the reason
_BPS_KABUPATEN = "64.03"  # Kukar in the BPS system: never mixed with Kemendagri codes


def normalise_desa_code(typed: object) -> str | None:
    """'64.02.01.2001', '6402012001', '64 02 01 2001' (and an Excel number's '.0') -> the dotted
    code; None for anything that is not ten digits in that shape."""
    if typed is None or pd.isna(typed):
        return None
    text = re.sub(r"\.0$", "", str(typed).strip())
    match = _CODE.fullmatch(text)
    return ".".join(match.groups()) if match else None


@lru_cache(maxsize=1)
def _desa_by_code() -> dict[str, tuple[str, str, str]]:
    """Kemendagri desa code -> ("Desa Sebulu Ilir" / "Kel. Jahab", kode_kec, "Kec. Sebulu")."""
    return {
        row.kode_desa: (
            f"{'Kel.' if row.jenis == 'kelurahan' else 'Desa'} {row.nama_desa}",
            row.kode_kec,
            f"Kec. {row.nama_kec}",
        )
        for row in desa_frame().itertuples(index=False)
    }


def desa_code_mismatch(typed: object, kode_desa: object) -> str | None:
    """The Bahasa reason a row is refused when its typed Kode Desa disagrees with `kode_desa`,
    the desa its names matched; None when the code agrees or is blank, or when the names
    matched no desa (the row is already refused for its names)."""
    if typed is None or pd.isna(typed) or not str(typed).strip() or kode_desa is None or pd.isna(kode_desa):
        return None
    code = normalise_desa_code(typed)
    shown = str(typed).strip()[:_MAX_QUOTED]
    if code is None:
        return f"Kode Desa '{shown}' bukan kode desa Kemendagri (contoh: 64.02.01.2001)"
    if code == kode_desa:
        return None
    by_code = _desa_by_code()
    named, named_kec, named_kec_name = by_code[str(kode_desa)]
    if code.startswith(f"{_BPS_KABUPATEN}."):
        return f"Kode Desa {code} tampaknya kode BPS ({_BPS_KABUPATEN}); isi kode Kemendagri {KABUPATEN_CODE} untuk {named}"
    if code not in by_code:
        return f"Kode Desa {code} tidak ada di daftar desa/kelurahan Kutai Kartanegara; nama di baris ini {named}, {named_kec_name}"
    coded, coded_kec, coded_kec_name = by_code[code]
    if coded_kec != named_kec:
        return (
            f"Kode Desa {code} adalah {coded}, {coded_kec_name}, tetapi baris ini menyebut {named}, "
            f"{named_kec_name}: kecamatan berbeda"
        )
    return f"Kode Desa {code} adalah {coded}, tetapi baris ini menyebut {named} ({named_kec_name})"
