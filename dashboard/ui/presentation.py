"""Presentation mode for a projected screen: large type, high contrast, no clutter.

One switch for the whole session, set from the sidebar toggle ("Mode presentasi") or from
the URL (`?presentasi=1`, so a link opens straight into it on the meeting-room laptop).
A link carrying the parameter wins; the run after a toggle writes it back, so the address
bar always shows the mode in force. Streamlit drops query parameters when the user changes
page, so a missing parameter keeps the session's mode instead of switching it off.

What the mode changes: dashboard.ui.widgets.show_chart draws with the presentation plotly
template (large type, thick lines, Okabe-Ito colours) and hides downloads; the CSS here
enlarges titles, metrics and text, darkens captions, lets metric labels and delta notes wrap
instead of ending in "…", and hides the Streamlit menu, toolbars and the plotly mode bar; a
small script collapses the sidebar once on entering the mode, on every page.

Scripts run through `st.html(..., unsafe_allow_javascript=True)` (Streamlit 1.67's supported
way; `components.v1.html` is deprecated): in the page itself, not in a frame, and only ever
with text written here, never with user input.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from dashboard.export.press import ChartMeta
from dashboard.theme import BACKGROUND_COLOR, TEXT_COLOR, apply_theme
from dashboard.ui.widgets import PRESENTATION_KEY, presentation_mode, show_chart

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
/* Large type and high contrast; sized so a screen fits 1280x720 without scrolling. */
[data-testid="stMain"] {{
    color: {TEXT_COLOR};
    background: {BACKGROUND_COLOR};
}}
[data-testid="stMainBlockContainer"] {{
    padding: 3rem 2rem 0.5rem 2rem;
    max-width: 100%;
}}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{
    gap: 0.6rem;
}}
[data-testid="stMain"] h1 {{
    font-size: 2.6rem;
    line-height: 1.15;
}}
[data-testid="stMain"] h2 {{
    font-size: clamp(2rem, 2.4vw, 3rem);
    line-height: 1.2;
    padding: 0.2rem 0 0.4rem 0;  /* a two-line message does not touch the figures under it */
}}
[data-testid="stMain"] h3 {{
    font-size: 1.7rem;
}}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li {{
    font-size: clamp(1.35rem, 1.5vw, 2rem);
    line-height: 1.4;
}}
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {{
    font-size: clamp(1.05rem, 1.1vw, 1.5rem);
    line-height: 1.35;
    color: {TEXT_COLOR};
    opacity: 1;
}}
/* Metric labels and the note beside a delta ("dari Sep 2025 (belum berbeda nyata)") wrap
   instead of ending in "…". */
[data-testid="stMain"] [data-testid="stMetricLabel"],
[data-testid="stMain"] [data-testid="stMetricLabel"] *,
[data-testid="stMain"] [data-testid="stMetricDeltaDescription"],
[data-testid="stMain"] [data-testid="stMetricDeltaDescription"] * {{
    white-space: normal !important;
    overflow: visible !important;
    text-overflow: clip !important;
}}
[data-testid="stMain"] [data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) {{
    flex-wrap: wrap;
    row-gap: 0.2rem;
}}
[data-testid="stMain"] [data-testid="stMetricLabel"] p {{
    font-size: clamp(1.35rem, 1.5vw, 2rem) !important;
    line-height: 1.25;
    color: {TEXT_COLOR};
}}
[data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p {{
    font-size: clamp(3.2rem, 3.8vw, 5rem) !important;
    font-weight: 700;
    line-height: 1.1;
    color: {TEXT_COLOR};
}}
[data-testid="stMetricDelta"],
[data-testid="stMain"] [data-testid="stMetricDelta"] p {{
    font-size: 1.3rem !important;
}}
[data-testid="stMain"] .stButton button p {{
    font-size: 1.3rem;
    white-space: nowrap;
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
    st.sidebar.html(_SIDEBAR_SCRIPT % {"on": json.dumps(on)}, unsafe_allow_javascript=True)
    return on


# Presentation mode: the sidebar collapses once on entering; the user may open it again. Out
# of the mode the flag resets, so entering it again collapses the sidebar again.
_SIDEBAR_SCRIPT = """
<script>
(function () {
  const w = window, doc = document, on = %(on)s;
  if (!on) { w.__dasborSidebarCollapsed = false; return; }
  if (w.__dasborSidebarCollapsed || w.__dasborCollapsing) return;
  // Streamlit may open it again while the page settles: close until it stays closed for a second.
  w.__dasborCollapsing = true;
  let tries = 0, closedFor = 0;
  const id = w.setInterval(function () {
    const sidebar = doc.querySelector('[data-testid="stSidebar"]');
    const open = sidebar && (sidebar.getAttribute("aria-expanded") === "true" || sidebar.getAttribute("data-collapsed") === "false");
    if (open) {
      closedFor = 0;
      const button = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (button) button.click();
    } else if (sidebar && ++closedFor >= 5) {
      w.__dasborSidebarCollapsed = true;
    }
    if (w.__dasborSidebarCollapsed || ++tries > 75) {
      w.clearInterval(id);
      w.__dasborCollapsing = false;
      w.dispatchEvent(new Event("resize"));  // the main column is wider now
    }
  }, 200);
})();
</script>
"""


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


# --------------------------------------------------------------------------
# Presenter keys, the sidebar out of the way, the chart to the screen's bottom
# --------------------------------------------------------------------------

NEXT_KEYS = ("PageDown", "ArrowRight")  # presenter clickers send PageDown / PageUp
PREVIOUS_KEYS = ("PageUp", "ArrowLeft")
CHART_CONTAINER_KEY = "presentasi_chart"
CHART_MIN_PX, CHART_MAX_PX = 360, 940  # the chart's container: heading, chart and source line

# Runs in the page (st.html with JavaScript allowed). Installed once per browser tab and again
# whenever its settings change: the key listener finds the buttons when a key is pressed, so
# it survives reruns and page changes (on other pages it finds no button and does nothing).
_PRESENTER_SCRIPT = """
<script>
(function () {
  const settings = %(settings)s;
  const w = window, doc = document;
  w.__dasborPresenter = settings;
  // The newest handlers replace the old ones.
  const onKey = function (event) {
    const s = w.__dasborPresenter;
    if (!s || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target, tag = ((target && target.tagName) || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) return;
    const key = s.next.includes(event.key) ? s.nextButton : s.previous.includes(event.key) ? s.previousButton : null;
    if (!key) return;
    const button = doc.querySelector(".st-key-" + key + " button");
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    if (!button.disabled) button.click();
  };
  if (w.__dasborKeyHandler) doc.removeEventListener("keydown", w.__dasborKeyHandler, true);
  w.__dasborKeyHandler = onKey;
  doc.addEventListener("keydown", onKey, true);

  // Presentation mode: the chart's container ends at the bottom of the screen and the chart
  // (CHART_FILL_CSS) fills what its heading and source line leave. The container's size, not
  // the figure's: Streamlit redraws the figure from its own layout and undoes a Plotly.relayout.
  const fit = function () {
    const s = w.__dasborPresenter;
    if (!s || !s.presentation) return;
    const box = doc.querySelector(".st-key-" + s.chartContainer);
    if (!box) return;
    const room = w.innerHeight - box.getBoundingClientRect().top - 12;
    const height = Math.round(Math.max(s.minHeight, Math.min(s.maxHeight, room)));
    if (Math.abs(box.getBoundingClientRect().height - height) > 6) box.style.flex = "0 0 " + height + "px";
  };
  const later = function () { w.clearTimeout(w.__dasborFitPending); w.__dasborFitPending = w.setTimeout(fit, 150); };
  if (w.__dasborFitObserver) w.__dasborFitObserver.disconnect();
  if (w.__dasborResizeHandler) w.removeEventListener("resize", w.__dasborResizeHandler);
  w.__dasborResizeHandler = later;
  w.addEventListener("resize", later);
  w.__dasborFitObserver = new w.MutationObserver(later);
  w.__dasborFitObserver.observe(doc.body, { childList: true, subtree: true });
  [50, 400, 1200, 2500].forEach(function (ms) { w.setTimeout(fit, ms); });
})();
</script>
"""


def install_presenter_keys(next_key: str, previous_key: str) -> None:
    """PageDown/PageUp (presenter clickers) and the arrow keys click the Next/Previous buttons
    (Streamlit keys ``next_key``/``previous_key``); in presentation mode the chart in
    CHART_CONTAINER_KEY is sized to end at the bottom of the screen."""
    settings = {
        "next": list(NEXT_KEYS),
        "previous": list(PREVIOUS_KEYS),
        "nextButton": next_key,
        "previousButton": previous_key,
        "presentation": presentation_mode(),
        "chartContainer": CHART_CONTAINER_KEY,
        "minHeight": CHART_MIN_PX,
        "maxHeight": CHART_MAX_PX,
    }
    st.html(_PRESENTER_SCRIPT % {"settings": json.dumps(settings)}, unsafe_allow_javascript=True)


# The chart grows into the height the presenter script gives its container (a flex basis: the
# column's flex layout ignores a plain height).
CHART_FILL_CSS = f"""
<style>
.st-key-{CHART_CONTAINER_KEY} .stElementContainer:has([data-testid="stPlotlyChart"]) {{
    flex: 1 1 0 !important;
    height: auto !important;
    min-height: 200px;
}}
.st-key-{CHART_CONTAINER_KEY} [data-testid="stFullScreenFrame"],
.st-key-{CHART_CONTAINER_KEY} [data-testid="stPlotlyChart"] {{
    height: 100% !important;
}}
</style>
"""


def show_screen_chart(fig: go.Figure, meta: ChartMeta, key: str) -> None:
    """The screen's chart: in presentation mode one heading line, the chart and one source line
    (no downloads), inside the container the presenter script sizes; else as every page shows it."""
    with st.container(key=CHART_CONTAINER_KEY):
        if not presentation_mode():
            show_chart(fig, meta, key)
            return
        figure = apply_theme(go.Figure(fig), "presentation")
        st.html(CHART_FILL_CSS)
        st.markdown(f"**{meta.title}** · {meta.subtitle}")
        st.plotly_chart(
            figure,
            key=f"chart-{key}",
            config={"displayModeBar": False, "displaylogo": False},
            theme=None,
            height="stretch",  # the presenter script sets the container's height to the screen's
        )
        st.caption(" · ".join(part for part in (meta.n, meta.source_note) if part))
