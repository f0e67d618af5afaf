"""The indicators the Peta page can colour areas by, and how each becomes map values.

Pure: a frame from ``query_area_indicators`` (scored by ``dashboard.metrics.priority`` for the
priority score) in, ``code, value, n, label`` out, as ``maps.build_choropleth_map`` wants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.catalogue.indicators import indicator
from dashboard.catalogue.registers import register_source, register_sources
from dashboard.formatting import format_number, round_half_up
from dashboard.maps.draw import IndicatorSpec


@dataclass(frozen=True)
class MapIndicator:
    spec: IndicatorSpec
    value: str  # column of the area-indicator frame
    n: str  # column counted as the value's n (0 = no data)
    n_unit: str  # what n counts, Bahasa ("balita diukur")
    source: str  # register(s) behind the value, Bahasa
    period: str  # "month", "snapshot" or "mixed": how the page states the period
    describe: Callable[[pd.Series], str]  # tooltip detail of one area
    min_n: int = 1


def _count(x: object) -> str:
    return format_number(x, 0)


MAP_INDICATORS: dict[str, MapIndicator] = {
    "stunting": MapIndicator(
        IndicatorSpec("stunting", indicator("stunting").name, unit="%"),
        "stunting_pct",
        "children",
        "balita diukur",
        register_source("eppgbm", "bukan survei"),
        "month",
        lambda r: f"{_count(r['stunted'])} pendek/sangat pendek dari {_count(r['children'])} balita diukur",
        min_n=indicator("stunting").min_n("peta"),
    ),
    "kader": MapIndicator(
        IndicatorSpec("kader_participation", indicator("kader_participation").name, unit="%", higher_is_better=True),
        "kader_pct",
        "kader_registered",
        "kader terdaftar",
        indicator("kader_participation").source_register,
        "month",
        lambda r: f"{_count(r['kader_present'])} kader hadir dari {_count(r['kader_registered'])} terdaftar",
    ),
    "ds": MapIndicator(
        IndicatorSpec("ds_ratio", "D/S (balita ditimbang ÷ sasaran)", unit="%", higher_is_better=True),
        "ds_pct",
        "s_total",
        "balita sasaran (S)",
        register_source("monthly_report", "SKDN"),
        "month",
        lambda r: f"D {_count(r['d_total'])} dari S {_count(r['s_total'])}",
    ),
    "registered": MapIndicator(
        IndicatorSpec("registered", indicator("registered").name, unit="%", higher_is_better=True),
        "registered_pct",
        "posyandu",
        "posyandu",
        indicator("registered").source_register,
        "snapshot",
        lambda r: f"{_count(r['registered'])} dari {_count(r['posyandu'])} posyandu teregistrasi",
    ),
    "priority": MapIndicator(
        IndicatorSpec("priority_score", "Skor prioritas (0–100)", decimals=1),
        "priority_score",
        "components_used",
        "komponen skor",
        register_sources(["eppgbm", "monthly_report", "posyandu", "desa_index"]),
        "mixed",
        lambda r: str(r["reason"]),
    ),
}
MAP_INDICATOR_LABELS = {key: ind.spec.label for key, ind in MAP_INDICATORS.items()}


def indicator_values(areas: pd.DataFrame, key: str) -> pd.DataFrame:
    """``code, value, n, label`` per area for ``build_choropleth_map``.

    A value on fewer than the indicator's minimum n is dropped (shown as "tidak ada data")
    and the tooltip says why.
    """
    ind = MAP_INDICATORS[key]
    n = pd.to_numeric(areas[ind.n], errors="coerce").fillna(0)
    value = pd.to_numeric(areas[ind.value], errors="coerce").astype(float)
    too_few = (n > 0) & (n < ind.min_n)
    labels = []
    for (_, row), few in zip(areas.iterrows(), too_few, strict=True):
        text = ind.describe(row)
        if few:
            text += f" — kurang dari {ind.min_n} {ind.n_unit}, tidak diwarnai"
        labels.append(text)
    return pd.DataFrame(
        {
            "code": areas["code"].astype(str).to_numpy(),
            "value": value.where(~too_few, np.nan).to_numpy(),
            "n": n.to_numpy(),
            "label": labels,
        }
    )


def indicator_table(areas: pd.DataFrame, values: pd.DataFrame, key: str, level: str) -> pd.DataFrame:
    """The table under the map: area, value (rounded as shown), n and the tooltip text,
    worst area first; areas without a value last."""
    ind = MAP_INDICATORS[key]
    spec = ind.spec
    value_header = spec.label + (f" ({spec.unit})" if spec.unit else "")
    table = pd.DataFrame({"Desa/Kelurahan" if level == "desa" else "Kecamatan": areas["name"].to_numpy()})
    if level == "desa":
        table["Kecamatan"] = areas["nama_kec"].to_numpy()
    table[value_header] = round_half_up(values["value"].to_numpy(), spec.decimals).to_numpy()
    table[f"n ({ind.n_unit})"] = pd.array(values["n"].to_numpy(), dtype="Int64")
    table["Keterangan"] = values["label"].to_numpy()
    order = pd.Series(values["value"].to_numpy(), dtype=float)
    table = table.iloc[order.sort_values(ascending=spec.higher_is_better, na_position="last", kind="stable").index]
    return table.reset_index(drop=True)
