"""A parser child dies with its reader: a SIGKILLed `inspection evaluate` leaves no worker parsing on."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.ingest import badfiles
from tests.ingest.factories import Layout, TableSpec, write_docx

INSPECTION = str(Path(sys.executable).parent / "inspection")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _running(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return False
    return "Z" not in state.split()[1]                    # a zombie has stopped; only its entry is left


def test_a_killed_reader_takes_its_parser_with_it(rows, tmp_path):
    slow = badfiles.many_tables_docx(write_docx(tmp_path / "t.docx", TableSpec.of(rows, Layout())),
                                     tmp_path / "slow.docx", tables=100_000)        # ~8 s of parsing
    reader = subprocess.Popen([INSPECTION, "evaluate", str(slow)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    for _ in range(300):
        worker = next((c for c in _children(reader.pid)
                       if b"office_worker" in Path(f"/proc/{c}/cmdline").read_bytes()), None)
        if worker:
            break
        time.sleep(0.05)
    assert worker, "the parser child never started"
    reader.send_signal(signal.SIGKILL)
    reader.wait()
    for _ in range(60):
        if not _running(worker):
            break
        time.sleep(0.05)
    assert not _running(worker)
