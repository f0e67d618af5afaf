"""e-PPGBM by-name measurement rows (38 columns, as downloaded) from the simulated cohort,
with the flaws real exports carry, written as monthly CSV (bulk) or as single
puskesmas-month extracts (.xlsx with title rows, cp1252 `;` CSV)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from etl.sample.areas import KECAMATAN_PROFILES, list_desa
from etl.sample.growth import MONTHS, N_MONTHS, Cohort, load_lms
from etl.sample.names import make_addresses, make_child_names, make_mother_names
from etl.sample.streams import make_rng

EPPGBM_COLUMNS = [
    "NIK",
    "Nama",
    "JK",
    "Tgl Lahir",
    "BB Lahir",
    "TB Lahir",
    "Nama Ortu",
    "Prov",
    "Kab/Kota",
    "Kec",
    "Pukesmas",
    "Desa/Kel",
    "Posyandu",
    "RT",
    "RW",
    "Alamat",
    "Usia Saat Ukur",
    "Tanggal Pengukuran",
    "Bulan Pengukuran",
    "Status Bulan",
    "status tahun",
    "Berat",
    "Tinggi",
    "Cara Ukur",
    "LiLA",
    "BB/U",
    "ZS BB/U",
    "TB/U",
    "ZS TB/U",
    "BB/TB",
    "ZS BB/TB",
    "Naik Berat Badan",
    "PMT Diterima (kg)",
    "Jml Vit A",
    "KPSP",
    "KIA",
    "Detail Status",
    "status desa",
]
NUMERIC_COLUMNS = {
    "BB Lahir",
    "TB Lahir",
    "Berat",
    "Tinggi",
    "LiLA",
    "ZS BB/U",
    "ZS TB/U",
    "ZS BB/TB",
    "PMT Diterima (kg)",
}
BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
GENERATED_DIR = Path("eppgbm") / "generated"
CARA_UKUR = ["Terlentang", "Berdiri", "Telentang"]
BBU_LABELS = ["Sangat Kurang", "Kurang", "Normal", "Risiko Lebih"]
TBU_LABELS = ["Sangat Pendek", "Pendek", "Normal", "Tinggi"]
BBTB_LABELS = ["Gizi Buruk", "Gizi Kurang", "Gizi Baik", "Berisiko Gizi Lebih", "Gizi Lebih", "Obesitas"]
KPSP_LABELS = ["Sesuai", "Meragukan", "Penyimpangan"]
DETAIL_LABELS = [
    " / ".join(
        label
        for bit, label in zip((1, 2, 4, 8), ("Stunting", "Wasting", "Underweight", "Overweight"), strict=True)
        if code & bit
    )
    or "Normal"
    for code in range(16)
]
MANIFEST = "_manifest.json"

# Row-level flaw rates (shares of all rows).
RATE_HEIGHT_BLANK = 0.012
RATE_WEIGHT_BLANK = 0.003
RATE_DUPLICATE = 0.008
SENTINELS = [  # (column, value, rate)
    ("weight", 999.0, 0.0015),
    ("weight", 0.0, 0.0015),
    ("height", 999.0, 0.001),
    ("height", 8888.0, 0.001),
    ("height", 0.0, 0.001),
]
RATE_WEIGHT_TIMES_TEN = 0.001
# Child-level dummy NIKs: (value, share of children); "" means blank.
DUMMY_NIKS = [("0000000000000000", 0.005), ("1234567890123456", 0.003), ("1111111111111111", 0.0015), ("", 0.006)]
RATE_NIK_15_DIGITS = 0.002


@dataclass(frozen=True)
class Extract:
    """One committed puskesmas-month file."""

    puskesmas: str
    month: int  # index into MONTHS
    kind: str  # "xlsx" or "csv-cp1252"

    @property
    def file_name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "_", self.puskesmas.lower()).strip("_")
        ext = "xlsx" if self.kind == "xlsx" else "csv"
        return f"eppgbm_{slug}_{MONTHS[self.month]}.{ext}"


def choose_extracts(master: pd.DataFrame) -> list[Extract]:
    """The puskesmas-months committed as realistic downloads (kept out of the bulk)."""
    balita = master[master["legacy_type"] == "Balita"]
    ranked = balita.groupby("puskesmas").size().sort_index().sort_values(ascending=False, kind="stable").index.tolist()
    first = "Puskesmas Tenggarong" if "Puskesmas Tenggarong" in ranked else ranked[0]
    rest = [p for p in ranked if p != first]
    second = "Puskesmas Muara Badak" if "Puskesmas Muara Badak" in rest else (rest[0] if rest else first)
    extracts = [Extract(first, N_MONTHS - 1, "xlsx")]
    extracts.append(Extract(second, N_MONTHS - 2, "csv-cp1252"))
    return extracts


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@cache
def _typo(name: str, others: tuple[str, ...]) -> str | None:
    """A one-letter slip inside a word of `name` (dropped, or doubled if it is already
    double) that stays clearly closer to `name` than to any other name."""
    inner = [
        i for i in range(1, len(name) - 1) if name[i - 1].isalpha() and name[i].isalpha() and name[i + 1].isalpha()
    ]
    if len(name) < 7 or not inner:
        return None
    middle = len(inner) // 2
    for i in inner[middle:] + inner[:middle]:
        candidate = name[:i] + name[i + 1 :] if name[i] != name[i - 1] else name[:i] + name[i] + name[i:]
        if all(_levenshtein(candidate, o) >= 3 for o in others if o != name):
            return candidate
    return None


def _kecamatan_variants(name: str, others: list[str]) -> tuple[list[str], list[float]]:
    upper = name.upper()
    if name == "Sanga Sanga":
        return ["SANGA-SANGA", "SANGASANGA", "SANGA SANGA"], [0.9, 0.04, 0.06]
    if name == "Marang Kayu":
        return ["MARANGKAYU", "MARANG KAYU"], [0.85, 0.15]
    if name == "Tenggarong Seberang":
        return [upper, "Kec. Tenggarong Sbrg", "TENGGARONG SEBRANG"], [0.95, 0.035, 0.015]
    variants, weights = [upper, f"Kec. {name}"], [0.99, 0.007]
    typo = _typo(upper, tuple(o.upper() for o in others))
    if typo:
        variants.append(typo)
        weights.append(0.003)
    return variants, weights


def _desa_variants(name: str, jenis: str, others: list[str]) -> tuple[list[str], list[float]]:
    upper = name.upper()
    prefix = "KEL." if jenis == "kelurahan" else "DESA"
    variants, weights = [upper, f"{prefix} {upper}", name], [0.985, 0.008, 0.004]
    typo = _typo(upper, tuple(o.upper() for o in others))
    if typo:
        variants.append(typo)
        weights.append(0.003)
    return variants, weights


def _nik(
    kode_kec: np.ndarray, birth: np.ndarray, sex: np.ndarray, rng: np.random.Generator, seen: set[str] | None = None
) -> np.ndarray:
    """16-digit NIK: 6402 + kecamatan + birth date (day + 40 for girls) + serial. `seen` carries
    the NIKs of earlier chunks when a scaled-up sample is written chunk by chunk."""
    b = pd.DatetimeIndex(birth)
    day = b.day.to_numpy() + np.where(sex == 2, 40, 0)
    serial = rng.integers(1, 9999, len(birth))
    kec = np.array([c[-2:] for c in kode_kec])
    niks = [
        f"6402{k}{d:02d}{m:02d}{y % 100:02d}{s:04d}"
        for k, d, m, y, s in zip(kec, day, b.month.to_numpy(), b.year.to_numpy(), serial, strict=True)
    ]
    seen = set() if seen is None else seen
    out = []
    for n in niks:
        while n in seen:  # serials are unique within kecamatan and birth date
            n = n[:12] + f"{(int(n[12:]) % 9999) + 1:04d}"
        seen.add(n)
        out.append(n)
    return np.asarray(out, dtype=object)


def _child_text(cohort: Cohort, seed: int, taken_niks: set[str] | None = None) -> dict[str, pa.Array]:
    """Per-child columns (index = child number)."""
    rng = make_rng(seed, "eppgbm-children")
    ch = cohort.children
    n = len(ch)
    sex = ch["sex"].to_numpy()
    birth = ch["birth"].to_numpy().astype("datetime64[D]")
    kode_kec = cohort.posyandu["kode_kec"].to_numpy()[ch["posyandu"].to_numpy()]
    nik = _nik(kode_kec, birth, sex, rng, taken_niks)
    u = rng.random(n)
    edge = 0.0
    for value, share in DUMMY_NIKS:
        nik[(u >= edge) & (u < edge + share)] = value
        edge += share
    short = (u >= edge) & (u < edge + RATE_NIK_15_DIGITS)
    nik[short] = [s[:-1] for s in nik[short]]
    haz = ch["haz_level"].to_numpy()
    bb = np.round(np.clip(rng.normal(3.1, 0.42, n) + np.where(sex == 1, 0.1, 0) + 0.12 * haz, 1.5, 4.8), 2)
    tb = np.round(np.clip(rng.normal(48.8, 1.8, n) + 0.7 * haz, 42, 55), 1)
    rt = rng.integers(1, 36, n)
    rw = rng.integers(1, 9, n)
    return {
        "NIK": pa.array(nik, pa.string()).cast(pa.string()),
        "Nama": pa.array(make_child_names(sex, rng), pa.string()),
        "JK": pa.array(np.where(sex == 1, "L", "P"), pa.string()),
        "Tgl Lahir": pa.array(birth, pa.date32()),
        "BB Lahir": pa.array(bb, mask=rng.random(n) < 0.04),
        "TB Lahir": pa.array(tb, mask=rng.random(n) < 0.09),
        "Nama Ortu": pa.array(make_mother_names(n, rng), pa.string()),
        "RT": pa.array([f"{v:03d}" for v in rt], pa.string()),
        "RW": pa.array([f"{v:03d}" for v in rw], pa.string(), mask=rng.random(n) < 0.45),
        "Alamat": pa.array(make_addresses(n, rng), pa.string()),
        "KIA": pa.array(np.where(ch["has_kia"].to_numpy(), "Ya", "Tidak"), pa.string()),
    }


def _category_codes(z: np.ndarray, edges: list[float]) -> np.ndarray:
    """Category index by z with right-closed upper bounds (z ≤ edge); NaN → -1."""
    idx = np.searchsorted(np.asarray(edges), z, side="left")
    return np.where(np.isfinite(z), idx, -1)


def _labels(codes: np.ndarray, labels: list[str | None]) -> pa.Array:
    """Text from integer codes; code -1 (or a None label) gives an empty cell."""
    vocab = pa.array(labels, pa.string())
    return vocab.take(pa.array(codes, pa.int64(), mask=codes < 0))


@dataclass
class RowPlan:
    """Every e-PPGBM row of the window (after flaws and duplicates), as arrow columns,
    plus the month and puskesmas of each row for splitting into files."""

    table: pa.Table
    month: np.ndarray
    puskesmas: np.ndarray


def plan_rows(cohort: Cohort, seed: int, taken_niks: set[str] | None = None, lokus_seed: int | None = None) -> RowPlan:
    """Build all rows (deterministic for cohort + seed). A chunk of a scaled-up sample passes
    the NIKs already used and the sample's own seed, so lokus desa agree across chunks."""
    rng = make_rng(seed, "eppgbm-rows")
    rows = cohort.rows
    child = rows["child"]
    n = len(child)
    pos_of_child = cohort.children["posyandu"].to_numpy()
    pos = pos_of_child[child]
    sex = cohort.children["sex"].to_numpy()[child]
    age = rows["age_days"]
    date = rows["date"].astype("datetime64[D]")
    month = rows["month"]
    weight = rows["weight_kg"].astype(float).copy()
    height = rows["height_cm"].astype(float).copy()

    # Position: lying under 24 months, standing after; a few measured the other way (and the
    # value is what that position gives), a few spelt "Telentang", a few left blank.
    lying = age < 731
    flip = (rng.random(n) < 0.015) & (age >= 270) & (age < 1100)
    height = np.where(flip & lying, height - 0.7, np.where(flip & ~lying, height + 0.7, height))
    measured_lying = lying ^ flip
    cara = np.where(measured_lying, 0, 1)  # CARA_UKUR labels
    u = rng.random(n)
    cara[measured_lying & (u < 0.02)] = 2
    cara[rng.random(n) < 0.01] = -1

    # Export z-scores: from the recorded values at age in completed months (approximate).
    lhfa, wfa, wfl, wfh = (load_lms(t) for t in ("day_lhfa", "day_wfa", "day_wfl", "day_wfh"))
    age_export = np.rint(np.floor(age / 30.4375) * 30.4375)

    u = rng.random(n)
    height_blank = u < RATE_HEIGHT_BLANK
    weight_blank = (u >= RATE_HEIGHT_BLANK) & (u < RATE_HEIGHT_BLANK + RATE_WEIGHT_BLANK)
    edge = RATE_HEIGHT_BLANK + RATE_WEIGHT_BLANK
    for column, value, rate in SENTINELS:
        hit = (u >= edge) & (u < edge + rate)
        if column == "weight":
            weight[hit] = value
        else:
            height[hit] = value
        edge += rate
    times_ten = (u >= edge) & (u < edge + RATE_WEIGHT_TIMES_TEN)
    weight[times_ten] = np.round(weight[times_ten] * 10, 1)
    weight[weight_blank] = np.nan
    height[height_blank] = np.nan
    height = np.round(height, 1)

    valid_w = np.isfinite(weight) & (weight > 0)
    valid_h = np.isfinite(height) & (height > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        zs_bbu = np.where(valid_w, wfa.zscore(np.where(valid_w, weight, 1.0), sex, age_export), np.nan)
        zs_tbu = np.where(valid_h, lhfa.zscore(np.where(valid_h, height, 50.0), sex, age_export), np.nan)
        h_ok = valid_h & valid_w & np.where(lying, (height >= 45) & (height <= 110), (height >= 65) & (height <= 120))
        h_safe = np.where(h_ok, height, 80.0)
        w_safe = np.where(h_ok, weight, 10.0)
        zs_bbtb = np.where(
            h_ok, np.where(lying, wfl.zscore(w_safe, sex, h_safe), wfh.zscore(w_safe, sex, h_safe)), np.nan
        )
    zs_bbu, zs_tbu, zs_bbtb = (np.round(z, 2) for z in (zs_bbu, zs_tbu, zs_bbtb))
    for z in (zs_bbu, zs_tbu, zs_bbtb):  # a mistyped value gives no z-score in the export
        z[np.abs(z) > 20] = np.nan

    bbu = _category_codes(zs_bbu, [-3.0 - 1e-9, -2.0 - 1e-9, 1.0])
    tbu = _category_codes(zs_tbu, [-3.0 - 1e-9, -2.0 - 1e-9, 3.0])
    bbtb = _category_codes(zs_bbtb, [-3.0 - 1e-9, -2.0 - 1e-9, 1.0, 2.0, 3.0])
    detail_bits = (
        ((tbu >= 0) & (tbu <= 1)) * 1
        + ((bbtb >= 0) & (bbtb <= 1)) * 2
        + ((bbu >= 0) & (bbu <= 1)) * 4
        + (bbtb >= 4) * 8
    )
    detail = np.where(bbu < 0, -1, detail_bits)

    # LiLA for some children from 6 months; more in the vitamin A months.
    calendar_month = (month + 10) % 12 + 1
    acfa = load_lms("day_acfa")
    with_lila = (age >= 183) & (rng.random(n) < np.where(np.isin(calendar_month, [2, 8]), 0.5, 0.25))
    z_muac = 0.7 * np.nan_to_num(zs_bbtb) + rng.normal(0.0, 0.6, n)
    lila = np.round(acfa.value(np.clip(z_muac, -4, 4), sex, np.maximum(age, 91)), 1)
    lila[~with_lila] = np.nan

    undernourished = (np.nan_to_num(zs_bbu) < -2) | (np.nan_to_num(zs_bbtb) < -2)
    pmt = np.where(undernourished & (rng.random(n) < 0.35), rng.choice([0.5, 1.0, 1.5, 2.0, 3.0, 4.5], n), 0.0)
    vit_a = (np.isin(calendar_month, [2, 8]) & (age >= 183) & (rng.random(n) < 0.88)).astype(np.int64)
    kpsp_age = np.isin(age // 30, [3, 6, 9, 12, 15, 18, 21, 24, 30, 36, 42, 48, 54]) & (rng.random(n) < 0.6)
    kpsp = np.where(kpsp_age, rng.choice(3, n, p=[0.85, 0.11, 0.04]), -1)

    # Area names as typed in the puskesmas (variants, slips).
    posyandu = cohort.posyandu
    kec_text, desa_text = _area_texts(posyandu, pos, rng)

    if lokus_seed is None:
        lokus = _lokus_desa(posyandu["kode_desa"].unique(), seed)
    else:  # a chunk: draw over every desa so all chunks flag the same ones
        lokus = _lokus_desa(list_desa()["kode_desa"].unique(), lokus_seed)
    status_desa = np.where(np.isin(posyandu["kode_desa"].to_numpy(), lokus), 0, 1)[pos]

    # Age as e-PPGBM prints it.
    birth = cohort.children["birth"].to_numpy().astype("datetime64[D]")[child]
    years, months_, days = _calendar_age(birth, date)

    # Exact duplicate rows, next to their original.
    dup = rng.random(n) < RATE_DUPLICATE
    take = np.repeat(np.arange(n), np.where(dup, 2, 1))

    child_cols = _child_text(cohort, seed, taken_niks)
    c_take = pa.array(child[take])
    per_child = {k: v.take(c_take) for k, v in child_cols.items()}
    pos_take = pos[take]

    def col(values, type_=None, mask=None):
        values = np.asarray(values)[take]
        m = None if mask is None else np.asarray(mask)[take]
        return pa.array(values, type_, mask=m) if type_ is not None else pa.array(values, mask=m)

    year = MONTHS.astype("datetime64[Y]").astype(int) + 1970
    calendar = (MONTHS.astype(int) % 12) + 1
    usia = pc.binary_join_element_wise(
        pa.array(years[take]).cast(pa.string()),
        " Tahun - ",
        pa.array(months_[take]).cast(pa.string()),
        " Bulan - ",
        pa.array(days[take]).cast(pa.string()),
        " Hari",
        "",
    )
    columns = {
        "NIK": per_child["NIK"],
        "Nama": per_child["Nama"],
        "JK": per_child["JK"],
        "Tgl Lahir": per_child["Tgl Lahir"],
        "BB Lahir": per_child["BB Lahir"],
        "TB Lahir": per_child["TB Lahir"],
        "Nama Ortu": per_child["Nama Ortu"],
        "Prov": _labels(np.zeros(len(take), np.int64), ["KALIMANTAN TIMUR"]),
        "Kab/Kota": _labels(np.zeros(len(take), np.int64), ["KUTAI KARTANEGARA"]),
        "Kec": kec_text.take(pa.array(take)),
        "Pukesmas": pa.array(posyandu["puskesmas"].tolist(), pa.string()).take(pa.array(pos_take)),
        "Desa/Kel": desa_text.take(pa.array(take)),
        "Posyandu": pa.array(posyandu["posyandu_name"].tolist(), pa.string()).take(pa.array(pos_take)),
        "RT": per_child["RT"],
        "RW": per_child["RW"],
        "Alamat": per_child["Alamat"],
        "Usia Saat Ukur": usia,
        "Tanggal Pengukuran": col(date, pa.date32()),
        "Bulan Pengukuran": _labels(calendar[month[take]] - 1, BULAN),
        "Status Bulan": _labels(calendar[month[take]] - 1, [str(i) for i in range(1, 13)]),
        "status tahun": _labels(month[take], [str(y) for y in year]),
        "Berat": col(np.nan_to_num(weight), pa.float64(), ~np.isfinite(weight)),
        "Tinggi": col(np.nan_to_num(height), pa.float64(), ~np.isfinite(height)),
        "Cara Ukur": _labels(cara[take], CARA_UKUR),
        "LiLA": col(np.nan_to_num(lila), pa.float64(), ~np.isfinite(lila)),
        "BB/U": _labels(bbu[take], BBU_LABELS),
        "ZS BB/U": col(np.nan_to_num(zs_bbu), pa.float64(), ~np.isfinite(zs_bbu)),
        "TB/U": _labels(tbu[take], TBU_LABELS),
        "ZS TB/U": col(np.nan_to_num(zs_tbu), pa.float64(), ~np.isfinite(zs_tbu)),
        "BB/TB": _labels(bbtb[take], BBTB_LABELS),
        "ZS BB/TB": col(np.nan_to_num(zs_bbtb), pa.float64(), ~np.isfinite(zs_bbtb)),
        "Naik Berat Badan": _labels(np.searchsorted(np.array(list("BNOT")), rows["gain"])[take], list("BNOT")),
        "PMT Diterima (kg)": col(pmt, pa.float64()),
        "Jml Vit A": _labels(vit_a[take], ["0", "1"]),
        "KPSP": _labels(kpsp[take], KPSP_LABELS),
        "KIA": per_child["KIA"],
        "Detail Status": _labels(detail[take], DETAIL_LABELS),
        "status desa": _labels(status_desa[take], ["Lokus", "Non Lokus"]),
    }
    table = pa.table({name: columns[name] for name in EPPGBM_COLUMNS})
    return RowPlan(table=table, month=month[take], puskesmas=posyandu["puskesmas"].to_numpy()[pos_take])


def _area_texts(posyandu: pd.DataFrame, pos: np.ndarray, rng: np.random.Generator) -> tuple[pa.Array, pa.Array]:
    """Kec and Desa/Kel text per row: the usual spelling, sometimes a variant or a slip."""
    desa = list_desa()
    kec_names = sorted(desa["nama_kec"].unique())
    desa_by_kec = desa.groupby("kode_kec")["nama_desa"].apply(list).to_dict()
    out = []
    for kind in ("kec", "desa"):
        vocab: dict[str, int] = {}
        ids = np.zeros((len(posyandu), 4), dtype=np.int64)
        cum = np.ones((len(posyandu), 4))
        for p, rec in enumerate(posyandu.itertuples(index=False)):
            if kind == "kec":
                variants, weights = _kecamatan_variants(rec.nama_kec, kec_names)
            else:
                variants, weights = _desa_variants(rec.nama_desa, rec.jenis, desa_by_kec[rec.kode_kec])
            w = np.cumsum(weights) / sum(weights)
            for j, v in enumerate(variants):
                ids[p, j] = vocab.setdefault(v, len(vocab))
                cum[p, j] = w[j]
        u = rng.random(len(pos))
        choice = (u[:, None] > cum[pos, :3]).sum(axis=1)
        out.append(pa.array(list(vocab), pa.string()).take(pa.array(ids[pos, choice])))
    return out[0], out[1]


def _lokus_desa(codes: np.ndarray, seed: int) -> np.ndarray:
    """Desa flagged as stunting focus locations (about a quarter, more in remote areas)."""
    rng = make_rng(seed, "lokus")
    codes = np.sort(codes)
    tier = np.array([KECAMATAN_PROFILES[c[:8]].tier for c in codes])
    return codes[rng.random(len(codes)) < np.array([0.12, 0.2, 0.3, 0.45])[tier]]


def _calendar_age(birth: np.ndarray, on: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Completed years, months and days between two datetime64[D] arrays."""
    b_month = birth.astype("datetime64[M]")
    o_month = on.astype("datetime64[M]")
    b_day = (birth - b_month.astype("datetime64[D]")).astype(int) + 1
    o_day = (on - o_month.astype("datetime64[D]")).astype(int) + 1
    total = (o_month - b_month).astype(int) - (o_day < b_day)
    anchor_month = b_month + total
    month_len = ((anchor_month + 1).astype("datetime64[D]") - anchor_month.astype("datetime64[D]")).astype(int)
    anchor = anchor_month.astype("datetime64[D]") + np.minimum(b_day, month_len) - 1
    return total // 12, total % 12, (on - anchor).astype(int)


def _format_dates_dmy(table: pa.Table) -> pa.Table:
    for name in ("Tgl Lahir", "Tanggal Pengukuran"):
        i = table.schema.get_field_index(name)
        text = pc.strftime(table.column(name).cast(pa.timestamp("s")), format="%d/%m/%Y")
        table = table.set_column(i, name, text)
    return table


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_bulk(plan: RowPlan, out_dir: Path, exclude: list[Extract]) -> list[Path]:
    """Monthly UTF-8 CSV files (`,`, dot decimals, DD/MM/YYYY) without the extract rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    keep = np.ones(len(plan.month), dtype=bool)
    for ex in exclude:
        keep &= ~((plan.month == ex.month) & (plan.puskesmas == ex.puskesmas))
    paths = []
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    for m in range(N_MONTHS):
        idx = np.flatnonzero(keep & (plan.month == m))
        table = _format_dates_dmy(plan.table.take(pa.array(idx)))
        path = out_dir / f"eppgbm_{MONTHS[m]}.csv"
        _atomic_write(path, lambda p, t=table: _write_plain_csv(t, p, options))
        paths.append(path)
    return paths


def _write_plain_csv(table: pa.Table, path: Path, options: pa_csv.WriteOptions) -> None:
    """Header and values unquoted, as the e-PPGBM download is."""
    with open(path, "wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode("utf-8"))
        pa_csv.write_csv(table, handle, options)


def extract_frame(plan: RowPlan, extract: Extract) -> pd.DataFrame:
    """The rows of one puskesmas-month, typed (floats, dates)."""
    idx = np.flatnonzero((plan.month == extract.month) & (plan.puskesmas == extract.puskesmas))
    return plan.table.take(pa.array(idx)).to_pandas(types_mapper=None, date_as_object=True)


def write_extract_csv_cp1252(frame: pd.DataFrame, path: Path) -> None:
    """A CSV as re-saved by Excel in an Indonesian locale: cp1252, `;`, decimal comma."""
    out = frame.copy()
    for name in ("Tgl Lahir", "Tanggal Pengukuran"):
        out[name] = [d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else "" for d in out[name]]
    for name in NUMERIC_COLUMNS:
        out[name] = [("" if pd.isna(v) else _number_text(v).replace(".", ",")) for v in out[name]]
    _atomic_write(path, lambda p: out.to_csv(p, sep=";", index=False, encoding="cp1252", lineterminator="\r\n"))


def _number_text(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def write_extract_xlsx(frame: pd.DataFrame, path: Path, extract: Extract, seed: int) -> None:
    """As downloaded from e-PPGBM: title rows, a `No` column, dates of measurement as Excel
    dates, a few numbers stored as text with a decimal comma."""
    import xlsxwriter

    rng = make_rng(seed, f"xlsx:{extract.file_name}")
    month = MONTHS[extract.month].astype(object)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2025, 11, 4, 9, 30, 0), "author": "e-PPGBM"})
    sheet = workbook.add_worksheet("Sheet1")
    title = workbook.add_format({"bold": True, "font_size": 12})
    head = workbook.add_format({"bold": True, "bg_color": "#C6E0B4", "border": 1, "text_wrap": True})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_string(0, 0, "LAPORAN HASIL PENGUKURAN BALITA BY NAME (e-PPGBM)", title)
    sheet.write_string(1, 0, f"{extract.puskesmas.upper()} - BULAN {BULAN[month.month - 1].upper()} {month.year}")
    header_row = 3
    for c, name in enumerate(["No", *EPPGBM_COLUMNS]):
        sheet.write_string(header_row, c, name, head)
    as_text = rng.random(len(frame)) < 0.01
    for r, record in enumerate(frame.itertuples(index=False)):
        row = header_row + 1 + r
        sheet.write_number(row, 0, r + 1)
        for c, (name, value) in enumerate(zip(EPPGBM_COLUMNS, record, strict=True), start=1):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if name == "Tanggal Pengukuran":
                sheet.write_datetime(row, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif name == "Tgl Lahir":
                sheet.write_string(row, c, value.strftime("%d/%m/%Y"))
            elif name in NUMERIC_COLUMNS:
                if name == "Berat" and as_text[r]:
                    sheet.write_string(row, c, _number_text(value).replace(".", ","))
                else:
                    sheet.write_number(row, c, float(value))
            else:
                sheet.write_string(row, c, str(value))
    sheet.freeze_panes(header_row + 1, 3)
    workbook.close()


def master_fingerprint(master: pd.DataFrame) -> str:
    """Hash of the master columns the cohort depends on."""
    columns = ["posyandu_id", "posyandu_name", "kode_desa", "legacy_type", "puskesmas"]
    text = master[columns].to_csv(index=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generator_fingerprint() -> str:
    """Hash of this package's code: a changed generator rewrites the bulk."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        return None


def write_manifest(folder: Path, content: dict) -> None:
    _atomic_write(folder / MANIFEST, lambda p: p.write_text(json.dumps(content, indent=2, sort_keys=True)))
