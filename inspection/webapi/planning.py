"""Planning on the web (达标测算): a county's plan by year to its recognition year, by school, its size
and class relief, what-if plans evaluated and saved as versions (access-checked like every call)."""

from __future__ import annotations

from inspection.db import repo
from inspection.errors import InspectionError
from inspection.standard import STAGE_ZH
from inspection.planning import load_costs, plan_json
from inspection.planning_county import cost_by_row, cost_by_year, default_assumptions
from inspection.planning_limits import limits_json
from inspection.planning_whatif import parse_what_if, what_if
from inspection.services import planning as service
from inspection.webapi._base import CountyRef, Principal, acting, context


def _table(session, row, as_of_year: int):
    found = repo.latest_school_tables(session, county_ids=[row.id], year=as_of_year).get(row.id)
    if found is None:
        raise InspectionError(f"{row.name}尚无学校数据，无法测算", f"{row.name} has no school figures to plan on")
    return found


def planning_view(principal: Principal, county: CountyRef = None, *, intake_growth: float | None = None) -> dict:
    """The plan for every year from the latest school table to the recognition year."""
    with acting(principal, "county.figures", county) as (session, me, row):
        ctx, costs = context(me.username), load_costs()
        table_year, table = _table(session, row, ctx.as_of.year)
        fitted = service.fitted_intake_growth(session, county=row)
        assumptions = default_assumptions(costs, table_year, max(row.recognition_year, table_year),
                                          intake_growth=intake_growth, fitted=fitted)
        years = cost_by_year(table, ctx.standard, costs, assumptions)
        last = years[-1]
        return {"county": row.name, "table_year": table_year, "recognition_year": row.recognition_year,
                "assumptions": last.assumptions.as_json(),
                "by_year": [{"year": y.assumptions.year, "cost_wan": y.plan.cost_wan, "passed_after": y.plan.passed}
                            for y in years],
                "by_school": [{"school": n, "stage": s, "cost_wan": c} for n, s, c in cost_by_row(last.plan, costs)],
                "additions": plan_json(last.plan)["additions"], "size_limits": limits_json(last.cohorts, ctx.standard, costs.relief),
                "schools": sorted(set(table.names)),
                "saved": [{"name": p.name, "version": p.version} for p in repo.plan_versions(session, county=row)]}


def what_if_view(principal: Principal, county: CountyRef = None, *, plan: dict) -> dict:
    """A what-if plan on the county's latest table: the verdict, the CVs and the cost left, before and after."""
    with acting(principal, "county.figures", county) as (session, me, row):
        ctx = context(me.username)
        _, table = _table(session, row, ctx.as_of.year)
        result = what_if(table, ctx.standard, load_costs(), parse_what_if(plan)).as_json()
        return {**result, "cv_rows": _cv_rows(result, ctx.standard)}


def _cv_rows(result: dict, standard) -> list[dict]:
    """The CVs before and after the plan beside their limit, a row per stage and indicator (差异系数)."""
    names = {i.id: i.wording for i in standard.resource_indicators}
    before, after = result["before"]["cv"], result["after"]["cv"]
    return [{"学段": STAGE_ZH[stage], "指标": f"{ind} {names.get(ind, '')}", "推演前": before.get(stage, {}).get(ind),
             "推演后": value, "限值": standard.options.cv_limit[stage],
             "结论": "在限值内" if value <= standard.options.cv_limit[stage] else "超过限值"}
            for stage, values in after.items() for ind, value in values.items()]


def plan_versions(principal: Principal, county: CountyRef = None, *, name: str) -> list[dict]:
    """The saved versions of plan `name` side by side (one row each: edits, cost, outcome, attachment)."""
    with acting(principal, "county.figures", county) as (session, me, row):
        return service.compare_versions(session, county=row, name=name)


def save_what_if_plan(principal: Principal, county: CountyRef = None, *, name: str, plan: dict,
                      attached_to: str | None = None, case_id: int | None = None) -> dict:
    """Save the plan as the next version of `name`; returns its version and the versions side by side."""
    with acting(principal, "plan.save", county) as (session, me, row):
        ctx = context(me.username)
        table_year, table = _table(session, row, ctx.as_of.year)
        saved = service.save_what_if(session, county=row, name=name, table=table, year=table_year,
                                     plan=parse_what_if(plan), standard=ctx.standard, costs=load_costs(),
                                     actor=me.username, attached_to=attached_to, case_id=case_id)
        return {"version": saved.version, "citation": service.plan_citation(saved),
                "versions": service.compare_versions(session, county=row, name=name)}
