"""dashboard/formatting.py: the defaults and pass-throughs of the percent and share formatters
that pages lean on without saying so (one decimal unless asked, suppressed-cell text kept,
the decimals asked for a share honoured)."""

from __future__ import annotations

from dashboard.formatting import format_percent, format_share


def test_a_percent_has_one_decimal_unless_asked():
    assert format_percent(14.85) == "14,9%"
    assert format_share(0.1485) == "14,9%"


def test_a_share_keeps_the_decimals_asked_for():
    assert format_share(0.14853, 2) == "14,85%"
    assert format_share(0.5, 0) == "50%"


def test_a_suppressed_share_keeps_its_text():
    assert format_share("<5") == "<5"
