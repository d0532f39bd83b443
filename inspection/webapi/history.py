"""A county's history for the committee: its audit trail as a readable timeline (县市记录), and what
changed between two of its submitted school tables (figures, schools added or removed, verdicts)."""

from __future__ import annotations

from sqlmodel import or_, select

from inspection.access import Principal
from inspection.db.models import (AccountabilityCase, AuditEvent, Evaluation, Finding, ReviewVerdict, Submission,
                                  Thread)
from inspection.errors import InspectionError
from inspection.history import diff_tables
from inspection.ingest import read_document
from inspection.services.review import DECISION_ZH
from inspection.services.submissions import original
from inspection.webapi._base import CountyRef, acting, context

ACTIONS = {
    "county.create": "登记县市", "county.schedule": "调整创建年份", "county.assign": "分配负责委员",
    "stage.change": "阶段变更", "submission.upload": "上传材料", "submission.ingest": "读取学校数据",
    "submission.reject": "材料未被接受", "submission.scan": "扫描否决情形", "submission.supersede": "数据表被替代",
    "submission.confirm_county": "确认为本县材料", "figures.store": "保存学校数据", "figures.prune": "删除学校数据",
    "county_figures.store": "保存县级指标", "figure.correct": "更正数据", "evaluation.create": "生成评估",
    "evaluation.refresh": "更新评估结论", "finding.decide": "认定问题", "verdict.record": "记录评估结论",
    "letter.render": "生成意见书", "ledger.write": "生成监测台账", "case.open": "启动问责", "case.escalate": "问责升级",
    "case.close": "问责结案", "thread.ask": "提出问询", "thread.answer": "答复问询", "thread.close": "处理问询",
}


def _detail(e: AuditEvent) -> str:
    after = e.after or {}
    bits = [str(after[k]) for k in ("filename", "to", "decision", "status", "school", "field", "value", "body",
                                    "document_number", "reviewer") if after.get(k) not in (None, "")]
    return "；".join(bits + ([f"理由：{e.reason}"] if e.reason else []))[:300]


def county_timeline(principal: Principal, county: CountyRef, limit: int = 500) -> list[dict]:
    """Every audit event about the county, its documents, evaluations, findings, cases and questions,
    newest first: [{"at", "actor", "action", "what", "detail"}]."""
    with acting(principal, "verdict.record", county) as (session, _, row):
        ids = {
            "county": [row.id],
            "submission": session.exec(select(Submission.id).where(Submission.county_id == row.id)).all(),
            "evaluation": session.exec(select(Evaluation.id).where(Evaluation.county_id == row.id)).all(),
            "thread": session.exec(select(Thread.id).where(Thread.county_id == row.id)).all(),
            "accountability_case": session.exec(select(AccountabilityCase.id)
                                                .where(AccountabilityCase.county_id == row.id)).all(),
            "verdict": session.exec(select(ReviewVerdict.id).where(ReviewVerdict.county_id == row.id)).all(),
        }
        ids["finding"] = session.exec(select(Finding.id).where(Finding.evaluation_id.in_(ids["evaluation"] or [-1]))).all()
        clauses = [(AuditEvent.entity == entity) & AuditEvent.entity_id.in_([str(i) for i in values])
                   for entity, values in ids.items() if values]
        events = session.exec(select(AuditEvent).where(or_(*clauses)).order_by(AuditEvent.seq.desc()).limit(limit))
        return [{"at": e.at, "actor": e.actor, "action": e.action, "what": ACTIONS.get(e.action, e.action),
                 "detail": _detail(e)} for e in events]


def school_tables(principal: Principal, county: CountyRef) -> list[dict]:
    """The county's submissions that held a school table (read or later replaced), newest first."""
    with acting(principal, "verdict.record", county) as (session, _, row):
        subs = session.exec(select(Submission).where(Submission.county_id == row.id,
                                                     Submission.status.in_(("ingested", "evaluated", "queued",
                                                                            "reviewed", "superseded")))
                            .order_by(Submission.id.desc())).all()
        return [{"id": s.id, "filename": s.filename, "year": s.year, "uploaded_at": s.uploaded_at, "status": s.status}
                for s in subs if (s.reading or {}).get("excluded") is not None]


def compare_submissions(principal: Principal, county: CountyRef, old_id: int, new_id: int) -> dict:
    """What changed from one submitted school table to another: read both originals again (in the
    limited reader), compare by school and stage, and give each one's verdict if one was recorded."""
    with acting(principal, "verdict.record", county) as (session, me, row):
        subs = [session.get(Submission, i) for i in (old_id, new_id)]
        if any(s is None or s.county_id != row.id for s in subs):
            raise InspectionError("请选择本县市的两份学校数据表。", "choose two of the county's tables.")
        standard = context(me.username).standard
        files = [(s.filename, original(s)) for s in subs]
        verdicts = {v.submission_id: DECISION_ZH.get(v.decision, v.decision)
                    for v in session.exec(select(ReviewVerdict).where(ReviewVerdict.submission_id.in_([old_id, new_id])))}
    tables = [read_document(path, standard, name=name, require_table=True).table for name, path in files]
    diff = diff_tables(*tables)
    return {"old": {"id": old_id, "filename": files[0][0], "verdict": verdicts.get(old_id), "rows": len(tables[0])},
            "new": {"id": new_id, "filename": files[1][0], "verdict": verdicts.get(new_id), "rows": len(tables[1])},
            "added": diff.added, "removed": diff.removed, "changed": diff.changed}
