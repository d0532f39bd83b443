"""Annual monitoring (年度监测, 方案五（一）（三）): re-evaluate a county's latest figures and write the
year's met/unmet ledgers and its progress report to the county people's congress, as data.

One row per county and year (`MonitoringLedger`); re-running with the same figures changes nothing,
newer figures replace the year's ledgers (audited).
"""

from __future__ import annotations

from sqlmodel import Session, func, select

from inspection.cycle import build_ledgers, progress_summary
from inspection.db import audit
from inspection.db.models import County, Evaluation, MonitoringLedger, School, SchoolYearFigures
from inspection.services.context import Context
from inspection.services.evaluation import evaluate_county


def latest_figures_year(session: Session, *, county: County, year: int) -> int | None:
    """The most recent year ≤ `year` for which the county has school figures."""
    return session.exec(select(func.max(SchoolYearFigures.year)).join(School, School.id == SchoolYearFigures.school_id)
                        .where(School.county_id == county.id, SchoolYearFigures.year <= year)).one()


def monitor_county(session: Session, ctx: Context, *, county: County, year: int) -> dict:
    """Evaluate the latest figures for `year`'s monitoring and write the ledgers; returns a summary."""
    figures_year = latest_figures_year(session, county=county, year=year)
    if figures_year is None:
        return {"county": county.name, "year": year, "status": "no_figures"}
    evaluation, created = evaluate_county(session, ctx, county=county, year=figures_year, kind="monitoring")
    ledger = session.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county.id,
                                                         MonitoringLedger.year == year)).first()
    summary = {"county": county.name, "year": year, "figures_year": figures_year, "evaluation_id": evaluation.id,
               "outcome": evaluation.outcome, "evaluation_created": created}
    if ledger is not None and ledger.evaluation_id == evaluation.id:
        return {**summary, "status": "unchanged", "failing": ledger.progress.get("failing")}
    previous = session.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county.id,
                                                           MonitoringLedger.year < year)
                            .order_by(MonitoringLedger.year.desc())).first()
    prev_result = session.get(Evaluation, previous.evaluation_id).result if previous else None
    progress = progress_summary(evaluation.result, county=county.name, year=year,
                                target_year=county.recognition_year, cv_limit=ctx.standard.options.cv_limit,
                                previous=prev_result)
    before = None if ledger is None else {"evaluation_id": ledger.evaluation_id}
    if ledger is None:
        ledger = MonitoringLedger(county_id=county.id, year=year, evaluation_id=evaluation.id)
    ledger.evaluation_id, ledger.updated_at = evaluation.id, ctx.now
    ledger.ledgers = build_ledgers(evaluation.result, ctx.standard)
    ledger.progress = progress
    session.add(ledger)
    session.flush()
    audit.record(session, actor=ctx.actor, action="ledger.write", entity="county", entity_id=county.id,
                 before=before, after={"year": year, "evaluation_id": evaluation.id, "failing": progress["failing"],
                                       "met_schools": len(ledger.ledgers["met"]["schools"]),
                                       "unmet_schools": len(ledger.ledgers["unmet"]["schools"])})
    return {**summary, "status": "written", "failing": progress["failing"]}


def monitoring_ledger(session: Session, *, county: County, year: int) -> MonitoringLedger | None:
    """The stored ledgers and progress report of a county's year (for the XLSX/DOCX renderers)."""
    return session.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county.id,
                                                       MonitoringLedger.year == year)).first()
