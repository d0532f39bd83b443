"""Persistence: SQLModel tables, Alembic migrations, repository functions and the audit trail."""

from inspection.db.engine import data_dir, database_url, get_engine, session_scope, shown_url
from inspection.db.migrate import upgrade

__all__ = ["data_dir", "database_url", "get_engine", "init_database", "session_scope", "shown_url", "upgrade"]


def init_database(url: str | None = None):
    """Create or migrate the database to the newest schema; returns the engine."""
    engine = get_engine(url)
    upgrade(engine)
    return engine
