"""Prioritas page, last part: mark kecamatan as priority from a date, and see whether they
improved faster than the others since then (difference in change, with n)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.export.indicator_text import indicator_sources
from dashboard.filters import Filters, months_before
from dashboard.followup.store import FollowupError, PriorityMarking
from dashboard.formatting import format_date, format_month, format_number, source_note
from dashboard.metrics.priority_evaluation import evaluate_prioritisation, evaluation_table
from dashboard.queries.priority_evaluation import query_evaluation_counts
from dashboard.ui.followup import current_actor, flash, followup_store, kecamatan_names, show_flash
from dashboard.ui.widgets import show_table


def baseline_month(marked_from: dt.date) -> dt.date:
    """The last full month before the marking: the state the priority started from."""
    return months_before(marked_from.replace(day=1), 1)


def _marking_form(filters: Filters, markings: list[PriorityMarking], names: dict[str, str]) -> None:
    store, actor = followup_store(), current_actor(filters)
    if actor.scope_kec is not None:
        st.caption("Penetapan kecamatan prioritas dilakukan pengguna tingkat kabupaten.")
        return
    active = {m.kode_kec for m in markings if m.ended_on is None}
    with st.form("priority-marking-form", clear_on_submit=True):
        left, middle = st.columns([2, 1])
        codes = left.multiselect(
            "Kecamatan yang ditetapkan prioritas",
            [k for k in names if k not in active],
            format_func=names.get,
            key="priority_mark_codes",
        )
        marked_from = middle.date_input("Prioritas sejak", format="DD/MM/YYYY", key="priority_mark_from")
        reason = st.text_input("Dasar penetapan (mis. SK Bupati, hasil rapat)", key="priority_mark_reason")
        if st.form_submit_button("Simpan penetapan prioritas"):
            try:
                for code in codes:
                    store.mark_priority(actor, code, marked_from, reason)
            except FollowupError as error:
                st.error(str(error))
            else:
                if codes:
                    flash(f"{format_number(len(codes))} kecamatan ditandai prioritas sejak {format_date(marked_from)}.")
    ongoing = [m for m in markings if m.ended_on is None]
    if ongoing:
        with st.form("priority-end-form"):
            left, middle = st.columns([2, 1])
            chosen = left.selectbox(
                "Akhiri penetapan",
                [m.id for m in ongoing],
                format_func=lambda i: next(
                    f"{names.get(m.kode_kec, m.kode_kec)} (sejak {format_date(m.marked_from)})"
                    for m in ongoing
                    if m.id == i
                ),
                key="priority_end_id",
            )
            ended_on = middle.date_input("Berakhir pada", format="DD/MM/YYYY", key="priority_end_on")
            if st.form_submit_button("Akhiri"):
                try:
                    store.end_priority(actor, chosen, ended_on)
                except FollowupError as error:
                    st.error(str(error))
                else:
                    flash("Penetapan prioritas diakhiri.")


def show_priority_evaluation(filters: Filters, as_of: object) -> None:
    st.subheader("Evaluasi prioritas: apakah kecamatan prioritas membaik lebih cepat?")
    show_flash()
    store, actor = followup_store(), current_actor(filters)
    names = kecamatan_names()
    markings = store.priority_markings(actor)
    with st.expander("Penetapan kecamatan prioritas", expanded=not markings):
        if markings:
            st.markdown(
                "\n".join(
                    f"- {names.get(m.kode_kec, m.kode_kec)}: sejak {format_date(m.marked_from)}"
                    + (f" sampai {format_date(m.ended_on)}" if m.ended_on else "")
                    + (f" — {m.reason}" if m.reason else "")
                    for m in markings
                )
            )
        _marking_form(filters, markings, names)
    if not markings:
        st.info("Belum ada kecamatan yang ditetapkan sebagai prioritas, jadi belum ada yang dievaluasi.")
        return
    cohorts = sorted({m.marked_from for m in markings}, reverse=True)
    cohort = st.selectbox(
        "Kelompok prioritas (tanggal mulai)", cohorts, format_func=format_date, key="priority_eval_cohort"
    )
    base_month = baseline_month(cohort)
    if base_month >= filters.month:
        st.info(
            f"Periode yang dipilih ({format_month(filters.month)}) belum sesudah penetapan {format_date(cohort)}: "
            "pilih periode yang lebih baru di sidebar."
        )
        return
    priority = {m.kode_kec for m in markings if m.marked_from == cohort}
    # kecamatan prioritised at another date during the period belong to neither group
    excluded = {
        m.kode_kec for m in markings if m.marked_from != cohort and (m.ended_on is None or m.ended_on >= cohort)
    } - priority
    base = query_evaluation_counts(filters, base_month)
    now = query_evaluation_counts(filters, filters.month)
    results = evaluate_prioritisation(base, now, priority, excluded)
    base_label, now_label = format_month(base_month), format_month(filters.month)
    st.markdown(
        f"**{format_number(len(priority))} kecamatan prioritas sejak {format_date(cohort)}** "
        f"({', '.join(sorted(names.get(c, c) for c in priority))}) dibanding "
        f"{format_number(len(set(now['code']) - priority - excluded))} kecamatan lain, "
        f"dari {base_label} (bulan penuh terakhir sebelum penetapan) sampai {now_label}:"
    )
    st.markdown("\n".join(f"- {r.sentence()}" for r in results))
    table = evaluation_table(results, base_label, now_label)
    note = source_note(indicator_sources(["stunting", "ds_ratio", "registered"]), as_of)
    show_table(table, f"Evaluasi prioritas sejak {format_date(cohort)}", note, key="priority-evaluation")
    st.caption(
        f"{note}. Angka kelompok = jumlah pembilang ÷ jumlah penyebut kecamatan yang punya data di kedua bulan "
        "(n = penyebutnya). Selisih perubahan = perubahan kecamatan prioritas dikurangi perubahan kecamatan lain, dalam "
        "poin persen; untuk stunting, negatif berarti prioritas turun lebih cepat. Legalitas = posyandu dengan musdes "
        "dan SK pembentukan bertanggal paling lambat akhir bulan (status registrasi Kemendagri belum punya riwayat "
        "tanggal). Perbandingan sederhana ini bukan bukti sebab-akibat: kecamatan dipilih karena kondisinya, dan "
        "angka yang tinggi cenderung turun dengan sendirinya."
        + (
            f" {format_number(len(excluded))} kecamatan yang ditetapkan prioritas pada tanggal lain tidak dihitung di kedua kelompok."
            if excluded
            else ""
        )
    )
