"""A county submits its self-assessment round for review, through the cycle's services."""

from __future__ import annotations

from inspection.access import Principal
from inspection.columns import column
from inspection.cycle import Actor
from inspection.errors import InspectionError
from inspection.services import advance, evaluate_round, leases, queue_for_review, scan_round
from inspection.services.stages import pending_submissions
from inspection.webapi._base import CountyRef, acting, actor_of, context

MIN_REASON = 4


def need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise InspectionError(f"请填写理由（至少{MIN_REASON}个字），说明依据或来源。",
                              f"give a reason (at least {MIN_REASON} characters).")
    return reason


def parse_value(field: str, value) -> float:
    try:
        number = float(str(value).replace(",", "").replace("，", "").strip())
    except ValueError:
        raise InspectionError(f"“{value}”不是数字，请填写数字。", f"'{value}' is not a number.") from None
    if number < 0 or number != number:
        raise InspectionError(f"{column(field).header}不能为负数。", "the value cannot be negative.")
    return number


def submit_for_review(principal: Principal, county: CountyRef = None) -> dict:
    """县级自评 → 地区督导评估: enter self-assessment, scan the round's documents for veto conditions,
    evaluate its figures with them, and queue it for the committee (the self-assessment flow's steps). The cycle refuses (with its reason) when the stage does not allow it."""
    with acting(principal, "submission.submit", county) as (session, me, row):
        ctx = context(me.username)
        leases.ensure_free(session, county=row)       # a round of the county submitted elsewhere right now
        if row.stage == "prefecture_evaluation":       # a second press, or another tab: said plainly, no stage error
            raise InspectionError(f"{row.name}的自评材料已提交，正在等待地区督导委员会评估，无需再次提交。",
                                  f"{row.name}'s self-assessment is already with the committee.")
        if row.stage != "self_assessment":
            advance(session, ctx, county=row, target="self_assessment", actor=actor_of(me),
                    reason="县级自评材料已提交")
        scan_round(session, ctx, submissions=pending_submissions(session, county=row), actor=me.username)
        evaluation = evaluate_round(session, ctx, county=row)
        queue_for_review(session, ctx, county=row, actor=Actor.system())
        return {"evaluation_id": evaluation.id, "outcome": evaluation.outcome, "year": evaluation.year,
                "stage": row.stage}
