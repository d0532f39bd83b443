"""Waiting for a flow's parts: task futures in this process, or runs of a deployment on the workers.

Both give, per part and in order, (result, None) or (None, the error as text), so a flow can let
every part have its turn before it reports the ones that failed.
"""

from __future__ import annotations

import time

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.deployments import run_deployment

POLL_SECONDS = 1.0


def results(futures) -> list[tuple[object, str | None]]:
    """The outcome of each task future, waiting for all of them."""
    out = []
    for future in futures:
        try:
            out.append((future.result(), None))
        except Exception as exc:  # collected so every part gets its turn; the flow reports them
            out.append((None, str(exc)))
    return out


def slots(deployment: str) -> int:
    """How many runs of `deployment` its work queue lets run at once (1 when it sets no limit)."""
    with get_client(sync_client=True) as client:
        found = client.read_deployment_by_name(deployment)
        queue = client.read_work_queue_by_name(found.work_queue_name, work_pool_name=found.work_pool_name)
    return max(1, queue.concurrency_limit or 1)


def on_workers(deployment: str, parameter_sets: list[dict]) -> list[tuple[object, str | None]]:
    """Start one run of `deployment` per parameter set (as sub-runs of the calling flow run) and wait
    for all of them. The pool's workers execute them, each in its own process; how many at once is
    the pool's and its queues' concurrency, not this function's."""
    runs = [run_deployment(deployment, parameters=p, timeout=0) for p in parameter_sets]
    ids = [r.id for r in runs]
    final: dict = {}
    with get_client(sync_client=True) as client:
        while len(final) < len(ids):
            time.sleep(POLL_SECONDS)
            pending = [i for i in ids if i not in final]
            for run in client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=pending))):
                if run.state is not None and run.state.is_final():
                    final[run.id] = run.state
    out = []
    for i in ids:
        state = final[i]
        if state.is_completed():
            out.append((state.result(), None))
        else:
            out.append((None, f"{deployment} run {i} {state.name}: {state.message or ''}".strip()))
    return out
