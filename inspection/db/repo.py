"""Repository functions: keyword-only, each taking the caller's `Session`; no commits inside."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date

import numpy as np
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, func, select

from inspection.columns import NUMERIC_FIELDS, column
from inspection.db import audit, digests
from inspection.db.models import (County, CountyIndicatorValue, DocumentSerial, Evaluation, Finding, IssuedDocument,
                                  MonitoringLedger, SavedPlan, School, SchoolYearFigures, StandardVersion, Submission,
                                  utcnow)
from inspection.errors import InspectionError
from inspection.standard import Schedule, Standard
from inspection.table import SchoolTable


def get_county(session: Session, *, name: str) -> County:
    county = session.exec(select(County).where((County.name == name) | (County.short_name == name)
                                               | (County.code == name))).first()
    if county is None:
        raise InspectionError(f"数据库中没有县市“{name}”，请先运行 inspection demo 或 inspection init",
                              f"no county '{name}' in the database", county=name)
    return county


def seed_schedule(session: Session, *, schedule: Schedule, actor: str) -> list[County]:
    """Create or update the counties of a schedule (recognition year from the plan)."""
    counties = []
    for plan in schedule.counties:
        county = session.exec(select(County).where(County.code == plan.code)).first()
        if county is None:
            county = County(code=plan.code, name=plan.name, short_name=plan.short_name,
                            prefecture=schedule.prefecture.name, recognition_year=plan.recognition_year)
            session.add(county)
            session.flush()
            audit.record(session, actor=actor, action="county.create", entity="county",
                         entity_id=county.id, after={"name": plan.name, "recognition_year": plan.recognition_year})
        elif county.recognition_year != plan.recognition_year:
            before = {"recognition_year": county.recognition_year}
            county.recognition_year = plan.recognition_year
            audit.record(session, actor=actor, action="county.schedule", entity="county", entity_id=county.id,
                         before=before, after={"recognition_year": plan.recognition_year})
        counties.append(county)
    return counties


def record_standard(session: Session, *, standard: Standard) -> StandardVersion:
    """Register the standard in force, hashed over its validated content (parents merged in).

    INSERT … ON CONFLICT DO NOTHING: counties evaluated in parallel may race to register it,
    on SQLite as on PostgreSQL, and the loser simply reads the winner's row.
    """
    row = session.get(StandardVersion, standard.id)
    if row is not None:
        return row
    digest = hashlib.sha256(standard.model_dump_json().encode()).hexdigest()
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
    session.execute(insert(StandardVersion).values(
        id=standard.id, title=standard.standard.title, sha256=digest, loaded_at=utcnow())
        .on_conflict_do_nothing(index_elements=["id"]))
    return session.get(StandardVersion, standard.id)


def store_school_table(session: Session, *, county: County, year: int, table: SchoolTable,
                       actor: str, submission_id: int | None = None) -> int:
    """Upsert a county's school figures for a year; returns the number of rows changed."""
    changed = 0
    for i, name in enumerate(table.names):
        school = session.exec(select(School).where(School.county_id == county.id, School.name == name)).first()
        if school is None:
            school = School(county_id=county.id, name=name)
            session.add(school)
            session.flush()
        stage = str(table.stages[i])
        values = {f: _stored(table.figures[f][i]) for f in NUMERIC_FIELDS}
        row = session.exec(select(SchoolYearFigures).where(
            SchoolYearFigures.school_id == school.id, SchoolYearFigures.year == year,
            SchoolYearFigures.stage == stage)).first()
        if row is None:
            session.add(SchoolYearFigures(school_id=school.id, year=year, stage=stage,
                                          submission_id=submission_id, **values))
            changed += 1
        elif any(getattr(row, f) != v for f, v in values.items()):   # None == None for an absent figure
            for f, v in values.items():
                setattr(row, f, v)
            row.submission_id = submission_id
            changed += 1
    if changed:
        session.flush()
        audit.record(session, actor=actor, action="figures.store", entity="county", entity_id=county.id,
                     after={"year": year, "rows": len(table), "changed": changed, "submission_id": submission_id,
                            "digest": digests.school_figures(session, county.id, year)})
    return changed


def prune_school_table(session: Session, *, county: County, year: int, keep: set[tuple[str, str]],
                       actor: str) -> int:
    """Remove a year's rows of schools (name, stage) a newly submitted table no longer lists."""
    rows = session.exec(select(School.name, SchoolYearFigures).join(
        SchoolYearFigures, SchoolYearFigures.school_id == School.id).where(
        School.county_id == county.id, SchoolYearFigures.year == year)).all()
    gone = [(name, fig) for name, fig in rows if (name, fig.stage) not in keep]
    for _, fig in gone:
        session.delete(fig)
    if gone:
        session.flush()
        audit.record(session, actor=actor, action="figures.prune", entity="county", entity_id=county.id,
                     before={"year": year, "rows": [f"{n}/{f.stage}" for n, f in gone]},
                     after={"year": year, "digest": digests.school_figures(session, county.id, year)})
    return len(gone)


def enrolment_by_year(session: Session, *, county: County, stage: str | None = None) -> dict[int, float]:
    """A county's students in each year it has figures for: {year: students} (one stage when given)."""
    query = select(SchoolYearFigures.year, func.sum(SchoolYearFigures.students)).join(
        School, SchoolYearFigures.school_id == School.id).where(School.county_id == county.id)
    if stage is not None:
        query = query.where(SchoolYearFigures.stage == stage)
    return {int(y): float(n) for y, n in session.exec(query.group_by(SchoolYearFigures.year)).all()}


def load_school_table(session: Session, *, county: County, year: int) -> SchoolTable | None:
    found = latest_school_tables(session, county_ids=[county.id], year=year)
    return found[county.id][1] if found and found[county.id][0] == year else None


def latest_school_tables(session: Session, *, county_ids: list[int], year: int) -> dict[int, tuple[int, SchoolTable]]:
    """For each county, its most recent school table of a year ≤ `year`: {county_id: (year, table)}.
    Three queries for any number of counties (annual monitoring reads a batch at a time)."""
    latest = dict(session.exec(select(School.county_id, func.max(SchoolYearFigures.year))
                               .join(SchoolYearFigures, SchoolYearFigures.school_id == School.id)
                               .where(School.county_id.in_(county_ids), SchoolYearFigures.year <= year)
                               .group_by(School.county_id)).all())
    if not latest:
        return {}
    columns = [getattr(SchoolYearFigures, f) for f in NUMERIC_FIELDS]
    rows = session.exec(select(School.county_id, School.name, SchoolYearFigures.year, SchoolYearFigures.stage,
                               SchoolYearFigures.submission_id, *columns).join(
        SchoolYearFigures, SchoolYearFigures.school_id == School.id).where(
        School.county_id.in_(list(latest)), SchoolYearFigures.year.in_(sorted(set(latest.values()))))
        .order_by(SchoolYearFigures.id)).all()   # plain rows, not ORM objects: a batch reads ~10⁴ of them
    by_county: dict[int, list] = {}
    for row in rows:
        if row[2] == latest[row[0]]:
            by_county.setdefault(row[0], []).append(row)
    readings = _readings(session, {row[4] for row in rows if row[4]})
    return {cid: (latest[cid], _table_of(found, readings)) for cid, found in by_county.items()}


def _table_of(rows: list, readings: dict[int, dict]) -> SchoolTable:
    """A school table from (county_id, name, year, stage, submission_id, *NUMERIC_FIELDS) rows."""
    subs = sorted({row[4] for row in rows if row[4]})
    notes = [n for s in subs for n in (readings.get(s) or {}).get("notes", [])]
    excluded = [e for s in subs for e in (readings.get(s) or {}).get("excluded", [])]
    return SchoolTable(names=tuple(row[1] for row in rows), stages=np.array([row[3] for row in rows]),
                       figures={f: np.array([_loaded(row[5 + k], f) for row in rows], dtype=float)
                                for k, f in enumerate(NUMERIC_FIELDS)},
                       notes=tuple(dict.fromkeys(notes)), excluded=tuple(excluded))


def _readings(session: Session, submission_ids: set[int]) -> dict[int, dict]:
    """What was recorded when each submission behind a table was read (notes, rows left out)."""
    if not submission_ids:
        return {}
    return dict(session.exec(select(Submission.id, Submission.reading)
                             .where(Submission.id.in_(sorted(submission_ids)))).all())


def _stored(x) -> float | None:
    """A figure as stored: an absent optional figure (NaN, 班级数 not given) is NULL."""
    return None if x != x else float(x)


def _loaded(x, field: str) -> float:
    """A stored figure for the engine: NULL is the column's default when it has one (rented venues: 0),
    else unknown (NaN)."""
    if x is None:
        default = column(field).default
        return float("nan") if default is None else float(default)
    return float(x)


def store_county_figures(session: Session, *, county: County, year: int, figures: dict, actor: str,
                         submission_id: int | None = None, provenance: dict | None = None) -> int:
    """Upsert a county's declared county-level figures ({id: CountyFigure}) for a year; returns the
    number changed. Each change is audited with the value before and after."""
    changed = {}
    for ind_id, fig in figures.items():
        row = session.exec(select(CountyIndicatorValue).where(
            CountyIndicatorValue.county_id == county.id, CountyIndicatorValue.year == year,
            CountyIndicatorValue.indicator_id == ind_id)).first()
        value = {"v": fig.value}
        if row is not None and row.value == value and row.evidence == fig.evidence:
            continue
        before = None if row is None else (row.value or {}).get("v")
        if row is None:
            row = CountyIndicatorValue(county_id=county.id, year=year, indicator_id=ind_id)
        row.value, row.evidence, row.source = value, fig.evidence, fig.source
        row.submission_id, row.updated_by, row.updated_at = submission_id, actor, utcnow()
        prov = (provenance or {}).get(ind_id)
        row.provenance = None if prov is None else asdict(prov)
        session.add(row)
        changed[ind_id] = {"before": before, "after": fig.value}
    if changed:
        session.flush()
        audit.record(session, actor=actor, action="county_figures.store", entity="county", entity_id=county.id,
                     after={"year": year, "changed": changed, "submission_id": submission_id,
                            "digest": digests.county_figures(session, county.id, year)})
    return len(changed)


def load_county_figures(session: Session, *, county: County, year: int) -> dict:
    """The county's declared county-level figures for a year, {id: CountyFigure}."""
    return county_figures_of(session, years={county.id: year}).get(county.id, {})


def county_figures_of(session: Session, *, years: dict[int, int]) -> dict[int, dict]:
    """Declared county-level figures of several counties, each for its year: {county_id: {id: CountyFigure}}."""
    from inspection.rules.county import CountyFigure
    v = CountyIndicatorValue
    rows = session.exec(select(v.county_id, v.year, v.indicator_id, v.value, v.evidence, v.source).where(
        v.county_id.in_(list(years)), v.year.in_(sorted(set(years.values())))))
    out: dict[int, dict] = {}
    for county_id, year, indicator_id, value, evidence, source in rows:
        if years[county_id] == year:
            out.setdefault(county_id, {})[indicator_id] = CountyFigure((value or {}).get("v"), evidence, source)
    return out


def county_figure_rows(session: Session, *, county: County, year: int) -> list[CountyIndicatorValue]:
    return list(session.exec(select(CountyIndicatorValue).where(
        CountyIndicatorValue.county_id == county.id, CountyIndicatorValue.year == year)
        .order_by(CountyIndicatorValue.id)))


def table_sha256(table: SchoolTable, county_figures: dict | None = None) -> str:
    """The hash of an evaluation's inputs: the school table and, when given, the county's figures."""
    body = {"names": list(table.names), "stages": [str(s) for s in table.stages],
            "figures": {f: [_stored(round(float(x), 6)) for x in v] for f, v in sorted(table.figures.items())}}
    if county_figures:
        body["county"] = {k: [f.value, f.evidence, f.decided] for k, f in sorted(county_figures.items())}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def find_evaluation(session: Session, *, county: County, year: int, kind: str, standard_id: str,
                    input_sha256: str) -> Evaluation | None:
    """The evaluation of exactly these inputs under this standard, if one is stored."""
    return session.exec(select(Evaluation).where(
        Evaluation.county_id == county.id, Evaluation.year == year, Evaluation.kind == kind,
        Evaluation.standard_id == standard_id, Evaluation.input_sha256 == input_sha256)).first()


def save_evaluation(session: Session, *, county: County, year: int, kind: str, standard_id: str,
                    input_sha256: str, outcome: str, resource_passed: bool, result: dict,
                    findings: list[dict], actor: str) -> tuple[Evaluation, bool]:
    """Store an evaluation unless the same inputs were already evaluated; returns (row, created)."""
    existing = find_evaluation(session, county=county, year=year, kind=kind, standard_id=standard_id,
                               input_sha256=input_sha256)
    if existing is not None:
        return existing, False
    evaluation = Evaluation(county_id=county.id, year=year, kind=kind, standard_id=standard_id,
                            input_sha256=input_sha256, outcome=outcome, resource_passed=resource_passed,
                            result=result, created_by=actor)
    session.add(evaluation)
    session.flush()
    insert_findings(session, {evaluation.id: findings})
    audit.record(session, **evaluation_event(evaluation, county=county, findings=len(findings)))
    return evaluation, True


def evaluation_event(evaluation: Evaluation, *, county: County, findings: int) -> dict:
    """The audit event of a stored evaluation (`audit.record`'s keywords), one or a batch at a time."""
    return dict(actor=evaluation.created_by, action="evaluation.create", entity="evaluation", entity_id=evaluation.id,
                after={"county": county.name, "year": evaluation.year, "kind": evaluation.kind,
                       "outcome": evaluation.outcome, "findings": findings})


def insert_findings(session: Session, findings: dict[int, list[dict]]) -> None:
    """Insert findings ({evaluation_id: rows}) in one statement (an ORM object each costs more than
    the evaluation that found them)."""
    rows = [{**f, "evaluation_id": eid} for eid, found in findings.items() for f in found]
    if rows:
        session.execute(insert(Finding), rows)


def latest_evaluation(session: Session, *, county: County) -> Evaluation | None:
    return session.exec(select(Evaluation).where(Evaluation.county_id == county.id)
                        .order_by(Evaluation.year.desc(), Evaluation.id.desc())).first()


def open_findings(session: Session, *, evaluation: Evaluation) -> list[Finding]:
    return list(session.exec(select(Finding).where(Finding.evaluation_id == evaluation.id,
                                                   Finding.status == "open")))


def next_document_number(session: Session, *, prefix: str, year: int) -> int:
    """Issue the next serial number for `prefix`〔year〕, locking the counter row until commit."""
    row = session.exec(select(DocumentSerial).where(DocumentSerial.prefix == prefix, DocumentSerial.year == year)
                       .with_for_update()).first()
    if row is None:
        row = DocumentSerial(prefix=prefix, year=year, last=0)
        session.add(row)
    row.last += 1
    session.flush()
    audit.record(session, actor="system", action="document_number.issue", entity="document_serial",
                 entity_id=f"{prefix}〔{year}〕", after={"number": row.last})
    return row.last


def issue_document(session: Session, *, prefix: str, issued: date, kind: str, title: str, basis: str,
                   content: object, actor: str, county: County | None = None) -> IssuedDocument:
    """The register's row for the document issued on `basis` (发文登记): the one already issued, or a
    new one with the next number. `content` (what the document states) is kept as its SHA-256."""
    existing = registered(session, basis)
    if existing is not None:
        return existing
    serial = next_document_number(session, prefix=prefix, year=issued.year)
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
    row = IssuedDocument(number=f"{prefix}〔{issued.year}〕{serial}号", prefix=prefix, year=issued.year, serial=serial,
                         kind=kind, title=title, county_id=county.id if county else None, basis=basis,
                         content_sha256=digest, issued_on=issued, issued_by=actor)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="document.issue", entity="issued_document", entity_id=row.id,
                 after={"number": row.number, "kind": kind, "title": title, "basis": basis, "sha256": digest,
                        "issued_on": issued.isoformat()})
    return row


def verdict_basis(county: County, submission_id: int | None) -> str:
    """What a verdict's letter is issued on, in the register: the county's reviewed submission."""
    return f"verdict:{county.code}:submission-{submission_id}"


def registered(session: Session, basis: str) -> IssuedDocument | None:
    """The document issued on `basis`, if one was."""
    return session.exec(select(IssuedDocument).where(IssuedDocument.basis == basis)).first()


def document_register(session: Session) -> list[dict]:
    """The register of issued documents, newest first, as the UI and the XLSX show it."""
    names = {c.id: c.name for c in session.exec(select(County))}
    rows = session.exec(select(IssuedDocument).order_by(IssuedDocument.year.desc(), IssuedDocument.serial.desc()))
    return [{"number": r.number, "issued_on": r.issued_on, "title": r.title, "county": names.get(r.county_id, ""),
             "kind": r.kind, "content_sha256": r.content_sha256, "issued_by": r.issued_by} for r in rows]


def evaluation_for_year(session: Session, *, county: County, year: int) -> Evaluation | None:
    """The county's most recent evaluation of `year`'s figures (any kind), or None."""
    return session.exec(select(Evaluation).where(Evaluation.county_id == county.id, Evaluation.year == year)
                        .order_by(Evaluation.id.desc())).first()


def evaluation_findings(session: Session, *, evaluation: Evaluation, kind: str | None = None) -> list[Finding]:
    """An evaluation's findings in the order recorded, optionally of one kind (school|cv|indicator|veto)."""
    query = select(Finding).where(Finding.evaluation_id == evaluation.id)
    if kind is not None:
        query = query.where(Finding.kind == kind)
    return list(session.exec(query.order_by(Finding.id)))


def latest_ledger(session: Session, *, county_id: int) -> MonitoringLedger | None:
    """The county's most recent yearly monitoring ledger (met/unmet and the progress report), if any."""
    return session.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county_id)
                        .order_by(MonitoringLedger.year.desc())).first()


def save_plan(session: Session, *, county: County, name: str, year: int, body: dict, outcome: dict, actor: str,
              attached_to: str | None = None, case_id: int | None = None) -> SavedPlan:
    """A new version of the county's plan `name` (1 for a new name), audited."""
    last = session.exec(select(func.max(SavedPlan.version)).where(SavedPlan.county_id == county.id,
                                                                  SavedPlan.name == name)).one()
    row = SavedPlan(county_id=county.id, name=name, version=(last or 0) + 1, year=year, body=body, outcome=outcome,
                    attached_to=attached_to, case_id=case_id, created_by=actor)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="plan.save", entity="county", entity_id=county.id,
                 after={"plan": name, "version": row.version, "year": year, "attached_to": attached_to,
                        "case_id": case_id})
    return row


def attached_plans(session: Session, *, attached_to: str) -> list[tuple[str, SavedPlan]]:
    """(county name, plan) for every saved plan attached to `attached_to`, in one query."""
    query = (select(County.name, SavedPlan).join(County, County.id == SavedPlan.county_id)
             .where(SavedPlan.attached_to == attached_to))
    return [(name, plan) for name, plan in session.exec(query).all()]


def plan_versions(session: Session, *, county: County, name: str | None = None) -> list[SavedPlan]:
    """The county's saved plans (of one name when given), by name then version."""
    query = select(SavedPlan).where(SavedPlan.county_id == county.id)
    if name is not None:
        query = query.where(SavedPlan.name == name)
    return list(session.exec(query.order_by(SavedPlan.name, SavedPlan.version)).all())
