"""A county's plan for a year (县域达标测算): enrolment carried to that year, the additions that make
its resources pass then, and what relieves its school and class sizes. Pure: data in, the plan out;
`inspection plan` prints it, and the letters and the UI can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspection.planning import Costs, Plan, plan_additions, plan_json, plan_text
from inspection.planning_cohorts import Cohorts, project_cohorts
from inspection.planning_limits import limits_json, limits_text
from inspection.standard import Standard
from inspection.table import SchoolTable


@dataclass(frozen=True)
class Assumptions:
    """The projection's assumptions as used, and where each came from (cost file, CLI, fitted)."""

    table_year: int
    year: int
    intake_growth: float
    transition: float
    source: str

    def as_json(self) -> dict:
        return {"table_year": self.table_year, "year": self.year, "intake_growth": self.intake_growth,
                "transition": self.transition, "source": self.source}


@dataclass(frozen=True)
class CountyPlan:
    plan: Plan
    cohorts: Cohorts
    assumptions: Assumptions


def county_plan(table: SchoolTable, standard: Standard, costs: Costs, assumptions: Assumptions,
                method: str = "milp") -> CountyPlan:
    """The plan for `assumptions.year` (the table as it is when that is its own year)."""
    years = assumptions.year - assumptions.table_year
    cohorts = project_cohorts(table, years, assumptions.intake_growth, assumptions.transition)
    projected = cohorts.to_table() if years > 0 else table
    return CountyPlan(plan_additions(projected, standard, costs, method), cohorts, assumptions)


def default_assumptions(costs: Costs, table_year: int, year: int | None, *, intake_growth: float | None = None,
                        transition: float | None = None, fitted: float | None = None) -> Assumptions:
    """The CLI's values first, then a growth fitted from several years' figures, then the cost file's."""
    source = "测算单价文件（暂定）"
    growth = costs.projection.intake_growth
    if fitted is not None:
        growth, source = fitted, "按历年在校生拟合"
    if intake_growth is not None:
        growth, source = intake_growth, "命令行指定"
    return Assumptions(table_year, year if year is not None else table_year, growth,
                       costs.projection.transition if transition is None else transition, source)


def county_plan_json(cp: CountyPlan, standard: Standard) -> dict:
    """`plan_json` (STANDARD.md §5) with the year's assumptions and the size and class limits added."""
    return {**plan_json(cp.plan), "projection": cp.assumptions.as_json(),
            "size_limits": limits_json(cp.cohorts, standard)}


def county_plan_text(cp: CountyPlan, standard: Standard, costs: Costs) -> str:
    a = cp.assumptions
    head = (f"测算年度：{a.year}年（学校数据表{a.table_year}年；入学人数年增长{a.intake_growth:+.1%}，"
            f"小升初比例{a.transition:.0%}，{a.source}）")
    return "\n".join([head, plan_text(cp.plan, costs), *limits_text(cp.cohorts, standard)])
