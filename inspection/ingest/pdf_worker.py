"""`python pdf_worker.py MEMORY_MB CPU_S MAX_PAGES FILE [HINTS [MAX_INFLATED]]` — the PDF sandbox's child.

Run by path, not as part of the `inspection` package, so it starts with pdfplumber alone. Reads the
PDF from stdin, limits its own memory and CPU time, runs `pdf_extract.extract_pdf` (loaded from this
directory), and writes one JSON object to stdout: {"ok": {...}} or {"error": [class, zh, en, {}]}.
HINTS, a JSON list of header words, lets it read borderless tables (none given: ruled tables only).
MAX_INFLATED bounds the bytes the file's streams may inflate to (`Limits.max_unpacked_bytes`; the
reader always gives it, a benchmark calling the worker by hand may not).
"""

from __future__ import annotations

import json
import resource
import sys

MB = 1024 * 1024


PR_SET_PDEATHSIG = 1   # prctl(2)


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    """This child's bounds: memory, CPU time, and its reader's life — a reader SIGKILLed (or killed
    by the OOM killer) cannot stop it, so the kernel is asked to kill it when its parent dies,
    instead of leaving it to parse on, alone, up to its CPU limit (`die_with_reader`, at start)."""
    try:
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (current + memory_mb * MB,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    except (OSError, ValueError):
        pass  # not Linux: the parent's wall-time limit still applies


def die_with_reader() -> None:
    """First thing in a worker: be killed when the reader (JUNHENG_READER_PID) dies, or exit now
    if it already has (this process was adopted before the request took effect)."""
    import ctypes
    import os
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return   # not Linux: the child ends at its CPU limit
    if os.getppid() != int(os.environ.get("JUNHENG_READER_PID", os.getppid())):
        os._exit(1)


def _load_extractor():
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("junheng_pdf_extract", Path(__file__).with_name("pdf_extract.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _peak_kb() -> int:
    """This process's peak resident memory since exec (VmHWM), in kB; 0 where /proc is missing."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return 0


def _run(extractor, max_pages: int, file: str, data: bytes, hints: list[str] = ()) -> dict:
    try:
        return {"ok": {**extractor.extract_pdf(data, file, max_pages, hints), "peak_kb": _peak_kb()}}
    except Exception as exc:  # noqa: BLE001 — to the user, any parser failure is a damaged file
        return {"error": _error(extractor, file, exc)}


def _error(extractor, file: str, exc: Exception) -> list:
    """Why parsing stopped, as [class, zh, en, {}]. pdfplumber wraps pdfminer's errors (and so our own
    limits raised inside pdfminer, and its MemoryError): the reason is looked for down the chain."""
    problem = _in_chain(exc, extractor.PdfProblem)
    if problem is not None:
        return [problem.kind, problem.zh, problem.en, {}]
    if _in_chain(exc, MemoryError) or isinstance(exc, (SystemError, ImportError)):
        # under RLIMIT_AS a failed allocation shows as any of these
        return ["UnsafeFileError", f"{file} 解析时超出内存上限，已停止",
                f"{file}: parsing ran out of its memory limit; stopped", {}]
    if _in_chain(exc, RecursionError):
        return ["CorruptFileError", f"{file} 结构嵌套过深或循环引用，无法解析",
                f"{file} is nested too deeply (or circularly) to be parsed", {}]
    return ["CorruptFileError", f"{file} 已损坏，无法解析（{type(exc).__name__}）",
            f"{file} is damaged and cannot be parsed ({type(exc).__name__}: {exc})", {}]


def _in_chain(exc: BaseException | None, kind: type) -> BaseException | None:
    """The first exception of type `kind` in `exc`'s cause/context chain."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def main(argv: list[str]) -> None:
    die_with_reader()
    memory_mb, cpu_seconds, max_pages, file = int(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    hints = [str(h) for h in json.loads(argv[4])] if len(argv) > 4 else []
    data = sys.stdin.buffer.read()
    import pdfplumber  # noqa: F401 — import before the limits, so they bound parsing, not start-up
    extractor = _load_extractor()
    if len(argv) > 5:
        extractor.bound_inflation(int(argv[5]), file)
    _limit(memory_mb, cpu_seconds)
    result = _run(extractor, max_pages, file, data, hints)
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
