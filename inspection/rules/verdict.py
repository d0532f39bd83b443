"""The county verdict per the 2017 method: all four parts met, and no veto confirmed.

    vetoed   a veto finding the committee confirmed (overrides everything else)
    not_met  a school fails, a CV is over its limit, or a county-level indicator is not met
    pending  nothing fails, but an indicator lacks data or a decision, or a veto finding awaits one
    met      every indicator of the four parts is met and no veto finding is open or confirmed

`pending` names exactly the indicators that lack data or a decision, whatever the outcome, and
`open_vetoes` the findings still to be decided (待核实: evidence, not yet a veto).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inspection.rules.county import IndicatorResult
from inspection.rules.resources import ResourceEvaluation
from inspection.rules.vetoes import VetoFinding

Outcome = Literal["met", "not_met", "pending", "vetoed"]
OUTCOME_ZH = {"met": "达到优质均衡标准", "not_met": "未达到优质均衡标准",
              "pending": "待补充材料或待认定", "vetoed": "不予认定"}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[str, ...]
    pending: tuple[str, ...] = ()            # indicator ids lacking data or a decision
    open_vetoes: tuple[VetoFinding, ...] = ()

    @property
    def label(self) -> str:
        return OUTCOME_ZH[self.outcome]


def decide(resources: ResourceEvaluation, county: list[IndicatorResult],
           findings: list[VetoFinding]) -> Verdict:
    """A confirmed veto overrides everything; then any unmet indicator; then anything undecided."""
    standard = resources.standard
    pending = tuple(r.indicator.id for r in county if r.met is None)
    open_vetoes = tuple(f for f in findings if f.status == "open")
    confirmed = [f for f in findings if f.status == "confirmed"]
    if confirmed:
        return Verdict("vetoed", tuple(f.sentence(standard) for f in confirmed), pending, open_vetoes)
    reasons = resources.failure_sentences()
    reasons += [s for s in resources.cv_sentences() if "超过" in s]
    reasons += [r.sentence for r in county if r.met is False]
    if reasons:
        return Verdict("not_met", tuple(reasons), pending, open_vetoes)
    waiting = [r.sentence for r in county if r.met is None]
    waiting += [f"待核实：{f.sentence(standard)}" for f in open_vetoes]
    if waiting:
        return Verdict("pending", tuple(waiting), pending, open_vetoes)
    return Verdict("met", ("资源配置、政府保障程度、教育质量和社会认可度各项指标均达到要求",), pending, open_vetoes)
