"""Flow: the daily accountability sweep (问责) over every county."""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

from prefect import flow, unmapped
from prefect.task_runners import ThreadPoolTaskRunner

from workflows import tasks


@flow(name="accountability-sweep", description="问责巡查：未按期完成创建任务、认定后大幅度滑坡、逾期未整改 → 问责案件与升级",
      task_runner=ThreadPoolTaskRunner(max_workers=4), validate_parameters=True)
def accountability_sweep(as_of: str | None = None, counties: list[str] | None = None) -> dict:
    """Open accountability cases and escalate overdue ones as of `as_of` (today by default).

    Running it twice on the same day changes nothing: cases are unique per county, kind and occasion,
    and an escalation moves the deadline past the day.
    """
    as_of = as_of or tasks.today()
    names = tasks.list_counties(counties)
    futures = tasks.sweep_county.map(names, unmapped(as_of))
    actions = {name: future.result() for name, future in zip(names, futures)}
    mailed = tasks.send_mail(as_of)          # after the counties' transactions: only what was kept
    return {"as_of": as_of, "actions": {k: v for k, v in actions.items() if v}, "mailed": mailed}
