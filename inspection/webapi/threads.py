"""The review workspace's questions and answers (问询与答复) and each user's notifications, for the
pages: the committee asks and closes, the county answers (with a corrected file if need be)."""

from __future__ import annotations

from inspection.access import Principal
from inspection.db import session_scope
from inspection.db.models import Thread
from inspection.errors import AccessDenied
from inspection.services import notifications, threads
from inspection.webapi._base import CountyRef, acting
from inspection.webapi.submissions import upload

NOT_FOUND = ("没有找到这条问询。", "no such question.")


def county_threads(principal: Principal, county: CountyRef = None) -> list[dict]:
    """The county's threads, newest first, with their messages."""
    with acting(principal, "thread.view", county) as (session, _, row):
        return [{"id": t.id, "subject_kind": t.subject_kind, "subject": t.subject, "subject_ref": t.subject_ref,
                 "status": t.status,
                 "status_zh": threads.STATUS_ZH[t.status], "opened_by": t.opened_by, "opened_at": t.opened_at,
                 "decision": t.decision, "closed_by": t.closed_by, "closed_at": t.closed_at,
                 "messages": [{"author": m.author, "role": m.role, "body": m.body, "at": m.at,
                               "submission_id": m.submission_id} for m in messages]}
                for t, messages in threads.threads_of(session, county_id=row.id)]


def ask(principal: Principal, county: CountyRef, *, subject_kind: str, subject: str, body: str,
        subject_ref: str = "") -> int:
    with acting(principal, "thread.ask", county) as (session, me, row):
        return threads.ask(session, county=row, subject_kind=subject_kind, subject=subject, body=body,
                           actor=me.username, subject_ref=subject_ref).id


def _county_of(principal: Principal, thread_id: int) -> int:
    """The thread's county; another county's thread is answered exactly as a missing one."""
    with session_scope() as session:
        thread = session.get(Thread, thread_id)
        if thread is None or (principal.role == "county" and thread.county_id != principal.county_id):
            raise AccessDenied(*NOT_FOUND)
        return thread.county_id


def answer(principal: Principal, thread_id: int, *, body: str, filename: str | None = None,
           data: bytes | None = None) -> dict:
    """The county's answer; a corrected file sent with it is uploaded (and read) first, so an answer
    never points at a file that was not kept. Returns {"submission": upload's detail or None}."""
    county_id = _county_of(principal, thread_id)
    with acting(principal, "thread.answer", county_id):
        pass                               # refused before any file is kept
    sent = upload(principal, county_id, filename=filename or "更正文件", data=data) if data else None
    with acting(principal, "thread.answer", county_id) as (session, me, _):
        threads.answer(session, thread=session.get(Thread, thread_id), body=body, actor=me.username,
                       submission_id=sent["id"] if sent else None)
    return {"submission": sent}


def close(principal: Principal, thread_id: int, *, decision: str) -> bool:
    """The committee's decision closes the thread; True once it is closed."""
    with acting(principal, "thread.close", _county_of(principal, thread_id)) as (session, me, _):
        threads.close(session, thread=session.get(Thread, thread_id), decision=decision, actor=me.username)
        return True


def my_notifications(principal: Principal) -> dict:
    """{"unread": n, "items": [the latest 50]} for the signed-in user."""
    with acting(principal, "notifications.view") as (session, me, _):
        unread = len(notifications.unread(session, username=me.username))
        items = [{"id": n.id, "kind": n.kind, "text": n.text, "page": n.page, "at": n.created_at,
                  "read": n.read_at is not None} for n in notifications.recent(session, username=me.username)]
        return {"unread": unread, "items": items}


def read_all(principal: Principal) -> int:
    with acting(principal, "notifications.view") as (session, me, _):
        return notifications.mark_read(session, username=me.username)
