"""etl/transform/measurements.py on its own: personal columns dropped by the transform itself
(not only by the load's safeguard), the 0-1826-day age window, duplicates."""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.extract.reader import read_register_file
from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.transform.measurements import build_measurements
from etl.validate import validate_table
from tests.support.eppgbm_files import eppgbm_row, write_eppgbm_csv

SECRET = b"k" * 32
PERSONAL = {f.name for f in EPPGBM.fields if f.kind in ("nik", "personal") or f.masked}


def _validated(tmp_path, rows: list[dict]) -> pd.DataFrame:
    table = read_register_file(
        write_eppgbm_csv(tmp_path / "e.csv", rows), {h for f in EPPGBM.fields if f.required for h in f.headers}
    )
    return validate_table(EPPGBM, table, RegionMatcher(), date(2025, 12, 1)).accepted


def test_transform_drops_every_personal_column_and_value(tmp_path):
    row = eppgbm_row(NIK="6402065505230001", Nama="Siti Aminah", **{"Nama Ortu": "Rahmawati", "Alamat": "Jl. Mawar 7"})
    validated = _validated(tmp_path, [row])
    assert PERSONAL <= set(validated.columns)  # the validator keeps them for the key
    facts, _ = build_measurements(validated, None, SECRET)
    assert len(facts) == 1
    assert not PERSONAL & set(facts.columns)
    text = facts.astype(str).to_csv()
    for value in ("6402065505230001", "Siti Aminah", "Rahmawati", "Jl. Mawar 7", "2023-05-15"):
        assert value not in text


def test_age_window_keeps_1826_days_and_rejects_1827(tmp_path):
    born = pd.Timestamp(2020, 10, 15)
    rows = [
        eppgbm_row(NIK=f"640206550523000{i}", **{"Tgl Lahir": born.strftime("%d/%m/%Y"), "Tanggal Pengukuran": on})
        for i, on in enumerate(
            [
                (born + pd.Timedelta(days=1826)).strftime("%d/%m/%Y"),
                (born + pd.Timedelta(days=1827)).strftime("%d/%m/%Y"),
                born.strftime("%d/%m/%Y"),  # measured on the day of birth: 0 days
            ],
            start=1,
        )
    ]
    for row in rows:
        row["Cara Ukur"] = "Terlentang" if row["Tanggal Pengukuran"] == rows[2]["Tanggal Pengukuran"] else "Berdiri"
        row["Tinggi"] = 50.0 if row["Cara Ukur"] == "Terlentang" else 105.0
        row["Berat"] = 3.3 if row["Cara Ukur"] == "Terlentang" else 16.5
    facts, rejections = build_measurements(_validated(tmp_path, rows), None, SECRET)
    assert sorted(facts["age_days"].tolist()) == [0, 1826]
    assert rejections["reason"].str.contains("60 bulan").sum() == 1


def test_same_child_same_day_is_kept_once_and_reported(tmp_path):
    rows = [eppgbm_row(Berat=11.2), eppgbm_row(Berat=11.4)]
    facts, rejections = build_measurements(_validated(tmp_path, rows), None, SECRET)
    assert len(facts) == 1 and facts["weight_kg"].tolist() == [11.2]
    assert rejections["reason"].str.startswith("baris duplikat").sum() == 1
