"""A read-only sheet's rows of values, as openpyxl's `iter_rows(values_only=True)` gives them once
`reset_dimensions()` has been called, read with less work per cell (the sandbox's child only).

openpyxl turns each cell into a dict through a general parser (coordinates split character by
character, inline strings through its object model): about 7 µs a cell, 4.6 s of a 50,000-row
school table. `values_by_row` runs openpyxl's own sheet parser — the same XML parser, the same
handling of everything outside the rows — with `_Parser`, whose `parse_row` reads a plain row
itself and places its values as openpyxl's `_get_row` would: cells with a coordinate holding a
number that is not a date, a shared or one-piece inline string, a formula's text or an error
value. Any other row (a date, a boolean, a rich string, a cell without coordinate, anything that
raises) is left to openpyxl's `parse_row`, which gives that row's values, or its error, itself.
Only for the workbooks the reader opens: read-only, cached values (`data_only`).

It leans on openpyxl's internals (WorkSheetParser, a read-only sheet's source, shared strings
and date styles): tests/ingest/test_xlsx_rows.py compares it with `iter_rows` on crafted sheets,
so a change there shows as a difference, not as wrong figures.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterator

from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._reader import INLINE_STRING, VALUE_TAG, WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

from inspection.ingest.xlsx_scan import scanned_rows

CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_PLAIN_TYPES = frozenset({"n", "s", "inlineStr", "str", "e"})   # 'b' and 'd' are left to openpyxl


class _NotPlain(Exception):
    """This row is openpyxl's to read."""


def values_by_row(sheet) -> Iterator[tuple]:
    """`sheet.iter_rows(values_only=True)` of a read-only `sheet` without dimensions: a row of values
    for every row number from 1 to the last (a missing row is empty), as
    `ReadOnlyWorksheet._cells_by_row(1, 1, None, None, values_only=True)` yields them."""
    scanned = scanned_rows(sheet, _Parser) if sheet.parent.data_only else None
    yield from _numbered(_parsed_rows(sheet) if scanned is None else scanned, sheet)


def texts_by_row(sheet) -> Iterator[tuple]:
    """`values_by_row`'s rows as the text a person sees (`cell_text` of each value, text as it is)."""
    scanned = scanned_rows(sheet, _Parser, as_text=True) if sheet.parent.data_only else None
    if scanned is not None:
        yield from _numbered(scanned, sheet)
        return
    for values in _numbered(_parsed_rows(sheet), sheet):
        yield tuple(v if type(v) is str else cell_text(v) for v in values)


def cell_text(value: object) -> str | None:
    """A cell's value as the text a person sees: 1200.0 → '1200', dates ISO, empty → None."""
    if value is None:
        return None
    if type(value) is int:   # most figures: asked first
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _parsed_rows(sheet) -> Iterator[tuple[int, object]]:
    """(row number, values or openpyxl's cells) of each row element, by openpyxl's parser."""
    book = sheet.parent
    with sheet._get_source() as src:
        parser = _Parser(src, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                         date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        yield from parser.parse()


def _numbered(rows, sheet) -> Iterator[tuple]:
    """Row numbers' values from 1 on, as `_cells_by_row` yields them from the parser's (number, row)."""
    counter = 1
    for idx, row in rows:
        for _ in range(counter, idx):   # rows missing from the file
            counter += 1
            yield ()
        if counter <= idx:
            counter += 1
            yield row if isinstance(row, tuple) else sheet._get_row(row, 1, None, True)


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, whose rows are a plain row's values (a tuple, as `_get_row` makes
    them) or, for any other row, openpyxl's own cells."""

    def parse_row(self, row):
        try:
            number, values, column = self._plain_row(row)
        except Exception:   # noqa: BLE001 — not plain, or not valid: openpyxl reads it and decides
            return super().parse_row(row)
        self.row_counter, self.col_counter = number, column
        attrs = row.attrib
        if {k for k in attrs if not k.startswith("{")} - {"r", "spans"}:
            self.row_dimensions[str(number)] = dict(attrs)
        return number, values

    def _plain_row(self, row) -> tuple[int, tuple, int]:
        """(row number, values, last cell's column) of a plain row, the values placed by column up to
        the last cell's as `_get_row` places them; raises for any other row."""
        r = row.get("r")
        if r is None or not (r.isascii() and r.isdigit()):
            raise _NotPlain
        cells = [self._plain_cell(element) for element in row]
        if not cells:
            return int(r), (), 0
        last = cells[-1][0]
        values = [None] * last
        for column, value in cells:
            if column <= last:
                values[column - 1] = value
        return int(r), tuple(values), last

    def _plain_cell(self, element) -> tuple[int, object]:
        """(column, value) as `WorkSheetParser.parse_cell` with `data_only` gives them — for the cells
        it reads without a date conversion, an object model or a position counter."""
        data_type, style_id = element.get("t", "n"), element.get("s", 0)
        if element.tag != CELL_TAG or data_type not in _PLAIN_TYPES or not self.data_only:
            raise _NotPlain
        if style_id:
            style_id = int(style_id)
        column = _column_of(element.get("r"))
        if data_type == "inlineStr":
            return column, _inline_text(element)
        value = element.findtext(VALUE_TAG, None) or None
        if value is None:
            return column, None
        if data_type == "n":
            if style_id in self.date_formats:
                raise _NotPlain
            return column, _cast_number(value)
        if data_type == "s":
            return column, self.shared_strings[int(value)]
        return column, value   # 'str' (a formula's text) and 'e' (#N/A…): the text itself


_COLUMNS: dict[str, int] = {}   # column letters seen → index


def _column_of(coordinate: str | None) -> int:
    """The column of 'AB12' (letters then ASCII digits, as openpyxl's coordinate_to_tuple splits it)."""
    letters = (coordinate or "").rstrip("0123456789")
    if len(letters) == len(coordinate or ""):
        raise _NotPlain   # no row number
    column = _COLUMNS.get(letters)
    if column is None:
        if not (letters.isalpha() and letters.isascii()):
            raise _NotPlain
        column = _COLUMNS[letters] = column_index_from_string(letters)
    return column


def _inline_text(element) -> object:
    """`Text.from_tree(<is>).content` for an inline string of one plain <t> (openpyxl gives '' for an
    empty one); None when the cell has no <is>."""
    child = element.find(INLINE_STRING)
    if child is None:
        return None
    if len(child) != 1 or child[0].tag != TEXT_TAG or len(child[0]):
        raise _NotPlain
    return child[0].text or ""
