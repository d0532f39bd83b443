"""Where documents get their cases and numbers from the database (a file: `inspection.documents.files`).

The database path loads the stored school table and re-runs the (deterministic) resource rules,
so shortfalls can be computed; county-level results and veto findings are the ones stored with
the evaluation. Document numbers come from `repo.next_document_number`; the renderers never
touch the database.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session

from inspection.db import repo
from inspection.documents.case import CountyCase, case_from_table
from inspection.documents.files import case_from_file  # noqa: F401  (re-exported)
from inspection.documents.letter import issue_for
from inspection.documents.model import Issue
from inspection.errors import InspectionError
from inspection.rules import IndicatorResult, VetoFinding
from inspection.standard import Schedule, Standard

# VetoFinding.sentence: 存在“{wording}”情形：“{quote}”（{source}第{page}页）
_VETO_RE = re.compile(r"^存在“.*?”情形：“(?P<quote>.*)”(?:（(?P<where>[^（）]*?)(?:第(?P<page>\d+)页)?）)?$")


def case_from_database(session: Session, standard: Standard, schedule: Schedule, *, county: str,
                       year: int) -> CountyCase:
    """The county's stored figures and latest evaluation for `year` (raises if either is missing)."""
    row = repo.get_county(session, name=county)
    plan = schedule.county(row.name)
    table = repo.load_school_table(session, county=row, year=year)
    evaluation = repo.evaluation_for_year(session, county=row, year=year)
    if table is None or evaluation is None:
        raise InspectionError(f"{row.name}没有{year}年度的学校数据或评估结果，请先导入并评估",
                              f"{row.name} has no school figures or evaluation for {year}", county=row.name, year=year)
    stored = evaluation.result.get("county_indicators", {})
    results = [IndicatorResult(standard.indicator(key), v.get("value"), v.get("met"), v.get("sentence", ""),
                               v.get("evidence", ""), v.get("source", ""), v.get("why_pending", ""))
               for key, v in stored.items() if _known(standard, key)] or None
    vetoes = [veto_from_finding(f.code, f.message, f.status)
              for f in repo.evaluation_findings(session, evaluation=evaluation, kind="veto")]
    return case_from_table(table, standard, plan, year, county_results=results, findings=vetoes,
                           scanned=_scanned(session, evaluation))


def _scanned(session: Session, evaluation) -> tuple[str, ...] | None:
    """The documents the veto scan read for this evaluation's round; None when none was scanned."""
    from sqlmodel import select
    from inspection.db.models import Submission
    subs = session.exec(select(Submission).where(Submission.evaluation_id == evaluation.id)).all()
    scans = [s.scan for s in subs if s.scan]
    if not scans:
        return None
    return tuple(dict.fromkeys(name for scan in scans for name in scan.get("documents", [])))


def cases_from_database(session: Session, standard: Standard, schedule: Schedule, *, year: int) -> list[CountyCase]:
    """Every scheduled county that has figures and an evaluation for `year`, in schedule order."""
    out = []
    for plan in schedule.counties:
        try:
            out.append(case_from_database(session, standard, schedule, county=plan.name, year=year))
        except InspectionError:
            continue
    return out


TITLES = {"letter": "督导评估意见书", "rectification": "整改通知", "accountability": "问责通报"}


def _county_basis(session: Session, *, county: str, year: int, kind: str) -> tuple:
    """(county row, its `year` evaluation, the register basis of its `kind` document on that evaluation)."""
    row = repo.get_county(session, name=county)
    evaluation = repo.evaluation_for_year(session, county=row, year=year)
    basis = f"{kind}:{row.code}:{year}:evaluation-{evaluation.id}" if evaluation else None
    return row, evaluation, basis


def county_issue(session: Session, schedule: Schedule, *, county: str, year: int, kind: str, issued: date,
                 actor: str) -> Issue:
    """The issue details of a county's document on its `year` evaluation, from the register: the
    same number and date however often, and in whichever format, it is rendered; a new number once
    a new evaluation is its basis."""
    row, evaluation, basis = _county_basis(session, county=county, year=year, kind=kind)
    entry = repo.issue_document(session, prefix=schedule.prefecture.doc_prefix, issued=issued, kind=kind,
                                title=f"{row.name}{year}年度{TITLES[kind]}", county=row, actor=actor,
                                basis=basis, content=[evaluation.result])
    return issue_for(schedule, serial=entry.serial, issued=entry.issued_on)


def letter_number(session: Session, *, county: str, year: int) -> str:
    """The 发文字号 of the county's letter on its `year` evaluation, if one was issued ("" if not)."""
    _row, _evaluation, basis = _county_basis(session, county=county, year=year, kind="letter")
    issued = repo.registered(session, basis) if basis else None
    return issued.number if issued else ""


def report_issue(session: Session, schedule: Schedule, *, year: int, issued: date, actor: str) -> Issue:
    """The issue details of the prefecture's monitoring report for `year`, from the register: its
    basis is the set of the year's evaluations it reports on."""
    counties = [repo.get_county(session, name=p.name) for p in schedule.counties]
    evaluations = [e for e in (repo.evaluation_for_year(session, county=c, year=year) for c in counties) if e]
    entry = repo.issue_document(session, prefix=schedule.prefecture.doc_prefix, issued=issued, kind="report",
                                title=f"{schedule.prefecture.name}{year}年度监测报告", actor=actor,
                                basis=f"report:{year}:evaluations-{','.join(str(e.id) for e in evaluations)}",
                                content=[e.result for e in evaluations])
    return issue_for(schedule, serial=entry.serial, issued=entry.issued_on)


def veto_from_finding(condition: str, message: str, status: str = "open") -> VetoFinding:
    """Rebuild a finding from its stored sentence (quote, source and page are kept only in that text)."""
    m = _VETO_RE.match(message)
    if not m:
        return VetoFinding(condition, message, status=_status(status))
    page = int(m["page"]) if m["page"] else None
    return VetoFinding(condition, m["quote"], m["where"] or "", page, _status(status))


def _status(value: str) -> str:
    return value if value in ("open", "confirmed", "dismissed") else "open"


def _known(standard: Standard, key: str) -> bool:
    return any(i.id == key for i in standard.county_indicators)
