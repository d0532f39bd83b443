"""The committee's evaluation of one county: the school table, sources, corrections, vetoes, verdict."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlmodel import select

from inspection.access import Principal
from inspection.columns import NUMERIC_FIELDS, column
from inspection.db import audit, digests, repo
from inspection.db.models import AuditEvent, Evaluation, Finding, ReviewVerdict, School, SchoolYearFigures, Submission
from inspection.errors import InspectionError
from inspection.rules import evaluate_resources
from inspection.rules.verdict import OUTCOME_ZH
from inspection.services import decide_finding as _decide_finding
from inspection.services import evaluate_county, evaluate_round
from inspection.services.evaluation import refresh_verdict
from inspection.services import record_verdict as _record_verdict
from inspection.services.review import DECISION_ZH
from inspection.services.submissions import original
from inspection.services.stages import round_evaluation_id
from inspection.webapi._base import CountyRef, acting, actor_of, context
from inspection.webapi.submit import need_reason, parse_value

COUNTY_MAY_CORRECT = ("plan_submission", "annual_monitoring", "self_assessment", "rectification", "accountability",
                      "not_recognised")


def _years(session, county_id: int) -> list[int]:
    return sorted({y for y in session.exec(select(SchoolYearFigures.year).join(
        School, School.id == SchoolYearFigures.school_id).where(School.county_id == county_id))}, reverse=True)


def evaluation_view(principal: Principal, county: CountyRef, year: int | None = None) -> dict:
    """The county's school table for a year with each indicator and whether it is met, plus findings."""
    with acting(principal, "county.figures", county) as (session, me, row):
        years = _years(session, row.id)
        year = year if year in years else (years[0] if years else None)
        out = {"county": row.name, "county_id": row.id, "stage": row.stage, "years": years, "year": year,
               "rows": [], "indicators": [], "evaluation": None, "findings": [], "cv": [],
               "recorded": recorded_verdict(session, row.id)}
        if year is None:
            return out
        ctx = context(me.username)
        table = repo.load_school_table(session, county=row, year=year)
        result = evaluate_resources(table, ctx.standard)
        out["indicators"] = list(result.ids)
        for i, name in enumerate(table.names):
            out["rows"].append({
                "school": name, "stage": str(table.stages[i]),
                "figures": {f: float(table.figures[f][i]) for f in NUMERIC_FIELDS},
                "values": {k: float(v) for k, v in zip(result.ids, result.values[i])},
                "unmet": [k for k, ok in zip(result.ids, result.met[i]) if not ok],
                "passed": bool(result.passed[i])})
        out["cv"] = [s for s in result.cv_sentences() if "超过" in s]
        ev = repo.evaluation_for_year(session, county=row, year=year)
        if ev is not None:
            out["evaluation"] = {"id": ev.id, "kind": ev.kind, "outcome": ev.outcome,
                                 "label": OUTCOME_ZH.get(ev.outcome, ev.outcome), "created_by": ev.created_by,
                                 "created_at": ev.created_at, "reasons": ev.result.get("reasons", [])}
            out["findings"] = [_finding(f) for f in repo.evaluation_findings(session, evaluation=ev)]
            out["evaluation"]["reasons_en"] = _reasons_en(out["evaluation"]["reasons"], out["findings"])
        return out


def verdict_dict(v: ReviewVerdict) -> dict:
    return {"decision": v.decision, "label": DECISION_ZH.get(v.decision, v.decision), "by": v.actor,
            "at": v.decided_at, "reason": v.reason, "document_number": v.document_number,
            "deadline": v.deadline, "id": v.id, "has_letter": bool(v.letter_path), "evaluation_id": v.evaluation_id}


def recorded_verdict(session, county_id: int) -> dict | None:
    """The committee's latest recorded verdict on the county (kept on the page after it is made)."""
    latest = session.exec(select(ReviewVerdict).where(ReviewVerdict.county_id == county_id)
                          .order_by(ReviewVerdict.id.desc())).first()
    return None if latest is None else verdict_dict(latest)


def _reasons_en(reasons: list[str], findings: list[dict]) -> list[str]:
    """The verdict's reasons in English where a veto finding is the reason ("" for the rule engine's
    other sentences, which are Chinese only): a confirmed veto's sentence, or an open one's 待核实."""
    english = {f["message"]: f["message_en"] for f in findings if f["kind"] == "veto" and f["message_en"]}
    def one(reason: str) -> str:
        if reason.startswith("待核实：") and reason.removeprefix("待核实：") in english:
            return "To be verified: " + english[reason.removeprefix("待核实：")]
        return english.get(reason, "")
    return [one(r) for r in reasons]


def _finding(f: Finding) -> dict:
    return {"id": f.id, "kind": f.kind, "code": f.code, "school": f.school, "stage": f.stage,
            "message": f.message, "message_en": f.message_en, "status": f.status, "decided_by": f.decided_by, "reason": f.reason}


def _figure_row(session, county_id: int, year: int, school: str, stage: str) -> SchoolYearFigures:
    fig = session.exec(select(SchoolYearFigures).join(School, School.id == SchoolYearFigures.school_id).where(
        School.county_id == county_id, School.name == school, SchoolYearFigures.year == year,
        SchoolYearFigures.stage == stage)).first()
    if fig is None:
        raise InspectionError(f"没有找到{school}的{year}年数据。", f"no figures for {school} in {year}.")
    return fig


@lru_cache(maxsize=8)
def _provenance(stored_path: str, sha256: str) -> dict:
    """Where each figure stands in a stored file, by (school, stage, field): read once per file and process."""
    from inspection.ingest import read_school_table
    try:
        table = read_school_table(stored_path, context("system").standard)
    except Exception:  # noqa: BLE001 — provenance is a convenience; the figure stands without it
        return {}
    return {(name, str(table.stages[i]), f): table.row_provenance(i, f)
            for i, name in enumerate(table.names) for f in NUMERIC_FIELDS if table.row_provenance(i, f)}


def figure_source(principal: Principal, county: CountyRef, *, year: int, school: str, stage: str,
                  field: str) -> dict:
    """Where a figure came from (file, page, table, row, column, raw cell) and how it was corrected."""
    if field not in NUMERIC_FIELDS:
        raise InspectionError("请选择一个数据单元格。", "choose a figure cell.")
    with acting(principal, "county.figures", county) as (session, _, row):
        fig = _figure_row(session, row.id, year, school, stage)
        out = {"school": school, "stage": stage, "field": field, "header": column(field).header,
               "value": getattr(fig, field), "file": None, "corrections": []}
        if fig.submission_id is not None:
            sub = session.get(Submission, fig.submission_id)
            out.update({"file": sub.filename, "submission_id": sub.id, "sha256": sub.sha256})
            try:
                prov = _provenance(str(original(sub)), sub.sha256).get((school, stage, field))
            except InspectionError as exc:     # the stored copy is gone or was changed: say so
                out["source_error"], out["source_error_en"] = exc.zh, exc.en
                prov = None
            if prov is not None:
                out.update({"page": prov.page, "table": prov.table, "row": prov.row, "column": prov.column,
                            "raw": prov.raw, "note": prov.note})
        for e in session.exec(select(AuditEvent).where(AuditEvent.action == "figure.correct",
                                                       AuditEvent.entity_id == str(row.id))
                              .order_by(AuditEvent.seq)):
            after = e.after or {}
            if (after.get("year"), after.get("school"), after.get("stage"), after.get("field")) == \
                    (year, school, stage, field):
                out["corrections"].append({"at": e.at, "by": e.actor, "before": (e.before or {}).get("value"),
                                           "after": after.get("value"), "reason": e.reason})
        return out


def correctable_row(session, me, row, year: int, school: str, stage: str) -> SchoolYearFigures:
    """The figures row a correction changes; a county may correct only before its round goes to review."""
    if me.role == "county" and row.stage not in COUNTY_MAY_CORRECT:
        raise InspectionError("材料已提交地区督导评估，不能再修改；如有错误请联系地区督导室。",
                              "the round is under review; ask the committee to correct it.")
    return _figure_row(session, row.id, year, school, stage)


def correct_figure(principal: Principal, county: CountyRef, *, year: int, school: str, stage: str,
                   field: str, value, reason: str) -> dict:
    """Change one stored figure (reason required, audited) and re-evaluate; veto decisions carry over.

    The committee may correct at any time; a county only before its round goes to review.
    """
    if field not in NUMERIC_FIELDS:
        raise InspectionError("只能更正数据单元格。", "only figures can be corrected.")
    number, reason = parse_value(field, value), need_reason(reason)
    if field == "students" and number <= 0:
        raise InspectionError("在校学生数必须大于0。", "students must be more than 0.")
    with acting(principal, "figure.correct", county) as (session, me, row):
        fig = correctable_row(session, me, row, year, school, stage)
        before = getattr(fig, field)
        setattr(fig, field, number)
        session.add(fig)
        session.flush()
        audit.record(session, actor=me.username, action="figure.correct", entity="county", entity_id=row.id,
                     before={"value": before}, after={"year": year, "school": school, "stage": stage,
                                                      "field": field, "value": number,
                                                      "digest": digests.school_figures(session, row.id, year)},
                     reason=reason)
        evaluation = reevaluate(session, me, row, year)
        return {"evaluation_id": evaluation.id, "outcome": evaluation.outcome, "before": before, "after": number}


def reevaluate(session, me, row, year: int) -> Evaluation:
    """Evaluate a county's year again after a change of its figures: the round under review if there
    is one, else a monitoring (county) or prefecture (committee) evaluation; decisions carry over."""
    ctx = context(me.username)
    previous = repo.evaluation_for_year(session, county=row, year=year)
    if round_evaluation_id(session, county=row) is not None:
        evaluation = evaluate_round(session, ctx, county=row)
    else:
        evaluation, _ = evaluate_county(session, ctx, county=row, year=year,
                                        kind="prefecture" if me.role == "committee" else "monitoring")
    if previous is not None and previous.id != evaluation.id:
        _carry_decisions(session, previous.id, evaluation.id, ctx)
    return evaluation


def _carry_decisions(session, old_id: int, new_id: int, ctx) -> None:
    """Veto findings, judged indicators and the committee's decisions on them survive a re-evaluation;
    the new evaluation's outcome is then re-derived from them."""
    def decided(evaluation_id):
        return list(session.exec(select(Finding).where(Finding.evaluation_id == evaluation_id,
                                                       Finding.kind.in_(("veto", "judgement")))))
    key = lambda f: (f.kind, f.code) if f.kind == "judgement" else (f.kind, f.code, f.message)  # noqa: E731
    new = {key(f): f for f in decided(new_id)}
    for f in decided(old_id):
        target = new.get(key(f))
        if target is None:
            if f.kind == "judgement":
                continue        # the indicator is no longer judged on this evaluation
            target = Finding(evaluation_id=new_id, kind="veto", code=f.code, school=f.school, stage=f.stage,
                             message=f.message, message_en=f.message_en)
        if f.status != "open" or target.id is None:
            target.status, target.decided_by, target.reason = f.status, f.decided_by, f.reason
        session.add(target)
    session.flush()
    refresh_verdict(session, ctx, evaluation=session.get(Evaluation, new_id))


def decide_finding(principal: Principal, finding_id: int, *, decision: str, reason: str) -> str:
    """Confirm or dismiss a veto finding, or decide a judged indicator met / not met, with the
    committee's reason (the cycle's service, audited; the round's outcome follows)."""
    if decision not in ("confirmed", "dismissed", "met", "not_met"):
        raise InspectionError("请选择核定结果。", "choose a decision.")
    reason = need_reason(reason)
    with acting(principal, "app.use") as (session, _, _row):
        finding = session.get(Finding, finding_id)
        if finding is None:
            raise InspectionError("没有找到这条问题。", f"no finding {finding_id}.")
        county_id = session.get(Evaluation, finding.evaluation_id).county_id
    with acting(principal, "finding.decide", county_id) as (session, me, _row):
        _decide_finding(session, context(me.username), finding_id=finding_id, status=decision,
                        actor=actor_of(me), reason=reason)
        return decision


def decide_findings(principal: Principal, county: CountyRef, finding_ids: list[int], *, decision: str,
                    reason: str) -> int:
    """Several findings of one county decided alike with one reason (批量认定), in one transaction:
    all or none; each is audited on its own. Returns how many changed."""
    if not finding_ids:
        raise InspectionError("请先选择要认定的问题。", "choose the findings first.")
    if decision not in ("confirmed", "dismissed", "met", "not_met"):
        raise InspectionError("请选择核定结果。", "choose a decision.")
    reason = need_reason(reason)
    with acting(principal, "finding.decide", county) as (session, me, row):
        ctx, changed = context(me.username), 0
        for finding_id in finding_ids:
            finding = session.get(Finding, finding_id)
            if finding is None or session.get(Evaluation, finding.evaluation_id).county_id != row.id:
                raise InspectionError(f"问题{finding_id}不属于{row.name}。", f"finding {finding_id} is not {row.name}'s.")
            changed += bool(_decide_finding(session, ctx, finding_id=finding_id, status=decision,
                                            actor=actor_of(me), reason=reason))
        return changed


def record_verdict(principal: Principal, county: CountyRef, *, decision: str, reason: str,
                   deadline: date | None = None) -> dict:
    """The committee's verdict on the county's queued round: approve (推荐自治区评估), return (退回整改)
    or veto (不予认定). The cycle checks what each needs (vetoes decided, a confirmed veto, a reason)."""
    if decision not in DECISION_ZH:
        raise InspectionError("请选择结论。", "choose a decision.")
    with acting(principal, "verdict.record", county) as (session, me, row):
        verdict, created = _record_verdict(session, context(me.username), county=row, decision=decision,
                                           actor=actor_of(me), reason=reason.strip(), deadline=deadline)
        return {"id": verdict.id, "decision": decision, "label": DECISION_ZH[decision], "created": created,
                "document_number": verdict.document_number, "stage": row.stage}


