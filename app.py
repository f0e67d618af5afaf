"""Dasbor Posyandu Kukar — entry point: page config, first-run warehouse, navigation."""

import streamlit as st

from dashboard.auth.login import KABUPATEN, current_role, require_login
from dashboard.bootstrap import ensure_warehouse, url_paths
from dashboard.ui.frame import install_frame

# An emoji favicon is drawn as an inline SVG; a material one would be fetched from the internet.
st.set_page_config(page_title="Dasbor Posyandu Kukar", page_icon="🏥", layout="wide")

PAGES = [
    st.Page("pages/ringkasan.py", title="Ringkasan", icon=":material/home:", default=True),
    st.Page("pages/stunting.py", title="Gizi Balita", icon=":material/trending_down:", url_path="stunting"),
    st.Page("pages/kader.py", title="Kader", icon=":material/groups:", url_path="kader"),
    st.Page(
        "pages/transformasi.py", title="6 SPM & Legalitas", icon=":material/account_balance:", url_path="transformasi"
    ),
    st.Page("pages/pendampingan.py", title="Pendampingan", icon=":material/handshake:", url_path="pendampingan"),
    st.Page("pages/anggaran.py", title="Anggaran Posyandu", icon=":material/payments:", url_path="anggaran"),
    st.Page("pages/peta.py", title="Peta", icon=":material/map:", url_path="peta"),
    st.Page("pages/prioritas.py", title="Prioritas", icon=":material/target:", url_path="prioritas"),
    st.Page("pages/scorecard.py", title="Scorecard Rapat", icon=":material/traffic:", url_path="scorecard"),
    st.Page("pages/presentasi.py", title="Presentasi Rapat", icon=":material/slideshow:", url_path="presentasi"),
    st.Page("pages/puskesmas.py", title="Puskesmas & Strata", icon=":material/local_hospital:", url_path="puskesmas"),
    st.Page(
        "pages/profil.py",
        title="Profil Desa & Posyandu",
        icon=":material/person_pin_circle:",
        url_path="profil",
    ),
    st.Page("pages/tindak_lanjut.py", title="Tindak Lanjut", icon=":material/task_alt:", url_path="tindak-lanjut"),
    st.Page("pages/paket_rapat.py", title="Paket Rapat", icon=":material/download:", url_path="paket-rapat"),
    st.Page("pages/katalog.py", title="Katalog Indikator", icon=":material/menu_book:", url_path="katalog"),
]
PERBARUI_DATA = "perbarui-data"
# Before anything is built: no stranger starts a build or sees the recovery page. A link to a
# page (`/kader?kecamatan=…`) shows the login form at that address, then opens the view.
require_login(url_paths=[*url_paths(PAGES), PERBARUI_DATA])
# A deep link (/peta, /profil?desa=…) opened while the first build runs lands on the progress screen.
ensure_warehouse(PAGES, extra_url_paths=[PERBARUI_DATA])

if current_role() == KABUPATEN:
    PAGES.append(
        st.Page("pages/perbarui_data.py", title="Perbarui Data", icon=":material/sync:", url_path=PERBARUI_DATA)
    )
install_frame()  # after the login and first-build screens, which have no sidebar
st.navigation(PAGES, expanded=True).run()  # every page listed, none behind "View more"
