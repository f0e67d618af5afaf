"""Dasbor Posyandu Kukar — entry point: page config, first-run warehouse, navigation."""

import streamlit as st

from dashboard.bootstrap import ensure_warehouse

st.set_page_config(page_title="Dasbor Posyandu Kukar", page_icon="🏥", layout="wide")
ensure_warehouse()

PAGES = [
    st.Page("pages/ringkasan.py", title="Ringkasan", icon="🏠", default=True, url_path="ringkasan"),
]
st.navigation(PAGES).run()
