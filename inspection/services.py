"""Use cases shared by the CLI, the flows and the UI: each opens no session of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from inspection import demo
from inspection.db import repo
from inspection.db.models import County, Finding
from inspection.evaluation import evaluation_json
from inspection.rules import check_county_indicators, county_figures_from_table, decide, evaluate_resources
from inspection.rules.county import CountyFigure
from inspection.rules.vetoes import VetoFinding
from inspection.standard import Schedule, Standard


@dataclass(frozen=True)
class Context:
    """Who acts, under which standard and schedule, as of which date: built once at an entry point."""

    actor: str
    standard: Standard
    schedule: Schedule
    as_of: date


def evaluate_county(session: Session, ctx: Context, *, county: County, year: int, kind: str = "monitoring",
                    figures: dict[str, CountyFigure] | None = None,
                    vetoes: list[VetoFinding] | None = None):
    """Evaluate a county's stored school table for a year and store the result and its findings."""
    table = repo.load_school_table(session, county=county, year=year)
    if table is None:
        raise ValueError(f"{county.name} has no school figures for {year}")
    resources = evaluate_resources(table, ctx.standard)
    all_figures = {**county_figures_from_table(table, ctx.standard), **(figures or {})}
    county_results = check_county_indicators(ctx.standard, all_figures)
    verdict = decide(resources, county_results, vetoes or [])
    findings = [Finding(kind="school", code=",".join(c.indicator.id for c in s.checks if not c.met),
                        school=s.name, stage=s.stage, message=s.reason + "；" +
                        "；".join(c.sentence() for c in s.checks if not c.met))
                for s in resources.failing_schools()]
    findings += [Finding(kind="cv", code="CV", message=m)
                 for m in resources.cv_sentences() if "超过" in m]
    findings += [Finding(kind="indicator", code=r.indicator.id, message=r.sentence)
                 for r in county_results if r.met is False]
    findings += [Finding(kind="veto", code=v.condition, message=v.sentence(ctx.standard))
                 for v in vetoes or []]
    result = {**evaluation_json(resources), "verdict": verdict.outcome, "reasons": list(verdict.reasons),
              "county_indicators": {r.indicator.id: {"value": r.value, "met": r.met, "sentence": r.sentence}
                                    for r in county_results}}
    repo.record_standard(session, standard=ctx.standard)
    return repo.save_evaluation(session, county=county, year=year, kind=kind, standard_id=ctx.standard.id,
                                input_sha256=repo.table_sha256(table), outcome=verdict.outcome,
                                resource_passed=resources.resource_passed, result=result,
                                findings=findings, actor=ctx.actor)


def seed_demo(session: Session, ctx: Context, *, seed: int = 2022) -> dict[str, int]:
    """Seed the schedule's counties with demo school tables for the as-of year and evaluate each."""
    repo.seed_schedule(session, schedule=ctx.schedule, actor=ctx.actor)
    year = ctx.as_of.year
    summary = {}
    for plan in ctx.schedule.counties:
        county = repo.get_county(session, name=plan.name)
        schools = demo.county_schools(ctx.standard, plan.name, plan.recognition_year, seed)
        repo.store_school_table(session, county=county, year=year, table=demo.to_table(schools), actor=ctx.actor)
        evaluate_county(session, ctx, county=county, year=year)
        summary[plan.name] = len(schools)
    return summary


def county_status(session: Session, ctx: Context) -> list[dict]:
    """Each county with its recognition year, stage, latest verdict and open findings."""
    out = []
    for county in session.exec(select(County).order_by(County.recognition_year, County.code)):
        latest = repo.latest_evaluation(session, county=county)
        out.append({
            "county": county.name, "target_year": county.recognition_year, "stage": county.stage,
            "years_left": county.recognition_year - ctx.as_of.year,
            "latest_evaluation": None if latest is None else {
                "year": latest.year, "kind": latest.kind, "outcome": latest.outcome,
                "resource_passed": latest.resource_passed,
                "failing_schools": sum(1 for s in latest.result.get("schools", []) if not s["passed"]),
                "schools": len(latest.result.get("schools", []))},
            "open_findings": 0 if latest is None else len(repo.open_findings(session, evaluation=latest)),
        })
    return out
