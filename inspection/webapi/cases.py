"""Accountability cases (问责事项) with deadlines, from the cycle's services."""

from __future__ import annotations

from sqlmodel import select

from inspection.access import Principal
from inspection.db.models import AccountabilityCase, County
from inspection.services import close_case as _close_case
from inspection.webapi._base import CountyRef, acting, actor_of, context
from inspection.webapi.submit import need_reason


def list_cases(principal: Principal, county: CountyRef = None, *, include_closed: bool = False) -> list[dict]:
    """Cases of all counties for the committee, the county's own for a county user (open first)."""
    scoped = principal.role == "county" or county is not None
    with acting(principal, "cases.view" if scoped else "cases.overview", county if scoped else None) as (
            session, me, row):
        ctx = context(me.username)
        names = {c.id: c.name for c in session.exec(select(County))}
        query = select(AccountabilityCase).order_by(AccountabilityCase.status.desc(), AccountabilityCase.deadline)
        if row is not None:
            query = query.where(AccountabilityCase.county_id == row.id)
        if not include_closed:
            query = query.where(AccountabilityCase.status == "open")
        out = []
        for c in session.exec(query):
            kind = ctx.cycle.accountability.kinds[c.kind]
            out.append({"id": c.id, "county": names[c.county_id], "county_id": c.county_id, "kind": kind.zh,
                        "reason": c.reason, "opened": c.opened_at.date(), "deadline": c.deadline,
                        "overdue": c.status == "open" and c.deadline < ctx.as_of,
                        "level": ctx.cycle.accountability.level_name(c.level), "status": c.status,
                        "closed_by": c.closed_by, "close_reason": c.close_reason})
        return out


def close_case(principal: Principal, case_id: int, *, reason: str) -> bool:
    """The committee closes a rectified case, with its reason."""
    reason = need_reason(reason)
    with acting(principal, "cases.overview") as (session, _, _row):
        case = session.get(AccountabilityCase, case_id)
        county_id = case.county_id if case else None
    with acting(principal, "cases.manage", county_id) as (session, me, _row):
        return _close_case(session, context(me.username), case_id=case_id, actor=actor_of(me), reason=reason)
