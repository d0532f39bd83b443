"""Deployments of the four flows, with their schedules, for a Prefect server (see docs/deployment.md).

    python -m workflows.deploy serve                 one process serves all four (no work pool needed)
    python -m workflows.deploy deploy --pool junheng register them for a process work pool's workers
                                     [--batch-slots 2]   (batches of the annual monitoring run at once)
    python -m workflows.deploy show                  print what would be registered

Schedules are Beijing time (Xinjiang's official time): the accountability sweep daily at 02:30, the
annual monitoring on 1 December at 03:00 (figures of the school year, ledgers before the year-end
reports to the county people's congresses). Self-assessment and prefecture evaluation have no schedule:
the UI or `inspection submit`/`verdict` start them (`prefect deployment run …` or `run_deployment`).
Both modes need PREFECT_API_URL pointing at the server; the flows reach the database through
INSPECTION_DATABASE_URL, which the serving process or the worker must have in its environment.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import workflows.settings  # noqa: F401  (before prefect)
from prefect.schedules import Cron

from workflows.accountability_sweep import accountability_sweep
from workflows.annual_monitoring import annual_monitoring, monitoring_batch
from workflows.prefecture_evaluation import prefecture_evaluation
from workflows.self_assessment import self_assessment

ROOT = Path(__file__).resolve().parents[1]
TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Spec:
    name: str
    flow: object
    entrypoint: str
    cron: str | None = None
    tags: tuple[str, ...] = ()
    parameters: tuple[tuple[str, object], ...] = ()
    queue: str | None = None   # a work queue of its own (with its own concurrency), else the pool's default


BATCHES = "annual-monitoring-batch/annual-monitoring-batch"
BATCH_QUEUE = "monitoring-batches"


SPECS = (
    Spec("accountability-sweep-daily", accountability_sweep,
         "workflows/accountability_sweep.py:accountability_sweep", "30 2 * * *", ("问责",)),
    Spec("annual-monitoring-yearly", annual_monitoring,
         "workflows/annual_monitoring.py:annual_monitoring", "0 3 1 12 *", ("年度监测",),
         (("batch_deployment", BATCHES),)),
    Spec("annual-monitoring-batch", monitoring_batch, "workflows/annual_monitoring.py:monitoring_batch",
         None, ("年度监测",), queue=BATCH_QUEUE),
    Spec("self-assessment", self_assessment, "workflows/self_assessment.py:self_assessment", None, ("县级自评",)),
    Spec("prefecture-evaluation", prefecture_evaluation,
         "workflows/prefecture_evaluation.py:prefecture_evaluation", None, ("地区督导评估",)),
)


def _schedules(spec: Spec) -> list:
    return [Cron(spec.cron, timezone=TIMEZONE)] if spec.cron else []


def runner_deployments() -> list:
    """The deployments as `flow.serve` objects (built locally; nothing is sent until served)."""
    return [spec.flow.to_deployment(name=spec.name, schedules=_schedules(spec), tags=list(spec.tags),
                                    parameters=dict(spec.parameters)) for spec in SPECS]


def serve() -> None:
    """Serve every flow from this process: schedules fire here, on-demand runs execute here."""
    from prefect import serve as prefect_serve
    prefect_serve(*runner_deployments())


def deploy(pool: str, batch_slots: int = 2) -> None:
    """Register the deployments on the server for `pool`; its workers load the code from this checkout.

    The monitoring batches have a work queue of their own whose concurrency is `batch_slots` (about one
    per worker core), so the parent run waiting on them never starves them of a worker."""
    _batch_queue(pool, batch_slots)
    for spec in SPECS:
        spec.flow.from_source(source=str(ROOT), entrypoint=spec.entrypoint).deploy(
            name=spec.name, work_pool_name=pool, work_queue_name=spec.queue, schedules=_schedules(spec),
            tags=list(spec.tags), parameters=dict(spec.parameters), print_next_steps=False)
        print(f"registered {spec.flow.name}/{spec.name} on pool {pool}" + (f" ({spec.cron} {TIMEZONE})"
                                                                          if spec.cron else ""))


def _batch_queue(pool: str, slots: int) -> None:
    """Create the pool (process type) and the batch queue if missing, and set the queue's concurrency."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate, WorkQueueUpdate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass
        try:
            queue = client.read_work_queue_by_name(BATCH_QUEUE, work_pool_name=pool)
        except ObjectNotFound:
            queue = client.create_work_queue(BATCH_QUEUE, work_pool_name=pool, concurrency_limit=slots)
        client.update_work_queue(queue.id, concurrency_limit=slots)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workflows.deploy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="serve all flows from this process")
    dep = sub.add_parser("deploy", help="register deployments for a work pool")
    dep.add_argument("--pool", default="junheng")
    dep.add_argument("--batch-slots", type=int, default=2, help="monitoring batches run at once")
    sub.add_parser("show", help="list deployments and schedules")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve()
    elif args.command == "deploy":
        deploy(args.pool, args.batch_slots)
    else:
        for spec in SPECS:
            print(f"{spec.flow.name}/{spec.name}\t{spec.cron or 'on demand'}\t{spec.entrypoint}")


if __name__ == "__main__":
    main()
