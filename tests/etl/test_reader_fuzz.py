"""Random bytes as a CSV: every byte sequence gives rows or a rejection naming the file,
never an uncaught exception; every row read is accepted or rejected; no control
character reaches an accepted value."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.extract.reader import ReadError, read_register_file
from etl.regions import RegionMatcher
from etl.registers import EPPGBM
from etl.validate import REJECTED, validate_table
from tests.support.eppgbm_files import EPPGBM_HEADER, eppgbm_row

HEADER = ";".join(EPPGBM_HEADER).encode()
GOOD_ROW = ";".join(str(v).replace(".", ",") for v in eppgbm_row().values()).encode()
# bytes that broke readers before, mixed with ordinary text
TRICKY = [b";", b",", b'"', b"\r", b"\n", b"\r\n", b"\x00", b"\x0c", b"\x1c", b"\x85", b"\xe2\x80\xa8", b"\xff", b"\t"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
MATCHER = RegionMatcher()

fragments = st.one_of(st.sampled_from(TRICKY), st.binary(max_size=12), st.just(GOOD_ROW))
bodies = st.lists(fragments, max_size=40).map(b"".join)


def _check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        table = read_register_file(path, EPPGBM.key_headers)
    except ReadError as error:
        assert str(error).startswith(path.name + ": ")
        return
    result = validate_table(EPPGBM, table, MATCHER, date(2025, 11, 30))
    refused = result.rejections[result.rejections["action"] == REJECTED]
    if (refused["row_number"] <= table.header_row).any():
        assert result.accepted.empty  # a whole-file refusal
    else:
        assert result.rows_read == len(result.accepted) + refused["row_number"].nunique()
    for column in result.accepted.select_dtypes(include=["string", "object"]).columns:
        values = result.accepted[column].dropna()
        assert not values.astype(str).str.contains(CONTROL).any(), column


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=bodies, body=bodies)
def test_random_bytes_around_a_header(tmp_path: Path, title: bytes, body: bytes):
    _check(tmp_path / "fuzz.csv", title + b"\n" + HEADER + b"\r\n" + body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_alone(tmp_path: Path, data: bytes):
    _check(tmp_path / "fuzz.csv", data)
