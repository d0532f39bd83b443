"""Deployments of the four flows, with their schedules, for a Prefect server (see docs/deployment.md).

    python -m workflows.deploy serve                 one process serves all four (no work pool needed)
    python -m workflows.deploy deploy --pool junheng register them for a process work pool's workers
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
from workflows.annual_monitoring import annual_monitoring
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


SPECS = (
    Spec("accountability-sweep-daily", accountability_sweep,
         "workflows/accountability_sweep.py:accountability_sweep", "30 2 * * *", ("问责",)),
    Spec("annual-monitoring-yearly", annual_monitoring,
         "workflows/annual_monitoring.py:annual_monitoring", "0 3 1 12 *", ("年度监测",)),
    Spec("self-assessment", self_assessment, "workflows/self_assessment.py:self_assessment", None, ("县级自评",)),
    Spec("prefecture-evaluation", prefecture_evaluation,
         "workflows/prefecture_evaluation.py:prefecture_evaluation", None, ("地区督导评估",)),
)


def _schedules(spec: Spec) -> list:
    return [Cron(spec.cron, timezone=TIMEZONE)] if spec.cron else []


def runner_deployments() -> list:
    """The deployments as `flow.serve` objects (built locally; nothing is sent until served)."""
    return [spec.flow.to_deployment(name=spec.name, schedules=_schedules(spec), tags=list(spec.tags))
            for spec in SPECS]


def serve() -> None:
    """Serve every flow from this process: schedules fire here, on-demand runs execute here."""
    from prefect import serve as prefect_serve
    prefect_serve(*runner_deployments())


def deploy(pool: str) -> None:
    """Register the deployments on the server for `pool`; its workers load the code from this checkout."""
    for spec in SPECS:
        spec.flow.from_source(source=str(ROOT), entrypoint=spec.entrypoint).deploy(
            name=spec.name, work_pool_name=pool, schedules=_schedules(spec), tags=list(spec.tags),
            print_next_steps=False)
        print(f"registered {spec.flow.name}/{spec.name} on pool {pool}" + (f" ({spec.cron} {TIMEZONE})"
                                                                          if spec.cron else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workflows.deploy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="serve all flows from this process")
    dep = sub.add_parser("deploy", help="register deployments for a work pool")
    dep.add_argument("--pool", default="junheng")
    sub.add_parser("show", help="list deployments and schedules")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve()
    elif args.command == "deploy":
        deploy(args.pool)
    else:
        for spec in SPECS:
            print(f"{spec.flow.name}/{spec.name}\t{spec.cron or 'on demand'}\t{spec.entrypoint}")


if __name__ == "__main__":
    main()
