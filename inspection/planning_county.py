"""A county's plan for a year (县域达标测算): enrolment carried to that year, the additions that make
its resources pass then, and what relieves its school and class sizes. Pure: data in, the plan out;
`inspection plan` prints it, and the letters and the UI can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from inspection.columns import strip_unit
from inspection.numerals import fmt_amount
from inspection.planning import Costs, Plan, plan_additions, plan_json, plan_text
from inspection.planning_cohorts import Cohorts, project_cohorts
from inspection.planning_limits import limits_json, limits_text
from inspection.standard import STAGE_ZH, Standard
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
class YearPlan:
    plan: Plan
    cohorts: Cohorts
    assumptions: Assumptions


def county_plan(table: SchoolTable, standard: Standard, costs: Costs, assumptions: Assumptions,
                method: str = "milp") -> YearPlan:
    """The plan for `assumptions.year` (the table as it is when that is its own year)."""
    years = assumptions.year - assumptions.table_year
    cohorts = project_cohorts(table, years, assumptions.intake_growth, assumptions.transition)
    projected = cohorts.to_table() if years > 0 else table
    return YearPlan(plan_additions(projected, standard, costs, method), cohorts, assumptions)


def default_assumptions(costs: Costs, table_year: int, year: int | None, *, intake_growth: float | None = None,
                        transition: float | None = None, fitted: float | None = None) -> Assumptions:
    """The CLI's values first, then a growth fitted from several years' figures, then the cost file's."""
    source = "测算单价文件（暂定）"
    growth = costs.projection.intake_growth
    if fitted is not None:
        growth, source = fitted, "按历年在校生拟合"
    if intake_growth is not None:
        growth, source = intake_growth, "用户指定"
    return Assumptions(table_year, year if year is not None else table_year, growth,
                       costs.projection.transition if transition is None else transition, source)


def county_plan_json(cp: YearPlan, standard: Standard, costs: Costs) -> dict:
    """`plan_json` (STANDARD.md §5) with the year's assumptions and the size and class limits added."""
    return {**plan_json(cp.plan), "projection": cp.assumptions.as_json(),
            "size_limits": limits_json(cp.cohorts, standard, costs.relief)}


def county_plan_text(cp: YearPlan, standard: Standard, costs: Costs) -> str:
    a = cp.assumptions
    head = (f"测算年度：{a.year}年（学校数据表{a.table_year}年；入学人数年增长{a.intake_growth:+.1%}，"
            f"小升初比例{a.transition:.0%}，{a.source}）")
    return "\n".join([head, plan_text(cp.plan, costs), *limits_text(cp.cohorts, standard, costs.relief)])


@dataclass(frozen=True)
class PlanSummary:
    """What it will take, in people, rooms, m², 万元 (达标测算摘要), for a letter or a report."""

    schools: int
    totals: tuple[tuple[str, float, str], ...]      # (figure, amount, unit) in the header's unit
    cost_wan: float
    lower_bound_wan: float | None
    costs_title: str

    def sentence(self) -> str:
        if not self.schools:
            return "资源配置已达到要求，无需补充。"
        parts = "、".join(f"{name}{fmt_amount(amount, unit)}{unit}" for name, amount, unit in self.totals)
        return (f"按暂定单价（{self.costs_title}，待委员会确认）测算，使资源配置达标，{self.schools}所学校（学段）"
                f"至少需补充{parts}，合计约{fmt_amount(self.cost_wan, '万元')}万元。")


def summarise(plan: Plan, costs: Costs) -> PlanSummary:
    data = plan_json(plan)
    totals: dict[str, float] = {}
    for row in data["additions"]:
        for header, amount in row.items():
            if header not in ("学校名称", "学段"):
                totals[header] = totals.get(header, 0.0) + amount
    return PlanSummary(len(data["additions"]), tuple(_split(h, v) for h, v in sorted(totals.items())),
                       plan.cost_wan, plan.lower_bound_wan, costs.costs.title)


def _split(header: str, amount: float) -> tuple[str, float, str]:
    """'教学仪器设备值（万元）' → ('教学仪器设备值', amount, '万元'); a count header → its people or rooms."""
    name, unit = strip_unit(header)
    if unit is None:
        unit = "间" if "教室" in name else "人"
        name = name.removesuffix("数")
    return name, amount, unit


def cost_by_row(plan: Plan, costs: Costs) -> list[tuple[str, str, float]]:
    """(school, stage, 万元) for every row the plan adds to, dearest first."""
    rows = []
    for i, name in enumerate(plan.table.names):
        cost = sum(float(extra[i]) * costs.per_engine_unit(f) for f, extra in plan.additions.items())
        if cost > 0:
            rows.append((name, STAGE_ZH[str(plan.table.stages[i])], round(cost, 2)))
    return sorted(rows, key=lambda r: -r[2])


def cost_by_year(table: SchoolTable, standard: Standard, costs: Costs, assumptions: Assumptions) -> list[YearPlan]:
    """The plan for every year from the table's to `assumptions.year` (the chart of cost by year)."""
    return [county_plan(table, standard, costs, replace(assumptions, year=y))
            for y in range(assumptions.table_year, max(assumptions.year, assumptions.table_year) + 1)]
