"""Prefect for the flow tests: a home of its own, and the test harness entered once per session.

`prefect_test_harness` starts a temporary API server on a temporary SQLite database (~11 s on two
cores), so only tests that run flows ask for `prefect_harness`; task bodies are tested through
`.fn()` without it, and the rest of the suite never pays for it.
"""

import os
import tempfile

import pytest

# Before anything imports prefect or workflows.settings: keep ~/.prefect and the data folder out of it.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="junheng-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def flow_db(database_url, monkeypatch):
    """The test database as the flows' database (tasks open their own sessions from the environment)."""
    from inspection.db import repo, session_scope
    from inspection.services import make_context
    monkeypatch.setenv("INSPECTION_DATABASE_URL", database_url)
    with session_scope(database_url) as s:
        repo.seed_schedule(s, schedule=make_context("t").schedule, actor="test")
    return database_url
