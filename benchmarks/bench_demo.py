"""`inspection demo` as a whole process in a fresh data folder (issue 13: ≤ 30 s, and its output ends
cleanly — no traceback, no Prefect shutdown noise), against `inspection --help` in the same run (the
command's start-up, the floor). Twice: as `make demo` runs it (Prefect's database migrated by the
Makefile beforehand, not timed), and on a folder where nothing is prepared (Prefect migrates its
database inside the first demo: a user who installed with pip and ran `inspection demo`). Reports wall and CPU time (the child's user + system) and the load
average; fails (exit 1) if the output holds a traceback or an error line from Prefect.

Run: `.venv/bin/python benchmarks/bench_demo.py` (`make bench`). About a minute on 2 cores.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("inspection")
TARGET = 30.0
NOISE = ("Traceback", "CancelledError", "Error flushing", "Exception in", "ERROR")


def run(args: list[str], prepared: bool = False) -> tuple[float, float, str]:
    """(wall, CPU seconds, stdout + stderr) of `inspection ARGS` in a fresh data folder; `prepared`:
    with Prefect's database migrated first, as the Makefile's demo target does (not timed)."""
    folder = tempfile.mkdtemp(prefix="junheng-demo-bench-")
    env = {**os.environ, "INSPECTION_DATA_DIR": folder, "PREFECT_HOME": f"{folder}/prefect"}
    env.pop("PREFECT_API_URL", None)
    if prepared:
        os.makedirs(env["PREFECT_HOME"])
        subprocess.run([str(EXE.with_name("prefect")), "server", "database", "upgrade", "-y"], env=env, check=True,
                       capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"inspection {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr


def main() -> None:
    load = os.getloadavg()
    floor_wall, floor_cpu, _ = run(["--help"])
    print(f"load average {load[0]:.2f}; floor `inspection --help` {floor_wall:.2f} s wall, {floor_cpu:.2f} CPU-s")
    clean = True
    for label, prepared in (("as make demo runs it", True), ("nothing prepared", False)):
        wall, cpu, output = run(["demo"], prepared)
        noise = [line for line in output.splitlines() if any(word in line for word in NOISE)]
        print(f"inspection demo, {label}: {wall:.1f} s wall, {cpu:.1f} CPU-s (children included), "
              f"{wall / floor_wall:.1f}× the floor; target ≤ {TARGET:.0f} s: {'met' if wall <= TARGET else 'NOT met'}; "
              f"last line: {output.strip().splitlines()[-1]}")
        if noise:
            print("  output is not clean:\n" + "\n".join(noise[:10]))
            clean = False
    if not clean:
        raise SystemExit(1)
    print("output clean: no traceback, no Prefect error line")


if __name__ == "__main__":
    main()
