"""Resource allocation (资源配置): per-school indicators R1–R7, the school rule, and weighted CVs.

Everything is computed on whole columns with NumPy, so one county and a nation-scale table take
the same path; explanations are built only when asked for (`school_result`, `shortfalls`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from inspection.columns import column
from inspection.numerals import fmt_amount, fmt_number
from inspection.standard import STAGE_ZH, STAGES, Indicator, Standard
from inspection.table import SchoolTable

# Relative tolerance so a value computed exactly at its threshold (21 × 100 / 500 = 4.2) is met.
_EPS = 1e-9


def within_cv_limit(cv, limit):
    """The one comparison of a coefficient of variation with its limit (exactly at the limit is within),
    for arrays or single values: the verdict, the terminal table, letters and ledgers all use it."""
    return cv <= limit * (1 + _EPS)


def resource_indicators(table: SchoolTable, standard: Standard) -> np.ndarray:
    """Per-row indicator values, shape (rows, len(resource_indicators))."""
    cols = []
    for ind in standard.resource_indicators:
        f = ind.formula
        numerator = sum(table.figures[name] for name in f.numerator)
        cols.append(numerator * f.scale / table.figures[f.denominator])
    return np.column_stack(cols) if cols else np.empty((len(table), 0))


def stage_thresholds(table: SchoolTable, standard: Standard) -> np.ndarray:
    """Per-row thresholds, shape like `resource_indicators`: each row gets its stage's threshold."""
    junior = table.stages == "junior"
    cols = [np.where(junior, i.threshold["junior"], i.threshold["primary"])
            for i in standard.resource_indicators]
    return np.column_stack(cols) if cols else np.empty((len(table), 0))


def weighted_cv(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Student-weighted coefficient of variation per group and column.

    X̄ = Σ PᵢXᵢ / P,  S = √(Σ Pᵢ(Xᵢ − X̄)² / P),  CV = S / X̄ (0 where X̄ is 0).
    `values` is (rows, k), `weights` (rows,), `groups` integer ids in [0, n_groups). Returns (n_groups, k).
    """
    total = np.bincount(groups, weights=weights, minlength=n_groups)
    out = np.zeros((n_groups, values.shape[1]))
    safe_total = np.where(total > 0, total, 1.0)
    for k in range(values.shape[1]):
        x = values[:, k]
        mean = np.bincount(groups, weights=weights * x, minlength=n_groups) / safe_total
        dev = x - mean[groups]
        var = np.bincount(groups, weights=weights * dev * dev, minlength=n_groups) / safe_total
        std = np.sqrt(var)
        out[:, k] = np.divide(std, mean, out=np.zeros_like(std), where=mean > 0)
    return out


@dataclass(frozen=True)
class Shortfall:
    """What a school lacks to meet one indicator: the amount, in the figure's own unit."""

    indicator: str
    amount: float
    unit: str
    figure: str

    def sentence(self) -> str:
        return f"需增加{self.figure}{fmt_amount(self.amount, self.unit)}{self.unit}"


@dataclass(frozen=True)
class IndicatorCheck:
    """One school's value against one indicator, with the sentence a letter quotes."""

    indicator: Indicator
    stage: str
    value: float
    threshold: float
    met: bool
    ratio: float
    shortfall: Shortfall | None
    floor_ratio: float = 0.85

    def sentence(self) -> str:
        ind = self.indicator
        head = f"{ind.id} {ind.wording}：{fmt_number(self.value)}{ind.unit}"
        if self.met:
            return f"{head}，达到{STAGE_ZH[self.stage]}标准{fmt_number(self.threshold)}（{ind.source}）"
        return (f"{head}，低于{STAGE_ZH[self.stage]}标准{fmt_number(self.threshold)}，为标准的{self.ratio:.1%}"
                f"{f'，低于{self.floor_ratio:.0%}底线' if self.ratio < self.floor_ratio else ''}；{self.shortfall.sentence()}（{ind.source}）")


@dataclass(frozen=True)
class SchoolResult:
    name: str
    stage: str
    students: int
    checks: tuple[IndicatorCheck, ...]
    passed: bool
    reason: str

    @property
    def met(self) -> list[str]:
        return [c.indicator.id for c in self.checks if c.met]


@dataclass(frozen=True)
class ResourceEvaluation:
    """The resource verdict for a table: values, met flags, school passes and CVs, all as arrays."""

    table: SchoolTable
    standard: Standard
    values: np.ndarray        # (rows, k)
    thresholds: np.ndarray    # (rows, k)
    met: np.ndarray           # (rows, k) bool
    above_floor: np.ndarray   # (rows, k) bool: ≥ floor ratio × threshold
    passed: np.ndarray        # (rows,) bool
    included: np.ndarray      # (rows,) bool: False for rows the scope rule leaves out
    group_labels: tuple       # (county label, stage) per CV group
    cv: np.ndarray            # (groups, k)
    cv_limits: np.ndarray     # (groups,)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.standard.resource_indicators)

    @property
    def cv_within_limit(self) -> np.ndarray:
        return within_cv_limit(self.cv, self.cv_limits[:, None])

    @property
    def resource_passed(self) -> bool:
        return bool(self.passed[self.included].all() and self.cv_within_limit.all())

    def cv_by_stage(self) -> dict[str, dict[str, float]]:
        """CVs of a single-county table, keyed by stage then indicator id."""
        out: dict[str, dict[str, float]] = {s: {} for s in STAGES}
        for (_, stage), row in zip(self.group_labels, self.cv):
            out[stage] = {i: float(v) for i, v in zip(self.ids, row)}
        return out

    @cached_property
    def _results(self) -> dict[int, SchoolResult]:
        return {}

    def school_result(self, i: int) -> SchoolResult:
        """Row i's result, built once (the verdict, the findings and the ledgers all ask for it)."""
        i = int(i)
        if i not in self._results:
            self._results[i] = self._school_result(i)
        return self._results[i]

    def _school_result(self, i: int) -> SchoolResult:
        stage = str(self.table.stages[i])
        students = int(self.table.figures["students"][i])
        checks = tuple(
            IndicatorCheck(ind, stage, float(self.values[i, k]), float(self.thresholds[i, k]),
                           bool(self.met[i, k]), float(self.values[i, k] / self.thresholds[i, k]),
                           None if self.met[i, k] else _shortfall(ind, self.table, i, self.thresholds[i, k]),
                           self.standard.options.school_floor_ratio)
            for k, ind in enumerate(self.standard.resource_indicators))
        return SchoolResult(self.table.names[i], stage, students, checks, bool(self.passed[i]), self._reason(i))

    def exclusion_reason(self, i: int) -> str:
        """Why row i is outside the evaluation's scope (only for rows not `included`)."""
        opts = self.standard.options
        words = [w for w in opts.excluded_school_words if w in self.table.names[i]]
        if words:
            return f"校名含“{words[0]}”，特殊教育学校、职业学校不属于义务教育学校督导评估范围"
        return f"教学点在校生{int(self.table.figures['students'][i])}人，少于{opts.teaching_point_min_students}人，不纳入评估"

    @cached_property
    def _below_floor(self) -> np.ndarray:
        """(rows, k) bool: below the floor ratio of its threshold, compared as `IndicatorCheck.ratio`
        (value ÷ threshold) is — so a row's reason is read without building its checks."""
        return self.values / self.thresholds < self.standard.options.school_floor_ratio * (1 - _EPS)

    def _reason(self, i: int) -> str:
        if not self.included[i]:
            return "不纳入评估范围：" + self.exclusion_reason(i)
        opts = self.standard.options
        met, below = self.met[i].tolist(), self._below_floor[i].tolist()
        unmet = [k for k, ok in zip(self.ids, met) if not ok]
        low = [k for k, under in zip(self.ids, below) if under]
        if self.passed[i]:
            return f"{len(met) - len(unmet)}项达标" + (f"，{'、'.join(unmet)}不低于标准的{opts.school_floor_ratio:.0%}" if unmet else "")
        parts = []
        if len(met) - len(unmet) < opts.school_min_met:
            parts.append(f"仅{len(met) - len(unmet)}项达标，少于{opts.school_min_met}项")
        if low:
            parts.append(f"{'、'.join(low)}低于标准的{opts.school_floor_ratio:.0%}")
        return "；".join(parts)

    def failure_sentences(self) -> list[str]:
        """'校名（学段）资源配置未达标：why' for each school in scope that fails, in table order: what
        `failing_schools` says of each, without building every failing school's checks."""
        names, stages = self.table.names, self.table.stages.tolist()
        return [f"{names[i]}（{STAGE_ZH[stages[i]]}）资源配置未达标：{self._reason(i)}"
                for i in np.flatnonzero(self.included & ~self.passed).tolist()]

    def school_results(self) -> list[SchoolResult]:
        return [self.school_result(i) for i in range(len(self.table))]

    def failing_schools(self) -> list[SchoolResult]:
        return [self.school_result(i) for i in np.flatnonzero(self.included & ~self.passed)]

    def cv_sentences(self) -> list[str]:
        out = []
        for (county, stage), row, limit in zip(self.group_labels, self.cv, self.cv_limits):
            for ind_id, value in zip(self.ids, row):
                verdict = "符合" if within_cv_limit(value, limit) else "超过"
                out.append(f"{STAGE_ZH[stage]}{ind_id}校际差异系数{value:.3f}，{verdict}不高于{limit:.2f}的要求")
        return out


def _shortfall(ind: Indicator, table: SchoolTable, i: int, threshold: float) -> Shortfall:
    """The amount of the indicator's (first) numerator figure the school must add to meet it."""
    f = ind.formula
    needed = threshold * table.figures[f.denominator][i] / f.scale
    have = sum(table.figures[name][i] for name in f.numerator)
    col = column(f.numerator[0])
    # What to add is rounded up to the unit a plan states (a person, a room, a square metre, 100 元):
    # rounded down it would not meet the standard. Every document sums these same amounts.
    amount = needed - have
    if col.unit == "元":
        return Shortfall(ind.id, math.ceil(amount / 100 - 1e-9) / 100, "万元", _label(f))
    return Shortfall(ind.id, float(math.ceil(amount - 1e-9)), col.unit, _label(f))


def _label(f) -> str:
    # Figures that add to an optional one (rented venues to grounds) are named as included in it.
    main = [column(n).bare_header for n in f.numerator if not column(n).optional]
    extra = [column(n).bare_header for n in f.numerator if column(n).optional]
    return "、".join(main) + (f"（含{'、'.join(extra)}）" if extra else "")


def evaluate_resources(table: SchoolTable, standard: Standard) -> ResourceEvaluation:
    """Apply R1–R7, the school rule (≥ min met and every value ≥ floor) and the CV limits."""
    opts = standard.options
    values = resource_indicators(table, standard)
    thresholds = stage_thresholds(table, standard)
    met = values >= thresholds * (1 - _EPS)
    above_floor = values >= thresholds * opts.school_floor_ratio * (1 - _EPS)
    passed = (met.sum(axis=1) >= opts.school_min_met) & above_floor.all(axis=1)
    included = _in_scope(table, opts.teaching_point_min_students, opts.excluded_school_words)

    counties = table.counties if table.counties is not None else np.zeros(len(table), dtype=int)
    county_labels, county_idx = np.unique(counties, return_inverse=True)
    stage_idx = (table.stages == "junior").astype(int)
    groups = county_idx * 2 + stage_idx
    present = np.unique(groups[included])
    remap = np.full(len(county_labels) * 2, -1)
    remap[present] = np.arange(len(present))
    weights = np.where(included, table.figures["students"], 0.0)
    cv = weighted_cv(values, weights, np.maximum(remap[groups], 0), len(present))
    labels = tuple((county_labels[g // 2].item(), STAGES[g % 2]) for g in present)
    limits = np.array([opts.cv_limit[stage] for _, stage in labels])
    return ResourceEvaluation(table, standard, values, thresholds, met, above_floor, passed,
                              included, labels, cv, limits)


def _in_scope(table: SchoolTable, min_students: int, excluded_words: tuple[str, ...] = ()) -> np.ndarray:
    """Schools outside the method (special-education, vocational: by words in their names) are left
    out, and teaching points (教学点) under the standard's minimum when that option is set."""
    scope = np.ones(len(table), dtype=bool)
    if excluded_words:
        scope &= ~_named_with(table.names, excluded_words)
    if min_students:
        small = table.figures["students"] < min_students
        scope &= ~(small & _named_with(table.names, ("教学点",)))
    return scope


def _named_with(names: tuple[str, ...], words: tuple[str, ...]) -> np.ndarray:
    """Per name, whether any of `words` is in it. The names are searched at once first: a word without
    a line break that is nowhere in the names joined by line breaks is in none of them."""
    joined = "\n".join(names)
    if not any(w in joined or "\n" in w for w in words):
        return np.zeros(len(names), dtype=bool)
    return np.array([any(w in name for w in words) for name in names], dtype=bool)
