"""The flows end to end under Prefect's test harness: re-runs change nothing, a crashed run completes
when run again, transient faults are retried, illegal verdicts are refused with the reason."""

from datetime import date

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import inspection.services as services
from inspection.db import audit, session_scope
from inspection.db.models import (AccountabilityCase, AuditEvent, Evaluation, MonitoringLedger, ReviewVerdict,
                                  SchoolYearFigures, StageEvent, Submission)
from inspection.errors import StageError
from inspection.services import demo as demo_data
from tests.services.conftest import count, county, ctx, school_csv

pytestmark = pytest.mark.usefixtures("prefect_harness")
MODELS = (Submission, SchoolYearFigures, Evaluation, StageEvent, ReviewVerdict, AuditEvent)


def _counts(url):
    with session_scope(url) as s:
        return [count(s, m) for m in MODELS]


def test_self_assessment_crash_rerun_and_verdict(flow_db, tmp_path, standard, monkeypatch):
    from workflows.prefecture_evaluation import prefecture_evaluation
    from workflows.self_assessment import self_assessment
    with session_scope(flow_db) as s:
        demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s), folder=tmp_path / "plans")
    args = dict(county="泽普县", documents=[str(school_csv(tmp_path / "t.csv", standard, failing={0, 1}))],
                actor="泽普县教育局", as_of="2025-05-10", year=2025)

    def crash(*_a, **_k):
        raise RuntimeError("simulated crash after the documents were read")
    real = services.evaluate_round
    monkeypatch.setattr(services, "evaluate_round", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        self_assessment(**args)
    with session_scope(flow_db) as s:
        assert county(s).stage == "self_assessment"
        assert s.exec(select(Submission).where(Submission.kind == "self_assessment")).one().status == "ingested" and count(s, Evaluation) == 0
    monkeypatch.setattr(services, "evaluate_round", real)
    done = self_assessment(**args)
    assert done["status"] == "queued" and done["evaluation"]["failing_schools"] == 2
    after = _counts(flow_db)
    assert self_assessment(**args)["status"] == "already_submitted"
    assert _counts(flow_db) == after
    with session_scope(flow_db) as s:
        assert county(s).stage == "prefecture_evaluation" and count(s, SchoolYearFigures) == 10
        uploads = s.exec(select(AuditEvent).where(AuditEvent.action == "submission.upload")).all()
        assert [u.after["kind"] for u in uploads] == ["development_plan", "self_assessment"]

    with pytest.raises(StageError, match="个问题未整改或未处理.*评估结论"):
        prefecture_evaluation(county="泽普县", decision="approve", actor="委员甲", reason="通过",
                              as_of="2025-07-15", letter=False)
    verdict = dict(county="泽普县", decision="return", actor="委员甲", reason="2所学校体育场馆不足",
                   as_of="2025-07-15", deadline="2025-10-31", letter=False)
    first = prefecture_evaluation(**verdict)
    assert first["created"] and first["stage"] == "rectification" and first["document_number"] == "喀教督〔2025〕1号"
    after = _counts(flow_db)
    assert prefecture_evaluation(**verdict)["created"] is False
    assert _counts(flow_db) == after
    with session_scope(flow_db) as s:
        assert (county(s).stage, county(s).stage_deadline) == ("rectification", date(2025, 10, 31))
        assert audit.verify_chain(s).ok


def test_monitoring_and_sweep_over_counties_with_a_transient_fault(flow_db, tmp_path, monkeypatch):
    from workflows.accountability_sweep import accountability_sweep
    from workflows.annual_monitoring import annual_monitoring
    with session_scope(flow_db) as s:
        c = ctx(date(2026, 11, 29))
        for name in ("泽普县", "巴楚县", "莎车县"):
            demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s, name), folder=tmp_path / "plans")
            demo_data.seed_year_figures(s, c, county=county(s, name), year=2026)
    calls = []
    real = services.monitor_counties

    def flaky(*a, **k):
        calls.append([c.name for c in k["counties"]])
        if len(calls) == 1:
            raise OperationalError("INSERT INTO evaluation", {}, Exception("database is locked"))
        return real(*a, **k)
    monkeypatch.setattr(services, "monitor_counties", flaky)
    three = ["泽普县", "巴楚县", "莎车县"]
    result = annual_monitoring(year=2026, as_of="2026-11-29", counties=three, batch_size=2)
    assert result["counties"] == 3 and result["written"] == 3 and result["batches"] == 2
    assert len(calls) == 3   # the first batch's task was retried once
    with session_scope(flow_db) as s:
        ledger = s.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county(s, "泽普县").id)).one()
        # 泽普县 rectified its schools after 2025 (demo data): every part met, but past its year.
        assert ledger.ledgers["unmet"]["schools"] == [] and ledger.progress["failing"] == 0
        assert "已超过创建年份2025年" in ledger.progress["text"]
        bachu = s.exec(select(MonitoringLedger).where(MonitoringLedger.county_id == county(s, "巴楚县").id)).one()
        assert [r["indicator"] for r in bachu.ledgers["unmet"]["county"]] == ["K1"]
        assert [r["indicator"] for r in bachu.ledgers["unmet"]["pending"]] == ["S1"]
    assert annual_monitoring(year=2026, as_of="2026-11-29", counties=three)["written"] == 0
    swept = accountability_sweep(as_of="2026-01-01", counties=three)
    assert swept["actions"] == {"泽普县": ["missed_recognition_year"]} and swept["mailed"] == 0   # mail off by default
    assert accountability_sweep(as_of="2026-01-01", counties=three)["actions"] == {}
    assert accountability_sweep(as_of="2026-07-01", counties=three)["actions"] == {"泽普县": ["escalate:1"]}
    with session_scope(flow_db) as s:
        assert count(s, AccountabilityCase) == 1 and county(s).stage == "accountability"


def test_letter_is_rendered_once(flow_db, tmp_path, standard):
    if not flow_db.startswith("sqlite"):
        pytest.skip("rendering does not depend on the database; once is enough")
    from workflows.prefecture_evaluation import prefecture_evaluation
    from workflows.self_assessment import self_assessment
    with session_scope(flow_db) as s:
        demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s, "巴楚县"), folder=tmp_path / "plans")
    self_assessment(county="巴楚县", documents=[str(school_csv(tmp_path / "t.csv", standard, failing={0}))],
                    actor="巴楚县教育局", as_of="2027-05-10", year=2027)
    out = prefecture_evaluation(county="巴楚县", decision="return", actor="委员甲", reason="1所学校未达标",
                                as_of="2027-07-15")
    assert out["letter"].endswith("喀教督〔2027〕1号-督导评估意见书.pdf")
    with open(out["letter"], "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    events = _counts(flow_db)
    assert prefecture_evaluation(county="巴楚县", decision="return", actor="委员甲", reason="1所学校未达标",
                                 as_of="2027-07-15")["letter"] == out["letter"]
    assert _counts(flow_db) == events
