"""What runs inside the PDF sandbox: pdfplumber over every page, tables and narrative lines.

For each page: the tables pdfplumber finds by ruling lines (plus a line drawn under the lowest and
over the highest vertical rule, so a row a page boundary cut open at the bottom or top still forms
cells), the text lines outside the tables joined into paragraphs, and counts of characters, `(cid:…)`
glyphs and images (a page with images and no text is scanned). Each page is closed after use.
"""

from __future__ import annotations

import io

# Self-contained on purpose: the sandboxed worker loads this file alone (no `inspection` package
# import, which would cost the child most of its start-up time). Results are plain dicts.


class PdfProblem(Exception):
    """A reason to refuse the file: `kind` names the `inspection.ingest.errors` class to raise."""

    def __init__(self, kind: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.kind, self.zh, self.en = kind, zh, en

SENTENCE_END = ("。", "！", "？", "；", "：", "!", "?", ";", ":")


def _open(data: bytes, file: str):
    import pdfplumber
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfplumber wraps pdfminer's errors; look at the chain
        chain = f"{type(exc).__name__} {exc!r} {exc.__cause__!r} {exc.__context__!r}"
        if "Password" in chain or "Encrypt" in chain or "encrypt" in chain:
            raise PdfProblem("EncryptedFileError", f"{file} 设有密码保护，请提交未加密的 PDF",
                             f"{file} is password-protected; submit an unencrypted PDF") from None
        raise PdfProblem("CorruptFileError", f"{file} 不是有效的 PDF 或已损坏（{type(exc).__name__}）",
                         f"{file} is not a valid PDF or is damaged ({type(exc).__name__})") from None
    return pdf, pages


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


def extract_pdf(data: bytes, file: str, max_pages: int) -> dict:
    """{"grids": [...], "paragraphs": [...], "pages": n, "stats": [...]}, as plain data."""
    pdf, pages = _open(data, file)
    with pdf:
        if len(pages) > max_pages:
            raise PdfProblem("FileTooLargeError", f"{file} 共 {len(pages)} 页，超过上限 {max_pages} 页",
                             f"{file} has {len(pages)} pages, over the limit of {max_pages}")
        grids, paragraphs, stats = [], [], []
        for page_no, page in enumerate(pages, start=1):
            try:
                tables = page.find_tables(_table_settings(page))
                boxes = [t.bbox for t in tables]
                lines = page.extract_text_lines(return_chars=False)
                narrative = [l for l in lines if not _inside(l, boxes)]
                for table in tables:
                    rows = table.extract()
                    above = [l["text"] for l in narrative if l["bottom"] <= table.bbox[1]][-3:]
                    below = [l["text"] for l in narrative if l["top"] >= table.bbox[3]][:2]
                    grids.append({"rows": rows, "row_numbers": list(range(1, len(rows) + 1)),
                                  "index": len(grids) + 1, "page": page_no, "sheet": "",
                                  "caption": "\n".join(above + [b for b in below if "单位" in b])})
                paragraphs += _paragraphs(narrative, page_no, len(paragraphs) + 1)
                chars = page.chars
                stats.append({"chars": len(chars), "images": len(page.images),
                              "cid": sum(1 for c in chars if c["text"].startswith("(cid:"))})
            finally:
                page.close()
    return {"grids": grids, "paragraphs": paragraphs, "pages": len(stats), "stats": stats}
