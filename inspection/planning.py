"""What a county must add to pass resource allocation (资源配置达标测算): the cheapest additions that
make every school meet the school rule and every CV its limit, the two together.

    1. School by school (exact per school): every indicator reaches its threshold except at most
       (7 − school_min_met), which reach the floor (85 %), the skipped ones those whose full cost saves
       most; then, where a stage's CV (差异系数) is over its limit, the lowest schools are raised to a
       common level (water-filling). Quick, and it passes: the incumbent.
    2. The county as one MILP (inspection/planning_solver.py, HiGHS): the school rule with a binary
       per school and indicator, the CV limits as second-order cones met by cutting planes. It proves a
       lower bound on any plan's cost and, where it closes the gap, finds the optimum across schools.
    3. People and rooms are whole units; areas go up in 0.01 m², equipment in 0.01 万元. Then every
       whole unit added is taken away again where the table still passes without it, so that one
       person or room less in any row makes it fail (the plan is minimal unit by unit). The cheaper
       of the two candidates is the plan (docs/planning.md).

Unit costs and the indicator → figure levers are data (`standards/costs-<id>.toml`, every cost
marked as an assumption). Pure: a table and rules in, the plan out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from inspection.columns import column
from inspection.planning_solver import Problem, Solution, solve
from inspection.rules.resources import evaluate_resources, weighted_cv, within_cv_limit
from inspection.standard import STAGE_ZH, STANDARDS_DIR, Standard, read_rule_toml, validate_rule_data
from inspection.table import SchoolTable

_EPS = 1e-9
CV_MARGIN = 1e-6          # aim just under a CV limit, so rounding the additions cannot tip it over


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitCost(_Record):
    field: str
    cost_wan: float
    per: str
    assumption: str = ""


class CostsInfo(_Record):
    id: str
    title: str
    currency: str = "万元"


class Projection(_Record):
    """Assumptions of the enrolment projection (inspection/planning_cohorts.py), editable here or on
    the command line; `intake_growth` a year, for the first primary grade; `transition` the share of
    primary leavers entering junior schools in the county."""

    intake_growth: float = 0.0
    transition: float = 1.0
    assumption: str = ""


class Relief(_Record):
    """Unit costs of relieving school and class sizes (inspection/planning_limits.py): a class added
    (its classroom), and a place for a student moved out of an oversized school (a new school's)."""

    class_cost_wan: float = 0.0
    place_cost_wan: float = 0.0
    assumption: str = ""


class Costs(_Record):
    costs: CostsInfo
    items: tuple[UnitCost, ...]
    levers: dict[str, str] = {}
    projection: Projection = Projection()
    relief: Relief = Relief()

    def per_engine_unit(self, field: str) -> float:
        """万元 per unit of the figure as the engine holds it (元 for equipment)."""
        item = next((i for i in self.items if i.field == field), None)
        if item is None:
            return 0.0
        return item.cost_wan / 10000 if column(field).unit == "元" and item.per == "万元" else item.cost_wan


def load_costs(ref: str = "kashgar") -> Costs:
    """Unit costs by id (`standards/costs-<id>.toml`) or path, validated."""
    path = Path(ref) if ref.endswith(".toml") else STANDARDS_DIR / f"costs-{ref}.toml"
    what = ("测算单价文件", "cost file")
    return validate_rule_data(Costs, read_rule_toml(path, what), path, what)


@dataclass(frozen=True)
class Plan:
    """Additions in the engine's units, `additions[field][i]` for row i of `table` (before them)."""

    table: SchoolTable
    after: SchoolTable
    additions: dict[str, np.ndarray]
    cost_wan: float
    passed: bool
    lower_bound_wan: float | None = None    # the MILP's proven lower bound on any plan's cost


def _step(field: str) -> float:
    col = column(field)
    if col.kind == "count":
        return 1.0
    return 100.0 if col.unit == "元" else 0.01        # 0.01 万元; 0.01 m²


def _round_up(amount: np.ndarray, field: str) -> np.ndarray:
    step = _step(field)
    return np.maximum(0.0, np.ceil(np.maximum(amount, 0.0) / step - 1e-7) * step)


class _Model:
    """The school table as a matrix the planner edits, with the indicator arithmetic."""

    def __init__(self, table: SchoolTable, standard: Standard, costs: Costs):
        self.table, self.standard = table, standard
        self.inds = standard.resource_indicators
        self.levers = [costs.levers.get(i.id, i.formula.numerator[0]) for i in self.inds]
        self.fields = sorted(set(self.levers))
        self.figures = {f: np.array(v, dtype=float) for f, v in table.figures.items()}
        self.added = {f: np.zeros(len(table)) for f in self.fields}
        junior = table.stages == "junior"
        self.thresholds = np.column_stack([np.where(junior, i.threshold["junior"], i.threshold["primary"])
                                           for i in self.inds])
        self.included = evaluate_resources(table, standard).included

    def have(self, k: int, rows=slice(None)) -> np.ndarray:
        return sum(self.figures[f][rows] + (self.added[f][rows] if f in self.added else 0)
                   for f in self.inds[k].formula.numerator)

    def values(self, k: int, rows=slice(None)) -> np.ndarray:
        f = self.inds[k].formula
        return self.have(k, rows) * f.scale / self.figures[f.denominator][rows]

    def need(self, k: int, target: np.ndarray, rows=slice(None)) -> np.ndarray:
        """The lever figure to add so indicator k reaches `target` (a value per row), rounded up."""
        f = self.inds[k].formula
        amount = target * self.figures[f.denominator][rows] / f.scale - self.have(k, rows)
        return _round_up(amount, self.levers[k])

    def school_ok(self, i: int) -> bool:
        opts = self.standard.options
        v = np.array([self.values(k, i) for k in range(len(self.inds))])
        t = self.thresholds[i]
        met = v >= t * (1 - _EPS)
        return bool(met.sum() >= opts.school_min_met and (v >= t * opts.school_floor_ratio * (1 - _EPS)).all())

    def group(self, stage: str) -> np.ndarray:
        return np.flatnonzero(self.included & (self.table.stages == stage))

    def cv(self, k: int, rows: np.ndarray, values: np.ndarray | None = None) -> float:
        """Indicator k's CV over `rows` (the engine's formula), of `values` when given (a trial)."""
        x = (self.values(k, rows) if values is None else values)[:, None]
        return float(weighted_cv(x, self.figures["students"][rows], np.zeros(len(rows), dtype=int), 1)[0, 0])


def _school_rule(m: _Model, costs: Costs) -> None:
    opts = m.standard.options
    skips = len(m.inds) - opts.school_min_met
    for i in np.flatnonzero(m.included):
        if m.school_ok(i):
            continue
        full = [m.need(k, m.thresholds[i, k], i) for k in range(len(m.inds))]
        floor = [m.need(k, m.thresholds[i, k] * opts.school_floor_ratio, i) for k in range(len(m.inds))]
        unit = [costs.per_engine_unit(m.levers[k]) for k in range(len(m.inds))]
        savings = [(full[k] - floor[k]) * unit[k] for k in range(len(m.inds))]
        skipped = set(sorted(range(len(m.inds)), key=lambda k: (-savings[k], k))[:skips])
        for k in range(len(m.inds)):
            m.added[m.levers[k]][i] += floor[k] if k in skipped else full[k]


def _cv_limits(m: _Model) -> None:
    limits = m.standard.options.cv_limit
    for stage in ("primary", "junior"):
        rows = m.group(stage)
        if len(rows) < 2:
            continue
        for k in range(len(m.inds)):
            limit = limits[stage] * (1 - CV_MARGIN)
            for _ in range(6):                        # rounding up can leave it a hair over: go again
                if within_cv_limit(m.cv(k, rows), limits[stage]):
                    break
                x = m.values(k, rows)
                lo, hi = float(x.min()), float(x.max())
                for _ in range(60):                   # the lowest common level that is enough
                    mid = (lo + hi) / 2
                    lo, hi = (lo, mid) if m.cv(k, rows, np.maximum(x, mid)) <= limit else (mid, hi)
                m.added[m.levers[k]][rows] += m.need(k, np.maximum(x, hi), rows)
                limit *= 1 - 1e-4


def _passes_without_one(m: _Model, i: int, field: str) -> bool:
    """Whether the table still passes with one unit of `field` less in row i (then keep it less)."""
    m.added[field][i] -= 1
    stage = str(m.table.stages[i])
    rows = m.group(stage)
    limit = m.standard.options.cv_limit[stage]
    ok = m.school_ok(i) and all(within_cv_limit(m.cv(k, rows), limit)
                                for k in range(len(m.inds)) if field in m.inds[k].formula.numerator)
    if not ok:
        m.added[field][i] += 1
    return ok


def _prune(m: _Model) -> None:
    counts = [f for f in m.fields if column(f).kind == "count"]
    changed = True
    while changed:
        changed = False
        for field in counts:
            for i in np.flatnonzero(m.added[field] >= 1):
                while m.added[field][i] >= 1 and _passes_without_one(m, i, field):
                    changed = True


def _problem(m: _Model, costs: Costs) -> tuple[np.ndarray, Problem]:
    """The rows in scope and the MILP over them (inspection/planning_solver.py)."""
    rows = np.flatnonzero(m.included)
    students = m.figures["students"][rows]
    have = np.column_stack([m.have(k, rows) for k in range(len(m.inds))])
    per = np.column_stack([m.figures[i.formula.denominator][rows] / i.formula.scale for i in m.inds])
    groups = []
    for stage in ("primary", "junior"):
        local = np.flatnonzero(m.table.stages[rows] == stage)
        if len(local) >= 2:
            groups.append((local, students[local] / students[local].sum(), m.standard.options.cv_limit[stage]))
    failing = np.array([not m.school_ok(i) for i in rows], dtype=bool)
    return rows, Problem(have=have, per=per, threshold=m.thresholds[rows], lever=tuple(m.fields.index(f) for f in m.levers),
                         cost=np.array([costs.per_engine_unit(f) for f in m.fields]),
                         integer=np.array([column(f).kind == "count" for f in m.fields]), failing=failing,
                         floor=m.standard.options.school_floor_ratio, min_met=m.standard.options.school_min_met,
                         groups=tuple(groups))


def _greedy(table: SchoolTable, standard: Standard, costs: Costs) -> _Model:
    """School by school (exact per school), then water-filling: a plan that passes, quickly."""
    m = _Model(table, standard, costs)
    _school_rule(m, costs)
    _cv_limits(m)
    return m


def _milp(greedy: _Model, costs: Costs, solver: str) -> tuple[_Model, Solution]:
    """The MILP's plan (inspection/planning_solver.py), the school-by-school plan its incumbent."""
    m = _Model(greedy.table, greedy.standard, costs)
    rows, problem = _problem(m, costs)
    solution = solve(problem, solver, np.column_stack([greedy.added[f][rows] for f in m.fields]))
    for j, f in enumerate(m.fields):
        amount = solution.added[:, j]
        m.added[f][rows] = np.round(amount) if column(f).kind == "count" else _round_up(amount, f)
    _school_rule(m, costs)          # only a row that rounding left short
    _cv_limits(m)
    return m, solution


def _cost(m: _Model, costs: Costs) -> float:
    return sum(float((m.added[f] * costs.per_engine_unit(f)).sum()) for f in m.fields)


def plan_additions(table: SchoolTable, standard: Standard, costs: Costs, method: str = "milp") -> Plan:
    """The plan for `table` as it stands (see the module's docstring). `method`: "milp" (HiGHS),
    "pulp" (the same MILP with CBC) or "greedy" (school by school, then water-filling). Each
    candidate is pruned unit by unit; the cheaper is the plan."""
    greedy = _greedy(table, standard, costs)
    candidates, solution = [greedy], None
    if method != "greedy":
        try:
            m, solution = _milp(greedy, costs, "pulp" if method == "pulp" else "highs")
            candidates.append(m)
        except (ImportError, RuntimeError):     # no solver installed, or it failed: the plan stands, unproven
            solution = None
    for m in candidates:
        _prune(m)
    m = min(candidates, key=lambda c: _cost(c, costs))
    figures = dict(table.figures)
    for f, extra in m.added.items():
        figures[f] = table.figures[f] + extra
    after = replace(table, figures=figures)
    return Plan(table, after, {f: m.added[f] for f in m.fields}, round(_cost(m, costs), 2),
                evaluate_resources(after, standard).resource_passed,
                None if solution is None else math.floor(min(solution.lower_bound, _cost(m, costs)) * 100) / 100)


def plan_json(plan: Plan) -> dict:
    """`{"additions": [{"学校名称", "学段", "<canonical header>": amount, …}], "cost_wan"}` (STANDARD.md §5):
    each amount is what to add to that column of that row, in the header's unit (people and rooms whole)."""
    rows = []
    for i, name in enumerate(plan.table.names):
        item = {}
        for f, extra in plan.additions.items():
            if extra[i] <= 0:
                continue
            col = column(f)
            if col.kind == "count":
                item[col.header] = int(round(extra[i]))
            elif col.unit == "元":
                item[col.header] = round(extra[i] / 10000, 2)
            else:
                item[col.header] = round(float(extra[i]), 2)
        if item:
            rows.append({"学校名称": name, "学段": STAGE_ZH[str(plan.table.stages[i])], **item})
    return {"additions": rows, "cost_wan": plan.cost_wan, "resource_passed_after": plan.passed,
            "cost_lower_bound_wan": plan.lower_bound_wan}


def plan_text(plan: Plan, costs: Costs) -> str:
    data = plan_json(plan)
    lines = [f"达标测算：{len(data['additions'])}个学校（学段）需补充，合计约{data['cost_wan']:,.2f}万元"
             f"（单价为暂定值，待委员会确认：{costs.costs.title}）"]
    for row in data["additions"]:
        parts = "，".join(f"{h}+{v:g}" for h, v in row.items() if h not in ("学校名称", "学段"))
        lines.append(f"  {row['学校名称']}（{row['学段']}）：{parts}")
    lines.append("补充后资源配置：" + ("达标" if plan.passed else "仍未达标"))
    if plan.lower_bound_wan is not None:
        lines.append(f"整数规划证明的费用下界：{plan.lower_bound_wan:,.2f}万元（本方案高出{plan.cost_wan - plan.lower_bound_wan:,.2f}万元）")
    return "\n".join(lines)
