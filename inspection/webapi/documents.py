"""Downloads: blank forms (built here from the canonical columns), the letters issued to a county and the
prefecture's report, rendered by `inspection.documents` (one long-lived renderer per process)."""

from __future__ import annotations

import csv
import io
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Callable

from sqlmodel import select

from inspection.access import Principal, require
from inspection.columns import canonical_columns
from inspection.db import repo
from inspection.db.models import Evaluation, ReviewVerdict
from inspection.errors import InspectionError
from inspection.services.review import DECISION_ZH
from inspection.webapi._base import CountyRef, acting, context

MIME = {"csv": "text/csv", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
Progress = Callable[[float, str], None]


def blank_forms(principal: Principal) -> list[dict]:
    """Every blank form, as `inspection forms` writes them for this year: the school table as CSV,
    the workbook (学校数据 with checks, 填表说明, 县级指标) and the self-assessment outline (DOCX)."""
    from inspection.forms import build_outline, build_workbook
    with acting(principal, "forms.download") as (_, me, _row):
        ctx = context(me.username)
    headers = [c.header for c in canonical_columns()]
    example = ["某某县第一小学", "小学", "800", "18", "40", "9", "8", "4", "3800", "6500", "170", "19"]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([headers, example])
    book, outline = io.BytesIO(), io.BytesIO()
    build_workbook(ctx.standard, ctx.as_of.year).save(book)
    build_outline(ctx.standard, ctx.as_of.year).save(outline)
    return [{"label": "学校数据表（Excel，含填表说明和县级指标表）", "filename": "学校数据表.xlsx", "mime": MIME["xlsx"],
             "data": book.getvalue()},
            {"label": "学校数据表（CSV，仅学校数据）", "filename": "学校数据表.csv", "mime": MIME["csv"],
             "data": text.getvalue().encode("utf-8-sig")},
            {"label": "县级自评报告提纲（Word）", "filename": "县级自评报告提纲.docx", "mime": MIME["docx"],
             "data": outline.getvalue()}]


_RENDER_LOCK = threading.Lock()
_RENDERERS = None


def _render(doc, fmt: str) -> bytes:
    """Render with one long-lived renderer per process (fonts load once), one document at a time."""
    global _RENDERERS
    from inspection.documents import Renderers
    with _RENDER_LOCK:
        _RENDERERS = _RENDERERS or Renderers()
        return _RENDERERS.render(doc, fmt)


def _latest_verdict(session, county_id: int):
    return session.exec(select(ReviewVerdict).where(ReviewVerdict.county_id == county_id)
                        .order_by(ReviewVerdict.id.desc())).first()


def letters_for(principal: Principal, county: CountyRef = None) -> list[dict]:
    """The letters issued to the county: one per committee verdict, newest first."""
    with acting(principal, "letters.download", county) as (session, _, row):
        return [{"id": v.id, "document_number": v.document_number, "decision": DECISION_ZH.get(v.decision, v.decision),
                 "date": v.decided_at.date(), "deadline": v.deadline}
                for v in session.exec(select(ReviewVerdict).where(ReviewVerdict.county_id == row.id)
                                      .order_by(ReviewVerdict.id.desc()))]


def county_letter(principal: Principal, county: CountyRef, fmt: str = "pdf") -> dict:
    """The evaluation letter (督导评估意见书) of the county's latest verdict, in PDF or DOCX.

    Before any verdict the committee may preview a draft (no document number); a county sees only
    letters actually issued to it.
    """
    if fmt not in ("pdf", "docx"):
        raise InspectionError("意见书只提供 PDF 或 Word 格式。", "letters come as PDF or DOCX.")
    with acting(principal, "letters.download", county) as (session, me, row):
        ctx = context(me.username)
        verdict = _latest_verdict(session, row.id)
        if verdict is None:
            require(me, "verdict.draft", row.id)
            doc = _draft_letter(session, ctx, row)
            return {"filename": f"{row.name}督导评估意见书（草稿）.{fmt}", "mime": MIME[fmt], "data": _render(doc, fmt)}
        name = f"{row.name}督导评估意见书{verdict.document_number or ''}.{fmt}"
        from inspection.services.letters import render_verdict_letter, verdict_letter
        if fmt == "pdf":
            path = render_verdict_letter(session, ctx, verdict=verdict)
            return {"filename": name, "mime": MIME[fmt], "data": Path(path).read_bytes()}
        return {"filename": name, "mime": MIME[fmt], "data": _render(verdict_letter(session, ctx, verdict=verdict), fmt)}


def _draft_letter(session, ctx, county):
    """The letter the county's latest evaluation would give, without a document number (a draft)."""
    from inspection.documents import county_document, issue_for
    from inspection.documents.sources import case_from_database
    latest = repo.latest_evaluation(session, county=county)
    if latest is None:
        raise InspectionError(f"{county.name}还没有评估结果，无法生成意见书。", "no evaluation yet.")
    case = case_from_database(session, ctx.standard, ctx.schedule, county=county.name, year=latest.year)
    return county_document(case, issue_for(ctx.schedule, serial=None, issued=ctx.as_of), "letter")


def prefecture_report(principal: Principal, fmt: str = "pdf", progress: Progress | None = None,
                      official: bool = False) -> dict:
    """The prefecture's annual monitoring report (PDF, DOCX) or its ledgers (XLSX). A draft has no
    document number; `official` issues it through the register (发文登记簿): the first time with the
    next number, every later time — PDF or DOCX — with the same number and date."""
    from inspection.documents import issue_for, ledgers_for, prefecture_document
    from inspection.documents.sources import cases_from_database, report_issue
    step = progress or (lambda *_: None)
    with acting(principal, "report.generate") as (session, me, _):
        ctx = context(me.username)
        year = _latest_year(session) or ctx.as_of.year
        step(0.1, "正在汇总各县市评估结果…")
        cases = cases_from_database(session, ctx.standard, ctx.schedule, year=year)
        issue = issue_for(ctx.schedule, serial=None, issued=ctx.as_of)
        if fmt != "xlsx":         # the report cites plans attached to annual plans; the ledgers do not
            from inspection.services.planning import annual_plan_citations    # the planner only when needed
            cited = annual_plan_citations(session, counties=[c.county for c in cases])
        if official and cases and fmt != "xlsx":
            issue = report_issue(session, ctx.schedule, year=year, issued=ctx.as_of, actor=me.username)
    if not cases:
        raise InspectionError(f"还没有{year}年度的评估结果。", f"no evaluations for {year}.")
    step(0.4, "正在排版…")
    if fmt == "xlsx":   # one workbook, as the button says: both ledgers, every county
        from inspection.documents.xlsx import write_ledger_book
        with tempfile.TemporaryDirectory() as tmp:
            data = write_ledger_book(ledgers_for(cases, ctx.as_of), Path(tmp) / "ledgers.xlsx").read_bytes()
        step(1.0, "完成")
        return {"filename": f"{ctx.schedule.prefecture.name}{year}年度已达标和未达标台账.xlsx", "mime": MIME["xlsx"],
                "data": data}
    doc = prefecture_document(cases, issue, prefecture=ctx.schedule.prefecture.name, year=year, plan_citations=cited)
    data = _render(doc, fmt)
    step(1.0, "完成")
    label = str(issue.number) if issue.number.serial else "草稿"
    return {"filename": f"{ctx.schedule.prefecture.name}{year}年度监测报告（{label}）.{fmt}", "mime": MIME[fmt],
            "data": data}


def document_register(principal: Principal) -> list[dict]:
    """The register of issued documents (发文登记簿), newest first; `kind_zh` and `date_zh` as printed."""
    from inspection.numerals import arabic_date
    from inspection.documents.xlsx import REGISTER_KINDS
    with acting(principal, "report.generate") as (session, _me, _):
        return [{**r, "kind_zh": REGISTER_KINDS.get(r["kind"], r["kind"]), "date_zh": arabic_date(r["issued_on"])}
                for r in repo.document_register(session)]


def register_workbook(principal: Principal) -> dict:
    """The register as an XLSX download."""
    from inspection.documents.xlsx import write_register
    rows = document_register(principal)
    authority = context(principal.username).schedule.prefecture.committee
    with tempfile.TemporaryDirectory() as tmp:
        data = write_register(rows, Path(tmp) / "register.xlsx", authority).read_bytes()
    return {"filename": f"{authority}发文登记簿.xlsx", "mime": MIME["xlsx"], "data": data}


def _latest_year(session) -> int | None:
    return session.exec(select(Evaluation.year).order_by(Evaluation.year.desc())).first()


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def all_letters(principal: Principal, fmt: str = "pdf", progress: Progress | None = None) -> dict:
    """Every county's letter in one ZIP (drafts unless a verdict issued one), with progress per county."""
    from inspection.webapi.overview import visible_counties
    with acting(principal, "report.generate"):
        pass
    step = progress or (lambda *_: None)
    counties = visible_counties(principal)
    files, skipped = {}, []
    for k, c in enumerate(counties):
        step(k / len(counties), f"正在生成{c['name']}的意见书（{k + 1}/{len(counties)}）")
        try:
            letter = county_letter(principal, c["id"], fmt)
        except InspectionError as exc:
            skipped.append(f"{c['name']}：{exc.zh}")
            continue
        files[letter["filename"]] = letter["data"]
    if skipped:
        files["未生成说明.txt"] = "\n".join(skipped).encode("utf-8")
    step(1.0, f"已生成{len(files) - bool(skipped)}份意见书")
    return {"filename": f"各县市督导评估意见书_{fmt}.zip", "mime": "application/zip", "data": _zip(files)}


def progress_report(principal: Principal, county: CountyRef = None, fmt: str = "pdf") -> dict:
    """The county's progress report to the county people's congress for its latest monitoring year
    (创建工作进展情况报告, a draft for the county to number and sign), in PDF or DOCX."""
    if fmt not in ("pdf", "docx"):
        raise InspectionError("报告只提供 PDF 或 Word 格式。", "reports come as PDF or DOCX.")
    from inspection.documents.progress import progress_document
    with acting(principal, "county.summary", county) as (session, me, row):
        ledger = repo.latest_ledger(session, county_id=row.id)
        if ledger is None:
            raise InspectionError(f"{row.name}还没有年度监测台账，无法生成进展情况报告。", "no monitoring ledger yet.")
        doc = progress_document(ledger.progress, ledger.ledgers, issued=context(me.username).as_of)
        return {"filename": f"{row.name}{ledger.year}年度创建工作进展情况报告（草稿）.{fmt}", "mime": MIME[fmt],
                "data": _render(doc, fmt)}
