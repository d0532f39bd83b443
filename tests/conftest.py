import os
from pathlib import Path

import pytest

from inspection.standard import load_schedule, load_standard

# Keep every test run away from a developer's own data folder and Prefect settings.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def _database_of_this_worker() -> None:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (tests drop and recreate
    the schema of theirs), created on the test server beside the one `with-postgres.sh` made."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("INSPECTION_TEST_POSTGRES_URL")
    if not worker or not url or url.endswith(f"_{worker}"):
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    name = f"{make_url(url).database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["INSPECTION_TEST_POSTGRES_URL"] = make_url(url).set(database=name).render_as_string(hide_password=False)


_database_of_this_worker()


def pytest_collection_modifyitems(items):
    """The slow tests first: under pytest-xdist a long test started last keeps one worker busy alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def standard():
    return load_standard("kashgar-2022")


@pytest.fixture(scope="session")
def national():
    return load_standard("national-2017")


@pytest.fixture(scope="session")
def schedule():
    return load_schedule("kashgar")


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)


def _database_urls():
    urls = [pytest.param("sqlite", id="sqlite")]
    urls.append(pytest.param("postgres", id="postgres", marks=pytest.mark.skipif(
        not os.environ.get("INSPECTION_TEST_POSTGRES_URL"), reason="no test PostgreSQL (run via make test)")))
    return urls


@pytest.fixture(params=_database_urls())
def database_url(request, tmp_path):
    """A fresh, migrated database: an SQLite file, and PostgreSQL when `make test` provides one."""
    from sqlalchemy import create_engine, text

    from inspection.db import get_engine, init_database
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        url = os.environ["INSPECTION_TEST_POSTGRES_URL"]
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        admin.dispose()
        get_engine.cache_clear()
    init_database(url)
    yield url
    get_engine(url).dispose()
    get_engine.cache_clear()
