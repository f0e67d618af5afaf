"""Chart subtitles name the area actually chosen: a puskesmas's or desa's own figures name it,
and a figure that stays kecamatan-level says it is the whole kecamatan's."""

from __future__ import annotations

from tests.support.apptest import open_page

SCOPE = "64.02.06"  # Tenggarong


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def _chosen(warehouse) -> tuple[str, str, str]:
    """A puskesmas of SCOPE and a kelurahan/desa it serves with measured children: (puskesmas, kode_desa, name)."""
    return warehouse.execute(
        """
        select p.puskesmas, p.kode_desa, d.nama_desa
        from dim_posyandu as p join dim_desa as d using (kode_desa)
        where p.kode_kec = ? and p.kode_desa in (select kode_desa from fct_measurement)
        group by all order by count(*) desc, 2 limit 1
        """,
        [SCOPE],
    ).fetchone()


def test_a_puskesmas_is_named_where_its_own_figures_are_shown(warehouse_path, warehouse):
    puskesmas, _, _ = _chosen(warehouse)
    at = open_page("pages/kader.py", query={"kecamatan": SCOPE, "puskesmas": puskesmas})
    named = f"wilayah kerja {puskesmas}, Kecamatan Tenggarong"
    assert any(named in c for c in _captions(at)), _captions(at)
    # never the bare kecamatan for posyandu-level figures narrowed to the puskesmas
    assert not any(c.endswith(", Kecamatan Tenggarong") and named not in c for c in _captions(at))


def test_stunting_names_the_desa_and_says_which_figures_stay_kecamatan_level(warehouse_path, warehouse):
    puskesmas, kode_desa, nama_desa = _chosen(warehouse)
    at = open_page("pages/stunting.py", query={"kecamatan": SCOPE, "puskesmas": puskesmas, "desa": kode_desa})
    word = "Kelurahan" if kode_desa[9] == "1" else "Desa"
    captions = _captions(at)
    # the HAZ distribution and the ranking are the desa's own
    assert any(f"{word} {nama_desa}, Kecamatan Tenggarong; kurva" in c for c in captions), captions
    # the trend with its design-based interval is the whole kecamatan's, and says so
    whole = f"seluruh Kecamatan Tenggarong (angka tingkat kecamatan, tidak dipisah untuk {word} {nama_desa})"
    assert any(c.startswith("Sampai") and whole in c for c in captions), captions
