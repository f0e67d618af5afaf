"""Katalog Indikator under AppTest: every catalogue entry listed with its target for the period's year."""

from __future__ import annotations

from dashboard.catalogue.glossary import GLOSSARY
from dashboard.catalogue.indicators import INDICATORS
from dashboard.catalogue.targets import read_register
from tests.support.apptest import open_page


def test_katalog_lists_every_indicator_with_its_sourced_target(warehouse_path, warehouse):
    at = open_page("pages/katalog.py")
    year = warehouse.execute("select max(month) from mart_stunting_by_area_month").fetchone()[0].year
    indicators = next(d.value for d in at.dataframe if "Definisi" in d.value.columns)
    indicators = getattr(indicators, "data", indicators)  # a Styler shows its frame as .data
    assert list(indicators["Indikator"]) == [entry.name for entry in INDICATORS.values()]
    stunting = indicators.set_index("Indikator").loc[INDICATORS["stunting"].name]
    assert stunting[f"Target untuk data {year}"] == INDICATORS["stunting"].target(year).short_label()
    assert stunting["Minimum n per penggunaan"] == (
        "peringkat, warna peta, lampu Scorecard, perbandingan dua periode: ≥ 30 balita diukur"
    )
    # The minimum-n table lists every rule of the catalogue, per use and level.
    min_n = next(d.value for d in at.dataframe if "Penggunaan" in d.value.columns)
    min_n = getattr(min_n, "data", min_n)
    rules = [(e.name, u, lv, n) for e in INDICATORS.values() if e.minimum_n for u, lv, n in e.minimum_n.rules]
    assert len(min_n) == len(rules)
    ds = min_n[min_n["Indikator"] == INDICATORS["ds_ratio"].name]
    assert ds[["Penggunaan", "Tingkat wilayah", "Minimum n"]].values.tolist() == [
        ["lampu Scorecard", "semua", "30 balita sasaran (S)"]
    ]
    register = next(d.value for d in at.dataframe if "Sumber" in d.value.columns)
    register = getattr(register, "data", register)
    assert len(register) == len(read_register()) and register["Sumber"].str.len().gt(0).all()
    assert set(register["Tingkat"]) >= {"nasional", "Kabupaten Kutai Kartanegara"}
    assert "**Target mana yang dipakai.**" in " ".join(m.value for m in at.markdown)
    text = " ".join(m.value for m in at.markdown)
    for term in ("D/S", "IK 95%", "SKDN", "TB/U", "6 SPM"):
        assert f"**{term}**" in text and term in GLOSSARY
