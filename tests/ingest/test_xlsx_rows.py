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
