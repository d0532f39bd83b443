"""The hostile corpus's reliability table (issue #14): how each file ends through `inspection evaluate`.

    .venv/bin/python scripts/reliability.py

Builds, in a temporary folder, the corpus of tests/ingest/test_bad_input.py — refused, odd but
readable, without a school table, odd names — and the real sizes the tests scale down (a million
rows, bombs far over the default limits), then runs `.venv/bin/inspection evaluate -- FILE` on each
as a whole process with the default limits (every INSPECTION_* variable removed). Prints a Markdown
table: how each ended (exit code and the first line of the Chinese message, or the verdict when it
was read), wall time, CPU time and peak memory of the process and its parser sandbox (GNU time),
then the limits in force and the load average. The tests check the outcomes; this measures them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspection.ingest import Limits
from tests.ingest import badfiles
from tests.ingest.test_bad_input import ODD_NAMES, READABLE, REFUSED

INSPECTION = ROOT / ".venv" / "bin" / "inspection"
TIME = "/usr/bin/time"   # GNU time (Debian package "time")
KILL_AFTER = 600.0       # seconds: far past the parser's own limit, only so a hang cannot stop the table


def good_files(folder: Path) -> dict[str, Path]:
    """One clean school table (ten schools) as PDF, DOCX, XLSX and CSV: what the corpus is made from."""
    from inspection.standard import load_standard
    from tests.factories import school
    from tests.ingest.factories import Layout, TableSpec, write_csv, write_docx, write_pdf, write_xlsx
    standard = load_standard("kashgar-2022")
    rows = [school(standard, f"第{i}小学") for i in range(1, 8)] + \
        [school(standard, f"第{i}中学", "junior") for i in range(1, 4)]
    spec = TableSpec.of(rows, Layout())
    return {"pdf": write_pdf(folder / "t.pdf", spec, Layout()), "docx": write_docx(folder / "t.docx", spec),
            "xlsx": write_xlsx(folder / "t.xlsx", spec), "csv": write_csv(folder / "t.csv", spec)}


def real_sizes(good: dict[str, Path]) -> dict:
    """The cases at the sizes the tests scale down, against the default limits (kind: make(tmp))."""
    return {
        "many_rows_csv ×1,000,000": lambda tmp: badfiles.many_rows_csv(good["csv"], tmp / "rows.csv"),
        "many_rows_csv ×4,500,000 (≈ the 50 MB size limit)":
            lambda tmp: badfiles.many_rows_csv(good["csv"], tmp / "rows.csv", 4_500_000),
        "many_rows_xlsx ×1,000,000": lambda tmp: badfiles.many_rows_xlsx(good["xlsx"], tmp / "rows.xlsx"),
        "zip_bomb_docx 300 MB": lambda tmp: badfiles.zip_bomb_docx(tmp / "b.docx", 300),
        "zip_bomb_xlsx 300 MB": lambda tmp: badfiles.zip_bomb_xlsx(tmp / "b.xlsx", 300),
        "deflate_bomb_pdf 500 MB": lambda tmp: badfiles.deflate_bomb_pdf(tmp / "bomb.pdf", 500),
        "deflate_bomb_pdf 4 GB": lambda tmp: badfiles.deflate_bomb_pdf(tmp / "bomb.pdf", 4096),
        "bad_checksum_bomb_pdf 64 MB": lambda tmp: badfiles.deflate_bomb_pdf(tmp / "crc.pdf", 64, bad_checksum=True),
        "bad_checksum_bomb_pdf 400 MB":
            lambda tmp: badfiles.deflate_bomb_pdf(tmp / "crc.pdf", 400, bad_checksum=True),
        "many_tables_docx ×100,000": lambda tmp: badfiles.many_tables_docx(good["docx"], tmp / "t.docx", 100_000),
        "vmerge_over_50000_rows_docx":
            lambda tmp: badfiles.vmerge_docx(good["docx"], tmp / "merged.docx", 50_000, header=True),
        "vmerge_over_140000_rows_docx (195 MB of XML: under the unpacked limit)":
            lambda tmp: badfiles.vmerge_docx(good["docx"], tmp / "merged.docx", 140_000, header=True),
    }


def corpus(good: dict[str, Path]) -> dict:
    """Every case, kind: make(tmp) -> path."""
    cases = {kind: (lambda tmp, make=make: make(good, tmp)) for kind, (make, *_rest) in REFUSED.items()}
    cases.update({f"readable: {kind}": (lambda tmp, make=make: make(good, tmp)) for kind, (make, _) in READABLE.items()})
    cases["no table: huge_page_with_text_pdf"] = lambda tmp: badfiles.page_pdf(tmp / "huge.pdf", 10**6, "xuexiao")
    cases["no table: vmerge_over_5000_rows_docx"] = \
        lambda tmp: badfiles.vmerge_docx(good["docx"], tmp / "merged.docx", header=True)
    for n, name in enumerate(ODD_NAMES):
        cases[f"odd name {n + 1}"] = lambda tmp, name=name: badfiles.copy_named(good["csv"], tmp / name)
    cases.update(real_sizes(good))
    return cases


def run(path: Path) -> dict:
    """`inspection evaluate -- FILE` in the file's folder, default limits: outcome, wall, CPU, peak RSS.

    Measured by /usr/bin/time, not this process's rusage: a child forked from here starts with this
    process's memory (the corpus builders' imports), and Linux keeps that high-water mark across exec.
    time's figures cover the sandbox child too (waited for by the command), its RSS the larger of them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env["INSPECTION_DATA_DIR"] = str(path.parent / "data")    # nothing of a developer's own data folder
    stats = path.parent / "time"
    cmd = [TIME, "-f", "%e %U %S %M", "-o", str(stats), str(INSPECTION), "evaluate", "--", path.name]
    proc = subprocess.Popen(cmd, cwd=path.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=KILL_AFTER)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    wall, user, system, rss_kb = stats.read_text().split()[-4:]   # after "Command exited with …" if any
    return {"ended": _ended(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")),
            "wall": float(wall), "cpu": float(user) + float(system), "rss_mb": int(rss_kb) / 1024}


def _ended(code: int, out: str, err: str) -> str:
    if code == 0:
        verdict = next((line for line in out.splitlines() if line.startswith("资源配置结论：")), "")
        return "read: " + ("met" if verdict.endswith("：达标") else "not met" if verdict else "?")
    first = next((line for line in err.splitlines() if line.startswith("错误：")), None)
    return f"exit {code}: " + (first if first is not None else ("Traceback!" if "Traceback" in err else err[-200:]))


def shown(text: str, limit: int = 48) -> str:
    """Text safe in a Markdown cell: control and format characters (newline, U+202E, joiners) escaped."""
    safe = "".join(ascii(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    safe = safe.replace("|", "\\|")
    return safe if len(safe) <= limit else f"{safe[:limit]}…（{len(text)} 字符）"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="junheng-reliability-") as tmp:
        folder = Path(tmp)
        good = good_files(folder)
        print("The tests' own files are scaled down to their lower limits (bombs of 30 MB, tables 2,000 rows\n"
              "longer); here they meet the default limits. Cases with a size in their name are full size.\n")
        print("| case | file | how it ended | wall s | CPU s | max RSS MB |")
        print("|---|---|---|---:|---:|---:|")
        for n, (kind, make) in enumerate(corpus(good).items()):
            case_dir = folder / f"case{n}"
            case_dir.mkdir()
            path = make(case_dir)
            size = path.stat().st_size
            r = run(path)
            print(f"| {shown(kind, 60)} | {shown(path.name)} ({size / 1024:,.0f} KB) | {shown(r['ended'], 120)} "
                  f"| {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} |", flush=True)
            for child in case_dir.iterdir():     # the next case's files only: a million rows, twice, add up
                if child.is_file():
                    child.unlink()
    print("\nLimits in force (inspection.ingest.Limits() defaults): "
          + ", ".join(f"{k}={v}" for k, v in asdict(Limits()).items()))
    print("Load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
          + f"; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
