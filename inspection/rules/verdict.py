"""The county verdict: resources, county-level indicators and vetoes combined, with its reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inspection.rules.county import IndicatorResult
from inspection.rules.resources import ResourceEvaluation
from inspection.rules.vetoes import VetoFinding, blocking_findings

Outcome = Literal["met", "not_met", "pending", "vetoed"]
OUTCOME_ZH = {"met": "达到优质均衡标准", "not_met": "未达到优质均衡标准",
              "pending": "待补充材料", "vetoed": "不予认定"}


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return OUTCOME_ZH[self.outcome]


def decide(resources: ResourceEvaluation, county: list[IndicatorResult],
           findings: list[VetoFinding]) -> Verdict:
    """A veto not dismissed overrides everything; then any unmet indicator; then any missing figure."""
    standard = resources.standard
    vetoes = blocking_findings(findings)
    if vetoes:
        return Verdict("vetoed", tuple(f.sentence(standard) for f in vetoes))
    reasons = [f"{s.name}（{'小学' if s.stage == 'primary' else '初中'}）资源配置未达标：{s.reason}"
               for s in resources.failing_schools()]
    reasons += [s for s in resources.cv_sentences() if "超过" in s]
    reasons += [r.sentence for r in county if r.met is False]
    if reasons:
        return Verdict("not_met", tuple(reasons))
    pending = tuple(r.sentence for r in county if r.met is None)
    if pending:
        return Verdict("pending", pending)
    return Verdict("met", ("各项指标均达到要求，未发现不予认定情形",))
