"""The cycle as data and its pure state machine: transitions, roles, requirements, deadlines."""

from datetime import date

import pytest

from inspection.cycle import Actor, Facts, check_transition, load_cycle, plan_move, stage_deadline
from inspection.errors import StageError, StandardError

COMMITTEE = Actor("委员甲", "committee")
ZEPU = Actor("泽普县教育局", "county", "泽普县")
SYSTEM = Actor.system()
MAIN_LINE = ["plan_submission", "annual_monitoring", "self_assessment", "prefecture_evaluation",
             "region_recommended", "national_recognition", "post_recognition"]


@pytest.fixture(scope="module")
def cycle():
    return load_cycle()


def test_the_main_line_and_branches_are_in_the_data(cycle):
    assert cycle.cycle.initial == "plan_submission"
    for a, b in zip(MAIN_LINE, MAIN_LINE[1:]):
        assert cycle.transition(a, b) is not None, (a, b)
    assert [cycle.stage_zh(s) for s in MAIN_LINE] == ["规划提交", "年度监测", "县级自评", "地区督导评估",
                                                      "推荐自治区评估", "国家认定", "认定后复查"]
    assert cycle.transition("prefecture_evaluation", "rectification").requires == ("reason",)
    assert "veto_confirmed" in cycle.transition("prefecture_evaluation", "not_recognised").requires
    assert cycle.transition("post_recognition", "accountability").by == ("system", "committee")
    # every stage is reachable from the first one
    reached, frontier = {"plan_submission"}, ["plan_submission"]
    while frontier:
        for t in cycle.transitions_from(frontier.pop()):
            if t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == {s.id for s in cycle.stages}


def test_an_illegal_transition_is_refused_with_the_allowed_ones(cycle):
    facts = Facts(county="泽普县", stage="annual_monitoring")
    with pytest.raises(StageError) as err:
        check_transition(cycle, facts, "post_recognition", COMMITTEE)
    assert "不能直接转入“认定后复查”" in err.value.zh and "可转入：县级自评、问责整改" in err.value.zh
    assert "cannot move to 'post_recognition'" in err.value.en
    assert err.value.details["why"] == "no_such_transition"


def test_roles_are_checked_and_a_county_acts_only_for_itself(cycle):
    facts = Facts(county="泽普县", stage="prefecture_evaluation", evaluated=True)
    with pytest.raises(StageError, match="县级用户泽普县教育局无权") as err:
        check_transition(cycle, facts, "region_recommended", ZEPU)
    assert err.value.details["why"] == "role"
    other = Facts(county="巴楚县", stage="annual_monitoring", documents=frozenset({"self_assessment"}))
    with pytest.raises(StageError, match="只能办理本县市事项"):
        check_transition(cycle, other, "self_assessment", ZEPU)
    mine = Facts(county="泽普县", stage="annual_monitoring", documents=frozenset({"self_assessment"}))
    assert check_transition(cycle, mine, "self_assessment", ZEPU).target == "self_assessment"


def test_every_unmet_requirement_is_listed(cycle):
    facts = Facts(county="泽普县", stage="prefecture_evaluation", evaluated=True, open_findings=2, open_vetoes=1,
                  outcome="pending", pending=("G1", "S1"))
    with pytest.raises(StageError) as err:
        check_transition(cycle, facts, "region_recommended", COMMITTEE)
    assert err.value.zh.endswith("还有2个问题未整改或未处理；还有1项疑似不予认定情形待督导委员会核实；"
                                 "尚有2项指标待补充数据或待督导认定（G1、S1），评估结论不是“达标”")
    assert len(err.value.details["unmet"]) == 3
    with pytest.raises(StageError, match="没有经核实的不予认定情形"):
        check_transition(cycle, facts, "not_recognised", COMMITTEE, reason="x")
    with pytest.raises(StageError, match="须说明理由"):
        check_transition(cycle, facts, "rectification", COMMITTEE, reason="  ")
    with pytest.raises(StageError, match="尚未提交本轮“县级自评报告及学校数据表”材料"):
        check_transition(cycle, Facts(county="泽普县", stage="annual_monitoring"), "self_assessment", ZEPU)
    recognised = Facts(county="泽普县", stage="accountability", open_cases=1, recognised=True)
    with pytest.raises(StageError, match="还有1个问责案件未结案；该县市已通过国家认定"):
        check_transition(cycle, recognised, "annual_monitoring", COMMITTEE, reason="整改完成")


def test_recommendation_needs_the_whole_verdict_met(cycle):
    done = dict(county="泽普县", stage="prefecture_evaluation", evaluated=True)
    for outcome in ("pending", "not_met", "vetoed", None):
        with pytest.raises(StageError, match="不能推荐|待补充"):
            check_transition(cycle, Facts(**done, outcome=outcome), "region_recommended", COMMITTEE)
    assert check_transition(cycle, Facts(**done, outcome="met"), "region_recommended", COMMITTEE)


def test_deadlines_come_from_the_data(cycle):
    facts = Facts(county="泽普县", stage="prefecture_evaluation", evaluated=True)
    move = plan_move(cycle, facts, "rectification", COMMITTEE, today=date(2025, 7, 15), recognition_year=2025,
                     reason="2所学校未达标")
    assert move.deadline == date(2025, 11, 12)            # 120 days
    given = plan_move(cycle, facts, "rectification", COMMITTEE, today=date(2025, 7, 15), recognition_year=2025,
                      reason="r", deadline=date(2025, 9, 30))
    assert given.deadline == date(2025, 9, 30)
    with pytest.raises(StageError, match="早于今天"):
        plan_move(cycle, facts, "rectification", COMMITTEE, today=date(2025, 7, 15), recognition_year=2025,
                  reason="r", deadline=date(2025, 1, 1))
    plan = Facts(county="巴楚县", stage="plan_submission", documents=frozenset({"development_plan"}))
    assert plan_move(cycle, plan, "annual_monitoring", Actor("巴楚县教育局", "county", "巴楚县"),
                     today=date(2022, 6, 30), recognition_year=2027).deadline == date(2027, 6, 30)
    # a recognised county's yearly re-check is due at each year's end, whatever was stored
    assert stage_deadline(cycle, "post_recognition", entered=date(2026, 1, 5), recognition_year=2025,
                          today=date(2027, 3, 1), stored=date(2026, 12, 31)) == date(2027, 12, 31)
    assert cycle.recognition_deadline(2025) == date(2025, 12, 31)


def test_a_bad_cycle_file_names_the_record(tmp_path):
    text = (load_cycle.__wrapped__.__globals__["STANDARDS_DIR"] / "cycle.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('requires = ["evaluated"]', 'requires = ["evaluatd"]'), encoding="utf-8")
    with pytest.raises(StandardError, match="unknown requirement 'evaluatd'"):
        load_cycle(str(bad))
    bad.write_text(text.replace('to = "region_recommended"', 'to = "region"', 1), encoding="utf-8")
    with pytest.raises(StandardError, match="unknown stage 'region'"):
        load_cycle(str(bad))
