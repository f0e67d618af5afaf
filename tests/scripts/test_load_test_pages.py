"""The load test asks for the pages app.py serves, at the addresses it serves them."""

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _load_test():
    spec = importlib.util.spec_from_file_location("load_test", REPO / "bench" / "load_test.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_test", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_url_paths_named_by_a_constant_are_resolved(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(
        'PERBARUI_DATA = "perbarui-data"\n'
        'TINDAK = "tindak-lanjut"\n'
        "pages = [\n"
        '    st.Page("pages/ringkasan.py", title="Ringkasan", default=True),\n'
        '    st.Page("pages/tindak_lanjut.py", title="Tindak Lanjut", url_path=TINDAK),\n'
        '    st.Page("pages/peta.py", title="Peta", url_path="peta"),\n'
        '    st.Page("pages/perbarui_data.py", title="Perbarui Data", url_path=PERBARUI_DATA),\n'
        "]\n",
        encoding="utf-8",
    )
    assert _load_test().read_url_paths(app) == (["ringkasan", "tindak-lanjut", "peta"], "ringkasan")


def test_the_real_app_has_no_page_the_load_test_would_miss():
    paths, default = _load_test().read_url_paths(REPO / "app.py")
    assert default == "ringkasan" and "perbarui_data" not in paths and "perbarui-data" not in paths
    assert all("_" not in path for path in paths if path != default), paths  # addresses use hyphens
