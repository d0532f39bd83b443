"""The intake growth fitted from a county's stored figures of several years, used for its plan."""

from datetime import date

import pytest

from inspection.db import repo, session_scope
from inspection.planning import load_costs
from inspection.services.planning import fitted_intake_growth, plan_from_database
from tests.factories import school, to_table


def _store(s, county, standard, year, students):
    table = to_table([school(standard, "一小", students=students), school(standard, "一中", "junior", students=400)])
    repo.store_school_table(s, county=county, year=year, table=table, actor="test")
    return table


def test_growth_is_fitted_from_the_years_stored_and_used(db, standard):
    with session_scope(db) as s:
        county = repo.get_county(s, name="泽普县")
        assert fitted_intake_growth(s, county=county) is None
        for year, students in ((2023, 1000), (2024, 1030), (2025, 1060.9)):
            table = _store(s, county, standard, year, students)
        assert fitted_intake_growth(s, county=county) == pytest.approx(0.03, abs=1e-3)
        result = plan_from_database(s, county=county, table=table, table_year=2025, year=2028,
                                    standard=standard, costs=load_costs())
        assert result.assumptions.source == "按历年在校生拟合"
        assert result.assumptions.intake_growth == pytest.approx(0.03, abs=1e-3)
        given = plan_from_database(s, county=county, table=table, table_year=2025, year=2028, standard=standard,
                                   costs=load_costs(), intake_growth=0.0)
        assert given.assumptions.source == "用户指定" and given.plan.passed


def test_what_if_plans_are_saved_as_versions_compared_and_cited(db, standard):
    from inspection.planning_whatif import Addition, WhatIfPlan
    from inspection.services.planning import compare_versions, plan_citation, save_what_if
    table = to_table([school(standard, "一小", students=500, ratios={"R3": 0.6}), school(standard, "二小", students=700)])
    costs = load_costs()
    with session_scope(db) as s:
        county = repo.get_county(s, name="泽普县")
        first = WhatIfPlan(title="补体育教师", edits=[Addition(school="一小", stage="小学", field="pe_teachers", amount=1)])
        second = WhatIfPlan(title="补体育教师", edits=[Addition(school="一小", stage="小学", field="pe_teachers", amount=2)])
        save_what_if(s, county=county, name="体育", table=table, year=2025, plan=first, standard=standard,
                     costs=costs, actor="泽普县教育局")
        saved = save_what_if(s, county=county, name="体育", table=table, year=2025, plan=second, standard=standard,
                             costs=costs, actor="泽普县教育局", attached_to="rectification", case_id=3)
        rows = compare_versions(s, county=county, name="体育")
        assert [r["version"] for r in rows] == [1, 2]
        assert [r["resource_passed"] for r in rows] == [False, True]
        assert rows[0]["remaining_cost_wan"] > 0 == rows[1]["remaining_cost_wan"]
        assert rows[1]["attached_to"] == "rectification" and saved.case_id == 3
        assert "第2版" in plan_citation(saved) and "实施后资源配置达标" in plan_citation(saved)


def test_the_rectification_notice_cites_the_plan_attached_to_it(db, standard):
    from inspection.documents import county_document, issue_for
    from inspection.documents.case import case_from_table
    from inspection.documents.model import Paragraph
    from inspection.planning_whatif import Addition, WhatIfPlan
    from inspection.services.planning import rectification_citation, save_what_if
    from inspection.standard import load_schedule
    table = to_table([school(standard, "一小", students=500, ratios={"R3": 0.6}), school(standard, "二小", students=700)])
    schedule = load_schedule()
    with session_scope(db) as s:
        county = repo.get_county(s, name="泽普县")
        assert rectification_citation(s, county="泽普县") == ""
        plan = WhatIfPlan(title="体育教师补充方案", edits=[Addition(school="一小", stage="小学", field="pe_teachers", amount=2)])
        save_what_if(s, county=county, name="体育", table=table, year=2025, plan=plan, standard=standard,
                     costs=load_costs(), actor="泽普县教育局", attached_to="rectification")
        cited = rectification_citation(s, county="泽普县")
    assert cited.startswith("《体育教师补充方案》")
    case = case_from_table(table, standard, schedule.county("泽普县"), 2025)
    doc = county_document(case, issue_for(schedule, serial=3, issued=date(2026, 1, 5)),
                          "rectification", plan_citation=cited)
    text = "".join(b.text for b in doc.blocks() if isinstance(b, Paragraph))
    assert "整改方案可参照《体育教师补充方案》" in text and "按暂定单价" in text


def test_the_monitoring_report_cites_the_plan_attached_to_a_countys_annual_plan(db, standard):
    """A plan saved with 附于 年度计划 is named beside its county in the annual monitoring report; a plan
    attached to the rectification is not, and a county with none has no citation."""
    from inspection.documents import prefecture_document, issue_for
    from inspection.documents.case import case_from_table
    from inspection.documents.model import Paragraph
    from inspection.planning_whatif import Move, WhatIfPlan
    from inspection.services.planning import annual_plan_citations, save_what_if
    from inspection.standard import load_schedule
    table = to_table([school(standard, "一小", students=500, ratios={"R3": 0.6}), school(standard, "二小", students=700)])
    schedule = load_schedule()
    with session_scope(db) as s:
        county = repo.get_county(s, name="泽普县")
        for name, attached in (("整改用", "rectification"), ("分流方案", "annual_plan")):
            plan = WhatIfPlan(title=name, edits=[Move(school="一小", stage="小学", to_school="二小", to_stage="小学",
                                                     students=50)])
            save_what_if(s, county=county, name=name, table=table, year=2025, plan=plan, standard=standard,
                         costs=load_costs(), actor="泽普县教育局", attached_to=attached)
        cited = annual_plan_citations(s, counties=["泽普县", "巴楚县"])
    assert list(cited) == ["泽普县"] and cited["泽普县"].startswith("《分流方案》")
    cases = [case_from_table(table, standard, schedule.county(c), 2025) for c in ("泽普县", "巴楚县")]
    doc = prefecture_document(cases, issue_for(schedule, serial=1, issued=date(2026, 1, 5)),
                              prefecture="喀什地区", year=2025, plan_citations=cited)
    sentences = {b.lead: b.text for b in doc.blocks() if isinstance(b, Paragraph) and b.lead}
    assert "年度计划附推演方案《分流方案》" in sentences["泽普县。"] and "整改用" not in sentences["泽普县。"]
    assert "推演方案" not in sentences["巴楚县。"]
