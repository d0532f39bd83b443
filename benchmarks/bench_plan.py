"""`inspection plan FILE --county NAME --json` (issue 15: a county's plan in under 1 s on this machine).

1. Whole processes for the 12 demo counties (today, and projected to their recognition years), each against `inspection evaluate FILE --json` on the
   same file in the same run (the floor: reading the table and the verdict, without planning).
2. A 300-county set (the 12 demo counties' systems under 25 seeds, inspection/demo.py): every plan
   in process — wall and CPU per county, the MILP's gap to its lower bound — and a sample of them
   (`--processes N`, all with `--processes 300`) as whole processes.
3. The solver, by measurement: HiGHS (highspy) against CBC (PuLP) on the same MILP, and the
   school-by-school plan, on the demo counties and on a CV-stressed variant of them (grounds,
   rooms, teachers and equipment scattered so that CVs are over their limits).

Reports wall and CPU time and the load average. Run: `.venv/bin/python benchmarks/bench_plan.py`
(about two minutes on 2 cores; `--quick` skips CBC on the stressed set).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspection import demo  # noqa: E402
from inspection.planning import load_costs, plan_additions  # noqa: E402
from inspection.planning_solver import MAX_ROUNDS, ROUND_NODES  # noqa: E402
from inspection.standard import load_schedule, load_standard  # noqa: E402

from bench_scaling import EXE, timed  # noqa: E402  (this folder is on the path when a script runs)
from tests.factories import stressed  # noqa: E402

TARGET = 1.0
TABLE_YEAR = 2026
SEEDS = 25


def county_set(standard, schedule, seeds: int) -> list[tuple[str, int, list]]:
    """(county, seed, rows) for the demo counties under `seeds` seeds (seed 2022 first: the demo's)."""
    return [(c.name, seed, demo.county_schools(standard, c.name, c.recognition_year, seed))
            for seed in [2022, *range(1, seeds)] for c in schedule.counties]


def processes(cases, folder: Path, years: dict[str, int] | None = None) -> list[tuple[float, float, float, float]]:
    """(plan wall, CPU, floor wall, CPU) per case; `years`: each county's plan for that year (--year)."""
    out = []
    for name, seed, rows in cases:
        path = folder / f"{name}-{seed}.csv"
        path.write_text(demo.to_csv(rows), encoding="utf-8")
        year = [] if years is None else ["--year", str(years[name]), "--table-year", str(TABLE_YEAR)]
        plan = timed([str(EXE), "plan", str(path), "--county", name, "--json", *year])
        floor = timed([str(EXE), "evaluate", str(path), "--json"])
        out.append((*plan, *floor))
    return out


def report_processes(label: str, runs) -> None:
    walls = [r[0] for r in runs]
    ratio = statistics.median(r[0] / r[2] for r in runs)
    print(f"{label}: {len(runs)} processes, wall median {statistics.median(walls):.2f} s, max {max(walls):.2f} s; "
          f"CPU median {statistics.median(r[1] for r in runs):.2f} s, max {max(r[1] for r in runs):.2f} s; floor (evaluate, same file) median "
          f"{statistics.median(r[2] for r in runs):.2f} s, plan/floor {ratio:.2f}×; "
          f"target < {TARGET:g} s: {'met' if max(walls) < TARGET else 'NOT met'}", flush=True)


def in_process(tables, standard, costs, method: str) -> list[tuple[float, float, float, float | None]]:
    """(wall, CPU, cost, lower bound) of each table's plan, in this process."""
    out = []
    for table in tables:
        w0, c0 = time.perf_counter(), time.process_time()
        plan = plan_additions(table, standard, costs, method)
        assert plan.passed
        out.append((time.perf_counter() - w0, time.process_time() - c0, plan.cost_wan, plan.lower_bound_wan))
    return out


def report(label: str, runs) -> None:
    walls = [r[0] for r in runs]
    gaps = [(r[2] - r[3]) / r[2] for r in runs if r[3] is not None and r[2] > 0]
    line = (f"{label}: {len(runs)} plans, wall total {sum(walls):.2f} s, median {statistics.median(walls) * 1e3:.0f} ms, "
            f"max {max(walls) * 1e3:.0f} ms; CPU total {sum(r[1] for r in runs):.2f} s; cost total {sum(r[2] for r in runs):,.2f} 万元")
    if gaps:
        line += f"; gap to the MILP's bound median {statistics.median(gaps):.3%}, max {max(gaps):.3%}"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=24, help="how many of the 300 to run as processes")
    parser.add_argument("--quick", action="store_true", help="no CBC on the stressed set")
    args = parser.parse_args()
    standard, schedule, costs = load_standard(), load_schedule(), load_costs()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores; "
          f"MILP at most {MAX_ROUNDS} rounds of {ROUND_NODES} nodes a county", flush=True)
    cases = county_set(standard, schedule, SEEDS)
    demo_cases = cases[: len(schedule.counties)]
    with tempfile.TemporaryDirectory() as tmp:
        help_wall, _ = timed([str(EXE), "--help"])
        print(f"floor `inspection --help`: {help_wall:.2f} s wall", flush=True)
        report_processes("12 demo counties", processes(demo_cases, Path(tmp)))
        years = {c.name: max(c.recognition_year, TABLE_YEAR) for c in schedule.counties}
        report_processes("12 demo counties, --year their recognition year",
                         processes(demo_cases, Path(tmp), years))
        step = max(1, len(cases) // max(args.processes, 1))
        report_processes(f"300-county set, every {step}th", processes(cases[::step][: args.processes], Path(tmp)))
    tables = [demo.to_table(rows) for _, _, rows in cases]
    report("300-county set in process, HiGHS", in_process(tables, standard, costs, "milp"))
    demo_tables = tables[: len(schedule.counties)]
    hard = [stressed(t, k) for k, t in enumerate(demo_tables)]
    for method in ("greedy", "milp", "pulp"):
        report(f"12 demo counties, {method}", in_process(demo_tables, standard, costs, method))
    for method in ("greedy", "milp") + (() if args.quick else ("pulp",)):
        report(f"12 CV-stressed counties, {method}", in_process(hard, standard, costs, method))


if __name__ == "__main__":
    main()
