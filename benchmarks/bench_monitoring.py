"""Annual monitoring of a national-size set, as a Prefect deployment on a process work pool (issue 13).

What it sets up (not timed, each step's time printed):
  * PostgreSQL: the application's database and a second one for the Prefect server
    (INSPECTION_TEST_POSTGRES_URL, as `scripts/with-postgres.sh` gives it);
  * N synthetic counties (default 2,900, about 200,000 school-stage rows) with their county-level
    figures, inserted in bulk;
  * `prefect server start`, `python -m workflows.deploy deploy --pool P --batch-slots W`, and W
    `prefect worker start --pool P` processes (default 2).
What it times, each as whole processes (`prefect deployment run … --watch`, the command an operator runs):
  * the national run: every county evaluated, its findings and both ledgers written;
  * an idempotent re-run (same figures: nothing written);
with the CPU time of the workers (their flow-run processes included) and of the PostgreSQL server,
each worker's peak memory (its process tree, sampled every 0.2 s), the load average, and the floor:
the rule engine alone on the same tables in one process (`rules.assess`, no database, no Prefect).

Run: `make bench`, or `bash scripts/with-postgres.sh .venv/bin/python benchmarks/bench_monitoring.py
[--counties 2900] [--workers 2] [--batch-size N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
POOL = "bench-national"
TARGETS = {"national run": 120.0, "idempotent re-run": 30.0}   # seconds, issue 13
MEMORY_TARGET = 500 * 2**20                                       # a worker with the runs it started
TICK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ processes and their cost

def _tree(pid: int) -> list[int]:
    """pid and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _stat(pid: int) -> tuple[float, int]:
    """(CPU seconds of the process and its reaped children, resident bytes)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0
    cpu = sum(int(x) for x in fields[11:15]) / TICK          # utime stime cutime cstime
    return cpu, int(fields[21]) * os.sysconf("SC_PAGE_SIZE")


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process tree: the live processes plus every child they have reaped."""
    return sum(_stat(p)[0] for p in _tree(pid))


class PeakMemory(threading.Thread):
    """Samples the resident memory of each watched process tree; keeps each tree's peak."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak, self.done = pids, {p: 0 for p in pids}, threading.Event()
        self.process_peak = 0   # the largest flow-run process a worker started
        self.worker_peak = 0    # the largest worker process itself

    def run(self) -> None:
        while not self.done.wait(0.2):
            for p in self.pids:
                sizes = [_stat(q)[1] for q in _tree(p)]
                self.peak[p] = max(self.peak[p], sum(sizes))
                self.worker_peak = max(self.worker_peak, sizes[0])
                self.process_peak = max(self.process_peak, 0, *sizes[1:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, log: Path, seconds: float = 90) -> None:
    import urllib.request
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/health", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Prefect server at {url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


# ------------------------------------------------------------------ the data

def _databases(base: str) -> tuple[str, str]:
    """A clean application database and a Prefect server database on the same PostgreSQL."""
    from sqlalchemy import create_engine, text
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text("DROP DATABASE IF EXISTS junheng_bench_prefect"))
        conn.execute(text("CREATE DATABASE junheng_bench_prefect"))
    admin.dispose()
    prefect = base.rsplit("/", 1)[0].replace("+psycopg", "+asyncpg") + "/junheng_bench_prefect"
    return base, prefect


def seed(n: int) -> tuple[int, list]:
    """n synthetic counties with 2026 school figures and county-level figures, in bulk inserts;
    returns (school-stage rows, the tables for the floor)."""
    from sqlalchemy import insert
    from inspection import demo
    from inspection.columns import NUMERIC_FIELDS
    from inspection.db import session_scope
    from inspection.db.models import County, CountyIndicatorValue, School, SchoolYearFigures
    from inspection.rules import CountyFigure
    from inspection.standard import load_standard
    standard, rng, tables = load_standard(), random.Random(2900), []
    counties = [dict(code=f"9{k:05d}", name=f"合成县{k:04d}", prefecture="合成地区",
                     recognition_year=rng.choice([2027, 2028, 2031, 2032, 2034]), stage="annual_monitoring")
                for k in range(n)]
    with session_scope() as session:
        ids = session.execute(insert(County).returning(County.id, County.name), counties).all()
        school_rows, figure_rows, county_rows = [], [], []
        for (cid, name), c in zip(ids, counties):
            demo.COUNTY_SIZES[name] = (rng.randint(20, 80), rng.randint(6, 18), rng.randint(2, 6))
            schools = demo.county_schools(standard, name, c["recognition_year"], seed=cid)
            values = demo.county_figures(standard, name, c["recognition_year"], 2026, seed=cid)
            tables.append((demo.to_table(schools), {k: CountyFigure(v, "", "合成") for k, v in values.items()}))
            for s in dict.fromkeys(s.name for s in schools):
                school_rows.append(dict(county_id=cid, name=s))
            figure_rows.append([(s.name, s.stage, {f: s.figures[f] for f in NUMERIC_FIELDS}) for s in schools])
            county_rows += [dict(county_id=cid, year=2026, indicator_id=k, value={"v": v}, evidence="",
                                 source="合成", updated_by="bench") for k, v in values.items()]
        school_ids = {(cid, name): sid for sid, cid, name in session.execute(
            insert(School).returning(School.id, School.county_id, School.name), school_rows).all()}
        rows = [dict(school_id=school_ids[(cid, name)], year=2026, stage=stage, **figures)
                for (cid, _), found in zip(ids, figure_rows) for name, stage, figures in found]
        session.execute(insert(SchoolYearFigures), rows)
        session.execute(insert(CountyIndicatorValue), county_rows)
    return len(rows), tables


def floor(tables: list) -> tuple[float, float]:
    """The rule engine alone on the same inputs, one process: (wall, CPU) seconds."""
    from inspection.rules import assess
    from inspection.standard import load_standard
    standard = load_standard()
    wall, cpu = time.perf_counter(), time.process_time()
    for table, figures in tables:
        assess(table, standard, figures)
    return time.perf_counter() - wall, time.process_time() - cpu


def counts() -> dict:
    from sqlmodel import func, select
    from inspection.db import session_scope
    from inspection.db.models import AuditEvent, Evaluation, Finding, MonitoringLedger
    with session_scope() as s:
        return {m.__name__: s.exec(select(func.count()).select_from(m)).one()
                for m in (Evaluation, Finding, MonitoringLedger, AuditEvent)}


# ------------------------------------------------------------------ the run

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2900)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, help="default: the flow's (an equal share per batch slot)")
    args = parser.parse_args()
    base = os.environ.get("INSPECTION_TEST_POSTGRES_URL")
    if not base:
        raise SystemExit("needs PostgreSQL: bash scripts/with-postgres.sh .venv/bin/python benchmarks/bench_monitoring.py")
    folder = Path(tempfile.mkdtemp(prefix="junheng-national-"))
    app_url, prefect_db = _databases(base)
    port = _free_port()
    env = {**os.environ, "INSPECTION_DATA_DIR": str(folder), "INSPECTION_DATABASE_URL": app_url,
           "PREFECT_HOME": str(folder / "prefect"), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_API_DATABASE_CONNECTION_URL": prefect_db, "PREFECT_LOGGING_LEVEL": "WARNING",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "1",
           "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false", "PREFECT_LOCAL_STORAGE_PATH": str(folder / "results")}
    os.environ.update(env)
    procs: list[subprocess.Popen] = []
    try:
        t = time.perf_counter()
        from inspection.db import init_database
        init_database()
        rows, tables = seed(args.counties)
        print(f"seeded {args.counties} counties, {rows} school-stage rows in {time.perf_counter() - t:.1f} s (not timed)")
        t = time.perf_counter()
        log = open(folder / "server.log", "w")
        procs.append(subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port",
                                       str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True))
        _wait_for(env["PREFECT_API_URL"], folder / "server.log")
        subprocess.run([str(BIN / "python"), "-m", "workflows.deploy", "deploy", "--pool", POOL, "--batch-slots",
                        str(args.workers)], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        workers = [subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process",
                                     "--name", f"bench-worker-{k}", "--limit", "2"], env=env, cwd=ROOT,
                                    stdout=open(folder / f"worker-{k}.log", "w"), stderr=subprocess.STDOUT,
                                    start_new_session=True) for k in range(args.workers)]
        procs += workers
        time.sleep(3)
        print(f"Prefect server, deployments and {args.workers} workers up in {time.perf_counter() - t:.1f} s (not timed)")
        floor_wall, floor_cpu = floor(tables)
        print(f"floor: rules.assess over the same {args.counties} counties, one process: "
              f"{floor_wall:.1f} s wall, {floor_cpu:.1f} s CPU")
        postmaster = int(Path(os.environ["INSPECTION_TEST_POSTGRES_PIDFILE"]).read_text().split()[0]) \
            if os.environ.get("INSPECTION_TEST_POSTGRES_PIDFILE") else None
        for label in ("national run", "idempotent re-run"):
            before = counts()
            cpu0 = [tree_cpu(w.pid) for w in workers]
            db0 = tree_cpu(postmaster) if postmaster else 0.0
            memory = PeakMemory([w.pid for w in workers])
            memory.start()
            load = os.getloadavg()
            wall, cpu = time.perf_counter(), time.process_time()
            run = subprocess.run([str(BIN / "prefect"), "deployment", "run",
                                  "annual-monitoring/annual-monitoring-yearly", "--param", "year=2026",
                                  "--param", "as_of=2026-12-01", "--watch", "--watch-interval", "1",
                                  *(["--param", f"batch_size={args.batch_size}"] if args.batch_size else [])], env=env, cwd=ROOT, capture_output=True,
                                 text=True)
            seconds = time.perf_counter() - wall
            memory.done.set()
            memory.join()
            worker_cpu = sum(tree_cpu(w.pid) for w in workers) - sum(cpu0)
            db_cpu = (tree_cpu(postmaster) - db0) if postmaster else float("nan")
            after = counts()
            if run.returncode != 0 or "Completed" not in run.stdout:
                raise SystemExit(f"{label} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
            written = {k: after[k] - before[k] for k in after}
            print(f"{label}: {seconds:.1f} s wall ({seconds / floor_wall:.1f}× the floor); CPU: workers "
                  f"{worker_cpu:.1f} s ({worker_cpu / floor_cpu:.1f}× the floor's), PostgreSQL {db_cpu:.1f} s; "
                  f"peak memory per worker (its process tree) "
                  f"{', '.join(f'{m / 2**20:.0f} MB' for m in memory.peak.values())} (worker process "
                  f"{memory.worker_peak / 2**20:.0f} MB, largest flow-run process {memory.process_peak / 2**20:.0f} MB); "
                  f"load average before {load[0]:.2f}; rows added {json.dumps(written)}")
            met = seconds <= TARGETS[label] and max(memory.peak.values()) <= MEMORY_TARGET
            print(f"  target ≤ {TARGETS[label]:.0f} s and ≤ {MEMORY_TARGET / 2**20:.0f} MB a worker: "
                  f"{'met' if met else 'NOT met'}")
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
