"""A small seeded database for UI tests: built once per session, copied into each test's data folder.

Counties: the Kashgar schedule; school tables for 泽普县 and 巴楚县 (evaluated); 巴楚县's evaluation
carries one open veto finding. Accounts: weiyuan (committee), zepu (泽普县), bachu (巴楚县),
guancha (observer); passwords as in `inspection.auth.DEMO_ACCOUNTS`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from inspection.access import Principal

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
YEAR = 2026


def _build(folder: Path) -> None:
    from inspection import demo
    from inspection.auth import ensure_demo_users
    from inspection.db import get_engine, init_database, repo, session_scope
    from inspection.rules.vetoes import VetoFinding
    from inspection.services import evaluate_county, make_context
    url = f"sqlite:///{folder / 'junheng.sqlite'}"
    init_database(url)
    ctx = make_context("test", date(YEAR, 6, 1))
    schedule = ctx.schedule
    with session_scope(url) as session:
        repo.seed_schedule(session, schedule=schedule, actor="test")
        for name, n, vetoes in (("泽普县", 6, []), ("巴楚县", 5, [VetoFinding("key_school_or_class", "设立实验班两个",
                                                                          source="巴楚县自评报告.pdf", page=12)])):
            county = repo.get_county(session, name=name)
            county.stage = "annual_monitoring"   # past the plan: the county may submit its self-assessment
            schools = demo.county_schools(ctx.standard, name, county.recognition_year)[:n]
            repo.store_school_table(session, county=county, year=YEAR, table=demo.to_table(schools), actor="test")
            evaluate_county(session, ctx, county=county, year=YEAR, vetoes=vetoes)
        ensure_demo_users(session, actor="test")
    get_engine(url).dispose()
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ui-template")
    _build(folder)
    return folder


@pytest.fixture
def ui_db(_template_db, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the seeded database in this test's data folder (INSPECTION_DATA_DIR)."""
    from inspection.db import get_engine
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for f in _template_db.glob("junheng.sqlite*"):
        shutil.copy(f, data / f.name)
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(data))
    monkeypatch.setenv("INSPECTION_AS_OF", f"{YEAR}-06-01")
    get_engine.cache_clear()
    yield data
    get_engine.cache_clear()


def principal(username: str) -> Principal:
    """The principal the app would hold after signing in (loaded from the test database)."""
    from inspection.auth import load_principal
    from inspection.db import session_scope
    with session_scope() as session:
        return load_principal(session, username=username)


@pytest.fixture
def committee(ui_db):
    return principal("weiyuan")


@pytest.fixture
def zepu(ui_db):
    return principal("zepu")


@pytest.fixture
def bachu(ui_db):
    return principal("bachu")


@pytest.fixture
def observer(ui_db):
    return principal("guancha")


def csv_bytes(county: str = "泽普县", n: int = 4, seed: int = 7, ready: bool = False) -> bytes:
    """A valid school table for `county` in the canonical CSV columns (`ready`: every school passes)."""
    from inspection import demo
    from inspection.standard import load_schedule, load_standard
    plan = load_schedule().county(county)
    return demo.to_csv(demo.county_schools(load_standard("kashgar-2022"), plan.name, plan.recognition_year,
                                           seed, ready=ready)[:n]).encode("utf-8")
