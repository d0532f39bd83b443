"""Flow: annual monitoring (年度监测) of every county — evaluations, ledgers, progress reports.

The counties are split into batches, one task each (a batch is one transaction, read and written in
bulk). Run locally (the CLI, the demo), the batches share this process's threads. Run as a deployment
with `batch_deployment` set (`python -m workflows.deploy deploy`), each batch is a run of the
`annual-monitoring-batch` deployment, which the pool's workers execute each in a process of its own:
more workers, on more machines, take more batches at once (docs/deployment.md).
"""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

from datetime import date

from prefect import flow, unmapped
from prefect.task_runners import ThreadPoolTaskRunner

from workflows import fan_out, tasks

BATCH_SIZE = 100


@flow(name="annual-monitoring", description="年度监测：各县市最新数据核算 → 已达标/未达标台账 → 向县人大报告创建进度的数据",
      task_runner=ThreadPoolTaskRunner(max_workers=4), validate_parameters=True)
def annual_monitoring(year: int | None = None, as_of: str | None = None, counties: list[str] | None = None,
                      batch_size: int | None = None, batch_deployment: str | None = None) -> dict:
    """Monitor every county (or the named ones) for `year`, a batch of counties per task.

    `batch_size` defaults to BATCH_SIZE here, and on the workers to an equal share for each of the batch
    queue's slots (one process start per slot: a process costs seconds, a county milliseconds).

    A county (or a batch) that fails does not stop the others; the flow then fails listing them, and a
    re-run redoes only what changed (unchanged figures give the same evaluation and ledger).
    """
    as_of = as_of or tasks.today()
    year = year or date.fromisoformat(as_of).year
    names = tasks.list_counties(counties)
    if batch_deployment:
        groups = tasks.batches(names, batch_size or -(-len(names) // fan_out.slots(batch_deployment)))
        outcomes = fan_out.on_workers(batch_deployment, [dict(counties=g, year=year, as_of=as_of) for g in groups])
    else:
        groups = tasks.batches(names, batch_size or BATCH_SIZE)
        outcomes = fan_out.results(tasks.monitor_batch.map(groups, unmapped(year), unmapped(as_of)))
    results, failed = [], []
    for group, (batch, error) in zip(groups, outcomes):
        if error is not None:
            failed += [f"{name}: {error}" for name in group]
            continue
        results += [r for r in batch if r["status"] != "failed"]
        failed += [f"{r['county']}: {r['error']}" for r in batch if r["status"] == "failed"]
    if failed:
        raise RuntimeError("年度监测未完成 annual monitoring failed for: " + "; ".join(failed))
    return {"year": year, "counties": len(results), "written": sum(r["status"] == "written" for r in results),
            "batches": len(groups), "results": results}


@flow(name="annual-monitoring-batch", description="年度监测：一批县市（由工作进程各自执行）",
      persist_result=True, validate_parameters=True)
def monitoring_batch(counties: list[str], year: int, as_of: str) -> list[dict]:
    """One batch of `annual_monitoring`, as a flow run of its own (a worker runs it in its own process)."""
    return tasks.monitor_batch(counties, year, as_of)
