"""Annual monitoring (年度监测, 方案五（一）（三）): re-evaluate a county's latest figures and write the
year's met/unmet ledgers and its progress report to the county people's congress, as data.

One row per county and year (`MonitoringLedger`); re-running with the same figures changes nothing,
newer figures replace the year's ledgers (audited).

Counties are monitored a batch at a time: a national run is 2,900 counties, and a query or an ORM
object per school or finding would cost more than the evaluation. A batch is read in a few queries,
evaluated in memory, and written together — evaluations, their findings in one insert, the ledgers,
and last the audit events, so the audit chain's lock is held only for the write.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from inspection.cycle import build_ledgers, progress_summary
from inspection.db import audit, repo
from inspection.db.models import County, Evaluation, MonitoringLedger
from inspection.rules import assess
from inspection.services.context import Context
from inspection.services.evaluation import finding_rows, result_json

KIND = "monitoring"


@dataclass
class _Work:
    """One county of a batch on its way through: what was read, then what is to be written."""

    county: County
    figures_year: int
    input_sha256: str
    evaluation: Evaluation | None = None     # stored or new
    created: bool = False
    findings: list | None = None


def monitor_county(session: Session, ctx: Context, *, county: County, year: int) -> dict:
    """One county's monitoring (a batch of one); returns its summary."""
    return monitor_counties(session, ctx, counties=[county], year=year)[0]


def monitor_counties(session: Session, ctx: Context, *, counties: list[County], year: int) -> list[dict]:
    """Evaluate each county's latest figures for `year`'s monitoring and write the ledgers that changed;
    returns a summary per county, in order. A county whose evaluation raises is reported as failed
    (its error in the summary) and the rest are written."""
    tables = repo.latest_school_tables(session, county_ids=[c.id for c in counties], year=year)
    declared = repo.county_figures_of(session, years={cid: y for cid, (y, _) in tables.items()})
    work = {c.id: _Work(c, tables[c.id][0], repo.table_sha256(tables[c.id][1], declared.get(c.id, {})))
            for c in counties if c.id in tables}
    stored = _stored_evaluations(session, ctx, work)
    ledgers = _ledgers(session, list(work), year)
    failed = {}
    for cid, w in work.items():
        w.evaluation = stored.get((cid, w.figures_year, w.input_sha256))
        if w.evaluation is None:
            try:
                a = assess(tables[cid][1], ctx.standard, declared.get(cid, {}))
            except Exception as exc:   # reported with the county; the batch's other counties go on
                failed[cid] = f"{type(exc).__name__}: {exc}"
                continue
            w.evaluation = Evaluation(county_id=cid, year=w.figures_year, kind=KIND, standard_id=ctx.standard.id,
                                      input_sha256=w.input_sha256, outcome=a.verdict.outcome,
                                      resource_passed=a.resources.resource_passed, result=result_json(a),
                                      created_by=ctx.actor)
            w.created, w.findings = True, finding_rows(a, ctx, kind=KIND, vetoes=[])
    new = [w for w in work.values() if w.created]
    if new:
        repo.record_standard(session, standard=ctx.standard)
        session.add_all([w.evaluation for w in new])
        session.flush()
        repo.insert_findings(session, {w.evaluation.id: w.findings for w in new})
    events = [repo.evaluation_event(w.evaluation, county=w.county, findings=len(w.findings)) for w in new]
    out = []
    for county in counties:
        w = work.get(county.id)
        if w is None:
            out.append({"county": county.name, "year": year, "status": "no_figures"})
        elif county.id in failed:
            out.append({"county": county.name, "year": year, "status": "failed", "error": failed[county.id]})
        else:
            out.append(_write_ledger(session, ctx, w, ledgers.get(county.id, {}), year, events))
    audit.record_many(session, events)
    return out


def _stored_evaluations(session: Session, ctx: Context, work: dict[int, _Work]) -> dict[tuple, Evaluation]:
    """The monitoring evaluations already stored for exactly these inputs, by (county, year, input hash)."""
    if not work:
        return {}
    rows = session.exec(select(Evaluation).options(defer(Evaluation.result)).where(   # read if a ledger needs it
        Evaluation.county_id.in_(list(work)), Evaluation.kind == KIND, Evaluation.standard_id == ctx.standard.id,
        Evaluation.input_sha256.in_(sorted({w.input_sha256 for w in work.values()})))).all()
    return {(e.county_id, e.year, e.input_sha256): e for e in rows}


def _ledgers(session: Session, county_ids: list[int], year: int) -> dict[int, dict]:
    """Each county's ledger of `year` ("current") and its latest earlier one ("previous")."""
    out: dict[int, dict] = {}
    if not county_ids:
        return out
    rows = session.exec(select(MonitoringLedger).options(defer(MonitoringLedger.ledgers))
                        .where(MonitoringLedger.county_id.in_(county_ids), MonitoringLedger.year <= year)
                        .order_by(MonitoringLedger.year)).all()
    for ledger in rows:
        out.setdefault(ledger.county_id, {})["current" if ledger.year == year else "previous"] = ledger
    return out


def _write_ledger(session: Session, ctx: Context, w: _Work, found: dict, year: int, events: list[dict]) -> dict:
    county, evaluation, ledger = w.county, w.evaluation, found.get("current")
    summary = {"county": county.name, "year": year, "figures_year": w.figures_year, "evaluation_id": evaluation.id,
               "outcome": evaluation.outcome, "evaluation_created": w.created}
    if ledger is not None and ledger.evaluation_id == evaluation.id:
        return {**summary, "status": "unchanged", "failing": ledger.progress.get("failing")}
    previous = found.get("previous")
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
    events.append(dict(actor=ctx.actor, action="ledger.write", entity="county", entity_id=county.id, before=before,
                       after={"year": year, "evaluation_id": evaluation.id, "failing": progress["failing"],
                              "met_schools": len(ledger.ledgers["met"]["schools"]),
                              "unmet_schools": len(ledger.ledgers["unmet"]["schools"])}))
    return {**summary, "status": "written", "failing": progress["failing"]}


def monitoring_ledger(session: Session, *, county: County, year: int) -> MonitoringLedger | None:
    """The stored ledgers and progress report of a county's year (for the XLSX/DOCX renderers)."""
    return session.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county.id,
                                                       MonitoringLedger.year == year)).first()
