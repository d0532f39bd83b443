"""`python -I office_worker.py MEMORY_MB CPU_S KIND FILE LIMITS_JSON` — the DOCX/XLSX sandbox's child.

Like the PDF worker (`pdf_worker.py`): reads the file from stdin, imports its reader, lowers its own
memory and CPU limits, parses, and writes one JSON object to stdout — {"ok": extract} or
{"error": [class, zh, en, {}]}. A parser that runs out of memory or time dies here, not in the
process that serves the county or the committee.
"""

from __future__ import annotations

import gc
import json
import sys
from dataclasses import asdict, fields
from pathlib import Path

# Isolated mode (-I) leaves this file's package off the path: the child imports the `inspection` this
# file belongs to (the parent's), not whichever copy happens to be installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _serial(extract) -> dict:
    # A grid's fields as they are (its rows are tuples of str and None, which JSON writes as lists):
    # asdict() would copy every row and cell first, 0.7 s for a 50,000-row sheet
    grids = [{f.name: getattr(g, f.name) for f in fields(g)} for g in extract.grids]
    return {"grids": grids, "paragraphs": [asdict(p) for p in extract.paragraphs],
            "pages": extract.pages, "warnings": list(extract.warnings)}


def _parser(kind: str):
    """The one reader this child runs, imported with its library (and only those: start-up is a
    tenth of reading a large table)."""
    if kind == "docx":
        import docx  # noqa: F401
        from inspection.ingest.docx_reader import parse_docx
        return parse_docx
    # openpyxl imports NumPy when it can, for writing NumPy numbers; reading needs none of it (0.13 s)
    sys.modules.setdefault("numpy", None)
    import openpyxl  # noqa: F401
    from inspection.ingest.xlsx_reader import parse_xlsx
    return parse_xlsx


def main(argv: list[str]) -> None:
    from inspection.ingest.pdf_worker import die_with_reader
    die_with_reader()
    memory_mb, cpu_seconds, kind, file, limits = int(argv[0]), int(argv[1]), argv[2], argv[3], json.loads(argv[4])
    data = sys.stdin.buffer.read()
    from inspection.errors import ReadError
    from inspection.ingest.limits import Limits
    from inspection.ingest.model import Source
    from inspection.ingest.pdf_worker import _in_chain, _limit
    parse = _parser(kind)   # loaded before the limits, so they bound parsing, not start-up
    # As in the command (inspection.cli.main): a sheet's cells are many objects and few cycles; the
    # collector's default young generation (700) makes its full passes go over all of them again and again
    gc.freeze()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])
    _limit(memory_mb, cpu_seconds)
    try:
        result = {"ok": _serial(parse(data, Source(file, "", kind), Limits(**limits)))}
    except ReadError as exc:
        result = {"error": [type(exc).__name__, exc.zh, exc.en, {}]}
    except (MemoryError, SystemError, ImportError):   # under RLIMIT_AS a failed allocation shows as any of these
        result = {"error": ["UnsafeFileError", f"{file} 解析时超出内存上限，已停止",
                            f"{file}: parsing ran out of its memory limit; stopped", {}]}
    except RecursionError:
        result = {"error": ["CorruptFileError", f"{file} 结构嵌套过深，无法解析", f"{file} is nested too deeply", {}]}
    except Exception as exc:  # noqa: BLE001 — to the county, any parser failure is a damaged file
        if _in_chain(exc, MemoryError):
            result = {"error": ["UnsafeFileError", f"{file} 解析时超出内存上限，已停止",
                                f"{file}: parsing ran out of its memory limit; stopped", {}]}
        else:
            result = {"error": ["CorruptFileError", f"{file} 已损坏，无法解析（{type(exc).__name__}）",
                                f"{file} is damaged and cannot be parsed ({type(exc).__name__}: {exc})", {}]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
