"""Filters shared by every page: period, kecamatan, puskesmas and desa, plus the user's access scope. No streamlit here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class Filters:
    month: date  # the period shown (first day of the month)
    kode_kec: str | None = None  # chosen kecamatan, None = whole kabupaten
    scope_kec: tuple[str, ...] | None = None  # kecamatan this user may see; None = all
    puskesmas: str | None = None  # chosen puskesmas (its name in the posyandu master), None = all
    kode_desa: str | None = None  # chosen desa/kelurahan (Kemendagri code), None = all

    @property
    def visible_kec(self) -> tuple[str, ...] | None:
        """Kecamatan codes a query must restrict to (None = no restriction)."""
        if self.kode_kec:  # a kecamatan outside the user's scope shows nothing, never widens it
            return (self.kode_kec,) if self.scope_kec is None or self.kode_kec in self.scope_kec else ()
        return self.scope_kec

    @property
    def single_kec(self) -> str | None:
        """The one kecamatan shown, if exactly one is visible (a chosen or a sole scoped one)."""
        kec = self.visible_kec
        return kec[0] if kec is not None and len(kec) == 1 else None

    def whole_scope(self) -> Filters:
        """The same period and access scope with no kecamatan, puskesmas or desa chosen: every
        area the reader may see (a kabupaten row, a rapat that covers all kecamatan)."""
        return replace(self, kode_kec=None, puskesmas=None, kode_desa=None)

    def kecamatan_only(self, kode_kec: str | None) -> Filters:
        """One whole kecamatan (None = the whole scope), dropping a chosen puskesmas or desa."""
        return replace(self.whole_scope(), kode_kec=kode_kec)

    def params(self) -> dict:
        """Bound values for SQL: `$month`, `$all_kec` (true = no restriction), `$kec` (list),
        `$all_pkm` (true = every puskesmas), `$pkm` (the chosen puskesmas), `$all_desa`
        (true = every desa), `$desa` (the chosen desa)."""
        kec = self.visible_kec
        return {
            "month": self.month,
            "all_kec": kec is None,
            "kec": list(kec or ()),
            "all_pkm": self.puskesmas is None,
            "pkm": self.puskesmas or "",
            "all_desa": self.kode_desa is None,
            "desa": self.kode_desa or "",
        }


# The posyandu of the chosen puskesmas, from the posyandu master (the puskesmas of a posyandu
# is a master attribute; every puskesmas-grain view reads it the same way).
_PKM_POSYANDU = "select posyandu_id from dim_posyandu where puskesmas = $pkm"


def kec_clause(column: str = "kode_kec") -> str:
    """SQL predicate applying a Filters' kecamatan restriction (bind with Filters.params()).

    A chosen puskesmas or desa narrows too: to the kecamatan it lies in (a desa code starts
    with its kecamatan's, `64.02.06.1013` → `64.02.06`). Rows of a finer grain are narrowed
    to its own posyandu or desa with posyandu_clause / desa_clause."""
    return (
        f"($all_kec or {column} = any($kec)) "
        f"and ($all_pkm or {column} in (select kode_kec from dim_posyandu where puskesmas = $pkm)) "
        f"and ($all_desa or {column} = left($desa, 8))"
    )


def posyandu_clause(column: str = "posyandu_id") -> str:
    """SQL predicate keeping the posyandu of the chosen puskesmas and desa (all when none is chosen)."""
    return (
        f"($all_pkm or {column} in ({_PKM_POSYANDU})) "
        f"and ($all_desa or {column} in (select posyandu_id from dim_posyandu where kode_desa = $desa))"
    )


def desa_clause(column: str = "kode_desa") -> str:
    """SQL predicate keeping the chosen desa, or the desa served by the chosen puskesmas's posyandu."""
    return (
        f"($all_pkm or {column} in (select kode_desa from dim_posyandu where puskesmas = $pkm)) "
        f"and ($all_desa or {column} = $desa)"
    )


def months_before(month: date, months: int) -> date:
    """First day of the month `months` months before `month` (months_before(Oct 2025, 2) = Aug 2025)."""
    return (pd.Timestamp(month).replace(day=1) - pd.DateOffset(months=months)).date()


def month_end(month: date) -> date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
