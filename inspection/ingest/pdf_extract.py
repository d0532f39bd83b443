"""What runs inside the PDF sandbox: pdfplumber over every page, tables and narrative lines.

For each page: the tables pdfplumber finds by ruling lines (plus a line drawn under the lowest and
over the highest vertical rule, so a row a page boundary cut open at the bottom or top still forms
cells), the text lines outside the tables joined into paragraphs, and counts of characters, `(cid:…)`
glyphs and images (a page with images and no text is scanned). Each page is closed after use.

A page without a ruled table may still hold a borderless one (an Excel sheet printed without
gridlines, a Word table with its borders removed): there, runs of text lines that split into cells
are read with pdfplumber's text strategy, and such a table is kept only if it has at least three
columns and three rows and its first rows name at least two of the caller's header hints (e.g.
学校, 学段). Its grid says `"strategy": "text"`; its lines leave the narrative, and the lines of a
rejected candidate stay in it.
"""

from __future__ import annotations

import bisect
import io
import zlib

# Self-contained on purpose: the sandboxed worker loads this file alone (no `inspection` package
# import, which would cost the child most of its start-up time). Results are plain dicts.


class PdfProblem(Exception):
    """A reason to refuse the file: `kind` names the `inspection.ingest.errors` class to raise."""

    def __init__(self, kind: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.kind, self.zh, self.en = kind, zh, en

SENTENCE_END = ("。", "！", "？", "；", "：", "!", "?", ";", ":")

# Borderless tables (pdfplumber's text strategy): words are cut at gaps wider than 3 pt (a cell's
# padding), a column needs three aligned words, every text line may start a row.
TEXT_TOLERANCE = 3
TEXT_SETTINGS = {"vertical_strategy": "text", "horizontal_strategy": "text", "snap_tolerance": 3,
                 "join_tolerance": 3, "intersection_tolerance": 3, "min_words_vertical": 3,
                 "min_words_horizontal": 1, "text_x_tolerance": TEXT_TOLERANCE,
                 "text_y_tolerance": TEXT_TOLERANCE}
MIN_TEXT_ROWS = 3       # a borderless table has at least 3 rows and 3 columns
MIN_TEXT_COLUMNS = 3
MIN_HINTS = 2           # distinct header hints its first rows must contain
HINT_ROWS = 4           # the rows (header lines) where hints are looked for
MAX_GAP_LINES = 2       # non-cellular lines (wrapped cells, section rows) a table may have in a row


MB = 1024 * 1024


class _Inflater:
    """Stands in for the `zlib` module pdfminer's stream decoding uses (`bound_inflation`).

    pdfminer inflates a FlateDecode stream whole (`zlib.decompress`), and one whose checksum is wrong
    again one byte at a time, appending to a bytes object: a 1 KB stream can inflate to gigabytes, a
    64 KB one with a bad checksum takes minutes of CPU. Here every stream is inflated in one pass that
    ignores the checksum (as pdfminer's retry does, so its output is the same), and the file's
    streams together may not inflate beyond the limit."""

    error = zlib.error

    def __init__(self, limit: int, file: str) -> None:
        self.limit, self.left, self.file = limit, limit, file

    def decompress(self, data: bytes) -> bytes:
        if self.left < 0:   # over already (a caller swallowed the error): stays over
            raise self._over()
        if len(data) < 2 or data[0] & 0x0F != 8 or (data[0] << 8 | data[1]) % 31 or data[1] & 0x20:
            raise zlib.error("not a zlib stream")   # (no preset dictionaries: pdfminer reads none either)
        out = zlib.decompressobj(-15).decompress(data[2:], self.left + 1)
        self.left -= len(out)
        if self.left < 0:
            raise self._over()
        return out

    def _over(self) -> PdfProblem:
        return PdfProblem("UnsafeFileError", f"{self.file} 解压后超过 {self.limit / MB:.0f} MB（疑似压缩炸弹），已拒绝",
                          f"{self.file} inflates to more than {self.limit / MB:.0f} MB (a decompression bomb?); refused")

    def decompressobj(self):
        """pdfminer's byte-at-a-time retry: what one pass could not inflate is damaged (pdfminer: empty)."""
        raise zlib.error("damaged stream")


def bound_inflation(limit: int, file: str) -> None:
    """Make pdfminer inflate streams through `_Inflater` (this process only: the sandbox's child)."""
    import pdfminer.pdftypes
    pdfminer.pdftypes.zlib = _Inflater(limit, file)


def _open(data: bytes, file: str):
    import pdfplumber
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfplumber wraps pdfminer's errors; look at the chain
        if isinstance(exc.__context__ or exc, (PdfProblem, MemoryError, RecursionError)):
            raise   # a limit, or a structure too deep: the worker says which, not "damaged"
        chain = f"{type(exc).__name__} {exc!r} {exc.__cause__!r} {exc.__context__!r}"
        if "Password" in chain or "Encrypt" in chain or "encrypt" in chain:
            raise PdfProblem("EncryptedFileError", f"{file} 设有密码保护，请提交未加密的 PDF",
                             f"{file} is password-protected; submit an unencrypted PDF") from None
        raise PdfProblem("CorruptFileError", f"{file} 不是有效的 PDF 或已损坏（{type(exc).__name__}）",
                         f"{file} is not a valid PDF or is damaged ({type(exc).__name__})") from None
    return pdf, pages


ACTIVE = {"JavaScript": "JavaScript脚本", "JS": "JavaScript脚本", "Launch": "启动外部程序的动作",
          "EmbeddedFile": "嵌入文件", "EmbeddedFiles": "嵌入文件", "RichMedia": "富媒体内容", "XFA": "XFA表单"}


def _active_content(pdf) -> list[str]:
    """What a PDF carries that runs or hides something (JavaScript, launch actions, embedded files,
    XFA): never needed in a self-assessment, flagged to the committee. Looks at every object."""
    from pdfminer.pdftypes import PDFObjRef, resolve1
    from pdfminer.psparser import PSLiteral
    found: set[str] = set()

    def look(obj, depth: int = 0) -> None:
        if depth > 6:
            return
        obj = resolve1(obj) if isinstance(obj, PDFObjRef) else obj
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key in ACTIVE:
                    found.add(ACTIVE[key])
                if key in ("S", "Type", "Subtype") and isinstance(value, PSLiteral) and value.name in ACTIVE:
                    found.add(ACTIVE[value.name])
                if isinstance(value, (dict, list)):
                    look(value, depth + 1)
        elif isinstance(obj, list):
            for item in obj[:200]:
                if isinstance(item, (dict, list)):
                    look(item, depth + 1)

    doc = pdf.doc
    for xref in doc.xrefs:
        for objid in list(xref.get_objids())[:100_000]:
            try:
                look(doc.getobj(objid))
            except Exception:  # noqa: BLE001 — a damaged object is not active content
                continue
    return sorted(found)


def _table_settings(page) -> dict:
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 5]
    if not verticals:
        return {}
    lines = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
    return {"explicit_horizontal_lines": lines}


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def _hints_in(texts, hints) -> int:
    joined = "".join(t or "" for t in texts)
    return sum(1 for h in hints if h in joined)


def _text_blocks(page, lines: list[dict]) -> list[list[dict]]:
    """Runs of consecutive text lines that split into cells (two or more words apart), allowing
    up to MAX_GAP_LINES lines of one word in between (wrapped cells, section rows)."""
    words = page.extract_words(x_tolerance=TEXT_TOLERANCE, y_tolerance=TEXT_TOLERANCE)
    centres = sorted((w["top"] + w["bottom"]) / 2 for w in words)
    blocks, current, pending, prev = [], [], [], None
    for line in lines:
        n = bisect.bisect_right(centres, line["bottom"] + 0.5) - bisect.bisect_left(centres, line["top"] - 0.5)
        line = {**line, "cells": n}
        size = max(1.0, line["bottom"] - line["top"])
        if prev is not None and line["top"] - prev["bottom"] > size * 2:  # a vertical gap ends a table
            blocks.append(current)
            current, pending = [], []
        if n >= 2:
            current += pending + [line]
            pending = []
        elif current and len(pending) < MAX_GAP_LINES:
            pending.append(line)
        else:
            blocks.append(current)
            current, pending = [], []
        prev = line
    blocks.append(current)
    return [b for b in blocks if b]


def _filled(row) -> int:
    return sum(1 for c in row if (c or "").strip())


def _trim(rows: list[tuple[list, tuple]]) -> list[tuple[list, tuple]]:
    """Drop empty rows, and rows of one cell at either end (a title or heading caught in the band)."""
    kept = [(r, b) for r, b in rows if _filled(r)]
    while kept and _filled(kept[0][0]) < 2:
        kept.pop(0)
    while kept and _filled(kept[-1][0]) < 2:
        kept.pop()
    return kept


def _band(page, block: list[dict]) -> tuple:
    x0, top, x1, bottom = page.bbox
    return (x0, max(top, min(l["top"] for l in block) - 1), x1, min(bottom, max(l["bottom"] for l in block) + 1))


def _union(boxes) -> tuple:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _read_block(page, block: list[dict], hints: list[str]) -> list[tuple[list, tuple, list]]:
    """Hinted tables in `block`: (rows, bbox, column boundaries) each."""
    if sum(1 for l in block if l["cells"] >= MIN_TEXT_COLUMNS) < MIN_TEXT_ROWS \
            or _hints_in((l["text"] for l in block[:HINT_ROWS]), hints) < MIN_HINTS:
        return []
    out = []
    for table in page.crop(_band(page, block)).find_tables(TEXT_SETTINGS):
        kept = _trim([(r, row.cells) for r, row in zip(table.extract(), table.rows)])
        columns = [j for j in range(max((len(r) for r, _ in kept), default=0))
                   if any(j < len(r) and (r[j] or "").strip() for r, _ in kept)]
        rows = [[r[j] if j < len(r) else "" for j in columns] for r, _ in kept]
        if len(rows) < MIN_TEXT_ROWS or len(columns) < MIN_TEXT_COLUMNS \
                or _hints_in((c for r in rows[:HINT_ROWS] for c in r), hints) < MIN_HINTS:
            continue
        cells = [c for _, row in kept for c in row if c is not None]
        left = [min(row[j][0] for _, row in kept if j < len(row) and row[j] is not None) for j in columns]
        bounds = left + [max(c[2] for c in cells)]
        out.append((rows, _union(cells), bounds))
    return out


def _read_continuation(page, block: list[dict], bounds: list[float]) -> tuple[list, tuple, list] | None:
    """`block` read in the columns of the borderless table the previous page ended with."""
    bounds = [min(bounds[0], min(l["x0"] for l in block) - 1), *bounds[1:-1],
              max(bounds[-1], max(l["x1"] for l in block) + 1)]
    edges = sorted({round(v, 2) for l in block for v in (l["top"], l["bottom"])})
    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": bounds, "explicit_horizontal_lines": edges,
                "snap_tolerance": 1, "join_tolerance": 1, "intersection_tolerance": 1}
    for table in page.crop(_band(page, block)).find_tables(settings):
        kept = _trim([(r, row.cells) for r, row in zip(table.extract(), table.rows)])
        if kept and all(len(r) == len(bounds) - 1 for r, _ in kept):
            return [r for r, _ in kept], _union([c for _, row in kept for c in row if c is not None]), bounds
    return None


def _narrow(lines: list[dict], widest: float) -> bool:
    """Only short lines (a running header, a page number), no prose."""
    return all(l["x1"] - l["x0"] < widest / 2 for l in lines)


def _text_tables(page, lines: list[dict], hints: list[str], carry: list[float] | None):
    """Borderless tables on a page without ruled ones, as [(rows, bbox)], and the column boundaries
    to carry to the next page if the last of them runs to the foot of this one (else None).

    A table is kept if it has 3+ rows and columns and its first rows show MIN_HINTS of `hints`; a
    block at the top of the page (only short lines above it) continues the previous page's table."""
    if not hints or not lines or (carry is None and _hints_in((l["text"] for l in lines), hints) < MIN_HINTS):
        return [], None
    widest = max(l["x1"] - l["x0"] for l in lines)
    found = []
    for k, block in enumerate(_text_blocks(page, lines)):
        tables = _read_block(page, block, hints)
        if not tables and k == 0 and carry is not None \
                and _narrow([l for l in lines if l["bottom"] <= block[0]["top"]], widest):
            continued = _read_continuation(page, block, carry)
            tables = [continued] if continued else []
        found += tables
    if not found:
        return [], None
    rows, bbox, bounds = found[-1]
    ends_page = _narrow([l for l in lines if l["top"] >= bbox[3]], widest)
    return [(rows, bbox) for rows, bbox, _ in found], (bounds if ends_page else None)


def _paragraphs(lines: list[dict], page_no: int, start: int) -> list[dict]:
    """Join text lines into paragraphs: a new one after a sentence end on a short line, on an indent,
    or after a vertical gap."""
    if not lines:
        return []
    left = min(l["x0"] for l in lines)
    right = max(l["x1"] for l in lines)
    out: list[list[str]] = []
    prev = None
    for line in lines:
        size = max(1.0, line["bottom"] - line["top"])
        text = line["text"].strip()
        new = prev is None or line["x0"] > left + size * 1.5 or line["top"] - prev["bottom"] > size * 1.2 \
            or (prev["text"].rstrip().endswith(SENTENCE_END) and prev["x1"] < right - size * 2)
        if new:
            out.append([text])
        else:
            out[-1].append(text)
        prev = line
    texts = ["".join(p) for p in out if "".join(p).strip()]
    return [{"text": t, "page": page_no, "index": start + i} for i, t in enumerate(texts)]


def extract_pdf(data: bytes, file: str, max_pages: int, hints: list[str] = ()) -> dict:
    """{"grids": [...], "paragraphs": [...], "pages": n, "stats": [...]}, as plain data.

    `hints` are header words (学校, 学段, …) a borderless table must show; none: ruled tables only."""
    pdf, pages = _open(data, file)
    with pdf:
        active = _active_content(pdf)
        if len(pages) > max_pages:
            raise PdfProblem("FileTooLargeError", f"{file} 共 {len(pages)} 页，超过上限 {max_pages} 页",
                             f"{file} has {len(pages)} pages, over the limit of {max_pages}")
        grids, paragraphs, stats = [], [], []
        carry = None  # column boundaries of a borderless table that ran to the foot of the last page
        for page_no, page in enumerate(pages, start=1):
            try:
                lines = page.extract_text_lines(return_chars=False)
                found = [(t.extract(), t.bbox, "lines") for t in page.find_tables(_table_settings(page))]
                if found:
                    carry = None
                else:
                    texts, carry = _text_tables(page, lines, hints, carry)
                    found = [(rows, bbox, "text") for rows, bbox in texts]
                boxes = [bbox for _, bbox, _ in found]
                narrative = [l for l in lines if not _inside(l, boxes)]
                for rows, bbox, strategy in found:
                    above = [l["text"] for l in narrative if l["bottom"] <= bbox[1]][-3:]
                    below = [l["text"] for l in narrative if l["top"] >= bbox[3]][:2]
                    grids.append({"rows": rows, "row_numbers": list(range(1, len(rows) + 1)),
                                  "index": len(grids) + 1, "page": page_no, "sheet": "",
                                  "caption": "\n".join(above + [b for b in below if "单位" in b]),
                                  "strategy": strategy})
                paragraphs += _paragraphs(narrative, page_no, len(paragraphs) + 1)
                chars = page.chars
                stats.append({"chars": len(chars), "images": len(page.images),
                              "cid": sum(1 for c in chars if c["text"].startswith("(cid:"))})
            finally:
                page.close()
    return {"grids": grids, "paragraphs": paragraphs, "pages": len(stats), "stats": stats, "active": active}
