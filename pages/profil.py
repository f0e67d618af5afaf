"""Profil desa atau posyandu (`?desa=KODE` or `?posyandu=ID`): its kader, legality, SPM
services, children weighed, stunting trend, mentoring visits and tindak lanjut."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.catalogue.indicators import indicator
from dashboard.catalogue.registers import register_sources
from dashboard.charts.profile import (
    describe_place_stunting,
    ds_percent,
    plot_ds_trend,
    plot_place_stunting,
    table_place_stunting,
)
from dashboard.export.indicator_text import indicator_sources
from dashboard.export.press import ChartMeta
from dashboard.filters import Filters
from dashboard.formatting import format_date, format_month, format_number, format_percent, month_name, source_note
from dashboard.queries.common import query_data_as_of
from dashboard.queries.profile import (
    query_desa_profile,
    query_place_kader_by_field,
    query_place_legality_history,
    query_place_monthly,
    query_place_posyandu,
    query_place_spm_services,
    query_place_stunting_trend,
    query_place_visits,
    query_posyandu_profile,
)
from dashboard.theme import SPM_LABELS
from dashboard.ui.column_config import short_headers
from dashboard.ui.followup import followup_expander
from dashboard.ui.page import current_scope, leave_legacy_pages_mode, start_page
from dashboard.ui.search import PROFILE_PAGE, place_search, profile_params, profile_target
from dashboard.ui.widgets import show_chart, show_table

STATUS_LABELS = {
    "belum": "belum diajukan",
    "diajukan": "diajukan",
    "terverifikasi": "terverifikasi",
    "teregistrasi": "teregistrasi",
}
MISSING = "–"

leave_legacy_pages_mode()
target = profile_target(st.query_params)
scope = current_scope()
lookup = Filters(month=date.today().replace(day=1), scope_kec=scope)  # names only: no month needed
if target is None:
    header = None
elif target[0] == "desa":
    header = query_desa_profile(lookup, target[1])
else:
    header = query_posyandu_profile(lookup, target[1])

if header is None or header.empty:
    filters = start_page(
        "Profil Desa dan Posyandu", "Cari desa atau posyandu untuk membuka profilnya", desa_in_url=False
    )
    if target is not None:
        st.warning(
            f"{target[0].capitalize()} dengan kode “{target[1]}” tidak ditemukan atau berada di luar cakupan akun Anda."
        )
    place_search(filters, container=st.container(), key="place_search_main")
    st.caption(
        "Profil memuat kader, legalitas, layanan enam bidang SPM, balita ditimbang (D/S), tren stunting, "
        "kunjungan pendampingan dan tindak lanjut rapat untuk satu desa/kelurahan atau satu posyandu."
    )
    st.stop()

row = header.iloc[0]
kind, code = target
if kind == "desa":
    word = "Kelurahan" if row["jenis"] == "kelurahan" else "Desa"
    place = f"{word} {row['nama_desa']}"
    subtitle = f"Kecamatan {row['nama_kec']} · {row['puskesmas'] or 'puskesmas tidak tercatat'} · kode {code}"
    kode_desa, posyandu_id = code, None
else:
    place = f"Posyandu {row['posyandu_name']}"
    desa_word = "Kel." if row["jenis"] == "kelurahan" else "Desa"
    subtitle = (
        f"{desa_word} {row['nama_desa'] or row['kode_desa']}, Kecamatan {row['nama_kec']} · "
        f"{row['puskesmas'] or 'puskesmas tidak tercatat'} · {row['legacy_type'] or 'jenis tidak tercatat'}"
    )
    kode_desa, posyandu_id = row["kode_desa"], code

shown = start_page(f"Profil {place}", subtitle, desa_in_url=False)  # `?desa=` names the profile here
filters = Filters(month=shown.month, scope_kec=shown.scope_kec)  # the place itself, whatever area is chosen
period = format_month(filters.month)
as_of = query_data_as_of()
place_args = {"kode_desa": kode_desa, "posyandu_id": posyandu_id}

posyandu = query_place_posyandu(filters, **place_args)
monthly = query_place_monthly(filters, **place_args)
stunting = query_place_stunting_trend(filters, **place_args)
legality = query_place_legality_history(filters, **place_args)

if kind == "posyandu":
    st.page_link(
        PROFILE_PAGE,
        label=f"Profil {desa_word} {row['nama_desa'] or row['kode_desa']}",
        icon=":material/arrow_upward:",
        query_params=profile_params("desa", kode_desa, filters),
    )

# --- headline ---------------------------------------------------------------------------
this_month = monthly[pd.to_datetime(monthly["month"]).dt.date == filters.month]
now_stunting = stunting[pd.to_datetime(stunting["month"]).dt.date == filters.month]
registered = int((posyandu["registration_status"] == "teregistrasi").sum())
short_period = f"{month_name(filters.month.month, abbreviated=True)} {filters.month.year}"
columns = st.columns(5)
if kind == "desa":
    columns[0].metric("Posyandu", format_number(len(posyandu)), help="Posyandu di master posyandu di desa ini")
    columns[2].metric("Teregistrasi Kemendagri", f"{format_number(registered)} dari {format_number(len(posyandu))}")
else:
    served = posyandu["spm_fields_served"].fillna(0).sum()
    columns[0].metric(
        "SPM dilayani",
        f"{format_number(served)} dari 6",
        help=f"Bidang SPM dengan layanan > 0 pada {period} (laporan layanan SPM)",
    )
    status = row["registration_status"]
    columns[2].metric(
        "Registrasi",
        "Sudah" if status == "teregistrasi" else "Belum",
        help=f"Registrasi Kemendagri; status di master posyandu terbaru: {STATUS_LABELS.get(status, MISSING)}",
    )
columns[1].metric(
    "Kader aktif",
    format_number(int(posyandu["kader_active"].sum())),
    help=f"Register kader: kader yang aktif pada {period}",
)
ds_now = ds_percent(this_month).iloc[0] if not this_month.empty else None
columns[3].metric(
    f"D/S ({short_period})",
    format_percent(ds_now) if ds_now is not None and pd.notna(ds_now) else MISSING,
    help="Balita ditimbang ÷ balita sasaran, laporan bulanan posyandu",
)
if now_stunting.empty:
    columns[4].metric(f"Stunting ({short_period})", MISSING, help="Tidak ada balita diukur bulan ini")
else:
    s = now_stunting.iloc[0]
    columns[4].metric(
        f"Stunting ({short_period})",
        format_percent(100 * s["stunting_prevalence"]),
        help=f"{format_number(s['stunted'])} dari {format_number(s['children'])} balita dengan TB/U sah (e-PPGBM)",
    )

tab_names = ["Posyandu" if kind == "desa" else "Data posyandu", "Kader", "Legalitas", "Layanan SPM"]
tab_names += ["Penimbangan (D/S)", "Stunting", "Pendampingan", "Tindak lanjut"]
tabs = dict(zip(tab_names, st.tabs(tab_names), strict=True))

with tabs[tab_names[0]]:
    note = source_note(indicator_sources(["registered", "kader_active", "ds_ratio", "spm_fields", "stunting"]), as_of)
    if kind == "desa":
        table = pd.DataFrame(
            {
                "Posyandu": posyandu["posyandu_name"],
                "Registrasi": posyandu["registration_status"].map(STATUS_LABELS).fillna(MISSING),
                "Nomor SK": posyandu["sk_number"].fillna(MISSING),
                "Kader aktif": posyandu["kader_active"].astype("int64"),
                "Bidang SPM dilayani": posyandu["spm_fields_served"].fillna(0).astype("int64"),
                "Sasaran (S)": posyandu["s"],
                "Ditimbang (D)": posyandu["d"],
                "Balita diukur": posyandu["children"].astype("int64"),
                "Stunting": posyandu["stunted"].astype("int64"),
            }
        )
        show_table(
            table,
            f"Posyandu {place} {period}",
            note,
            key="profile-posyandu",
            count_columns=["Balita diukur", "Stunting"],
            # fits beside the sidebar at 1366 px: short headers, the full ones on hover and in downloads
            column_config=short_headers(
                {
                    "Kader aktif": ("Kader", 65),
                    "Bidang SPM dilayani": ("Bidang SPM", 95),
                    "Sasaran (S)": ("S", 60),
                    "Ditimbang (D)": ("D", 60),
                    "Balita diukur": ("Diukur", 70),
                    "Stunting": ("Stunting", 75),
                }
            ),
        )
        chosen = st.selectbox(
            "Buka profil posyandu",
            [None, *posyandu["posyandu_id"]],
            format_func=lambda p: (
                "Pilih posyandu…" if p is None else posyandu.loc[posyandu["posyandu_id"] == p, "posyandu_name"].iloc[0]
            ),
            key="profile-open-posyandu",
        )
        if chosen is not None:
            st.switch_page(PROFILE_PAGE, query_params=profile_params("posyandu", chosen, filters))
        st.caption(f"{note} · {period}. S dan D dari laporan bulanan; balita diukur dan stunting dari e-PPGBM.")
    else:
        fields = row["spm_fields"] if row["spm_fields"] is not None else []
        facts = {
            "Kode posyandu": row["posyandu_id"],
            "Jenis (lama)": row["legacy_type"] or MISSING,
            "Puskesmas": row["puskesmas"] or MISSING,
            "Tanggal musyawarah desa": format_date(row["musdes_date"]) if pd.notna(row["musdes_date"]) else MISSING,
            "Nomor SK pembentukan": row["sk_number"] or MISSING,
            "Tanggal SK": format_date(row["sk_date"]) if pd.notna(row["sk_date"]) else MISSING,
            "Nomor registrasi Kemendagri": row["kemendagri_reg_number"] or MISSING,
            "Status registrasi": STATUS_LABELS.get(row["registration_status"], MISSING),
            "Bidang SPM (master)": ", ".join(SPM_LABELS.get(f, f) for f in fields) or MISSING,
            "Master posyandu per": format_date(row["master_date"]) if pd.notna(row["master_date"]) else MISSING,
        }
        st.dataframe(
            pd.DataFrame({"Data": list(facts), "Isi": list(facts.values())}),
            hide_index=True,
            key="profile-facts",
        )

with tabs["Kader"]:
    fields = query_place_kader_by_field(filters, **place_args)
    note = source_note(register_sources([("kader", "kolom Bidang SPM"), "posyandu"]), as_of)
    table = pd.DataFrame(
        {
            "Bidang SPM": [SPM_LABELS.get(f, f) for f in fields["spm_field"]],
            "Kader aktif": fields["kader_active"].astype("int64"),
            "di antaranya pengurus": fields["pengurus"].astype("int64"),
            "Posyandu yang melayani bidang ini": fields["posyandu_serving"].astype("int64"),
        }
    )
    show_table(table, f"Kader aktif per bidang SPM {place} {period}", note, key="profile-kader")
    kader = this_month.iloc[0] if not this_month.empty else None
    if kader is not None and pd.notna(kader["kader_registered"]) and kader["kader_registered"] > 0:
        st.markdown(
            f"Partisipasi kader {period}: **{format_percent(100 * kader['kader_present'] / kader['kader_registered'])}** "
            f"({format_number(kader['kader_present'])} hadir dari {format_number(kader['kader_registered'])} terdaftar "
            "pada hari buka, laporan bulanan)."
        )
    st.caption(
        f"{note}. Kader aktif = mulai aktif paling lambat akhir bulan dan belum berhenti sebelum awal bulan; "
        "seorang kader melayani satu bidang SPM."
    )

with tabs["Legalitas"]:
    note = source_note(register_sources([("posyandu", "snapshot per tanggal")]), as_of)
    table = pd.DataFrame(
        {
            "Bulan": [format_month(m) for m in legality["month"]],
            "Belum diajukan": legality["belum"].astype("int64"),
            "Diajukan": legality["diajukan"].astype("int64"),
            "Terverifikasi": legality["terverifikasi"].astype("int64"),
            "Teregistrasi": legality["teregistrasi"].astype("int64"),
            "Punya SK": legality["has_sk"].astype("int64"),
            "Snapshot master": [format_date(d) if pd.notna(d) else MISSING for d in legality["snapshot_date"]],
        }
    )
    show_table(table, f"Riwayat registrasi {place}", note, key="profile-legality")
    st.caption(
        f"{note}. Tiap bulan memakai snapshot master posyandu terbaru pada atau sebelum akhir bulan itu; "
        "bulan tanpa snapshot tidak punya baris."
    )

with tabs["Layanan SPM"]:
    services = query_place_spm_services(filters, **place_args)
    note = source_note(register_sources([("spm_service", "laporan per bidang"), "posyandu"]), as_of)
    table = pd.DataFrame(
        {
            "Bidang SPM": [SPM_LABELS.get(f, f) for f in services["spm_field"]],
            "Posyandu menyatakan melayani": services["posyandu_declaring"].astype("int64"),
            f"Posyandu melapor layanan {period}": services["posyandu_serving"].astype("int64"),
            "Indikator layanan terlayani": services["indicators_served"].astype("int64"),
        }
    )
    show_table(table, f"Layanan 6 bidang SPM {place} {period}", note, key="profile-spm")
    st.caption(f"{note}. “Melayani” menurut master posyandu; “melapor layanan” = ada layanan > 0 bulan itu.")

with tabs["Penimbangan (D/S)"]:
    note = source_note(register_sources([("monthly_report", "SKDN")]), as_of)
    if monthly.empty or monthly["s"].fillna(0).sum() == 0:
        st.info(f"Tidak ada laporan penimbangan balita untuk {place} dalam 12 bulan sampai {period}.")
    else:
        last = monthly.iloc[-1]
        meta = ChartMeta(
            title=f"D/S {place} {format_month(last['month'])}: {format_percent(ds_percent(monthly).iloc[-1])}",
            subtitle=f"Balita ditimbang ÷ sasaran per bulan, 12 bulan sampai {period}",
            source_note=note,
            n=f"n = {format_number(last['s'])} balita sasaran",
        )
        show_chart(plot_ds_trend(monthly), meta, key="profile-ds")
        table = pd.DataFrame(
            {
                "Bulan": [format_month(m) for m in monthly["month"]],
                "Sasaran (S)": monthly["s"],
                "Ditimbang (D)": monthly["d"],
                "D/S (%)": ds_percent(monthly),
                "Posyandu melapor": monthly["posyandu_reporting"].astype("int64"),
            }
        )
        show_table(table, f"Penimbangan {place}", note, key="profile-ds-table")

with tabs["Stunting"]:
    note = source_note(indicator_sources(["stunting"], ["data rutin, bukan survei"]), as_of)
    min_n = indicator("stunting").min_n("peringkat")
    meta = ChartMeta(
        title=describe_place_stunting(stunting, place),
        subtitle=f"Prevalensi stunting per bulan (pengukuran terakhir tiap anak), 12 bulan sampai {period}",
        source_note=note,
        n=f"n = {format_number(int(stunting['children'].iloc[-1]))} balita" if not stunting.empty else "",
    )
    if stunting.empty:
        st.info(meta.title + ".")
    else:
        show_chart(plot_place_stunting(stunting), meta, key="profile-stunting")
        show_table(
            table_place_stunting(stunting),
            f"Stunting {place}",
            note,
            key="profile-stunting-table",
            count_columns=["Balita diukur (TB/U sah)", "Stunting (balita)"],
            dependent_columns=["Stunting (%)"],
        )
    st.caption(
        f"{note}. Titik kosong: kurang dari {format_number(min_n)} balita diukur — angka sekecil itu naik-turun "
        "beberapa poin dari bulan ke bulan, jadi tidak dipakai untuk peringkat (katalog indikator)."
    )

with tabs["Pendampingan"]:
    visits = query_place_visits(filters, **place_args)
    note = source_note(register_sources(["mentoring_visit"]), as_of)
    if visits.empty:
        st.info(f"Belum ada kunjungan pendampingan tercatat ke {place} sampai {period}.")
    else:
        table = pd.DataFrame(
            {
                "Tanggal": [format_date(d) for d in visits["visited_on"]],
                "Tim": visits["team"],
                "Topik": visits["topic"].fillna(MISSING),
                "Posyandu": visits["posyandu_name"].fillna("(desa)"),
            }
        )
        show_table(table, f"Kunjungan pendampingan {place}", note, key="profile-visits")
        st.caption(f"{note}. {format_number(len(visits))} kunjungan sampai akhir {period}, terbaru di atas.")

with tabs["Tindak lanjut"]:
    followup_expander(
        filters,
        f"profile-fu-{kind}",
        kode_kec=row["kode_kec"],
        title=f"Tindak lanjut {place}",
        kode_desa=kode_desa,
        posyandu_id=posyandu_id,
        expanded=True,
    )
    if scope is not None and row["kode_kec"] not in scope:
        st.info("Tindak lanjut hanya dapat dicatat untuk kecamatan dalam cakupan akun Anda.")
