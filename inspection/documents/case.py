"""A county's case (县市评估材料): the evaluation results every document about it is built from.

`case_from_table` runs the rule engine on a school table and the county's figures and findings; it
is pure, so a quick look at a file and a letter from the database reach the same results. The
database path (`inspection.documents.sources`) only loads these inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from inspection.rules import (CountyFigure, IndicatorResult, ResourceEvaluation, Verdict, VetoFinding,
                              check_county_indicators, county_figures_from_table, decide, evaluate_resources)
from inspection.standard import CountyPlan, Standard
from inspection.table import SchoolTable


@dataclass(frozen=True)
class CountyCase:
    """One county and year: resources, county-level results, veto findings and the verdict."""

    county: str                                 # full name, 塔什库尔干塔吉克自治县
    recognition_year: int                       # the schedule's year (创建年份)
    year: int                                   # the year of the figures (评估年度)
    resources: ResourceEvaluation
    county_results: tuple[IndicatorResult, ...]
    findings: tuple[VetoFinding, ...]
    verdict: Verdict
    label: str = ""                             # short name for charts, 塔什库尔干县

    @property
    def standard(self) -> Standard:
        return self.resources.standard


def case_from_table(table: SchoolTable, standard: Standard, plan: CountyPlan, year: int, *,
                    figures: Mapping[str, CountyFigure] | None = None,
                    findings: Iterable[VetoFinding] = (),
                    county_results: Iterable[IndicatorResult] | None = None) -> CountyCase:
    """Evaluate a county's table: computed figures (G4) first, the county's own figures over them.

    `county_results` (already checked, e.g. stored with an evaluation) replaces `figures` when given.
    """
    resources = evaluate_resources(table, standard)
    if county_results is None:
        all_figures = {**county_figures_from_table(table, standard), **(figures or {})}
        county_results = check_county_indicators(standard, all_figures)
    results = tuple(county_results)
    found = tuple(findings)
    return CountyCase(plan.name, plan.recognition_year, year, resources, results, found,
                      decide(resources, list(results), list(found)), plan.label)


def figures_from_json(data: Mapping[str, object]) -> dict[str, CountyFigure]:
    """County figures from JSON: `{"Q1": 96.5, "G13": {"primary": 100, "junior": 96},
    "G1": {"value": true, "evidence": "规划文件第3页"}}` (a dict with "value" carries evidence)."""
    out = {}
    for key, raw in data.items():
        if isinstance(raw, Mapping) and "value" in raw:
            out[key] = CountyFigure(raw["value"], str(raw.get("evidence", "")))
        else:
            out[key] = CountyFigure(raw)
    return out


def findings_from_json(data: Mapping[str, object], source: str = "") -> list[VetoFinding]:
    """Veto findings from `inspection scan --json` output (`{"findings": [{condition, quote, page}]}`)."""
    return [VetoFinding(condition=f["condition"], quote=f["quote"], source=str(f.get("source") or source),
                        page=f.get("page"), status=f.get("status", "open"))
            for f in data.get("findings", [])]
