"""dashboard/ui/widgets.py: download names cut between words."""

from __future__ import annotations

from dashboard.ui.widgets import _slug


def test_download_names_end_on_a_whole_word():
    title = "Stunting per kecamatan, Oktober 2025: Tenggarong Seberang tertinggi dari semua kecamatan"
    name = _slug(title)
    assert len(name) <= 60
    words = title.lower().replace(",", "").replace(":", "").split()
    assert name.split("-") == words[: len(name.split("-"))]
