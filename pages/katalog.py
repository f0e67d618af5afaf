"""Katalog Indikator: every indicator of the dashboard with its definition and target, and a glossary."""

import pandas as pd
import streamlit as st

from dashboard.catalogue.glossary import GLOSSARY
from dashboard.catalogue.indicators import INDICATORS, USE_LABELS
from dashboard.catalogue.registers import register_sources
from dashboard.catalogue.targets import LEVEL_LABELS, read_register
from dashboard.formatting import format_number
from dashboard.ui.column_config import short_headers
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
            "Minimum n per penggunaan": entry.minimum_n.describe() if entry.minimum_n else "– (semua n dipakai)",
            f"Target untuk data {year}": target.short_label() if target else "–",
        }
    )
target_header = f"Target untuk data {year}"
show_table(
    pd.DataFrame(rows),
    "Katalog indikator",
    "Sumber: katalog indikator Dasbor Posyandu Kukar",
    "katalog_indikator",
    # the long texts wrap in the expander below instead of being cut in a cell
    columns=["Indikator", "Satuan", "Sumber data", target_header],
    column_config=short_headers({"Indikator": ("Indikator", 260), target_header: (target_header, 300)}),
)
with st.expander("Definisi, pembilang, penyebut, periode, arah dan minimum n tiap indikator"):
    for row in rows:
        st.markdown(
            f"**{row['Indikator']}** — {row['Definisi']}  \n"
            f"Pembilang: {row['Pembilang']} · Penyebut: {row['Penyebut']} · Satuan: {row['Satuan']} · "
            f"Periode: {row['Periode']} · Arah: {row['Arah']}  \n"
            f"Minimum n: {row['Minimum n per penggunaan']} · {target_header}: {row[target_header]}"
        )
st.subheader("Minimum n menurut penggunaan")
st.markdown(
    "Satu angka dipakai dengan cara berbeda, dan tiap cara butuh n yang berbeda. Katalog menyimpan minimum n "
    "per **penggunaan** (" + ", ".join(f"*{label}*" for label in USE_LABELS.values()) + ") dan, bila berbeda, per "
    "**tingkat wilayah** (kabupaten, kecamatan, puskesmas, desa, posyandu); aturan yang paling khusus yang "
    "berlaku, dan penggunaan tanpa aturan cukup n ≥ 1. Di bawah minimum, angka tetap ditampilkan dengan n-nya, "
    "tetapi wilayah tidak diberi peringkat, warna peta, atau lampu Scorecard. Semua halaman, peta, skor "
    "prioritas dan Scorecard membaca minimum ini dari katalog."
)
min_n_rows = [
    {
        "Indikator": entry.name,
        "Penggunaan": USE_LABELS[use],
        "Tingkat wilayah": level or "semua",
        "Minimum n": f"{format_number(n)} {entry.minimum_n.unit}",
    }
    for entry in INDICATORS.values()
    if entry.minimum_n
    for use, level, n in entry.minimum_n.rules
]
show_table(
    pd.DataFrame(min_n_rows),
    "Minimum n per penggunaan",
    "Sumber: katalog indikator Dasbor Posyandu Kukar",
    "katalog_min_n",
)
st.caption(
    'Minimum n berbeda dari penyamaran ekspor: di file unduhan, jumlah anak 1–4 ditulis "<5" untuk melindungi '
    "data pribadi, apa pun penggunaannya. Minimum untuk lampu D/S, kader dan registrasi adalah nilai kerja dasbor "
    "(belum ada aturan nasional)."
)

st.header("Target dan norma")
register = pd.DataFrame(
    [
        {
            "Indikator": INDICATORS[row.indicator].name,
            "Jenis": {"target": "Target", "deadline": "Tenggat", "norm": "Norma", "threshold": "Ambang lampu"}[
                row.kind
            ],
            "Tingkat": LEVEL_LABELS.get(row.level, row.level),
            "Tahun": (
                "–"
                if row.year_from is None
                else str(row.year_from)
                if row.year_from == row.year_to
                else f"{row.year_from}–{row.year_to}"
            ),
            "Nilai": row.value_text(),
            "Sumber": row.source,
            "Keyakinan": row.confidence,
            "Catatan": row.note or "–",
        }
        for row in read_register()
    ]
)
show_table(
    register,
    "Target dan norma",
    f"Sumber: {register_sources(['targets'])}",
    "katalog_target",
    columns=[c for c in register.columns if c != "Catatan"],
    column_config=short_headers(
        {"Indikator": ("Indikator", 210), "Sumber": ("Sumber", 300), "Keyakinan": ("Yakin", 55)}
    ),
)
st.caption("Keyakinan: " + " · ".join(f"{code} = {text}" for code, text in CONFIDENCE.items()) + ".")
st.caption(
    "Target RPJMN 2020–2024 (14%) hanya dipakai untuk data sampai 2024; data 2025 dibandingkan dengan RPJMN 2025–2029."
)
st.markdown(
    "**Target mana yang dipakai.** Setiap baris register punya tingkat (nasional, provinsi, kabupaten, kecamatan) "
    "dan wilayah. Untuk data suatu wilayah pada tahun tertentu, dasbor memakai target **paling lokal** yang "
    "berlaku untuk tahun data itu dan mencakup wilayah itu: target kabupaten (RPJMD/RKPD Kukar) didahulukan dari "
    "target provinsi, dan target provinsi dari target nasional (RPJMN). Target yang dipakai selalu ditulis di "
    "layar bersama sumbernya. Bila tidak ada target untuk tahun data, tidak ada lampu atau garis target — "
    "alasannya ditulis, tidak pernah diganti angka tanpa sumber. Target Kukar dimuat dengan menambah baris "
    "`kabupaten`, wilayah `64.02`, di `data/reference/targets.csv` (lihat docs/registers.md)."
)

st.header("Glosarium")
for term, meaning in GLOSSARY.items():
    st.markdown(f"**{term}** — {meaning}")
