"""A migrated database with the Kashgar schedule, and the flow's steps run as plain service calls."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from inspection.cycle import Actor
from inspection.db import repo, session_scope
from inspection.db.models import County
from inspection.services import (advance, evaluate_round, ingest_submission, make_context, queue_for_review,
                                 scan_round, store_submission)
from tests.factories import passing_county_values, school, write_csv, write_workbook

COMMITTEE = Actor("委员甲", "committee")


def ctx(day: date, actor: str = "test"):
    return make_context(actor, day)


def county_user(name: str = "泽普县") -> Actor:
    return Actor(f"{name}教育局", "county", name)


@pytest.fixture
def db(database_url, monkeypatch):
    monkeypatch.setenv("INSPECTION_DATABASE_URL", database_url)
    with session_scope(database_url) as s:
        repo.seed_schedule(s, schedule=make_context("t").schedule, actor="test")
    return database_url


def school_csv(path: Path, standard, n: int = 10, failing=(), sports: float = 0.5) -> Path:
    rows = [school(standard, f"第{k}小学", ratios={"R5": sports} if k in failing else None) for k in range(n)]
    return write_csv(path, rows)


def school_workbook(path: Path, standard, n: int = 10, failing=(), county_values: dict | None = None) -> Path:
    """The generated workbook: `n` schools in 学校数据 and the 县级指标 sheet (passing figures by default)."""
    rows = [school(standard, f"第{k}小学", ratios={"R5": 0.5} if k in failing else None) for k in range(n)]
    return write_workbook(path, rows, passing_county_values(standard) if county_values is None else county_values)


def decide_judgements(url: str, day: date, status: str = "met") -> list[str]:
    """The committee decides every judged indicator of the round still open; returns their ids."""
    from inspection.db.models import Finding
    from inspection.services import decide_finding
    from inspection.services.stages import round_evaluation_id
    with session_scope(url) as s:
        evaluation_id = round_evaluation_id(s, county=county(s))
        open_ = s.exec(select(Finding).where(Finding.evaluation_id == evaluation_id, Finding.kind == "judgement",
                                             Finding.status == "open")).all()
        for f in open_:
            decide_finding(s, ctx(day), finding_id=f.id, status=status, actor=COMMITTEE, reason="查阅佐证材料，属实")
        return [f.code for f in open_]


def county(session, name: str = "泽普县") -> County:
    return repo.get_county(session, name=name)


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def self_assess(url: str, day: date, path: Path, name: str = "泽普县") -> dict:
    """The self-assessment flow's steps, each in its own transaction as the tasks run them."""
    c = ctx(day)
    with session_scope(url) as s:
        sub, created = store_submission(s, c, county=county(s, name), path=path, kind="self_assessment",
                                        actor=county_user(name).name, year=day.year)
        sub_id = sub.id
        if sub.status in ("queued", "reviewed"):   # as the flow does: the round was already handed in
            return {"submission_id": sub_id, "created": created, "status": sub.status}
    with session_scope(url) as s:
        advance(s, c, county=county(s, name), target="self_assessment", actor=county_user(name), reason="自评")
    with session_scope(url) as s:
        from inspection.db.models import Submission
        ingest_submission(s, c, submission=s.get(Submission, sub_id), actor="t")
        scan_round(s, c, submissions=[s.get(Submission, sub_id)], actor="t")
    with session_scope(url) as s:
        evaluation = evaluate_round(s, c, county=county(s, name))
        out = {"submission_id": sub_id, "created": created, "evaluation_id": evaluation.id,
               "outcome": evaluation.outcome}
    with session_scope(url) as s:
        queue_for_review(s, c, county=county(s, name), actor=Actor.system())
    return out
