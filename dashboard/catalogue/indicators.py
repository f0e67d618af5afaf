"""One entry per indicator shown on the dashboard, as DHIS2 keeps indicator metadata.

Pages, charts, map legends, the scorecard, exports and the rapat pack take an indicator's
name, definition, direction, minimum n and colour from here; its target comes from the
targets register (`dashboard.catalogue.targets`) with the source beside the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dashboard.catalogue.registers import register_source
from dashboard.catalogue.targets import Reference, next_target
from dashboard.theme import CONTEXT_GREY, INDICATOR_COLORS, OKABE_ITO

Period = Literal["bulanan", "posisi terakhir", "tahunan"]
# What a number is used for: shown as a plain value, ranked, coloured on a map, lit on the Scorecard.
Use = Literal["nilai", "peringkat", "peta", "lampu", "banding"]
AreaLevel = Literal["kabupaten", "kecamatan", "puskesmas", "desa", "posyandu"]
USE_LABELS: dict[str, str] = {
    "nilai": "angka ditampilkan",
    "peringkat": "peringkat",
    "peta": "warna peta",
    "lampu": "lampu Scorecard",
    "banding": "perbandingan dua periode",
}


@dataclass(frozen=True)
class MinimumN:
    """The least n (in ``unit``) behind a rate before it is used one way, at one area level.

    ``rules`` holds (use, level or None for every level, n); the most specific rule wins and a
    use without a rule needs n ≥ 1 (any data). A rate under the minimum is still shown with
    its n where the use is "nilai"; it is not ranked, coloured or lit.
    """

    unit: str
    rules: tuple[tuple[Use, AreaLevel | None, int], ...]

    def at(self, use: Use, level: AreaLevel | None = None) -> int:
        exact = [n for u, lv, n in self.rules if u == use and lv == level and level is not None]
        general = [n for u, lv, n in self.rules if u == use and lv is None]
        return (exact or general or [1])[0]

    def describe(self) -> str:
        """ "peringkat, warna peta, lampu Scorecard: ≥ 30 balita diukur; angka ditampilkan (posyandu): ≥ 10 balita diukur" """
        by_n: dict[str, list[str]] = {}
        for use, level, n in self.rules:
            label = USE_LABELS[use] + (f" ({level})" if level else "")
            by_n.setdefault(f"{n:,}".replace(",", ".") + f" {self.unit}", []).append(label)
        return "; ".join(f"{', '.join(uses)}: ≥ {n}" for n, uses in by_n.items())


E_PPGBM = register_source("eppgbm")
MONTHLY_REPORT = register_source("monthly_report")
POSYANDU_MASTER = register_source("posyandu", "legalitas dan registrasi")
KADER_REGISTER = register_source("kader")
SPM_REGISTER = register_source("spm_service")
INDEX_REGISTER = register_source("desa_index")
MENTORING_REGISTER = register_source("mentoring_visit")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str  # Bahasa, as in a title or a legend
    short_name: str  # where space is short (table headers, the projector)
    definition: str
    numerator: str
    denominator: str
    unit: str  # "%" or what a value counts
    source_register: str
    period: Period
    higher_is_better: bool
    color: str
    decimals: int = 1
    minimum_n: MinimumN | None = None  # None: any n is used every way (counts, indices)

    def min_n(self, use: Use, level: AreaLevel | None = None) -> int:
        """The least n for this use at this level (1 when the catalogue sets none)."""
        return self.minimum_n.at(use, level) if self.minimum_n else 1

    @property
    def min_n_unit(self) -> str:
        return self.minimum_n.unit if self.minimum_n else ""

    @property
    def direction_text(self) -> str:
        return "makin tinggi makin baik" if self.higher_is_better else "makin rendah makin baik"

    def target(self, year: int) -> Reference | None:
        """The sourced target for data of `year` (or the next one published), else None."""
        return next_target(self.code, year)


# A rate of fewer than 30 children swings by several points month to month (at 15% prevalence
# the 95% interval of 30 children is about ±13 points): not ranked, coloured or lit below it.
CHILD_RATE_MIN_N = MinimumN(
    "balita diukur",
    (("peringkat", None, 30), ("peta", None, 30), ("lampu", None, 30), ("banding", None, 30)),
)
# Dashboard working values for the Scorecard's lights (no national rule): a kecamatan's D/S on
# fewer than 30 sasaran, participation of fewer than 10 kader or a share of fewer than 5
# posyandu moves by 3–20 points with one child, kader or posyandu.
MIN_CHILDREN_FOR_RANK = CHILD_RATE_MIN_N.at("peringkat")
DS_MIN_N = MinimumN("balita sasaran (S)", (("lampu", None, 30),))
KADER_MIN_N = MinimumN("kader terdaftar", (("lampu", None, 10),))
POSYANDU_SHARE_MIN_N = MinimumN("posyandu di master", (("lampu", None, 5),))
MENTORING_RECENT_MONTHS = 3  # "recent" mentoring visits: this month and the two before

_INDICATORS = (
    Indicator(
        code="stunting",
        name="Prevalensi stunting",
        short_name="Stunting",
        definition="Balita 0–59 bulan dengan tinggi/panjang menurut umur (TB/U) di bawah −2 SD standar WHO 2006 "
        "(pendek dan sangat pendek), dari pengukuran terakhir tiap anak dalam bulan itu.",
        numerator="Balita dengan z-skor TB/U < −2 SD (nilai yang masuk akal menurut WHO)",
        denominator="Balita 0–59 bulan yang diukur dengan z-skor TB/U yang masuk akal",
        unit="%",
        source_register=E_PPGBM,
        period="bulanan",
        higher_is_better=False,
        color=INDICATOR_COLORS["stunting"],
        minimum_n=CHILD_RATE_MIN_N,
    ),
    Indicator(
        code="severe_stunting",
        name="Prevalensi sangat pendek",
        short_name="Sangat pendek",
        definition="Balita 0–59 bulan dengan TB/U di bawah −3 SD standar WHO 2006.",
        numerator="Balita dengan z-skor TB/U < −3 SD",
        denominator="Balita 0–59 bulan yang diukur dengan z-skor TB/U yang masuk akal",
        unit="%",
        source_register=E_PPGBM,
        period="bulanan",
        higher_is_better=False,
        color=OKABE_ITO["reddish_purple"],
        minimum_n=CHILD_RATE_MIN_N,
    ),
    Indicator(
        code="wasting",
        name="Prevalensi wasting (gizi kurang dan buruk)",
        short_name="Wasting",
        definition="Balita 0–59 bulan dengan berat menurut tinggi (BB/TB) di bawah −2 SD standar WHO 2006.",
        numerator="Balita dengan z-skor BB/TB < −2 SD",
        denominator="Balita 0–59 bulan yang diukur dengan z-skor BB/TB yang masuk akal",
        unit="%",
        source_register=E_PPGBM,
        period="bulanan",
        higher_is_better=False,
        color=INDICATOR_COLORS["wasting"],
        minimum_n=CHILD_RATE_MIN_N,
    ),
    Indicator(
        code="severe_wasting",
        name="Prevalensi wasting berat (gizi buruk)",
        short_name="Wasting berat",
        definition="Balita 0–59 bulan dengan BB/TB di bawah −3 SD standar WHO 2006; balita dengan edema "
        "dihitung di sini seperti WHO Anthro.",
        numerator="Balita dengan z-skor BB/TB < −3 SD atau edema",
        denominator="Balita 0–59 bulan yang diukur dengan z-skor BB/TB yang masuk akal (atau edema)",
        unit="%",
        source_register=E_PPGBM,
        period="bulanan",
        higher_is_better=False,
        color=OKABE_ITO["orange"],
        minimum_n=CHILD_RATE_MIN_N,
    ),
    Indicator(
        code="overweight",
        name="Prevalensi overweight (gizi lebih)",
        short_name="Overweight",
        definition="Balita 0–59 bulan dengan BB/TB di atas +2 SD standar WHO 2006.",
        numerator="Balita dengan z-skor BB/TB > +2 SD",
        denominator="Balita 0–59 bulan yang diukur dengan z-skor BB/TB yang masuk akal (atau edema)",
        unit="%",
        source_register=E_PPGBM,
        period="bulanan",
        higher_is_better=False,
        color=OKABE_ITO["sky_blue"],
        minimum_n=CHILD_RATE_MIN_N,
    ),
    Indicator(
        code="underweight",
        name="Prevalensi underweight (berat badan kurang)",
        short_name="Underweight",
        definition="Balita 0–59 bulan dengan berat menurut umur (BB/U) di bawah −2 SD standar WHO 2006.",
        numerator="Balita dengan z-skor BB/U < −2 SD",
        denominator="Balita 0–59 bulan yang diukur dengan z-skor BB/U yang masuk akal",
        unit="%",
        source_register=E_PPGBM,
        period="bulanan",
        higher_is_better=False,
        color=INDICATOR_COLORS["underweight"],
        minimum_n=CHILD_RATE_MIN_N,
    ),
    Indicator(
        code="ds_ratio",
        name="Partisipasi masyarakat (D/S)",
        short_name="D/S",
        definition="Balita yang ditimbang di posyandu bulan itu dibagi balita sasaran (SKDN).",
        numerator="D: balita ditimbang bulan ini",
        denominator="S: balita sasaran di wilayah posyandu",
        unit="%",
        source_register=MONTHLY_REPORT,
        period="bulanan",
        higher_is_better=True,
        color=INDICATOR_COLORS["ds_ratio"],
        minimum_n=DS_MIN_N,
    ),
    Indicator(
        code="kader_participation",
        name="Partisipasi kader",
        short_name="Kader hadir",
        definition="Kader yang hadir pada hari buka posyandu dibagi kader terdaftar, atas posyandu yang buka "
        "(hari buka ≥ 1) pada bulan itu; posyandu yang tidak buka tidak masuk penyebut. Bila posyandu buka lebih "
        "dari sekali, dipakai rata-rata kader hadir per hari buka: setiap hari layanan dihitung sama dan hari "
        "dengan sedikit kader menurunkan angka (maksimum akan menyembunyikannya); angka bulanan di atas kader "
        "terdaftar berarti jumlah beberapa hari dan dibagi hari buka. Definisi dasbor ini; belum ada rumus "
        "nasional tunggal.",
        numerator="Kader hadir per hari buka (laporan bulanan), dijumlahkan atas posyandu yang buka",
        denominator="Kader terdaftar di posyandu yang buka bulan itu",
        unit="%",
        source_register=MONTHLY_REPORT,
        period="bulanan",
        higher_is_better=True,
        color=INDICATOR_COLORS["kader_participation"],
        minimum_n=KADER_MIN_N,
    ),
    Indicator(
        code="kader_active",
        name="Jumlah kader aktif",
        short_name="Kader aktif",
        definition="Jumlah orang (bukan tingkat partisipasi) yang tercatat aktif pada bulan itu di register kader: "
        "mulai aktif paling lambat akhir bulan dan belum berhenti sebelum awal bulan. Dibandingkan dengan norma "
        "kader per posyandu (register target); apakah pengurus ikut dihitung adalah setelan dengan bawaan di "
        "data/reference/norms.csv.",
        numerator="Kader aktif pada bulan itu",
        denominator="– (jumlah per posyandu)",
        unit="kader",
        source_register=KADER_REGISTER,
        period="bulanan",
        higher_is_better=True,
        color=INDICATOR_COLORS["kader_participation"],
        decimals=0,
    ),
    Indicator(
        code="registered",
        name="Posyandu teregistrasi Kemendagri",
        short_name="Teregistrasi",
        definition="Posyandu berstatus teregistrasi dengan nomor registrasi Kemendagri (Kepmendagri 2834/2025) pada "
        "akhir bulan, menurut master posyandu terakhir yang diterima sampai akhir bulan itu (setiap master disimpan "
        "sebagai snapshot, sehingga ada riwayat, Δ dan kemajuan terhadap batas 30 Juni 2025).",
        numerator="Posyandu dengan status teregistrasi dan nomor registrasi",
        denominator="Posyandu di master yang berlaku pada akhir bulan",
        unit="%",
        source_register=POSYANDU_MASTER,
        period="bulanan",
        higher_is_better=True,
        color=INDICATOR_COLORS["registered"],
        minimum_n=POSYANDU_SHARE_MIN_N,
    ),
    Indicator(
        code="legal_sk",
        name="Posyandu ber-SK pembentukan (legalitas)",
        short_name="Legalitas (SK)",
        definition="Posyandu yang punya SK pembentukan yang sah pada akhir bulan: nomor SK dan tanggal SK tercatat "
        "di master posyandu yang berlaku, dan tanggal SK tidak sesudah akhir bulan itu. Berbeda dari teregistrasi: "
        "posyandu ber-SK bisa masih menunggu registrasi Kemendagri, dan posyandu yang tercatat teregistrasi tanpa SK "
        "sah di master perlu diperiksa.",
        numerator="Posyandu dengan nomor dan tanggal SK pembentukan, tanggal SK ≤ akhir bulan",
        denominator="Posyandu di master yang berlaku pada akhir bulan",
        unit="%",
        source_register=POSYANDU_MASTER,
        period="bulanan",
        higher_is_better=True,
        color=OKABE_ITO["blue"],
        minimum_n=POSYANDU_SHARE_MIN_N,
    ),
    Indicator(
        code="legality",
        name="Legalitas lengkap",
        short_name="Legalitas",
        definition="Posyandu yang sudah melewati semua tahap berurutan: musyawarah desa, SK pembentukan, pengurus "
        "lengkap, daftar kader, diajukan, terverifikasi dan teregistrasi. Registrasi mensyaratkan musdes dan SK, "
        "jadi di master yang diterima angkanya sama dengan teregistrasi; skor prioritas desa menyebut berapa "
        "posyandu di belakang persentasenya.",
        numerator="Posyandu dengan legalitas lengkap",
        denominator="Posyandu di master yang berlaku pada akhir bulan",
        unit="%",
        source_register=POSYANDU_MASTER,
        period="bulanan",
        higher_is_better=True,
        color=OKABE_ITO["blue"],
    ),
    Indicator(
        code="spm_fields_declared",
        name="Bidang SPM dinyatakan",
        short_name="Bidang dinyatakan",
        definition="Bidang SPM (dari 6) yang tercantum untuk posyandu di master posyandu yang berlaku pada akhir "
        "bulan; pernyataan, bukan layanan. Per bidang: posyandu yang menyatakannya; per posyandu: jumlah bidang.",
        numerator="Bidang SPM tercantum di master (per posyandu), atau posyandu yang mencantumkan bidang itu",
        denominator="Posyandu di master yang berlaku pada akhir bulan",
        unit="bidang",
        source_register=POSYANDU_MASTER,
        period="bulanan",
        higher_is_better=True,
        color=CONTEXT_GREY,
    ),
    Indicator(
        code="spm_fields",
        name="Bidang SPM dilayani",
        short_name="Bidang SPM dilayani",
        definition="Bidang SPM (dari 6) dengan sedikitnya satu indikator layanan bernilai > 0 di laporan layanan "
        "6 SPM bulan itu; posyandu yang tidak melapor dihitung 0 bidang. Rerata atas semua posyandu di master. "
        "Cakupan hanya bila register memuat penyebut (balita ditimbang ÷ balita sasaran S); indikator lain "
        "ditampilkan sebagai jumlah, masing-masing dengan skalanya, tidak pernah dijumlahkan antarindikator.",
        numerator="Bidang SPM dengan layanan > 0, dijumlahkan atas posyandu",
        denominator="Posyandu di master yang berlaku pada akhir bulan",
        unit="bidang",
        source_register=SPM_REGISTER,
        period="bulanan",
        higher_is_better=True,
        color=OKABE_ITO["bluish_green"],
    ),
    Indicator(
        code="basic_services_index",
        name="Indeks Layanan Dasar desa",
        short_name="Layanan Dasar",
        definition="Dimensi Layanan Dasar Indeks Desa (0–100); bila belum ada, IDM (0–1). Kelurahan tidak punya IDM.",
        numerator="–",
        denominator="–",
        unit="indeks",
        source_register=INDEX_REGISTER,
        period="tahunan",
        higher_is_better=True,
        color=OKABE_ITO["yellow"],
    ),
    Indicator(
        code="mentoring_visits",
        name="Kunjungan pendampingan",
        short_name="Kunjungan",
        definition="Kunjungan tim pendamping ke desa dan posyandu, dihitung per tim dan per bulan.",
        numerator="Kunjungan tercatat",
        denominator="– (jumlah)",
        unit="kunjungan",
        source_register=MENTORING_REGISTER,
        period="bulanan",
        higher_is_better=True,
        color=OKABE_ITO["blue"],
        decimals=0,
    ),
    Indicator(
        code="priority_score",
        name="Skor prioritas pendampingan",
        short_name="Skor prioritas",
        definition="Skor 0–100 (100 = paling perlu didampingi): rata-rata tertimbang peringkat stunting, "
        "Layanan Dasar, D/S, partisipasi kader dan legalitas; bobot dapat diubah di halaman Prioritas.",
        numerator="–",
        denominator="–",
        unit="skor",
        source_register="Gabungan register di atas",
        period="bulanan",
        higher_is_better=False,
        color=INDICATOR_COLORS["priority_score"],
    ),
)

INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in _INDICATORS}


def indicator(code: str) -> Indicator:
    return INDICATORS[code]
