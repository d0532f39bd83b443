"""The county MILP (inspection/planning_solver.py): on small hand-made cases where the school rule and
the CV limits interact, its cost is not above the brute-force optimum over every combination of whole
additions (all combinations evaluated at once by the real engine, one county per combination), and
school-by-school planning with water-filling is dearer there."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from inspection.columns import column
from inspection.planning import _step, load_costs, plan_additions
from inspection.planning_solver import boundary_cut, cv
from inspection.rules.resources import evaluate_resources
from tests.factories import school, to_table

# Each case: rows, and the range of whole additions the brute force tries per school and figure.
CASES = {
    # 二小 is short on R1 and R5 (85–100 %); the school rule alone fixes R5 (grounds are cheaper than
    # teachers), but R1's CV (一小 far above) raises 二小's R1 past its threshold anyway, so R5 can stay
    # short: grounds, being continuous, are not taken away again by the unit-by-unit pruning.
    "cv-makes-the-skip": ([("一小", 150, {"R1": 3.0}), ("二小", 150, {"R1": 0.86, "R5": 0.86}),
                           ("三小", 150, {})], range(0, 8), range(0, 1)),
    # Rooms' CV over its limit across schools of different sizes: which school gets a room matters.
    "rooms-by-size": ([("一小", 120, {"R7": 3.5}), ("二小", 260, {"R7": 0.9}), ("三小", 90, {"R7": 0.95})],
                      range(0, 1), range(0, 6)),
}
FIELDS = ("qualified_teachers", "multimedia_rooms")


def _rows_for(standard, case):
    return [school(standard, name, students=n, ratios=ratios) for name, n, ratios in CASES[case][0]]


def _brute_force(standard, table, ranges, costs) -> float:
    """The least cost over every combination of whole additions in `ranges` (one per figure of FIELDS),
    each combination a county of its own in one big table evaluated once."""
    n = len(table)
    combos = list(itertools.product(*[r for r in ranges for _ in range(n)]))
    adds = np.array(combos, dtype=float).reshape(len(combos), len(FIELDS), n)
    figures = {f: np.tile(v, len(combos)) for f, v in table.figures.items()}
    for j, f in enumerate(FIELDS):
        figures[f] = figures[f] + adds[:, j, :].ravel()
    big = replace(table, names=table.names * len(combos), stages=np.tile(table.stages, len(combos)),
                  figures=figures, counties=np.repeat(np.arange(len(combos)), n))
    ev = evaluate_resources(big, standard)
    ok = ev.passed.reshape(len(combos), n).all(axis=1)
    cv_ok = ev.cv_within_limit.all(axis=1)
    for (county, _), good in zip(ev.group_labels, cv_ok):
        ok[county] &= bool(good)
    unit = np.array([costs.per_engine_unit(f) for f in FIELDS])
    cost = (adds.sum(axis=2) * unit).sum(axis=1)
    assert ok.any(), "the brute-force ranges hold no passing combination"
    return float(cost[ok].min())


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_cost_is_not_above_the_brute_force_optimum(standard, case):
    costs = load_costs()
    table = to_table(_rows_for(standard, case))
    assert not evaluate_resources(table, standard).resource_passed
    plan = plan_additions(table, standard, costs)
    assert plan.passed
    best = _brute_force(standard, table, CASES[case][1:], costs)
    assert plan.cost_wan <= round(best, 2) + 1e-6, (plan.cost_wan, best)
    assert plan.lower_bound_wan <= plan.cost_wan + 1e-6


def test_planning_school_by_school_is_dearer_where_the_cv_decides(standard):
    costs = load_costs()
    table = to_table(_rows_for(standard, "cv-makes-the-skip"))
    joint, greedy = plan_additions(table, standard, costs), plan_additions(table, standard, costs, "greedy")
    assert joint.passed and greedy.passed and joint.cost_wan < greedy.cost_wan - 1


def test_cbc_through_pulp_finds_the_same_cost(standard):
    pytest.importorskip("pulp")
    costs = load_costs()
    table = to_table(_rows_for(standard, "rooms-by-size"))
    assert plan_additions(table, standard, costs, "pulp").cost_wan == plan_additions(table, standard, costs).cost_wan


def test_a_boundary_cut_holds_inside_the_limit_and_is_tight_on_it():
    rng = np.random.default_rng(7)
    w = rng.uniform(1, 5, 6)
    w /= w.sum()
    x = rng.uniform(1, 10, 6)
    x[0] = 40.0
    c = boundary_cut(x, w, 0.5)
    assert c @ x > 0                                   # the point over the limit is cut off
    for _ in range(200):                               # every point within the limit satisfies the cut
        y = rng.uniform(1, 10, 6) * rng.uniform(0.5, 2)
        if cv(y, w) <= 0.5:
            assert c @ y <= 1e-9
    mean = w @ x
    lam = np.linspace(0, 1, 2001)
    crossing = next(mean + t * (x - mean) for t in lam[::-1] if cv(mean + t * (x - mean), w) <= 0.5)
    assert abs(c @ crossing) < 1e-3 * (np.abs(c) @ crossing)


def _one_unit_less(standard, after, additions) -> np.ndarray:
    """Per whole unit added, whether the table still passes with that one unit taken away — every
    variant a county of its own in one big table, evaluated once by the engine."""
    units = [(f, i) for f, extra in additions.items() for i in np.flatnonzero(extra >= 1)
             if column(f).kind == "count"]
    n, m = len(after), len(units)
    figures = {f: np.tile(v, m) for f, v in after.figures.items()}
    for k, (f, i) in enumerate(units):
        figures[f][k * n + i] -= 1
    big = replace(after, names=after.names * m, stages=np.tile(after.stages, m), figures=figures,
                  counties=np.repeat(np.arange(m), n))
    ev = evaluate_resources(big, standard)
    ok = (ev.passed | ~ev.included).reshape(m, n).all(axis=1)
    for (county, _), good in zip(ev.group_labels, ev.cv_within_limit.all(axis=1)):
        ok[county] &= bool(good)
    return ok


def test_every_demo_countys_plan_is_sufficient_and_minimal_unit_by_unit(standard, schedule):
    from inspection import demo
    costs, units = load_costs(), 0
    for county in schedule.counties:
        table = demo.to_table(demo.county_schools(standard, county.name, county.recognition_year))
        plan = plan_additions(table, standard, costs)
        assert evaluate_resources(plan.after, standard).resource_passed, county.name
        still = _one_unit_less(standard, plan.after, plan.additions)
        assert not still.any(), (county.name, int(still.sum()))
        units += len(still)
        # The bound is the continuous optimum's: areas and equipment rounded up to their 0.01 steps cost
        # at most one step a row and figure more, and the two figures' rounding to 0.01 万元 one cent each.
        steps = sum(float((extra > 0).sum()) * _step(f) * costs.per_engine_unit(f)
                    for f, extra in plan.additions.items() if column(f).kind != "count")
        assert plan.lower_bound_wan <= plan.cost_wan <= plan.lower_bound_wan + steps + 0.02 + 1e-9, county.name
    assert units > 100          # people and rooms added somewhere, each of them needed


def test_without_a_solver_the_school_by_school_plan_stands_unproven(standard, monkeypatch):
    from inspection import planning_solver

    def broken(*_):
        raise RuntimeError("HiGHS: not available")
    monkeypatch.setitem(planning_solver.SOLVERS, "highs", broken)
    table = to_table(_rows_for(standard, "cv-makes-the-skip"))
    plan = plan_additions(table, standard, load_costs())
    assert plan.passed and plan.lower_bound_wan is None
    assert plan.cost_wan == plan_additions(table, standard, load_costs(), "greedy").cost_wan


def test_a_hard_plan_is_the_same_every_time(standard, schedule):
    """Limits are node counts, not seconds: a table whose CVs need the cuts plans identically."""
    from inspection import demo
    from tests.factories import stressed
    county = schedule.county("塔什库尔干塔吉克自治县")
    table = stressed(demo.to_table(demo.county_schools(standard, county.name, county.recognition_year)), 6)
    costs = load_costs()
    first, second = plan_additions(table, standard, costs), plan_additions(table, standard, costs)
    assert first.passed and first.cost_wan == second.cost_wan and first.lower_bound_wan == second.lower_bound_wan
    assert all(np.array_equal(first.additions[f], second.additions[f]) for f in first.additions)
