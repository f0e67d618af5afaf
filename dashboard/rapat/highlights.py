"""Apa yang berubah sejak bulan lalu (Ringkasan): the few biggest moves among the rapat screens.

Pure: the screens of ``dashboard.rapat.changes.build_screens`` in, the largest changes of
kecamatan out, in the words of the rapat ("Stunting turun 3,7 poin menjadi 10,5%"). A
stunting change whose 95% intervals overlap ("belum berbeda nyata") and one on fewer
children than the catalogue's minimum n is noise, not news: it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.catalogue.indicators import INDICATORS
from dashboard.rapat.changes import Change, Screen

CHANGES_SHOWN = 3
_MIN_CHILDREN = INDICATORS["stunting"].min_n("banding", "kecamatan")  # comparing two months of a kecamatan


@dataclass(frozen=True)
class Highlight:
    code: str  # kode_kec
    name: str  # "Kecamatan Tenggarong"
    change: Change

    @property
    def sentence(self) -> str:
        """ "partisipasi kader turun 4,5 poin menjadi 88,3%" (the bullet, inside a sentence)."""
        bullet = self.change.bullet()
        label = self.change.label
        return bullet if label.isupper() or "/" in label else label.lower() + bullet[len(label) :]

    @property
    def text(self) -> str:
        return f"{self.name}: {self.sentence}"


def _newsworthy(screen: Screen, change: Change) -> bool:
    if change.direction in (None, "tetap"):
        return False
    if change.label == "Stunting":
        return change.significant is True and screen.children >= _MIN_CHILDREN
    return True


def biggest_changes(screens: list[Screen], limit: int = CHANGES_SHOWN) -> list[Highlight]:
    """Kecamatan changes with the largest size in points, largest first (ties: stunting,
    then kader participation, then D/S; then kecamatan code)."""
    found = [
        (-abs(change.delta), order, screen.code, Highlight(screen.code, screen.name, change))
        for screen in screens
        if screen.kind == "kecamatan"
        for order, change in enumerate(screen.changes)
        if _newsworthy(screen, change)
    ]
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found[:limit]]
