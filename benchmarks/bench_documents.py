"""Documents benchmark: whole-process times against a bare WeasyPrint floor, on this machine.

1. Floor: a fresh Python process that imports WeasyPrint and renders a 3-page CJK page (AR PL UMing,
   the letters' body face) — the cheapest a PDF can be made here.
2. One county's evaluation letter as a whole process: `inspection report FILE --county … --format pdf`
   (read the table, evaluate, build, draw two charts, render). Target: within 3 × the floor.
   The command forks its render process first (`RenderAhead`), so WeasyPrint loads on the second
   core while the table is read and evaluated; the charts are SVG, drawn in the render. The largest county's
   letter (莎车县, ~200 failing schools, 18 pages) is timed too, for the record.
3. DOCX: the same letter in a warm process (charts drawn, as in a batch) and as a whole process.
   Target: under a second for the render.
4. All 12 counties' letters plus the prefecture monitoring report, PDF, as one whole process with
   two worker processes (each keeps one renderer). Target: under 20 s on 2 cores.

Each process time is the median of REPEATS runs, floor and letter runs interleaved so machine load
affects both. Run: `.venv/bin/python benchmarks/bench_documents.py` (add `--quick` for one repeat).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = str(Path(PY).with_name("inspection"))
REPEATS = 1 if "--quick" in sys.argv else 5
COUNTY = "泽普县"
BIG = "莎车县"

FLOOR = r'''
import sys
from weasyprint import HTML
para = ("县域义务教育优质均衡发展督导评估，资源配置七项指标中每百名学生拥有高于规定学历教师数，"
        "生均教学及辅助用房面积、体育运动场馆面积、教学仪器设备值和网络多媒体教室数均应达到标准。")
html = ("<html><body style='font-family:\"AR PL UMing CN\",serif;font-size:16pt;line-height:1.8'>"
        + "".join(f"<p>{i}．{para}</p>" for i in range(14)) + "</body></html>")
doc = HTML(string=html).render()
assert len(doc.pages) == 3, len(doc.pages)
doc.write_pdf(sys.argv[1])
'''

BATCH = r'''
import sys
from datetime import date
from pathlib import Path
from inspection import demo
from inspection.documents import RenderPool, case_from_table, county_document, issue_for, prefecture_document
from inspection.standard import load_schedule, load_standard
pool = RenderPool(2)          # workers load WeasyPrint while the cases are evaluated and built
out = Path(sys.argv[1])
std, sch = load_standard(), load_schedule()
issued = date(2026, 11, 29)
cases = [case_from_table(demo.to_table(demo.county_schools(std, p.name, p.recognition_year)), std, p, 2026)
         for p in sch.counties]
jobs = [(county_document(c, issue_for(sch, serial=k, issued=issued)), "pdf", out / f"{c.county}.pdf")
        for k, c in enumerate(cases, 1)]
jobs.append((prefecture_document(cases, issue_for(sch, serial=13, issued=issued), prefecture=sch.prefecture.name,
                                 year=2026), "pdf", out / "prefecture.pdf"))
with pool:
    pool.render(jobs)
'''


CPU: dict[str, list[float]] = {}


def timed(cmd: list[str], label: str = "") -> float:
    """Wall time of a whole process; its CPU time (user + sys, with its children) goes to CPU[label]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(label, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages")))


def main() -> None:
    from inspection import demo
    from inspection.standard import load_schedule, load_standard
    std, sch = load_standard(), load_schedule()
    tmp = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    plan = sch.county(COUNTY)
    table = tmp / f"{COUNTY}.csv"
    table.write_text(demo.to_csv(demo.county_schools(std, plan.name, plan.recognition_year)), encoding="utf-8")
    letter_cmd = [CLI, "report", str(table), "--county", COUNTY, "--format", "pdf", "--out", str(tmp / "letter.pdf"),
                  "--as-of", "2026-11-29"]

    floor, letter = [], []
    for _ in range(REPEATS):
        floor.append(timed([PY, "-c", FLOOR, str(tmp / "floor.pdf")], "floor"))
        letter.append(timed(letter_cmd, "letter"))
    f, l = statistics.median(floor), statistics.median(letter)
    print(f"floor: bare WeasyPrint, 3-page CJK page, whole process      {f:6.2f} s  (runs {_fmt(floor)})")
    print(f"letter PDF, {COUNTY}, whole process ({pages(tmp / 'letter.pdf')} pages)          {l:6.2f} s  "
          f"= {l / f:.2f} × floor (target ≤ 3)  (runs {_fmt(letter)})")

    big = sch.county(BIG)
    big_table = tmp / f"{BIG}.csv"
    big_table.write_text(demo.to_csv(demo.county_schools(std, big.name, big.recognition_year)), encoding="utf-8")
    big_cmd = [CLI, "report", str(big_table), "--county", BIG, "--format", "pdf", "--out", str(tmp / "big.pdf"),
               "--as-of", "2026-11-29"]
    b = statistics.median(timed(big_cmd) for _ in range(max(1, REPEATS // 2)))
    print(f"letter PDF, {BIG}, whole process ({pages(tmp / 'big.pdf')} pages, the largest)   {b:6.2f} s  = {b / f:.2f} × floor")

    docx_cmd = letter_cmd[:5] + ["--format", "docx", "--out", str(tmp / "letter.docx"), "--as-of", "2026-11-29"]
    whole_docx = statistics.median(timed(docx_cmd) for _ in range(REPEATS))
    warm, cold = _docx_in_process(std, sch, plan)
    print(f"letter DOCX render in a warm process (charts drawn)          {warm:6.2f} s  (target < 1)")
    print(f"letter DOCX render in process incl. drawing its 2 charts     {cold:6.2f} s")
    print(f"letter DOCX, whole process                                   {whole_docx:6.2f} s")

    batch = [timed([PY, "-c", BATCH, str(tmp)], "batch") for _ in range(max(1, REPEATS // 2))]
    total = sum(pages(p) for p in tmp.glob("*.pdf") if p.name not in ("floor.pdf", "letter.pdf", "big.pdf"))
    print(f"12 letters + prefecture report, PDF, 2 workers, whole process {statistics.median(batch):6.2f} s  "
          f"({total} pages; target < 20)  (runs {_fmt(batch)})")
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    print(f"CPU seconds (user+sys, median): floor {cpu['floor']:.2f}, letter {cpu['letter']:.2f} "
          f"= {cpu['letter'] / cpu['floor']:.2f} × floor (target ≤ 3), "
          f"batch {cpu['batch']:.2f} (batch on 2 idle cores ≥ {cpu['batch'] / 2:.1f} s)")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"outputs in {tmp}")


def _docx_in_process(std, sch, plan) -> tuple[float, float]:
    from inspection import demo
    from inspection.documents import case_from_table, county_document, issue_for
    from inspection.documents import charts
    from inspection.documents.docx import DocxRenderer
    case = case_from_table(demo.to_table(demo.county_schools(std, plan.name, plan.recognition_year)), std, plan, 2026)
    doc = county_document(case, issue_for(sch, serial=1, issued=date(2026, 11, 29)))
    renderer = DocxRenderer()
    started = time.perf_counter()
    renderer.render(doc)
    cold = time.perf_counter() - started
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        renderer.render(doc)
        runs.append(time.perf_counter() - started)
    charts._DRAWN.clear()
    return statistics.median(runs), cold


def _fmt(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
