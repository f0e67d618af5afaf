"""format_rupiah: rupiah as read aloud in a rapat ("Rp 12,5 jt"), whatever the browser's locale."""

from __future__ import annotations

import math

import pytest

from dashboard.charts.budget import rupiah_ticks
from dashboard.formatting import format_rupiah


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12_500_000, "Rp 12,5 jt"),
        (45_000_000, "Rp 45 jt"),
        (1_200_000_000, "Rp 1,2 M"),
        (3_400_000_000_000, "Rp 3,4 T"),
        (150_000, "Rp 150 rb"),
        (127_450, "Rp 127,5 rb"),  # half up
        (999_949, "Rp 999,9 rb"),
        (999_950, "Rp 1 jt"),  # not "Rp 1.000 rb"
        (850, "Rp 850"),
        (0, "Rp 0"),
        (-2_500_000, "-Rp 2,5 jt"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_format_rupiah(value, text):
    assert format_rupiah(value) == text


def test_rupiah_ticks_are_round_and_labelled():
    values, labels = rupiah_ticks(1_150_000)
    assert values == [0, 250_000, 500_000, 750_000, 1_000_000]
    assert labels == ["Rp 0", "Rp 250 rb", "Rp 500 rb", "Rp 750 rb", "Rp 1 jt"]
    assert rupiah_ticks(0) == ([0.0], ["Rp 0"])
