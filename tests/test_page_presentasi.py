"""pages/presentasi.py under AppTest: renders, steps through screens, keeps the URL in step,
and `?presentasi=1` turns presentation mode on (downloads hidden)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.catalogue.indicators import INDICATORS
from dashboard.ui.widgets import PRESENTATION_KEY
from tests.support.apptest import open_page

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _open(query: dict[str, str] | None = None) -> AppTest:
    return open_page("pages/presentasi.py", query=query, run_app_first=False)


def _counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Layar "))


@pytest.fixture
def page(warehouse_path) -> AppTest:
    return _open()


def test_page_opens_with_the_follow_up_then_what_changed(page):
    assert _counter(page).startswith("**Layar 1 dari ")
    assert page.header[0].value.startswith("Tindak lanjut rapat sebelumnya")
    lead = page.markdown[1].value  # the counter, then the screen's lead sentence
    assert lead.startswith("**Belum ada rapat sebelumnya") and lead.endswith("Tindak Lanjut.**"), lead
    assert page.query_params.get("layar") == "1"
    page.button(key="rapat_next").click().run()
    assert not page.exception
    assert page.header[0].value.startswith("Apa yang berubah sejak rapat lalu")
    assert any(m.value.startswith("- Stunting ") for m in page.markdown)


def test_page_renders_the_headline_screen(warehouse_path):
    page = _open({"layar": "3"})
    assert _counter(page).startswith("**Layar 3 dari ")
    assert page.header[0].value.startswith("Kabupaten Kutai Kartanegara: stunting")
    labels = [m.label for m in page.metric]
    # the catalogue's short names: whole on a 1280x720 projector
    assert labels == [INDICATORS[c].short_name for c in ("stunting", "kader_participation", "ds_ratio", "legality")]
    assert page.query_params.get("layar") == "3"
    assert page.session_state[PRESENTATION_KEY] is False
    assert page.get("download_button"), "outside presentation mode the chart offers its downloads"


def test_next_and_previous_step_through_screens(page):
    total = int(_counter(page).split(" dari ")[1].split("**")[0])
    assert page.button(key="rapat_previous").disabled
    for _ in range(3):
        page.button(key="rapat_next").click().run()
    assert not page.exception
    assert _counter(page).startswith(f"**Layar 4 dari {total}**")
    assert page.header[0].value.startswith("Kecamatan ")
    assert page.query_params.get("layar") == "4"
    assert page.session_state["rapat_screen"] == 4
    page.button(key="rapat_next").click().run()
    assert _counter(page).startswith("**Layar 5 ")
    page.button(key="rapat_previous").click().run()
    assert _counter(page).startswith("**Layar 4 ")
    assert page.query_params.get("layar") == "4"


def test_layar_in_the_url_opens_that_screen_and_is_clamped(warehouse_path):
    at = _open({"layar": "3"})
    assert _counter(at).startswith("**Layar 3 ")
    at = _open({"layar": "999"})
    total = int(_counter(at).split(" dari ")[1].split("**")[0])
    assert _counter(at).startswith(f"**Layar {total} dari {total}**")
    assert at.button(key="rapat_next").disabled


def test_presentasi_param_sets_presentation_mode(warehouse_path):
    at = _open({"presentasi": "1", "layar": "3"})
    assert at.session_state[PRESENTATION_KEY] is True
    assert at.toggle(key="presentation_mode_toggle").value is True
    assert at.query_params.get("presentasi") == "1"
    # Downloads are hidden in presentation mode; the chart is still drawn.
    assert not [b for b in at.get("download_button")]
    assert not [p for p in at.get("popover")]
    assert at.get("plotly_chart")


def test_toggle_turns_the_mode_off_and_clears_the_url(warehouse_path):
    at = _open({"presentasi": "1"})
    at.toggle(key="presentation_mode_toggle").set_value(False).run()
    assert not at.exception
    assert at.session_state[PRESENTATION_KEY] is False
    assert "presentasi" not in at.query_params
    at.toggle(key="presentation_mode_toggle").set_value(True).run()
    assert at.session_state[PRESENTATION_KEY] is True
    assert at.query_params.get("presentasi") == "1"


def test_mode_follows_the_user_to_other_pages(warehouse_path):
    at = _open({"presentasi": "1"})
    at.query_params.clear()  # Streamlit drops query parameters on a page change
    at.switch_page("pages/ringkasan.py").run()
    assert not at.exception
    assert at.session_state[PRESENTATION_KEY] is True
    assert at.query_params.get("presentasi") == "1"


def test_an_unchanged_figure_shows_no_arrow(warehouse_path):
    """A kecamatan whose figure did not move reads "0,0 poin" with no arrow (Streamlit draws an
    up arrow for any delta it is given unless told otherwise); a moved one keeps its arrow."""
    from streamlit.proto.Metric_pb2 import Metric

    total = int(_counter(_open({"layar": "3"})).split(" dari ")[1].split("*")[0])
    for number in range(4, total + 1):
        page = _open({"layar": str(number)})
        deltas = [m.proto for m in page.metric if m.proto.delta]
        unchanged = [m for m in deltas if m.delta.startswith("0,0 ")]
        if unchanged:
            assert all(m.direction == Metric.NONE for m in unchanged), unchanged
            assert any(m.direction != Metric.NONE for m in deltas if m not in unchanged), deltas
            return
    pytest.fail("no screen of the test sample has an unchanged figure to check")
