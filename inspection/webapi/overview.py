"""Overview services: the prefecture dashboard and one county's progress (stage, deadlines, gaps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from inspection.access import Principal, allowed
from inspection.db import repo
from inspection.db.models import County, Evaluation, ReviewVerdict
from inspection.errors import InspectionError
from inspection.services import county_status, open_cases
from inspection.services.stages import gather_facts, stage_history
from inspection.services.status import next_deadline
from inspection.webapi.labels import stage_label
from inspection.webapi.review import verdict_dict
from inspection.webapi._base import CountyRef, acting, context


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard draws, computed in one session."""

    rows: list[dict]            # one per county: stage, target year, deadline, verdict, draft (committee only)
    heatmap: list[dict]         # county × indicator → share of school rows meeting it
    indicators: list[str]
    open_cases: int
    as_of: date
    show_drafts: bool
    notes: list[str] = field(default_factory=list)


def _share_met(result: dict, ids: list[str]) -> dict[str, float]:
    schools = result.get("schools", [])
    if not schools:
        return {}
    return {i: sum(1 for s in schools if i in s["met"]) / len(schools) for i in ids}


def dashboard(principal: Principal) -> Dashboard:
    """All counties for the committee and observers; observers see recorded verdicts, not drafts."""
    with acting(principal, "dashboard.view") as (session, me, _):
        ctx = context(me.username)
        ids = [i.id for i in ctx.standard.resource_indicators]
        show_drafts = me.role == "committee"
        rows, heat = [], []
        counties = {c.name: c for c in session.exec(select(County))}
        verdicts = _recorded_verdicts(session)
        for r in county_status(session, ctx):
            county = counties[r["county"]]
            latest = r["latest_evaluation"] or {}
            recorded = verdicts.get(county.id)
            if show_drafts:
                evaluation = repo.latest_evaluation(session, county=county)
            else:   # an observer: only what a recorded verdict rests on, never a draft or unreviewed figures
                evaluation = session.get(Evaluation, recorded["evaluation_id"]) if recorded and \
                    recorded["evaluation_id"] else None
                r["latest_evaluation"] = None if evaluation is None else {
                    "year": evaluation.year, "schools": len(evaluation.result.get("schools", [])),
                    "failing_schools": sum(1 for s in evaluation.result.get("schools", []) if not s["passed"])}
                r["open_findings"] = None
            rows.append({**r, "county_id": county.id, "stage_label": stage_label(r["stage"]),
                         "draft_outcome": latest.get("outcome") if show_drafts else None,
                         "recorded": recorded})
            if evaluation is not None:
                heat += [{"county": r["county"], "indicator": k, "share": v}
                         for k, v in _share_met(evaluation.result, ids).items()]
    cases = sum(len(r.get("open_cases") or []) for r in rows)
    return Dashboard(rows, heat, ids, cases, ctx.as_of, show_drafts)


def _recorded_verdicts(session) -> dict[int, dict]:
    """The latest committee verdict per county."""
    out: dict[int, dict] = {}
    for v in session.exec(select(ReviewVerdict).order_by(ReviewVerdict.id)):
        out[v.county_id] = verdict_dict(v)
    return out


def visible_counties(principal: Principal) -> list[dict]:
    """The counties this user may look at, in schedule order: [{"id", "name", "recognition_year"}]."""
    with acting(principal, "app.use") as (session, me, _):
        rows = session.exec(select(County).order_by(County.recognition_year, County.code)).all()
        return [{"id": c.id, "name": c.name, "recognition_year": c.recognition_year}
                for c in rows if allowed(me, "county.summary", c.id)]


def county_summary(principal: Principal, county: CountyRef = None) -> dict:
    """A county's stage, next deadline, stage history, open cases, latest evaluation and open gaps."""
    with acting(principal, "county.summary", county) as (session, me, row):
        ctx = context(me.username)
        cases = open_cases(session, county=row)
        facts = gather_facts(session, county=row)
        latest = repo.latest_evaluation(session, county=row)
        drafts = allowed(me, "county.figures", row.id)
        gaps = []
        if latest is not None and drafts:
            gaps = [{"kind": f.kind, "school": f.school, "message": f.message, "message_en": f.message_en}
                    for f in repo.open_findings(session, evaluation=latest)]
        return {
            "id": row.id, "name": row.name, "recognition_year": row.recognition_year,
            "schedule_note": _schedule_note(ctx, row.name),
            "progress": _progress(session, row.id),
            "years_left": row.recognition_year - ctx.as_of.year, "stage": row.stage,
            "stage_label": stage_label(row.stage), "stage_since": row.stage_since,
            "next_deadline": next_deadline(session, ctx, county=row, cases=cases, recognised=facts.recognised),
            "events": [{"from": stage_label(e.from_stage) if e.from_stage else "—",
                        "to": stage_label(e.to_stage), "from_stage": e.from_stage, "to_stage": e.to_stage, "at": e.at, "reason": e.reason, "actor": e.actor,
                        "deadline": e.deadline} for e in reversed(stage_history(session, county=row))],
            "cases": [_case(ctx, c) for c in cases],
            "latest": None if latest is None or not drafts else _evaluation_summary(latest),
            "gaps": gaps,
            "recorded": _recorded_verdicts(session).get(row.id),
        }


def _case(ctx, c) -> dict:
    kind = ctx.cycle.accountability.kinds[c.kind]
    return {"id": c.id, "kind": kind.zh, "reason": c.reason, "opened": c.opened_at.date(), "deadline": c.deadline,
            "level": ctx.cycle.accountability.level_name(c.level), "status": c.status}


def _evaluation_summary(ev) -> dict:
    schools = ev.result.get("schools", [])
    return {"id": ev.id, "year": ev.year, "kind": ev.kind, "outcome": ev.outcome,
            "failing": sum(1 for s in schools if not s["passed"]), "schools": len(schools),
            "reasons": ev.result.get("reasons", [])[:20], "created_at": ev.created_at}


def _schedule_note(ctx, name: str) -> str:
    """The schedule's note on a county's year (the plan's own inconsistency), if any."""
    try:
        return ctx.schedule.county(name).note or ""
    except InspectionError:
        return ""


def rules_in_force(principal: Principal) -> dict:
    """The standard, cycle and schedule in force, with every provisional value (暂定值) listed."""
    from dataclasses import asdict

    from inspection.assumptions import assumptions
    from inspection.forms import requirement
    with acting(principal, "app.use") as (_session, me, _row):
        ctx = context(me.username)
        std = ctx.standard
        return {"standard": {"id": std.id, "title": std.standard.title, "document": std.standard.document},
                "indicators": [{"id": i.id, "area": i.area, "wording": i.wording, "source": i.source,
                                "requirement": requirement(i) if i.area != "resources" else
                                "，".join(f"{'小学' if s == 'primary' else '初中'}{v:g}" for s, v in i.threshold.items())
                                + i.unit, "assumption": i.verify or ""} for i in std.indicators],
                "assumptions": [asdict(a) for a in assumptions(std, ctx.cycle, ctx.schedule)]}


def _progress(session, county_id: int) -> dict | None:
    """The latest monitoring year's progress (the report to the county people's congress), if any."""
    ledger = repo.latest_ledger(session, county_id=county_id)
    return None if ledger is None else {"year": ledger.year, "text": ledger.progress.get("text", "")}
