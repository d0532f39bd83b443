"""Planning with what the database holds: the intake growth fitted from a county's figures of several
years (`inspection.planning_cohorts.fit_intake_growth`), the county's plan for a year, and what-if
plans saved as versions, compared side by side, attached to the annual plan or a rectification."""

from __future__ import annotations

from sqlmodel import Session

from inspection.db import repo
from inspection.db.models import County, SavedPlan
from inspection.numerals import fmt_amount
from inspection.planning import Costs
from inspection.planning_cohorts import fit_intake_growth
from inspection.planning_county import YearPlan, county_plan, default_assumptions
from inspection.planning_whatif import WhatIfPlan, what_if
from inspection.standard import Standard
from inspection.table import SchoolTable


def fitted_intake_growth(session: Session, *, county: County) -> float | None:
    """The yearly growth of the county's primary enrolment over the years stored (None under two)."""
    return fit_intake_growth(repo.enrolment_by_year(session, county=county, stage="primary"))


def plan_from_database(session: Session, *, county: County, table: SchoolTable, table_year: int, year: int | None,
                       standard: Standard, costs: Costs, intake_growth: float | None = None,
                       transition: float | None = None) -> YearPlan:
    """The county's plan for `year`, its intake growth fitted from the database unless one is given."""
    assumptions = default_assumptions(costs, table_year, year, intake_growth=intake_growth, transition=transition,
                                      fitted=fitted_intake_growth(session, county=county))
    return county_plan(table, standard, costs, assumptions)


def save_what_if(session: Session, *, county: County, name: str, table: SchoolTable, year: int, plan: WhatIfPlan,
                 standard: Standard, costs: Costs, actor: str, attached_to: str | None = None,
                 case_id: int | None = None) -> SavedPlan:
    """Evaluate the what-if plan on `table` and save it as the next version of `name`."""
    result = what_if(table, standard, costs, plan)
    return repo.save_plan(session, county=county, name=name, year=year, body=plan.model_dump(mode="json"),
                          outcome=result.as_json(), actor=actor, attached_to=attached_to, case_id=case_id)


def compare_versions(session: Session, *, county: County, name: str) -> list[dict]:
    """The versions of a plan side by side: one row each, with its edits' count and its outcome."""
    return [{"version": p.version, "year": p.year, "title": p.body.get("title", ""), "edits": len(p.body.get("edits", [])),
             "edits_cost_wan": p.outcome["edits_cost_wan"], "resource_passed": p.outcome["after"]["resource_passed"],
             "remaining_cost_wan": p.outcome["after"]["remaining_cost_wan"], "attached_to": p.attached_to,
             "created_by": p.created_by} for p in repo.plan_versions(session, county=county, name=name)]


def plan_citation(plan: SavedPlan) -> str:
    """How a rectification notice or an annual plan cites a saved plan (整改通知引用)."""
    title = plan.body.get("title") or plan.name
    return (f"《{title}》（推演方案“{plan.name}”第{plan.version}版，{plan.year}年）：方案约{fmt_amount(plan.outcome['edits_cost_wan'], '万元')}万元，"
            f"实施后资源配置{'达标' if plan.outcome['after']['resource_passed'] else '仍未达标'}，"
            f"尚需约{fmt_amount(plan.outcome['after']['remaining_cost_wan'], '万元')}万元")


def rectification_citation(session: Session, *, county: str) -> str:
    """The citation of the latest saved plan attached to the county's rectification ("" when none)."""
    return _attached_citation(session, county, "rectification")


def annual_plan_citations(session: Session, *, counties: list[str]) -> dict[str, str]:
    """Each county's latest saved plan attached to its annual plan, cited (counties without one left out):
    the annual monitoring report names it beside the county."""
    wanted, latest = set(counties), {}
    for name, plan in repo.attached_plans(session, attached_to="annual_plan"):
        if name in wanted and (name not in latest or _newer(plan, latest[name])):
            latest[name] = plan
    return {name: plan_citation(plan) for name, plan in latest.items()}


def _attached_citation(session: Session, county: str, attached_to: str) -> str:
    row = repo.get_county(session, name=county)
    attached = [p for p in repo.plan_versions(session, county=row) if p.attached_to == attached_to]
    return plan_citation(max(attached, key=_order)) if attached else ""


def _order(plan: SavedPlan) -> tuple:
    return plan.created_at, plan.version


def _newer(plan: SavedPlan, than: SavedPlan) -> bool:
    return _order(plan) > _order(than)
