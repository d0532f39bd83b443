"""What every UI service shares: the per-call session with its access check, and the context.

Each public service function opens one `session_scope`, re-reads the signed-in account from the
database (so a disabled account or a changed role takes effect at once, and nothing the browser or
the session state holds can widen it), resolves the county it names and calls `access.require`.
Pages only ever call these functions.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Iterator

from sqlmodel import Session, func, select

from inspection.access import POLICY, Principal, require
from inspection import sessions
from inspection.auth import authenticate, load_principal
from inspection.db import init_database, session_scope
from inspection.db.models import County, SignInFailure, utcnow
from inspection.errors import AccessDenied, InspectionError
from inspection.cycle import Actor
from inspection.services import Context, make_context

log = logging.getLogger("inspection.webapi")
CountyRef = int | str | None

MAX_FAILURES, LOCK_SECONDS = 5, 600


def ensure_database() -> None:
    """Create or migrate the database (idempotent); the app calls it once per process."""
    init_database()


def context(actor: str) -> Context:
    """The standard, schedule and cycle in force, as of `INSPECTION_AS_OF` or today."""
    return make_context(actor, os.environ.get("INSPECTION_AS_OF") or date.today())


def actor_of(principal: Principal) -> Actor:
    """The cycle's view of the user (an observer never acts, so it is never asked for)."""
    return Actor(principal.username, principal.role, principal.county_name)


def sign_in(username: str, password: str) -> Principal:
    """Check a local account's password; raises `AccessDenied` with one message for every failure.

    After five failures within ten minutes a username is refused for ten minutes (kept in the
    database, so the lock holds across server processes).
    """
    key = username.strip().lower()
    since = utcnow() - timedelta(seconds=LOCK_SECONDS)
    with session_scope() as session:       # failures are kept in the database: the lock holds in every process
        recent = session.exec(select(func.count()).select_from(SignInFailure).where(
            SignInFailure.username == key, SignInFailure.at > since)).one()
    if recent >= MAX_FAILURES:
        raise AccessDenied("登录失败次数过多，请10分钟后再试。", "Too many failed sign-ins; try again in 10 minutes.")
    with session_scope() as session:
        principal = authenticate(session, username=username, password=password)
        if principal is None:
            session.add(SignInFailure(username=key))
        else:
            for old in session.exec(select(SignInFailure).where(SignInFailure.username == key)):
                session.delete(old)
    if principal is None:
        log.warning("failed sign-in for %r", key)
        raise AccessDenied("用户名或密码错误，或账号已停用。", "Wrong username or password, or the account is disabled.")
    return principal


def sign_in_session(username: str, password: str) -> tuple[Principal, str, int]:
    """`sign_in`, then open a server-side session: (principal, token for the cookie, its max-age in seconds).

    The token is the cookie's value only: never put it in a URL or a log.
    """
    principal = sign_in(username, password)
    lifetime = sessions.session_lifetime()
    with session_scope() as session:
        token = sessions.open_session(session, principal, lifetime=lifetime)
    return principal, token, int(lifetime.total_seconds())


def resume_session(token: str | None) -> Principal | None:
    """The account of the browser's session cookie, or None if unknown, expired, revoked or disabled."""
    if not token:
        return None
    with session_scope() as session:
        return sessions.resume_session(session, token)


def close_session(token: str | None) -> None:
    """Sign-out: revoke the session so its cookie no longer signs anyone in."""
    if not token:
        return
    with session_scope() as session:
        sessions.close_session(session, token)


def refresh(principal: Principal | None) -> Principal | None:
    """The account as the database has it now (role, county, active), or None: run at each page load."""
    if principal is None:
        return None
    with session_scope() as session:
        return load_principal(session, username=principal.username)


def principal_for_identity(email: str) -> Principal:
    """OIDC sign-in: the local account whose username is the identity's e-mail (role from the database)."""
    with session_scope() as session:
        principal = load_principal(session, username=email)
    if principal is None:
        raise AccessDenied(f"{email} 尚未开通账号，请联系地区督导室。",
                           f"{email} has no account here; ask the prefecture's supervision office.")
    return principal


def find_county(session: Session, ref: CountyRef) -> County | None:
    if ref is None or ref == "":
        return None
    if isinstance(ref, int):
        county = session.get(County, ref)
    else:
        county = session.exec(select(County).where((County.name == ref) | (County.short_name == ref)
                                                   | (County.code == ref))).first()
    if county is None:
        raise InspectionError(f"没有找到县市“{ref}”。", f"no county '{ref}'.", county=ref)
    return county


@contextmanager
def acting(principal: Principal | None, action: str, county: CountyRef = None,
           *, county_required: bool = False) -> Iterator[tuple[Session, Principal, County | None]]:
    """Open a session, refresh `principal` from the database and check `action` on `county`.

    A county user who names no county acts on their own. Yields (session, fresh principal, county).
    """
    with session_scope() as session:
        fresh = load_principal(session, username=principal.username) if principal else None
        if fresh is None:
            raise AccessDenied("登录已失效或账号已停用，请重新登录。", "Your session has ended; please sign in again.")
        if county in (None, "") and fresh.role == "county":
            county = fresh.county_id
        row = find_county(session, county)
        if (county_required or POLICY[action].scoped) and row is None:
            raise InspectionError("请先选择县市。", "Choose a county first.")
        try:
            require(fresh, action, row.id if row else None)
        except AccessDenied:
            log.warning("access denied: %s %s county=%s", fresh.username, action, row.name if row else None)
            raise
        yield session, fresh, row
