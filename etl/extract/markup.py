"""Tables written as markup that users receive with an Excel name.

Many web applications "export to Excel" by sending an HTML table named .xls (Excel opens
it after a warning), and older ones send Excel 2003 XML (SpreadsheetML). Both are read
as rows of text cells, the same grid an Excel sheet gives. The standard library's
HTMLParser expands only character references, never a document's own entities, so an
entity bomb stays a few bytes of text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from etl.extract.bounds import MAX_CELLS, MAX_COLUMNS, WorkbookTooLarge

_ROW_TAGS = {"tr", "row", "ss:row"}
_CELL_TAGS = {"td", "th", "cell", "ss:cell"}
_BREAK_TAGS = {"br", "p", "div"}
_MAX_SPAN = MAX_COLUMNS  # a colspan beyond the widest register is a broken file, not more columns
_MARKUP_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|table|head|body|meta|style|\?mso|workbook|ss:workbook)\b",
    re.I | re.S,
)
_SPREADSHEET_ML = "urn:schemas-microsoft-com:office:spreadsheet"


def looks_like_markup(text: str) -> bool:
    head = text[:4096]
    return bool(_MARKUP_START.match(head)) or (_SPREADSHEET_ML in head and "<" in head[:200])


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str | None]] = []
        self._row: list[str | None] | None = None
        self._cell: list[str] | None = None
        self._span = 1
        self._skip = 0  # inside <style> or <script>
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script"}:
            self._skip += 1
        elif tag in _ROW_TAGS:
            self._close_row()
            self._row = []
        elif tag in _CELL_TAGS:
            if self._row is None:
                self._row = []
            self._close_cell()
            values = {name.split(":")[-1]: value for name, value in attrs}
            index = _number(values.get("index"))  # SpreadsheetML skips empty cells with ss:Index
            if index is not None and index - 1 > len(self._row):
                self._row.extend([None] * min(_MAX_SPAN, index - 1 - len(self._row)))
            span = _number(values.get("colspan")) or 1
            across = _number(values.get("mergeacross"))
            self._span = min(_MAX_SPAN, max(1, span, (across or 0) + 1))
            self._cell = []
        elif tag in _BREAK_TAGS and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script"}:
            self._skip = max(0, self._skip - 1)
        elif tag in _CELL_TAGS:
            self._close_cell()
        elif tag in _ROW_TAGS:
            self._close_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        text = " ".join("".join(self._cell).split()) or None
        if len(self._row) < MAX_COLUMNS:  # cells past the widest sheet we read are dropped
            self._row.append(text)
            self._row.extend([None] * min(self._span - 1, MAX_COLUMNS - len(self._row)))  # merged: text once
        self._cell, self._span = None, 1

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None:
            blank = not any(self._row)
            self.cells += 0 if blank else len(self._row)
            if self.cells > MAX_CELLS:
                raise WorkbookTooLarge(
                    f"tabel lebih dari {MAX_CELLS:,} sel; pecah menjadi beberapa file".replace(",", ".")
                )
            self.rows.append([] if blank else self._row)  # a blank row keeps its number, not its cells
        self._row = None

    def close(self) -> None:
        super().close()
        self._close_row()


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def markup_rows(text: str) -> list[list[str | None]]:
    """Every table row of the document, in order (title tables above the data included)."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return parser.rows
