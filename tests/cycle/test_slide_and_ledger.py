"""“大幅度滑坡” as rule data, the met/unmet ledgers, and the cycle package's purity."""

import ast
from pathlib import Path

from inspection.cycle import build_ledgers, judge_slide, load_cycle, progress_summary
from inspection.evaluation import evaluation_json
from inspection.rules import evaluate_resources
from tests.factories import school, to_table


def _result(standard, rows):
    return evaluation_json(evaluate_resources(to_table(rows), standard))


def _schools(standard, n, failing=()):
    return [school(standard, f"第{k}小学", ratios={"R5": 0.5} if k in failing else None) for k in range(n)]


def test_a_slide_is_marked_only_past_the_rule(standard):
    rule, limits = load_cycle().slide, standard.options.cv_limit
    baseline = _result(standard, _schools(standard, 30))
    small = judge_slide(baseline, _result(standard, _schools(standard, 30, failing={1, 2})), rule, limits)
    assert not small.marked and small.reasons == ()
    marked = judge_slide(baseline, _result(standard, _schools(standard, 30, failing={1, 2, 3, 4})), rule, limits)
    assert marked.marked
    assert "4/30个学校学段资源配置未达标，超过10%" in marked.reasons[0]
    assert "认定时达标的第1小学（小学）" in marked.reasons[1]
    lost = {"county_indicators": {"Q1": {"met": False}}, "schools": [], "cv": {}}
    assert judge_slide({"county_indicators": {"Q1": {"met": True}}}, lost, rule, limits).reasons == (
        "认定时达标的县级指标Q1现未达标",)


def test_ledgers_split_met_from_unmet_with_gaps(standard):
    result = _result(standard, _schools(standard, 3, failing={0}))
    ledgers = build_ledgers(result, standard)
    assert [r["school"] for r in ledgers["met"]["schools"]] == ["第1小学", "第2小学"]
    (unmet,) = ledgers["unmet"]["schools"]
    assert unmet["school"] == "第0小学" and unmet["unmet"][0]["indicator"] == "R5"
    assert unmet["unmet"][0]["threshold"] == 7.5 and unmet["unmet"][0]["gap"] == 3.75
    report = progress_summary(result, county="泽普县", year=2026, target_year=2025,
                              cv_limit=standard.options.cv_limit, previous=_result(standard, _schools(standard, 3)))
    assert report["failing"] == 1 and report["failing_previous_year"] == 0
    assert report["text"].startswith("泽普县2026年度义务教育优质均衡发展创建工作进度：全县3个学校学段中，2个资源配置达标")
    assert "未达标数较上年增加1个" in report["text"] and "已超过创建年份2025年" in report["text"]


def test_the_cycle_package_is_pure():
    import inspection.cycle
    forbidden = ("prefect", "streamlit", "sqlmodel", "sqlalchemy", "inspection.db", "inspection.services")
    for path in Path(inspection.cycle.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        assert not [m for m in names if m.startswith(forbidden)], path.name
