"""No page shows None, nan, NaT or <NA>: every page under AppTest with the test warehouse,
for the whole kabupaten and for one kecamatan (desa and posyandu tables appear then); every
string of every element (metrics, captions, chart titles and hover text) and every table
cell as the grid draws it."""

from __future__ import annotations

import pytest

from tests.support.apptest import app_page_files, open_page
from tests.support.shown_text import LEAKED_MISSING, leaked_missing

# Pages whose tables the walk must have read (a page that stopped drawing them would pass
# the check with nothing to check).
TABLES_AT_LEAST = {
    "pages/stunting.py": 8,
    "pages/kader.py": 2,
    "pages/transformasi.py": 4,
    "pages/pendampingan.py": 3,
    "pages/prioritas.py": 1,
    "pages/scorecard.py": 2,
    "pages/puskesmas.py": 2,
}


def test_the_detector_sees_what_streamlit_would_draw():
    assert LEAKED_MISSING.search("Nomor SK: None") and LEAKED_MISSING.search("nan%")
    assert LEAKED_MISSING.search("<NA>") and LEAKED_MISSING.search("NaT")
    assert not LEAKED_MISSING.search("Nanas") and not LEAKED_MISSING.search("Kenohan")


@pytest.mark.parametrize("page", app_page_files())
def test_no_page_shows_a_missing_value(page, warehouse_path, warehouse):
    kode_kec = warehouse.execute("select min(kode_kec) from dim_kecamatan").fetchone()[0]
    at = open_page(page, timeout=120)
    found = leaked_missing(at)
    tables = len(at.dataframe)
    at.session_state["filter_kecamatan"] = kode_kec
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found += [f"(kecamatan {kode_kec}) {text}" for text in leaked_missing(at)]
    assert not found, found
    tables += len(at.dataframe)
    assert tables >= TABLES_AT_LEAST.get(page, 0), f"{page}: only {tables} tables were read"
