"""One entry per indicator shown on the dashboard, as DHIS2 keeps indicator metadata.

Pages, charts, map legends, the scorecard, exports and the rapat pack take an indicator's
name, definition, direction, minimum n and colour from here; its target comes from the
targets register (`dashboard.catalogue.targets`) with the source beside the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dashboard.catalogue.targets import Reference, next_target
from dashboard.theme import CONTEXT_GREY, INDICATOR_COLORS, OKABE_ITO

Period = Literal["bulanan", "posisi terakhir", "tahunan"]

E_PPGBM = "e-PPGBM (data rutin pengukuran balita)"
MONTHLY_REPORT = "Laporan bulanan posyandu (SIP Format 5–6)"
POSYANDU_MASTER = "Master posyandu (legalitas dan registrasi)"
KADER_REGISTER = "Register kader"
SPM_REGISTER = "Layanan 6 bidang SPM"
INDEX_REGISTER = "Indeks Desa / IDM"
MENTORING_REGISTER = "Kunjungan pendampingan"


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
    min_n: int | None = None  # below this many in the denominator a rate is shown but not ranked or coloured
    min_n_unit: str = ""

    @property
    def direction_text(self) -> str:
        return "makin tinggi makin baik" if self.higher_is_better else "makin rendah makin baik"

    def target(self, year: int) -> Reference | None:
        """The sourced target for data of `year` (or the next one published), else None."""
        return next_target(self.code, year)


MIN_CHILDREN_FOR_RANK = 30  # stunting rates of fewer children swing by several points month to month
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
        min_n=MIN_CHILDREN_FOR_RANK,
        min_n_unit="balita diukur",
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
        min_n=MIN_CHILDREN_FOR_RANK,
        min_n_unit="balita diukur",
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
        min_n=MIN_CHILDREN_FOR_RANK,
        min_n_unit="balita diukur",
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
        min_n=MIN_CHILDREN_FOR_RANK,
        min_n_unit="balita diukur",
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
        min_n=MIN_CHILDREN_FOR_RANK,
        min_n_unit="balita diukur",
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
        min_n=MIN_CHILDREN_FOR_RANK,
        min_n_unit="balita diukur",
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
