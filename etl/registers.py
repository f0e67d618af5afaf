"""The registers we accept: file patterns, headers (with aliases), types. See docs/registers.md."""

from __future__ import annotations

from dataclasses import dataclass, field

SPM_FIELDS = ("KES", "PEND", "PU", "PERKIM", "TRANTIB", "SOS")
SPM_FIELD_NAMES = {
    "KES": "Kesehatan",
    "PEND": "Pendidikan",
    "PU": "Pekerjaan Umum",
    "PERKIM": "Perumahan Rakyat",
    "TRANTIB": "Ketenteraman, Ketertiban Umum & Linmas",
    "SOS": "Sosial",
}
REGISTRATION_STATUSES = ("belum", "diajukan", "terverifikasi", "teregistrasi")
POSYANDU_STRATA = ("Pratama", "Madya", "Purnama", "Mandiri")  # old Kemenkes strata; aktif = Purnama or Mandiri
INTEGRATION_STATUSES = ("belum", "dalam proses", "terintegrasi")  # into one posyandu for the whole life cycle
TRAINING_THEMES = (
    "Manajemen Pelayanan Dasar",
    "Gizi Balita",
    "Pencatatan Data Kesehatan",
    "Komunikasi Sosial",
)
INDEX_NAMES = ("IDM", "Indeks Desa", "Indeks Desa - Layanan Dasar")
INDEX_STATUSES = ("Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal")
# Where a desa's money for posyandu comes from: APBDes income (Dana Desa, Alokasi Dana Desa,
# the desa's own income, transfers) or, for a kelurahan, its Dana Kelurahan from the APBD.
FUNDING_SOURCES = ("Dana Desa", "ADD", "PADes", "Bantuan Keuangan", "Dana Kelurahan", "Lainnya")
MAX_BUDGET_RP = 2_000_000_000  # a whole desa's Dana Desa is about Rp 1 miliar


@dataclass(frozen=True)
class Field:
    """One column of a register.

    kind: text | id | int | decimal | rupiah | date | month | year | sex | measure | enum
          | spm_list | kecamatan | desa | desa_code | nik | personal
    (desa_code: a Kemendagri desa code typed beside the names, kept as typed; a row whose code
    names another desa or kecamatan than its names is rejected, see etl/desa_codes.py)
    (rupiah: whole rupiah; "Rp 12.500.000", "12.500.000,00" and "12500000" all read 12,500,000)
    required: a row whose value is missing or invalid is rejected; otherwise the value is
    blanked and the blanking is recorded.
    masked: personal data of another kind (a birth date): like nik/personal values, never
    copied into a rejection.
    """

    name: str
    headers: tuple[str, ...]
    kind: str = "text"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    sentinels: tuple[float, ...] = ()
    masked: bool = False


@dataclass(frozen=True)
class Register:
    name: str
    label: str  # Bahasa, for messages
    patterns: tuple[str, ...]  # glob patterns relative to the source folder
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()  # natural key, duplicates beyond the first are rejected
    exclude: tuple[str, ...] = field(default=())  # name fragments that belong to another register
    ignored: tuple[str, ...] = ()  # columns of the usual export that we do not read (not reported)

    @property
    def key_headers(self) -> set[str]:
        return {f.headers[0] for f in self.fields if f.required}


# English headers of exports translated by hand or made by English-language tools
# (BPS translates kecamatan as "subdistrict"; many tools say "district").
_EN_KECAMATAN = ("Subdistrict", "Sub-district", "District")
_EN_DESA = ("Village",)

_AREA = (
    Field("kecamatan", ("Kecamatan", "Kec", "Nama Kecamatan", *_EN_KECAMATAN), "kecamatan", required=True),
    Field("desa", ("Desa/Kelurahan", "Desa/Kel", "Desa", "Kelurahan", "Nama Desa", *_EN_DESA), "desa", required=True),
)

EPPGBM = Register(
    name="eppgbm",
    label="e-PPGBM (pengukuran balita by name)",
    patterns=("eppgbm/**/*", "*ppgbm*", "*PPGBM*"),
    fields=(
        Field("nik", ("NIK",), "nik"),
        Field("child_name", ("Nama", "Nama Anak", "Nama Balita", "Name", "Child Name", "Child's Name"), "personal"),
        Field("sex", ("JK", "Jenis Kelamin", "L/P", "Sex", "Gender"), "sex", required=True),
        Field(
            "birth_date",
            ("Tgl Lahir", "Tanggal Lahir", "Date of Birth", "Birth Date", "DOB"),
            "date",
            required=True,
            masked=True,
        ),
        Field(
            "parent_name",
            ("Nama Ortu", "Nama Orang Tua", "Nama Ibu", "Parent Name", "Mother Name", "Mother's Name"),
            "personal",
        ),
        Field("kecamatan", ("Kec", "Kecamatan", *_EN_KECAMATAN), "kecamatan", required=True),
        Field("puskesmas", ("Pukesmas", "Puskesmas", "Health Center", "Health Centre"), "text"),
        Field("desa", ("Desa/Kel", "Kelurahan", "Desa", "Desa/Kelurahan", *_EN_DESA), "desa", required=True),
        Field("posyandu_name", ("Posyandu",), "text"),
        Field("address", ("Alamat", "Address"), "personal"),
        Field(
            "measured_on",
            (
                "Tanggal Pengukuran",
                "Tgl Pengukuran",
                "Tanggal Ukur",
                "Tgl Ukur",
                "Measurement Date",
                "Date of Measurement",
            ),
            "date",
            required=True,
        ),
        Field(
            "weight_kg",
            ("Berat", "Berat (kg)", "BB", "BB (kg)", "Berat Badan", "Weight", "Weight (kg)"),
            "decimal",
            minimum=0.5,
            maximum=40,
            sentinels=(0, 999, 9999, 8888),
        ),
        Field(
            "height_cm",
            (
                "Tinggi",
                "Tinggi (cm)",
                "TB",
                "TB (cm)",
                "Tinggi Badan",
                "TB/PB",
                "PB/TB",
                "Panjang/Tinggi Badan",
                "Height",
                "Height (cm)",
                "Length/Height (cm)",
            ),
            "decimal",
            minimum=35,
            maximum=140,
            sentinels=(0, 999, 9999, 8888),
        ),
        Field("measure", ("Cara Ukur", "Measurement Position"), "measure"),
        Field(
            "muac_cm",
            ("LiLA", "LiLA (cm)", "MUAC", "MUAC (cm)"),
            "decimal",
            minimum=5,
            maximum=30,
            sentinels=(0, 99, 999, 8888),
        ),
        Field("export_waz", ("ZS BB/U",), "decimal", minimum=-20, maximum=20),
        Field("export_haz", ("ZS TB/U",), "decimal", minimum=-20, maximum=20),
        Field("export_whz", ("ZS BB/TB",), "decimal", minimum=-20, maximum=20),
        Field("weight_gain", ("Naik Berat Badan",), "enum", choices=("N", "T", "O", "B")),
    ),
    key=("child_key", "measured_on"),
    ignored=(
        "No",
        "BB Lahir",
        "TB Lahir",
        "Prov",
        "Kab/Kota",
        "RT",
        "RW",
        "Usia Saat Ukur",
        "Bulan Pengukuran",
        "Status Bulan",
        "status tahun",
        "BB/U",
        "TB/U",
        "BB/TB",
        "PMT Diterima (kg)",
        "Jml Vit A",
        "KPSP",
        "KIA",
        "Detail Status",
        "status desa",
    ),  # fmt: skip
)

POSYANDU = Register(
    name="posyandu",
    label="Master posyandu",
    patterns=("posyandu*",),
    fields=(
        Field("posyandu_id", ("ID Posyandu", "Kode Posyandu"), "id", required=True),
        Field("posyandu_name", ("Nama Posyandu",), "text", required=True),
        *_AREA,
        Field(
            "legacy_type",
            ("Jenis", "Jenis Lama", "Jenis Posyandu"),
            "enum",
            choices=("Balita", "Remaja", "Lansia", "Keluarga", "Posbindu"),
        ),
        Field("spm_fields", ("Bidang SPM",), "spm_list"),
        Field("sk_number", ("No SK Pembentukan", "Nomor SK"), "text"),
        Field("sk_date", ("Tgl SK Pembentukan", "Tanggal SK"), "date"),
        Field("musdes_date", ("Tgl Musdes", "Tanggal Musdes"), "date"),
        Field("kemendagri_reg_number", ("No Registrasi Kemendagri", "Nomor Registrasi"), "text"),
        Field("registration_status", ("Status Registrasi",), "enum", choices=REGISTRATION_STATUSES),
        Field("puskesmas", ("Puskesmas",), "text"),
        # optional: many masters do not carry them; pages say so when every value is empty
        Field("strata", ("Strata", "Strata Posyandu"), "enum", choices=POSYANDU_STRATA),
        Field("integration_status", ("Status Integrasi", "Integrasi"), "enum", choices=INTEGRATION_STATUSES),
        Field("lat", ("Latitude", "Lat"), "decimal", minimum=-2.0, maximum=1.5),
        Field("lon", ("Longitude", "Lon", "Long"), "decimal", minimum=115.0, maximum=118.0),
        # The day the master describes; blank: a date in the file name, else the latest data month
        # (etl/transform/snapshots.py). Each master received is kept as one snapshot.
        Field("snapshot_date", ("Tanggal Data", "Keadaan Per", "Per Tanggal"), "date"),
    ),
    key=("posyandu_id", "snapshot_date"),
)

KADER = Register(
    name="kader",
    label="Register kader",
    patterns=("kader*",),
    exclude=("pelatihan",),
    fields=(
        Field("kader_id", ("ID Kader",), "id", required=True),
        Field("posyandu_id", ("ID Posyandu",), "id", required=True),
        Field("role", ("Peran", "Jabatan"), "enum", choices=("Ketua", "Sekretaris", "Bendahara", "Anggota")),
        Field("spm_field", ("Bidang SPM",), "enum", choices=SPM_FIELDS),
        Field("active_from", ("Mulai Aktif",), "date"),
        Field("active_to", ("Berhenti Aktif",), "date"),
    ),
    key=("kader_id",),
)

TRAINING = Register(
    name="kader_training",
    label="Pelatihan kader",
    patterns=("pelatihan*",),
    fields=(
        Field("kader_id", ("ID Kader",), "id", required=True),
        Field("theme", ("Tema", "Tema Pelatihan"), "enum", required=True, choices=TRAINING_THEMES),
        Field("trained_on", ("Tanggal", "Tanggal Pelatihan"), "date", required=True),
        Field("organiser", ("Penyelenggara",), "text"),
    ),
    key=("kader_id", "theme", "trained_on"),
)

MONTHLY_REPORT = Register(
    name="monthly_report",
    label="Laporan bulanan posyandu",
    patterns=("laporan_bulanan*", "laporan bulanan*"),
    fields=(
        Field("posyandu_id", ("ID Posyandu",), "id", required=True),
        Field("month", ("Bulan", "Periode"), "month", required=True),
        Field("days_open", ("Hari Buka",), "int", minimum=0, maximum=31),
        *(Field(c.lower(), (c,), "int", minimum=0, maximum=5000) for c in ("S", "K", "D", "N", "T", "O", "B", "BGM")),
        Field("kader_registered", ("Kader Terdaftar",), "int", minimum=0, maximum=200),
        Field("kader_present", ("Kader Hadir",), "int", minimum=0, maximum=200),
    ),
    key=("posyandu_id", "month"),
)

SPM_SERVICE = Register(
    name="spm_service",
    label="Layanan 6 SPM",
    patterns=("layanan_spm*", "layanan spm*"),
    fields=(
        Field("posyandu_id", ("ID Posyandu",), "id", required=True),
        Field("month", ("Bulan", "Periode"), "month", required=True),
        Field("spm_field", ("Bidang SPM",), "enum", required=True, choices=SPM_FIELDS),
        Field("indicator", ("Indikator",), "text", required=True),
        Field("value", ("Nilai", "Jumlah"), "decimal", required=True, minimum=0),
    ),
    key=("posyandu_id", "month", "spm_field", "indicator"),
)

DESA_INDEX = Register(
    name="desa_index",
    label="Indeks desa (IDM / Indeks Desa)",
    patterns=("indeks_desa*", "indeks desa*", "idm*"),
    fields=(
        Field("kode_desa_raw", ("Kode Desa",), "text"),
        Field("kecamatan", ("Kecamatan",), "kecamatan", required=True),
        Field("desa", ("Desa/Kelurahan", "Desa", "Kelurahan"), "desa", required=True),
        Field("index_name", ("Indeks",), "enum", required=True, choices=INDEX_NAMES),
        Field("year", ("Tahun",), "year", required=True),
        Field("value", ("Nilai",), "decimal", required=True, minimum=0, maximum=100),
        Field("status", ("Status",), "enum", choices=INDEX_STATUSES),
        Field("source", ("Sumber",), "text"),
    ),
    key=("kode_desa", "index_name", "year"),
)

OFFICIAL_STUNTING = Register(
    name="official_stunting",
    label="Angka stunting resmi (survei)",
    patterns=("stunting_resmi*", "stunting resmi*"),
    fields=(
        Field("year", ("Tahun",), "year", required=True),
        Field("area", ("Wilayah",), "text", required=True),
        Field("value_pct", ("Nilai (%)", "Nilai", "Prevalensi"), "decimal", required=True, minimum=0, maximum=100),
        Field("source", ("Sumber",), "text", required=True),
        Field("kind", ("Jenis",), "enum", choices=("survei", "rutin")),
    ),
    key=("year", "area", "source"),
)

MENTORING_TEAM = Register(
    name="mentoring_team",
    label="Tim pendamping",
    patterns=("tim_pendamping*", "tim pendamping*"),
    fields=(
        Field("team", ("Tim", "Nama Tim"), "text", required=True),
        Field("kecamatan", ("Kecamatan",), "kecamatan", required=True),
        Field("lead_role", ("Ketua Tim",), "text"),
    ),
    key=("team", "kode_kec"),
)

MENTORING_VISIT = Register(
    name="mentoring_visit",
    label="Kunjungan pendampingan",
    patterns=("kunjungan*",),
    fields=(
        Field("team", ("Tim",), "text", required=True),
        *_AREA,
        Field("posyandu_id", ("ID Posyandu",), "id"),
        Field("visited_on", ("Tanggal", "Tanggal Kunjungan"), "date", required=True),
        Field("topic", ("Topik",), "text"),
    ),
)

DESA_BUDGET = Register(
    name="desa_budget",
    label="Anggaran posyandu desa (APBDes)",
    patterns=("anggaran_posyandu*", "anggaran posyandu*", "apbdes*"),
    fields=(
        Field("year", ("Tahun", "Tahun Anggaran"), "year", required=True),
        Field("kode_desa_raw", ("Kode Desa", "Kode Wilayah"), "desa_code"),
        *_AREA,
        Field("source", ("Sumber", "Sumber Dana"), "enum", required=True, choices=FUNDING_SOURCES),
        Field(
            "posyandu_allocation_rp",
            ("Alokasi Posyandu (Rp)", "Alokasi Posyandu", "Anggaran Posyandu"),
            "rupiah",
            required=True,
            minimum=0,
            maximum=MAX_BUDGET_RP,
        ),
        Field(
            "kader_incentive_rp",
            ("Insentif Kader (Rp)", "Insentif Kader"),
            "rupiah",
            required=True,
            minimum=0,
            maximum=MAX_BUDGET_RP,
        ),
    ),
    key=("kode_desa", "year", "source"),
)

REGISTERS: tuple[Register, ...] = (
    POSYANDU,
    KADER,
    TRAINING,
    MONTHLY_REPORT,
    SPM_SERVICE,
    DESA_INDEX,
    OFFICIAL_STUNTING,
    MENTORING_TEAM,
    MENTORING_VISIT,
    DESA_BUDGET,
    EPPGBM,
)
