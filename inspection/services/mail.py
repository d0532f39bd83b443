"""E-mail for notifications (邮件通知), off unless `INSPECTION_SMTP_HOST` is set.

Notifications are written in their event's transaction; mail goes out afterwards (`send_pending`,
run by the daily accountability sweep and by `inspection mail`), so no mail is sent for an event
that rolled back, and one that could not be sent is tried again next time. An account's address is
its username when that is an e-mail address (as for OIDC accounts, docs/ui.md); others get none.

    INSPECTION_SMTP_HOST, INSPECTION_SMTP_PORT (25), INSPECTION_SMTP_FROM (junheng@localhost),
    INSPECTION_SMTP_USER / INSPECTION_SMTP_PASSWORD (then STARTTLS and login)
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlmodel import Session, select

from inspection.db.models import Notification

SUBJECT = "均衡督导通知"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "junheng@localhost"
    user: str = ""
    password: str = ""

    @classmethod
    def from_env(cls) -> "SmtpSettings | None":
        host = os.environ.get("INSPECTION_SMTP_HOST", "").strip()
        if not host:
            return None
        return cls(host, int(os.environ.get("INSPECTION_SMTP_PORT", "25")),
                   os.environ.get("INSPECTION_SMTP_FROM", "junheng@localhost"),
                   os.environ.get("INSPECTION_SMTP_USER", ""), os.environ.get("INSPECTION_SMTP_PASSWORD", ""))


def message(note: Notification, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, note.username, f"{SUBJECT}：{note.text[:40]}"
    mail.set_content(f"{note.text}\n\n（{note.created_at:%Y-%m-%d %H:%M} UTC；请登录均衡督导系统查看。）")
    return mail


def send_pending(session: Session, settings: SmtpSettings | None = None) -> int:
    """Mail every notification not yet mailed to an account with an e-mail address; returns how
    many were sent. Without settings (the default) nothing is sent."""
    settings = settings or SmtpSettings.from_env()
    if settings is None:
        return 0
    pending = [n for n in session.exec(select(Notification).where(Notification.mailed.is_(False))) if "@" in n.username]
    if not pending:
        return 0
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
        if settings.user:
            smtp.starttls()
            smtp.login(settings.user, settings.password)
        for note in pending:
            smtp.send_message(message(note, settings.sender))
            note.mailed = True
            session.add(note)
    return len(pending)
