"""Use cases the CLI and the flows share: build a document of a kind, render it, render many.

`county_document` and `prefecture_document` build; `Renderers` keeps one renderer per format for
the life of a process; `RenderPool` / `render_batch` spread documents over worker processes that
each keep one long-lived renderer (fonts and stylesheet loaded once per worker), largest first.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import lru_cache
from pathlib import Path

from inspection.documents.case import CountyCase
from inspection.documents.ledger import CountyLedger, build_ledger
from inspection.documents.letter import Deadlines, build_letter, default_deadlines
from inspection.documents.letter_layout import letter_document
from inspection.documents.model import Figure, Issue, OfficialDocument
from inspection.documents.monitoring import build_progress, monitoring_document
from inspection.documents.notices import accountability_document, rectification_document
from inspection.errors import RenderError

KINDS = {"letter": letter_document, "rectification": rectification_document,
         "accountability": accountability_document}
FORMATS = ("pdf", "docx")


def county_document(case: CountyCase, issue: Issue, kind: str = "letter",
                    deadlines: Deadlines | None = None) -> OfficialDocument:
    """A county document of `kind` (letter | rectification | accountability) from its case."""
    if kind not in KINDS:
        raise RenderError(f"未知的公文种类：{kind}", f"unknown document kind: {kind}", kind=kind)
    return KINDS[kind](build_letter(case, issue, deadlines))


def ledgers_for(cases: list[CountyCase], issued: date) -> list[CountyLedger]:
    """Each county's ledger; unmet rows carry that county's default completion deadline."""
    return [build_ledger(c, default_deadlines(issued, c.recognition_year).completion) for c in cases]


def prefecture_document(cases: list[CountyCase], issue: Issue, *, prefecture: str, year: int) -> OfficialDocument:
    """The annual monitoring report over `cases` (one per county)."""
    ledgers = ledgers_for(cases, issue.issued)
    return monitoring_document([build_progress(c, lg) for c, lg in zip(cases, ledgers)], issue,
                               prefecture=prefecture, year=year)


class Renderers:
    """One renderer per format, created on first use and kept (keep the object for a batch)."""

    def __init__(self, *, prefetch_charts: bool = False) -> None:
        """`prefetch_charts`: start a forked child now that draws the first document's charts while
        this process reads, evaluates and loads the renderer (single-document command-line runs;
        not inside threaded hosts such as flows). Create it before reading the inputs."""
        self._made: dict = {}
        self._prefetcher = None
        if prefetch_charts:
            from inspection.documents.charts import Prefetcher
            self._prefetcher = Prefetcher()

    def get(self, fmt: str):
        if fmt not in FORMATS:
            raise RenderError(f"不支持的格式：{fmt}（pdf 或 docx）", f"unsupported format: {fmt} (pdf or docx)", format=fmt)
        if fmt not in self._made:
            if fmt == "pdf":
                from inspection.documents.pdf import PdfRenderer
                self._made[fmt] = PdfRenderer()
            else:
                from inspection.documents.docx import DocxRenderer
                self._made[fmt] = DocxRenderer()
        return self._made[fmt]

    def render(self, doc: OfficialDocument, fmt: str) -> bytes:
        collect, self._prefetcher = (None if self._prefetcher is None else self._prefetcher.draw(
            [(b.chart, b.width_mm) for b in doc.blocks() if isinstance(b, Figure)])), None
        renderer = self.get(fmt)
        if collect is not None:
            try:
                collect()
            except Exception:  # drawn again in this process, where a failure becomes a RenderError
                pass
        return renderer.render(doc)

    def write(self, doc: OfficialDocument, fmt: str, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.render(doc, fmt))
        return path


@lru_cache(maxsize=1)
def shared_renderers() -> Renderers:
    """This process's renderers, for callers outside a batch (a flow writing one verdict letter)."""
    return Renderers()


_WORKER: Renderers | None = None


def _init_worker(formats: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = Renderers()
    for fmt in formats:          # load WeasyPrint / python-docx now, while the parent builds documents
        _WORKER.get(fmt)


def _ready() -> None:
    pass


def _render_job(job: tuple[OfficialDocument, str, Path]) -> Path:
    doc, fmt, path = job
    return _WORKER.write(doc, fmt, path)


class RenderPool:
    """Worker processes, each with one long-lived renderer, started at once: create it before
    opening a database or building documents, so the workers load their renderers meanwhile and
    inherit no open connection. Use as a context manager; `render` may be called more than once."""

    def __init__(self, workers: int | None = None, formats: tuple[str, ...] = ("pdf",)) -> None:
        self.workers = workers or min(2, os.cpu_count() or 1)
        self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker, initargs=(formats,))
        for _ in range(self.workers):
            self._pool.submit(_ready)

    def render(self, jobs: list[tuple[OfficialDocument, str, Path]]) -> list[Path]:
        """Write every (document, format, path), biggest documents first; paths in the order given."""
        order = sorted(range(len(jobs)), key=lambda k: -_rows(jobs[k][0]) - sum(1 for _ in jobs[k][0].blocks()))
        done = dict(zip(order, self._pool.map(_render_job, [jobs[k] for k in order])))
        return [done[k] for k in range(len(jobs))]

    def close(self) -> None:
        self._pool.shutdown()

    def __enter__(self) -> "RenderPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_batch(jobs: list[tuple[OfficialDocument, str, Path]], workers: int | None = None) -> list[Path]:
    """Write every (document, format, path); returns the paths in the order given. With `workers`
    > 1 the jobs run in a `RenderPool` of that many processes (one long-lived renderer each)."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        renderers = Renderers()
        return [renderers.write(doc, fmt, path) for doc, fmt, path in jobs]
    with RenderPool(workers, tuple(dict.fromkeys(fmt for _, fmt, _ in jobs))) as pool:
        return pool.render(jobs)


def _rows(doc: OfficialDocument) -> int:
    return sum(len(getattr(b, "rows", ())) for b in doc.blocks())
