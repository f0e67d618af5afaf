"""Generated Indonesian personal names for the synthetic e-PPGBM rows (no real persons)."""

from __future__ import annotations

import numpy as np

BOY_FIRST = (
    "Ahmad Abdul Adi Aditya Agus Akbar Alif Andi Arya Arsyad Azka Bagas Bima Daffa Dimas "
    "Fadil Fahri Faiz Fajar Farhan Fathan Gibran Habibi Hafiz Haikal Hamzah Hendra Ibrahim "
    "Ilham Irfan Kenzo Khairul Kevin Lukman Malik Nabil Naufal Raffi Raihan Rafa Rangga "
    "Reza Rizky Rendi Ridho Satria Syahrul Umar Yusuf Zaki Zidan Zainal Abizar Alfarizi "
    "Arkan Athar Danish Elvano Gavin Juna Kaisar Keanu Shaka Yasa"
).split()
GIRL_FIRST = (
    "Aisyah Alya Amira Anindya Aqila Arsila Ayu Azzahra Bilqis Cahaya Citra Dewi Dinda "
    "Fatimah Fitri Hana Humaira Indah Intan Jasmine Kayla Keisha Khadijah Laila Maryam "
    "Nabila Nadia Naura Nayla Nur Putri Qiana Rahma Rania Salsabila Shakila Siti Sri "
    "Syifa Tiara Wulan Zahra Zaskia Adiba Almira Arumi Elvina Ghina Hafsah Kalila Medina "
    "Mikayla Nadhira Raisa Shanum Yumna"
).split()
BOY_PREFIX = ["Muhammad", "M.", "Moh.", "Ahmad", "Muhammad Noor"]
BOY_LAST = (
    "Pratama|Saputra|Ramadhan|Putra|Maulana|Hidayat|Firmansyah|Kurniawan|Setiawan|Nugraha|"
    "Alfarizi|Akbar|Wijaya|Hakim|Rizki|Syahputra|Fadillah|Anugrah|Permana|Al Fatih|Arrasyid|"
    "Habibie|Hamdani|Ardiansyah|Wicaksono"
).split("|")
GIRL_LAST = (
    "Putri|Azzahra|Ramadhani|Safitri|Aulia|Khairunnisa|Nurhaliza|Maharani|Anggraini|"
    "Rahmawati|Zahira|Humaira|Kirana|Salsabila|Febriani|Oktaviani|Amalia|Az-Zahra|Nur Aini|"
    "Rahmadani|Syakira|Hasanah"
).split("|")
MOTHER_FIRST = (
    "Siti Sri Nur Dewi Rina Rini Yuli Ernawati Hamidah Rusmini Norhayati Noorhasanah "
    "Fitriani Mariana Wahyuni Kartini Suryani Yanti Lina Nurul Hasnah Masitah Rahmah "
    "Juliana Herlina Marlina Sulastri Sumiati Rosita Halimah Aminah Fatmawati Ratna Eka "
    "Ani Ira Mega Riska Desi Mirna Nining Nanik Sitti Hj. Wiwik Indah Rahmawati "
    "Murni Saniah Jumiati Asnawati Darmawati Erna Sukmawati Rusdiana"
).split()
MOTHER_LAST = (
    "Aminah Hasanah Wahyuni Rahayu Lestari Handayani Susanti Yuliana Puspita Sari Anggraini "
    "Purnamasari Maharani Hidayah Fitriani Mulyani Rohani Juwita Kurniasih Ningsih "
    "Marlina Safitri Nurjanah Khadijah Fatimah"
).split()


def _pick(rng: np.random.Generator, pool: list[str], size: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size)]


def make_child_names(sex: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A plausible name per child (sex 1 = boy, 2 = girl), mostly upper case as exported."""
    n = len(sex)
    boy = sex == 1
    first = np.where(boy, _pick(rng, BOY_FIRST, n), _pick(rng, GIRL_FIRST, n))
    last = np.where(boy, _pick(rng, BOY_LAST, n), _pick(rng, GIRL_LAST, n))
    prefix = _pick(rng, BOY_PREFIX, n)
    use_prefix = boy & (rng.random(n) < 0.35)
    use_last = rng.random(n) < 0.7
    names = [
        " ".join(part for part in (p if up else "", f, la if ul else "") if part)
        for p, up, f, la, ul in zip(prefix, use_prefix, first, last, use_last, strict=True)
    ]
    return _case_as_typed(np.asarray(names, dtype=object), rng)


def make_mother_names(n: int, rng: np.random.Generator) -> np.ndarray:
    """A plausible mother's name per child."""
    first = _pick(rng, MOTHER_FIRST, n)
    last = _pick(rng, MOTHER_LAST, n)
    use_last = rng.random(n) < 0.6
    names = [f"{f} {la}" if ul and f != la else f for f, la, ul in zip(first, last, use_last, strict=True)]
    return _case_as_typed(np.asarray(names, dtype=object), rng)


def _case_as_typed(names: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    upper = rng.random(len(names)) < 0.75
    return np.asarray([s.upper() if u else s for s, u in zip(names, upper, strict=True)], dtype=object)


STREETS = (
    "Jl. Mulawarman|Jl. Ahmad Yani|Jl. Pesut|Jl. Danau Semayang|Jl. Poros Desa|Jl. Pendidikan|"
    "Jl. Masjid|Jl. Tepian Mahakam|Jl. Kartini|Jl. Patin|Jl. Gunung Belah|Jl. Muso Salim|"
    "Jl. Jelarai|Jl. Imam Bonjol|Jl. Mangkurawang|Jl. Poros Samarinda-Bontang|Jl. Cendana|"
    "Jl. Diponegoro|Jl. Sudirman|Jl. Pattimura|Jl. Pramuka|Jl. Merdeka|Gg. Mawar|Gg. Melati|"
    "Gg. Keluarga|Gg. Swadaya|Gg. Nurul Huda|Jl. Kampung Baru|Jl. Lingkar|Jl. Pelabuhan"
).split("|")
DUSUN = (
    "Dusun I|Dusun II|Dusun III|Dusun Sumber Rejo|Dusun Suka Maju|Dusun Harapan Baru|"
    "Dusun Tanjung|Dusun Pulau|Dusun Ulu|Dusun Ilir|Dusun Sido Makmur|Dusun Karya Bakti"
).split("|")


def make_addresses(n: int, rng: np.random.Generator) -> np.ndarray:
    """Free-text address (no commas: the bulk CSV is written unquoted)."""
    street = _pick(rng, STREETS, n)
    dusun = _pick(rng, DUSUN, n)
    number = rng.integers(1, 120, n)
    kind = rng.random(n)
    out = []
    for s, d, no, k in zip(street, dusun, number, kind, strict=True):
        if k < 0.55:
            out.append(f"{s} No. {no}")
        elif k < 0.85:
            out.append(d)
        elif k < 0.97:
            out.append(f"{s} {d}")
        else:
            out.append(f"{s} – dekat masjid")
    return np.asarray(out, dtype=object)
