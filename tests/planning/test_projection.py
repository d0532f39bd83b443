"""Enrolment carried forward by grade (inspection/planning_cohorts.py) and `inspection plan --year`."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.planning import load_costs, plan_additions
from inspection.planning_cohorts import Cohorts, fit_intake_growth, project_cohorts
from inspection.planning_county import county_plan, default_assumptions
from tests.factories import school, to_table, write_csv

runner = CliRunner()


def _table(standard):
    return to_table([school(standard, "一小", students=600), school(standard, "二小", students=1200),
                     school(standard, "一中", "junior", students=300)])


def test_a_table_is_spread_evenly_over_its_grades(standard):
    cohorts = Cohorts.from_table(_table(standard))
    assert [len(g) for g in cohorts.grades] == [6, 6, 3]
    assert np.allclose(cohorts.grades[0], 100) and np.allclose(cohorts.students(), [600, 1200, 300])


def test_grades_move_up_and_primary_leavers_enter_junior(standard):
    cohorts = project_cohorts(_table(standard), 1, intake_growth=0.1, transition=0.9)
    assert cohorts.grades[0].tolist() == pytest.approx([110, 100, 100, 100, 100, 100])
    # junior: its grade 3 (100) leaves, 0.9 × (100 + 200) leavers enter
    assert cohorts.grades[2].tolist() == pytest.approx([270, 100, 100])
    assert cohorts.to_table().figures["students"].tolist() == [610, 1220, 470]


def test_zero_growth_keeps_an_even_primary_school_as_it_is(standard):
    cohorts = project_cohorts(_table(standard), 5, intake_growth=0.0)
    assert cohorts.students()[:2].tolist() == pytest.approx([600, 1200])


def test_growth_is_fitted_from_several_years():
    assert fit_intake_growth({2022: 1000, 2023: 1020, 2024: 1040.4, 2025: 1061.208}) == pytest.approx(0.02)
    assert fit_intake_growth({2024: 1000}) is None


def test_the_plan_for_a_later_year_passes_on_that_years_enrolment(standard):
    costs = load_costs()
    table = _table(standard)
    assumptions = default_assumptions(costs, 2026, 2030, intake_growth=0.05)
    result = county_plan(table, standard, costs, assumptions)
    later = result.cohorts.to_table()
    assert result.plan.passed and later.figures["students"].sum() > table.figures["students"].sum()
    assert result.plan.cost_wan > plan_additions(table, standard, costs).cost_wan


def test_the_cli_projection_is_reproducible_and_says_its_assumptions(standard, tmp_path):
    path = write_csv(tmp_path / "t.csv", [school(standard, "一小", students=600, ratios={"R5": 0.9}),
                                          school(standard, "一中", "junior", students=300)])
    args = ["plan", str(path), "--county", "泽普县", "--year", "2029", "--table-year", "2026",
            "--intake-growth", "0.04", "--json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["projection"] == {"table_year": 2026, "year": 2029, "intake_growth": 0.04, "transition": 1.0,
                                  "source": "用户指定"}
    assert data["resource_passed_after"] is True and data["additions"]
