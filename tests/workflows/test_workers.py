"""The annual monitoring as a deployment on a process work pool (docs/deployment.md §2(b)): a real
Prefect server (the session's), the deployments registered by `python -m workflows.deploy deploy`, a real
`prefect worker`, and the run started as an operator would (`prefect deployment run … --watch`).
The batches must each run in a process of their own, write every county once, and a re-run nothing."""

import json
import os
import signal
import subprocess
import sys
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


@pytest.fixture
def pool(flow_db, tmp_path, prefect_harness):
    """The deployments on pool `test-pool` (2 batch slots) of the session's Prefect server, and one
    worker for it."""
    if flow_db.startswith("sqlite"):
        pytest.skip("workers on one SQLite file would only test its lock; the pool is for PostgreSQL")
    from prefect.settings import PREFECT_API_URL
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
           "INSPECTION_DATABASE_URL": flow_db, "INSPECTION_DATA_DIR": str(tmp_path / "data"),
           "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "1",
           "PREFECT_LOCAL_STORAGE_PATH": str(tmp_path / "results"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "workflows.deploy", "deploy", "--pool", "test-pool", "--batch-slots",
                    "2"], env=env, cwd=ROOT, check=True, capture_output=True)
    worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", "test-pool", "--type", "process",
                               "--limit", "3"], env=env, cwd=ROOT, start_new_session=True,
                              stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT)
    try:
        yield env
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _run(env: dict, **params) -> subprocess.CompletedProcess:
    args = [a for k, v in params.items() for a in ("--param", f"{k}={json.dumps(v, ensure_ascii=False)}")]
    return subprocess.run([str(BIN / "prefect"), "deployment", "run", "annual-monitoring/annual-monitoring-yearly",
                           *args, "--watch", "--watch-interval", "1"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _flow_runs(env: dict) -> dict[str, list]:
    """Flow runs of the test pool by flow name, read from the server (the session's: other tests' runs too)."""
    code = ("import json; from prefect.client.orchestration import get_client\n"
            "with get_client(sync_client=True) as c:\n"
            "    flows = {f.id: f.name for f in c.read_flows()}\n"
            "    print(json.dumps([[flows[r.flow_id], r.state_type.value, r.infrastructure_pid, "
            "str(r.parent_task_run_id)] for r in c.read_flow_runs() if r.work_pool_name == 'test-pool']))")
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
