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


def run_worker(script: Path, data: bytes, args: list[str], *, file: str, timeout: float, memory_mb: int) -> dict:
    """Run `python script MEMORY CPU args…` on `data`; return its JSON result or raise its error."""
    cmd = [sys.executable, "-I", str(script), str(memory_mb), str(int(timeout) + 1), *args]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "JUNHENG_READER_PID": str(os.getpid())})   # see die_with_reader
    try:
        out, err = proc.communicate(data, timeout=timeout)
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
