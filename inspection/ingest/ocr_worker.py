"""`python ocr_worker.py MEMORY_MB CPU_S PAGES_JSON FILE [CELL_JSON]` — the OCR sandbox's child (扫描件识别).

Run by path like `pdf_worker.py`, with the same limits (memory, CPU time, dies with its reader; the
`tesseract` processes it starts inherit them). Reads the PDF from stdin, recognises the ruled tables
on the scanned pages PAGES_JSON lists (`ocr_grid.read_scanned`), and writes one JSON object to stdout:
{"ok": {"grids": [...], ...}} or {"error": [class, zh, en, {}]}. With CELL_JSON ({"page", "box"}) it
renders that one cell's picture instead: {"ok": {"png": base64}} (the review page shows it).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _load(name: str, file: str):
    spec = importlib.util.spec_from_file_location(name, HERE / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> None:
    pdf_worker = _load("junheng_pdf_worker", "pdf_worker.py")
    pdf_worker.die_with_reader()
    memory_mb, cpu_seconds, pages, file = int(argv[0]), int(argv[1]), json.loads(argv[2]), argv[3]
    data = sys.stdin.buffer.read()
    import cv2  # noqa: F401 — imported before the limits, so they bound recognition, not start-up
    import pypdfium2  # noqa: F401
    grid = _load("junheng_ocr_grid", "ocr_grid.py")
    pdf_worker._limit(memory_mb, cpu_seconds)
    try:
        if len(argv) > 4:
            import base64
            cell = json.loads(argv[4])
            png = grid.cell_png(data, int(cell["page"]), [float(v) for v in cell["box"]])
            result = {"ok": {"png": base64.b64encode(png).decode("ascii")}}
        else:
            def progress(done: int, total: int) -> None:   # read by the reader (`run_worker(on_progress=…)`)
                sys.stderr.write(f"PROGRESS {done} {total}\n")
                sys.stderr.flush()
            result = {"ok": {**grid.read_scanned(data, [int(p) for p in pages], progress),
                             "peak_kb": pdf_worker._peak_kb()}}
    except grid.OcrProblem as exc:
        result = {"error": [exc.kind, exc.zh, exc.en, {}]}
    except MemoryError:
        result = {"error": ["UnsafeFileError", f"{file} 文字识别时超出内存上限，已停止",
                            f"{file}: OCR ran out of its memory limit; stopped", {}]}
    except Exception as exc:  # noqa: BLE001 — to the user, any failure to render a page is a damaged file
        result = {"error": ["CorruptFileError", f"{file} 的扫描页无法识别（{type(exc).__name__}）",
                            f"{file}: its scanned pages could not be read ({type(exc).__name__}: {exc})", {}]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
