"""Questions and answers through the web services (#12): who may ask, answer and see; who is told."""

import pytest

from inspection import webapi
from inspection.errors import AccessDenied, InspectionError


def test_the_committee_asks_the_county_answers_and_each_is_told(committee, zepu, bachu, observer):
    tid = webapi.threads.ask(committee, "泽普县", subject_kind="indicator", subject="R5", body="运动场地面积来源？")
    assert webapi.threads.my_notifications(zepu)["unread"] == 1
    assert webapi.threads.my_notifications(bachu)["unread"] == 0          # another county is not told
    with pytest.raises(AccessDenied):
        webapi.threads.answer(bachu, tid, body="不是我县的问询")
    with pytest.raises(AccessDenied):
        webapi.threads.county_threads(bachu, "泽普县")
    with pytest.raises(AccessDenied):
        webapi.threads.county_threads(observer, "泽普县")
    with pytest.raises(AccessDenied):
        webapi.threads.ask(zepu, "泽普县", subject_kind="general", subject="x", body="县市不能提问询")
    before = webapi.threads.my_notifications(committee)["unread"]
    webapi.threads.answer(zepu, tid, body="据学校平面图测量。")
    assert webapi.threads.my_notifications(committee)["unread"] == before + 1
    assert webapi.threads.close(committee, tid, decision="认可。")
    with pytest.raises(InspectionError, match="已处理完毕"):
        webapi.threads.answer(zepu, tid, body="补充说明")
    [thread] = webapi.threads.county_threads(zepu)
    assert thread["status"] == "closed" and [m["role"] for m in thread["messages"]] == ["committee", "county"]
    assert webapi.threads.read_all(zepu) == 2 and webapi.threads.my_notifications(zepu)["unread"] == 0


def test_an_empty_question_or_decision_is_refused(committee):
    with pytest.raises(InspectionError, match="请填写问询内容"):
        webapi.threads.ask(committee, "泽普县", subject_kind="general", subject="总体", body=" ")
    tid = webapi.threads.ask(committee, "泽普县", subject_kind="general", subject="总体", body="请说明")
    with pytest.raises(InspectionError, match="请填写处理意见"):
        webapi.threads.close(committee, tid, decision="")


def test_a_deadline_within_30_days_and_an_escalation_are_told_once(ui_db, zepu, committee):
    from datetime import date

    from inspection.db import repo, session_scope
    from inspection.services import make_context, sweep_county
    with session_scope() as s:
        bachu = repo.get_county(s, name="巴楚县")      # annual monitoring: self-assessment due 2027-06-30
        for day in (date(2027, 6, 1), date(2027, 6, 2)):   # the daily sweep, twice: told once
            sweep_county(s, make_context("sweep", day), county=bachu)
    bachu_user = __import__("tests.ui.conftest", fromlist=["principal"]).principal("bachu")
    told = [n for n in webapi.threads.my_notifications(bachu_user)["items"] if n["kind"] == "deadline"]
    assert [n["text"] for n in told] == ["巴楚县：2027-06-30 提交县级自评材料，还有29天。"]
    assert any(n["kind"] == "deadline" for n in webapi.threads.my_notifications(committee)["items"])
    assert not any(n["kind"] == "deadline" for n in webapi.threads.my_notifications(zepu)["items"])
    with session_scope() as s:
        zepu_county = repo.get_county(s, name="泽普县")    # past its year: a case opens, then goes overdue
        assert sweep_county(s, make_context("sweep", date(2026, 6, 1)), county=zepu_county) == ["missed_recognition_year"]
        (action,) = sweep_county(s, make_context("sweep", date(2027, 1, 1)), county=zepu_county)
        assert action.startswith("escalate:")
    escalations = [n["text"] for n in webapi.threads.my_notifications(zepu)["items"] if n["kind"] == "escalation"]
    assert len(escalations) == 1 and "问责事项已升级为" in escalations[0]
