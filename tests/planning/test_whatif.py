"""What-if plans (inspection/planning_whatif.py): edits change the verdict, the CVs and the cost left."""

import json

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.errors import InspectionError
from inspection.planning import load_costs, plan_additions, plan_json
from inspection.planning_whatif import Addition, Move, WhatIfPlan, apply_edits, what_if
from tests.factories import school, to_table, write_csv

runner = CliRunner()


def _rows(standard):
    return [school(standard, "一小", students=500, ratios={"R3": 0.6}),
            school(standard, "二小", students=800, ratios={"R5": 0.7, "R6": 0.8}),
            school(standard, "三小", students=600)]


def test_the_plans_own_additions_as_edits_pass_and_leave_nothing(standard):
    costs = load_costs()
    table = to_table(_rows(standard))
    plan = plan_json(plan_additions(table, standard, costs))
    header_field = {"体育专任教师数": "pe_teachers", "体育运动场馆面积（平方米）": "sports_area",
                    "教学仪器设备值（万元）": "equipment_value"}
    edits = [Addition(school=a["学校名称"], stage=a["学段"], field=header_field[h], amount=v)
             for a in plan["additions"] for h, v in a.items() if h in header_field]
    result = what_if(table, standard, costs, WhatIfPlan(edits=edits))
    assert not result.before.passed and result.after.passed
    assert result.after.remaining_wan == 0 and result.before.remaining_wan == plan["cost_wan"]
    assert result.edits_cost_wan == pytest.approx(plan["cost_wan"], abs=0.05)


def test_some_pe_teachers_lower_the_remaining_cost_but_do_not_pass(standard):
    costs = load_costs()
    table = to_table(_rows(standard))
    result = what_if(table, standard, costs, WhatIfPlan(edits=[Addition(school="一小", stage="小学",
                                                                       field="pe_teachers", amount=1)]))
    assert not result.after.passed
    assert result.after.remaining_wan < result.before.remaining_wan
    assert result.edits_cost_wan == 9.6


def test_moving_students_changes_both_schools_and_the_cvs(standard):
    table = to_table(_rows(standard))
    moved = apply_edits(table, WhatIfPlan(edits=[Move(school="二小", stage="primary", to_school="三小",
                                                     to_stage="primary", students=200)]))
    assert moved.figures["students"].tolist() == [500, 600, 800]
    result = what_if(table, standard, load_costs(), WhatIfPlan(edits=[Move(
        school="二小", stage="小学", to_school="三小", to_stage="小学", students=200)]))
    assert result.after.cv["primary"]["R5"] != result.before.cv["primary"]["R5"]


def test_an_edit_of_an_unknown_school_is_refused(standard):
    with pytest.raises(InspectionError, match="不在学校数据表中"):
        apply_edits(to_table(_rows(standard)), WhatIfPlan(edits=[Addition(school="无", stage="小学",
                                                                          field="pe_teachers", amount=1)]))


def test_the_cli_shows_a_what_if_plan(standard, tmp_path):
    path = write_csv(tmp_path / "t.csv", _rows(standard))
    edits = tmp_path / "plan.json"
    edits.write_text(json.dumps({"title": "先补体育教师", "edits": [
        {"kind": "add", "school": "一小", "stage": "小学", "field": "pe_teachers", "amount": 2}]},
        ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["plan", str(path), "--county", "泽普县", "--what-if", str(edits), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["what_if"]
    assert data["edits_cost_wan"] == 19.2 and data["after"]["remaining_cost_wan"] < data["before"]["remaining_cost_wan"]


def test_renting_a_venue_nearby_counts_for_grounds_and_is_costed_as_rent(standard):
    """A county that can rent a sports venue within 10 minutes' walk (the table cannot say so) writes
    it into its plan: it counts toward R5 as the standard allows, at the cost file's rent (暂定)."""
    costs = load_costs()
    table = to_table(_rows(standard))
    short = 800 * 7.5 * 0.3                                       # 二小 is at 70 % of 7.5 m²/student
    rent = WhatIfPlan(edits=[Addition(school="二小", stage="小学", field="rented_sports_area", amount=short)])
    result = what_if(table, standard, costs, rent)
    r5 = [i.id for i in standard.resource_indicators].index("R5")
    from inspection.rules.resources import evaluate_resources
    assert evaluate_resources(result.table, standard).met[1, r5]
    item = next(i for i in costs.items if i.field == "rented_sports_area")
    assert result.edits_cost_wan == pytest.approx(short * item.cost_wan)
    assert "待委员会确认" in item.assumption
    assert result.after.remaining_wan < result.before.remaining_wan
