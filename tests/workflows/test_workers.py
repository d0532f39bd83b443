"""The annual monitoring as a deployment on a process work pool (docs/deployment.md §2(b)): a real
`prefect server start`, the deployments registered by `python -m workflows.deploy deploy`, a real
`prefect worker`, and the run started as an operator would (`prefect deployment run … --watch`).
The batches must each run in a process of their own, write every county once, and a re-run nothing."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from inspection.db import session_scope
from inspection.db.models import AuditEvent, MonitoringLedger
from inspection.services import demo as demo_data
from tests.services.conftest import county, ctx

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
THREE = ["泽普县", "巴楚县", "莎车县"]
pytestmark = pytest.mark.slow


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pool(flow_db, tmp_path):
    """A Prefect server with the deployments on pool `test-pool` (2 batch slots) and one worker."""
    if flow_db.startswith("sqlite"):
        pytest.skip("workers on one SQLite file would only test its lock; the pool is for PostgreSQL")
    port = _port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "INSPECTION_DATABASE_URL": flow_db, "INSPECTION_DATA_DIR": str(tmp_path / "data"),
           "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "1",
           "PREFECT_LOCAL_STORAGE_PATH": str(tmp_path / "results"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_DATABASE_CONNECTION_URL", None)
    started = []

    def start(*args: str, log: str) -> subprocess.Popen:
        proc = subprocess.Popen([str(BIN / "prefect"), *args], env=env, cwd=ROOT, start_new_session=True,
                                stdout=open(tmp_path / log, "w"), stderr=subprocess.STDOUT)
        started.append(proc)
        return proc
    try:
        start("server", "start", "--host", "127.0.0.1", "--port", str(port), log="server.log")
        for _ in range(180):
            try:
                urllib.request.urlopen(env["PREFECT_API_URL"] + "/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail((tmp_path / "server.log").read_text()[-2000:])
        subprocess.run([sys.executable, "-m", "workflows.deploy", "deploy", "--pool", "test-pool", "--batch-slots",
                        "2"], env=env, cwd=ROOT, check=True, capture_output=True)
        start("worker", "start", "--pool", "test-pool", "--type", "process", "--limit", "3", log="worker.log")
        yield env
    finally:
        for proc in started:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _run(env: dict, **params) -> subprocess.CompletedProcess:
    args = [a for k, v in params.items() for a in ("--param", f"{k}={json.dumps(v, ensure_ascii=False)}")]
    return subprocess.run([str(BIN / "prefect"), "deployment", "run", "annual-monitoring/annual-monitoring-yearly",
                           *args, "--watch", "--watch-interval", "1"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _flow_runs(env: dict) -> dict[str, list]:
    """Flow runs by flow name, read from the server."""
    code = ("import json; from prefect.client.orchestration import get_client\n"
            "with get_client(sync_client=True) as c:\n"
            "    flows = {f.id: f.name for f in c.read_flows()}\n"
            "    print(json.dumps([[flows[r.flow_id], r.state_type.value, r.infrastructure_pid, "
            "str(r.parent_task_run_id)] for r in c.read_flow_runs()]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    runs: dict[str, list] = {}
    for name, state, pid, parent in json.loads(out.stdout):
        runs.setdefault(name, []).append((state, pid, parent))
    return runs


def test_annual_monitoring_fans_out_to_worker_processes(flow_db, pool, tmp_path):
    with session_scope(flow_db) as s:
        for name in THREE:
            demo_data.seed_year_figures(s, ctx(date(2026, 11, 29)), county=county(s, name), year=2026)
    run = _run(pool, year=2026, as_of="2026-11-29", counties=THREE)
    assert run.returncode == 0 and "Completed" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]
    runs = _flow_runs(pool)
    (parent,) = runs["annual-monitoring"]
    batches = runs["annual-monitoring-batch"]
    assert len(batches) == 2 and {state for state, _, _ in batches} == {"COMPLETED"}   # ⌈3 ÷ 2 slots⌉ a batch
    pids = {pid for _, pid, _ in batches} | {parent[1]}
    assert len(pids) == 3 and None not in pids            # the parent and each batch: a process each
    assert all(p != "None" for _, _, p in batches)        # sub-runs of the parent
    with session_scope(flow_db) as s:
        assert s.exec(select(func.count()).select_from(MonitoringLedger)).one() == 3
        events = s.exec(select(func.count()).select_from(AuditEvent)).one()
    again = _run(pool, year=2026, as_of="2026-11-29", counties=THREE)
    assert again.returncode == 0 and "Completed" in again.stdout, again.stdout[-2000:]
    with session_scope(flow_db) as s:
        assert s.exec(select(func.count()).select_from(AuditEvent)).one() == events   # nothing written
