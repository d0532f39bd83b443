"""A county's case (县市评估材料): the evaluation results every document about it is built from.

`case_from_table` runs the rule engine on a school table and the county's figures and findings; it
is pure, so a quick look at a file and a letter from the database reach the same results. The
database path (`inspection.documents.sources`) only loads these inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from inspection.rules import (CountyFigure, IndicatorResult, ResourceEvaluation, Verdict, VetoFinding, assess,
                              decide, evaluate_resources)
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
    scanned: tuple[str, ...] | None = None      # documents the veto scan read; None: no scan ran

    @property
    def standard(self) -> Standard:
        return self.resources.standard


def case_from_table(table: SchoolTable, standard: Standard, plan: CountyPlan, year: int, *,
                    figures: Mapping[str, CountyFigure] | None = None,
                    findings: Iterable[VetoFinding] = (),
                    county_results: Iterable[IndicatorResult] | None = None,
                    scanned: Iterable[str] | None = None) -> CountyCase:
    """Evaluate a county's table with the county's figures (`rules.assess`: computed ones from the
    table, declared ones cross-checked). `county_results` (already checked, e.g. stored with an
    evaluation) replaces `figures` when given. `scanned` names the documents the veto scan read."""
    found = tuple(findings)
    if county_results is None:
        a = assess(table, standard, figures or {}, findings=found)
        resources, results, verdict = a.resources, a.county.results, a.verdict
    else:
        resources, results = evaluate_resources(table, standard), tuple(county_results)
        verdict = decide(resources, list(results), list(found))
    return CountyCase(plan.name, plan.recognition_year, year, resources, tuple(results), found, verdict, plan.label,
                      None if scanned is None else tuple(scanned))


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
