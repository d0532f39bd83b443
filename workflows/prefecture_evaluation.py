"""Flow: the prefecture committee's evaluation (地区督导评估) — verdict, letter, next stage."""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

from typing import Literal

from prefect import flow

from workflows import tasks


@flow(name="prefecture-evaluation", description="地区督导评估：核定问题 → 作出结论并变更阶段 → 出具督导评估意见书",
      validate_parameters=True)
def prefecture_evaluation(county: str, decision: Literal["approve", "return", "veto"], actor: str, reason: str,
                          as_of: str | None = None, deadline: str | None = None,
                          finding_decisions: list[dict] | None = None, letter: bool = True) -> dict:
    """Apply the committee's decisions on findings, record the verdict (approve → 推荐自治区评估,
    return → 整改 with a deadline, veto → 不予认定) with its document number and stage change in one
    transaction, then render the letter. Illegal verdicts are refused with the reason (StageError).
    Re-running finds the recorded verdict and only renders a letter that is still missing.
    """
    as_of = as_of or tasks.today()
    changed = tasks.decide_findings(finding_decisions or [], actor, as_of) if finding_decisions else 0
    verdict = tasks.record_verdict(county, decision, actor, reason, as_of, deadline)
    path = tasks.render_letter(verdict["verdict_id"], as_of) if letter else None
    return {"county": county, "findings_decided": changed, **verdict, "letter": path}
