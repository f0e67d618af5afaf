"""Anggaran Posyandu: APBDes money for posyandu and kader incentives per kecamatan and desa,
per posyandu and per child weighed (optional register anggaran_posyandu)."""

import pandas as pd
import streamlit as st

from dashboard.catalogue.registers import register_sources
from dashboard.charts.budget import (
    BUDGET_SCREEN_HEADERS,
    describe_rupiah_per_child,
    plot_rupiah_per_child,
    table_budget,
)
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_number, format_rupiah, source_note
from dashboard.queries.areas import describe_area
from dashboard.queries.budget import (
    query_budget_by_desa,
    query_budget_by_kecamatan,
    query_budget_total,
    query_budget_years,
)
from dashboard.queries.common import query_data_as_of, query_loaded_registers
from dashboard.ui.column_config import short_headers
from dashboard.ui.page import start_page
from dashboard.ui.widgets import show_chart, show_table

ABSENT = (
    "Data anggaran posyandu belum dimuat. Halaman ini membaca register **opsional** `anggaran_posyandu` "
    "(APBDes: alokasi untuk posyandu dan insentif kader per desa per tahun) dengan kolom **Tahun, Kode Desa, "
    "Kecamatan, Desa/Kelurahan, Sumber** (Dana Desa, ADD, PADes, Bantuan Keuangan, Dana Kelurahan, Lainnya), "
    "**Alokasi Posyandu (Rp)** dan **Insentif Kader (Rp)**. Letakkan file `anggaran_posyandu….xlsx/csv` di folder "
    "sumber lalu bangun ulang data (halaman Perbarui Data); rinciannya di docs/registers.md."
)
DEFINITIONS = (
    "Anggaran posyandu = alokasi posyandu + insentif kader dari semua sumber. Per posyandu: dibagi jumlah posyandu "
    "desa itu di master posyandu terbaru. Per balita ditimbang: dibagi rata-rata D (balita ditimbang) per bulan "
    "laporan tahun itu, dijumlah atas posyandu desa. Insentif per kader per bulan: insentif kader ÷ rata-rata kader "
    "terdaftar ÷ 12. Untuk kecamatan dan kabupaten, tiap rasio hanya memakai desa yang punya penyebutnya."
)


def _show_rupiah_per_child(frame: pd.DataFrame, name_column: str, per: str, desa: int, note: str, key: str) -> None:
    """The bar chart of rupiah per child weighed, one bar per area of `frame`; `per` names the
    areas and where they are ("desa, Kecamatan X, 2025")."""
    meta = ChartMeta(
        title=describe_rupiah_per_child(frame, name_column),
        subtitle=f"Anggaran posyandu per balita ditimbang per {per}",
        source_note=note,
        n=f"n = {format_number(desa)} desa dengan data anggaran",
    )
    show_chart(plot_rupiah_per_child(frame, name_column), meta, key=key)


filters = start_page(
    "Anggaran Posyandu",
    "Alokasi APBDes untuk posyandu dan insentif kader: per posyandu dan per balita ditimbang, per kecamatan dan desa",
)
years = query_budget_years(filters) if "desa_budget" in query_loaded_registers() else []
if "desa_budget" not in query_loaded_registers():
    st.info(ABSENT)
elif not years:
    st.info("Register anggaran posyandu sudah dimuat, tetapi tidak ada baris untuk wilayah ini.")
else:
    year = st.selectbox(
        "Tahun anggaran",
        years,
        index=years.index(filters.month.year) if filters.month.year in years else len(years) - 1,
        key="anggaran_year",
    )
    area = describe_area(filters)
    note = source_note(register_sources(["desa_budget", "posyandu", ("monthly_report", "D")]), query_data_as_of())
    total = query_budget_total(filters, year)
    columns = st.columns(4)
    columns[0].metric(f"Anggaran posyandu {year}", format_rupiah(total["budget_rp"]))
    columns[1].metric("Per posyandu", format_rupiah(total["rp_per_posyandu"]))
    columns[2].metric("Per balita ditimbang", format_rupiah(total["rp_per_child_weighed"]))
    columns[3].metric("Insentif per kader per bulan", format_rupiah(total["incentive_rp_per_kader_month"]))
    st.caption(
        f"{area}, tahun {year}: alokasi posyandu {format_rupiah(total['posyandu_allocation_rp'])}, insentif kader "
        f"{format_rupiah(total['kader_incentive_rp'])}; {format_number(total['desa_with_budget'])} dari "
        f"{format_number(total['desa_total'])} desa/kelurahan mengirim data anggaran."
    )

    kecamatan = query_budget_by_kecamatan(filters, year)
    kode_kec = filters.single_kec
    if kode_kec is None:
        reported = kecamatan[kecamatan["desa_with_budget"] > 0]
        _show_rupiah_per_child(
            reported,
            "nama_kec",
            f"kecamatan, {year}, {area}",
            int(total["desa_with_budget"]),
            note,
            "anggaran-kecamatan",
        )
        table = table_budget(kecamatan, {"nama_kec": "Kecamatan"})
        table.insert(1, "Desa dengan data anggaran", kecamatan["desa_with_budget"].astype("int64"))
        headers = {"Kecamatan": ("Kecamatan", 160), "Desa dengan data anggaran": ("Desa melapor", 105)}
        st.markdown(f"**Anggaran posyandu per kecamatan, {year}** (rupiah; desa melapor = desa dengan data anggaran)")
        show_table(
            table,
            f"Anggaran posyandu per kecamatan {year}",
            note,
            key="anggaran-kecamatan-table",
            columns=[*headers, *BUDGET_SCREEN_HEADERS],
            column_config=short_headers({**headers, **BUDGET_SCREEN_HEADERS}),
        )
        names = dict(zip(reported["kode_kec"], reported["nama_kec"], strict=True))
        kode_kec = st.selectbox(
            "Rincian per desa",
            [None, *names],
            format_func=lambda k: "Pilih kecamatan…" if k is None else names[k],
            key="anggaran_kecamatan",
        )
    if kode_kec is not None:
        desa = query_budget_by_desa(filters, year)
        desa = desa[desa["kode_kec"] == kode_kec]
        name = kecamatan.loc[kecamatan["kode_kec"] == kode_kec, "nama_kec"].squeeze()
        if filters.single_kec is not None:
            _show_rupiah_per_child(
                desa, "nama_desa", f"desa, Kecamatan {name}, {year}", len(desa), note, "anggaran-desa"
            )
        table = table_budget(desa, {"nama_desa": "Desa/Kelurahan"})
        table.insert(1, "Sumber", desa["sources"])
        st.markdown(f"**Anggaran posyandu per desa, Kecamatan {name}, {year}** (rupiah)")
        show_table(
            table,
            f"Anggaran posyandu per desa Kecamatan {name} {year}",
            note,
            key="anggaran-desa-table",
            columns=["Desa/Kelurahan", "Sumber", *BUDGET_SCREEN_HEADERS],
            column_config=short_headers(BUDGET_SCREEN_HEADERS),
        )
    st.caption(f"{note} · {area} · {year}. {DEFINITIONS}")
