"""What a transition may require, as a table of small checks over a county's `Facts`.

The cycle data names requirements (`document:self_assessment`, `findings_resolved`, …); each name
maps to one check here that answers whether it holds and, when it does not, why — in Chinese and
English, for the `StageError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping


@dataclass(frozen=True)
class Facts:
    """What the database knows about a county, gathered by the services for one decision.

    `documents` are the kinds of documents submitted for the current round (a self-assessment
    document counts until a verdict has been given on it); the counts refer to the evaluation the
    committee is deciding on.
    """

    county: str
    stage: str
    documents: frozenset[str] = frozenset()
    evaluated: bool = False
    open_findings: int = 0          # problems found and not yet resolved (schools, CVs, indicators)
    open_vetoes: int = 0            # veto findings not yet confirmed or dismissed
    confirmed_vetoes: int = 0
    open_cases: int = 0             # accountability cases not closed
    recognised: bool = False        # has ever been nationally recognised
    outcome: str | None = None      # the round's whole verdict: met | not_met | pending | vetoed
    pending: tuple[str, ...] = ()   # indicators lacking data or a decision
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Unmet:
    zh: str
    en: str


Check = Callable[[Facts, str, str], Unmet | None]   # (facts, argument, reason) → None when met


def _document(f: Facts, kind: str, _reason: str) -> Unmet | None:
    if kind in f.documents:
        return None
    return Unmet(f"尚未提交本轮“{kind}”材料", f"no '{kind}' document has been submitted for this round")


def _evaluated(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    return None if f.evaluated else Unmet("自评材料尚未完成核算评估", "the self-assessment has not been evaluated")


def _findings_resolved(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    if f.open_findings == 0:
        return None
    return Unmet(f"还有{f.open_findings}个问题未整改或未处理", f"{f.open_findings} finding(s) are still open")


def _no_veto(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    if f.confirmed_vetoes:
        return Unmet(f"存在{f.confirmed_vetoes}项经核实的不予认定情形", f"{f.confirmed_vetoes} veto(es) confirmed")
    if f.open_vetoes:
        return Unmet(f"还有{f.open_vetoes}项疑似不予认定情形待督导委员会核实",
                     f"{f.open_vetoes} possible veto(es) await the committee's decision")
    return None


def _veto_confirmed(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    return None if f.confirmed_vetoes else Unmet("没有经核实的不予认定情形", "no veto has been confirmed")


def _outcome_met(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    """Recommendation needs the whole verdict met: all four parts, nothing pending, no veto."""
    if f.outcome == "met":
        return None
    if f.pending:
        ids = "、".join(f.pending[:12]) + ("等" if len(f.pending) > 12 else "")
        return Unmet(f"尚有{len(f.pending)}项指标待补充数据或待督导认定（{ids}），评估结论不是“达标”",
                     f"{len(f.pending)} indicator(s) lack data or a decision ({', '.join(f.pending)}); "
                     f"the outcome is {f.outcome}")
    zh = {"not_met": "未达到优质均衡标准", "pending": "待核实", "vetoed": "不予认定"}.get(f.outcome or "", "尚未评估")
    return Unmet(f"评估结论为“{zh}”，不能推荐", f"the outcome is {f.outcome}, not met")


def _cases_closed(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    if f.open_cases == 0:
        return None
    return Unmet(f"还有{f.open_cases}个问责案件未结案", f"{f.open_cases} accountability case(s) are open")


def _was_recognised(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    return None if f.recognised else Unmet("该县市尚未通过国家认定", "the county has not been recognised")


def _never_recognised(f: Facts, _arg: str, _reason: str) -> Unmet | None:
    return Unmet("该县市已通过国家认定", "the county has already been recognised") if f.recognised else None


def _reason(_f: Facts, _arg: str, reason: str) -> Unmet | None:
    return None if reason.strip() else Unmet("须说明理由", "a reason must be given")


CHECKS: dict[str, Check] = {
    "document": _document, "evaluated": _evaluated, "findings_resolved": _findings_resolved,
    "outcome_met": _outcome_met,
    "no_veto": _no_veto, "veto_confirmed": _veto_confirmed, "cases_closed": _cases_closed,
    "was_recognised": _was_recognised, "never_recognised": _never_recognised, "reason": _reason,
}


def split(requirement: str) -> tuple[str, str]:
    name, _, arg = requirement.partition(":")
    return name, arg


def known_requirement(requirement: str, documents: Mapping[str, object]) -> bool:
    name, arg = split(requirement)
    return name in CHECKS and (name != "document" or arg in documents)


def unmet(requirements: tuple[str, ...], facts: Facts, reason: str = "",
          document_names: Mapping[str, str] | None = None) -> list[Unmet]:
    """Every requirement that does not hold, in the order the cycle lists them."""
    out = []
    for requirement in requirements:
        name, arg = split(requirement)
        problem = CHECKS[name](facts, arg, reason)
        if problem and name == "document" and document_names:
            problem = Unmet(problem.zh.replace(f"“{arg}”", f"“{document_names.get(arg, arg)}”"), problem.en)
        if problem:
            out.append(problem)
    return out
