"""Puskesmas dan Kader per Bidang SPM: puskesmas as a dimension (with a filter to its posyandu),
and active kader per SPM field against the fields each posyandu serves."""

import pandas as pd
import streamlit as st

from dashboard.catalogue.registers import register_sources
from dashboard.charts.services import (
    MIN_CHILDREN_SHOWN,
    describe_puskesmas,
    plot_kader_by_field,
    plot_stunting_by_puskesmas,
    table_area_indicators,
)
from dashboard.export.indicator_text import indicator_sources
from dashboard.export.press import ChartMeta
from dashboard.formatting import format_month, format_number, source_note
from dashboard.queries.areas import describe_area
from dashboard.queries.common import query_data_as_of
from dashboard.queries.kader_fields import query_kader_by_spm_field
from dashboard.queries.puskesmas import (
    query_posyandu_of_puskesmas,
    query_posyandu_strata,
    query_puskesmas_indicators,
)
from dashboard.theme import SPM_SHORT_LABELS
from dashboard.ui.page import require_register, start_page
from dashboard.ui.widgets import show_chart, show_table

filters = start_page(
    "Puskesmas, Strata dan Kader per Bidang SPM",
    "Indikator per wilayah kerja puskesmas, strata dan integrasi posyandu, dan kader aktif per bidang SPM",
)
period, area = format_month(filters.month), describe_area(filters)
as_of = query_data_as_of()
puskesmas_tab, strata_tab, fields_tab = st.tabs(["Puskesmas", "Strata dan integrasi", "Kader per bidang SPM"])

with puskesmas_tab:
    if require_register("posyandu", "master posyandu"):
        frame = query_puskesmas_indicators(filters)
        note = source_note(indicator_sources(["stunting", "ds_ratio", "registered"]), as_of)
        meta = ChartMeta(
            title=describe_puskesmas(frame),
            subtitle=f"Prevalensi stunting per wilayah kerja puskesmas, {period}, {area}; puskesmas dengan < {MIN_CHILDREN_SHOWN} balita diukur tidak ditampilkan",
            source_note=note,
            n=f"n = {format_number(int(frame['children'].sum()))} balita diukur di {format_number(len(frame))} puskesmas",
        )
        show_chart(plot_stunting_by_puskesmas(frame), meta, key="puskesmas-stunting")
        table = table_area_indicators(
            frame, {"puskesmas": "Puskesmas", "kecamatan": "Kecamatan", "posyandu": "Posyandu"}
        )
        show_table(table, f"Indikator per puskesmas {period}", note, key="puskesmas-table")
        st.caption(
            f"{note} · {period} · {area}. Puskesmas tiap posyandu diambil dari master posyandu; stunting = pengukuran "
            "terakhir tiap anak di bulan itu per posyandu, dijumlahkan per puskesmas; D/S dan partisipasi kader dari "
            "laporan bulanan posyandu yang mengisi kedua angka."
        )
        chosen = st.selectbox(
            "Posyandu di wilayah puskesmas",
            [None, *frame["puskesmas"]],
            format_func=lambda p: "Pilih puskesmas…" if p is None else p,
            key="puskesmas_choice",
        )
        if chosen is not None:
            posyandu = query_posyandu_of_puskesmas(filters, chosen)
            shown = table_area_indicators(posyandu, {"posyandu_name": "Posyandu", "nama_desa": "Desa/Kelurahan"})
            show_table(shown, f"Posyandu {chosen} {period}", note, key="puskesmas-posyandu")

with strata_tab:
    if require_register("posyandu", "master posyandu"):
        strata = query_posyandu_strata(filters)
        note = source_note(register_sources([("posyandu", "kolom Strata dan Status Integrasi")]), as_of)
        total = int(strata["posyandu"].sum())
        if strata["strata_known"].sum() == 0 and strata["integration_known"].sum() == 0:
            st.info(
                "Master posyandu yang dimuat tidak memuat kolom **Strata** (Pratama/Madya/Purnama/Mandiri) maupun "
                "**Status Integrasi** (belum/dalam proses/terintegrasi), semua isinya kosong, atau data dibangun oleh versi "
                "dasbor yang belum mengenal kolom itu. Tambahkan kolom itu ke master posyandu (lihat docs/registers.md) "
                "lalu bangun ulang data."
            )
        else:
            known, aktif = int(strata["strata_known"].sum()), int(strata[["purnama", "mandiri"]].sum().sum())
            integrated = int(strata["integrated"].sum())
            columns = st.columns(3)
            columns[0].metric(
                "Posyandu aktif (Purnama + Mandiri)", f"{format_number(aktif)} dari {format_number(known)}"
            )
            columns[1].metric(
                "Terintegrasi",
                f"{format_number(integrated)} dari {format_number(int(strata['integration_known'].sum()))}",
            )
            columns[2].metric("Posyandu di master", format_number(total))
            table = pd.DataFrame(
                {
                    "Kecamatan": strata["nama_kec"],
                    "Posyandu": strata["posyandu"],
                    "Pratama": strata["pratama"],
                    "Madya": strata["madya"],
                    "Purnama": strata["purnama"],
                    "Mandiri": strata["mandiri"],
                    "Strata tidak diisi": strata["posyandu"] - strata["strata_known"],
                    "Terintegrasi": strata["integrated"],
                    "Dalam proses integrasi": strata["integrating"],
                    "Integrasi tidak diisi": strata["posyandu"] - strata["integration_known"],
                }
            )
            show_table(table, f"Strata dan integrasi posyandu {period}", note, key="strata-table")
            st.caption(
                f"{note} · {area}. Strata lama Kemenkes; posyandu aktif = Purnama atau Mandiri, dihitung dari posyandu "
                "yang strata-nya diisi. Integrasi = posyandu remaja/lansia/keluarga digabung menjadi satu posyandu untuk "
                "seluruh siklus hidup. Kolom ini menggambarkan master posyandu saat ini (tanpa riwayat bulanan)."
            )

with fields_tab:
    if require_register("kader", "register kader") and require_register("posyandu", "master posyandu"):
        fields = query_kader_by_spm_field(filters)
        totals = fields.groupby("spm_field", as_index=False)[
            ["kader_active", "posyandu_serving", "posyandu_without_kader"]
        ].sum()
        gaps = int(totals["posyandu_without_kader"].sum())
        note = source_note(register_sources([("kader", "kolom Bidang SPM"), ("posyandu", "kolom Bidang SPM")]), as_of)
        worst = totals.sort_values("posyandu_without_kader", ascending=False).iloc[0] if len(totals) else None
        title = (
            f"{format_number(gaps)} kali posyandu melayani bidang SPM tanpa kader bidang itu; terbanyak "
            f"{SPM_SHORT_LABELS.get(worst['spm_field'], worst['spm_field'])} ({format_number(worst['posyandu_without_kader'])})"
            if gaps and worst is not None
            else "Setiap posyandu punya kader aktif untuk setiap bidang SPM yang dilayaninya"
        )
        meta = ChartMeta(
            title=title,
            subtitle=f"Kader aktif per bidang SPM, {period}, {area}",
            source_note=note,
            n=f"n = {format_number(int(totals['kader_active'].sum()))} kader aktif",
        )
        show_chart(plot_kader_by_field(totals), meta, key="kader-fields")
        wide = fields.pivot_table(index="nama_kec", columns="spm_field", values="kader_active", aggfunc="sum")
        wide = wide.rename(columns=SPM_SHORT_LABELS).reset_index().rename(columns={"nama_kec": "Kecamatan"})
        missing = fields.groupby("nama_kec")["posyandu_without_kader"].sum()
        wide["Posyandu tanpa kader bidangnya"] = wide["Kecamatan"].map(missing).astype("int64")
        show_table(wide, f"Kader aktif per bidang SPM {period}", note, key="kader-fields-table")
        st.caption(
            f"{note}. Seorang kader melayani satu bidang SPM (kolom Bidang SPM di register kader). Kader aktif = mulai "
            "aktif paling lambat akhir bulan dan belum berhenti sebelum awal bulan. “Posyandu tanpa kader bidangnya” "
            "menghitung pasangan posyandu × bidang: posyandu yang menurut master melayani bidang itu tetapi tidak punya "
            "kader aktif untuk bidang itu."
        )
