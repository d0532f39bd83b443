"""Where every county stands: its recognition year, stage, next deadline, open cases, latest verdict."""

from __future__ import annotations

from sqlmodel import Session, select

from inspection.cycle import stage_deadline
from inspection.db import repo
from inspection.db.models import County
from inspection.services.accountability import open_cases
from inspection.services.context import Context
from inspection.services.stages import gather_facts


def next_deadline(session: Session, ctx: Context, *, county: County, cases: list, recognised: bool) -> dict | None:
    """The earliest date the county owes something: its stage's deadline, a case's, its recognition year's."""
    entered = county.stage_since.date()
    candidates = []
    due = stage_deadline(ctx.cycle, county.stage, entered=entered, recognition_year=county.recognition_year,
                         today=ctx.as_of, stored=county.stage_deadline)
    rule = ctx.cycle.stage(county.stage).deadline
    if due is not None:
        candidates.append((due, rule.what or f"{ctx.cycle.stage_zh(county.stage)}期限",
                           rule.what_en or f"{county.stage} deadline", rule.assumption))
    for case in cases:
        kind = ctx.cycle.accountability.kinds[case.kind]
        candidates.append((case.deadline, f"问责案件{case.id}（{kind.zh}）整改期限",
                           f"case {case.id} ({kind.en}) rectification", ctx.cycle.accountability.assumption))
    missed = any(c.kind == "missed_recognition_year" for c in cases)
    if not recognised and not missed:
        rec = ctx.cycle.recognition_deadline(county.recognition_year)
        candidates.append((rec, f"创建年份{county.recognition_year}年认定期限",
                           f"recognition due by {rec}", ctx.cycle.cycle.recognition_due.assumption))
    if not candidates:
        return None
    day, what_zh, what_en, assumption = min(candidates, key=lambda c: c[0])
    return {"date": day.isoformat(), "what": what_zh, "what_en": what_en, "overdue": day < ctx.as_of,
            "days_left": (day - ctx.as_of).days, "assumption": assumption}


def county_status(session: Session, ctx: Context) -> list[dict]:
    """Each county with its recognition year, stage, next deadline, open cases, latest verdict and findings."""
    out = []
    for county in session.exec(select(County).order_by(County.recognition_year, County.code)):
        latest = repo.latest_evaluation(session, county=county)
        cases = open_cases(session, county=county)
        facts = gather_facts(session, county=county)
        out.append({
            "county": county.name, "target_year": county.recognition_year, "stage": county.stage,
            "stage_zh": ctx.cycle.stage_zh(county.stage), "stage_since": county.stage_since.date().isoformat(),
            "years_left": county.recognition_year - ctx.as_of.year,
            "next_deadline": next_deadline(session, ctx, county=county, cases=cases, recognised=facts.recognised),
            "open_cases": [{"id": c.id, "kind": c.kind, "kind_zh": ctx.cycle.accountability.kinds[c.kind].zh,
                            "opened": c.opened_at.date().isoformat(), "deadline": c.deadline.isoformat(),
                            "level": c.level, "level_zh": ctx.cycle.accountability.level_name(c.level),
                            "reason": c.reason} for c in cases],
            "recognised": facts.recognised,
            # Past its year, not recognised, and not recommended in time (awaiting the announcement).
            "missed_year": (not facts.recognised and ctx.as_of > ctx.cycle.recognition_deadline(county.recognition_year)
                            and county.stage not in ctx.cycle.accountability.awaiting_announcement),
            "latest_evaluation": None if latest is None else {
                "year": latest.year, "kind": latest.kind, "outcome": latest.outcome,
                "resource_passed": latest.resource_passed,
                "failing_schools": sum(1 for s in latest.result.get("schools", []) if not s["passed"]),
                "schools": len(latest.result.get("schools", [])),
                "pending": latest.result.get("pending", []),
                "county_unmet": [k for k, v in latest.result.get("county_indicators", {}).items()
                                 if v.get("met") is False]},
            "open_findings": 0 if latest is None else len(repo.open_findings(session, evaluation=latest)),
        })
    return out
