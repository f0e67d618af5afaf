"""dashboard/catalogue: one entry per indicator, and targets looked up from the register with their source."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from dashboard.catalogue.indicators import INDICATORS
from dashboard.catalogue.targets import REGISTER, ds_target, kader_norm, next_target, read_register, target_for
from dashboard.charts.stunting import stunting_target


def test_2025_data_is_compared_with_rpjmn_2025_2029_not_the_old_14_percent():
    target = target_for("stunting", 2025)
    assert target is not None and target.value == 18.8
    assert "RPJMN 2025–2029" in target.source and "Bappenas" in target.source
    assert target_for("stunting", 2024).value == 14  # RPJMN 2020–2024 still labels 2024 data
    assert stunting_target([date(2025, 10, 1), date(2024, 12, 1)]).value == 18.8


def test_between_published_years_the_next_published_target_is_shown_with_its_year():
    assert target_for("stunting", 2027) is None  # no yearly value published for 2027
    later = next_target("stunting", 2027)
    assert (later.year_from, later.value) == (2029, 14.2)
    assert later.short_label() == "Target 2029: 14,2% (RPJMN 2025–2029)"


def test_every_register_row_has_a_source_and_a_known_indicator():
    with REGISTER.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(read_register())
    for row in rows:
        assert row["source"].strip(), row["code"]
        assert row["confidence"] in {"H", "M", "L"}, row["code"]
        assert row["indicator"] in INDICATORS, row["code"]
    assert len({row["code"] for row in rows}) == len(rows)


def test_norms_and_targets_used_by_pages_come_from_the_register():
    assert kader_norm() == 15
    assert ds_target() == pytest.approx(0.80)


@pytest.mark.parametrize("code", sorted(INDICATORS))
def test_each_indicator_says_what_it_counts(code):
    entry = INDICATORS[code]
    for text in (entry.name, entry.short_name, entry.definition, entry.numerator, entry.denominator):
        assert text.strip() and text == text.strip()
    assert entry.color.startswith("#") and len(entry.color) == 7
    assert entry.min_n is None or (entry.min_n > 0 and entry.min_n_unit)
