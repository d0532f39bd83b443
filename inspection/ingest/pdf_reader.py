"""PDF reader: checks the file is whole, parses it in the sandbox, and reads scanned pages by OCR.

A PDF must end with `%%EOF` (a truncated upload does not). Pages with images and no characters are
scanned (扫描页): their ruled tables are recognised cell by cell in a second sandboxed child
(`ocr_worker.py`, its wall time `timeout_seconds` plus `ocr_page_seconds` a page), each cell with
its box and the engine's confidence; an image-only PDF in which no table is found is refused with
a message asking for the original. Pages whose fonts
lack a ToUnicode map (`(cid:…)`) are reported as a warning, since their text cannot be trusted.
The worker also gets the header hints (`table_hints` in `standards/school-table.toml`) that a
borderless table's first rows must show before it is read as a table.
"""

from __future__ import annotations

import json
import tomllib
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from inspection.ingest.errors import CorruptFileError, ScannedDocumentError
from inspection.ingest.limits import Limits
from inspection.ingest.model import Extract, Source
from inspection.ingest.registry import Probe
from inspection.ingest.sandbox import decode_extract, run_worker
from inspection.standard import STANDARDS_DIR

CID_SHARE = 0.2
WORKER = Path(__file__).with_name("pdf_worker.py")
OCR_WORKER = Path(__file__).with_name("ocr_worker.py")
# Who wants to hear of each scanned page read (`on_progress(done, total)`): the web upload sets it
# around its reading (`webapi.read`); a context variable, as the reader is deep under the services.
OCR_PROGRESS: ContextVar = ContextVar("junheng_ocr_progress", default=None)
OCR_WARNING = "第{pages}页是扫描件，其中表格经文字识别（OCR）读取；置信度低或不合常理的数据须人工核对"


@lru_cache(maxsize=1)
def table_hints() -> tuple[str, ...]:
    """Header words a borderless PDF table must show (学校, 学段, …), from school-table.toml."""
    spec = tomllib.loads((STANDARDS_DIR / "school-table.toml").read_text(encoding="utf-8"))
    return tuple(spec.get("table_hints", ()))




class PdfReader:
    kind = "pdf"
    label = "PDF"
    extensions = (".pdf",)

    def score(self, probe: Probe) -> float | None:
        return 1.0 if b"%PDF-" in probe.head[:1024] else None

    def read(self, data: bytes, source: Source, limits: Limits) -> Extract:
        if b"%%EOF" not in data[-2048:]:
            raise CorruptFileError(f"{source.file} 不完整（缺少文件结尾，可能上传中断），请重新提交",
                                   f"{source.file} is truncated (no end-of-file marker); upload it again",
                                   file=source.file)
        hints = json.dumps(table_hints(), ensure_ascii=False)
        raw = run_worker(WORKER, data, [str(limits.max_pages), source.file, hints, str(limits.max_unpacked_bytes)],
                         file=source.file, timeout=limits.timeout_seconds, memory_mb=limits.memory_mb)
        extract = decode_extract(raw)
        stats = [SimpleNamespace(**s) for s in raw["stats"]]
        chars = sum(s.chars for s in stats)
        image_pages = [i for i, s in enumerate(stats, 1) if s.chars == 0 and s.images]
        scanned = _read_scans(data, image_pages, source, limits) if image_pages else ()
        if chars == 0 and not scanned:
            raise ScannedDocumentError(
                f"{source.file} {'是扫描件（页面只有图片），其中没有识别出表格' if image_pages else '没有可读取的文字'}"
                f"，无法读取数据。请提交由 Word/Excel/WPS 直接导出的 PDF 或原始文件",
                f"{source.file} {'is a scan (image-only pages) with no table found in it' if image_pages else 'has no text'}; submit a PDF "
                f"exported from the original document, or the document itself", file=source.file)
        warnings = []
        if raw.get("active"):
            warnings.append(f"含有{'、'.join(raw['active'])}（自评材料不需要），请督导委员会注意；"
                            "原件只作为附件下载，不在浏览器中打开")
        if scanned:
            warnings.append(OCR_WARNING.format(pages="、".join(str(p) for p in sorted({g.page for g in scanned}))))
        if image_pages and len({g.page for g in scanned}) < len(image_pages):
            unread = sorted(set(image_pages) - {g.page for g in scanned})
            warnings.append(f"第{'、'.join(map(str, unread))}页是图片（扫描页），其中没有识别出表格，内容未读取")
        cid = sum(s.cid for s in stats)
        if chars and cid / chars > CID_SHARE:
            warnings.append(f"{cid / chars:.0%} 的字符缺少字体编码映射（cid），文字可能不可信")
        return Extract(_in_page_order(extract.grids, scanned), extract.paragraphs, extract.pages, tuple(warnings))


def _read_scans(data: bytes, pages: list[int], source: Source, limits: Limits):
    """The ruled tables on the scanned pages, read by OCR in the limited child (`ocr_worker.py`)."""
    raw = run_worker(OCR_WORKER, data, [json.dumps(pages), source.file], file=source.file,
                     timeout=limits.timeout_seconds + limits.ocr_page_seconds * len(pages),
                     memory_mb=limits.memory_mb, on_progress=OCR_PROGRESS.get())
    return decode_extract({"paragraphs": [], "pages": raw["pages"], **raw}).grids


def scanned_cell_png(data: bytes, file: str, page: int, box, limits: Limits) -> bytes:
    """The picture of one scanned cell (page, box in points), rendered in the OCR sandbox."""
    import base64
    raw = run_worker(OCR_WORKER, data, ["[]", file, json.dumps({"page": page, "box": list(box)})], file=file,
                     timeout=limits.timeout_seconds, memory_mb=limits.memory_mb)
    return base64.b64decode(raw["png"])


def _in_page_order(text_grids, scanned_grids):
    """Text and OCR grids together, by page, numbered again from 1 (a table across a text page and a
    scanned one still joins: `layout` looks at neighbouring numbers)."""
    from dataclasses import replace
    grids = sorted([*text_grids, *scanned_grids], key=lambda g: (g.page or 0, g.strategy == "ocr", g.index))
    return tuple(replace(g, index=k) for k, g in enumerate(grids, start=1))


READER = PdfReader()
