"""A county through the whole cycle and every branch, through the services the flows call
(SQLite, and PostgreSQL under `make test`). The flows themselves are tested in tests/workflows."""

from datetime import date

import pytest
from sqlmodel import select

from inspection.cycle import Actor
from inspection.db import audit, session_scope
from inspection.db.models import (AccountabilityCase, AuditEvent, Evaluation, Finding, MonitoringLedger,
                                  ReviewVerdict, SchoolYearFigures, StageEvent, Submission)
from inspection.errors import StageError
from inspection.services import (advance, close_case, decide_finding, monitor_county, record_verdict,
                                 sweep_county)
from inspection.services import demo as demo_data
from inspection.services.stages import stage_history
from tests.factories import school, write_csv
from tests.services.conftest import (COMMITTEE, count, county, county_user, ctx, decide_judgements, school_csv,
                                     school_workbook, self_assess)


def _plan(url, tmp_path, name="泽普县"):
    with session_scope(url) as s:
        assert demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s, name), folder=tmp_path / "plans")


def test_a_county_goes_through_the_whole_cycle(db, tmp_path, standard):
    _plan(db, tmp_path)
    with session_scope(db) as s:
        c = county(s)
        assert (c.stage, c.stage_deadline) == ("annual_monitoring", date(2025, 6, 30))
    sa = self_assess(db, date(2025, 5, 10), school_workbook(tmp_path / "2025.xlsx", standard))
    assert sa["outcome"] == "pending"   # every figure passes; the judged indicators await the committee
    judged = [i.id for i in standard.county_indicators if i.judged]
    with session_scope(db) as s:
        assert county(s).stage == "prefecture_evaluation"
        assert s.get(Evaluation, sa["evaluation_id"]).result["pending"] == judged
        with pytest.raises(StageError, match=f"尚有{len(judged)}项指标待补充数据或待督导认定（G1、G2"):
            record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="approve", actor=COMMITTEE,
                           reason="各项指标达到要求")
    assert decide_judgements(db, date(2025, 7, 15)) == judged
    with session_scope(db) as s:
        assert s.get(Evaluation, sa["evaluation_id"]).outcome == "met"
        verdict, created = record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="approve",
                                          actor=COMMITTEE, reason="各项指标达到要求")
        assert created and verdict.document_number == "喀教督〔2025〕1号" and county(s).stage == "region_recommended"
    for day, stage in ((date(2025, 10, 20), "national_recognition"), (date(2025, 12, 15), "post_recognition")):
        with session_scope(db) as s:
            advance(s, ctx(day), county=county(s), target=stage, actor=COMMITTEE, reason="通过")
    # 2026: figures slide markedly (4 of 10 schools fail) → monitoring, then the sweep opens a case
    with session_scope(db) as s:
        c = county(s)
        from inspection.ingest import read_school_table
        from inspection.db import repo
        table = read_school_table(school_csv(tmp_path / "2026.csv", standard, failing={1, 2, 3, 4}), standard)
        repo.store_school_table(s, county=c, year=2026, table=table, actor="t")
        assert monitor_county(s, ctx(date(2026, 11, 1)), county=c, year=2026)["status"] == "written"
    with session_scope(db) as s:
        assert sweep_county(s, ctx(date(2026, 11, 2)), county=county(s)) == ["slide_after_recognition"]
        (case,) = s.exec(select(AccountabilityCase)).all()
        assert "4/10个学校学段资源配置未达标" in case.reason and county(s).stage == "accountability"
        with pytest.raises(StageError, match="还有1个问责案件未结案"):
            advance(s, ctx(date(2026, 11, 3)), county=county(s), target="post_recognition", actor=COMMITTEE,
                    reason="已整改")
        assert close_case(s, ctx(date(2027, 3, 1)), case_id=case.id, actor=COMMITTEE, reason="复查达标")
        advance(s, ctx(date(2027, 3, 1)), county=county(s), target="post_recognition", actor=COMMITTEE,
                reason="滑坡整改完成")
        path = [e.to_stage for e in stage_history(s, county=county(s))]
        assert path == ["annual_monitoring", "self_assessment", "prefecture_evaluation", "region_recommended",
                        "national_recognition", "post_recognition", "accountability", "post_recognition"]
        assert audit.verify_chain(s).ok
        actions = {e.action for e in s.exec(select(AuditEvent))}
        assert {"submission.upload", "submission.ingest", "stage.change", "verdict.record", "case.open",
                "case.close", "ledger.write", "evaluation.create"} <= actions


def test_returned_for_rectification_then_resubmitted(db, tmp_path, standard):
    _plan(db, tmp_path)
    first = self_assess(db, date(2025, 5, 10), school_csv(tmp_path / "a.csv", standard, failing={0, 1}))
    assert first["outcome"] == "not_met"
    with session_scope(db) as s:
        with pytest.raises(StageError, match="个问题未整改或未处理.*评估结论"):
            record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="approve", actor=COMMITTEE,
                           reason="通过")
    with session_scope(db) as s:
        with pytest.raises(StageError, match="县级用户泽普县教育局无权"):
            record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="return",
                           actor=county_user(), reason="自己退回")
    with session_scope(db) as s:
        verdict, _ = record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="return",
                                    actor=COMMITTEE, reason="2所学校体育场馆不足", deadline=date(2025, 10, 31))
        assert (county(s).stage, county(s).stage_deadline) == ("rectification", date(2025, 10, 31))
        again, created = record_verdict(s, ctx(date(2025, 7, 16)), county=county(s), decision="return",
                                        actor=COMMITTEE, reason="重复")
        assert not created and again.id == verdict.id
        with pytest.raises(StageError, match="已有地区督导结论（退回整改）"):
            record_verdict(s, ctx(date(2025, 7, 16)), county=county(s), decision="approve", actor=COMMITTEE,
                           reason="改判")
    second = self_assess(db, date(2025, 9, 1), school_workbook(tmp_path / "b.xlsx", standard))
    assert second["outcome"] == "pending" and second["evaluation_id"] != first["evaluation_id"]
    decide_judgements(db, date(2025, 9, 20))
    with session_scope(db) as s:
        record_verdict(s, ctx(date(2025, 9, 20)), county=county(s), decision="approve", actor=COMMITTEE,
                       reason="整改到位")
        assert county(s).stage == "region_recommended"
        assert [v.document_number for v in s.exec(select(ReviewVerdict))] == [
            "喀教督〔2025〕1号", "喀教督〔2025〕2号"]
        # the year's table was replaced: 10 rows, not the old ones plus the new
        assert count(s, SchoolYearFigures) == 10


def test_a_confirmed_veto_means_not_recognised(db, tmp_path, standard, monkeypatch):
    import inspection.services.submissions as submissions
    monkeypatch.setattr(submissions, "veto_scanner", lambda: lambda paths, std: {"findings": [
        {"condition": "key_school_or_class", "quote": "我县第一中学设立实验班，按成绩分班", "page": 3,
         "file": paths[0].name}], "declarations": []})
    _plan(db, tmp_path)
    sa = self_assess(db, date(2025, 5, 10), school_csv(tmp_path / "a.csv", standard))
    assert sa["outcome"] == "pending"      # a keyword hit is evidence to decide, not yet a veto
    with session_scope(db) as s:
        (veto,) = s.exec(select(Finding).where(Finding.kind == "veto")).all()
        assert "设立实验班" in veto.message
        veto_id = veto.id
        with pytest.raises(StageError, match="还有1项疑似不予认定情形待督导委员会核实"):
            record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="approve", actor=COMMITTEE,
                           reason="通过")
    with session_scope(db) as s:
        with pytest.raises(StageError, match="没有经核实的不予认定情形"):
            record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="veto", actor=COMMITTEE,
                           reason="设重点班")
    with session_scope(db) as s:
        assert decide_finding(s, ctx(date(2025, 7, 15)), finding_id=veto_id, status="confirmed",
                              actor=COMMITTEE, reason="现场核查属实")
        assert not decide_finding(s, ctx(date(2025, 7, 15)), finding_id=veto_id, status="confirmed",
                                  actor=COMMITTEE, reason="再次")
        assert s.get(Evaluation, sa["evaluation_id"]).outcome == "vetoed"
        record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="veto", actor=COMMITTEE,
                       reason="存在划分重点班情形")
        assert county(s).stage == "not_recognised"
        overrides = s.exec(select(AuditEvent).where(AuditEvent.action == "finding.decide")).all()
        assert len(overrides) == 1 and overrides[0].before["status"] == "open" and overrides[0].reason == "现场核查属实"


def test_a_missed_year_opens_a_case_once_and_escalates_when_overdue(db, tmp_path):
    _plan(db, tmp_path)
    with session_scope(db) as s:
        assert sweep_county(s, ctx(date(2025, 12, 31)), county=county(s)) == []
    with session_scope(db) as s:
        assert sweep_county(s, ctx(date(2026, 1, 1)), county=county(s)) == ["missed_recognition_year"]
        assert county(s).stage == "accountability"
    with session_scope(db) as s:
        events = count(s, AuditEvent)
        assert sweep_county(s, ctx(date(2026, 1, 1)), county=county(s)) == []   # same day: nothing new
        assert sweep_county(s, ctx(date(2026, 6, 30)), county=county(s)) == []   # deadline day itself
        assert count(s, AuditEvent) == events
    with session_scope(db) as s:
        (action,) = sweep_county(s, ctx(date(2026, 7, 1)), county=county(s))
        case = s.exec(select(AccountabilityCase)).one()
        assert action == f"escalate:{case.id}" and case.level == 1 and case.deadline == date(2026, 9, 29)
        assert sweep_county(s, ctx(date(2026, 7, 1)), county=county(s)) == []
        assert count(s, AccountabilityCase) == 1


def test_a_county_recommended_in_its_year_is_not_held_to_account_while_it_awaits_the_announcement(
        db, tmp_path, standard):
    _plan(db, tmp_path)
    self_assess(db, date(2025, 5, 10), school_workbook(tmp_path / "t.xlsx", standard))
    decide_judgements(db, date(2025, 11, 1))
    with session_scope(db) as s:
        record_verdict(s, ctx(date(2025, 11, 1)), county=county(s), decision="approve", actor=COMMITTEE,
                       reason="各项指标达到要求")
        assert county(s).stage == "region_recommended"
    with session_scope(db) as s:   # 1 January: its year has passed, the national announcement comes in spring
        assert sweep_county(s, ctx(date(2026, 1, 1)), county=county(s)) == []
        advance(s, ctx(date(2026, 1, 20)), county=county(s), target="national_recognition", actor=COMMITTEE,
                reason="自治区评估通过并公示")
    with session_scope(db) as s:
        assert sweep_county(s, ctx(date(2026, 2, 1)), county=county(s)) == []
        assert count(s, AccountabilityCase) == 0 and county(s).stage == "national_recognition"


def test_an_overdue_rectification_escalates_to_accountability(db, tmp_path, standard):
    _plan(db, tmp_path, "巴楚县")
    self_assess(db, date(2026, 3, 1), school_csv(tmp_path / "a.csv", standard, failing={0}), name="巴楚县")
    with session_scope(db) as s:
        record_verdict(s, ctx(date(2026, 4, 1)), county=county(s, "巴楚县"), decision="return", actor=COMMITTEE,
                       reason="1所学校未达标")
        assert county(s, "巴楚县").stage_deadline == date(2026, 7, 30)
    with session_scope(db) as s:
        assert sweep_county(s, ctx(date(2026, 7, 31)), county=county(s, "巴楚县")) == ["overdue_rectification"]
        assert county(s, "巴楚县").stage == "accountability"
        with pytest.raises(StageError, match="还有1个问责案件未结案"):
            advance(s, ctx(date(2026, 8, 1)), county=county(s, "巴楚县"), target="annual_monitoring",
                    actor=COMMITTEE, reason="整改完成")


def test_re_running_each_step_changes_nothing(db, tmp_path, standard):
    _plan(db, tmp_path)
    path = school_csv(tmp_path / "a.csv", standard, failing={0})
    self_assess(db, date(2025, 5, 10), path)
    models = (Submission, SchoolYearFigures, Evaluation, Finding, StageEvent, AuditEvent)
    with session_scope(db) as s:
        before = [count(s, m) for m in models]
        assert not demo_data.submit_plan(s, ctx(date(2022, 6, 30)), county=county(s), folder=tmp_path / "plans")
    again = self_assess(db, date(2025, 5, 10), path)
    assert not again["created"]
    with session_scope(db) as s:
        assert [count(s, m) for m in models] == before
        c = county(s)
        assert monitor_county(s, ctx(date(2025, 11, 1)), county=c, year=2025)["status"] == "written"
    with session_scope(db) as s:
        assert monitor_county(s, ctx(date(2025, 11, 1)), county=county(s), year=2025)["status"] == "unchanged"
        assert count(s, MonitoringLedger) == 1


def test_illegal_moves_are_refused_and_nothing_is_written(db, tmp_path):
    with session_scope(db) as s:
        events = count(s, AuditEvent)
        with pytest.raises(StageError, match="尚未提交本轮“经县委审核同意的优质均衡发展规划和年度计划”材料"):
            advance(s, ctx(date(2022, 6, 30)), county=county(s), target="annual_monitoring", actor=county_user())
        with pytest.raises(StageError, match="不能直接转入“国家认定”"):
            advance(s, ctx(date(2022, 6, 30)), county=county(s), target="national_recognition", actor=COMMITTEE)
        with pytest.raises(StageError, match="只能办理本县市事项"):
            advance(s, ctx(date(2022, 6, 30)), county=county(s, "巴楚县"), target="annual_monitoring",
                    actor=county_user())
        with pytest.raises(StageError, match="系统流程system无权"):
            advance(s, ctx(date(2022, 6, 30)), county=county(s), target="annual_monitoring", actor=Actor.system())
        assert count(s, AuditEvent) == events and county(s).stage == "plan_submission"


def test_the_round_s_documents_are_scanned_together_by_the_ingest_scan(db, tmp_path, standard):
    import docx
    report = docx.Document()
    report.add_paragraph("泽普县义务教育优质均衡发展自评报告")
    report.add_paragraph("经自查，我县第一中学2024年设立了实验班，按入学考试成绩分班。全县所有学校均未以考试方式招生。")
    report.save(tmp_path / "自评报告.docx")
    _plan(db, tmp_path)
    c = ctx(date(2025, 5, 10))
    with session_scope(db) as s:
        from inspection.services import evaluate_round, ingest_submission, scan_round, store_submission
        subs = [store_submission(s, c, county=county(s), path=p, kind="self_assessment", actor="泽普县教育局")[0]
                for p in (school_csv(tmp_path / "t.csv", standard), tmp_path / "自评报告.docx")]
        advance(s, c, county=county(s), target="self_assessment", actor=county_user())
        assert [ingest_submission(s, c, submission=sub, actor="t") for sub in subs] == [10, None]
        assert subs[1].status == "report"
        assert scan_round(s, c, submissions=subs, actor="t") == 2
        assert scan_round(s, c, submissions=subs, actor="t") == 2          # scanned once
        assert subs[0].scan["findings"] == [] and len(subs[1].scan["declarations"]) == 1
        evaluation = evaluate_round(s, c, county=county(s))
        assert evaluation.outcome == "pending"     # two findings, neither decided yet
        assert sorted(f.code for f in s.exec(select(Finding).where(Finding.kind == "veto"))) == [
            "exam_admission", "key_school_or_class"]


def test_a_long_chinese_file_name_is_kept_as_data_under_a_fixed_length_stored_name(db, tmp_path, standard):
    from inspection.services import store_submission
    long_name = "泽普县" + "义务教育优质均衡发展自评报告附件" * 5 + "（盖章版）.csv"
    assert len(long_name.encode()) > 240
    source = school_csv(tmp_path / "t.csv", standard)
    with session_scope(db) as s:
        sub, created = store_submission(s, ctx(date(2025, 5, 10)), county=county(s), path=source,
                                        kind="self_assessment", actor="泽普县教育局", filename=long_name)
        assert created and sub.filename == long_name
        from inspection.services.submissions import original
        stored = original(sub)
        assert stored.exists() and len(stored.name) == 36 and stored.suffix == ".csv"
        assert not sub.stored_path.startswith("/")        # relative to the data folder, which may move


def test_rows_left_out_and_the_veto_check_are_stated_through_the_database(db, tmp_path, standard):
    """A submitted table's 高中 and zero-student rows are left out with their notes, as `evaluate` says;
    with no narrative document the letter says the veto check is pending, with one it names it."""
    import docx

    from inspection.documents import build_letter, issue_for
    from inspection.documents.letter_layout import veto_sentence
    from inspection.documents.sources import case_from_database
    from tests.factories import school as row
    _plan(db, tmp_path)
    rows = [row(standard, f"第{k}小学") for k in range(3)]
    rows += [{**row(standard, "第一中学", "junior"), "stage": "高中"}, {**row(standard, "空校"), "students": 0}]
    first = self_assess(db, date(2025, 5, 10), write_csv(tmp_path / "t.csv", rows))
    c = ctx(date(2025, 5, 10))
    with session_scope(db) as s:
        result = s.get(Evaluation, first["evaluation_id"]).result
        assert {e["name"] for e in result["excluded"]} == {"第一中学", "空校"}
        assert any("高中阶段不属于义务教育" in e["reason"] for e in result["excluded"])
        case = case_from_database(s, c.standard, c.schedule, county="泽普县", year=2025)
        letter = build_letter(case, issue_for(c.schedule, serial=None, issued=date(2025, 7, 1)))
        assert veto_sentence(letter) == "不予认定情形核查待进行（申报材料中没有可核查的叙述材料）"
    report = docx.Document()
    report.add_paragraph("泽普县义务教育优质均衡发展自评报告：全县学校均按规定免试就近入学。")
    report.save(tmp_path / "泽普县自评报告.docx")
    with session_scope(db) as s:
        from inspection.services import ingest_submission, scan_round, store_submission
        sub, _ = store_submission(s, c, county=county(s), path=tmp_path / "泽普县自评报告.docx", kind="self_assessment",
                                  actor="泽普县教育局", year=2025)
        ingest_submission(s, c, submission=sub, actor="t")
        table_sub = s.get(Submission, first["submission_id"])
        table_sub.scan = None                          # scan the round again, now with the report in it
        from inspection.services.stages import pending_submissions
        scan_round(s, c, submissions=pending_submissions(s, county=county(s)), actor="t")
    with session_scope(db) as s:
        case = case_from_database(s, c.standard, c.schedule, county="泽普县", year=2025)
        letter = build_letter(case, issue_for(c.schedule, serial=None, issued=date(2025, 7, 1)))
        assert veto_sentence(letter).startswith("经核查《泽普县自评报告.docx》，未发现")


def _two_tables(db, tmp_path, standard):
    from inspection.services import store_submission
    a = school_csv(tmp_path / "a.csv", standard, n=6)
    b = write_csv(tmp_path / "b.csv", [school(standard, f"新{k}小学") for k in range(4)])
    c = ctx(date(2025, 5, 10))
    with session_scope(db) as s:
        subs = [store_submission(s, c, county=county(s), path=p, kind="self_assessment", actor="泽普县教育局",
                                 year=2025)[0].id for p in (a, b)]
    return c, subs


def test_a_second_school_table_replaces_the_first_and_says_so(db, tmp_path, standard):
    from inspection.services import ingest_submission
    c, (first, second) = _two_tables(db, tmp_path, standard)
    for sid in (first, second):
        with session_scope(db) as s:
            ingest_submission(s, c, submission=s.get(Submission, sid), actor="t")
    with session_scope(db) as s:
        assert s.get(Submission, first).status == "superseded" and "b.csv" in s.get(Submission, first).error
        assert s.get(Submission, second).status == "ingested" and count(s, SchoolYearFigures) == 4


def test_two_tables_read_at_the_same_moment_are_never_merged(db, tmp_path, standard):
    if not db.startswith("postgresql"):
        pytest.skip("SQLite serialises writers itself; the race is PostgreSQL's")
    import threading

    from inspection.services import ingest_submission
    c, subs = _two_tables(db, tmp_path, standard)
    barrier, errors = threading.Barrier(2), []

    def read(sid):
        try:
            barrier.wait()
            with session_scope(db) as s:
                ingest_submission(s, c, submission=s.get(Submission, sid), actor="t")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=read, args=(sid,)) for sid in subs]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert not errors
    with session_scope(db) as s:
        statuses = sorted(s.get(Submission, sid).status for sid in subs)
        assert statuses == ["ingested", "superseded"]
        winner = next(sid for sid in subs if s.get(Submission, sid).status == "ingested")
        assert count(s, SchoolYearFigures) == (4 if winner == subs[1] else 6)   # one table, never both
