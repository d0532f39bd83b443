"""Stage changes (阶段变更): gather a county's facts, let the pure state machine decide, record the move.

Every change is a `StageEvent` and an audit event (who, when, before/after, why) in the caller's
transaction. Moving a county to the stage it is already at changes nothing, so a re-run flow is a no-op.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlmodel import Session, func, select

from inspection.cycle import Actor, Facts, plan_move
from inspection.db import audit
from inspection.db.models import AccountabilityCase, County, Evaluation, Finding, StageEvent, Submission
from inspection.services.context import Context

# Submission statuses that no longer count for the round: decided on, refused, or replaced by a later table.
PENDING_DONE = ("reviewed", "rejected", "superseded")


def pending_submissions(session: Session, *, county: County, kind: str = "self_assessment") -> list[Submission]:
    """The round's documents of a kind: submitted and not yet decided on by a verdict."""
    return list(session.exec(select(Submission).where(
        Submission.county_id == county.id, Submission.kind == kind,
        Submission.status.not_in(PENDING_DONE)).order_by(Submission.id)))


def round_evaluation_id(session: Session, *, county: County) -> int | None:
    """The evaluation of the round's self-assessment figures (None until evaluated)."""
    ids = [s.evaluation_id for s in pending_submissions(session, county=county) if s.evaluation_id]
    return ids[-1] if ids else None


def _count(session: Session, *conditions) -> int:
    return session.exec(select(func.count()).select_from(Finding).where(*conditions)).one()


def gather_facts(session: Session, *, county: County) -> Facts:
    """What the state machine needs to know about a county, read in the caller's transaction."""
    kinds = session.exec(select(Submission.kind).where(
        Submission.county_id == county.id, Submission.status.not_in(PENDING_DONE)).distinct()).all()
    plan = session.exec(select(Submission.id).where(Submission.county_id == county.id,
                                                    Submission.kind == "development_plan")).first()
    evaluation_id = round_evaluation_id(session, county=county)
    open_findings = open_vetoes = confirmed = 0
    outcome, pending = None, ()
    if evaluation_id is not None:
        evaluation = session.get(Evaluation, evaluation_id)
        outcome, pending = evaluation.outcome, tuple(evaluation.result.get("pending", []))
        open_findings = _count(session, Finding.evaluation_id == evaluation_id, Finding.kind != "veto",
                               Finding.status == "open")
        open_vetoes = _count(session, Finding.evaluation_id == evaluation_id, Finding.kind == "veto",
                             Finding.status == "open")
        confirmed = _count(session, Finding.evaluation_id == evaluation_id, Finding.kind == "veto",
                           Finding.status == "confirmed")
    cases = session.exec(select(func.count()).select_from(AccountabilityCase).where(
        AccountabilityCase.county_id == county.id, AccountabilityCase.status == "open")).one()
    recognised = session.exec(select(StageEvent.id).where(StageEvent.county_id == county.id,
                                                          StageEvent.to_stage == "post_recognition")).first()
    return Facts(county=county.name, stage=county.stage,
                 documents=frozenset(kinds) | ({"development_plan"} if plan else frozenset()),
                 evaluated=evaluation_id is not None, open_findings=open_findings, open_vetoes=open_vetoes,
                 confirmed_vetoes=confirmed, open_cases=cases, recognised=recognised is not None,
                 outcome=outcome, pending=pending)


def as_datetime(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, timezone.utc)


def advance(session: Session, ctx: Context, *, county: County, target: str, actor: Actor, reason: str = "",
            deadline: date | None = None) -> StageEvent | None:
    """Move `county` to `target` if the cycle allows it; returns the event, or None if already there.

    Raises `StageError` (zh + en) for an illegal transition, a role that may not make it, or an unmet
    requirement. The county row is locked for the transaction (PostgreSQL) so two flows cannot race.
    """
    county = session.exec(select(County).where(County.id == county.id).with_for_update()).one()
    if county.stage == target:
        return None
    facts = gather_facts(session, county=county)
    move = plan_move(ctx.cycle, facts, target, actor, today=ctx.as_of, recognition_year=county.recognition_year,
                     reason=reason, deadline=deadline,
                     county_names=tuple(n for n in (county.short_name, county.code) if n))
    before = {"stage": county.stage, "stage_deadline": county.stage_deadline and county.stage_deadline.isoformat()}
    event = StageEvent(county_id=county.id, from_stage=county.stage, to_stage=target, actor=actor.name,
                       at=ctx.now, reason=reason, deadline=as_datetime(move.deadline))
    county.stage, county.stage_since, county.stage_deadline = target, ctx.now, move.deadline
    session.add_all([event, county])
    session.flush()
    audit.record(session, actor=actor.name, action="stage.change", entity="county", entity_id=county.id,
                 before=before, after={"stage": target, "stage_deadline": move.deadline and move.deadline.isoformat(),
                                       "role": actor.role, "effective": ctx.as_of.isoformat(),
                                       "stage_event_id": event.id}, reason=reason)
    return event


def stage_history(session: Session, *, county: County) -> list[StageEvent]:
    return list(session.exec(select(StageEvent).where(StageEvent.county_id == county.id).order_by(StageEvent.id)))
