"""Presentation mode for a projected screen: large type, high contrast, no clutter.

One switch for the whole session, set from the sidebar toggle ("Mode presentasi") or from
the URL (`?presentasi=1`, so a link opens straight into it on the meeting-room laptop).
A link carrying the parameter wins; the run after a toggle writes it back, so the address
bar always shows the mode in force. Streamlit drops query parameters when the user changes
page, so a missing parameter keeps the session's mode instead of switching it off.

What the mode changes: dashboard.ui.widgets.show_chart draws with the presentation plotly
template (large type, thick lines, Okabe-Ito colours) and hides downloads; the CSS here
enlarges titles, metrics and text, darkens captions, and hides the Streamlit menu,
toolbars and the plotly mode bar.
"""

from __future__ import annotations

import streamlit as st

from dashboard.theme import BACKGROUND_COLOR, TEXT_COLOR
from dashboard.ui.widgets import PRESENTATION_KEY

QUERY_PARAM = "presentasi"
TOGGLE_KEY = "presentation_mode_toggle"
URL_KEY = "presentation_mode_in_url"  # the value this session last wrote to `?presentasi=`
_TRUE = {"1", "true", "ya", "yes", "on", "y"}
_FALSE = {"0", "false", "tidak", "no", "off", "n", ""}

PRESENTATION_CSS = f"""
<style>
/* Clutter: app menu, deploy button, running-man status, element and chart toolbars. */
[data-testid="stMainMenu"],
[data-testid="stAppDeployButton"],
[data-testid="stToolbarActions"],
[data-testid="stStatusWidget"],
[data-testid="stDecoration"],
[data-testid="stElementToolbar"],
.modebar-container {{
    display: none !important;
}}
[data-testid="stHeader"] {{
    background: transparent;
}}
/* Large type and high contrast. */
[data-testid="stMain"] {{
    color: {TEXT_COLOR};
    background: {BACKGROUND_COLOR};
}}
[data-testid="stMainBlockContainer"] {{
    padding-top: 2.5rem;
    max-width: 100%;
}}
[data-testid="stMain"] h1 {{
    font-size: 3rem;
    line-height: 1.15;
}}
[data-testid="stMain"] h2 {{
    font-size: 2.4rem;
}}
[data-testid="stMain"] h3 {{
    font-size: 2rem;
}}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li {{
    font-size: 1.5rem;
    line-height: 1.45;
}}
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {{
    font-size: 1.15rem;
    color: {TEXT_COLOR};
    opacity: 1;
}}
[data-testid="stMain"] [data-testid="stMetricLabel"] p {{
    font-size: 1.5rem !important;
    color: {TEXT_COLOR};
}}
[data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p {{
    font-size: 4rem !important;
    font-weight: 700;
    line-height: 1.1;
    color: {TEXT_COLOR};
}}
[data-testid="stMetricDelta"],
[data-testid="stMain"] [data-testid="stMetricDelta"] p {{
    font-size: 1.5rem !important;
}}
[data-testid="stMain"] .stButton button p {{
    font-size: 1.4rem;
}}
</style>
"""


def parse_flag(value: str | None) -> bool | None:
    """ "1"/"true"/"ya" -> True, "0"/"false"/"tidak" -> False; anything else (or None) -> None."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _on_toggle() -> None:
    # Only the session state here: a query parameter written inside a widget callback
    # makes Streamlit redraw the sidebar's "Semua kecamatan" choice as empty. The run
    # that follows writes the URL.
    st.session_state[PRESENTATION_KEY] = bool(st.session_state.get(TOGGLE_KEY, False))


def sync_presentation_mode() -> bool:
    """Read `?presentasi=`, draw the sidebar toggle, keep both in step; True when the mode is on.

    Call once per run, before anything that asks widgets.presentation_mode(). The URL
    counts only when it differs from what this session last wrote there (a link someone
    opened or typed); otherwise the toggle, through the session state, has the last word.
    """
    raw = st.query_params.get(QUERY_PARAM)
    from_url = parse_flag(raw)
    if from_url is not None and raw != st.session_state.get(URL_KEY):
        st.session_state[PRESENTATION_KEY] = from_url
    on = bool(st.session_state.get(PRESENTATION_KEY, False))
    st.session_state[PRESENTATION_KEY] = on
    # The toggle's own key is seeded each run: Streamlit forgets a widget's state on a
    # page that does not draw it, the session's mode must survive that.
    st.session_state[TOGGLE_KEY] = on
    st.sidebar.toggle(
        "Mode presentasi",
        key=TOGGLE_KEY,
        on_change=_on_toggle,
        help="Huruf besar, kontras tinggi, tanpa tombol unduh dan menu: untuk layar proyektor. "
        "Tautan dengan ?presentasi=1 langsung membuka mode ini.",
    )
    if on and raw != "1":
        st.query_params[QUERY_PARAM] = "1"
    elif not on and raw is not None:
        del st.query_params[QUERY_PARAM]
    st.session_state[URL_KEY] = "1" if on else None
    if on:
        st.html(PRESENTATION_CSS)
    return on


# --------------------------------------------------------------------------
# Presentasi Rapat: which screen is showing (session state and `?layar=`)
# --------------------------------------------------------------------------

SCREEN_PARAM = "layar"
SCREEN_KEY = "rapat_screen"
SCREEN_URL_KEY = "rapat_screen_in_url"  # the value this session last wrote to `?layar=`


def parse_screen_number(value: object, total: int) -> int | None:
    """ "3" -> 3 within 1..total (clamped); None when absent or not a number."""
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return min(max(number, 1), max(total, 1))


def sync_screen_number(total: int) -> int:
    """The 1-based screen to show: `?layar=` when the user gave it, else the session's,
    within 1..total; written back to the URL."""
    raw = st.query_params.get(SCREEN_PARAM)
    from_url = parse_screen_number(raw, total)
    if from_url is not None and raw != st.session_state.get(SCREEN_URL_KEY):
        st.session_state[SCREEN_KEY] = from_url
    number = parse_screen_number(st.session_state.get(SCREEN_KEY, 1), total) or 1
    st.session_state[SCREEN_KEY] = number
    if raw != str(number):
        st.query_params[SCREEN_PARAM] = str(number)
    st.session_state[SCREEN_URL_KEY] = str(number)
    return number


def go_to_screen(number: int) -> None:
    """Button callback: show screen ``number``; the run that follows writes `?layar=`
    (not here: see _on_toggle)."""
    st.session_state[SCREEN_KEY] = number


def hide_page_title() -> None:
    """On a projected screen the page's own title ("Presentasi Rapat") is clutter: each screen has its message."""
    st.html('<style>[data-testid="stMain"] h1 { display: none; }</style>')
