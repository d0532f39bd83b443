"""Scanned tables (扫描件): seconds per page and cell accuracy of the whole `inspection evaluate`.

A school table over PAGES pages (the canonical layout, a totals row) is rendered by WeasyPrint and
scanned (`tests.ingest.scans`: 200 dpi, ±1.5° tilt, noise, a red seal). Then, each in a fresh
process as a county's file would be evaluated:
- `inspection evaluate SCAN.pdf --json` — wall and CPU seconds (the child's and its children's:
  the sandbox, Tesseract), per scanned page; it exits 2 when figures wait for confirmation;
- `inspection evaluate TABLE.pdf --json` on the text PDF it was made from: the floor (the same
  command without OCR), measured in the same run, and the ratio to it.
Cell accuracy compares every figure and name of the scan's table with the text PDF's: exact, flagged
(待人工核对) and — what must be 0 — wrong without a flag. The load average is printed before and
after, since the machine is shared.

`--sweep N` instead reads N seeds × three one-page layouts (canonical; renamed columns at 12 pt; names
in Chinese numerals) and sums their cell accuracy: the figure behind the 待人工核对 threshold.

Run: `.venv/bin/python benchmarks/bench_ocr.py [PAGES]` (default 3), or `… --sweep 4`.
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspection.columns import NUMERIC_FIELDS  # noqa: E402
from inspection.ingest import read_document  # noqa: E402
from inspection.standard import load_standard  # noqa: E402
from tests.factories import school  # noqa: E402
from tests.ingest.factories import Layout, TableSpec, renamed, write_pdf  # noqa: E402
from tests.ingest.scans import scan_pdf  # noqa: E402

ROWS_PER_PAGE = 14        # schools a page of the canonical layout holds at 11 pt (A4 landscape)


def build(folder: Path, pages: int) -> tuple[Path, Path, int]:
    standard = load_standard("kashgar-2022")
    rows = [school(standard, f"第{i}小学", students=300 + (37 * i) % 1500) for i in range(1, ROWS_PER_PAGE * pages)]
    layout = Layout(totals=True)
    pdf = write_pdf(folder / "table.pdf", TableSpec.of(rows, layout), layout, narrative=[])
    scan = scan_pdf(pdf, folder / "scan.pdf")
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(scan))
    n = len(doc)
    doc.close()
    return pdf, scan, n


def evaluate_process(path: Path) -> tuple[float, float, int]:
    """(wall s, CPU s of the process and its children, exit code) of `inspection evaluate PATH --json`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "from inspection.cli import main; main()", "evaluate", str(path),
                           "--json"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def worker_peak_mb(scan: Path, pages: int) -> float:
    """Peak resident memory of the OCR sandbox's child (its VmHWM; Tesseract runs in its own processes)."""
    import json
    from inspection.ingest.limits import Limits
    from inspection.ingest.pdf_reader import OCR_WORKER
    from inspection.ingest.sandbox import run_worker
    limits = Limits()
    raw = run_worker(OCR_WORKER, scan.read_bytes(), [json.dumps(list(range(1, pages + 1))), scan.name],
                     file=scan.name, timeout=limits.timeout_seconds + limits.ocr_page_seconds * pages,
                     memory_mb=limits.memory_mb)
    return raw["peak_kb"] / 1024


def accuracy(pdf: Path, scan: Path) -> dict:
    standard = load_standard("kashgar-2022")
    original, read = read_document(pdf, standard), read_document(scan, standard)
    if read.table is None:
        raise SystemExit(f"the scan's table was not read: {read.table_error}")
    by_row = {(n, str(s)): i for i, (n, s) in enumerate(zip(read.table.names, read.table.stages))}
    flagged = {(by_row[(c.school, c.stage)], c.field) for c in read.to_confirm if (c.school, c.stage) in by_row}
    counts = {"cells": 0, "exact": 0, "flagged": 0, "exact_flagged": 0, "wrong_unflagged": 0,
              "rows_read": len(read.table), "rows": len(original.table)}
    for i in range(min(len(original.table), len(read.table))):
        pairs = [("name", read.table.names[i] == original.table.names[i])]
        for f in NUMERIC_FIELDS:
            a, b = float(read.table.figures[f][i]), float(original.table.figures[f][i])
            pairs.append((f, (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))))
        for f, same in pairs:
            flag = (i, f) in flagged
            counts["cells"] += 1
            counts["exact"] += same
            counts["flagged"] += flag
            counts["exact_flagged"] += same and flag
            counts["wrong_unflagged"] += not same and not flag
    return counts


def sweep(seeds: int) -> None:
    """Cell accuracy summed over `seeds` scans of each of three layouts (one page each)."""
    standard = load_standard("kashgar-2022")
    numbered = [school(standard, f"第{i}小学", students=300 + 37 * i) for i in range(1, 6)]
    numbered += [school(standard, "九年一贯制学校", "primary", 600), school(standard, "九年一贯制学校", "junior", 400)]
    numbered += [school(standard, f"第{i}中学", "junior", students=500 + 11 * i) for i in range(1, 4)]
    chinese = [school(standard, f"城关第{n}小学", students=310 + 41 * i) for i, n in enumerate("一二三四五六", 1)]
    chinese += [school(standard, f"城关第{n}中学", "junior", students=520 + 13 * i) for i, n in enumerate("一二三", 1)]
    cases = (("canonical", numbered, Layout(totals=True)), ("renamed", numbered, renamed(totals=True, font_size=12)),
             ("chinese names", chinese, Layout(totals=True)))
    total: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(11, 11 + seeds):
            for name, rows, layout in cases:
                pdf = write_pdf(Path(tmp) / "t.pdf", TableSpec.of(rows, layout), layout)
                counts = accuracy(pdf, scan_pdf(pdf, Path(tmp) / "s.pdf", angle=1.5 if seed % 2 else -1.5, seed=seed))
                print(f"seed {seed} {name}: {counts}")
                total = {k: total.get(k, 0) + v for k, v in counts.items()}
    cells = total["cells"]
    print(f"{seeds * len(cases)} scans, {cells} cells: exact {total['exact'] / cells:.1%}, flagged "
          f"{total['flagged'] / cells:.1%}, wrong without a flag {total['wrong_unflagged']}, "
          f"rows read {total['rows_read']} of {total['rows']}")


def main(pages: int) -> None:
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        pdf, scan, n = build(Path(tmp), pages)
        text_wall, text_cpu, _ = evaluate_process(pdf)
        wall, cpu, code = evaluate_process(scan)
        counts = accuracy(pdf, scan)
        peak = worker_peak_mb(scan, n)
    print(f"scan: {n} page(s), {counts['rows']} school rows")
    print(f"inspection evaluate SCAN --json: {wall:.2f} s wall, {cpu:.2f} s CPU (exit {code}) → "
          f"{wall / n:.2f} s wall / page, {cpu / n:.2f} s CPU / page")
    print(f"inspection evaluate TABLE --json (text PDF, floor): {text_wall:.2f} s wall, {text_cpu:.2f} s CPU; "
          f"ratio scan / text: {wall / text_wall:.1f}× wall")
    cells = counts["cells"]
    print(f"cells (names and figures): {cells}; read exactly {counts['exact']} ({counts['exact'] / cells:.1%}); "
          f"flagged 待人工核对 {counts['flagged']} ({counts['flagged'] / cells:.1%}, of which read right "
          f"{counts['exact_flagged']}); wrong without a flag {counts['wrong_unflagged']}; "
          f"rows read {counts['rows_read']} of {counts['rows']}")
    print(f"OCR sandbox child peak RSS: {peak:.0f} MB (Tesseract's own processes not included)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sweep"]:
        sweep(int(sys.argv[2]) if len(sys.argv) > 2 else 4)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
