"""Server-side sessions for local accounts (docs/ui.md), so a page reload does not sign the user out.

`open_session` makes a random token (`secrets.token_urlsafe(32)`) for the browser's cookie and stores
only its SHA-256; `resume_session` turns a token back into the account's `Principal` while the
session is neither expired nor revoked and the account is active; `close_session` revokes it.
Sessions last `INSPECTION_SESSION_HOURS` hours (default 8). Functions take the caller's `Session`
and never commit; opening and closing are audit events (never with the token or its hash).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from inspection.access import Principal
from inspection.auth import existing_user, principal_of
from inspection.db import audit
from inspection.db.models import User, WebSession, as_utc, utcnow
from inspection.errors import InspectionError

SESSION_HOURS_ENV = "INSPECTION_SESSION_HOURS"
DEFAULT_SESSION_HOURS = 8.0


def session_lifetime() -> timedelta:
    """How long a session lasts: `INSPECTION_SESSION_HOURS` (hours, may be fractional), default 8."""
    raw = os.environ.get(SESSION_HOURS_ENV, "").strip()
    if not raw:
        return timedelta(hours=DEFAULT_SESSION_HOURS)
    try:
        hours = float(raw)
    except ValueError:
        hours = 0.0
    if not 0 < hours <= 24 * 366:
        raise InspectionError(f"环境变量 {SESSION_HOURS_ENV}=“{raw}”无效，应为正的小时数",
                              f"{SESSION_HOURS_ENV}='{raw}' is invalid: give a positive number of hours")
    return timedelta(hours=hours)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(session: Session, who: User | Principal) -> User:
    return who if isinstance(who, User) else existing_user(session, who.username)


def open_session(session: Session, who: User | Principal, *, now: datetime | None = None,
                 lifetime: timedelta | None = None) -> str:
    """Open a session for an account; returns the token for the cookie (only its hash is stored)."""
    user = _user(session, who)
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=token_hash(token), user_id=user.id, created_at=now,
                     expires_at=now + (lifetime or session_lifetime()))
    session.add(row)
    session.flush()
    audit.record(session, actor=user.username, action="session.open", entity="websession", entity_id=row.id,
                 after={"username": user.username, "expires_at": row.expires_at.isoformat()})
    return token


def _find(session: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    return session.exec(select(WebSession).where(WebSession.token_hash == token_hash(token))).first()


def resume_session(session: Session, token: str | None, *, now: datetime | None = None) -> Principal | None:
    """The account of a live session, or None: unknown token, expired, revoked, or account disabled."""
    row = _find(session, token)
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= (now or utcnow()):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return principal_of(session, user)


def close_session(session: Session, token: str | None, *, now: datetime | None = None) -> bool:
    """Revoke a session (sign-out); True if a live one was revoked, False if unknown or already closed."""
    row = _find(session, token)
    if row is None or row.revoked_at is not None:
        return False
    now = now or utcnow()
    row.revoked_at = now
    session.add(row)
    user = session.get(User, row.user_id)
    username = user.username if user else str(row.user_id)
    audit.record(session, actor=username, action="session.close", entity="websession", entity_id=row.id,
                 after={"username": username})
    return True
