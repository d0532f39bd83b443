"""County-level indicators on the web (issue 10): the county fills the same figures as the 县级指标
sheet, sees the current value and a confirmation; the committee decides the judged ones; 推荐 is
refused while anything is pending, through the service facade and the page."""

import pytest
from streamlit.testing.v1 import AppTest

from inspection import webapi
from inspection.errors import AccessDenied, InspectionError
from inspection.standard import load_standard
from tests.factories import passing_county_values
from tests.ui.conftest import APP, YEAR, csv_bytes, principal


def _fill_all(user, county=None):
    """Every declared county figure, as the county writes it (the web form takes the sheet's forms)."""
    std = load_standard()
    for ind in std.county_indicators:
        if ind.computed:
            continue
        value = passing_county_values(std, year=YEAR)[ind.id]
        webapi.save_county_indicator(user, county, year=YEAR, indicator_id=ind.id,
                                     value=value if isinstance(value, dict) else str(value), evidence="自评报告 第5页")


def test_the_form_lists_every_indicator_with_its_current_value(zepu):
    form = webapi.county_indicator_form(zepu)
    std = load_standard()
    assert [i["id"] for i in form["indicators"]] == [i.id for i in std.county_indicators]
    q1 = next(i for i in form["indicators"] if i["id"] == "Q1")
    assert q1["text"] == "" and q1["met"] is None and "96" in q1["requirement"]
    saved = webapi.save_county_indicator(zepu, year=YEAR, indicator_id="Q1", value="96.4", evidence="控辍保学台账")
    assert saved["after"] == 96.4 and saved["met"] is True and saved["before"] is None
    again = next(i for i in webapi.county_indicator_form(zepu)["indicators"] if i["id"] == "Q1")
    assert again["text"] == "96.4" and again["evidence"] == "控辍保学台账" and again["source"] == "网页填报（zepu）"
    assert again["met"] is True
    g7 = next(i for i in form["indicators"] if i["id"] == "G7")
    assert "部分省份" in g7["assumption"]


@pytest.mark.parametrize("ind_id, value, message", [("G1", "1", "应填“是”或“否”"), ("S1", "120", "不能超过100"),
                                                    ("G13", "98", "缺少小学、初中数值"),
                                                    ("K5", {YEAR: "10", YEAR - 2: "9"}, f"缺少{YEAR - 1}年"),
                                                    ("Q1", " ", "请填写数值")])
def test_bad_values_are_refused_with_the_reason(zepu, ind_id, value, message):
    with pytest.raises(InspectionError, match=message):
        webapi.save_county_indicator(zepu, year=YEAR, indicator_id=ind_id, value=value)


def test_a_county_cannot_fill_another_countys_figures(zepu, observer):
    with pytest.raises(AccessDenied):
        webapi.save_county_indicator(zepu, "巴楚县", year=YEAR, indicator_id="Q1", value="97")
    with pytest.raises(AccessDenied):
        webapi.save_county_indicator(observer, "泽普县", year=YEAR, indicator_id="Q1", value="97")


def test_recommendation_waits_for_every_figure_and_every_judgement(zepu, committee):
    webapi.upload(zepu, filename="泽普县.csv", data=csv_bytes("泽普县", n=3, ready=True))
    _fill_all(zepu)
    done = webapi.submit_for_review(zepu)
    assert done["outcome"] == "pending"
    with pytest.raises(InspectionError, match="待补充数据或待督导认定（G1、G2"):
        webapi.record_verdict(committee, "泽普县", decision="approve", reason="各项指标达到要求")
    view = webapi.evaluation_view(committee, "泽普县")
    judged = [f for f in view["findings"] if f["kind"] == "judgement"]
    assert [f["code"] for f in judged] == [i.id for i in load_standard().county_indicators if i.judged]
    with pytest.raises(AccessDenied):
        webapi.decide_finding(zepu, judged[0]["id"], decision="met", reason="本县自认达标")
    for f in judged:
        webapi.decide_finding(committee, f["id"], decision="met", reason="查阅佐证材料属实")
    ev = webapi.evaluation_view(committee, "泽普县")["evaluation"]
    assert ev["outcome"] == "met", ev["reasons"]
    verdict = webapi.record_verdict(committee, "泽普县", decision="approve", reason="各项指标达到要求")
    assert verdict["stage"] == "region_recommended"


def test_a_judgement_decided_not_met_makes_the_round_not_met(zepu, committee):
    webapi.upload(zepu, filename="泽普县.csv", data=csv_bytes("泽普县", n=3, ready=True))
    _fill_all(zepu)
    webapi.submit_for_review(zepu)
    judged = [f for f in webapi.evaluation_view(committee, "泽普县")["findings"] if f["kind"] == "judgement"]
    webapi.decide_finding(committee, judged[0]["id"], decision="not_met", reason="规划布局不合理，学校分布不均")
    ev = webapi.evaluation_view(committee, "泽普县")["evaluation"]
    assert ev["outcome"] == "not_met" and any("G1" in r and "经督导认定未达标" in r for r in ev["reasons"])


def _page(user: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_principal"] = principal(user)
    at.session_state["_lang"] = lang
    at.run()
    at.switch_page("inspection/ui/pages/county_indicators.py")
    return at.run()


def test_the_page_saves_a_figure_and_confirms_it(zepu):
    at = _page("zepu")
    assert not at.exception and at.title[0].value == "县级指标"
    at.text_input(key="ci-Q1-v").input("97.5")
    at.text_input(key="ci-Q1-e").input("学籍系统统计")
    next(b for b in at.button if b.label == "保存" and "ci-Q1" in str(b.form_id)).click()
    at.run()
    assert not at.exception
    assert any("已保存 Q1：97.5（达标）" in s.value for s in at.success), [s.value for s in at.success]
    bad = _page("zepu")
    bad.text_input(key="ci-S1-v").input("120")
    next(b for b in bad.button if "ci-S1" in str(b.form_id)).click()
    bad.run()
    assert any("不能超过100" in e.value for e in bad.error) and not bad.success


def test_a_yes_no_indicator_offers_yes_and_no_in_english_and_saves_是_or_否(zepu):
    at = _page("zepu", "en")
    box = at.selectbox(key="ci-G1-v")
    assert [o for o in box.options if o] == ["Yes", "No"]   # the labels shown (AppTest gives them)


def test_the_committee_sees_the_page_too(committee):
    at = _page("weiyuan")
    assert not at.exception and at.title[0].value == "县级指标"


def test_the_workbook_through_the_web_and_one_verdict_everywhere(zepu, committee, tmp_path):
    """A county uploads the generated workbook with both sheets; the committee decides the judged
    items; the evaluation, the status, the letter and the ledger state the same four-part verdict."""
    from datetime import date

    from inspection import demo
    from inspection.db import session_scope
    from inspection.documents import build_ledger, build_letter, issue_for
    from inspection.documents.sources import case_from_database
    from inspection.services import county_status, make_context
    from tests.factories import write_workbook
    std = load_standard()
    schools = demo.county_schools(std, "泽普县", 2025, 7, ready=True)[:4]
    book = write_workbook(tmp_path / "泽普县自评数据表.xlsx", [{"name": s.name, "stage": s.stage, **s.figures}
                                                         for s in schools], passing_county_values(std, year=YEAR))
    sub = webapi.upload(zepu, filename=book.name, data=book.read_bytes())
    assert sub["status"] == "ingested", sub
    q1 = next(i for i in webapi.county_indicator_form(zepu)["indicators"] if i["id"] == "Q1")
    assert q1["text"] == "96" and "泽普县自评数据表.xlsx" in q1["source"] and "县级指标" in q1["source"]
    assert webapi.submit_for_review(zepu)["outcome"] == "pending"
    for f in webapi.evaluation_view(committee, "泽普县")["findings"]:
        if f["kind"] == "judgement":
            webapi.decide_finding(committee, f["id"], decision="met", reason="查阅佐证材料属实")
    ctx = make_context("test", date(YEAR, 6, 1))
    with session_scope() as s:
        status = {r["county"]: r for r in county_status(s, ctx)}["泽普县"]["latest_evaluation"]
        case = case_from_database(s, ctx.standard, ctx.schedule, county="泽普县", year=YEAR)
    assert status["outcome"] == "met" and status["pending"] == [] and status["county_unmet"] == []
    assert case.verdict.outcome == "met"
    letter = build_letter(case, issue_for(ctx.schedule, serial=None, issued=date(YEAR, 7, 1)))
    assert letter.verdict.outcome == "met" and all(a.conclusion == "达标" for a in letter.areas)
    ledger = build_ledger(case)
    assert ledger.unmet == () and {r.indicator for r in ledger.met} >= {i.id for i in std.county_indicators}
    assert webapi.record_verdict(committee, "泽普县", decision="approve", reason="各项指标达到要求")["stage"] == \
        "region_recommended"
