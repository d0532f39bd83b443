"""County-level indicators (政府保障程度、教育质量、社会认可度): one small rule class per comparator.

A county supplies a `CountyFigure` per indicator id: a number (or one per stage), a grade, or the
committee's judgement for a qualitative indicator, with the evidence it rests on. Every check
returns an `IndicatorResult` whose `sentence` the letters quote. A missing figure is "未提供", never met.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from inspection.standard import OP_ZH, STAGE_ZH, Indicator, Standard
from inspection.table import SchoolTable

# Where a county figure came from when no file gives it, (Chinese, English), formatted with `who` / `year`:
# the Chinese is stored as the figure's `source`; the web's English mode shows the English.
ENTERED_ON_WEB = ("网页填报（{who}）", "entered on the web ({who})")
DEMO_DATA = ("{year}年度监测数据（演示）", "{year} monitoring data (demo)")

_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


@dataclass(frozen=True)
class CountyFigure:
    """A county's figure for one indicator: a number, {stage: number}, {year: number}, a grade, or
    True/False (judged), with its evidence (佐证材料) and where the figure came from (`source`).

    `decided` marks a judgement made by the committee (督导认定) rather than declared by the county."""

    value: float | str | bool | Mapping[str, float] | None
    evidence: str = ""
    source: str = ""
    decided: bool = False


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    value: object
    met: bool | None        # None: pending (待核实) — no figure, or a judgement not yet made
    sentence: str
    evidence: str = ""
    source: str = ""
    why_pending: str = ""   # 未提供数据 | 待督导认定 | …, when met is None


@dataclass(frozen=True)
class Contradiction:
    """A county's declared figure that its own school table contradicts (数据矛盾): a finding for the
    committee under falsification, never silently resolved."""

    indicator: str
    declared: object
    computed: object
    zh: str
    en: str


@dataclass(frozen=True)
class CountyAssessment:
    results: tuple[IndicatorResult, ...]
    contradictions: tuple[Contradiction, ...] = ()

    def by_id(self) -> dict[str, IndicatorResult]:
        return {r.indicator.id: r for r in self.results}


def _num(x) -> str:
    return f"{x:g}"


def _result(ind: Indicator, fig: CountyFigure, value, ok: bool, sentence: str) -> IndicatorResult:
    return IndicatorResult(ind, value, ok, sentence, fig.evidence, fig.source)


class NumericRule:
    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        op = _OPS[ind.comparator]
        if isinstance(ind.threshold, dict):
            values = fig.value if isinstance(fig.value, Mapping) else {}
            parts, ok = [], True
            for stage, limit in ind.threshold.items():
                if stage not in values:
                    return _missing(ind, f"缺少{STAGE_ZH.get(stage, stage)}数据", fig)
                good = op(float(values[stage]), limit)
                ok &= good
                parts.append(f"{STAGE_ZH.get(stage, stage)}{_num(float(values[stage]))}{ind.unit}"
                             f"（要求{OP_ZH[ind.comparator]}{_num(limit)}，{'达标' if good else '未达标'}）")
            return _result(ind, fig, dict(values), ok, f"{ind.id} {ind.wording}：{'；'.join(parts)}")
        if isinstance(fig.value, (Mapping, bool, str)):
            raise ValueError(fig.value)
        value = float(fig.value)
        ok = op(value, float(ind.threshold))
        return _result(ind, fig, value, ok,
                       f"{ind.id} {ind.wording}：{_num(value)}{ind.unit}，要求{OP_ZH[ind.comparator]}"
                       f"{_num(float(ind.threshold))}{ind.unit.split('（')[0]}，{'达标' if ok else '未达标'}"
                       f"（{ind.source}）")


class GradeRule:
    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        grade = str(fig.value)
        if grade not in ind.scale:
            return _missing(ind, f"等级“{grade}”不在{'/'.join(ind.scale)}之中", fig)
        ok = ind.scale.index(grade) >= ind.scale.index(ind.threshold)
        return _result(ind, fig, grade, ok, f"{ind.id} {ind.wording}：{grade}，要求{ind.threshold}以上，"
                       f"{'达标' if ok else '未达标'}（{ind.source}）")


class JudgedRule:
    """A judgement (是/否). The committee's decision is a result; so is the county's declaration when
    no committee takes part (a file checked on its own), and the sentence says which it was."""

    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        if not isinstance(fig.value, bool):
            raise ValueError(fig.value)
        ok = fig.value
        basis = f"，依据：{fig.evidence}" if fig.evidence else ""
        if fig.decided:
            return _result(ind, fig, ok, ok, f"{ind.id} {ind.wording}：经督导认定{'达标' if ok else '未达标'}{basis}")
        return _result(ind, fig, ok, ok, f"{ind.id} {ind.wording}：县级自评{'达标' if ok else '未达标'}"
                       f"（自评申报，未经督导认定）{basis}")


class NonDecreasingRule:
    """A multi-year figure that may not fall (逐年只增不减): the last `years` consecutive years, each
    at least the one before."""

    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        if not isinstance(fig.value, Mapping):
            raise ValueError(fig.value)
        series = {int(y): float(v) for y, v in fig.value.items()}
        last = max(series)
        years = list(range(last - ind.years + 1, last + 1))
        missing = [y for y in years if y not in series]
        if missing:
            return _missing(ind, f"缺少{'、'.join(f'{y}年' for y in missing)}数据", fig)
        falls = [(a, b) for a, b in zip(years, years[1:]) if series[b] < series[a]]
        shown = "，".join(f"{y}年{_num(series[y])}{ind.unit}" for y in years)
        if falls:
            why = "；".join(f"{b}年比{a}年减少{_num(round(series[a] - series[b], 4))}{ind.unit}" for a, b in falls)
            return _result(ind, fig, {str(y): series[y] for y in years}, False,
                           f"{ind.id} {ind.wording}：{shown}；{why}，未达标（{ind.source}）")
        return _result(ind, fig, {str(y): series[y] for y in years}, True,
                       f"{ind.id} {ind.wording}：{shown}，逐年未减少，达标（{ind.source}）")


RULES = {">=": NumericRule(), ">": NumericRule(), "<=": NumericRule(), "<": NumericRule(),
         "==": NumericRule(), "grade": GradeRule(), "judged": JudgedRule(),
         "non_decreasing": NonDecreasingRule()}

NO_DATA = "未提供数据"
AWAITING_DECISION = "待督导认定"


def _missing(ind: Indicator, why: str = NO_DATA, fig: CountyFigure | None = None) -> IndicatorResult:
    value = fig.value if fig is not None else None
    return IndicatorResult(ind, value, None, f"{ind.id} {ind.wording}：{why}，待核实",
                           fig.evidence if fig else "", fig.source if fig else "", why)


@dataclass(frozen=True)
class CountyShortfall:
    """What the county lacks to meet one indicator: an amount only for a single numeric figure."""

    amount: float | None
    unit: str
    text: str


_JUDGED_GAP = "经督导认定未达标，需按要求整改"
_MISSING_GAP = "未提供数据，需补报数据及佐证材料"
_DECISION_GAP = "待督导委员会认定"


def county_shortfall(res: IndicatorResult) -> CountyShortfall | None:
    """The shortfall of an unmet or pending county indicator (None when met).

    Numeric: the distance to the threshold, per failing stage in the text when thresholds are per stage.
    Grades and judgements have no amount, only what the county must do.
    """
    ind = res.indicator
    if res.met:
        return None
    if res.met is None:
        return CountyShortfall(None, "", _DECISION_GAP if res.why_pending == AWAITING_DECISION else _MISSING_GAP)
    if ind.comparator == "judged":
        return CountyShortfall(None, "", _JUDGED_GAP)
    if ind.comparator == "grade":
        return CountyShortfall(None, "", f"需由{res.value}提升至{ind.threshold}以上")
    if ind.comparator == "non_decreasing":
        years = sorted(res.value)
        falls = [(a, b) for a, b in zip(years, years[1:]) if res.value[b] < res.value[a]]
        return CountyShortfall(None, "", "；".join(f"{b}年需至少恢复到{a}年的{_num(res.value[a])}{ind.unit}"
                                                   for a, b in falls))
    if isinstance(ind.threshold, dict):
        op = _OPS[ind.comparator]
        gaps = [f"{STAGE_ZH.get(stage, stage)}{_gap(ind, float(res.value[stage]), limit)[1]}"
                for stage, limit in ind.threshold.items() if not op(float(res.value[stage]), limit)]
        return CountyShortfall(None, "", "；".join(gaps))
    amount, text = _gap(ind, float(res.value), float(ind.threshold))
    return CountyShortfall(amount, _gap_unit(ind), text)


def _gap_unit(ind: Indicator) -> str:
    unit = ind.unit.split("（")[0]
    return "个百分点" if unit == "%" else unit     # a gap between two rates is in percentage points


def _gap(ind: Indicator, value: float, limit: float) -> tuple[float, str]:
    """(amount, 需增加…/需减少…) to move `value` to `limit`; a strict comparator needs more than that."""
    amount, unit = round(abs(limit - value), 2), _gap_unit(ind)
    up = ind.comparator in (">=", ">") or (ind.comparator == "==" and value < limit)
    verb = ("提高" if up else "降低") if unit == "个百分点" else ("增加" if up else "减少")
    more = "超过" if ind.comparator in (">", "<") else ""
    return amount, f"需{verb}{more}{_num(amount)}{unit}"


TABLE_SOURCE = "学校数据表计算"


def oversized_schools(table: SchoolTable, standard: Standard) -> tuple[int, list[str]]:
    """G4 from the school table: schools above the size limit (a two-stage school counts as one)."""
    limits = standard.options.school_size_limit
    students = table.figures["students"].tolist()   # floats: a school's one or two rows added in order
    over = []
    for name, rows in table.schools().items():
        size = sum([students[i] for i in rows])
        limit = limits["through"] if len(rows) > 1 else limits["single"]
        if size > limit:
            over.append(f"{name}（{size:.0f}人，限{limit}人）")
    return len(over), over


def classes_over_average(table: SchoolTable, standard: Standard) -> tuple[int, list[str]] | None:
    """G5 as far as the school table allows: a school stage whose students exceed limit × classes has
    at least one class over the limit, so their count is a lower bound on the oversized classes.
    None when the table has no 班级数 (the indicator then rests on the county's own figure)."""
    classes = table.figures.get("classes")
    if classes is None or not np.isfinite(classes).any():
        return None
    limits = standard.options.class_size_limit
    students, junior = table.figures["students"], table.stages == "junior"
    known = np.isfinite(classes)
    crowded = known & (classes > 0) & (students > np.where(junior, limits["junior"], limits["primary"]) * classes)
    over = []
    for i in np.flatnonzero(crowded | (known & (classes == 0))).tolist():   # the rows to name, in order
        stage, n, c = str(table.stages[i]), float(students[i]), float(classes[i])
        if c > 0:
            over.append(f"{table.names[i]}（{STAGE_ZH[stage]}{n:.0f}人{c:.0f}个班，平均{n / c:.1f}人，限{limits[stage]}人）")
        else:
            over.append(f"{table.names[i]}（{STAGE_ZH[stage]}{n:.0f}人，班级数为0）")
    return len(over), over


def county_figures_from_table(table: SchoolTable, standard: Standard) -> dict[str, CountyFigure]:
    """Figures the school table yields: exact for indicators marked `computed`, a lower bound for those
    marked `cross_check` (the county's own figure is checked against it)."""
    out = {}
    for ind in standard.county_indicators:
        if ind.computed == "oversized_schools":
            count, names = oversized_schools(table, standard)
            out[ind.id] = CountyFigure(count, "超规模学校：" + "、".join(names) if names else "", TABLE_SOURCE)
        elif ind.cross_check == "oversized_classes":
            found = classes_over_average(table, standard)
            if found is not None:
                count, names = found
                out[ind.id] = CountyFigure(count, "平均班额超过上限的学校：" + "、".join(names) if names else "",
                                           TABLE_SOURCE + "（按平均班额推算的下限）")
    return out


def _combine(ind: Indicator, computed: CountyFigure | None, declared: CountyFigure | None
             ) -> tuple[CountyFigure | None, Contradiction | None]:
    """The figure an indicator is checked on, from what the table computes and what the county declares.

    G4 (exact from the table) is the table's count; G5 (a lower bound) is the county's count unless
    the table proves more, and with no count declared only a proof of failure stands (a lower bound of
    0 proves nothing). A declared count below what the table shows is a contradiction."""
    if computed is None:
        return declared, None
    contradiction = None
    if declared is not None and isinstance(declared.value, (int, float)) and not isinstance(declared.value, bool) \
            and float(declared.value) < float(computed.value):
        contradiction = Contradiction(
            ind.id, declared.value, computed.value,
            f"{ind.id} {ind.wording}：县级指标表填报{_num(float(declared.value))}，而学校数据表显示至少"
            f"{_num(float(computed.value))}（{computed.evidence}），数据相互矛盾",
            f"{ind.id}: the county declares {declared.value} but its school table shows at least {computed.value}")
    exact = ind.computed is not None
    if exact or declared is None or contradiction is not None:
        if not exact and declared is None and float(computed.value) == 0:
            return None, None
        return computed, contradiction
    return declared, None


def assess_county(standard: Standard, declared: Mapping[str, CountyFigure], *,
                  table: SchoolTable | None = None, committee_decides: bool = False) -> CountyAssessment:
    """Check every county-level indicator of the standard: figures computed from `table` where the
    standard says so, cross-checked with the county's `declared` figures.

    With `committee_decides` (a submission under review), a judged indicator counts only once the
    committee has decided it (`CountyFigure.decided`); the county's own 是/否 is shown as its claim."""
    computed = county_figures_from_table(table, standard) if table is not None else {}
    results, contradictions = [], []
    for ind in standard.county_indicators:
        fig, contradiction = _combine(ind, computed.get(ind.id), declared.get(ind.id))
        if contradiction is not None:
            contradictions.append(contradiction)
        if ind.judged and committee_decides and (fig is None or fig.value is None):
            results.append(_missing(ind, AWAITING_DECISION))   # the committee decides it, declared or not
        elif fig is None or fig.value is None:
            results.append(_missing(ind))
        elif ind.judged and committee_decides and not fig.decided:
            claim = {True: "是", False: "否"}.get(fig.value, str(fig.value))
            results.append(IndicatorResult(ind, fig.value, None, f"{ind.id} {ind.wording}：县级自评“{claim}”，"
                                           f"{AWAITING_DECISION}", fig.evidence, fig.source, AWAITING_DECISION))
        else:
            try:
                results.append(RULES[ind.comparator].check(ind, fig))
            except (TypeError, ValueError):
                results.append(_missing(ind, f"数据“{fig.value}”无法解读", fig))
    return CountyAssessment(tuple(results), tuple(contradictions))


def check_county_indicators(standard: Standard, figures: Mapping[str, CountyFigure]) -> list[IndicatorResult]:
    """Check every county-level indicator of the standard against the figures supplied (no table)."""
    return list(assess_county(standard, figures).results)
