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
