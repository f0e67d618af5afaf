"""dashboard/ui/presentation.py: reading `?presentasi=` and `?layar=`."""

from __future__ import annotations

import pytest

from dashboard.ui.presentation import parse_flag, parse_screen_number


@pytest.mark.parametrize("value", ["1", "true", "Ya", " yes ", "on"])
def test_flag_on(value):
    assert parse_flag(value) is True


@pytest.mark.parametrize("value", ["0", "false", "tidak", "no", "off", ""])
def test_flag_off(value):
    assert parse_flag(value) is False


@pytest.mark.parametrize("value", [None, "mungkin", "2"])
def test_flag_unknown_leaves_the_mode_alone(value):
    assert parse_flag(value) is None


def test_screen_number_is_clamped_to_the_screens():
    assert parse_screen_number("3", 21) == 3
    assert parse_screen_number("99", 21) == 21
    assert parse_screen_number("0", 21) == 1
    assert parse_screen_number(" 5 ", 4) == 4
    assert parse_screen_number("tiga", 21) is None
    assert parse_screen_number(None, 21) is None
