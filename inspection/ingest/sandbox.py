"""Run the PDF, DOCX and XLSX parsers on untrusted bytes in a separate process with time and memory limits.

The parent starts `python -I …/pdf_worker.py` (isolated mode: no user site, no PYTHON* variables), writes the file to its stdin and reads
one JSON object from its stdout (JSON, not pickle: a compromised child must not be able to run code
in the parent). The worker lowers its own address-space (RLIMIT_AS) and CPU limits before parsing;
the parent kills it when the wall time runs out. Errors cross as (class name, zh, en, details)
and are raised again here as the same `ReadError` subclass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from inspection import errors as base_errors
from inspection.ingest import errors as ingest_errors
from inspection.ingest.errors import CorruptFileError, UnsafeFileError


def run_worker(script: Path, data: bytes, args: list[str], *, file: str, timeout: float, memory_mb: int,
               on_progress=None) -> dict:
    """Run `python script MEMORY CPU args…` on `data`; return its JSON result or raise its error.

    With `on_progress(done, total)`, the child's `PROGRESS done total` lines on stderr are passed on
    as they come (the OCR worker writes one a page, for the web upload's progress bar)."""
    cmd = [sys.executable, "-I", str(script), str(memory_mb), str(int(timeout) + 1), *args]
    read_end, write_end = os.pipe() if on_progress else (None, None)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=write_end if on_progress else subprocess.PIPE,
                            env={**os.environ, "JUNHENG_READER_PID": str(os.getpid())})   # see die_with_reader
    lines = _follow(read_end, write_end, on_progress) if on_progress else None
    try:
        out, err = proc.communicate(data, timeout=timeout)
        if lines is not None:
            lines.join(timeout=5)
            err = "\n".join(lines.kept).encode("utf-8")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise UnsafeFileError(f"{file} 解析超过 {timeout:g} 秒上限，已停止（文件可能过大或被构造为耗尽资源）",
                              f"{file}: parsing exceeded the {timeout:g} s limit and was stopped", file=file) from None
    try:
        message = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise UnsafeFileError(f"{file} 解析进程异常退出（代码 {proc.returncode}），可能超出内存或时间上限",
                              f"{file}: the parser died (exit code {proc.returncode}): {tail[0][:200]}",
                              file=file) from None
    if "ok" in message:
        return message["ok"]
    name, zh, en, details = message["error"]
    cls = getattr(ingest_errors, name, None) or getattr(base_errors, name, None) or CorruptFileError
    raise cls(zh, en, **{**details, "file": file})


def _follow(read_end: int, write_end: int, on_progress):
    """A thread reading the child's stderr: PROGRESS lines to `on_progress`, the rest kept."""
    import threading
    os.close(write_end)    # the child holds its copy; EOF comes when it exits

    def follow() -> None:
        with os.fdopen(read_end, "r", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "PROGRESS" and parts[1].isdigit() and parts[2].isdigit():
                    try:
                        on_progress(int(parts[1]), int(parts[2]))
                    except Exception:  # noqa: BLE001 — a progress bar's failure never stops the reading
                        pass
                else:
                    thread.kept.append(line.rstrip())
    thread = threading.Thread(target=follow, daemon=True)
    thread.kept = []
    thread.start()
    return thread


OFFICE_WORKER = Path(__file__).with_name("office_worker.py")


def decode_extract(raw: dict):
    """An `Extract` from a worker's JSON (grids, paragraphs, pages, warnings)."""
    from inspection.ingest.model import Extract, Grid, Paragraph
    grids = tuple(Grid(tuple(tuple(r) for r in g["rows"]), tuple(g["row_numbers"]), g["index"], g["page"],
                       g["caption"], g["sheet"], g.get("strategy", ""), _scan_cells(g.get("cells")))
                  for g in raw["grids"])
    return Extract(grids, tuple(Paragraph(**p) for p in raw["paragraphs"]), raw["pages"],
                   tuple(raw.get("warnings", ())))


def _scan_cells(cells):
    """An OCR grid's cell boxes and confidences (`ScanCell`), from the worker's JSON."""
    from inspection.ingest.model import ScanCell
    if not cells:
        return ()
    def one(c):
        words, figure = c.get("words"), c.get("figure")
        return ScanCell(tuple(c["box"]), float(c["conf"]), words and (words[0], float(words[1])),
                        figure and (figure[0], float(figure[1])))
    return tuple(tuple(None if c is None else one(c) for c in row) for row in cells)


def read_in_sandbox(kind: str, data: bytes, source, limits):
    """Parse a DOCX or XLSX in the limited child process (time and memory bounded, like a PDF)."""
    from dataclasses import asdict
    raw = run_worker(OFFICE_WORKER, data, [kind, source.file, json.dumps(asdict(limits))],
                     file=source.file, timeout=limits.timeout_seconds, memory_mb=limits.memory_mb)
    return decode_extract(raw)
