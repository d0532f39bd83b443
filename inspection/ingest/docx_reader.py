"""DOCX reader (python-docx): body paragraphs with their index, and every table as a grid.

Merged cells come back as `None` in the positions they cover — horizontally (gridSpan) and
vertically (vMerge continue) — exactly as pdfplumber reports a PDF's merged cells, so one table
understanding serves both. A paragraph's page is counted from explicit and rendered page breaks
(Word records the latter when it saves); without any, pages are unknown (`None`).
"""

from __future__ import annotations

import io

from inspection.ingest.errors import CorruptFileError, UnsafeFileError
from inspection.ingest.sandbox import read_in_sandbox
from inspection.ingest.limits import Limits
from inspection.ingest.model import Extract, Grid, Paragraph, Source
from inspection.ingest.registry import Probe
from inspection.ingest.safety import check_zip, memory_exhausted

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BREAKS = './/w:br[@w:type="page"] | .//w:lastRenderedPageBreak | .//w:pageBreakBefore'


def _text(element) -> str:
    """All text of a paragraph or cell, paragraphs joined by newlines."""
    paras = element.iter(f"{W}p") if element.tag != f"{W}p" else [element]
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t", f"{W}tab", f"{W}br")
                             if t.tag == f"{W}t") for p in paras)


MAX_COLUMNS = 63    # Word's own limit for a table's columns: a wider span is a crafted file


def _span(value: str | None, file: str) -> int:
    try:
        span = int(value or "1")
    except ValueError:
        raise CorruptFileError(f"{file} 表格单元格的合并列数“{value}”不是整数，文件已损坏",
                               f"{file}: a table cell spans '{value}' columns, not a whole number", file=file) from None
    if not 1 <= span <= MAX_COLUMNS:
        raise UnsafeFileError(f"{file} 表格单元格合并了{span}列（Word 表格最多{MAX_COLUMNS}列），已拒绝",
                              f"{file}: a table cell spans {span} columns (Word allows {MAX_COLUMNS}); refused",
                              file=file)
    return span


def _no_cell_above(file: str, table: int, row: int, column: int) -> None:
    """A cell "merged with the one above" (vMerge continue) with no cell above it: the merge has no
    start, and what the table shows there is undefined — read as blank, a header or a school
    would silently vanish, so the file is refused as damaged, naming the cell."""
    raise CorruptFileError(f"{file} 第{table}个表格第{row}行第{column}列标为“与上一行合并”，但上方没有可合并的单元格，"
                           "文件已损坏；请检查该表格的合并单元格后重新保存",
                           f"{file}: table {table}, row {row}, column {column} continues a vertical merge with no "
                           "cell above it; the file is damaged", file=file, table=table, row=row, column=column)


def _grid(tbl, index: int, caption: str, page: int | None, file: str) -> Grid:
    rows = []
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl:  # skip rows of nested tables
            continue
        row: list[str | None] = []
        for tc in tr.findall(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span, continued = 1, False
            if props is not None:
                grid_span = props.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = _span(grid_span.get(f"{W}val"), file)
                v_merge = props.find(f"{W}vMerge")
                continued = v_merge is not None and v_merge.get(f"{W}val", "continue") == "continue"
                if continued and (not rows or len(rows[-1]) <= len(row)):
                    _no_cell_above(file, index, len(rows) + 1, len(row) + 1)
            row.append(None if continued else _text(tc))
            row.extend([None] * (span - 1))
            if len(row) > MAX_COLUMNS:
                raise UnsafeFileError(f"{file} 表格一行超过{MAX_COLUMNS}列，已拒绝",
                                      f"{file}: a table row is wider than {MAX_COLUMNS} columns; refused", file=file)
        rows.append(tuple(row))
    return Grid(tuple(rows), tuple(range(1, len(rows) + 1)), index=index, page=page, caption=caption)


def _breaks(paragraph) -> tuple[int, int]:
    """Page breaks before the paragraph's first text, and in all."""
    before = total = 0
    seen_text = False
    for el in paragraph.iter(f"{W}t", f"{W}br", f"{W}lastRenderedPageBreak", f"{W}pageBreakBefore"):
        if el.tag == f"{W}t":
            seen_text = seen_text or bool((el.text or "").strip())
            continue
        if el.tag == f"{W}br" and el.get(f"{W}type") != "page":
            continue
        total += 1
        before += 0 if seen_text else 1
    return before, total


class DocxReader:
    kind = "docx"
    label = "Word（DOCX）"
    extensions = (".docx", ".docm")

    def score(self, probe: Probe) -> float | None:
        if probe.members and "word/document.xml" in probe.members:
            return 1.0
        return None

    def read(self, data: bytes, source: Source, limits: Limits) -> Extract:
        check_zip(data, source.file, limits)          # bombs and DTDs are refused before any parser runs
        return read_in_sandbox("docx", data, source, limits)


def parse_docx(data: bytes, source: Source, limits: Limits) -> Extract:
    """The DOCX parse itself (run in the sandbox's child by `office_worker.py`)."""
    import docx
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:
        if memory_exhausted(exc):  # over the child's memory limit: the worker says so
            raise MemoryError from exc  # python-docx raises KeyError, ValueError, lxml errors, …
        raise CorruptFileError(f"{source.file} 不是有效的 Word 文档：{type(exc).__name__}",
                               f"{source.file} is not a valid DOCX document: {exc}", file=source.file) from exc
    paged = bool(body.xpath(BREAKS))
    page, paragraphs, grids, recent = 1, [], [], []
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            before, total = _breaks(child)
            text = _text(child).strip()
            if text:
                paragraphs.append(Paragraph(text, page + before if paged else None, len(paragraphs) + 1))
                recent = (recent + [text])[-2:]
            page += total
        elif child.tag == f"{W}tbl":
            grids.append(_grid(child, len(grids) + 1, "\n".join(recent), page if paged else None, source.file))
            page += len(child.xpath(BREAKS))
            recent = []
    return Extract(grids=tuple(grids), paragraphs=tuple(paragraphs))


READER = DocxReader()
