"""Evaluate a county's stored figures and store the result with its findings (one row per input)."""

from __future__ import annotations

from sqlmodel import Session

from inspection.db import repo
from inspection.db.models import County, Finding
from inspection.errors import InspectionError
from inspection.evaluation import evaluation_json
from inspection.rules import check_county_indicators, county_figures_from_table, decide, evaluate_resources
from inspection.rules.county import CountyFigure
from inspection.rules.vetoes import VetoFinding
from inspection.services.context import Context


def evaluate_county(session: Session, ctx: Context, *, county: County, year: int, kind: str = "monitoring",
                    figures: dict[str, CountyFigure] | None = None,
                    vetoes: list[VetoFinding] | None = None):
    """Evaluate a county's stored school table for a year; returns (evaluation, created).

    The same figures under the same standard and kind give the same row (no duplicate on a re-run).
    """
    table = repo.load_school_table(session, county=county, year=year)
    if table is None:
        raise InspectionError(f"{county.name}没有{year}年的学校数据", f"{county.name} has no school figures for {year}",
                              county=county.name, year=year)
    input_sha256 = repo.table_sha256(table)
    existing = repo.find_evaluation(session, county=county, year=year, kind=kind, standard_id=ctx.standard.id,
                                    input_sha256=input_sha256)
    if existing is not None:   # same figures, same rules: the stored result stands (and re-runs are cheap)
        return existing, False
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
                                input_sha256=input_sha256, outcome=verdict.outcome,
                                resource_passed=resources.resource_passed, result=result,
                                findings=findings, actor=ctx.actor)
