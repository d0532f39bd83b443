"""One self-assessment round per county at a time (一县一轮): the round lease.

A round (store → read → scan → evaluate → queue) spans several transactions. Two rounds of one
county at the same moment would both be read, and the later table would replace the earlier one
while the earlier round still reported it as submitted. So a round first takes the county's lease
(a row keyed by the county: the database lets one insert win) and gives it back when it ends; the
second is refused before it stores anything, told who holds the lease and since when.

A holder killed without giving it back (SIGKILL, power loss) must not lock the county out: a lease
of a process that no longer runs on this host is taken over at once; one from another host lapses
after `INSPECTION_LEASE_MINUTES` (default 60, longer than any round takes).
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta, timezone

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from inspection.db.models import County, RoundLease, as_utc, utcnow
from inspection.errors import BusyError


def _minutes() -> float:
    return float(os.environ.get("INSPECTION_LEASE_MINUTES", "60"))


BEIJING = timezone(timedelta(hours=8))   # the time a county's user reads


def _lapsed(lease: RoundLease) -> bool:
    if lease.host == socket.gethostname():
        try:
            os.kill(lease.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:      # alive, another user's process
            return False
    return utcnow() - as_utc(lease.since) > timedelta(minutes=_minutes())


def ensure_free(session: Session, *, county: County) -> None:
    """Raise BusyError when another round holds the county's lease (a step outside the round, as the
    web's upload and submission, checks it). Lease times are the real clock's, not the context's
    effective date (a round may be recorded as of another day)."""
    error = _refusal(county, session.get(RoundLease, county.id))
    if error is not None:
        raise error


def _refusal(county: County, lease: RoundLease | None) -> BusyError | None:
    if lease is None or _lapsed(lease):
        return None
    since = as_utc(lease.since).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return BusyError(f"{county.name}的另一份自评材料正在处理中（{lease.holder}于{since}开始），本次未保存任何文件。"
                     "请待其处理完成后再提交。",
                     f"another self-assessment round of {county.name} is being processed (by {lease.holder} "
                     f"since {since}); nothing was stored. Submit again when it has finished.",
                     county=county.name, holder=lease.holder)


def take(session: Session, *, county: County, holder: str) -> str:
    """Take the county's lease for a round; returns its token. Raises BusyError if another holds it.

    The lease is looked at once: a row seen as lapsed is removed, and whatever another round did
    in between (taken, or removed the same lapsed row) makes our delete or insert fail — told busy."""
    lease = session.get(RoundLease, county.id)
    error = _refusal(county, lease)
    if error is not None:
        raise error
    token = uuid.uuid4().hex
    try:
        if lease is not None:
            session.delete(lease)
            session.flush()
        session.add(RoundLease(county_id=county.id, holder=holder, host=socket.gethostname(), pid=os.getpid(),
                               token=token, since=utcnow()))
        session.flush()
    except (IntegrityError, OperationalError, StaleDataError):   # the other round won the same moment
        session.rollback()
        raise BusyError(f"{county.name}的另一份自评材料正在同时提交，本次未保存任何文件。请稍后再提交。",
                        f"another self-assessment round of {county.name} is being submitted at the same moment; "
                        "nothing was stored. Submit again shortly.", county=county.name) from None
    return token


def give_back(session: Session, *, county: County, token: str) -> None:
    """End the round: the lease goes, if it is still this round's."""
    lease = session.get(RoundLease, county.id)
    if lease is not None and lease.token == token:
        session.delete(lease)
