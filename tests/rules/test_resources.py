import math

import numpy as np
import pytest

from inspection.rules import evaluate_resources, weighted_cv
from tests.factories import school, to_table


def _evaluate(standard, *rows):
    return evaluate_resources(to_table(list(rows)), standard)


def test_value_exactly_at_threshold_is_met(standard):
    # 21 × 100 / 500 = 4.2 exactly the primary R1 threshold, computed as a reader would give it.
    row = school(standard, "一小", students=500)
    row["qualified_teachers"] = 21
    result = _evaluate(standard, row)
    assert result.values[0, 0] == pytest.approx(4.2)
    assert result.met[0].all()
    assert result.passed[0]


def test_just_below_threshold_is_unmet(standard):
    result = _evaluate(standard, school(standard, "一小", ratios={"R4": 0.999}))
    assert not result.met[0, 3]
    assert result.passed[0]  # 6 of 7 met and R4 is above 85 %


def test_exactly_85_percent_is_allowed(standard):
    result = _evaluate(standard, school(standard, "一小", ratios={"R5": 0.85}))
    assert result.met[0].sum() == 6
    assert result.passed[0]


def test_849_per_mille_fails_the_school(standard):
    result = _evaluate(standard, school(standard, "一小", ratios={"R5": 0.849}))
    assert result.met[0].sum() == 6
    assert not result.passed[0]
    reason = result.school_result(0).reason
    assert "R5" in reason and "85%" in reason


def test_five_of_seven_fails_even_above_floor(standard):
    result = _evaluate(standard, school(standard, "一小", ratios={"R5": 0.95, "R6": 0.95}))
    assert result.met[0].sum() == 5
    assert not result.passed[0]
    assert "仅5项达标，少于6项" in result.school_result(0).reason


def test_junior_rows_use_junior_thresholds(standard):
    row = school(standard, "一中", stage="junior", students=100)
    result = _evaluate(standard, row)
    assert result.thresholds[0, 0] == 5.3 and result.thresholds[0, 5] == 2500
    assert result.values[0, 0] == pytest.approx(5.3)


def test_weighted_cv_matches_hand_computation():
    # Two schools: X = 2 and 4, P = 100 and 300. X̄ = (200 + 1200) / 400 = 3.5;
    # S² = (100 × 2.25 + 300 × 0.25) / 400 = 0.75; CV = √0.75 / 3.5 = 0.247435...
    cv = weighted_cv(np.array([[2.0], [4.0]]), np.array([100.0, 300.0]), np.array([0, 0]), 1)
    assert cv[0, 0] == pytest.approx(math.sqrt(0.75) / 3.5)
    assert cv[0, 0] == pytest.approx(0.2474358297)


def test_cv_is_per_stage_and_indicator(standard):
    a = school(standard, "一小", students=100, ratios={"R4": 1.0})
    b = school(standard, "二小", students=300, ratios={"R4": 2.0})
    c = school(standard, "一中", stage="junior", students=500)
    result = _evaluate(standard, a, b, c)
    cv = result.cv_by_stage()
    # R4 values 4.5 and 9.0 weighted 100:300 → X̄ = 7.875, S = √(0.25·3.375² + 0.75·1.125²)
    expected = math.sqrt(0.25 * 3.375 ** 2 + 0.75 * 1.125 ** 2) / 7.875
    assert cv["primary"]["R4"] == pytest.approx(expected)
    assert cv["primary"]["R1"] == pytest.approx(0.0)
    assert cv["junior"] == {k: 0.0 for k in ("R1", "R2", "R3", "R4", "R5", "R6", "R7")}


def test_cv_over_limit_fails_the_county_even_when_schools_pass(standard):
    a = school(standard, "一小", students=100, ratios={"R5": 1.0})
    b = school(standard, "二小", students=100, ratios={"R5": 4.0})
    result = _evaluate(standard, a, b)
    assert result.passed.all()
    assert result.cv_by_stage()["primary"]["R5"] == pytest.approx(0.6)
    assert not result.resource_passed
    assert any("R5" in s and "超过" in s for s in result.cv_sentences())


def test_cv_exactly_at_limit_is_within(standard):
    # X = 1 and 3 (×threshold), equal weights: X̄ = 2, S = 1 → CV = 0.5, the primary limit.
    a = school(standard, "一小", students=100, ratios={"R5": 1.0})
    b = school(standard, "二小", students=100, ratios={"R5": 3.0})
    result = _evaluate(standard, a, b)
    assert result.cv_by_stage()["primary"]["R5"] == pytest.approx(0.5)
    assert result.resource_passed


def test_nine_year_school_is_evaluated_per_stage(standard):
    p = school(standard, "九年制学校", "primary", students=600)
    j = school(standard, "九年制学校", "junior", students=400, ratios={"R1": 0.5})
    result = _evaluate(standard, p, j)
    assert result.passed.tolist() == [True, False]
    assert [r.stage for r in result.failing_schools()] == ["junior"]


def test_shortfall_says_what_a_school_lacks(standard):
    row = school(standard, "二小", students=400, ratios={"R5": 0.8, "R1": 0.5})
    row["qualified_teachers"] = 8.0  # needs 4.2 × 4 = 16.8 → 9 more teachers
    result = _evaluate(standard, row)
    checks = {c.indicator.id: c for c in result.school_result(0).checks}
    assert checks["R1"].shortfall.amount == 9 and checks["R1"].shortfall.unit == "人"
    assert checks["R5"].shortfall.amount == pytest.approx(600.0)  # 0.2 × 7.5 × 400 m²
    assert "需增加体育运动场馆面积（含租用校外体育场馆面积）600平方米" in checks["R5"].sentence()


def test_equipment_shortfall_is_in_wan_yuan(standard):
    row = school(standard, "二小", students=1000, ratios={"R6": 0.5})
    checks = {c.indicator.id: c for c in _evaluate(standard, row).school_result(0).checks}
    assert checks["R6"].shortfall.amount == 100.0 and checks["R6"].shortfall.unit == "万元"


def test_areas_and_money_to_add_are_rounded_up_to_what_a_plan_states(standard):
    """73.4 m² short is 74 m² to build, 89.9901 万元 short is 90.00 万元 to buy: rounded down, the
    school would still be below the standard. Every document sums these same amounts."""
    row = school(standard, "三小", students=100)
    row["sports_area"] = 7.5 * 100 - 73.4
    row["equipment_value"] = 2000 * 100 - 1.0           # 元: 1 元 short
    checks = {c.indicator.id: c for c in _evaluate(standard, row).school_result(0).checks}
    assert checks["R5"].shortfall.amount == 74.0
    assert "74平方米" in checks["R5"].sentence()
    assert checks["R6"].shortfall.amount == 0.01 and "0.01万元" in checks["R6"].sentence()


def test_teaching_points_can_be_left_out(standard):
    from inspection.standard import Standard
    opts = standard.options.model_copy(update={"teaching_point_min_students": 50})
    strict = Standard.model_validate({**standard.model_dump(), "options": opts.model_dump()})
    good = school(standard, "一小")
    point = school(standard, "阿瓦提教学点", students=30, ratios={"R1": 0.1})
    assert not _evaluate(standard, good, point).resource_passed
    kept_out = evaluate_resources(to_table([good, point]), strict)
    assert kept_out.resource_passed
    assert not kept_out.included[1]


def test_table_with_several_counties_gets_cv_per_county(standard):
    from inspection.demo import county_schools, to_table as demo_table
    import dataclasses
    a = county_schools(standard, "泽普县", 2025)
    b = county_schools(standard, "莎车县", 2034)
    both = demo_table(a + b)
    both = dataclasses.replace(both, counties=np.array(["泽普县"] * len(a) + ["莎车县"] * len(b)))
    joint = evaluate_resources(both, standard)
    alone = evaluate_resources(demo_table(a), standard)
    by_label = dict(zip(joint.group_labels, joint.cv))
    np.testing.assert_allclose(by_label[("泽普县", "primary")], alone.cv[0])
    assert len(joint.group_labels) == 4


def test_failure_sentences_say_what_each_failing_school_checks_say(standard):
    """The verdict's reasons are read from the arrays; a school's result has its checks. Both say the
    same of every failing school, at the floor ratio's edge too (0.85 is allowed, 0.849 is not)."""
    import random
    rng = random.Random(7)
    rows = [school(standard, f"第{i}学校", "junior" if i % 3 == 0 else "primary", students=rng.randint(50, 1500),
                   ratios={r: rng.choice([0.5, 0.849, 0.85, 0.95, 1.0, 1.2]) for r in ("R1", "R4", "R5", "R6", "R7")})
            for i in range(200)]
    result = _evaluate(standard, *rows)
    opts = standard.options

    def from_checks(s):
        met = [c for c in s.checks if c.met]
        low = [c.indicator.id for c in s.checks if c.ratio < opts.school_floor_ratio * (1 - 1e-9)]
        parts = [f"仅{len(met)}项达标，少于{opts.school_min_met}项"] if len(met) < opts.school_min_met else []
        parts += [f"{'、'.join(low)}低于标准的{opts.school_floor_ratio:.0%}"] if low else []
        return f"{s.name}（{'初中' if s.stage == 'junior' else '小学'}）资源配置未达标：" + "；".join(parts)

    expected = [from_checks(s) for s in result.failing_schools()]
    assert len(expected) > 20 and result.failure_sentences() == expected
