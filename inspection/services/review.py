"""The county's self-assessment round and the committee's review of it (县级自评 → 地区督导评估).

`evaluate_round` evaluates the round's figures with the vetoes its documents' scans found;
`queue_for_review` hands it to the committee; `decide_finding` records the committee's decision
on one finding (an override, audited); `record_verdict` records the verdict, issues its document
number and moves the county on — once per submission, so a re-run finds it instead. A verdict is
refused while a figure read by OCR from a scan waits for a person (`unconfirmed_figures`, 待人工核对):
it is confirmed by the figure-correction path (`figure.correct`, with a reason; the same value
confirms it, another corrects it).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from inspection.cycle import Actor
from inspection.db import audit, repo
from inspection.db.models import AuditEvent, County, Evaluation, Finding, ReviewVerdict, Submission
from inspection.errors import InspectionError, StageError
from inspection.rules.vetoes import VetoFinding
from inspection.services.context import Context
from inspection.services.notifications import notify
from inspection.services.evaluation import JUDGEMENT_STATUSES, evaluate_county, refresh_verdict
from inspection.services.stages import advance, pending_submissions

DECISION_TARGET = {"approve": "region_recommended", "return": "rectification", "veto": "not_recognised"}
DECISION_ZH = {"approve": "通过，推荐自治区评估", "return": "退回整改", "veto": "不予认定"}
FINDING_STATUSES = ("open", "confirmed", "dismissed", "resolved")
# A judged indicator (comparator `judged`) is decided as met or not met; other findings as above.
STATUSES_BY_KIND = {"judgement": ("open", *JUDGEMENT_STATUSES), "veto": ("open", "confirmed", "dismissed")}


def _vetoes(submissions: list[Submission]) -> list[VetoFinding]:
    out = []
    for sub in submissions:
        for f in (sub.scan or {}).get("findings", []):
            out.append(VetoFinding(condition=f["condition"], quote=f.get("quote", ""), source=sub.filename,
                                   page=f.get("page")))
    return out


def evaluate_round(session: Session, ctx: Context, *, county: County) -> Evaluation:
    """Evaluate the round's school figures (kind self_assessment) with the vetoes found in its documents."""
    subs = pending_submissions(session, county=county)
    tables = [s for s in subs if s.status in ("ingested", "evaluated", "queued")]
    if not tables:
        raise InspectionError(f"{county.name}本轮自评材料中没有可读取的学校数据表",
                              f"{county.name}'s self-assessment documents contain no readable school table",
                              county=county.name)
    year = tables[-1].year
    evaluation, _ = evaluate_county(session, ctx, county=county, year=year, kind="self_assessment",
                                    vetoes=_vetoes(subs))
    for sub in tables:
        if sub.evaluation_id != evaluation.id or sub.status == "ingested":
            sub.evaluation_id = evaluation.id
            sub.status = "evaluated" if sub.status == "ingested" else sub.status
            session.add(sub)
    return evaluation


def queue_for_review(session: Session, ctx: Context, *, county: County, actor: Actor) -> bool:
    """Hand the evaluated round to the committee (县级自评 → 地区督导评估); False if already queued."""
    moved = advance(session, ctx, county=county, target="prefecture_evaluation", actor=actor,
                    reason="自评材料已核算，提请地区督导评估") is not None
    if moved:
        notify(session, role="committee", county_id=county.id, kind="upload",
               text=f"{county.name}已提交县级自评材料，待地区督导评估。", page="review_queue")
    for sub in pending_submissions(session, county=county):
        if sub.status == "evaluated":
            sub.status = "queued"
            session.add(sub)
    return moved


def decide_finding(session: Session, ctx: Context, *, finding_id: int, status: str, actor: Actor,
                   reason: str) -> bool:
    """The committee confirms, dismisses or resolves a finding (an override): audited with its reason."""
    if actor.role != "committee":
        raise StageError("只有督导委员会委员可以核定问题", "only a committee member may decide on a finding",
                         why="role")
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise InspectionError(f"没有编号为{finding_id}的问题", f"no finding {finding_id}")
    allowed = STATUSES_BY_KIND.get(finding.kind, FINDING_STATUSES)
    if status not in allowed:
        raise InspectionError(f"问题{finding_id}的核定结果应为{'、'.join(allowed)}之一，而不是“{status}”",
                              f"finding {finding_id} ({finding.kind}) takes one of {', '.join(allowed)}, not {status}")
    if finding.status == status:
        return False
    if not reason.strip():
        raise StageError("核定问题须说明理由", "a reason must be given for deciding on a finding", why="reason")
    before = {"status": finding.status, "decided_by": finding.decided_by}
    finding.status, finding.decided_by, finding.reason = status, actor.name, reason
    session.add(finding)
    audit.record(session, actor=actor.name, action="finding.decide", entity="finding", entity_id=finding.id,
                 before=before, after={"status": status, "kind": finding.kind, "code": finding.code,
                                       "effective": ctx.as_of.isoformat()}, reason=reason)
    if finding.kind in ("judgement", "veto"):
        session.flush()
        refresh_verdict(session, ctx, evaluation=session.get(Evaluation, finding.evaluation_id))
    return True


def unconfirmed_figures(session: Session, *, county: County) -> list[dict]:
    """The round's OCR figures still waiting for a person (待人工核对): those a scan's reading listed
    (`Submission.reading["to_confirm"]`) with no `figure.correct` of that school, stage and field
    recorded for the county and year since the scan was uploaded. A school's name and stage are
    confirmed the same way (fields "name", "stage"); a renamed or restaged row's figures are then
    matched under either."""
    pending = [(sub, item) for sub in pending_submissions(session, county=county)
               if sub.status not in ("superseded", "rejected") for item in (sub.reading or {}).get("to_confirm", [])]
    if not pending:
        return []
    uploaded = {int(e.entity_id): e.seq for e in session.exec(select(AuditEvent).where(
        AuditEvent.action == "submission.upload", AuditEvent.entity_id.in_([str(s.id) for s, _ in pending])))}
    events = [(e.seq, e.after or {}) for e in session.exec(select(AuditEvent).where(
        AuditEvent.action == "figure.correct", AuditEvent.entity_id == str(county.id)))]
    out = []
    for sub, item in pending:
        since = uploaded.get(sub.id, 0)
        later = [a for q, a in events if q > since and a.get("year") == sub.year]
        names = {item["school"]} | {str(a["value"]) for a in later if a.get("field") == "name"
                                    and (a.get("school"), a.get("stage")) == (item["school"], item["stage"])}
        stages = {item["stage"]} | {str(a["value"]) for a in later if a.get("field") == "stage"
                                    and a.get("school") in names and a.get("stage") == item["stage"]}
        if not any(a.get("field") == item["field"] and a.get("school") in names and a.get("stage") in stages
                   for a in later):
            out.append({**item, "file": sub.filename, "submission_id": sub.id})
    return out


def _round_submission(session: Session, county: County) -> Submission | None:
    queued = [s for s in pending_submissions(session, county=county) if s.evaluation_id]
    return queued[-1] if queued else None


def _latest_verdict(session: Session, county: County) -> ReviewVerdict | None:
    return session.exec(select(ReviewVerdict).where(ReviewVerdict.county_id == county.id)
                        .order_by(ReviewVerdict.id.desc())).first()


def record_verdict(session: Session, ctx: Context, *, county: County, decision: str, actor: Actor,
                   reason: str, deadline: date | None = None) -> tuple[ReviewVerdict, bool]:
    """Record the prefecture committee's verdict on the round and move the county on; (verdict, created).

    A verdict already recorded for the round's submission is returned unchanged when the decision is the
    same, and refused when it differs (a verdict is not silently overwritten).
    """
    if decision not in DECISION_TARGET:
        raise InspectionError(f"未知的结论：{decision}（approve/return/veto）", f"unknown decision: {decision}")
    submission = _round_submission(session, county)
    if submission is None:
        previous = _latest_verdict(session, county)
        if previous is None:
            raise StageError(f"{county.name}没有待审核的自评材料", f"{county.name} has no self-assessment awaiting "
                             "review", county=county.name, why="nothing_to_review")
        if previous.decision != decision:
            raise StageError(f"{county.name}本轮自评已有地区督导结论（{DECISION_ZH[previous.decision]}），不能改为"
                             f"{DECISION_ZH[decision]}", f"{county.name}'s self-assessment already has a verdict "
                             f"({previous.decision})", county=county.name, why="verdict_exists")
        return previous, False
    waiting = unconfirmed_figures(session, county=county)
    if waiting:
        listed = "；".join(f"{w['school']}“{w['header']}”（第{w['page']}页第{w['row']}行，识别为{w['raw']}）"
                          for w in waiting[:10])
        raise StageError(f"{county.name}的扫描件中有{len(waiting)}项识别数据待人工核对，核对（确认或更正）后才能作出结论："
                         f"{listed}{'等' if len(waiting) > 10 else ''}",
                         f"{county.name}: {len(waiting)} OCR figure(s) from a scan await confirmation; confirm or "
                         "correct them before the verdict", county=county.name, why="unconfirmed_ocr",
                         cells=waiting)
    target = DECISION_TARGET[decision]
    event = advance(session, ctx, county=county, target=target, actor=actor, reason=reason, deadline=deadline)
    evaluation = session.get(Evaluation, submission.evaluation_id) if submission.evaluation_id else None
    entry = repo.issue_document(session, prefix=ctx.schedule.prefecture.doc_prefix, issued=ctx.as_of, kind="verdict",
                                title=f"{county.name}督导评估意见书（{DECISION_ZH[decision]}）", county=county,
                                basis=repo.verdict_basis(county, submission.id), actor=actor.name,
                                content=[decision, reason, evaluation.result if evaluation else None])
    verdict = ReviewVerdict(county_id=county.id, submission_id=submission.id, evaluation_id=submission.evaluation_id,
                            decision=decision, target_stage=target, actor=actor.name, reason=reason,
                            deadline=county.stage_deadline if event else deadline,
                            document_number=entry.number, decided_at=ctx.now)
    session.add(verdict)
    for sub in pending_submissions(session, county=county):
        sub.status = "reviewed"
        session.add(sub)
    session.flush()
    audit.record(session, actor=actor.name, action="verdict.record", entity="county", entity_id=county.id,
                 after={"verdict_id": verdict.id, "decision": decision, "stage": target,
                        "document_number": verdict.document_number, "evaluation_id": verdict.evaluation_id,
                        "deadline": verdict.deadline and verdict.deadline.isoformat(),
                        "effective": ctx.as_of.isoformat()}, reason=reason)
    notify(session, role="county", county_id=county.id, kind="verdict",
           text=f"地区督导评估结论：{DECISION_ZH[decision]}" + (f"（{verdict.document_number}）" if verdict.document_number else ""),
           page="county_home")
    return verdict, True
