"""docs/deployment.md's roles on PostgreSQL, run as written: the application's role can work and
append to the audit log, but cannot change, delete, truncate it or drop its trigger."""

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.skipif(not os.environ.get("INSPECTION_TEST_POSTGRES_URL"),
                                reason="no test PostgreSQL (run via make test)")
DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def _statements(part: str, database: str) -> list[str]:
    """The SQL of the deployment guide's block under the comment `-- as <part>`."""
    block = re.search(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8").split("an owner the application is not")[1],
                      re.S).group(1)
    section = block.split(f"-- as {part}")[1].split("\n-- as ")[0]
    lines = [line.split("--")[0].strip() for line in section.splitlines()[1:]]
    return [line.replace("DATABASE junheng ", f"DATABASE {database} ") for line in lines if line]


def test_the_application_role_cannot_rewrite_the_log(tmp_path, monkeypatch):
    from inspection.db import get_engine, init_database, repo, session_scope
    from inspection.services import make_context
    base = make_url(os.environ["INSPECTION_TEST_POSTGRES_URL"])
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        for role in ("junheng_app", "junheng_owner"):
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        for sql in _statements("a superuser, once", base.database):
            conn.execute(text(sql))
    get_engine.cache_clear()
    owner = base.set(username="junheng_owner").render_as_string(hide_password=False)
    app = base.set(username="junheng_app").render_as_string(hide_password=False)
    try:
        init_database(owner)                                                   # the migrations, as the owner
        with create_engine(owner, isolation_level="AUTOCOMMIT").connect() as conn:
            for sql in _statements("junheng_owner, after `inspection init`", base.database):
                conn.execute(text(sql))
        with session_scope(app) as s:                                          # the application works
            repo.seed_schedule(s, schedule=make_context("t").schedule, actor="app")
        refused = ["UPDATE auditevent SET reason = 'x'", "DELETE FROM auditevent", "TRUNCATE auditevent",
                   "DROP TRIGGER auditevent_no_change ON auditevent"]
        for sql in refused:
            with pytest.raises(DBAPIError, match="permission denied|must be owner"):
                with create_engine(app).begin() as conn:
                    conn.execute(text(sql))
        with session_scope(app) as s:
            assert s.exec(text("SELECT count(*) FROM auditevent")).one()[0] >= 12      # appended, as the app
    finally:
        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            for role in ("junheng_app", "junheng_owner"):
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
