from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, func, select

from inspection.db import audit, get_engine, init_database, repo
from inspection.db.models import AuditEvent, County, Evaluation, Finding, SchoolYearFigures
from inspection.services import Context, county_status, seed_demo


def _ctx(standard, schedule):
    return Context(actor="test", standard=standard, schedule=schedule, as_of=date(2026, 11, 29))


def test_migrations_are_repeatable(database_url):
    init_database(database_url)  # second upgrade is a no-op
    with get_engine(database_url).connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0010"


def test_demo_seed_is_idempotent(database_url, standard, schedule):
    engine = get_engine(database_url)
    with Session(engine) as s:
        seed_demo(s, _ctx(standard, schedule))
        s.commit()
    with Session(engine) as s:
        counts = [s.exec(select(func.count()).select_from(m)).one() for m in (County, SchoolYearFigures, Evaluation, Finding)]
        events = s.exec(select(func.count()).select_from(AuditEvent)).one()
        seed_demo(s, _ctx(standard, schedule))
        s.commit()
    with Session(engine) as s:
        assert [s.exec(select(func.count()).select_from(m)).one() for m in (County, SchoolYearFigures, Evaluation, Finding)] == counts
        assert s.exec(select(func.count()).select_from(AuditEvent)).one() == events
        assert counts[0] == 12 and counts[1] > 900
        status = {r["county"]: r for r in county_status(s, _ctx(standard, schedule))}
    assert status["泽普县"]["target_year"] == 2025 and status["泽普县"]["years_left"] == -1
    # The demo's 2026 figures: 泽普县 has rectified (all four parts met), 麦盖提县 (due 2027) has ready
    # schools but no social-recognition survey yet (pending), 巴楚县 is short on K1, the rest fail.
    outcomes = {c: r["latest_evaluation"]["outcome"] for c, r in status.items()}
    assert outcomes.pop("泽普县") == "met" and outcomes.pop("麦盖提县") == "pending"
    assert set(outcomes.values()) == {"not_met"}
    assert status["麦盖提县"]["latest_evaluation"]["pending"] == ["S1"]


def test_changed_figures_make_a_new_evaluation(database_url, standard, schedule):
    from tests.factories import school, to_table
    ctx = _ctx(standard, schedule)
    with Session(get_engine(database_url)) as s:
        repo.seed_schedule(s, schedule=schedule, actor="t")
        county = repo.get_county(s, name="泽普县")
        repo.store_school_table(s, county=county, year=2026, table=to_table([school(standard, "一小")]), actor="t")
        from inspection.services import evaluate_county
        first, created = evaluate_county(s, ctx, county=county, year=2026)
        assert created and first.resource_passed
        again, created = evaluate_county(s, ctx, county=county, year=2026)
        assert not created and again.id == first.id
        repo.store_school_table(s, county=county, year=2026,
                                table=to_table([school(standard, "一小", ratios={"R5": 0.5})]), actor="t")
        second, created = evaluate_county(s, ctx, county=county, year=2026)
        assert created and not second.resource_passed
        findings = repo.open_findings(s, evaluation=second)
        assert [f.school for f in findings] == ["一小"] and "R5" in findings[0].code
        s.commit()


def test_audit_chain_detects_tampering(database_url):
    engine = get_engine(database_url)
    with Session(engine) as s:
        for k in range(3):
            audit.record(s, actor="委员甲", action="verdict.record", entity="county", entity_id=k,
                         after={"outcome": "达标"}, reason="审定")
        s.commit()
        assert audit.verify_chain(s).ok and audit.verify_chain(s).events == 3
    # The database refuses edits through the normal path…
    with engine.connect() as conn:
        with pytest.raises(DBAPIError):
            conn.execute(text("UPDATE auditevent SET reason = 'x' WHERE seq = 2"))
            conn.commit()
    # …and someone who drops the guard and edits the table directly is caught by the chain.
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER auditevent_no_update"))
        else:
            conn.execute(text("DROP TRIGGER auditevent_no_change ON auditevent"))
        conn.execute(text("UPDATE auditevent SET after = :a WHERE seq = 2"), {"a": '{"outcome": "不予认定"}'})
    with Session(engine) as s:
        report = audit.verify_chain(s)
    assert not report.ok and report.broken_at == 2


def test_forked_chain_is_refused(database_url):
    engine = get_engine(database_url)
    with Session(engine) as s:
        first = audit.record(s, actor="a", action="x", entity="e")
        s.commit()
        fork = AuditEvent(actor="b", action="y", entity="e", prev_hash=audit.GENESIS, hash="f" * 64)
        s.add(fork)
        with pytest.raises(IntegrityError):
            s.commit()


def test_document_numbers_are_consecutive_per_prefix_and_year(database_url):
    with Session(get_engine(database_url)) as s:
        numbers = [repo.next_document_number(s, prefix="喀教督", year=2026) for _ in range(3)]
        other = repo.next_document_number(s, prefix="喀教督", year=2027)
        s.commit()
    assert numbers == [1, 2, 3] and other == 1


def test_models_and_migrations_agree(tmp_path):
    """A model change without its migration fails here (alembic check after upgrade)."""
    from alembic import command

    from inspection.db.migrate import alembic_config
    cfg = alembic_config(f"sqlite:///{tmp_path / 'check.sqlite'}")
    command.upgrade(cfg, "head")
    command.check(cfg)


def test_a_failure_mid_write_leaves_nothing_behind(database_url, standard, schedule):
    from inspection.db import session_scope
    from tests.factories import school, to_table
    with session_scope(database_url) as s:
        repo.seed_schedule(s, schedule=schedule, actor="t")
    with pytest.raises(RuntimeError):
        with session_scope(database_url) as s:
            county = repo.get_county(s, name="泽普县")
            repo.store_school_table(s, county=county, year=2026, table=to_table([school(standard, "一小")]), actor="t")
            raise RuntimeError("crash after the figures were written")
    with Session(get_engine(database_url)) as s:
        assert s.exec(select(func.count()).select_from(SchoolYearFigures)).one() == 0
        assert audit.verify_chain(s).ok


def test_truncation_rewriting_and_state_edits_are_found(tmp_path, monkeypatch):
    """Tampering the chain alone cannot hide (issue 17): the anchor outside the database and the
    replay of decisions find what a recomputed chain would not."""
    from sqlalchemy import text
    from typer.testing import CliRunner

    from inspection.cli import app
    from inspection.db import get_engine, session_scope
    from inspection.db.audit import GENESIS, event_hash
    runner = CliRunner()
    monkeypatch.setenv("INSPECTION_DATABASE_URL", f"sqlite:///{tmp_path / 'a.sqlite'}")
    runner.invoke(app, ["init"])
    from inspection.db import repo
    from inspection.services import make_context
    from inspection.auth import ensure_demo_users
    with session_scope() as s:
        repo.seed_schedule(s, schedule=make_context("t").schedule, actor="t")
    with session_scope() as s:
        ensure_demo_users(s, actor="t")
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    engine = get_engine()

    def tampered(*sql: str) -> str:
        with engine.begin() as conn:
            for statement in sql:
                conn.execute(text(statement))
        result = runner.invoke(app, ["audit", "verify"])
        assert result.exit_code == 1
        return result.output

    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS auditevent_no_update"))
        conn.execute(text("DROP TRIGGER IF EXISTS auditevent_no_delete"))
    backup = tmp_path / "backup.sqlite"
    with engine.begin() as conn:
        conn.execute(text(f"VACUUM INTO '{backup}'"))
    # 1. the last events deleted: the chain that is left is intact, the anchor is not
    assert "审计日志被截断" in tampered("DELETE FROM auditevent WHERE seq > (SELECT MAX(seq) - 3 FROM auditevent)")
    # 2. every event deleted
    assert "审计日志被截断" in tampered("DELETE FROM auditevent")
    engine.dispose()
    (tmp_path / "a.sqlite").write_bytes(backup.read_bytes())
    get_engine.cache_clear()
    engine = get_engine()
    # 3. one event rewritten and every later hash recomputed: a valid chain, but not the anchored one
    with session_scope() as s:
        from sqlmodel import select
        from inspection.db.models import AuditEvent
        events = list(s.exec(select(AuditEvent).order_by(AuditEvent.seq)))
        s.expunge_all()
    prev = GENESIS
    with engine.begin() as conn:
        for e in events:
            if e.seq == events[0].seq:
                e.reason = "改写"
            digest = event_hash(prev, e)
            conn.execute(text("UPDATE auditevent SET reason = :r, prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"r": e.reason, "p": prev, "h": digest, "s": e.seq})
            prev = digest
    out = runner.invoke(app, ["audit", "verify"])
    assert out.exit_code == 1 and "已锚定的记录被改写" in out.output and "哈希链断裂" not in out.output
    engine.dispose()
    (tmp_path / "a.sqlite").write_bytes(backup.read_bytes())
    get_engine.cache_clear()
    engine = get_engine()
    # 4. a county's stage and an account's role edited directly
    assert "泽普县的阶段为“post_recognition”" in tampered("UPDATE county SET stage = 'post_recognition' WHERE name = '泽普县'")
    assert "账号zepu的角色为“committee”" in tampered("UPDATE user SET role = 'committee' WHERE username = 'zepu'")
