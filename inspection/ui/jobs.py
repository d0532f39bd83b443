"""Long work off the script thread: a small process-wide pool of jobs with progress, owned by a user.

`start` runs `fn(*args, progress=job.update, **kwargs)` in a worker thread and returns the job id; a
page keeps the id in session state and polls `get` (in a fragment that reruns every second), so the
page stays responsive while a 100-page PDF is read or all letters are written. Only the user who
started a job can read it. A reload starts a new session with no id in it: `latest` finds the user's
job for the same page slot again, while it runs or until its result has been shown once.
"""

from __future__ import annotations

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="junheng-job")
_JOBS: dict[str, "Job"] = {}
_LOCK = threading.Lock()
KEEP_SECONDS = 3600


@dataclass
class Job:
    id: str
    owner: str
    label: str
    progress: float = 0.0
    message: str = ""
    done: bool = False
    result: Any = None
    error: BaseException | None = None
    started: float = field(default_factory=time.monotonic)
    slot: str = ""                 # the page's place for it (a session-state key), to find it after a reload
    shown: bool = False            # its result was drawn at least once

    def update(self, fraction: float, message: str = "") -> None:
        self.progress = max(0.0, min(1.0, float(fraction)))
        if message:
            self.message = message


def start(owner: str, label: str, fn: Callable[..., Any], *args: Any, slot: str = "", **kwargs: Any) -> str:
    job = Job(id=secrets.token_urlsafe(8), owner=owner, label=label, slot=slot)

    def work() -> None:
        try:
            job.result = fn(*args, progress=job.update, **kwargs)
        except BaseException as exc:  # noqa: BLE001 — handed to the page, which shows a message
            job.error = exc
        finally:
            job.progress, job.done = 1.0, True

    with _LOCK:
        _forget_old()
        _JOBS[job.id] = job
    _POOL.submit(work)
    return job.id


def get(job_id: str | None, owner: str) -> Job | None:
    job = _JOBS.get(job_id or "")
    return job if job is not None and job.owner == owner else None


def latest(owner: str, slot: str) -> Job | None:
    """The owner's newest job in `slot` that is still running or whose result was never shown."""
    with _LOCK:
        mine = [j for j in _JOBS.values() if j.owner == owner and j.slot == slot and not (j.done and j.shown)]
    return max(mine, key=lambda j: j.started, default=None)


def wait(job_id: str, owner: str, seconds: float) -> Job | None:
    """Wait up to `seconds` for a quick job, so small work finishes within the same page run."""
    deadline = time.monotonic() + seconds
    job = get(job_id, owner)
    while job is not None and not job.done and time.monotonic() < deadline:
        time.sleep(0.05)
    return job


def _forget_old() -> None:
    now = time.monotonic()
    for key in [k for k, j in _JOBS.items() if j.done and now - j.started > KEEP_SECONDS]:
        del _JOBS[key]
