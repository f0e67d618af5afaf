"""Katalog Indikator: every indicator of the dashboard with its definition and target, and a glossary."""

import pandas as pd
import streamlit as st

from dashboard.catalogue.glossary import GLOSSARY
from dashboard.catalogue.indicators import INDICATORS
from dashboard.catalogue.targets import read_register
from dashboard.formatting import format_number
from dashboard.ui.page import start_page
from dashboard.ui.widgets import show_table

CONFIDENCE = {"H": "dibaca di sumber primer", "M": "satu sumber sekunder", "L": "belum diverifikasi"}

filters = start_page(
    "Katalog Indikator",
    "Apa arti setiap angka di dasbor ini, bagaimana dihitung, dari register mana, dan targetnya beserta sumbernya",
)
year = filters.month.year

st.header("Indikator")
rows = []
for entry in INDICATORS.values():
    target = entry.target(year)
    rows.append(
        {
            "Indikator": entry.name,
            "Definisi": entry.definition,
            "Pembilang": entry.numerator,
            "Penyebut": entry.denominator,
            "Satuan": entry.unit,
            "Sumber data": entry.source_register,
            "Periode": entry.period,
            "Arah": entry.direction_text,
            "Minimum n": (f"{format_number(entry.min_n)} {entry.min_n_unit}" if entry.min_n else "–"),
            f"Target untuk data {year}": target.short_label() if target else "–",
        }
    )
show_table(
    pd.DataFrame(rows), "Katalog indikator", "Sumber: katalog indikator Dasbor Posyandu Kukar", "katalog_indikator"
)
st.caption(
    "Minimum n: di bawah jumlah ini angka tetap ditampilkan, tetapi wilayah tidak diberi peringkat atau warna "
    "karena angkanya belum stabil."
)

st.header("Target dan norma")
register = pd.DataFrame(
    [
        {
            "Indikator": INDICATORS[row.indicator].name,
            "Jenis": "Target" if row.kind == "target" else "Norma",
            "Tahun": (
                "–"
                if row.year_from is None
                else str(row.year_from)
                if row.year_from == row.year_to
                else f"{row.year_from}–{row.year_to}"
            ),
            "Nilai": row.value_text(),
            "Sumber": row.source,
            "Keyakinan": f"{row.confidence} ({CONFIDENCE.get(row.confidence, row.confidence)})",
            "Catatan": row.note or "–",
        }
        for row in read_register()
    ]
)
show_table(register, "Target dan norma", "Sumber: register target (data/reference/targets.csv)", "katalog_target")
st.caption(
    "Target RPJMN 2020–2024 (14%) hanya dipakai untuk data sampai 2024; data 2025 dibandingkan dengan RPJMN 2025–2029."
)

st.header("Glosarium")
for term, meaning in GLOSSARY.items():
    st.markdown(f"**{term}** — {meaning}")
