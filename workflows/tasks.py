"""Coarse tasks: each handles one county or one document in one database transaction, by calling
`inspection.services`. Parameters and results are plain values (names, ids, ISO dates, dicts), so a
task can run in a thread, a process or on another machine, and its run shows what it worked on.

Every task retries transient faults (see `retry.py`); none is cached, because re-running is made
harmless by the database itself (document hashes, unique keys, stage checks), not by Prefect.
"""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

import logging
import smtplib
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import Iterator

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session, select

from inspection import services
from inspection.cycle import Actor
from inspection.db import database_url, init_database, repo, session_scope
from inspection.db.models import County, ReviewVerdict, Submission
from inspection.services import Context, leases, make_context
from inspection.services.letters import render_verdict_letter
from workflows.retry import retry_transient

RETRYING = dict(retries=3, retry_delay_seconds=[1, 4, 15], retry_jitter_factor=0.5,
                retry_condition_fn=retry_transient, cache_policy=NO_CACHE)


@lru_cache(maxsize=4)
def _migrated(url: str) -> str:
    init_database(url)
    return url


@contextmanager
def unit(actor: str, as_of: str) -> Iterator[tuple[Session, Context]]:
    """One transaction and the context for it: everything in it commits together or not at all."""
    _migrated(database_url())
    with session_scope() as session:
        yield session, make_context(actor, as_of)


def today() -> str:
    return date.today().isoformat()


def _county(session: Session, name: str) -> County:
    return repo.get_county(session, name=name)


# ---------------------------------------------------------------- self-assessment (县级自评)

@contextmanager
def county_round(county: str, actor: str, as_of: str) -> Iterator[None]:
    """The county's round lease for the `with` block: a second round at the same moment is refused
    (BusyError) before it stores anything. Given back however the block ends; a killed holder's
    lease is taken over by the next round (see `inspection.services.leases`)."""
    with unit(actor, as_of) as (session, _ctx):
        token = leases.take(session, county=_county(session, county), holder=actor)
    try:
        yield
    finally:
        with unit(actor, as_of) as (session, _ctx):
            leases.give_back(session, county=_county(session, county), token=token)


@task(task_run_name="store-{kind}-{county}", **RETRYING)
def store_document(county: str, path: str, kind: str, actor: str, as_of: str, year: int | None = None) -> dict:
    """Keep the submitted file and record it (an upload event); the same file twice is one submission."""
    with unit(actor, as_of) as (session, ctx):
        sub, created = services.store_submission(session, ctx, county=_county(session, county), path=path,
                                                 kind=kind, actor=actor, year=year)
        return {"submission_id": sub.id, "created": created, "status": sub.status, "filename": sub.filename}


@task(task_run_name="enter-self-assessment-{county}", **RETRYING)
def enter_self_assessment(county: str, actor: str, as_of: str) -> bool:
    """年度监测/整改/问责整改 → 县级自评 by the county's user (refused with the reason if not allowed)."""
    with unit(actor, as_of) as (session, ctx):
        row = _county(session, county)
        who = Actor(actor, "county", row.name)
        return services.advance(session, ctx, county=row, target="self_assessment", actor=who,
                                reason="县级自评材料已提交") is not None


@task(task_run_name="ingest-{submission_id}", **RETRYING)
def ingest_document(submission_id: int, actor: str, as_of: str) -> dict:
    """Read the document's school table and county-level figures into the county's figures. A file
    that cannot be read is rejected (kept by its hash, never part of the round) with the reason:
    {"rows": n | None, "status", "filename", "error": {"zh", "en"} | None}."""
    with unit(actor, as_of) as (session, ctx):
        sub = session.get(Submission, submission_id)
        rows = services.ingest_submission(session, ctx, submission=sub, actor=actor)
        error = None
        if sub.status == "rejected":
            error = {"zh": sub.error, "en": (sub.reading or {}).get("error_en", "")}
        return {"rows": rows, "status": sub.status, "filename": sub.filename, "error": error,
                "mismatch": sub.status == "rejected" and bool((sub.reading or {}).get("mismatch"))}


@task(task_run_name="confirm-county-{submission_id}", **RETRYING)
def confirm_county(submission_id: int, reason: str, actor: str, as_of: str) -> bool:
    """The county's reason for keeping a table flagged as another county's (then it is read again)."""
    with unit(actor, as_of) as (session, _):
        services.confirm_county(session, submission=session.get(Submission, submission_id), reason=reason,
                                actor=actor)
        return True


@task(task_run_name="scan-{county}", **RETRYING)
def scan_round(county: str, actor: str, as_of: str) -> int:
    """Scan the round's documents together for veto conditions (不予认定情形); returns the findings."""
    from inspection.services.stages import pending_submissions
    with unit(actor, as_of) as (session, ctx):
        subs = pending_submissions(session, county=_county(session, county))
        return services.scan_round(session, ctx, submissions=subs, actor=actor)


@task(task_run_name="evaluate-{county}", **RETRYING)
def evaluate_round(county: str, actor: str, as_of: str) -> dict:
    """Evaluate the round's figures with the vetoes found; returns the evaluation's id and outcome."""
    with unit(actor, as_of) as (session, ctx):
        evaluation = services.evaluate_round(session, ctx, county=_county(session, county))
        failing = sum(1 for s in evaluation.result.get("schools", []) if not s["passed"])
        return {"evaluation_id": evaluation.id, "outcome": evaluation.outcome, "failing_schools": failing,
                "year": evaluation.year}


@task(task_run_name="queue-{county}", **RETRYING)
def queue_for_review(county: str, as_of: str) -> bool:
    """县级自评 → 地区督导评估, by the system: the committee's review queue."""
    with unit("system", as_of) as (session, ctx):
        return services.queue_for_review(session, ctx, county=_county(session, county), actor=Actor.system())


# ---------------------------------------------------------------- prefecture evaluation (地区督导评估)

@task(task_run_name="decide-findings", **RETRYING)
def decide_findings(decisions: list[dict], actor: str, as_of: str) -> int:
    """The committee's decisions on findings ({finding_id, status, reason}); returns how many changed."""
    with unit(actor, as_of) as (session, ctx):
        who = Actor(actor, "committee")
        return sum(services.decide_finding(session, ctx, finding_id=int(d["finding_id"]), status=d["status"],
                                           actor=who, reason=d.get("reason", "")) for d in decisions)


@task(task_run_name="verdict-{county}", **RETRYING)
def record_verdict(county: str, decision: str, actor: str, reason: str, as_of: str,
                   deadline: str | None = None) -> dict:
    """Record the verdict, issue its number and move the county on, in one transaction."""
    with unit(actor, as_of) as (session, ctx):
        verdict, created = services.record_verdict(
            session, ctx, county=_county(session, county), decision=decision, actor=Actor(actor, "committee"),
            reason=reason, deadline=date.fromisoformat(deadline) if deadline else None)
        return {"verdict_id": verdict.id, "created": created, "stage": verdict.target_stage,
                "document_number": verdict.document_number,
                "deadline": verdict.deadline and verdict.deadline.isoformat()}


@task(task_run_name="letter-{verdict_id}", **RETRYING)
def render_letter(verdict_id: int, as_of: str) -> str | None:
    """The verdict's letter (PDF) via inspection.documents; None when that renderer is not available."""
    with unit("system", as_of) as (session, ctx):
        return render_verdict_letter(session, ctx, verdict=session.get(ReviewVerdict, verdict_id))


# ---------------------------------------------------------------- monitoring and accountability

@task(**RETRYING)
def list_counties(names: list[str] | None = None) -> list[str]:
    """Every county in the database (schedule order), or the named ones."""
    with unit("system", today()) as (session, _ctx):
        rows = session.exec(select(County).order_by(County.recognition_year, County.code)).all()
        return [c.name for c in rows if not names or c.name in names or c.short_name in names]


MONITORING_CHUNK = 50   # counties per transaction: bounds a batch's memory and the audit lock's hold


@task(task_run_name="monitor-{year}-from-{counties[0]}", **RETRYING)
def monitor_batch(counties: list[str], year: int, as_of: str) -> list[dict]:
    """A batch of counties' yearly monitoring — evaluations, met/unmet ledgers, progress report data —
    in transactions of `MONITORING_CHUNK` counties; a summary per county. A retry after a fault redoes
    only the chunks that did not commit (the others are unchanged)."""
    out = []
    for chunk in batches(counties, MONITORING_CHUNK):
        with unit("system", as_of) as (session, ctx):
            found = {c.name: c for c in session.exec(select(County).where(County.name.in_(chunk)))}
            for name in chunk:
                if name not in found:
                    _county(session, name)   # raises the usual "no such county" error
            out += services.monitor_counties(session, ctx, counties=[found[n] for n in chunk], year=year)
    return out


def batches(names: list[str], size: int) -> list[list[str]]:
    return [names[i:i + size] for i in range(0, len(names), max(1, size))]


@task(task_run_name="sweep-{county}", **RETRYING)
def sweep_county(county: str, as_of: str) -> list[str]:
    """One county's accountability check: open cases, move to 问责整改, escalate overdue ones."""
    with unit("system", as_of) as (session, ctx):
        return services.sweep_county(session, ctx, county=_county(session, county))


@task(task_run_name="mail-notifications")
def send_mail(as_of: str) -> int:
    """Mail the notifications not yet mailed (off unless INSPECTION_SMTP_HOST is set). A mail server
    that does not answer leaves them for the next sweep; the sweep itself is not failed by it."""
    from inspection.services.mail import send_pending
    try:
        with unit("system", as_of) as (session, _):
            return send_pending(session)
    except (OSError, smtplib.SMTPException) as exc:
        logging.getLogger("workflows.mail").warning("mail not sent (tried again next sweep): %s", exc)
        return 0
