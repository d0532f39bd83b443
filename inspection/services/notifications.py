"""In-app notifications (站内通知): one row per recipient, written in the same transaction as the
event they tell of (an upload, a verdict, a question, an answer), so none is lost or sent for
something that rolled back."""

from __future__ import annotations

from sqlmodel import Session, select

from inspection.db.models import Notification, User, utcnow


def recipients(session: Session, *, role: str, county_id: int | None = None) -> list[str]:
    """The active users of a role (a county's own users, for `county`)."""
    query = select(User.username).where(User.role == role, User.active)
    if role == "county":
        query = query.where(User.county_id == county_id)
    return list(session.exec(query))


def notify(session: Session, *, role: str, county_id: int | None, kind: str, text: str, page: str = "",
           exclude: str = "") -> int:
    """Tell every user of `role` (for `county`, the county's users) of an event; returns how many."""
    names = [u for u in recipients(session, role=role, county_id=county_id) if u != exclude]
    for username in names:
        session.add(Notification(username=username, kind=kind, text=text, county_id=county_id, page=page))
    return len(names)


def unread(session: Session, *, username: str) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.username == username,
                                                        Notification.read_at.is_(None))
                             .order_by(Notification.id.desc())))


def recent(session: Session, *, username: str, limit: int = 50) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.username == username)
                             .order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, *, username: str) -> int:
    """Everything of the user's read now; returns how many were unread."""
    rows = unread(session, username=username)
    for row in rows:
        row.read_at = utcnow()
        session.add(row)
    return len(rows)
