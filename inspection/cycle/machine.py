"""The state machine: may this actor move this county from its stage to that one, and by when is the
next step due? Pure: takes the cycle data and a county's `Facts`, returns a decision or raises
`StageError` with the reason in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspection.cycle.model import ROLE_ZH, Cycle, Role, TransitionDef
from inspection.cycle.requirements import Facts, unmet
from inspection.errors import StageError


@dataclass(frozen=True)
class Actor:
    """Who acts: a name for the audit trail, a role, and for a county user the county they speak for."""

    name: str
    role: Role
    county: str | None = None

    @classmethod
    def system(cls, name: str = "system") -> "Actor":
        return cls(name, "system")


@dataclass(frozen=True)
class Move:
    """An allowed transition and the deadline the county carries into its new stage."""

    transition: TransitionDef
    deadline: date | None


def check_transition(cycle: Cycle, facts: Facts, target: str, actor: Actor, *, reason: str = "",
                     county_names: tuple[str, ...] = ()) -> TransitionDef:
    """Return the transition if `actor` may move the county to `target` now; else raise `StageError`.

    Refused when the stage is unknown, the cycle has no such transition, the actor's role may not make
    it (a county user only for their own county), or a requirement is not met (all are listed).
    """
    source_zh, target_zh = cycle.stage_zh(facts.stage), cycle.stage_zh(target)
    transition = cycle.transition(facts.stage, target)
    if transition is None:
        allowed = "、".join(cycle.stage_zh(t.target) for t in cycle.transitions_from(facts.stage)) or "无"
        raise StageError(
            f"{facts.county}处于“{source_zh}”阶段，不能直接转入“{target_zh}”（可转入：{allowed}）",
            f"{facts.county} is at '{facts.stage}' and cannot move to '{target}'",
            county=facts.county, source=facts.stage, target=target, why="no_such_transition")
    if actor.role not in transition.by:
        who = "、".join(ROLE_ZH[r] for r in transition.by)
        raise StageError(
            f"{ROLE_ZH.get(actor.role, actor.role)}{actor.name}无权将{facts.county}由“{source_zh}”转入“{target_zh}”（仅限{who}）",
            f"a {actor.role} user may not move {facts.county} from '{facts.stage}' to '{target}' "
            f"(only {', '.join(transition.by)})",
            county=facts.county, source=facts.stage, target=target, why="role")
    if actor.role == "county" and actor.county not in (facts.county, *county_names):
        raise StageError(f"县级用户{actor.name}只能办理本县市事项，不能办理{facts.county}的事项",
                         f"county user {actor.name} may act only for their own county, not {facts.county}",
                         county=facts.county, why="other_county")
    names = {k: v.zh for k, v in cycle.documents.items()}
    problems = unmet(transition.requires, facts, reason, names)
    if problems:
        raise StageError(
            f"{facts.county}不能由“{source_zh}”转入“{target_zh}”：" + "；".join(p.zh for p in problems),
            f"{facts.county} cannot move from '{facts.stage}' to '{target}': " + "; ".join(p.en for p in problems),
            county=facts.county, source=facts.stage, target=target, why="requirements",
            unmet=[p.zh for p in problems])
    return transition


def plan_move(cycle: Cycle, facts: Facts, target: str, actor: Actor, *, today: date, recognition_year: int,
              reason: str = "", deadline: date | None = None, county_names: tuple[str, ...] = ()) -> Move:
    """Check the transition and work out the deadline of the new stage (an explicit one wins)."""
    transition = check_transition(cycle, facts, target, actor, reason=reason, county_names=county_names)
    if deadline is not None and deadline < today:
        raise StageError(f"整改期限{deadline}早于今天{today}", f"deadline {deadline} is before today {today}",
                         county=facts.county, why="deadline_past")
    due = deadline or cycle.stage(target).deadline.due(entered=today, recognition_year=recognition_year,
                                                       today=today)
    return Move(transition, due)


def stage_deadline(cycle: Cycle, stage: str, *, entered: date, recognition_year: int, today: date,
                   stored: date | None = None) -> date | None:
    """The deadline a county carries in `stage`: the one stored at the transition, or the stage's rule.

    Recurring rules (`year_end`) are always recomputed for `today`.
    """
    rule = cycle.stage(stage).deadline
    if rule.rule == "year_end":
        return rule.due(entered=entered, recognition_year=recognition_year, today=today)
    return stored or rule.due(entered=entered, recognition_year=recognition_year, today=today)
