"""Planning with what the database holds: the intake growth fitted from a county's figures of several
years (`inspection.planning_cohorts.fit_intake_growth`), then the county's plan for a year."""

from __future__ import annotations

from sqlmodel import Session

from inspection.db import repo
from inspection.db.models import County
from inspection.planning import Costs
from inspection.planning_cohorts import fit_intake_growth
from inspection.planning_county import CountyPlan, county_plan, default_assumptions
from inspection.standard import Standard
from inspection.table import SchoolTable


def fitted_intake_growth(session: Session, *, county: County) -> float | None:
    """The yearly growth of the county's primary enrolment over the years stored (None under two)."""
    return fit_intake_growth(repo.enrolment_by_year(session, county=county, stage="primary"))


def plan_from_database(session: Session, *, county: County, table: SchoolTable, table_year: int, year: int | None,
                       standard: Standard, costs: Costs, intake_growth: float | None = None,
                       transition: float | None = None) -> CountyPlan:
    """The county's plan for `year`, its intake growth fitted from the database unless one is given."""
    assumptions = default_assumptions(costs, table_year, year, intake_growth=intake_growth, transition=transition,
                                      fitted=fitted_intake_growth(session, county=county))
    return county_plan(table, standard, costs, assumptions)
