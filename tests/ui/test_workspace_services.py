"""The review workspace's services (#12): the inbox, assignment, bulk decisions, and a county's
history (two tables compared; the audit trail as a timeline)."""

import pytest

from inspection import webapi
from inspection.errors import AccessDenied, InspectionError
from tests.ui.conftest import csv_bytes


def test_the_inbox_lists_what_each_county_waits_for_and_who_reviews_it(committee, zepu):
    rows = {r["county"]: r for r in webapi.inbox.inbox(committee)}
    assert len(rows) == 12 and rows["巴楚县"]["vetoes"] == 1 and rows["泽普县"]["vetoes"] == 0
    assert rows["泽普县"]["overdue"] and rows["泽普县"]["days_left"] < 0
    webapi.threads.ask(committee, "泽普县", subject_kind="general", subject="总体", body="请说明")
    webapi.inbox.assign(committee, "泽普县", reviewer="weiyuan")
    row = next(r for r in webapi.inbox.inbox(committee) if r["county"] == "泽普县")
    assert row["questions"] == 1 and row["status"] == "wait" and row["reviewer"] == "weiyuan"
    with pytest.raises(InspectionError, match="不是督导委员会的账号"):
        webapi.inbox.assign(committee, "泽普县", reviewer="zepu")
    with pytest.raises(AccessDenied):
        webapi.inbox.inbox(zepu)


def test_several_findings_are_decided_with_one_reason_all_or_none(committee, bachu):
    view = webapi.evaluation_view(committee, "巴楚县")
    veto = next(f for f in view["findings"] if f["kind"] == "veto")
    other = next(f for f in webapi.evaluation_view(committee, "泽普县")["findings"])
    with pytest.raises(InspectionError, match="不属于巴楚县"):
        webapi.decide_findings(committee, "巴楚县", [veto["id"], other["id"]], decision="dismissed", reason="经核实不属实")
    assert next(f for f in webapi.evaluation_view(committee, "巴楚县")["findings"] if f["id"] == veto["id"])["status"] == "open"
    assert webapi.decide_findings(committee, "巴楚县", [veto["id"]], decision="dismissed", reason="经核实不属实") == 1
    with pytest.raises(AccessDenied):
        webapi.decide_findings(bachu, "巴楚县", [veto["id"]], decision="confirmed", reason="县市不能认定")


def test_two_tables_compared_and_the_timeline_reads_as_what_happened(committee, zepu):
    first = webapi.upload(zepu, filename="第一版.csv", data=csv_bytes("泽普县", n=4, seed=7))
    second = webapi.upload(zepu, filename="第二版.csv", data=csv_bytes("泽普县", n=5, seed=8))
    tables = webapi.history.school_tables(committee, "泽普县")
    assert [t["id"] for t in tables] == [second["id"], first["id"]] and tables[1]["status"] == "superseded"
    diff = webapi.history.compare_submissions(committee, "泽普县", first["id"], second["id"])
    assert diff["added"] == [("泽普县第5小学", "primary")] and not diff["removed"]
    assert diff["changed"] and all(a != b for *_, a, b in diff["changed"])
    events = webapi.history.county_timeline(committee, "泽普县")
    whats = [e["what"] for e in events]
    assert "上传材料" in whats and "数据表被替代" in whats and "读取学校数据" in whats
    assert any("第二版.csv" in e["detail"] for e in events if e["what"] == "上传材料")
    with pytest.raises(AccessDenied):
        webapi.history.county_timeline(zepu, "泽普县")
