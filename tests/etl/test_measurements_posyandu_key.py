"""etl/transform/measurements.py: posyandu names matched within a desa, and the rows a fact may not keep."""

from __future__ import annotations

import pandas as pd

from etl.transform.measurements import posyandu_key


def test_spellings_of_one_posyandu_give_one_key():
    names = pd.Series(["Posyandu Melati 1", "MELATI I", "pos. melati i", " Posyandu  Melati-1 ", "Melati 2", None])
    keys = posyandu_key(names)
    assert keys.iloc[:4].nunique() == 1 and keys.iloc[0] == "melatii"
    assert keys.iloc[4] == "melatiii" != keys.iloc[0]
    assert pd.isna(keys.iloc[5])
    assert keys.index.equals(names.index)


def test_a_number_inside_a_name_is_not_turned_into_a_roman_numeral():
    keys = posyandu_key(pd.Series(["Anggrek 12", "Anggrek 1"]))
    assert keys.tolist() == ["anggrek12", "anggreki"]
