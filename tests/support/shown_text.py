"""What a user can read in a page run under AppTest: every string of every element, and each
table cell as the grid draws it. Used to prove no page shows None, nan, NaT or <NA>."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

import pandas as pd
import pyarrow as pa
from google.protobuf.message import Message

# A missing value leaking into text: "None", "nan", "NaN", "NaT", "<NA>" as a word of its own.
LEAKED_MISSING = re.compile(r"(?<![\w<])(None|nan|NaN|NaT|<NA>)(?![\w>])")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def proto_strings(message: Message) -> Iterator[str]:
    """Every string field of an element (plotly specs parsed: titles, hover text, tick text)."""
    for field, value in message.ListFields():
        if field.name in {"arrow_data", "data", "display_values", "styles", "columns", "id", "form_id"}:
            continue  # tables are read cell by cell below
        values = (
            value
            if getattr(field, "is_repeated", False)
            or isinstance(value, Sequence)
            and not isinstance(value, str | bytes)
            else [value]
        )
        for item in values:
            if isinstance(item, Message):
                yield from proto_strings(item)
            elif isinstance(item, str):
                if field.name == "spec" and item.startswith("{"):
                    yield from _strings(json.loads(item))
                else:
                    yield item


def _arrow(payload: bytes) -> pd.DataFrame:
    return pa.ipc.open_stream(payload).read_all().to_pandas()


def table_cells(proto: Message) -> Iterator[str]:
    """Each cell as drawn: a missing value as the table's placeholder (Streamlit draws "None"
    when none is set), otherwise the Styler's display text or the value itself."""
    raw = _arrow(proto.arrow_data.data)
    shown = _arrow(proto.arrow_data.styler.display_values) if proto.arrow_data.styler.display_values else None
    placeholder = proto.placeholder if proto.HasField("placeholder") else "None"
    for col in range(raw.shape[1]):
        for row in range(raw.shape[0]):
            value = raw.iat[row, col]
            if not isinstance(value, list | tuple) and pd.isna(value):
                yield placeholder
            elif shown is not None:
                yield str(shown.iat[row, col])
            else:
                yield str(value)
    for name in raw.columns:
        yield str(name)


def leaked_missing(at) -> list[str]:
    """Texts of the page run `at` in which a missing value shows, with where."""
    found = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if not isinstance(proto, Message):
            continue
        if node.type in {"dataframe", "arrow_data_frame", "table"} or proto.DESCRIPTOR.name == "Dataframe":
            texts = table_cells(proto)
        else:
            texts = proto_strings(proto)
        found += [f"{node.type}: {text[:160]!r}" for text in texts if LEAKED_MISSING.search(text)]
    return found


def _walk(node) -> Iterator[object]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
