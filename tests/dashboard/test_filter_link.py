"""dashboard/filter_link.py: a link's filters are checked against the data and the reader's scope."""

from __future__ import annotations

from datetime import date

from dashboard.filter_link import DesaPlace, LinkChoice, link_params, parse_period_param, read_link
from dashboard.filters import Filters

MONTHS = [date(2025, 9, 1), date(2025, 10, 1)]
KECAMATAN = {"64.02.06": "Tenggarong", "64.02.07": "Tenggarong Seberang", "64.02.03": "Muara Badak"}
PUSKESMAS = {"Puskesmas Rapak Mahang": "64.02.06", "Puskesmas Badak Baru": "64.02.03"}
DESA = {
    "64.02.06.1013": DesaPlace("Loa Ipuh Darat", "64.02.06", frozenset({"Puskesmas Rapak Mahang"})),
    "64.02.06.1004": DesaPlace("Timbau", "64.02.06", frozenset({"Puskesmas Tenggarong"})),
    "64.02.03.2001": DesaPlace("Badak Baru", "64.02.03", frozenset({"Puskesmas Badak Baru"})),
}


def read(params: dict, scope: tuple[str, ...] | None = None) -> LinkChoice:
    return read_link(params, MONTHS, KECAMATAN, PUSKESMAS, scope, DESA)


def test_a_valid_link_is_followed_and_round_trips():
    choice = read({"periode": "2025-09", "kecamatan": "64.02.06", "puskesmas": "Puskesmas Rapak Mahang"})
    assert choice == LinkChoice(date(2025, 9, 1), "64.02.06", "Puskesmas Rapak Mahang", ())
    filters = Filters(choice.month, kode_kec=choice.kode_kec, puskesmas=choice.puskesmas)
    assert read(link_params(filters)) == choice


def test_names_are_accepted_case_insensitively():
    assert read({"kecamatan": "tenggarong SEBERANG"}).kode_kec == "64.02.07"
    choice = read({"puskesmas": "puskesmas badak baru"})
    assert (choice.puskesmas, choice.kode_kec) == ("Puskesmas Badak Baru", "64.02.03")


def test_period_param_forms():
    assert parse_period_param("2025-10") == date(2025, 10, 1)
    assert parse_period_param(" 2025-10-17 ") == date(2025, 10, 1)
    for bad in ("", "2025", "Oktober", "2025-13", "x-y", "2025-10-01'; drop table x"):
        assert parse_period_param(bad) is None, bad


def test_invalid_values_give_a_bahasa_note_and_the_default():
    choice = read({"periode": "2024-01", "kecamatan": "64.02.99", "puskesmas": "<script>"})
    assert (choice.month, choice.kode_kec, choice.puskesmas) == (None, None, None)
    assert len(choice.notes) == 3
    assert "Januari 2024" in choice.notes[0] and "periode terbaru" in choice.notes[0]
    assert "tidak dikenal" in choice.notes[1] and "“64.02.99”" in choice.notes[1]
    assert "tidak dikenal" in choice.notes[2]
    garbage = read({"periode": "x" * 500})
    assert garbage.month is None and len(garbage.notes[0]) < 200  # a long value is cut in the note


def test_a_pembina_link_to_another_kecamatan_gives_their_own_scope():
    choice = read({"kecamatan": "64.02.03", "puskesmas": "Puskesmas Badak Baru"}, scope=("64.02.06",))
    assert (choice.kode_kec, choice.puskesmas) == (None, None)
    assert "Muara Badak" in choice.notes[0] and "di luar cakupan" in choice.notes[0]
    assert "di luar cakupan" in choice.notes[1]
    inside = read({"kecamatan": "64.02.06"}, scope=("64.02.06",))
    assert inside.kode_kec == "64.02.06" and not inside.notes


def test_a_puskesmas_of_another_kecamatan_than_the_linked_one_is_dropped():
    choice = read({"kecamatan": "64.02.07", "puskesmas": "Puskesmas Rapak Mahang"})
    assert (choice.kode_kec, choice.puskesmas) == ("64.02.07", None)
    assert "tidak berada di Kecamatan Tenggarong Seberang" in choice.notes[0]


def test_link_params_write_period_always_and_areas_when_chosen():
    assert link_params(Filters(date(2025, 10, 1))) == {"periode": "2025-10"}
    assert link_params(Filters(date(2025, 10, 1), kode_kec="64.02.06", puskesmas="P")) == {
        "periode": "2025-10",
        "kecamatan": "64.02.06",
        "puskesmas": "P",
    }


def test_a_desa_link_names_its_kecamatan_and_round_trips():
    choice = read({"periode": "2025-10", "desa": "64.02.06.1013"})
    assert (choice.kode_kec, choice.kode_desa, choice.notes) == ("64.02.06", "64.02.06.1013", ())
    filters = Filters(choice.month, kode_kec=choice.kode_kec, kode_desa=choice.kode_desa)
    assert link_params(filters) == {"periode": "2025-10", "kecamatan": "64.02.06", "desa": "64.02.06.1013"}
    assert read(link_params(filters)) == choice
    with_pkm = read({"kecamatan": "64.02.06", "puskesmas": "Puskesmas Rapak Mahang", "desa": "64.02.06.1013"})
    assert (with_pkm.puskesmas, with_pkm.kode_desa, with_pkm.notes) == ("Puskesmas Rapak Mahang", "64.02.06.1013", ())


def test_a_desa_outside_the_scope_the_kecamatan_or_the_puskesmas_is_dropped_with_a_note():
    outside = read({"desa": "64.02.03.2001"}, scope=("64.02.06",))
    assert outside.kode_desa is None and "Badak Baru" in outside.notes[0] and "di luar cakupan" in outside.notes[0]
    other_kec = read({"kecamatan": "64.02.06", "desa": "64.02.03.2001"})
    assert (other_kec.kode_kec, other_kec.kode_desa) == ("64.02.06", None)
    assert "tidak berada di Kecamatan Tenggarong" in other_kec.notes[0]
    other_pkm = read({"puskesmas": "Puskesmas Rapak Mahang", "desa": "64.02.06.1004"})
    assert (other_pkm.puskesmas, other_pkm.kode_desa) == ("Puskesmas Rapak Mahang", None)
    assert "tidak dilayani Puskesmas Rapak Mahang" in other_pkm.notes[0]
    unknown = read({"desa": "64.02.06.9999'; drop"})
    assert unknown.kode_desa is None and "tidak dikenal" in unknown.notes[0]
