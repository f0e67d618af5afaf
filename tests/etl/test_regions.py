import pytest

from etl.regions import RegionMatcher, desa_frame, kecamatan_frame, normalise_area_name


@pytest.fixture(scope="module")
def matcher() -> RegionMatcher:
    return RegionMatcher()


def test_reference_lists_have_kukar_counts():
    assert len(kecamatan_frame()) == 20
    desa = desa_frame()
    assert len(desa) == 237
    assert (desa["jenis"] == "kelurahan").sum() == 44
    assert set(desa["kode_kec"]) == set(kecamatan_frame()["kode_kec"])


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Tenggarong", "64.02.06"),
        ("Kec. Tenggarong Sbrg", "64.02.16"),
        ("KECAMATAN TENGGARONG SEBERANG", "64.02.16"),
        ("Sanga-Sanga", "64.02.15"),
        ("Sangasanga", "64.02.15"),
        ("SANGA SANGA", "64.02.15"),
        ("Marangkayu", "64.02.17"),
        ("Marang Kayu", "64.02.17"),
        ("Tengarong", "64.02.06"),  # small typo
        ("64.02.19", "64.02.19"),
    ],
)
def test_kecamatan_variants_match(matcher, name, code):
    assert matcher.match_kecamatan(name).code == code


def test_unknown_kecamatan_is_reported_not_guessed(matcher):
    result = matcher.match_kecamatan("Balikpapan Utara")
    assert result.code is None and result.status == "unmatched"


def test_desa_name_shared_by_three_kecamatan_is_ambiguous_without_kecamatan(matcher):
    result = matcher.match_desa("Sumber Sari")
    assert result.code is None and result.status == "ambiguous"
    assert len(result.candidates) == 3
    assert matcher.match_desa("Desa Sumber Sari", "64.02.19").code == "64.02.19.2007"


def test_desa_prefixes_hyphens_and_roman_numerals(matcher):
    assert matcher.match_desa("Kel. Sanga-Sanga Dalam", "64.02.15").code == "64.02.15.1003"
    assert matcher.match_desa("KOTA BANGUN 1").code == matcher.match_desa("Kota Bangun I").code is not None


def test_normalise_removes_prefix_case_and_separators():
    assert normalise_area_name("Kec. Sanga-Sanga") == normalise_area_name("sangasanga")
