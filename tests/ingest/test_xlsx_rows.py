"""`xlsx_rows.values_by_row` gives what openpyxl's `iter_rows(values_only=True)` gives, row for row
and value for value (or the same error), whatever the sheet's XML holds: it only reads plain rows
with less work, and leaves every other row to openpyxl."""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inspection.ingest.xlsx_rows import values_by_row

FIXTURES = Path(__file__).parent / "fixtures"
SHEET = "xl/worksheets/sheet1.xml"


def _both(data: bytes):
    """(openpyxl's rows or error, values_by_row's rows or error) for every sheet of a workbook."""
    def read(rows_of):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        out = []
        try:
            for sheet in book.worksheets:
                sheet.reset_dimensions()
                out.append([tuple(r) for r in rows_of(sheet)])
        except Exception as exc:  # noqa: BLE001 — the error is part of what must agree
            out.append((type(exc).__name__, str(exc)))
        finally:
            book.close()
        return out
    return read(lambda s: s.iter_rows(values_only=True)), read(values_by_row)


def _workbook(rows=(), sheet_data: str | None = None) -> bytes:
    """A workbook written by openpyxl; with `sheet_data`, its first sheet's <sheetData> replaced."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if sheet_data is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            content = source.read(item)
            if item == SHEET:
                text = content.decode()
                start, end = text.index("<sheetData"), text.index("</sheetData>") + len("</sheetData>")
                content = (text[:start] + sheet_data + text[end:]).encode()
            target.writestr(item, content)
    return out.getvalue()


def test_cells_of_every_kind_openpyxl_writes():
    rows = [["学校名称", "学段", 1200, 3.25, None, True, datetime.date(2024, 1, 2), "=1+1", 0, -4.5, 1e20],
            [], [None, None, "x"], ["  spaced  ", "多\n行", 7]]
    written, ours = _both(_workbook(rows))
    assert written == ours and written[0][0][2] == 1200


CRAFTED = {
    "plain": '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1"><v>12</v></c></row>',
    "row gap": '<row r="2"><c r="A2"><v>1</v></c></row><row r="5"><c r="C5"><v>2.5</v></c></row>',
    "row without number": '<row><c r="A1"><v>1</v></c></row><row><c r="A2"><v>2</v></c></row>',
    "cell without coordinate": '<row r="1"><c><v>1</v></c><c><v>2</v></c></row>',
    "lower-case coordinate": '<row r="1"><c r="b1"><v>3</v></c></row>',
    "cells out of order": '<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row>',
    "same cell twice": '<row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c></row>',
    "rows out of order": '<row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>',
    "row number as float": '<row r="2.0"><c r="A2"><v>1</v></c></row>',
    "row with height": '<row r="1" ht="30" customHeight="1"><c r="A1"><v>1</v></c></row>',
    "empty row": '<row r="1"/><row r="2"><c r="B2"><v>1</v></c></row>',
    "empty value": '<row r="1"><c r="A1"><v></v></c><c r="B1" t="s"/></row>',
    "rich inline string": '<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>',
    "phonetic inline string": '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t><rPh sb="0" eb="1"><t>z</t></rPh></is></c></row>',
    "empty inline string": '<row r="1"><c r="A1" t="inlineStr"><is><t/></is></c><c r="B1" t="inlineStr"/></row>',
    "entities": '<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;&amp;&#23398;</t></is></c></row>',
    "boolean, error, text, date": '<row r="1"><c r="A1" t="b"><v>0</v></c><c r="B1" t="e"><v>#N/A</v></c>'
                                  '<c r="C1" t="str"><v>formula text</v></c><c r="D1" t="d"><v>2024-01-02</v></c></row>',
    "unknown type": '<row r="1"><c r="A1" t="zz"><v>1</v></c></row>',
    "exponent and negative": '<row r="1"><c r="A1"><v>1E3</v></c><c r="B1"><v>-7</v></c><c r="C1"><v>2e-2</v></c></row>',
    "not a number": '<row r="1"><c r="A1"><v>abc</v></c></row>',
    "bad style": '<row r="1"><c r="A1" s="x"><v>1</v></c></row>',
    "bad column": '<row r="1"><c r="XFE1"><v>1</v></c></row>',
    "coordinate without row": '<row r="1"><c r="A"><v>1</v></c></row>',
    "shared string out of range": '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
    "formula with cached value": '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
    "element in a row": '<row r="1"><c r="A1"><v>1</v></c><extLst/></row>',
}


@pytest.mark.parametrize("case", CRAFTED)
def test_crafted_sheet_xml(case):
    written, ours = _both(_workbook(sheet_data=f"<sheetData>{CRAFTED[case]}</sheetData>"))
    assert written == ours


@pytest.mark.parametrize("name", ["lo-calc.xlsx"])
def test_a_workbook_with_shared_strings(name):
    written, ours = _both((FIXTURES / name).read_bytes())
    assert written == ours and any(any(r) for r in written[0])


def test_a_date_styled_number_is_openpyxls_to_convert():
    written, ours = _both(_workbook([[datetime.datetime(2024, 5, 6, 7, 8, 9), datetime.time(1, 2)]]))
    assert written == ours and isinstance(written[0][0][0], datetime.datetime)


def test_plain_rows_are_read_without_openpyxls_cell_parser(monkeypatch):
    from inspection.ingest import xlsx_rows
    data = _workbook([["学校名称", "学段", "在校学生数"], ["一小", "小学", 800], ["一中", "初中", 612.5]])
    expected, _ = _both(data)

    def refuse(self, element):
        raise AssertionError("a plain cell went through openpyxl's parse_cell")
    monkeypatch.setattr(xlsx_rows._Parser, "parse_cell", refuse)
    assert _both(data)[1] == expected


# The pattern scan (xlsx_scan) reads a plain sheet without openpyxl's parser; anything its grammar
# does not cover is read the usual way. Either way the values (or the error) are openpyxl's.
SCANNED = {   # sheetData → read by the scan (True) or the usual way (False)
    "plain": (CRAFTED["plain"], True),
    "row gap": (CRAFTED["row gap"], True),
    "entities": (CRAFTED["entities"], True),
    "line ends": ('<row r="1"><c r="A1" t="inlineStr"><is><t>a\r\nb\rc&#13;d</t></is></c></row>', True),
    "space kept": ('<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c></row>', True),
    "rows on their own lines": ('\n  <row r="1">\n <c r="A1"><v>1</v></c>\t<c r="B1"><v>2</v></c>\n</row>\r\n', True),
    "xml: attribute": ('<row r="1" xml:lang="zh"><c r="A1"><v>1</v></c></row>', True),
    "excel's row": ('<row r="1" spans="1:2" ht="15"><c r="A1" s="0" t="e"><v>#DIV/0!</v></c></row>', True),
    "formula text": ('<row r="1"><c r="A1" t="str"><f>A2&amp;""</f><v>x</v></c></row>', False),
    "CDATA": ('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<x>]]></t></is></c></row>', False),
    "comment": ('<!-- note --><row r="1"><c r="A1"><v>1</v></c></row>', False),
    "undefined entity": ('<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>', False),
    "reference to no character": ('<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>', False),
    "reference beyond Unicode": ('<row r="1"><c r="A1" t="inlineStr"><is><t>&#x110000;</t></is></c></row>', False),
    "control character": ('<row r="1"><c r="A1" t="inlineStr"><is><t>a\x01b</t></is></c></row>', False),
    "]]> in text": ('<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>', False),
    "]]> in a value": ('<row r="1"><c r="A1" t="e"><v>]]></v></c></row>', False),
    "bare ampersand": ('<row r="1"><c r="A1" t="inlineStr"><is><t>a & b</t></is></c></row>', False),
    "undeclared prefix": ('<row r="1" zz:a="1"><c r="A1"><v>1</v></c></row>', False),
    "attribute twice": ('<row r="1" ht="3" ht="4"><c r="A1"><v>1</v></c></row>', False),
    "namespace on a row": ('<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>', False),
    "single quotes": ("<row r='1'><c r='A1'><v>1</v></c></row>", False),
    "reference in a value": ('<row r="1"><c r="A1"><v>&#49;</v></c></row>', False),
    "space inside a cell": ('<row r="1"><c r="A1"> <v>1</v></c></row>', False),
    "rows in a comment": ('<!--<sheetData><row r="1"><c r="A1"><v>9</v></c></row></sheetData>--><sheetData/>', False),
    "a date style": (None, False),
}


def _sheet_xml(case: str) -> bytes:
    if SCANNED[case][0] is None:
        return _workbook([[datetime.date(2024, 1, 2), 3]])
    xml = SCANNED[case][0]
    return _workbook(sheet_data=xml if xml.startswith("<!--<sheetData>") else f"<sheetData>{xml}</sheetData>")


@pytest.mark.parametrize("case", SCANNED)
def test_the_scan_reads_what_its_grammar_covers_and_agrees_with_openpyxl(case):
    from inspection.ingest.xlsx_rows import _Parser
    from inspection.ingest.xlsx_scan import scanned_rows
    data = _sheet_xml(case)
    written, ours = _both(data)
    assert written == ours
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    assert (scanned_rows(sheet, _Parser) is not None) == SCANNED[case][1]


def test_another_encoding_is_read_the_usual_way():
    from inspection.ingest.xlsx_rows import _Parser
    from inspection.ingest.xlsx_scan import scanned_rows
    data = _recoded(_workbook([["学校", 1]]), "UTF-16")
    written, ours = _both(data)
    assert written == ours and written[0][0] == ("学校", 1)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    assert scanned_rows(book.worksheets[0], _Parser) is None


def _recoded(data: bytes, encoding: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            content = source.read(item)
            if item == SHEET:
                text = content.decode()
                text = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
                content = f'<?xml version="1.0" encoding="{encoding}"?>{text}'.encode(encoding)
            target.writestr(item, content)
    return out.getvalue()


def test_a_school_table_is_scanned_without_openpyxls_row_parser(monkeypatch):
    """The form workbook as counties fill it is read by the scan: the usual way is never asked."""
    from inspection.ingest import xlsx_rows
    from inspection.forms import build_workbook, fill_workbook
    from inspection.standard import load_standard
    from tests.factories import school
    standard = load_standard()
    book = build_workbook(standard)
    fill_workbook(book, [school(standard, f"第{i}小学", "primary", students=300 + i) for i in range(30)])
    buffer = io.BytesIO()
    book.save(buffer)
    expected, _ = _both(buffer.getvalue())

    def refuse(self, row):
        raise AssertionError("a row of a plain sheet went through the parser")
    monkeypatch.setattr(xlsx_rows._Parser, "parse_row", refuse)
    assert _both(buffer.getvalue())[1] == expected and len(expected[0]) > 30


TRICKS = [']]>', '<v>]]>1</v>', '&amp;', '&#23398;', '\r\n', '&bogus;', ']]>', '<!--x-->', ' ', '\x02', '&#xD800;', '<v>1</v>',
          '" ht="2', '<c r="Z1"/>', '</c>', '<row r="9"/>', '<![CDATA[1]]>', '&lt;', '"', "'"]


def test_random_damage_to_a_sheet_reads_as_openpyxl_reads_it():
    """Tricky bytes dropped at random places in a plain sheet: whatever each way reads or refuses,
    the two agree (seeded, so a failure is reproducible)."""
    import random
    rng = random.Random(13)
    base = ('<row r="1"><c r="A1" t="inlineStr"><is><t>学校&amp;名</t></is></c><c r="B1" s="1"><v>12</v></c>'
            '</row><row r="2" ht="20"><c r="A2" t="inlineStr"><is><t>一小</t></is></c><c r="B2"><v>3.5</v></c>'
            '<c r="C2" t="e"><v>#N/A</v></c></row>')
    for _ in range(60):
        xml = base
        for _ in range(rng.randint(1, 2)):
            at = rng.randrange(len(xml) + 1)
            xml = xml[:at] + rng.choice(TRICKS) + xml[at:]
        written, ours = _both(_workbook(sheet_data=f"<sheetData>{xml}</sheetData>"))
        assert written == ours, xml


def _texts_both(data: bytes):
    """(openpyxl's rows as text, texts_by_row's rows), or the error each gives."""
    from inspection.ingest.xlsx_rows import cell_text, texts_by_row

    def read(rows_of):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [[tuple(r) for r in rows_of(sheet)] for sheet in _reset(book.worksheets)]
        except Exception as exc:  # noqa: BLE001 — the error is part of what must agree
            return (type(exc).__name__, str(exc))
        finally:
            book.close()
    return (read(lambda s: (tuple(v if type(v) is str else cell_text(v) for v in r)
                            for r in s.iter_rows(values_only=True))),
            read(texts_by_row))


def _reset(sheets):
    for sheet in sheets:
        sheet.reset_dimensions()
        yield sheet


NUMBERS = '<row r="1">' + "".join(f'<c r="{c}1"><v>{v}</v></c>' for c, v in zip(
    "ABCDEFGHIJKLMN", ["0", "00", "007", "12", "-3", "1.50", "1E3", "2.0", "123456789012345678", " 4",
                       "1_000", "0.1", "3.0000000000000004", "9" * 15])) + "</row>"


@pytest.mark.parametrize("case", [*CRAFTED, *SCANNED, "numbers"])
def test_texts_are_the_values_as_a_person_sees_them(case):
    if case == "numbers":
        data = _workbook(sheet_data=f"<sheetData>{NUMBERS}</sheetData>")
    else:
        data = _sheet_xml(case) if case in SCANNED else _workbook(sheet_data=f"<sheetData>{CRAFTED[case]}</sheetData>")
    written, ours = _texts_both(data)
    assert written == ours


def test_a_damaged_sheet_part_fails_as_openpyxl_fails():
    """A byte of the sheet's compressed data changed: the scan reports nothing of its own, the usual
    way gives openpyxl's error (a bad CRC or a broken stream), the same either way."""
    data = bytearray(_workbook([[f"第{i}小学", i] for i in range(300)]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    written, ours = _both(bytes(data))
    assert written == ours and isinstance(written[-1], tuple), written[-1:]
