"""Posyandu master (posyandu.xlsx): where each posyandu is, its legacy type, SPM fields,
legality pipeline, puskesmas and coordinates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from etl.sample.areas import (
    KECAMATAN_PROFILES,
    compute_desa_weights,
    list_desa,
    normalise_name,
    sample_points_in_desa,
)
from etl.sample.streams import make_rng

MASTER_FILE = "posyandu.xlsx"
MASTER_COLUMNS = [
    "ID Posyandu",
    "Nama Posyandu",
    "Kecamatan",
    "Desa/Kelurahan",
    "Jenis",
    "Bidang SPM",
    "No SK Pembentukan",
    "Tgl SK Pembentukan",
    "Tgl Musdes",
    "No Registrasi Kemendagri",
    "Status Registrasi",
    "Puskesmas",
    "Latitude",
    "Longitude",
]
# Optional columns (docs/registers.md) carried by the newest master only: the earlier
# snapshots were kept before DPMD recorded them.
OPTIONAL_COLUMNS = ["Strata", "Status Integrasi"]
SPM_FIELDS = ["KES", "PEND", "PU", "PERKIM", "TRANTIB", "SOS"]
LEGACY_COUNTS = {"Balita": 806, "Lansia": 52, "Remaja": 20, "Posbindu": 14, "Keluarga": 8}
BALITA_SHARE_OF_POPULATION = 0.085
POSYANDU_COVERAGE = 0.85  # share of balita registered at a posyandu (others: clinics, none)

# 32 puskesmas: (name, seat desa code). Names follow "Puskesmas <place>"; the split of
# kecamatan into puskesmas areas is synthetic.
PUSKESMAS: dict[str, list[tuple[str, str]]] = {
    "64.02.01": [("Puskesmas Muara Muntai", "64.02.01.2008")],
    "64.02.02": [("Puskesmas Loa Kulu", "64.02.02.2004"), ("Puskesmas Jonggon", "64.02.02.2009")],
    "64.02.03": [("Puskesmas Loa Janan", "64.02.03.2003"), ("Puskesmas Loa Duri", "64.02.03.2007")],
    "64.02.04": [("Puskesmas Anggana", "64.02.04.2005"), ("Puskesmas Sungai Meriam", "64.02.04.2006")],
    "64.02.05": [("Puskesmas Muara Badak", "64.02.05.2004"), ("Puskesmas Badak Baru", "64.02.05.2007")],
    "64.02.06": [
        ("Puskesmas Tenggarong", "64.02.06.1005"),
        ("Puskesmas Loa Ipuh", "64.02.06.1002"),
        ("Puskesmas Mangkurawang", "64.02.06.1010"),
    ],
    "64.02.07": [("Puskesmas Sebulu", "64.02.07.2005"), ("Puskesmas Segihan", "64.02.07.2006")],
    "64.02.08": [("Puskesmas Kota Bangun", "64.02.08.2006")],
    "64.02.09": [("Puskesmas Kenohan", "64.02.09.2008")],
    "64.02.10": [("Puskesmas Kembang Janggut", "64.02.10.2004"), ("Puskesmas Kelekat", "64.02.10.2005")],
    "64.02.11": [("Puskesmas Muara Kaman", "64.02.11.2001"), ("Puskesmas Sidomukti", "64.02.11.2012")],
    "64.02.12": [("Puskesmas Tabang", "64.02.12.2012"), ("Puskesmas Muara Ritan", "64.02.12.2003")],
    "64.02.13": [("Puskesmas Samboja", "64.02.13.1010"), ("Puskesmas Handil Baru", "64.02.13.1012")],
    "64.02.14": [("Puskesmas Muara Jawa", "64.02.14.1008")],
    "64.02.15": [("Puskesmas Sanga-Sanga", "64.02.15.1005")],
    "64.02.16": [
        ("Puskesmas Tenggarong Seberang", "64.02.16.2012"),
        ("Puskesmas Separi", "64.02.16.2006"),
    ],
    "64.02.17": [("Puskesmas Marang Kayu", "64.02.17.2006")],
    "64.02.18": [("Puskesmas Muara Wis", "64.02.18.2001")],
    "64.02.19": [("Puskesmas Kota Bangun Darat", "64.02.19.2005")],
    "64.02.20": [("Puskesmas Sungai Merdeka", "64.02.20.1002")],
}

BALITA_NAMES = (
    "Mawar|Melati|Anggrek|Dahlia|Kenanga|Cempaka|Flamboyan|Teratai|Seroja|Kemuning|Tulip|"
    "Sakura|Bougenville|Asoka|Kamboja|Lili|Nusa Indah|Bunga Tanjung|Harapan Bunda|Kasih Ibu|"
    "Permata Hati|Tunas Harapan|Pelita Hati|Sehat Sejahtera|Buah Hati|Cinta Kasih|Mekar Sari|"
    "Bina Sehat|Sayang Ibu|Tunas Bangsa|Srikandi|Kartini|Nuri|Merpati|Cendrawasih|Pesut|"
    "Durian|Rambutan|Mangga|Manggis|Belimbing|Jeruk|Pepaya|Nanas|Delima|Matahari|Bintang|"
    "Pelangi|Purnama|Mentari|Beringin|Cemara|Bakung|Mawar Putih|Melati Indah|Anggrek Bulan|"
    "Kenari|Garuda|Rajawali|Tanjung|Kemangi|Sedap Malam|Harapan Jaya|Sejahtera|Manunggal"
).split("|")
OTHER_NAMES = {
    "Lansia": ["Lansia Bahagia", "Lansia Sehat", "Lansia Sejahtera", "Lansia Ceria", "Werdha Mulia"],
    "Remaja": ["Remaja Ceria", "Remaja Tunas Bangsa", "Remaja Generasi Emas", "Remaja Sehat"],
    "Posbindu": ["Posbindu PTM Sehat", "Posbindu Sehat Bersama", "Posbindu Bina Sehat"],
    "Keluarga": ["Keluarga Sejahtera", "Keluarga Harapan", "Keluarga Bahagia"],
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def allocate(total: int, weights: np.ndarray, minimum: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights`, each at least `minimum`."""
    ideal = total * weights / weights.sum()
    counts = np.maximum(minimum, np.floor(ideal)).astype(int)
    while counts.sum() < total:
        counts[int(np.argmax(ideal - counts))] += 1
    while counts.sum() > total:
        room = np.where(counts > minimum, ideal - counts, np.inf)
        counts[int(np.argmin(room))] -= 1
    return counts


def count_balita_posyandu_by_kecamatan(desa: pd.DataFrame) -> dict[str, int]:
    """Posyandu balita per kecamatan at scale 1: ∝ population^0.85, at least one per desa."""
    codes = sorted(KECAMATAN_PROFILES)
    weights = np.array([KECAMATAN_PROFILES[c].population ** 0.85 for c in codes], dtype=float)
    n_desa = desa.groupby("kode_kec").size().reindex(codes).to_numpy()
    counts = allocate(LEGACY_COUNTS["Balita"], weights, n_desa)
    return dict(zip(codes, counts.tolist(), strict=True))


def children_per_posyandu(kode_kec: str, balita_counts: dict[str, int]) -> float:
    """Mean balita registered at one posyandu balita of this kecamatan."""
    profile = KECAMATAN_PROFILES[kode_kec]
    return profile.population * BALITA_SHARE_OF_POPULATION * POSYANDU_COVERAGE / balita_counts[kode_kec]


def build_posyandu(desa: pd.DataFrame, shapes: pd.DataFrame | None, seed: int, scale: float) -> pd.DataFrame:
    """The posyandu master plus sample-only columns (codes, SPM field start months, tier)."""
    rng = make_rng(seed, "posyandu")
    weights = compute_desa_weights(desa, shapes)
    codes = sorted(KECAMATAN_PROFILES)
    balita_scale1 = count_balita_posyandu_by_kecamatan(desa)

    n_balita = max(len(codes), round(LEGACY_COUNTS["Balita"] * scale))
    per_kec = allocate(
        n_balita,
        np.array([balita_scale1[c] for c in codes], dtype=float),
        np.ones(len(codes), dtype=int),
    )
    records: list[tuple[int, str]] = []  # (desa row, legacy type)
    for code, n in zip(codes, per_kec, strict=True):
        rows = np.flatnonzero(desa["kode_kec"].to_numpy() == code)
        w = weights[rows]
        if n >= len(rows):
            counts = allocate(int(n), w, np.ones(len(rows), dtype=int))
        else:
            chosen = rng.choice(len(rows), size=int(n), replace=False, p=w / w.sum())
            counts = np.bincount(chosen, minlength=len(rows))
        for r, c in zip(rows, counts, strict=True):
            records.extend((int(r), "Balita") for _ in range(int(c)))

    others = {k: v for k, v in LEGACY_COUNTS.items() if k != "Balita"}
    n_other = round(sum(others.values()) * scale)
    if n_other:
        type_counts = allocate(n_other, np.array(list(others.values()), float), np.zeros(len(others), int))
        pop = np.array([KECAMATAN_PROFILES[c].population for c in desa["kode_kec"]], dtype=float)
        urban = np.where(desa["jenis"].to_numpy() == "kelurahan", 2.0, 1.0)
        p = weights * pop * urban
        for legacy, count in zip(others, type_counts, strict=True):
            for r in rng.choice(len(desa), size=int(count), replace=True, p=p / p.sum()):
                records.append((int(r), legacy))

    frame = pd.DataFrame(records, columns=["desa_row", "legacy_type"])
    frame = frame.join(desa, on="desa_row")
    frame["type_order"] = frame["legacy_type"].map({k: i for i, k in enumerate(LEGACY_COUNTS)})
    frame = frame.sort_values(["kode_desa", "type_order"], kind="stable").reset_index(drop=True)
    width = max(4, len(str(len(frame))))  # IDs sort as text at any scale
    frame["posyandu_id"] = [f"P{i + 1:0{width}d}" for i in range(len(frame))]
    frame["seq_in_desa"] = frame.groupby("kode_desa").cumcount() + 1
    frame["tier"] = frame["kode_kec"].map(lambda c: KECAMATAN_PROFILES[c].tier)
    frame["posyandu_name"] = _make_names(frame, rng)
    frame["puskesmas"] = _assign_puskesmas(frame, desa, shapes)
    frame["lat"], frame["lon"] = _place(frame, desa, shapes, rng)
    _add_spm_fields(frame, rng)
    _add_legality(frame, rng)
    _add_strata_and_integration(frame, make_rng(seed, "strata"))
    return frame.drop(columns=["type_order"])


def _make_names(frame: pd.DataFrame, rng: np.random.Generator) -> list[str]:
    """Unique within a desa; some desa number a series ("Mawar I", "Mawar II")."""
    names: list[str] = []
    for _, group in frame.groupby("kode_desa", sort=False):
        balita_pool = [str(n) for n in rng.permutation(BALITA_NAMES)]
        n_balita = int((group["legacy_type"] == "Balita").sum())
        balita: list[str] = []
        refills = 1
        while len(balita) < n_balita:
            if not balita_pool:  # scale > 1: a desa with more posyandu than names
                refills += 1
                balita_pool = [f"{n} RT {refills:02d}" for n in rng.permutation(BALITA_NAMES)]
            base = balita_pool.pop()
            left = n_balita - len(balita)
            if left >= 2 and rng.random() < 0.15:
                size = min(left, int(rng.integers(2, 4)))
                balita.extend(f"{base} {ROMAN[i]}" for i in range(size))
            else:
                balita.append(base)
        used = set(balita)
        names.extend(balita)
        for legacy in group["legacy_type"].iloc[n_balita:]:
            pool = OTHER_NAMES[legacy]
            name = pool[int(rng.integers(len(pool)))]
            suffix = 2
            while name in used:
                name = f"{pool[0]} {suffix}"
                suffix += 1
            used.add(name)
            names.append(name)
    return names


def _assign_puskesmas(frame: pd.DataFrame, desa: pd.DataFrame, shapes: pd.DataFrame | None) -> list[str]:
    """Each desa belongs to the nearest puskesmas seat of its kecamatan."""
    desa_to_pkm: dict[str, str] = {}
    codes = desa["kode_desa"].tolist()
    if shapes is not None:
        points = shapes.to_crs(32750).geometry.representative_point()
        xy = {c: (p.x, p.y) for c, p in zip(codes, points, strict=True)}
    for kec, seats in PUSKESMAS.items():
        members = [c for c in codes if c.startswith(kec + ".")]
        for c in members:
            if shapes is not None:
                dist = [np.hypot(xy[c][0] - xy[s][0], xy[c][1] - xy[s][1]) for _, s in seats]
            else:
                dist = [abs(members.index(c) - members.index(s)) for _, s in seats]
            desa_to_pkm[c] = seats[int(np.argmin(dist))][0]
    return frame["kode_desa"].map(desa_to_pkm).tolist()


def _place(
    frame: pd.DataFrame, desa: pd.DataFrame, shapes: pd.DataFrame | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    if shapes is not None:
        return sample_points_in_desa(shapes, frame["desa_row"].to_numpy(), rng)
    # No polygons: an approximate point near the kecamatan (generate_sample warns).
    lat = np.array([KECAMATAN_PROFILES[c].lat for c in frame["kode_kec"]])
    lon = np.array([KECAMATAN_PROFILES[c].lon for c in frame["kode_kec"]])
    return (
        np.round(lat + rng.normal(0, 0.03, len(frame)), 6),
        np.round(lon + rng.normal(0, 0.03, len(frame)), 6),
    )


FIELD_COUNT_P = {
    0: [0.08, 0.16, 0.26, 0.20, 0.14, 0.16],
    1: [0.10, 0.19, 0.27, 0.19, 0.13, 0.12],
    2: [0.16, 0.24, 0.26, 0.16, 0.10, 0.08],
    3: [0.26, 0.28, 0.24, 0.11, 0.07, 0.04],
}
EXTRA_FIELD_P = np.array([0.30, 0.14, 0.12, 0.16, 0.28])  # PEND PU PERKIM TRANTIB SOS


def _add_spm_fields(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Fields served now (KES always) and the month index (0 = Nov 2023) each began."""
    fields: list[str] = []
    since: list[dict[str, int]] = []
    for tier in frame["tier"]:
        k = int(rng.choice(6, p=FIELD_COUNT_P[int(tier)])) + 1
        extra = rng.choice(5, size=k - 1, replace=False, p=EXTRA_FIELD_P)
        chosen = ["KES"] + [SPM_FIELDS[1 + i] for i in sorted(extra)]
        starts = {"KES": 0}
        for f in chosen[1:]:
            starts[f] = int(rng.integers(8, 23))  # Jul 2024 .. Sep 2025
        fields.append(";".join(chosen))
        since.append(starts)
    frame["spm_fields"] = fields
    frame["spm_since"] = since


REGISTRATION_P = {
    0: [0.05, 0.12, 0.12, 0.71],
    1: [0.08, 0.14, 0.13, 0.65],
    2: [0.12, 0.17, 0.15, 0.56],
    3: [0.18, 0.20, 0.15, 0.47],
}
STATUSES = ["belum", "diajukan", "terverifikasi", "teregistrasi"]


def _random_date(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def _add_legality(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Musdes → SK pembentukan → Kemendagri registration, realistic gaps per status."""
    status, musdes, sk_date, sk_no, reg_no = [], [], [], [], []
    for row in frame.itertuples():
        s = STATUSES[int(rng.choice(4, p=REGISTRATION_P[int(row.tier)]))]
        has_musdes = {"belum": 0.45, "diajukan": 0.95}.get(s, 1.0) > rng.random()
        has_sk = {"belum": 0.25, "diajukan": 0.92}.get(s, 1.0) > rng.random()
        m = sk = None
        if has_musdes:
            if s == "belum":
                m = _random_date(rng, dt.date(2025, 4, 1), dt.date(2025, 10, 15))
            else:
                m = _random_date(rng, dt.date(2024, 2, 1), dt.date(2025, 6, 10))
        if has_sk:
            if m is not None:
                sk = min(m + dt.timedelta(days=int(rng.integers(3, 46))), dt.date(2025, 10, 28))
            else:  # an old SK from before Permendagri 13/2024, never renewed
                sk = _random_date(rng, dt.date(2012, 1, 1), dt.date(2022, 12, 31))
        if sk is not None:
            issuer = "SK-LURAH" if row.jenis == "kelurahan" else "SK-KADES"
            number = f"{int(rng.integers(1, 250)):03d}/{issuer}/{ROMAN[sk.month - 1]}/{sk.year}"
        else:
            number = None
        if s == "teregistrasi":
            reg = f"{row.kode_desa.replace('.', '')}-{int(row.seq_in_desa):04d}"
        else:
            reg = None
        status.append(s)
        musdes.append(m)
        sk_date.append(sk)
        sk_no.append(number)
        reg_no.append(reg)
    frame["registration_status"] = status
    frame["musdes_date"] = musdes
    frame["sk_date"] = sk_date
    frame["sk_number"] = sk_no
    frame["kemendagri_reg_number"] = reg_no


STRATA = ["Pratama", "Madya", "Purnama", "Mandiri"]
STRATA_P = {  # old Kemenkes strata by remoteness tier: better-served kecamatan have more Purnama/Mandiri
    0: [0.04, 0.18, 0.46, 0.32],
    1: [0.07, 0.26, 0.45, 0.22],
    2: [0.12, 0.34, 0.40, 0.14],
    3: [0.20, 0.40, 0.32, 0.08],
}
STRATA_BLANK_P = 0.06  # some offices leave the column empty for a few posyandu
INTEGRATION = ["belum", "dalam proses", "terintegrasi"]


def _add_strata_and_integration(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Strata (from tier) and integration of the life-cycle posyandu into one posyandu.

    Integration follows the SPM fields: a posyandu serving four or more fields has mostly
    become the integrated posyandu; one serving KES alone mostly has not. A few cells stay
    empty, as in real masters.
    """
    strata: list[str | None] = []
    integration: list[str | None] = []
    for tier, fields in zip(frame["tier"], frame["spm_fields"], strict=True):
        level = STRATA[int(rng.choice(4, p=STRATA_P[int(tier)]))]
        strata.append(None if rng.random() < STRATA_BLANK_P else level)
        served = len(fields.split(";"))
        p_done = min(0.8, 0.05 + 0.12 * served)
        p_going = 0.35 if served >= 2 else 0.2
        u = rng.random()
        status = "terintegrasi" if u < p_done else ("dalam proses" if u < p_done + p_going else "belum")
        integration.append(None if rng.random() < STRATA_BLANK_P else status)
    frame["strata"] = strata
    frame["integration_status"] = integration


def to_master_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The register's columns, in the order of docs/registers.md."""
    return pd.DataFrame(
        {
            "ID Posyandu": frame["posyandu_id"],
            "Nama Posyandu": frame["posyandu_name"],
            "Kecamatan": frame["nama_kec"],
            "Desa/Kelurahan": frame["nama_desa"],
            "Jenis": frame["legacy_type"],
            "Bidang SPM": frame["spm_fields"],
            "No SK Pembentukan": frame["sk_number"],
            "Tgl SK Pembentukan": frame["sk_date"],
            "Tgl Musdes": frame["musdes_date"],
            "No Registrasi Kemendagri": frame["kemendagri_reg_number"],
            "Status Registrasi": frame["registration_status"],
            "Puskesmas": frame["puskesmas"],
            "Latitude": frame["lat"],
            "Longitude": frame["lon"],
        }
    )[MASTER_COLUMNS]


def write_posyandu_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """posyandu.xlsx as a DPMD office keeps it: one sheet, dates as Excel dates, and the
    optional strata and integration columns at the end."""
    import xlsxwriter

    table = to_master_table(frame).assign(
        **{"Strata": frame["strata"], "Status Integrasi": frame["integration_status"]}
    )[[*MASTER_COLUMNS, *OPTIONAL_COLUMNS]]
    columns = list(table.columns)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2025, 11, 3, 8, 0, 0), "author": "DPMD Kukar"})
    sheet = workbook.add_worksheet("Posyandu")
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    coord_fmt = workbook.add_format({"num_format": "0.000000"})
    for c, header in enumerate(columns):
        sheet.write_string(0, c, header, bold)
    for r, values in enumerate(table.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, (float, np.floating)):
                sheet.write_number(r, c, float(value), coord_fmt)
            else:
                sheet.write_string(r, c, str(value))
    widths = [10, 22, 20, 22, 10, 28, 26, 14, 12, 22, 16, 28, 11, 11, 10, 16]
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(table), len(columns) - 1)
    workbook.close()


def read_posyandu_master(source_dir: Path) -> pd.DataFrame:
    """The committed master read back, with Kemendagri codes resolved from the names.

    Columns: posyandu_id, posyandu_name, kode_kec, nama_kec, kode_desa, nama_desa, jenis,
    legacy_type, puskesmas. Sorted by posyandu_id.
    """
    raw = pd.read_excel(source_dir / MASTER_FILE, engine="calamine", dtype=str)
    desa = list_desa()
    kec_by_name = {normalise_name(n): c for c, n in zip(desa["kode_kec"], desa["nama_kec"], strict=True)}
    desa_by_name = {
        (k, normalise_name(n)): (c, n, j)
        for k, c, n, j in zip(desa["kode_kec"], desa["kode_desa"], desa["nama_desa"], desa["jenis"], strict=True)
    }
    rows = []
    for rec in raw.itertuples(index=False):
        values = dict(zip(raw.columns, rec, strict=True))
        kec = kec_by_name.get(normalise_name(values["Kecamatan"]))
        hit = desa_by_name.get((kec, normalise_name(values["Desa/Kelurahan"])))
        if kec is None or hit is None:
            raise ValueError(
                f"{values['ID Posyandu']}: unknown area {values['Kecamatan']!r} / {values['Desa/Kelurahan']!r}"
            )
        rows.append(
            (
                values["ID Posyandu"],
                values["Nama Posyandu"],
                kec,
                values["Kecamatan"],
                hit[0],
                values["Desa/Kelurahan"],
                hit[2],
                values["Jenis"],
                values["Puskesmas"],
            )
        )
    columns = [
        "posyandu_id",
        "posyandu_name",
        "kode_kec",
        "nama_kec",
        "kode_desa",
        "nama_desa",
        "jenis",
        "legacy_type",
        "puskesmas",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values("posyandu_id").reset_index(drop=True)
