"""创建后"大幅度滑坡" (slid back markedly after recognition), judged from two evaluation results.

Both inputs are the stored evaluation JSON (`schools`, `cv`, `county_indicators`, STANDARD.md §5 plus
the county indicators); the thresholds come from the cycle data's `[slide]` table, so what counts as
"markedly" is rule data the committee can change, and every reason is a sentence a letter can quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from inspection.cycle.model import SlideRule
from inspection.standard import STAGE_ZH


@dataclass(frozen=True)
class SlideJudgement:
    marked: bool
    reasons: tuple[str, ...]


def _failing(result: Mapping) -> set[tuple[str, str]]:
    return {(s["name"], s["stage"]) for s in result.get("schools", []) if not s["passed"]}


def judge_slide(baseline: Mapping, latest: Mapping, rule: SlideRule,
                cv_limit: Mapping[str, float]) -> SlideJudgement:
    """Compare the latest monitoring with the evaluation approved at recognition."""
    reasons: list[str] = []
    rows = len(latest.get("schools", []))
    failing = _failing(latest)
    if rows and len(failing) / rows > rule.failing_school_share:
        reasons.append(f"{len(failing)}/{rows}个学校学段资源配置未达标，超过{rule.failing_school_share:.0%}")
    newly = sorted(failing - _failing(baseline))
    if len(newly) >= rule.newly_failing_schools:
        names = "、".join(f"{n}（{STAGE_ZH.get(st, st)}）" for n, st in newly[:5])
        more = f"等{len(newly)}个" if len(newly) > 5 else ""
        reasons.append(f"认定时达标的{names}{more}学校学段现未达标")
    for stage, values in latest.get("cv", {}).items():
        limit = cv_limit.get(stage)
        for indicator, value in values.items():
            if limit is not None and value is not None and value > limit + rule.cv_over_limit_by:
                reasons.append(f"{STAGE_ZH.get(stage, stage)}{indicator}差异系数{value:.3f}，"
                               f"超过上限{limit:.2f}逾{rule.cv_over_limit_by:g}")
    before = baseline.get("county_indicators", {})
    lost = sorted(i for i, r in latest.get("county_indicators", {}).items()
                  if r.get("met") is False and before.get(i, {}).get("met") is True)
    if len(lost) >= rule.county_indicators_lost:
        reasons.append(f"认定时达标的县级指标{'、'.join(lost)}现未达标")
    return SlideJudgement(bool(reasons), tuple(reasons))
