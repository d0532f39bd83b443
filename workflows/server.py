"""Prefect's temporary API server, tied to the life of the command that started it.

Without PREFECT_API_URL, Prefect starts a temporary server as a child process and stops it at exit
(`atexit`). A command killed with SIGKILL (or by the OOM killer) never runs `atexit`, and the server
lives on as an orphan holding a port and ~150 MB. So a command that runs flows starts that server
first, and with it a small watchdog (`python -m workflows.server PARENT SERVER`) that stops the
server once the command is gone, however it ended. With a real server configured, nothing is done.
"""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

import os
import signal
import subprocess
import sys
import time


def tie_temporary_server() -> None:
    """Start Prefect's temporary server now (Prefect reuses it) and watch it on our behalf."""
    from prefect.settings import PREFECT_API_URL
    if PREFECT_API_URL.value():
        return
    from prefect.server.api.server import SubprocessASGIServer
    server = SubprocessASGIServer()         # the instance Prefect's clients use when no URL is set
    server.start()
    if server.server_process is None:
        return
    subprocess.Popen([sys.executable, "-m", "workflows.server", str(os.getpid()), str(server.server_process.pid)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)   # not in the command's process group: it outlives a group kill


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def watch(parent: int, server: int, every: float = 0.5) -> None:
    """Wait while both live; when the command is gone, stop its server (TERM, then KILL after 5 s)."""
    while _alive(server) and _alive(parent) and os.getppid() == parent:
        time.sleep(every)
    if not _alive(server):
        return
    os.kill(server, signal.SIGTERM)
    for _ in range(50):
        if not _alive(server):
            return
        time.sleep(0.1)
    os.kill(server, signal.SIGKILL)


if __name__ == "__main__":
    watch(int(sys.argv[1]), int(sys.argv[2]))
