"""Demo data for the cycle: the schedule's counties, their yearly figures and the documents they submit.

Everything is derived from a seed, so the same seed and date give the same database. The flows run
over these in `workflows/demo.py`; `seed_demo` is the quick path without Prefect (tests, the UI).
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from inspection import demo
from inspection.cycle import Actor
from inspection.db import repo
from inspection.db.models import County
from inspection.rules.county import DEMO_DATA, CountyFigure
from inspection.services.context import Context
from inspection.services.evaluation import evaluate_county
from inspection.services.stages import advance
from inspection.services.submissions import store_submission


def seed_demo(session: Session, ctx: Context, *, seed: int = 2022) -> dict[str, int]:
    """Seed the schedule's counties with demo school tables for the as-of year and evaluate each."""
    repo.seed_schedule(session, schedule=ctx.schedule, actor=ctx.actor)
    year = ctx.as_of.year
    summary = {}
    for plan in ctx.schedule.counties:
        county = repo.get_county(session, name=plan.name)
        n = seed_year_figures(session, ctx, county=county, year=year, seed=seed)
        evaluate_county(session, ctx, county=county, year=year)
        summary[plan.name] = n
    return summary


def seed_year_figures(session: Session, ctx: Context, *, county: County, year: int, seed: int = 2022) -> int:
    """Store a county's demo school figures and county-level figures for a year (its yearly
    statistics return); returns the school rows stored."""
    schools = demo.county_schools(ctx.standard, county.name, county.recognition_year, seed,
                                  ready=demo.schools_ready(county.recognition_year, year))
    repo.store_school_table(session, county=county, year=year, table=demo.to_table(schools), actor=ctx.actor)
    values = demo.county_figures(ctx.standard, county.name, county.recognition_year, year, seed)
    figures = {k: CountyFigure(v, "", DEMO_DATA[0].format(year=year)) for k, v in values.items()}
    repo.store_county_figures(session, county=county, year=year, figures=figures, actor=ctx.actor)
    return len(schools)


def county_user(county: County) -> Actor:
    """The demo's county user (县教育局) for a county."""
    return Actor(f"{county.short_name or county.name}教育局", "county", county.name)


def plan_document(county: County, folder: Path) -> Path:
    """A county's development plan as the demo submits it (same text, same hash, every run)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{county.name}义务教育优质均衡发展规划（2021—2035年）.txt"
    path.write_text(f"{county.name}推动县域义务教育优质均衡发展规划（2021—2035年）及年度计划\n"
                    f"经中共{county.name}委员会审核同意。\n创建时间：{county.recognition_year}年。\n",
                    encoding="utf-8")
    return path


def self_assessment_table(ctx: Context, county: County, year: int, folder: Path, seed: int = 2022) -> Path:
    """The workbook a county submits with its self-assessment: the school table and the 县级指标 sheet
    (the form from `inspection forms`, filled in)."""
    from inspection.forms import build_workbook, fill_workbook
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{county.name}{year}年义务教育优质均衡发展自评数据表.xlsx"
    schools = demo.county_schools(ctx.standard, county.name, county.recognition_year, seed)
    book = build_workbook(ctx.standard, year)
    fill_workbook(book, [{"name": s.name, "stage": s.stage, **s.figures} for s in schools],
                  demo.county_figures(ctx.standard, county.name, county.recognition_year, year, seed),
                  evidence=f"{county.name}{year}年自评报告")
    book.save(path)
    return path


def submit_plan(session: Session, ctx: Context, *, county: County, folder: Path) -> bool:
    """The county submits its committee-approved plan and enters annual monitoring; False if it had."""
    actor = county_user(county)
    store_submission(session, ctx, county=county, path=plan_document(county, folder), kind="development_plan",
                     actor=actor.name)
    if county.stage != ctx.cycle.cycle.initial:
        return False
    return advance(session, ctx, county=county, target="annual_monitoring", actor=actor,
                   reason="规划和年度计划已经县委审核同意") is not None
