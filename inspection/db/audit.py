"""The audit trail (审计日志): append-only events, each hashed with the one before it.

hash = SHA-256(prev_hash ‖ canonical JSON of the event). Changing, removing or reordering any
event breaks every hash after it, which `verify_chain` reports. The database also refuses UPDATE
and DELETE on the table (triggers in the first migration).

A chain alone cannot tell a truncated or wholly rewritten log from an honest one. So every commit
that adds events appends the chain's head (seq, hash) to an **anchor file** outside the database
(`INSPECTION_AUDIT_ANCHOR`, default `<data>/audit-anchor-<database>.log`, append-only by use; put it
on another disk or a WORM store in production). `verify_anchor` checks that every anchored event is
still there with the same hash, so deleting the last events, deleting every event, or rewriting one
and recomputing every later hash is found. It does not protect against someone who can rewrite the
anchor file as well, nor against a change made between a commit and its anchor line (none is
written by the program). `verify_state` replays the log and compares what it says happened with the
tables that carry decisions (stages, verdicts, accounts' roles and status, and each county-year's
figures by their digest, `inspection.db.digests`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import os
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy import text
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from inspection.db import digests, faults
from inspection.db.models import AuditEvent, County, ReviewVerdict, User, as_utc, utcnow

GENESIS = "0" * 64
_CHAIN_LOCK = 0x4A48_4155   # "JHAU": the advisory lock key of the audit chain's tail


def _canonical(event: AuditEvent) -> str:
    at = as_utc(event.at)
    body = {"at": at.astimezone(timezone.utc).isoformat(timespec="microseconds"), "actor": event.actor,
            "action": event.action, "entity": event.entity, "entity_id": event.entity_id,
            "before": event.before, "after": event.after, "reason": event.reason}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + _canonical(event)).encode("utf-8")).hexdigest()


def record(session: Session, *, actor: str, action: str, entity: str, entity_id: str | int = "",
           before: dict | None = None, after: dict | None = None, reason: str = "",
           at: datetime | None = None) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with the change)."""
    return record_many(session, [dict(actor=actor, action=action, entity=entity, entity_id=entity_id,
                                      before=before, after=after, reason=reason, at=at)])[0]


def record_many(session: Session, events: list[dict]) -> list[AuditEvent]:
    """Append events (each with `record`'s keywords) in order, in the caller's transaction.

    On PostgreSQL, appends are serialised by a transaction-scoped advisory lock, so concurrent
    transactions (flows running counties in parallel) queue for the chain's tail instead of forking
    it and failing on the unique `prev_hash`; SQLite serialises writers by itself. A batch takes the
    lock and reads the tail once, so a caller with many events (annual monitoring) should append them
    together, last thing before its commit, to hold the lock briefly.
    """
    if not events:
        return []
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    prev, rows = last.hash if last else GENESIS, []
    for e in events:
        event = AuditEvent(at=e.get("at") or utcnow(), actor=e["actor"], action=e["action"], entity=e["entity"],
                           entity_id=str(e.get("entity_id", "")), before=e.get("before"), after=e.get("after"),
                           reason=e.get("reason", ""), prev_hash=prev, hash="")
        event.hash = prev = event_hash(prev, event)
        faults.reached(f"audit:{event.action}")            # the crash tests stop a process at an event
        rows.append(event)
    session.add_all(rows)
    session.flush()
    session.info["audit_head"] = (rows[-1].seq, rows[-1].hash)   # anchored once the transaction commits
    return rows


def anchor_path(url: str) -> Path:
    """Where the chain's heads are anchored for the database at `url`."""
    given = os.environ.get("INSPECTION_AUDIT_ANCHOR")
    if given:
        return Path(given)
    from inspection.db.engine import data_dir
    return data_dir() / f"audit-anchor-{hashlib.sha256(url.encode()).hexdigest()[:12]}.log"


@sa_event.listens_for(OrmSession, "after_commit")
def _anchor(session) -> None:
    head = session.info.pop("audit_head", None)
    if head is None:
        return
    faults.reached("before-anchor")
    path = anchor_path(session.get_bind().url.render_as_string(hide_password=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:      # O_APPEND: concurrent writers add whole lines
        fh.write(f"{head[0]}\t{head[1]}\t{utcnow().isoformat()}\n")


@sa_event.listens_for(OrmSession, "after_rollback")
def _forget(session) -> None:
    session.info.pop("audit_head", None)


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None   # seq of the first event whose hash does not follow

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    prev, count = GENESIS, 0
    for event in session.exec(select(AuditEvent).order_by(AuditEvent.seq)):
        count += 1
        if event.prev_hash != prev or event.hash != event_hash(prev, event):
            return ChainReport(count, event.seq)
        prev = event.hash
    return ChainReport(count, None)


def verify_anchor(session: Session) -> list[str]:
    """Differences between the anchor file and the log: anchored events missing or rewritten."""
    path = anchor_path(session.get_bind().url.render_as_string(hide_password=False))
    if not path.exists():
        return []
    anchored: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        seq, digest, *_ = line.split("\t")
        anchored[int(seq)] = digest
    if not anchored:
        return []
    stored = dict(session.exec(select(AuditEvent.seq, AuditEvent.hash).where(
        AuditEvent.seq.in_(sorted(anchored)))).all())
    problems = []
    head = session.exec(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)).first() or 0
    if head < max(anchored):
        problems.append(f"审计日志被截断：锚点记录到第{max(anchored)}条，数据库只到第{head}条")
    missing = [s for s in anchored if s not in stored and s <= head]
    if missing:
        problems.append(f"审计日志缺少已锚定的记录：第{'、'.join(map(str, missing[:10]))}条")
    rewritten = [s for s, h in anchored.items() if s in stored and stored[s] != h]
    if rewritten:
        problems.append(f"审计日志已锚定的记录被改写：第{'、'.join(map(str, rewritten[:10]))}条")
    return problems


def log_problems(session: Session, initial_stage: str) -> tuple[ChainReport, list[str]]:
    """The log's own checks, as `inspection audit verify` and a backup or restore make them (the
    anchor apart): the chain, then what the log says happened against the tables."""
    chain = verify_chain(session)
    problems = [] if chain.ok else [f"第 {chain.broken_at} 条记录起审计日志哈希链断裂"]
    return chain, problems + verify_state(session, initial_stage)


def verify_state(session: Session, initial_stage: str) -> list[str]:
    """What the log says happened, replayed, against the tables that carry decisions."""
    stage: dict[str, str] = {}
    verdicts: dict[int, str] = {}
    roles: dict[str, tuple] = {}
    active: dict[str, bool] = {}
    figures: dict[tuple, str] = {}      # (action's digest function, county id, year) → digest
    for e in session.exec(select(AuditEvent).order_by(AuditEvent.seq)):
        after = e.after or {}
        if e.action in digests.SETS and after.get("digest"):
            figures[(digests.SETS[e.action], int(e.entity_id), int(after["year"]))] = after["digest"]
        elif e.action == "stage.change":
            stage[e.entity_id] = after.get("stage")
        elif e.action == "verdict.record" and after.get("verdict_id") is not None:
            verdicts[int(after["verdict_id"])] = after.get("decision")
        elif e.action in ("user.create", "user.demo_reset"):
            roles[e.entity_id] = (after.get("role"), after.get("county"))
            active[e.entity_id] = True
        elif e.action == "user.active":
            active[e.entity_id] = bool(after.get("active"))
    problems = []
    for county in session.exec(select(County)):
        expected = stage.get(str(county.id), initial_stage)
        if county.stage != expected:
            problems.append(f"{county.name}的阶段为“{county.stage}”，审计日志记录的是“{expected}”")
    for v in session.exec(select(ReviewVerdict)):
        if verdicts.get(v.id) != v.decision:
            problems.append(f"评估结论{v.id}（{v.document_number or ''}）为“{v.decision}”，审计日志记录的是"
                            f"“{verdicts.get(v.id) or '无记录'}”")
    names = {c.id: c.name for c in session.exec(select(County))}
    for (digest, county_id, year), logged in figures.items():
        if digest(session, county_id, year) != logged:
            what = "县级指标数据" if digest is digests.county_figures else "学校数据"
            problems.append(f"{names.get(county_id, county_id)}{year}年的{what}与审计日志最后记录的不符（表中数据被直接改动）")
    for u in session.exec(select(User)):
        logged = roles.get(str(u.id))
        if logged is None or logged[0] != u.role or logged[1] != names.get(u.county_id):
            problems.append(f"账号{u.username}的角色为“{u.role}”，审计日志记录的是“{logged[0] if logged else '无记录'}”")
        if active.get(str(u.id), True) != u.active:
            problems.append(f"账号{u.username}的启用状态与审计日志不符")
    return problems
