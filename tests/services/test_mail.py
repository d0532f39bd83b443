"""Notifications by e-mail (#12): off by default; with INSPECTION_SMTP_HOST set, each notification for
an account with an e-mail address goes out once, to a real SMTP conversation (a local sink here)."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy

import pytest
from sqlmodel import select

from inspection.db import session_scope
from inspection.db.models import Notification, User
from inspection.services.mail import SmtpSettings, send_pending


class _Sink(socketserver.StreamRequestHandler):
    """The smallest SMTP server that takes mail: greets, says 250 to everything, keeps DATA."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                body = b""
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    body += part
                self.server.mails.append(body)
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    server.mails = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _accounts_and_notes(url) -> None:
    with session_scope(url) as s:
        s.add(User(username="weiyuan@kashi.gov.cn", password_hash="x", role="committee"))
        s.add(Notification(username="weiyuan@kashi.gov.cn", kind="answer", text="泽普县已答复问询“总体”。"))
        s.add(Notification(username="zepu", kind="question", text="请答复。"))       # no address: no mail


def test_off_by_default_then_each_notification_is_mailed_once(db, sink, monkeypatch):
    _accounts_and_notes(db)
    monkeypatch.delenv("INSPECTION_SMTP_HOST", raising=False)
    with session_scope(db) as s:
        assert send_pending(s) == 0 and not sink.mails
    settings = SmtpSettings("127.0.0.1", sink.server_address[1], "duban@kashi.gov.cn")
    with session_scope(db) as s:
        assert send_pending(s, settings) == 1
    with session_scope(db) as s:
        assert send_pending(s, settings) == 0                     # sent once
        assert [n.mailed for n in s.exec(select(Notification).order_by(Notification.id))] == [True, False]
    [raw] = sink.mails
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["To"] == "weiyuan@kashi.gov.cn" and mail["From"] == "duban@kashi.gov.cn"
    assert mail["Subject"].startswith("均衡督导通知：泽普县已答复问询")
    assert "泽普县已答复问询“总体”。" in mail.get_content()


def test_a_mail_server_that_does_not_answer_leaves_them_for_next_time(db, monkeypatch):
    _accounts_and_notes(db)
    with pytest.raises(OSError):
        with session_scope(db) as s:
            send_pending(s, SmtpSettings("127.0.0.1", 1))           # nothing listens on port 1
    with session_scope(db) as s:
        assert not any(n.mailed for n in s.exec(select(Notification)))
