"""Questions and answers (问询与答复) between the committee and a county, about a figure, an
indicator or a finding: the committee asks, the county answers (and may send a corrected file with
its answer), the committee closes the thread with a decision. Every step is in the audit log and
tells the other side (`notifications`)."""

from __future__ import annotations

from sqlmodel import Session, select

from inspection.db import audit
from inspection.db.models import County, Thread, ThreadMessage, utcnow
from inspection.errors import InspectionError
from inspection.services.notifications import notify

SUBJECT_KINDS = {"figure": "数据", "indicator": "指标", "finding": "问题", "general": "其他"}
STATUS_ZH = {"open": "待县市答复", "answered": "县市已答复", "closed": "已处理"}


def _text(body: str, what: str) -> str:
    body = (body or "").strip()
    if len(body) < 2:
        raise InspectionError(f"请填写{what}。", f"write the {'question' if what == '问询内容' else 'text'}.")
    return body[:4000]


def ask(session: Session, *, county: County, subject_kind: str, subject: str, body: str, actor: str,
        subject_ref: str = "") -> Thread:
    """The committee opens a thread with its question; the county's users are told."""
    if subject_kind not in SUBJECT_KINDS:
        raise InspectionError(f"未知的问询对象：{subject_kind}", f"unknown subject kind: {subject_kind}")
    thread = Thread(county_id=county.id, subject_kind=subject_kind, subject=subject.strip() or "其他",
                    subject_ref=subject_ref, opened_by=actor)
    session.add(thread)
    session.flush()
    session.add(ThreadMessage(thread_id=thread.id, author=actor, role="committee", body=_text(body, "问询内容")))
    audit.record(session, actor=actor, action="thread.ask", entity="thread", entity_id=thread.id,
                 after={"county": county.name, "subject_kind": subject_kind, "subject": thread.subject,
                        "body": body.strip()})
    notify(session, role="county", county_id=county.id, kind="question",
           text=f"地区督导委员会就“{thread.subject}”提出问询，请答复。", page="county_home")
    return thread


def answer(session: Session, *, thread: Thread, body: str, actor: str, submission_id: int | None = None) -> None:
    """The county answers (with a corrected file it has just uploaded, if any); the committee is told."""
    if thread.status == "closed":
        raise InspectionError("该问询已处理完毕，不能再答复。", "this thread is closed.")
    session.add(ThreadMessage(thread_id=thread.id, author=actor, role="county", body=_text(body, "答复内容"),
                              submission_id=submission_id))
    thread.status = "answered"
    session.add(thread)
    county = session.get(County, thread.county_id)
    audit.record(session, actor=actor, action="thread.answer", entity="thread", entity_id=thread.id,
                 after={"body": body.strip(), "submission_id": submission_id})
    notify(session, role="committee", county_id=county.id, kind="answer",
           text=f"{county.name}已答复问询“{thread.subject}”" + ("，并上传了更正后的文件。" if submission_id else "。"),
           page="evaluation")


def close(session: Session, *, thread: Thread, decision: str, actor: str) -> None:
    """The committee closes the thread with its decision; the county is told."""
    if thread.status == "closed":
        return
    thread.status, thread.decision = "closed", _text(decision, "处理意见")
    thread.closed_by, thread.closed_at = actor, utcnow()
    session.add(thread)
    audit.record(session, actor=actor, action="thread.close", entity="thread", entity_id=thread.id,
                 after={"decision": thread.decision})
    notify(session, role="county", county_id=thread.county_id, kind="closed",
           text=f"问询“{thread.subject}”已处理：{thread.decision}", page="county_home")


def threads_of(session: Session, *, county_id: int) -> list[tuple[Thread, list[ThreadMessage]]]:
    """A county's threads, newest first, each with its messages in order."""
    threads = session.exec(select(Thread).where(Thread.county_id == county_id).order_by(Thread.id.desc())).all()
    ids = [t.id for t in threads]
    messages: dict[int, list[ThreadMessage]] = {i: [] for i in ids}
    if ids:
        for m in session.exec(select(ThreadMessage).where(ThreadMessage.thread_id.in_(ids)).order_by(ThreadMessage.id)):
            messages[m.thread_id].append(m)
    return [(t, messages[t.id]) for t in threads]
