"""The whole evaluation of a county (督导评估): the four parts of the method and the vetoes, together.

`assess` is the one way every entry point (a file checked by `evaluate`, a submission, monitoring,
the letters) reaches a verdict, so they cannot disagree on what was checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from inspection.rules.county import CountyAssessment, CountyFigure, assess_county
from inspection.rules.resources import ResourceEvaluation, evaluate_resources
from inspection.rules.verdict import Verdict, decide
from inspection.rules.vetoes import VetoFinding
from inspection.standard import Standard
from inspection.table import SchoolTable


@dataclass(frozen=True)
class Assessment:
    resources: ResourceEvaluation
    county: CountyAssessment
    findings: tuple[VetoFinding, ...]
    verdict: Verdict


def assess(table: SchoolTable, standard: Standard, declared: Mapping[str, CountyFigure] | None = None, *,
           findings: Iterable[VetoFinding] = (), committee_decides: bool = False,
           resources: ResourceEvaluation | None = None) -> Assessment:
    """Resources from the school table; county-level indicators computed from it where the standard
    says so and otherwise from the county's `declared` figures; veto `findings` as decided so far."""
    resources = resources or evaluate_resources(table, standard)
    county = assess_county(standard, declared or {}, table=table, committee_decides=committee_decides)
    found = tuple(findings)
    return Assessment(resources, county, found, decide(resources, list(county.results), list(found)))
