"""The committee's inbox (待办): every county with something to do — a round to decide, vetoes and
judged indicators to decide, answers to read — with its stage, deadline and reviewer; and the
assignment of a county's review to a committee member."""

from __future__ import annotations

from sqlmodel import select

from inspection.access import Principal
from inspection.db import audit, repo
from inspection.db.models import County, Finding, Thread, User
from inspection.errors import InspectionError
from inspection.services import county_status
from inspection.webapi._base import CountyRef, acting, context


def _open_by_kind(session, county: County) -> dict[str, int]:
    latest = repo.latest_evaluation(session, county=county)
    if latest is None:
        return {}
    rows = session.exec(select(Finding.kind).where(Finding.evaluation_id == latest.id, Finding.status == "open"))
    counts: dict[str, int] = {}
    for kind in rows:
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def inbox(principal: Principal) -> list[dict]:
    """One row per county: stage, next deadline and days left, open vetoes, judged indicators to
    decide, threads waiting for the committee (answered) or the county (open), reviewer, and what
    it waits for (`status`)."""
    with acting(principal, "review.queue") as (session, me, _):
        ctx = context(me.username)
        counties = {c.name: c for c in session.exec(select(County))}
        waiting: dict[int, dict[str, int]] = {}
        for county_id, status in session.exec(select(Thread.county_id, Thread.status).where(Thread.status != "closed")):
            waiting.setdefault(county_id, {}).setdefault(status, 0)
            waiting[county_id][status] += 1
        rows = []
        for r in county_status(session, ctx):
            county = counties[r["county"]]
            open_ = _open_by_kind(session, county)
            threads = waiting.get(county.id, {})
            due = r["next_deadline"] or {}
            row = {"county": county.name, "county_id": county.id, "stage": county.stage,
                   "deadline": due.get("date"), "deadline_what": due.get("what", ""),
                   "days_left": due.get("days_left"), "overdue": bool(due.get("overdue")),
                   "vetoes": open_.get("veto", 0), "judgements": open_.get("judgement", 0),
                   "answers": threads.get("answered", 0), "questions": threads.get("open", 0),
                   "reviewer": county.reviewer or ""}
            row["status"] = ("decide" if county.stage == "prefecture_evaluation" else
                             "read" if row["answers"] else "wait" if row["questions"] else "none")
            rows.append(row)
        return rows


def committee_members(principal: Principal) -> list[str]:
    with acting(principal, "review.queue") as (session, _, _row):
        return list(session.exec(select(User.username).where(User.role == "committee", User.active)
                                 .order_by(User.username)))


def assign(principal: Principal, county: CountyRef, *, reviewer: str) -> str:
    """Assign the county's review to a committee member ("" to clear); audited."""
    with acting(principal, "verdict.record", county) as (session, me, row):
        members = set(session.exec(select(User.username).where(User.role == "committee", User.active)))
        if reviewer and reviewer not in members:
            raise InspectionError(f"{reviewer}不是督导委员会的账号。", f"{reviewer} is not a committee account.")
        before, row.reviewer = row.reviewer, reviewer or None
        session.add(row)
        audit.record(session, actor=me.username, action="county.assign", entity="county", entity_id=row.id,
                     before={"reviewer": before}, after={"reviewer": row.reviewer})
        return reviewer
