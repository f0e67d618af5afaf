"""The targets register: shipped national path, local additions, no target without a source."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.targets import TargetError, read_targets

HEADER = "indicator,year,value_pct,level,area_code,source\n"


def test_shipped_register_holds_only_sourced_national_values() -> None:
    targets = read_targets()
    national = targets[(targets.indicator == "stunting") & (targets.level == "nasional")]
    assert dict(zip(national.year, national.value_pct, strict=True)) == {2024: 14.0, 2025: 18.8, 2029: 14.2, 2045: 5.0}
    assert national.source.str.len().gt(10).all()
    # no invented intermediate years on the RPJMN 2025-2029 path
    assert not set(national.year) & {2026, 2027, 2028}


def test_local_target_is_added_and_replaces_the_same_key(tmp_path: Path) -> None:
    (tmp_path / "targets.csv").write_text(
        HEADER
        + "stunting,2025,12.5,kabupaten,64.02,RPJMD Kukar 2021-2026 (contoh)\n"
        + 'stunting,2029,13.0,nasional,,"koreksi, sumber X"\n'
    )
    targets = read_targets(tmp_path)
    local = targets[targets.level == "kabupaten"].iloc[0]
    assert (local.year, local.value_pct, local.area_code) == (2025, 12.5, "64.02")
    assert targets[(targets.year == 2029)].value_pct.tolist() == [13.0]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("stunting,2025,12.5,kabupaten,64.02,\n", "tanpa sumber"),
        ("stunting,2025,120,kabupaten,64.02,RKPD\n", "bukan persen"),
        ("stunting,2025,12,kota,64.02,RKPD\n", "level"),
        ("gizi,2025,12,kabupaten,64.02,RKPD\n", "indikator"),
    ],
)
def test_bad_rows_stop_with_a_reason(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "targets.csv").write_text(HEADER + line)
    with pytest.raises(TargetError, match=message):
        read_targets(tmp_path)
