"""Tindak lanjut widgets: record, edit and close a recommendation, and list them.

Used by the Tindak Lanjut page, the Scorecard (a cell: kecamatan × indicator) and the
kecamatan screens of Presentasi Rapat. The store enforces scope and versions itself;
these widgets only show its Bahasa refusals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.auth.login import USER_KEY
from dashboard.filters import Filters
from dashboard.followup.schema import STATUSES
from dashboard.followup.store import Actor, FollowupError, FollowupStore, Recommendation, RecommendationDraft
from dashboard.followup.summary import classify
from dashboard.formatting import format_date
from dashboard.metrics.scorecard import INDICATORS, delta_column
from dashboard.queries.common import query_kecamatan
from dashboard.queries.followup import query_posyandu_choices

LOCAL_USER = "pengguna lokal"  # login off: a laptop, one user
INDICATOR_LABELS = {i.key: i.label for i in INDICATORS}
STATE_LABELS = {
    "selesai": "✅ selesai",
    "terlambat": "⚠️ terlambat",
    "berjalan": "⏳ berjalan",
    "dibatalkan": "✖ dibatalkan",
}
DEFAULT_DUE_DAYS = 30


FLASH_KEY = "followup_flash"


def flash(message: str) -> None:
    """Show `message` after a rerun, so lists drawn above the form show the saved state."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def current_actor(filters: Filters) -> Actor:
    return Actor(st.session_state.get(USER_KEY) or LOCAL_USER, filters.scope_kec)


def followup_store() -> FollowupStore:
    return FollowupStore()


def kecamatan_names() -> dict[str, str]:
    frame = query_kecamatan()
    return dict(zip(frame["kode_kec"], frame["nama_kec"], strict=True))


def recommendations_table(recommendations: list[Recommendation], today: dt.date) -> pd.DataFrame:
    """What a list shows: one row per recommendation, Indonesian headers."""
    names = kecamatan_names()
    return pd.DataFrame(
        {
            "Nomor": [r.id for r in recommendations],
            "Kecamatan": [names.get(r.kode_kec, r.kode_kec) for r in recommendations],
            "Indikator": [INDICATOR_LABELS.get(r.indicator, r.indicator or "–") for r in recommendations],
            "Rekomendasi": [r.text for r in recommendations],
            "PIC": [r.pic for r in recommendations],
            "Tenggat": [format_date(r.due_date) for r in recommendations],
            "Status": [r.status for r in recommendations],
            "Keadaan": [STATE_LABELS[classify(r, today)] for r in recommendations],
            "Rapat": [format_date(r.rapat_date) if r.rapat_date else "–" for r in recommendations],
        }
    )


def _place_options(filters: Filters, kode_kec: str) -> tuple[dict[str, str], dict[str, str]]:
    """Desa and posyandu of one kecamatan: {code: label}."""
    posyandu = query_posyandu_choices(filters)
    posyandu = posyandu[posyandu["kode_kec"] == kode_kec]
    desa = dict(zip(posyandu["kode_desa"], posyandu["nama_desa"].fillna(posyandu["kode_desa"]), strict=True))
    labels = posyandu["posyandu_name"] + " (" + posyandu["nama_desa"].fillna("") + ")"
    return dict(sorted(desa.items(), key=lambda kv: kv[1].casefold())), dict(
        zip(posyandu["posyandu_id"], labels, strict=True)
    )


def new_recommendation_form(
    filters: Filters,
    key: str,
    *,
    kode_kec: str | None = None,
    indicator: str | None = None,
    rapat_dates: list[dt.date] | None = None,
    kode_desa: str | None = None,
    posyandu_id: str | None = None,
) -> None:
    """A form to record one recommendation; kecamatan and indicator fixed when given (a scorecard
    cell), desa and posyandu too (a profile)."""
    names = kecamatan_names()
    allowed = [k for k in names if filters.scope_kec is None or k in filters.scope_kec]
    if not allowed:
        st.info("Tidak ada kecamatan dalam cakupan Anda.")
        return
    if kode_kec is None:
        kode_kec = st.selectbox(
            "Kecamatan",
            allowed,
            index=allowed.index(filters.single_kec) if filters.single_kec in allowed else 0,
            format_func=names.get,
            key=f"{key}-kec",
        )
    desa, posyandu = _place_options(filters, kode_kec)
    with st.form(f"{key}-form", clear_on_submit=True):
        text = st.text_area("Rekomendasi", placeholder="Apa yang disepakati rapat", key=f"{key}-text", max_chars=2000)
        left, right = st.columns(2)
        pic = left.text_input(
            "Penanggung jawab (OPD atau tim)", placeholder="mis. Dinkes, Tim Pendamping 3", key=f"{key}-pic"
        )
        due = right.date_input(
            "Tenggat",
            value=dt.date.today() + dt.timedelta(days=DEFAULT_DUE_DAYS),
            format="DD/MM/YYYY",
            key=f"{key}-due",
        )
        left, right = st.columns(2)
        if indicator is None:
            indicator = left.selectbox(
                "Indikator (opsional)",
                [None, *INDICATOR_LABELS],
                format_func=lambda k: "–" if k is None else INDICATOR_LABELS[k],
                key=f"{key}-ind",
            )
        else:
            left.markdown(f"Indikator: **{INDICATOR_LABELS.get(indicator, indicator)}**")
        today = dt.date.today()
        rapat_options = [None, *(rapat_dates or [])]
        if today not in rapat_options:
            rapat_options.append(today)  # the rapat going on now, before anyone recorded its date
        rapat_date = right.selectbox(
            "Diputuskan pada rapat",
            rapat_options,
            format_func=lambda d: "– (di luar rapat)" if d is None else format_date(d),
            index=1 if len(rapat_options) > 1 else 0,
            key=f"{key}-rapat",
        )
        left, right = st.columns(2)
        if kode_desa is None and posyandu_id is None:
            kode_desa = left.selectbox(
                "Desa/kelurahan (opsional)",
                [None, *desa],
                format_func=lambda c: "–" if c is None else desa[c],
                key=f"{key}-desa",
            )
        elif kode_desa is not None:
            left.markdown(f"Desa/kelurahan: **{desa.get(kode_desa, kode_desa)}**")
        if posyandu_id is None:
            posyandu_id = right.selectbox(
                "Posyandu (opsional)",
                [None, *(p for p in posyandu if kode_desa is None or p in _posyandu_of(filters, kode_desa))],
                format_func=lambda c: "–" if c is None else posyandu[c],
                key=f"{key}-pos",
            )
        else:
            right.markdown(f"Posyandu: **{posyandu.get(posyandu_id, posyandu_id)}**")
        submitted = st.form_submit_button("Simpan rekomendasi", type="primary")
    if not submitted:
        return
    draft = RecommendationDraft(
        kode_kec=kode_kec,
        text=text,
        pic=pic,
        due_date=due,
        indicator=indicator,
        rapat_date=rapat_date,
        kode_desa=kode_desa,
        posyandu_id=posyandu_id,
    )
    if posyandu_id and not kode_desa:  # the posyandu names its desa
        draft = replace(draft, kode_desa=_desa_of(filters, posyandu_id))
    try:
        saved = followup_store().create(current_actor(filters), draft)
    except FollowupError as error:
        st.error(str(error))
        return
    flash(f"Rekomendasi nomor {saved.id} disimpan untuk {names[saved.kode_kec]}.")


def _posyandu_of(filters: Filters, kode_desa: str) -> set[str]:
    frame = query_posyandu_choices(filters)
    return set(frame.loc[frame["kode_desa"] == kode_desa, "posyandu_id"])


def _desa_of(filters: Filters, posyandu_id: str) -> str | None:
    frame = query_posyandu_choices(filters)
    match = frame.loc[frame["posyandu_id"] == posyandu_id, "kode_desa"]
    return None if match.empty else match.iloc[0]


def _forget_seen(seen_key: str) -> None:
    st.session_state.pop(seen_key, None)


def edit_recommendation_form(filters: Filters, rec: Recommendation, key: str) -> None:
    """Edit or close one recommendation.

    The recommendation as first shown is kept in the session: its values fill the form and
    its version goes with the save, so an edit saved meanwhile by someone else makes this
    save fail (StaleVersionError) instead of being overwritten or silently dropped.
    """
    seen_key = f"{key}-seen-{rec.id}"
    seen: Recommendation = st.session_state.setdefault(seen_key, rec)
    if rec.version != seen.version:
        st.warning(
            f"Rekomendasi nomor {rec.id} sudah diubah oleh {rec.updated_by} sejak Anda membukanya "
            f"(versi {rec.version}); menyimpan isian ini akan ditolak."
        )
        st.button("Muat ulang isi terbaru", key=f"{key}-reload-{rec.id}", on_click=_forget_seen, args=(seen_key,))
    suffix = f"{rec.id}-{seen.version}"
    with st.form(f"{key}-edit-{rec.id}"):
        st.markdown(f"**Nomor {seen.id}** · versi {seen.version} · terakhir diubah oleh {seen.updated_by}")
        text = st.text_area("Rekomendasi", value=seen.text, key=f"{key}-text-{suffix}")
        left, middle, right = st.columns(3)
        pic = left.text_input("PIC", value=seen.pic, key=f"{key}-pic-{suffix}")
        due = middle.date_input("Tenggat", value=seen.due_date, format="DD/MM/YYYY", key=f"{key}-due-{suffix}")
        status = right.selectbox("Status", STATUSES, index=STATUSES.index(seen.status), key=f"{key}-st-{suffix}")
        note = st.text_area("Catatan perkembangan", value=seen.note, key=f"{key}-note-{suffix}")
        left, right = st.columns(2)
        save = left.form_submit_button("Simpan perubahan", type="primary")
        close = right.form_submit_button("Tandai selesai")
    if not (save or close):
        return
    changes = dict(text=text, pic=pic, due_date=due, status="selesai" if close else status, note=note)
    try:
        saved = followup_store().update(current_actor(filters), rec.id, seen.version, **changes)
    except FollowupError as error:
        st.error(str(error))
        return
    _forget_seen(seen_key)
    flash(f"Rekomendasi nomor {saved.id} disimpan (versi {saved.version}, status {saved.status}).")


def followup_expander(
    filters: Filters,
    key: str,
    *,
    kode_kec: str,
    indicator: str | None = None,
    title: str | None = None,
    kode_desa: str | None = None,
    posyandu_id: str | None = None,
    expanded: bool = False,
) -> None:
    """The tindak lanjut of one kecamatan (and indicator, or desa, or posyandu): what is open,
    and a form to add one."""
    store = followup_store()
    actor = current_actor(filters)
    if not actor.may_touch(kode_kec):
        return
    items = store.recommendations(
        actor, kode_kec=[kode_kec], indicator=indicator, kode_desa=kode_desa, posyandu_id=posyandu_id
    )
    today = store.today()
    states = [classify(r, today) for r in items]
    summary = ", ".join(f"{states.count(s)} {s}" for s in ("terlambat", "berjalan", "selesai") if states.count(s))
    label = title or f"Tindak lanjut {kecamatan_names().get(kode_kec, kode_kec)}"
    with st.expander(label, expanded=expanded or FLASH_KEY in st.session_state, icon=":material/edit_note:"):
        show_flash()
        st.caption(f"Tercatat: {summary}." if summary else "Belum ada rekomendasi tercatat.")
        if items:
            st.dataframe(recommendations_table(items, today), hide_index=True, key=f"{key}-list")
            open_items = [r for r in items if r.is_open]
            if open_items:
                chosen = st.selectbox(
                    "Ubah atau tutup rekomendasi",
                    [r.id for r in open_items],
                    format_func=lambda i: f"Nomor {i}: {next(r.text for r in open_items if r.id == i)[:80]}",
                    key=f"{key}-choose",
                )
                edit_recommendation_form(filters, next(r for r in open_items if r.id == chosen), key)
        st.markdown("**Catat rekomendasi baru**")
        new_recommendation_form(
            filters,
            f"{key}-new",
            kode_kec=kode_kec,
            indicator=indicator,
            rapat_dates=store.rapat_dates(),
            kode_desa=kode_desa,
            posyandu_id=posyandu_id,
        )


def scorecard_cell_target(card: pd.DataFrame, cell: tuple[int, str] | None) -> tuple[str | None, str | None]:
    """(kode_kec, indicator key) of a clicked scorecard cell; the kabupaten row names no kecamatan."""
    if cell is None:
        return None, None
    row, column = cell
    if not 0 <= row < len(card) or bool(card.iloc[row]["is_kabupaten"]):
        return None, None
    # Headers carry unit and period ("Stunting (% balita, Okt 2025)", "Δ Stunting (poin %, dari Sep 2025)").
    indicator = next(
        (
            i.key
            for i in INDICATORS
            if column in (i.short, delta_column(i)) or column.startswith((f"{i.short} (", f"Δ {i.short} ("))
        ),
        None,
    )
    return str(card.iloc[row]["code"]), indicator


def scorecard_followup(filters: Filters, card: pd.DataFrame, selection: object) -> None:
    """Below the scorecard: the tindak lanjut of the clicked cell (kecamatan × indicator)."""
    cells = list(getattr(getattr(selection, "selection", None), "cells", None) or [])
    kode_kec, indicator = scorecard_cell_target(card, tuple(cells[0]) if cells else None)
    if kode_kec is None:
        st.caption(
            ":material/edit_note: Klik sel sebuah kecamatan pada scorecard untuk mencatat atau memperbarui tindak lanjutnya."
        )
        return
    name = kecamatan_names().get(kode_kec, kode_kec)
    what = INDICATOR_LABELS.get(indicator, "semua indikator") if indicator else "semua indikator"
    followup_expander(
        filters, "scorecard-fu", kode_kec=kode_kec, indicator=indicator, title=f"Tindak lanjut {name} · {what}"
    )


OTHER_DATE, NO_RAPAT = "lain", "tidak ada"


def choose_previous_rapat(meeting_date: dt.date, key: str) -> dt.date | None:
    """The previous rapat to compare with: a recorded rapat date (latest first), another date, or none."""
    recorded = [d for d in followup_store().rapat_dates() if d < meeting_date]
    options = [*recorded, NO_RAPAT, OTHER_DATE]
    labels = {OTHER_DATE: "Tanggal lain…", NO_RAPAT: "Tidak ada (bandingkan dengan bulan sebelumnya)"}
    choice = st.selectbox(
        "Rapat sebelumnya",
        options,
        format_func=lambda o: labels.get(o) if isinstance(o, str) else format_date(o),
        key=key,
        help="Rapat yang tindak lanjutnya dibahas dan yang datanya dibandingkan. Tanggal rapat dicatat di halaman "
        "Tindak Lanjut.",
    )
    if choice == NO_RAPAT:
        return None
    if choice == OTHER_DATE:
        return st.date_input(
            "Tanggal rapat sebelumnya",
            value=meeting_date - dt.timedelta(days=30),
            max_value=meeting_date - dt.timedelta(days=1),
            format="DD/MM/YYYY",
            key=f"{key}-date",
        )
    return choice
