"""达标测算 on the web (issue 15): cost by year and school, what-if plans evaluated and saved as
versions, through the service facade (access-checked) and the page."""

import pytest
from streamlit.testing.v1 import AppTest

from inspection import webapi
from inspection.errors import AccessDenied
from tests.ui.conftest import APP, principal


def test_the_view_costs_every_year_to_the_recognition_year(zepu, committee):
    view = webapi.planning_view(committee, "巴楚县")
    years = [y["year"] for y in view["by_year"]]
    assert years == list(range(view["table_year"], view["recognition_year"] + 1))
    assert all(y["passed_after"] for y in view["by_year"]) and view["by_school"]
    assert view["by_year"][-1]["cost_wan"] == pytest.approx(sum(s["cost_wan"] for s in view["by_school"]), abs=0.1)
    limits = view["size_limits"]
    assert limits["cost_wan"] == pytest.approx(sum(r["费用（万元）"] for r in limits["classes"] + limits["schools"]))
    assert "暂定" in limits["assumption"]


def test_a_what_if_plan_is_evaluated_and_saved_as_versions(zepu, observer):
    view = webapi.planning_view(zepu)
    first = view["additions"][0]
    header, amount = next((h, v) for h, v in first.items() if h not in ("学校名称", "学段"))
    from inspection.columns import canonical_columns
    field = next(c.field for c in canonical_columns() if c.header == header)
    plan = {"title": "试算", "edits": [{"kind": "add", "school": first["学校名称"], "stage": first["学段"],
                                        "field": field, "amount": amount}]}
    result = webapi.what_if_view(zepu, plan=plan)
    assert result["after"]["remaining_cost_wan"] < result["before"]["remaining_cost_wan"]
    cv = {(r["学段"], r["指标"].split()[0]): r for r in result["cv_rows"]}
    assert cv[("小学", "R1")]["推演后"] == result["after"]["cv"]["primary"]["R1"] and cv[("小学", "R1")]["限值"] == 0.5
    assert webapi.save_what_if_plan(zepu, name="试算", plan=plan)["version"] == 1
    second = webapi.save_what_if_plan(zepu, name="试算", plan=plan, attached_to="annual_plan")
    assert second["version"] == 2 and [v["version"] for v in second["versions"]] == [1, 2]
    assert "第2版" in second["citation"]
    with pytest.raises(AccessDenied):
        webapi.save_what_if_plan(observer, "泽普县", name="x", plan=plan)


def _open_page() -> AppTest:
    """The 达标测算 page as 泽普县 sees it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_principal"] = principal("zepu")
    at.run()
    at.switch_page("inspection/ui/pages/planning.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_page_draws_both_charts(zepu):
    at = _open_page()
    assert at.title[0].value == "达标测算"
    assert len(at.get("vega_lite_chart")) == 2                  # cost by year, cost by school
    at.number_input(key="plan-growth").set_value(0.05).run()
    assert not at.exception and "+5.0%" in at.caption[0].value and "用户指定" in at.caption[0].value


def test_the_page_sets_the_saved_versions_of_a_plan_side_by_side(zepu):
    plan = {"title": "操场", "edits": [{"kind": "add", "school": "泽普县第1小学", "stage": "小学",
                                        "field": "sports_area", "amount": 100.0}]}
    webapi.save_what_if_plan(zepu, name="操场", plan=plan)
    plan["edits"].append({"kind": "move", "school": "泽普县第1小学", "stage": "小学", "to_school": "泽普县第2小学",
                          "to_stage": "小学", "students": 50})
    webapi.save_what_if_plan(zepu, name="操场", plan=plan, attached_to="rectification")
    at = _open_page()
    assert "已保存方案：版本比较" in [h.value for h in at.subheader]
    frame = at.dataframe[-1].value
    assert list(frame.columns) == ["第1版", "第2版"]
    assert frame.loc["调整项数"].tolist() == ["1", "2"] and frame.loc["附于"].tolist() == ["不附", "整改"]


def test_a_plan_attached_to_the_annual_plan_is_cited_in_the_report_the_web_page_makes(zepu, committee):
    import io

    import docx
    plan = {"title": "年度分流", "edits": [{"kind": "move", "school": "泽普县第1小学", "stage": "小学",
                                           "to_school": "泽普县第2小学", "to_stage": "小学", "students": 30}]}
    webapi.save_what_if_plan(zepu, name="年度分流", plan=plan, attached_to="annual_plan")
    got = webapi.prefecture_report(committee, "docx")
    text = "".join(p.text for p in docx.Document(io.BytesIO(got["data"])).paragraphs)
    assert "泽普县。" in text and "年度计划附推演方案《年度分流》（推演方案“年度分流”第1版" in text
