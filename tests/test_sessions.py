"""Server-side sessions for local accounts (inspection/sessions.py) on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlmodel import select

from inspection import sessions
from inspection.auth import create_user, load_principal, set_active
from inspection.db import audit, session_scope
from inspection.db.models import AuditEvent, WebSession, utcnow
from inspection.errors import InspectionError


@pytest.fixture
def db(database_url):
    with session_scope(database_url) as s:
        create_user(s, username="weiyuan", password="junheng-weiyuan", role="committee",
                    display_name="地区督导室", actor="test")
    return database_url


def _open(url, **kwargs) -> str:
    with session_scope(url) as s:
        return sessions.open_session(s, load_principal(s, username="weiyuan"), **kwargs)


def test_open_stores_only_the_hash_and_resume_gives_the_principal(db):
    token = _open(db)
    assert len(token) >= 43
    with session_scope(db) as s:
        row = s.exec(select(WebSession)).one()
        assert row.token_hash == sessions.token_hash(token) != token
        assert row.revoked_at is None and row.created_at.tzinfo is not None
        assert row.expires_at - row.created_at == timedelta(hours=8)
        me = sessions.resume_session(s, token)
        assert me.username == "weiyuan" and me.role == "committee" and me.display_name == "地区督导室"
        for other in ("", None, "x" * 43, token + "x"):
            assert sessions.resume_session(s, other) is None
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "session.open")).all()
        assert len(events) == 1 and events[0].actor == "weiyuan"
        assert token not in str(events[0].after) and row.token_hash not in str(events[0].after)


def test_two_sign_ins_get_different_tokens(db):
    assert _open(db) != _open(db)


def test_lifetime_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("INSPECTION_SESSION_HOURS", "0.5")
    assert sessions.session_lifetime() == timedelta(minutes=30)
    _open(db)
    with session_scope(db) as s:
        row = s.exec(select(WebSession)).one()
        assert row.expires_at - row.created_at == timedelta(minutes=30)
    for bad in ("zero", "0", "-3"):
        monkeypatch.setenv("INSPECTION_SESSION_HOURS", bad)
        with pytest.raises(InspectionError, match="INSPECTION_SESSION_HOURS"):
            sessions.session_lifetime()


def test_expired_session_does_not_resume(db):
    start = utcnow() - timedelta(hours=9)
    token = _open(db, now=start)
    with session_scope(db) as s:
        assert sessions.resume_session(s, token, now=start + timedelta(hours=7, minutes=59)) is not None
        assert sessions.resume_session(s, token, now=start + timedelta(hours=8)) is None
        assert sessions.resume_session(s, token) is None


def test_close_revokes_and_is_audited(db):
    token, other = _open(db), _open(db)
    with session_scope(db) as s:
        assert sessions.close_session(s, token) is True
    with session_scope(db) as s:
        assert sessions.resume_session(s, token) is None
        assert sessions.resume_session(s, other) is not None      # only that browser is signed out
        assert sessions.close_session(s, token) is False          # already closed
        assert sessions.close_session(s, "unknown-token") is False
        row = s.exec(select(WebSession).where(WebSession.token_hash == sessions.token_hash(token))).one()
        assert row.revoked_at is not None and row.revoked_at.tzinfo is not None
        closes = s.exec(select(AuditEvent).where(AuditEvent.action == "session.close")).all()
        assert [e.actor for e in closes] == ["weiyuan"]
        assert audit.verify_chain(s).ok


def test_disabled_account_does_not_resume(db):
    token = _open(db)
    with session_scope(db) as s:
        set_active(s, username="weiyuan", active=False, actor="test")
    with session_scope(db) as s:
        assert sessions.resume_session(s, token) is None
        set_active(s, username="weiyuan", active=True, actor="test")
    with session_scope(db) as s:
        assert sessions.resume_session(s, token).username == "weiyuan"
