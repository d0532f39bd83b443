"""Accountability (问责, 方案五（三）): the daily sweep over one county, and closing a case.

The sweep opens a case (with a rectification deadline) when a county is past its recognition year
without recognition, when a recognised county's figures slid back markedly (`[slide]` in cycle.toml),
or when a rectification is overdue; and escalates an open case whose deadline has passed. Each case
has a unique (county, kind, key), and an escalation moves the deadline on, so sweeping twice on the
same day changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from inspection.cycle import Actor, judge_slide
from inspection.db import audit
from inspection.db.models import AccountabilityCase, County, Evaluation, Notification, ReviewVerdict, StageEvent
from inspection.errors import InspectionError, StageError
from inspection.services.context import Context
from inspection.services.notifications import notify
from inspection.services.stages import advance, gather_facts


def open_cases(session: Session, *, county: County) -> list[AccountabilityCase]:
    return list(session.exec(select(AccountabilityCase).where(AccountabilityCase.county_id == county.id,
                                                              AccountabilityCase.status == "open")
                             .order_by(AccountabilityCase.id)))


def open_case(session: Session, ctx: Context, *, county: County, kind: str, key: str, reason: str,
              actor: Actor, details: dict | None = None) -> AccountabilityCase | None:
    """Open a case unless one exists for (county, kind, key); move the county to 问责整改 if the cycle allows."""
    exists = session.exec(select(AccountabilityCase.id).where(
        AccountabilityCase.county_id == county.id, AccountabilityCase.kind == kind,
        AccountabilityCase.key == key)).first()
    if exists is not None:
        return None
    rule = ctx.cycle.accountability
    case = AccountabilityCase(county_id=county.id, kind=kind, key=key, reason=reason, opened_by=actor.name,
                              opened_at=ctx.now, deadline=ctx.as_of + timedelta(days=rule.rectification_days),
                              details=details)
    session.add(case)
    session.flush()
    audit.record(session, actor=actor.name, action="case.open", entity="accountability_case", entity_id=case.id,
                 after={"county": county.name, "kind": kind, "key": key, "deadline": case.deadline.isoformat(),
                        "level": rule.level_name(0), "effective": ctx.as_of.isoformat()}, reason=reason)
    if ctx.cycle.transition(county.stage, "accountability") is not None:
        advance(session, ctx, county=county, target="accountability", actor=actor,
                reason=f"{rule.kinds[kind].zh}：{reason}")
    return case


def _last_entry(session: Session, county: County, stage: str) -> StageEvent | None:
    return session.exec(select(StageEvent).where(StageEvent.county_id == county.id, StageEvent.to_stage == stage)
                        .order_by(StageEvent.id.desc())).first()


def _slide(session: Session, ctx: Context, county: County):
    """(judgement, latest monitoring) against the evaluation approved before recognition, or None."""
    approved = session.exec(select(ReviewVerdict).where(ReviewVerdict.county_id == county.id,
                                                        ReviewVerdict.decision == "approve")
                            .order_by(ReviewVerdict.id.desc())).first()
    if approved is None or approved.evaluation_id is None:
        return None
    baseline = session.get(Evaluation, approved.evaluation_id)
    latest = session.exec(select(Evaluation).where(Evaluation.county_id == county.id, Evaluation.kind == "monitoring",
                                                   Evaluation.year > baseline.year)
                          .order_by(Evaluation.year.desc(), Evaluation.id.desc())).first()
    if latest is None:
        return None
    return judge_slide(baseline.result, latest.result, ctx.cycle.slide, ctx.standard.options.cv_limit), latest


def sweep_county(session: Session, ctx: Context, *, county: County) -> list[str]:
    """Apply the accountability rules to one county as of `ctx.as_of`; returns what was done."""
    actor, done = Actor.system(ctx.actor), []
    if county.stage == "rectification" and county.stage_deadline and county.stage_deadline < ctx.as_of:
        entry = _last_entry(session, county, "rectification")
        if open_case(session, ctx, county=county, kind="overdue_rectification", key=f"stage-event-{entry.id}",
                     actor=actor, reason=f"整改期限{county.stage_deadline}已过，未完成整改"):
            done.append("overdue_rectification")
    facts = gather_facts(session, county=county)
    due = ctx.cycle.recognition_deadline(county.recognition_year)
    waiting = county.stage in ctx.cycle.accountability.awaiting_announcement   # recommended in time
    if not facts.recognised and ctx.as_of > due and not waiting:
        if open_case(session, ctx, county=county, kind="missed_recognition_year", key=str(county.recognition_year),
                     actor=actor, reason=f"创建年份{county.recognition_year}年已过（{due}），尚未通过国家认定"):
            done.append("missed_recognition_year")
    if facts.recognised and county.stage == "post_recognition":
        found = _slide(session, ctx, county)
        if found and found[0].marked:
            judgement, latest = found
            if open_case(session, ctx, county=county, kind="slide_after_recognition", key=str(latest.year),
                         actor=actor, reason="；".join(judgement.reasons),
                         details={"evaluation_id": latest.id, "reasons": list(judgement.reasons)}):
                done.append("slide_after_recognition")
    for case in open_cases(session, county=county):
        if case.deadline < ctx.as_of:
            escalate(session, ctx, case=case, actor=actor)
            done.append(f"escalate:{case.id}")
    _deadline_notice(session, ctx, county=county, recognised=facts.recognised)   # a notice, not an action
    return done


NOTICE_DAYS = 30     # a deadline this close is told to the county and the committee (issue 12), once


def _deadline_notice(session: Session, ctx: Context, *, county: County, recognised: bool) -> bool:
    """Tell the county's users and the committee of the county's next deadline within NOTICE_DAYS,
    once per deadline (the sweep runs daily)."""
    from inspection.services.status import next_deadline   # status reads this module's cases
    due = next_deadline(session, ctx, county=county, cases=open_cases(session, county=county), recognised=recognised)
    if not due or not 0 <= due["days_left"] <= NOTICE_DAYS:
        return False
    head = f"{county.name}：{due['date']} {due['what']}"
    told = session.exec(select(Notification.id).where(Notification.kind == "deadline",
                                                      Notification.county_id == county.id,
                                                      Notification.text.startswith(head))).first()
    if told is not None:
        return False
    text = f"{head}，还有{due['days_left']}天。"
    for role in ("county", "committee"):
        notify(session, role=role, county_id=county.id, kind="deadline", text=text,
               page="county_home" if role == "county" else "review_queue")
    return True


def escalate(session: Session, ctx: Context, *, case: AccountabilityCase, actor: Actor) -> None:
    """An overdue case goes one level up and gets a new deadline (audited)."""
    rule = ctx.cycle.accountability
    before = {"level": case.level, "deadline": case.deadline.isoformat()}
    case.level += 1
    case.deadline = ctx.as_of + timedelta(days=rule.escalation_days)
    session.add(case)
    audit.record(session, actor=actor.name, action="case.escalate", entity="accountability_case", entity_id=case.id,
                 before=before, after={"level": case.level, "level_name": rule.level_name(case.level),
                                       "deadline": case.deadline.isoformat(), "effective": ctx.as_of.isoformat()},
                 reason=f"整改期限{before['deadline']}已过")
    county = session.get(County, case.county_id)
    for role in ("county", "committee"):
        notify(session, role=role, county_id=case.county_id, kind="escalation",
               page="county_home" if role == "county" else "cases",
               text=f"{county.name}的问责事项已升级为{rule.level_name(case.level)}，新期限{case.deadline}。")


def close_case(session: Session, ctx: Context, *, case_id: int, actor: Actor, reason: str) -> bool:
    """A committee member closes a case once rectified; False if it was already closed."""
    if actor.role != "committee":
        raise StageError("只有督导委员会委员可以结案", "only a committee member may close a case", why="role")
    if not reason.strip():
        raise StageError("结案须说明理由", "a reason must be given to close a case", why="reason")
    case = session.get(AccountabilityCase, case_id)
    if case is None:
        raise InspectionError(f"没有编号为{case_id}的问责案件", f"no accountability case {case_id}")
    if case.status == "closed":
        return False
    case.status, case.closed_by, case.closed_at, case.close_reason = "closed", actor.name, ctx.now, reason
    session.add(case)
    audit.record(session, actor=actor.name, action="case.close", entity="accountability_case", entity_id=case.id,
                 before={"status": "open", "level": case.level}, after={"status": "closed",
                                                                         "effective": ctx.as_of.isoformat()},
                 reason=reason)
    return True
