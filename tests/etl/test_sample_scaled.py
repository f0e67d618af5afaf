"""Samples above scale 1 (etl/sample/scaled.py): more posyandu per desa, written chunk by chunk."""

from __future__ import annotations

import pandas as pd

from etl.sample import eppgbm, scaled
from etl.sample.areas import list_desa
from etl.sample.growth import MONTHS
from etl.sample.posyandu import build_posyandu, read_posyandu_master
from etl.transform.measurements import posyandu_key


def test_master_at_scale_ten_keeps_names_unique_within_each_desa():
    master = build_posyandu(list_desa(), None, seed=2025, scale=10.0)
    assert (master["legacy_type"] == "Balita").sum() == 8060
    assert master["posyandu_id"].is_unique
    assert master["posyandu_id"].tolist() == sorted(master["posyandu_id"])  # text order = master order
    keys = master.assign(key=posyandu_key(master["posyandu_name"]))
    assert not keys.duplicated(["kode_desa", "key"]).any()  # the ETL matches rows on this key


def test_chunked_bulk_has_every_row_once_and_no_shared_nik(sample_dir, tmp_path, monkeypatch):
    master = read_posyandu_master(sample_dir)
    monkeypatch.setattr(scaled, "CHUNK_POSYANDU", 12)  # the 5 % master becomes four chunks
    chunks = list(scaled.split_master(master, 2025))
    assert len(chunks) >= 3
    assert sum(len(c) for c, _ in chunks) == (master["legacy_type"] == "Balita").sum()
    extracts = eppgbm.choose_extracts(master)

    result = scaled.write_scaled_bulk(master, 2025, tmp_path / "generated", extracts, progress=False)

    assert [p.name for p in result.paths] == [f"eppgbm_{m}.csv" for m in MONTHS]
    rows = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in result.paths], ignore_index=True)
    assert list(rows.columns) == eppgbm.EPPGBM_COLUMNS
    assert len(rows) + sum(len(t) for t in result.extracts.values()) == result.weighings
    assert not list(tmp_path.glob("generated/.*.tmp"))
    # A NIK belongs to one child across chunks (dummy and blank NIKs are shared on purpose).
    real = rows[rows["NIK"].str.fullmatch(r"6402\d{12}")]
    assert (real.groupby("NIK")[["Tgl Lahir", "JK"]].nunique() <= 1).all().all()
    # Every posyandu balita has its months, whichever chunk simulated it.
    balita = set(master.loc[master["legacy_type"] == "Balita", "posyandu_id"])
    assert set(result.posyandu_month["posyandu_id"]) == balita
    assert len(result.posyandu_month) == len(balita) * len(MONTHS)
