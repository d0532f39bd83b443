"""What-if plans (方案推演): a county or the committee edits a plan — 3 PE teachers here, 2,000 m² there,
200 students moved between schools — and sees the verdict, the CVs and the remaining cost change.

A plan is a list of edits, each an `Addition` (a figure added to one row, in the header's unit) or a
`Move` (students from one row to another). `what_if` applies them to the table and returns the
verdict before and after, the CVs, what the edits cost and what the cheapest plan would still need
on top. Pure: table and edits in, the comparison out; a plan's JSON is what is saved and versioned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspection.columns import column
from inspection.errors import InspectionError
from inspection.planning import Costs, plan_additions
from inspection.rules.resources import evaluate_resources
from inspection.standard import STAGE_ZH, Standard
from inspection.table import SchoolTable, parse_stage


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Addition(_Edit):
    """`amount` of `field` added to row (school, stage), in the canonical header's unit (万元 for equipment)."""

    kind: str = Field("add", pattern="^add$")
    school: str
    stage: str
    field: str
    amount: float


class Move(_Edit):
    """`students` moved from one row to another (学区调整, 分流)."""

    kind: str = Field("move", pattern="^move$")
    school: str
    stage: str
    to_school: str
    to_stage: str
    students: int


class WhatIfPlan(BaseModel):
    """A saved what-if plan (推演方案): a title and its edits."""

    model_config = ConfigDict(extra="forbid")
    title: str = ""
    edits: list[Addition | Move] = []


@dataclass(frozen=True)
class Outcome:
    passed: bool
    failing: int
    cv: dict[str, dict[str, float]]
    remaining_wan: float


@dataclass(frozen=True)
class WhatIf:
    before: Outcome
    after: Outcome
    edits_cost_wan: float
    table: SchoolTable

    def as_json(self) -> dict:
        def one(o: Outcome) -> dict:
            return {"resource_passed": o.passed, "failing_schools": o.failing, "cv": o.cv, "remaining_cost_wan": o.remaining_wan}
        return {"before": one(self.before), "after": one(self.after), "edits_cost_wan": self.edits_cost_wan}


def _row(table: SchoolTable, school: str, stage: str) -> int:
    code = parse_stage(stage) or stage
    for i, (name, s) in enumerate(zip(table.names, table.stages)):
        if name == school and s == code:
            return i
    raise InspectionError(f"推演方案中的学校“{school}（{STAGE_ZH.get(code, stage)}）”不在学校数据表中",
                          f"what-if plan: no row {school} / {stage}", school=school, stage=stage)


def apply_edits(table: SchoolTable, plan: WhatIfPlan) -> SchoolTable:
    """The table with the plan's edits made (people, rooms and students as given; 万元 → 元)."""
    figures = {f: np.array(v, dtype=float) for f, v in table.figures.items()}
    for e in plan.edits:
        i = _row(table, e.school, e.stage)
        if isinstance(e, Addition):
            factor = 10000.0 if column(e.field).unit == "元" else 1.0
            figures[e.field][i] += e.amount * factor
        else:
            j = _row(table, e.to_school, e.to_stage)
            moved = min(e.students, figures["students"][i])
            figures["students"][i] -= moved
            figures["students"][j] += moved
    return replace(table, figures=figures)


def edits_cost(plan: WhatIfPlan, costs: Costs) -> float:
    """What the additions cost at the unit costs (moving students is not costed)."""
    total = 0.0
    for e in plan.edits:
        if isinstance(e, Addition):
            factor = 10000.0 if column(e.field).unit == "元" else 1.0
            total += e.amount * factor * costs.per_engine_unit(e.field)
    return round(total, 2)


def outcome(table: SchoolTable, standard: Standard, costs: Costs) -> Outcome:
    ev = evaluate_resources(table, standard)
    cvs = {s: {k: round(v, 4) for k, v in d.items()} for s, d in ev.cv_by_stage().items()}
    return Outcome(ev.resource_passed, int((ev.included & ~ev.passed).sum()), cvs,
                   plan_additions(table, standard, costs).cost_wan)


def what_if(table: SchoolTable, standard: Standard, costs: Costs, plan: WhatIfPlan) -> WhatIf:
    edited = apply_edits(table, plan)
    return WhatIf(outcome(table, standard, costs), outcome(edited, standard, costs), edits_cost(plan, costs), edited)


def read_what_if(path) -> WhatIfPlan:
    """A what-if plan from its JSON file, validated (a bad file is an `InspectionError`)."""
    try:
        return WhatIfPlan.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise InspectionError(f"推演方案文件无法读取：{path}", f"what-if plan unreadable: {path}: {exc}",
                              file=str(path)) from exc


def parse_what_if(data: dict) -> WhatIfPlan:
    """A what-if plan from its JSON data (a web form's), validated as `read_what_if` does."""
    try:
        return WhatIfPlan.model_validate(data)
    except ValidationError as exc:
        raise InspectionError("推演方案内容不完整或有误", f"what-if plan invalid: {exc}") from exc


def what_if_text(w: WhatIf) -> str:
    def verdict(o: Outcome) -> str:
        return f"{'达标' if o.passed else '未达标'}，未达标学校{o.failing}个，尚需约{o.remaining_wan:,.2f}万元"
    return "\n".join([f"推演方案：方案本身约{w.edits_cost_wan:,.2f}万元", f"  推演前：{verdict(w.before)}",
                      f"  推演后：{verdict(w.after)}"])
