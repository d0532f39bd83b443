"""Which faults a task retries: transient ones (the database or file system hiccuped), never a
Junheng error (bad input, illegal transition) — retrying those would only repeat the refusal."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from inspection.errors import InspectionError

TRANSIENT_MARKERS = ("database is locked", "could not serialize", "deadlock detected", "server closed the connection",
                     "connection refused", "prev_hash", "auditevent")


def is_transient(exc: BaseException | None) -> bool:
    """True for a fault worth retrying: lost connection, lock timeout, serialisation or audit-tail race."""
    if exc is None or isinstance(exc, InspectionError):
        return False
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, IntegrityError):   # two writers raced for the audit chain's tail
        return any(m in str(exc) for m in ("prev_hash", "auditevent"))
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or any(m in str(exc).lower() for m in TRANSIENT_MARKERS)
    return isinstance(exc, (ConnectionError, TimeoutError, OSError)) and not isinstance(exc, FileNotFoundError)


def retry_transient(task, task_run, state) -> bool:
    """Prefect's `retry_condition_fn`: retry only what `is_transient` accepts."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        try:
            exc = state.result(raise_on_failure=False)
        except Exception as err:  # the state holds no readable result: judge the error we got
            exc = err
    return is_transient(exc if isinstance(exc, BaseException) else None)
