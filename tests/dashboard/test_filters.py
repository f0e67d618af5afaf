"""dashboard/filters.py: the access scope can never be widened by the kecamatan choice."""

from __future__ import annotations

from datetime import date

from dashboard.filters import Filters

MONTH = date(2025, 10, 1)


def test_no_scope_no_choice_is_the_whole_kabupaten():
    assert Filters(MONTH).visible_kec is None
    assert Filters(MONTH).params() == {"month": MONTH, "all_kec": True, "kec": []}


def test_a_choice_narrows():
    assert Filters(MONTH, kode_kec="64.02.07").visible_kec == ("64.02.07",)
    assert Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06", "64.02.07")).visible_kec == ("64.02.07",)


def test_scope_applies_without_a_choice():
    assert Filters(MONTH, scope_kec=("64.02.06", "64.02.07")).visible_kec == ("64.02.06", "64.02.07")


def test_a_choice_outside_the_scope_shows_nothing():
    filters = Filters(MONTH, kode_kec="64.02.07", scope_kec=("64.02.06",))
    assert filters.visible_kec == ()
    assert filters.params() == {"month": MONTH, "all_kec": False, "kec": []}
