"""Map indicator values: minimum n, tooltip text, and the table under the map."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.maps.indicators import MAP_INDICATORS, indicator_table, indicator_values
from dashboard.metrics.priority import MIN_CHILDREN


def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["64.02.01", "64.02.02", "64.02.03"],
            "name": ["Muara Muntai", "Loa Kulu", "Loa Janan"],
            "nama_kec": ["Muara Muntai", "Loa Kulu", "Loa Janan"],
            "stunting_pct": [25.0, 12.25, 30.0],
            "children": [40, 80, MIN_CHILDREN - 1],
            "stunted": [10, 9, 3],
            "ds_pct": [70.0, np.nan, 90.0],
            "s_total": [100, 0, 50],
            "d_total": [70, 0, 45],
        }
    )


def test_stunting_on_too_few_children_is_no_data_and_says_so():
    values = indicator_values(_areas(), "stunting")
    assert values["value"].iloc[0] == 25.0
    assert np.isnan(values["value"].iloc[2])
    assert values["n"].tolist() == [40, 80, MIN_CHILDREN - 1]
    assert values["label"].iloc[0] == "10 pendek/sangat pendek dari 40 balita diukur"
    assert values["label"].iloc[2].endswith(f"kurang dari {MIN_CHILDREN} balita diukur, tidak diwarnai")


def test_ds_without_target_children_is_missing():
    values = indicator_values(_areas(), "ds")
    assert np.isnan(values["value"].iloc[1]) and values["n"].iloc[1] == 0
    assert values["label"].iloc[0] == "D 70 dari S 100"


def test_table_puts_the_worst_first_in_both_directions():
    areas = _areas()
    stunting = indicator_table(areas, indicator_values(areas, "stunting"), "stunting", "kecamatan")
    assert stunting["Kecamatan"].tolist() == ["Muara Muntai", "Loa Kulu", "Loa Janan"]
    assert stunting["Prevalensi stunting (%)"].tolist()[:2] == [25.0, 12.3]  # half up, as shown on the map
    ds = indicator_table(areas, indicator_values(areas, "ds"), "ds", "kecamatan")
    assert ds["Kecamatan"].tolist() == ["Muara Muntai", "Loa Janan", "Loa Kulu"]
    desa = indicator_table(areas, indicator_values(areas, "ds"), "ds", "desa")
    assert list(desa.columns[:2]) == ["Desa/Kelurahan", "Kecamatan"]


def test_every_indicator_has_a_source_and_a_unit_of_n():
    for ind in MAP_INDICATORS.values():
        assert ind.source and ind.n_unit and ind.period in ("month", "snapshot", "mixed")
