"""Where the database lives, and how a session opens on it. Only entry points call these."""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from inspection.db import faults


def data_dir() -> Path:
    """`INSPECTION_DATA_DIR`, else `$XDG_DATA_HOME/junheng` (~/.local/share/junheng)."""
    explicit = os.environ.get("INSPECTION_DATA_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "junheng"


def database_url() -> str:
    """`INSPECTION_DATABASE_URL` (any SQLAlchemy URL), else an SQLite file in the data folder."""
    url = os.environ.get("INSPECTION_DATABASE_URL")
    if url:
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'junheng.sqlite'}"


def shown_url(url: str | None = None) -> str:
    """The database URL as it may be printed or logged: any password masked (postgresql://u:***@h/db)."""
    from sqlalchemy.engine import make_url
    return make_url(url or database_url()).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url`, else for `database_url()` as it is now (one engine per URL, reused).

    The URL is resolved before the cache is consulted: caching on `None` would hand a later caller
    the engine of whatever data folder was current the first time.
    """
    return _engine(url or database_url())


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


get_engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]  (tests reset it)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error, so nothing is half-written."""
    with Session(get_engine(url)) as session:
        try:
            yield session
            faults.reached("before-commit")
            session.commit()
            faults.reached("after-commit")
        except BaseException:
            session.rollback()
            raise
