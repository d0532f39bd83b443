"""Flow: annual monitoring (年度监测) of every county — evaluations, ledgers, progress reports."""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

from datetime import date

from prefect import flow, unmapped
from prefect.task_runners import ThreadPoolTaskRunner

from workflows import tasks


@flow(name="annual-monitoring", description="年度监测：各县市最新数据核算 → 已达标/未达标台账 → 向县人大报告创建进度的数据",
      task_runner=ThreadPoolTaskRunner(max_workers=4), validate_parameters=True)
def annual_monitoring(year: int | None = None, as_of: str | None = None, counties: list[str] | None = None) -> dict:
    """Monitor every county (or the named ones) for `year`, one task per county, run concurrently.

    A county whose task fails does not stop the others; the flow then fails listing them, and a re-run
    redoes only what changed (unchanged figures give the same evaluation and ledger).
    """
    as_of = as_of or tasks.today()
    year = year or date.fromisoformat(as_of).year
    names = tasks.list_counties(counties)
    futures = tasks.monitor_county.map(names, unmapped(year), unmapped(as_of))
    results, failed = [], []
    for name, future in zip(names, futures):
        try:
            results.append(future.result())
        except Exception as exc:  # collected so every county gets its turn; re-raised below
            failed.append(f"{name}: {exc}")
    if failed:
        raise RuntimeError("年度监测未完成 annual monitoring failed for: " + "; ".join(failed))
    return {"year": year, "counties": len(results), "written": sum(r["status"] == "written" for r in results),
            "results": results}
