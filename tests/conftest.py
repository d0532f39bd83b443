import os
from pathlib import Path

import pytest

from inspection.standard import load_schedule, load_standard

# Keep every test run away from a developer's own data folder and Prefect settings.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


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
