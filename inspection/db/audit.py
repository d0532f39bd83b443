"""The audit trail (审计日志): append-only events, each hashed with the one before it.

hash = SHA-256(prev_hash ‖ canonical JSON of the event). Changing, removing or reordering any
event breaks every hash after it, which `verify_chain` reports. The database also refuses UPDATE
and DELETE on the table (triggers in the first migration).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import text
from sqlmodel import Session, select

from inspection.db.models import AuditEvent, as_utc, utcnow

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
    """Append one event in the caller's transaction (it commits or rolls back with the change).

    On PostgreSQL, appends are serialised by a transaction-scoped advisory lock, so concurrent
    transactions (flows running counties in parallel) queue for the chain's tail instead of forking
    it and failing on the unique `prev_hash`. SQLite serialises writers by itself.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    event = AuditEvent(at=at or utcnow(), actor=actor, action=action, entity=entity,
                       entity_id=str(entity_id), before=before, after=after, reason=reason,
                       prev_hash=prev, hash="")
    event.hash = event_hash(prev, event)
    session.add(event)
    session.flush()
    return event


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
