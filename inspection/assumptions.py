"""Rule-data values the sources do not fix (暂定值): every one is marked in its TOML file, and this is
the one list of them, for the rules page, the command line and the pages that use them.

    standard  an indicator's `verify` (its wording or threshold could not be confirmed, e.g. G7)
    cycle     a deadline's, the recognition date's, accountability's or the slide rule's `assumption`
    schedule  a county's `note` (the plan's own inconsistency, e.g. 2027 in 四 against 2030 in 二（三）)
"""

from __future__ import annotations

from dataclasses import dataclass

PROVISIONAL = "暂定，待委员会确认"


@dataclass(frozen=True)
class Assumption:
    source: str      # standard | cycle | schedule
    where: str       # what the value belongs to, in words
    value: str       # the value in force
    why: str         # why it is provisional


def assumptions(standard, cycle, schedule) -> list[Assumption]:
    """Every provisional value of the standard, the cycle and the schedule in force, in file order."""
    out = [Assumption("standard", f"{standard.id} 指标{i.id}", i.wording, i.verify)
           for i in standard.indicators if i.verify]
    due = cycle.cycle.recognition_due
    if due.assumption:
        out.append(Assumption("cycle", "创建年份的认定期限", f"创建年份{due.month}月{due.day}日", due.assumption))
    for stage in cycle.stages:
        rule = stage.deadline
        if rule.assumption:
            out.append(Assumption("cycle", f"阶段“{stage.zh}”的期限", rule.note or rule.what, rule.assumption))
    acc = cycle.accountability
    if acc.assumption:
        out.append(Assumption("cycle", "问责规则", f"整改{acc.rectification_days}日，逾期每{acc.escalation_days}日升级："
                              + "→".join(acc.levels), acc.assumption))
    slide = cycle.slide
    if slide.assumption:
        out.append(Assumption("cycle", "“大幅度滑坡”的认定",
                              f"未达标学校学段超过{slide.failing_school_share:.0%}，或新增未达标{slide.newly_failing_schools}个，"
                              f"或差异系数超限{slide.cv_over_limit_by}，或县级指标{slide.county_indicators_lost}项由达标变为未达标",
                              slide.assumption))
    out += [Assumption("schedule", f"{c.name}的创建年份", f"{c.recognition_year}年", c.note)
            for c in schedule.counties if c.note]
    return out
