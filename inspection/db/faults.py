"""Crash points for the fault tests (故障注入).

`INSPECTION_KILL_AT=before-commit:3` makes this process SIGKILL itself just before its 3rd commit of a
Junheng session (everything of that transaction flushed, nothing committed); `after-commit:3` just
after it (committed and anchored); `before-anchor:1` between a commit and its audit anchor line;
`audit:letter.render:1` when the first event of that action is recorded (its transaction not yet
committed), so a test can stop a process between two named steps, e.g. a verdict and its letter.
Always `point:N`. SIGKILL, because nothing may run after it — no `finally`, no rollback, no
cleanup — as when the power goes or the OOM killer strikes.
The tests use it to stop a real `inspection` process at every commit of a command and check that a
restart finds the data consistent. Unset (always, outside those tests) a call is one lookup.
"""

from __future__ import annotations

import os
import signal

_reached: dict[str, int] = {}


def reached(point: str) -> None:
    """Count one passage of `point`; die here if INSPECTION_KILL_AT names this passage."""
    wanted = os.environ.get("INSPECTION_KILL_AT")
    if not wanted:
        return
    name, _, nth = wanted.rpartition(":")
    if name != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] == int(nth):
        os.kill(os.getpid(), signal.SIGKILL)
