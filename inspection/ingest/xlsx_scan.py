"""A sheet's rows read straight from its XML by pattern, for the plain sheets school tables are —
the values `xlsx_rows.values_by_row` would give, at a fraction of the cost (the sandbox's child only).

Building an element for each of a 50,000-row table's 650,000 cells and reading it back cost about
2.5 s, most of an XLSX `evaluate`. Here the <sheetData> block is matched against a strict grammar
of plain rows and cells (the attribute orders and the cell kinds Excel, WPS, LibreOffice and
openpyxl write: numbers, shared strings, one-piece inline strings, a formula's cached value) and
read with one pattern match per row. Everything else is proved by openpyxl itself: its sheet parser
runs over the rest of the document, with an empty, marked <sheetData/> in the rows' place.

All or nothing: anything the grammar does not cover — a date style, a boolean, a rich string, a
CDATA section, a comment, another encoding, an undeclared prefix, a reference that is not a
character — makes `scanned_rows` return None, and the caller reads the sheet the usual way, which
gives those values, or that file's error, itself. The grammar only admits well-formed XML, so a file
is never accepted here that the usual way refuses. tests/ingest/test_xlsx_rows.py holds crafted
sheets for each case and compares the two ways.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._reader import _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

MAX_SCANNED_BYTES = 128 * 1024 * 1024   # a larger sheet is read the streaming way (bounded memory)
_WORKSHEET = f"{{{SHEET_MAIN_NS}}}worksheet"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_OPEN, _CLOSE = b"<sheetData>", b"</sheetData>"
_MARK = b'<sheetData junheng-rows=""/>'    # the rows' place, to prove it is an element, not a comment's text
_PLAIN_TYPES = frozenset({b"n", b"s", b"inlineStr", b"str", b"e"})
_S = rb"[ \t\r\n]*"                     # XML white space, nothing more (\f and \v are not)
_TEXT = rb"[\t\n !-%'-;=-~]*"           # printable ASCII without & and <: no reference, no \r to normalise
_ATTR_VALUE = rb"[ !#-%'-;=-~]*"        # the same inside double quotes, without the quote
# A row: its number, its other attributes, its content (up to the first </row>: no '<' is raw in text)
_ROW = re.compile(rb'%s<row r="([0-9]+)"((?: [A-Za-z_][A-Za-z0-9_.:-]*="%s")*)%s(?:/>|>([^<]*(?:<(?!/row>)[^<]*)*)</row>)'
                  % (_S, _ATTR_VALUE, _S))
# A cell as these writers write it (no white space inside), or any other character: `junk`, which
# ends the scan. One pass of findall both reads a row's cells and proves they are all it holds.
_CELL = re.compile(
    rb'%(s)s(?:<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
    rb'(?:/>|>(?:<f>%(text)s</f>)?(?:<v>(%(text)s)</v>|(<is><t(?: xml:space="preserve")?(?:/>|>([^<]*)</t>)</is>))?</c>)'
    rb'|([^ \t\r\n]))' % {b"s": _S, b"text": _TEXT})
_ATTR_NAME = re.compile(rb' ([A-Za-z_][A-Za-z0-9_.:-]*)=')
_ENCODING = re.compile(rb'^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["\']([A-Za-z0-9._-]+)["\']')


class _NotScanned(Exception):
    """This sheet is read the usual way."""


def scanned_rows(sheet, parser_class, as_text: bool = False) -> list[tuple[int, tuple]] | None:
    """[(row number, values)] of each row element of a read-only `sheet`, in file order, as
    `parser_class` (openpyxl's sheet parser or `xlsx_rows._Parser`) would give them for plain rows
    — with `as_text`, each value as `xlsx_rows.cell_text` writes it —; None when the sheet is not
    one this grammar covers."""
    book = sheet.parent
    try:
        with sheet._get_source() as src:   # a damaged part is the usual way's to report, as it always has
            data = src.read(MAX_SCANNED_BYTES + 1)
        if len(data) > MAX_SCANNED_BYTES or data.count(_OPEN) != 1 or data.count(_CLOSE) != 1:
            raise _NotScanned
        start, end = data.index(_OPEN), data.index(_CLOSE)
        head, body, tail = data[:start], data[start + len(_OPEN):end], data[end + len(_CLOSE):]
        if b"]]>" in body:   # not allowed in text (nor anything this grammar reads elsewhere)
            raise _NotScanned
        namespaces = _rest_of_document(head + _MARK + tail, book, sheet, parser_class)
        return _rows(body, namespaces, sheet._shared_strings, book._date_formats,
                     _number_text if as_text else _number)
    except Exception:   # noqa: BLE001 — not covered, or not valid: the usual way reads it and decides
        return None


def _rest_of_document(document: bytes, book, sheet, parser_class) -> dict[bytes, bytes]:
    """Check everything but the rows as the usual way does (openpyxl's parser over the document
    without them, any error left to the usual way), and that the rows' place is the worksheet's one
    <sheetData> in UTF-8; the namespace prefixes in scope there."""
    match = _ENCODING.match(document)
    if document[:2] in (b"\xff\xfe", b"\xfe\xff") or (match and match[1].lower() not in (b"utf-8", b"utf8")):
        raise _NotScanned
    parser = parser_class(io.BytesIO(document), sheet._shared_strings, data_only=book.data_only,
                          epoch=book.epoch, date_formats=book._date_formats,
                          timedelta_formats=book._timedelta_formats)
    if any(True for _ in parser.parse()):   # a row outside <sheetData>: the usual way yields it
        raise _NotScanned
    namespaces, started = {b"xml": b"http://www.w3.org/XML/1998/namespace"}, False
    events = ET.iterparse(io.BytesIO(document), events=("start-ns", "start"))
    for event, item in events:
        started = started or event == "start"
        if not started:                     # the root's declarations; those below it are not in scope there
            namespaces[item[0].encode()] = item[1].encode()
    root = events.root                      # the whole tree, once the parse is through
    places = [child for child in root if child.tag == _SHEET_DATA]
    if root.tag != _WORKSHEET or len(places) != 1 or places[0].attrib != {"junheng-rows": ""}:
        raise _NotScanned   # the <sheetData> found by bytes was not the worksheet's own (a comment's?)
    return namespaces


def _rows(body: bytes, namespaces, shared_strings, date_formats, read_number) -> list[tuple[int, tuple]]:
    rows, position, checked = [], 0, set()
    for match in _ROW.finditer(body):
        if match.start() != position:
            raise _NotScanned
        position = match.end()
        number, attributes, content = match.groups()
        if attributes and attributes not in checked:
            _check_row_attributes(attributes, namespaces)
            checked.add(attributes)
        rows.append((int(number), _row_values(content, shared_strings, date_formats, read_number) if content else ()))
    if body[position:].strip(b" \t\r\n"):
        raise _NotScanned
    return rows


def _check_row_attributes(attributes: bytes, namespaces: dict[bytes, bytes]) -> None:
    """No namespace declaration, every prefix declared on the root, no attribute twice (by its
    namespace and name): else the XML is not well-formed, which the usual way refuses."""
    expanded = []
    for name in _ATTR_NAME.findall(attributes):
        prefix, colon, local = name.partition(b":")
        if name == b"xmlns" or prefix == b"xmlns" or (colon and (prefix not in namespaces or not local or b":" in local)):
            raise _NotScanned
        expanded.append((namespaces[prefix], local) if colon else (None, name))
    if len(set(expanded)) != len(expanded) or (None, b"r") in expanded:
        raise _NotScanned


_COLUMNS: dict[bytes, int] = {}   # column letters seen → column number


def _row_values(content: bytes, shared_strings, date_formats, read_number) -> tuple:
    """A row's values placed by column up to the last cell's, as `xlsx_rows._Parser` places them:
    the value of each cell as `_Parser._plain_cell` reads it."""
    columns, values, texts = [], [], []
    in_order = True   # cells A, B, C… each once, as writers write them: the values are the row as it is
    numbers = _NUMBERS.setdefault(read_number, {})
    for letters, style, kind, value, inline, text, junk in _CELL.findall(content):
        if junk:
            raise _NotScanned
        column = _COLUMNS.get(letters) or _column(letters)
        in_order = in_order and column == len(columns) + 1
        columns.append(column)
        if kind == b"inlineStr":
            if inline:
                texts.append((len(values), text))
            values.append(None)
        elif kind not in _PLAIN_TYPES and kind:
            raise _NotScanned
        elif not value:
            values.append(None)
        elif not kind or kind == b"n":
            if style and int(style) in date_formats:
                raise _NotScanned
            number = numbers.get(value)
            if number is None:
                number = read_number(value)
                if len(numbers) < _MAX_NUMBERS:
                    numbers[value] = number
            values.append(number)
        elif kind == b"s":
            values.append(shared_strings[int(value)])
        else:
            values.append(value.decode())   # 'str' (a formula's text) and 'e' (#N/A…)
    if not values:
        return ()
    for (at, _), text in zip(texts, _character_data([raw for _, raw in texts])):
        values[at] = text
    if in_order:
        return tuple(values)
    last = columns[-1]
    placed = [None] * last
    for column, value in zip(columns, values):
        if column <= last:
            placed[column - 1] = value
    return tuple(placed)


# A figure's text → its value (or its text), per reader: a table repeats its figures (counts of
# teachers, rooms), and reading one again costs a dictionary lookup. Bounded: a sheet of distinct
# figures fills it once and reads the rest as they come.
_NUMBERS: dict = {}
_MAX_NUMBERS = 100_000


def _number(value: bytes) -> int | float:
    return _cast_number(value.decode())


def _number_text(value: bytes) -> str:
    """`cell_text(_number(value))`: a whole number written plainly is its own text (most figures)."""
    if value.isdigit() and len(value) < 16 and (value[0] != 48 or len(value) == 1):   # 48: b"0"
        return value.decode()
    from inspection.ingest.xlsx_rows import cell_text
    return cell_text(_number(value))


def _column(letters: bytes) -> int:
    column = _COLUMNS[letters] = column_index_from_string(letters.decode())   # raises beyond XFD
    return column


def _character_data(pieces: list[bytes]) -> list[str]:
    """Texts between tags (no '<' in them) as the XML parser reads them — references replaced, line
    ends normalised, a character XML forbids refused —, by the parser itself: one small document
    a row, so every rule is the parser's, not a copy of it."""
    if not pieces:
        return []
    root = ET.fromstring(b"<r><t>" + b"</t><t>".join(pieces) + b"</t></r>")
    return [element.text or "" for element in root]
