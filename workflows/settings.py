"""Prefect's environment for Junheng, applied on import — import this module before `prefect`.

PREFECT_HOME goes inside the data folder (unless set), so a fresh clone needs nothing in ~/.prefect;
analytics are off, so nothing is sent out. Explicit settings (environment, Makefile) win.
It is a module of its own, not package-level code, because an editable install may load `workflows`
as a namespace package whose `__init__` never runs.
"""

from __future__ import annotations

import os


def configure_environment() -> None:
    """Set Prefect's defaults for Junheng before `prefect` is imported."""
    from inspection.db import data_dir
    if "PREFECT_HOME" not in os.environ:
        home = data_dir() / "prefect"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The temporary server's first start migrates its database: 7–25 s on two busy cores, above
    # Prefect's 20 s default; a slow start should not fail a demo.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


configure_environment()
