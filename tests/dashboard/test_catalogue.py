"""dashboard/catalogue: one entry per indicator, and targets looked up from the register with their source."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from dashboard.catalogue.indicators import INDICATORS, MinimumN
from dashboard.catalogue.targets import (
    REGISTER,
    REGISTER_ENV,
    ds_target,
    kader_norm,
    next_target,
    read_register,
    target_for,
    threshold_for,
)
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
    assert entry.minimum_n is None or (entry.min_n_unit and all(n > 0 for _, _, n in entry.minimum_n.rules))


def test_minimum_n_is_per_use_and_the_most_specific_rule_wins():
    rule = MinimumN("balita diukur", (("peringkat", None, 30), ("nilai", "posyandu", 10), ("nilai", None, 1)))
    assert rule.at("peringkat") == 30 and rule.at("peringkat", "desa") == 30
    assert rule.at("nilai", "posyandu") == 10 and rule.at("nilai", "kecamatan") == 1
    assert rule.at("lampu") == 1  # no rule for the use: any data
    assert (
        rule.describe()
        == "peringkat: ≥ 30 balita diukur; angka ditampilkan (posyandu): ≥ 10 balita diukur; angka ditampilkan: ≥ 1 balita diukur"
    )
    stunting = INDICATORS["stunting"]
    assert (stunting.min_n("peringkat"), stunting.min_n("peta"), stunting.min_n("lampu"), stunting.min_n("nilai")) == (
        30,
        30,
        30,
        1,
    )
    assert INDICATORS["ds_ratio"].min_n("lampu") == 30 and INDICATORS["ds_ratio"].min_n("peringkat") == 1
    assert INDICATORS["basic_services_index"].min_n("lampu") == 1


LOCAL_ROWS = (
    "stunting_kaltim_2025,stunting,target,provinsi,64,2025,2025,17,%,at_most,RPJMD Kaltim (uji),M,\n"
    "stunting_kukar_2025,stunting,target,kabupaten,64.02,2025,2025,12.5,%,at_most,RPJMD Kukar (uji),M,\n"
    "stunting_kukar_2026,stunting,target,kabupaten,64.02,2026,2026,11,%,at_most,RKPD Kukar 2026 (uji),M,\n"
    "stunting_tenggarong_2025,stunting,target,kecamatan,64.02.05,2025,2025,10,%,at_most,Renstra kecamatan (uji),L,\n"
)


@pytest.fixture
def local_register(tmp_path, monkeypatch):
    path = tmp_path / "targets.csv"
    path.write_text(REGISTER.read_text(encoding="utf-8") + LOCAL_ROWS, encoding="utf-8")
    monkeypatch.setenv(REGISTER_ENV, str(path))
    return path


def test_the_most_local_target_for_the_year_applies(local_register):
    assert len(read_register()) == len(read_register(REGISTER)) + 4
    assert target_for("stunting", 2025, "64.02.05").code == "stunting_tenggarong_2025"  # its own kecamatan
    assert target_for("stunting", 2025, "64.02.01").code == "stunting_kukar_2025"  # other kecamatan: Kukar's
    assert target_for("stunting", 2025).code == "stunting_kukar_2025"  # default area: Kukar
    assert target_for("stunting", 2025, "64.03").code == "stunting_kaltim_2025"  # another kabupaten in Kaltim
    assert target_for("stunting", 2025, "65.01").code == "stunting_rpjmn_2025"  # outside Kaltim: nasional
    # A Kukar row for another year does not stand in for 2025 or 2024.
    assert target_for("stunting", 2026).code == "stunting_kukar_2026"
    assert target_for("stunting", 2024).code == "stunting_rpjmn_2020_2024"
    # No row for the year: nothing, even though later years have targets.
    assert target_for("stunting", 2027) is None
    assert next_target("stunting", 2027).code == "stunting_rpjmn_2029"
    assert next_target("stunting", 2026, "64.02.05").code == "stunting_kukar_2026"


def test_a_prefix_is_not_an_area():
    """64.02.1 is not inside 64.02.10's parent by text alone: areas nest at the dots."""
    row = next(r for r in read_register() if r.code == "kader_norm_kukar")
    assert row.covers("64.02") and row.covers("64.02.10")
    assert not row.covers("64.021") and not row.covers("64")


def test_the_stunting_threshold_is_sourced_and_strict():
    band = threshold_for("stunting", 2025)
    assert band is not None and "WHO" in band.source and band.value == 20
    assert band.met_by(19.99) and not band.met_by(20.0)
    assert threshold_for("ds_ratio", 2025) is None
