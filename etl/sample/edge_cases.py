"""A few e-PPGBM rows placed exactly on the boundaries the dashboard's numbers depend on, so
the tests built on the sample can tell `<` from `<=`, the latest measurement of a month from
the earliest, and 1826 days from 1825.

All in one posyandu in September 2025 (the October headline stays untouched), written as
`eppgbm/generated/eppgbm_kasus_batas.csv` beside the monthly bulk: about thirty children,
a rounding error at scale 1. Each child's name starts with "Batas" and says its case, so a
test finds the rows by their source file and row number (EDGE_CASES order).

Heights and weights are found by searching the floats next to the WHO LMS value until the
project's own z-score code, fed the text as the reader parses it, gives exactly the target
(e.g. HAZ == -2.0): the cases hold with and without WHO's two-decimal rounding. The
rounding-boundary cases (-2.004, -2.005, -2.006) hold only after rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd

EDGE_FILE = "eppgbm_kasus_batas.csv"
EDGE_MONTH = date(2025, 9, 1)
MEASURED_ON = date(2025, 9, 15)
NEIGHBOURS = 64  # floats tried on each side of the bisection's result
MAX_AGE_DAYS = 1826
MAX_AGE_SHIFT = 200  # days an exact case may move to find a float that hits its target


@dataclass(frozen=True)
class EdgeCase:
    """One row: the child's `label`, age at measurement and the z-score it is built to hit."""

    label: str
    age_days: int = 400
    haz: float = -1.0
    whz: float | None = None  # None: weight at the median for age
    sex: str = "L"
    measured_on: date = MEASURED_ON
    child: str | None = None  # the same child on two dates: both rows share this name
    exact: bool = False  # the z-score must equal the target to the last bit (a cut-off itself)

    @property
    def name(self) -> str:
        return f"Batas {self.child or self.label}"


EDGE_CASES: tuple[EdgeCase, ...] = (
    # measured twice in the month: the later row decides
    EdgeCase("latest_not_stunted_early", haz=-2.8, measured_on=date(2025, 9, 3), child="latest_not_stunted"),
    EdgeCase("latest_not_stunted_late", 421, haz=-1.0, measured_on=date(2025, 9, 24), child="latest_not_stunted"),
    EdgeCase("latest_stunted_early", haz=-0.5, measured_on=date(2025, 9, 2), child="latest_stunted"),
    EdgeCase("latest_stunted_late", 423, haz=-2.6, measured_on=date(2025, 9, 25), child="latest_stunted"),
    # age window (0-1826 days) and the lying/standing switch at 731 days
    EdgeCase("age_0", age_days=0, haz=-2.5),
    EdgeCase("age_730", age_days=730, haz=-2.5),
    EdgeCase("age_731", age_days=731, haz=-2.5),
    EdgeCase("age_1826", age_days=1826, haz=-2.5),
    EdgeCase("age_1827", age_days=1827, haz=-2.5),  # rejected: not a balita
    # HAZ cut-offs (stunted < -2, severe < -3) and flag limits (< -6 or > 6)
    EdgeCase("haz_-1.99", haz=-1.99),
    EdgeCase("haz_-2.00", haz=-2.0, exact=True),
    EdgeCase("haz_-2.01", haz=-2.01),
    EdgeCase("haz_-3.00", haz=-3.0, exact=True),
    EdgeCase("haz_-3.01", haz=-3.01),
    EdgeCase("haz_-6.00", haz=-6.0, exact=True),
    EdgeCase("haz_-6.01", haz=-6.01),
    EdgeCase("haz_+6.00", haz=6.0, exact=True),
    EdgeCase("haz_+6.01", haz=6.01),
    # WHO rounding: -2.004 → -2.00 (not stunted); -2.005 (computed as -2.005000000000003) and
    # -2.006 → -2.01 (stunted)
    EdgeCase("haz_-2.004", haz=-2.004),
    EdgeCase("haz_-2.005", haz=-2.005),
    EdgeCase("haz_-2.006", haz=-2.006),
    # WHZ cut-offs (wasted < -2, severe < -3, overweight > 2, obese > 3) and flags (±5)
    EdgeCase("whz_-2.00", haz=0.0, whz=-2.0, exact=True),
    EdgeCase("whz_-2.01", haz=0.0, whz=-2.01),
    EdgeCase("whz_-3.00", haz=0.0, whz=-3.0, exact=True),
    EdgeCase("whz_-3.01", haz=0.0, whz=-3.01),
    EdgeCase("whz_+2.00", haz=0.0, whz=2.0, exact=True),
    EdgeCase("whz_+2.01", haz=0.0, whz=2.01),
    EdgeCase("whz_+3.00", haz=0.0, whz=3.0, exact=True),
    EdgeCase("whz_+3.01", haz=0.0, whz=3.01),
    EdgeCase("whz_-5.01", haz=0.0, whz=-5.01),
    # unknown sex: the row is rejected with a reason, never guessed
    EdgeCase("sex_unknown", sex=""),
    # a girl, so both sexes' tables are used
    EdgeCase("girl_haz_-2.00", haz=-2.0, sex="P", exact=True),
)


def _measure(age_days: int) -> str:
    return "L" if age_days < 731 else "H"


def _parsed(values: np.ndarray) -> np.ndarray:
    """The floats the reader gets back from the text we write (repr is shortest round-trip)."""
    from etl.validate import _to_number

    return _to_number(pd.Series([repr(float(v)) for v in values], dtype="string")).to_numpy()


def _z(column: str, sex: int, age: int, weight: np.ndarray, height: np.ndarray) -> np.ndarray:
    from etl.transform.zscores import compute_zscores

    n = len(weight)
    z = compute_zscores(
        sex=np.full(n, float(sex)),
        age_days=np.full(n, float(age)),
        weight_kg=weight,
        height_cm=height,
        measure=np.full(n, _measure(age), dtype=object),
    )
    return z[column].to_numpy()


def _solve(zscore, target: float, low: float, high: float) -> tuple[float, bool]:
    """The value in [low, high] whose z-score (increasing in the value) is nearest `target`,
    searched by bisection and then among the neighbouring floats as the reader parses them;
    the flag says whether the z-score is exactly `target`."""
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if zscore(np.array([middle]))[0] < target:
            low = middle
        else:
            high = middle
    candidates = _parsed(low + np.arange(-NEIGHBOURS, NEIGHBOURS + 1) * np.spacing(low))
    distance = np.abs(zscore(candidates) - target)
    best = int(np.argmin(distance))
    return float(candidates[best]), bool(distance[best] == 0)


@cache
def _values(case: EdgeCase) -> tuple[int, float, float]:
    """(age_days, weight_kg, height_cm) for the case. An exact case's age moves on a day at a
    time until some float hits its target; the others need only be within float noise."""
    from etl.sample.growth import load_lms

    sex = 1 if case.sex != "P" else 2
    for age in range(case.age_days, case.age_days + MAX_AGE_SHIFT):
        weight = float(load_lms("day_wfa").value(np.array([0.0]), np.array([sex]), np.array([age]))[0])
        if age > MAX_AGE_DAYS:  # no z-score past 60 months: the LMS value at 60 months will do
            height = float(load_lms("day_lhfa").value(np.array([case.haz]), np.array([sex]), np.array([age]))[0])
            return age, weight, height
        height, hit = _solve(lambda h, w=weight, a=age: _z("haz", sex, a, np.full(len(h), w), h), case.haz, 30.0, 140.0)
        if case.whz is not None:
            weight, hit = _solve(
                lambda w, h=height, a=age: _z("whz", sex, a, w, np.full(len(w), h)), case.whz, 1.0, 40.0
            )
        if hit or not case.exact:
            return age, weight, height
    raise RuntimeError(f"no exact value for edge case {case.label}")


def edge_case_frame(posyandu: pd.Series) -> pd.DataFrame:
    """The e-PPGBM rows (38 columns, text as downloaded) at `posyandu`, a row of the master
    (posyandu_name, nama_kec, nama_desa, puskesmas, kode_kec)."""
    from etl.sample.eppgbm import BULAN, EPPGBM_COLUMNS

    rows = []
    births: dict[str, tuple[date, int]] = {}  # child → birth date and the number in its NIK
    for number, case in enumerate(EDGE_CASES, start=1):
        age_days, weight, height = _values(case)
        birth, serial = births.setdefault(case.name, (case.measured_on - timedelta(days=age_days), 9000 + number))
        age = case.measured_on - birth
        row = dict.fromkeys(EPPGBM_COLUMNS, "")
        row.update(
            {
                "NIK": f"{posyandu['kode_kec'].replace('.', '')}{birth:%d%m%y}{serial:04d}",
                "Nama": case.name,
                "JK": case.sex,
                "Tgl Lahir": f"{birth:%d/%m/%Y}",
                "Nama Ortu": "Ibu Batas",
                "Prov": "KALIMANTAN TIMUR",
                "Kab/Kota": "KUTAI KARTANEGARA",
                "Kec": posyandu["nama_kec"].upper(),
                "Pukesmas": posyandu["puskesmas"],
                "Desa/Kel": posyandu["nama_desa"].upper(),
                "Posyandu": posyandu["posyandu_name"],
                "Alamat": "Jl. Batas",
                "Usia Saat Ukur": f"{age.days // 365} Tahun - 0 Bulan - 0 Hari",
                "Tanggal Pengukuran": f"{case.measured_on:%d/%m/%Y}",
                "Bulan Pengukuran": BULAN[case.measured_on.month - 1],
                "Status Bulan": str(case.measured_on.month),
                "status tahun": str(case.measured_on.year),
                "Berat": repr(weight),
                "Tinggi": repr(height),
                "Cara Ukur": "Terlentang" if _measure(age_days) == "L" else "Berdiri",
                "Naik Berat Badan": "N",
            }
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=EPPGBM_COLUMNS)


def edge_posyandu(master: pd.DataFrame) -> pd.Series:
    """The posyandu balita that holds the edge cases: the first by id (deterministic)."""
    balita = master[master["legacy_type"] == "Balita"].sort_values("posyandu_id")
    return balita.iloc[0]
