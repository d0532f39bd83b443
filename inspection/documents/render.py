"""Rendering processes: one renderer per format kept for a process's life, a pool of worker
processes for batches, and a render started ahead for a single document on the command line.

`Renderers` keeps one renderer per format (fonts and stylesheet loaded once); `RenderPool` /
`render_batch` spread documents over worker processes that each keep one, largest first;
`RenderAhead` forks its worker before the input is even read. This module
imports no builder and no NumPy, so forking from it early costs nothing.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from pathlib import Path

from inspection.documents.model import OfficialDocument
from inspection.errors import RenderError

FORMATS = ("pdf", "docx")
Job = tuple[OfficialDocument, str, Path]


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise RenderError(f"不支持的格式：{fmt}（pdf 或 docx）", f"unsupported format: {fmt} (pdf or docx)",
                          format=fmt)
    return fmt


class Renderers:
    """One renderer per format, created on first use and kept (keep the object for a batch)."""

    def __init__(self) -> None:
        self._made: dict = {}

    def get(self, fmt: str):
        if check_format(fmt) not in self._made:
            if fmt == "pdf":
                from inspection.documents.pdf import PdfRenderer
                self._made[fmt] = PdfRenderer()
            else:
                from inspection.documents.docx import DocxRenderer
                self._made[fmt] = DocxRenderer()
        return self._made[fmt]

    def render(self, doc: OfficialDocument, fmt: str) -> bytes:
        return self.get(fmt).render(doc)

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
    if "docx" in formats:        # and what draws a DOCX's charts (charts.render_png)
        import pypdfium2  # noqa: F401
        import weasyprint  # noqa: F401


def _ready() -> None:
    pass


def _render_job(job: Job) -> Path:
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

    def render(self, jobs: list[Job]) -> list[Path]:
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


def render_batch(jobs: list[Job], workers: int | None = None) -> list[Path]:
    """Write every (document, format, path); returns the paths in the order given. With `workers`
    > 1 the jobs run in a `RenderPool` of that many processes (one long-lived renderer each)."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        renderers = Renderers()
        return [renderers.write(doc, fmt, path) for doc, fmt, path in jobs]
    with RenderPool(workers, tuple(dict.fromkeys(fmt for _, fmt, _ in jobs))) as pool:
        return pool.render(jobs)


class RenderAhead:
    """One document from a command that has yet to read its input: forks at once a render process
    (loading WeasyPrint or python-docx), which loads on the second core while this process reads,
    evaluates and builds; `write` hands it the document. Fork-based: create it first, in a process
    with no threads or open connections (the CLI)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = check_format(fmt)
        fork = multiprocessing.get_context("fork")
        self._render = ProcessPoolExecutor(1, mp_context=fork, initializer=_init_worker, initargs=((fmt,),))
        self._render.submit(_ready)      # start the process now

    def write(self, doc: OfficialDocument, path: Path) -> Path:
        try:
            return self._render.submit(_render_job, (doc, self.fmt, Path(path))).result()
        except BrokenProcessPool as exc:
            raise RenderError(f"生成{self.fmt.upper()}失败：渲染进程意外退出（{doc.title}）",
                              f"{self.fmt} rendering process died ({doc.title})", kind=doc.kind) from exc

    def close(self, failed: bool = False) -> None:
        """Stop the process and wait for it. Not waiting let Python 3.11's exit hook race the pool's
        own clean-up: now and then a finished command printed an OSError traceback (EBADF, CPython
        gh-105829). On a failure the process may still be loading, so it is stopped first."""
        if failed:
            for process in list((getattr(self._render, "_processes", None) or {}).values()):
                process.terminate()
        self._render.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "RenderAhead":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(failed=exc_type is not None)


def _rows(doc: OfficialDocument) -> int:
    return sum(len(getattr(b, "rows", ())) for b in doc.blocks())
