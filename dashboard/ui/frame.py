"""What every page's frame needs, set once by app.py: the page's side padding, and the controls
Streamlit and plotly draw themselves (toolbar tooltips, the chart mode bar) in Bahasa Indonesia.

Streamlit 1.67 and plotly write those words in English whatever the browser's language and
have no setting for them. The table toolbar's own "Download as CSV" (English numbers, no small
cells suppressed) and "Show/hide columns" (an "(index)" column, "Select all") are hidden: every
table has its Excel and CSV buttons and its "Tampilkan semua kolom" toggle. A small script
(installed once per browser tab, st.html with JavaScript allowed, only the text written here)
puts Bahasa in the tooltips and mode-bar titles as they appear.
"""

from __future__ import annotations

import json

import streamlit as st

# Streamlit's wide layout pads the page 5rem a side: beside the 300-px sidebar that leaves a
# 1280-px screen 820 px for a table and a 1366-px one 906. At 2rem (presentation mode's own
# padding) a 1280-px screen has the 906 px that the tables' default columns are sized for.
# Narrow screens keep Streamlit's own 1rem. Presentation mode's CSS comes later in the page
# and has the last word.
LAYOUT_CSS = """
<style>
@media (min-width: 1024px) {
  [data-testid="stMainBlockContainer"] { padding-left: 2rem; padding-right: 2rem; }
}
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"],
[data-testid="stElementToolbar"] button[aria-label="Show/hide columns"] { display: none; }
[data-testid="stLayoutWrapper"]:has(> .st-key-dasbor-frame-script) { display: none; }
</style>
"""

# English as Streamlit 1.67 and plotly 3 write it -> what the reader sees.
BAHASA = {
    "Search": "Cari di tabel",
    "Fullscreen": "Layar penuh",
    "Close fullscreen": "Tutup layar penuh",
    "Zoom": "Perbesar area",
    "Pan": "Geser",
    "Box Select": "Pilih kotak",
    "Lasso Select": "Pilih laso",
    "Zoom in": "Perbesar",
    "Zoom out": "Perkecil",
    "Autoscale": "Skala otomatis",
    "Reset axes": "Kembalikan sumbu",
    "Reset view": "Kembalikan tampilan",
    "Toggle Spike Lines": "Garis bantu",
    "Show closest data on hover": "Data terdekat saat kursor di atas",
    "Compare data on hover": "Bandingkan data saat kursor di atas",
}

_SCRIPT = """
<script>
(function () {
  const w = window, doc = document, words = %(words)s;
  if (w.__dasborBahasa) return;
  w.__dasborBahasa = true;
  const translate = function (root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll('[data-testid="stTooltipContent"] p').forEach(function (p) {
      const bahasa = words[p.textContent.trim()];
      if (bahasa) p.textContent = bahasa;
    });
    root.querySelectorAll(".modebar-btn[data-title]").forEach(function (button) {
      const bahasa = words[button.getAttribute("data-title")];
      if (bahasa) button.setAttribute("data-title", bahasa);
    });
  };
  translate(doc.body);
  new w.MutationObserver(function (changes) {
    changes.forEach(function (change) { change.addedNodes.forEach(translate); });
  }).observe(doc.body, { childList: true, subtree: true });
})();
</script>
"""


def install_frame() -> None:
    """The padding and the hidden toolbar buttons (CSS), and the Bahasa script (in a hidden
    container: it takes no room on the page)."""
    st.html(LAYOUT_CSS)
    with st.container(key="dasbor-frame-script"):
        st.html(_SCRIPT % {"words": json.dumps(BAHASA)}, unsafe_allow_javascript=True)
