"""Annual monitoring of a synthetic 300-county prefecture set, as the Prefect flow runs it.

Seeds 300 counties (each ~30–120 school-stage rows from the demo generator) straight into a fresh
database (not timed), then times:
  * the service loop without Prefect, one county after another (the floor);
  * the `annual_monitoring` flow with Prefect's ThreadPoolTaskRunner at 1, 4 and 8 workers (each
    from a database without evaluations or ledgers, so every county is really evaluated and written);
  * an idempotent re-run of the flow (same figures: nothing is written).
Prefect runs in ephemeral mode; its start-up is measured separately (a warm-up flow).

Run: `.venv/bin/python benchmarks/bench_monitoring.py` (SQLite in a temporary folder), or
`bash scripts/with-postgres.sh .venv/bin/python benchmarks/bench_monitoring.py --postgres`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COUNTIES = 300


def _environment(args) -> str:
    folder = Path(tempfile.mkdtemp(prefix="junheng-bench-"))
    os.environ["INSPECTION_DATA_DIR"] = str(folder)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if args.postgres:
        url = os.environ["INSPECTION_TEST_POSTGRES_URL"]
        from sqlalchemy import create_engine, text
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        admin.dispose()
        os.environ["INSPECTION_DATABASE_URL"] = url
    import workflows.settings  # noqa: F401  (Prefect home inside the temporary data folder)
    from inspection.db import database_url, init_database
    init_database()
    return database_url()


def seed(n: int) -> int:
    """n synthetic counties with one year of figures each, inserted in bulk; returns school-stage rows."""
    from inspection import demo
    from inspection.columns import NUMERIC_FIELDS
    from inspection.db import session_scope
    from inspection.db.models import County, School, SchoolYearFigures
    from inspection.standard import load_standard
    standard, rows = load_standard(), 0
    rng = random.Random(300)
    with session_scope() as session:
        for k in range(n):
            year = rng.choice([2027, 2028, 2031, 2032, 2034])
            county = County(code=f"9{k:05d}", name=f"合成县{k:03d}", prefecture="合成地区", recognition_year=year,
                            stage="annual_monitoring")
            session.add(county)
            session.flush()
            demo.COUNTY_SIZES.setdefault(county.name, (rng.randint(18, 70), rng.randint(5, 16), rng.randint(2, 6)))
            schools = demo.county_schools(standard, county.name, year, seed=k)
            ids: dict[str, int] = {}
            for s in schools:
                if s.name not in ids:
                    row = School(county_id=county.id, name=s.name)
                    session.add(row)
                    session.flush()
                    ids[s.name] = row.id
                session.add(SchoolYearFigures(school_id=ids[s.name], year=2026, stage=s.stage,
                                              **{f: s.figures[f] for f in NUMERIC_FIELDS}))
            rows += len(schools)
    return rows


def reset() -> None:
    """Remove evaluations, findings and ledgers (the audit log stays: it is append-only)."""
    from sqlalchemy import delete
    from inspection.db import session_scope
    from inspection.db.models import Evaluation, Finding, MonitoringLedger
    with session_scope() as session:
        for model in (MonitoringLedger, Finding, Evaluation):
            session.exec(delete(model))


def service_loop() -> float:
    from sqlmodel import select
    from inspection.db import session_scope
    from inspection.db.models import County
    from inspection.services import make_context, monitor_county
    started = time.perf_counter()
    with session_scope() as session:
        names = [c.name for c in session.exec(select(County))]
    for name in names:
        with session_scope() as session:
            county = session.exec(select(County).where(County.name == name)).one()
            monitor_county(session, make_context("bench", "2026-11-29"), county=county, year=2026)
    return time.perf_counter() - started


def flow_run(workers: int) -> tuple[float, dict]:
    from prefect.task_runners import ThreadPoolTaskRunner
    from workflows.annual_monitoring import annual_monitoring
    runnable = annual_monitoring.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    started = time.perf_counter()
    result = runnable(year=2026, as_of="2026-11-29")
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use INSPECTION_TEST_POSTGRES_URL")
    parser.add_argument("--workers", default="1,4,8")
    parser.add_argument("--counties", type=int, default=COUNTIES)
    args = parser.parse_args()
    url = _environment(args)
    t = time.perf_counter()
    rows = seed(args.counties)
    print(f"database {url.split('@')[-1]}: {args.counties} counties, {rows} school-stage rows "
          f"(seeded in {time.perf_counter() - t:.1f} s, not timed)")
    t = time.perf_counter()
    from prefect import flow

    @flow
    def warm_up() -> int:
        return 1
    warm_up()
    print(f"Prefect import + ephemeral server start + first flow: {time.perf_counter() - t:.1f} s")
    floor = service_loop()
    print(f"service loop, no Prefect, serial:            {floor:6.1f} s  ({floor / args.counties * 1000:.0f} ms/county)")
    for workers in [int(w) for w in args.workers.split(",")]:
        reset()
        seconds, result = flow_run(workers)
        assert result["written"] == args.counties, result
        print(f"annual_monitoring flow, {workers} worker thread(s): {seconds:6.1f} s  "
              f"({seconds / args.counties * 1000:.0f} ms/county, {seconds / floor:.2f}× the loop)")
    seconds, result = flow_run(max(int(w) for w in args.workers.split(",")))
    assert result["written"] == 0
    print(f"idempotent re-run (nothing written):          {seconds:6.1f} s")


if __name__ == "__main__":
    main()
