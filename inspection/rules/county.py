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

from inspection.standard import STAGE_ZH, Indicator, Standard
from inspection.table import SchoolTable

_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}
_OP_ZH = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "等于"}


@dataclass(frozen=True)
class CountyFigure:
    """A county's figure for one indicator: number, {stage: number}, grade, or True/False (judged)."""

    value: float | str | bool | Mapping[str, float] | None
    evidence: str = ""


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    value: object
    met: bool | None        # None: no figure supplied yet (待提供)
    sentence: str
    evidence: str = ""


def _num(x) -> str:
    return f"{x:g}"


class NumericRule:
    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        op = _OPS[ind.comparator]
        if isinstance(ind.threshold, dict):
            values = fig.value if isinstance(fig.value, Mapping) else {}
            parts, ok = [], True
            for stage, limit in ind.threshold.items():
                if stage not in values:
                    return _missing(ind, f"缺少{STAGE_ZH.get(stage, stage)}数据")
                good = op(float(values[stage]), limit)
                ok &= good
                parts.append(f"{STAGE_ZH.get(stage, stage)}{_num(float(values[stage]))}{ind.unit}"
                             f"（要求{_OP_ZH[ind.comparator]}{_num(limit)}，{'达标' if good else '未达标'}）")
            return IndicatorResult(ind, dict(values), ok, f"{ind.id} {ind.wording}：{'；'.join(parts)}", fig.evidence)
        value = float(fig.value)
        ok = op(value, float(ind.threshold))
        return IndicatorResult(
            ind, value, ok,
            f"{ind.id} {ind.wording}：{_num(value)}{ind.unit}，要求{_OP_ZH[ind.comparator]}"
            f"{_num(float(ind.threshold))}，{'达标' if ok else '未达标'}（{ind.source}）", fig.evidence)


class GradeRule:
    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        grade = str(fig.value)
        if grade not in ind.scale:
            return _missing(ind, f"等级“{grade}”不在{'/'.join(ind.scale)}之中")
        ok = ind.scale.index(grade) >= ind.scale.index(ind.threshold)
        return IndicatorResult(ind, grade, ok, f"{ind.id} {ind.wording}：{grade}，要求{ind.threshold}以上，"
                               f"{'达标' if ok else '未达标'}（{ind.source}）", fig.evidence)


class JudgedRule:
    def check(self, ind: Indicator, fig: CountyFigure) -> IndicatorResult:
        ok = bool(fig.value)
        basis = f"，依据：{fig.evidence}" if fig.evidence else ""
        return IndicatorResult(ind, ok, ok, f"{ind.id} {ind.wording}：经督导认定{'达标' if ok else '未达标'}{basis}",
                               fig.evidence)


RULES = {">=": NumericRule(), ">": NumericRule(), "<=": NumericRule(), "<": NumericRule(),
         "==": NumericRule(), "grade": GradeRule(), "judged": JudgedRule()}


def _missing(ind: Indicator, why: str = "未提供数据") -> IndicatorResult:
    return IndicatorResult(ind, None, None, f"{ind.id} {ind.wording}：{why}，待核实")


@dataclass(frozen=True)
class CountyShortfall:
    """What the county lacks to meet one indicator: an amount only for a single numeric figure."""

    amount: float | None
    unit: str
    text: str


_JUDGED_GAP = "经督导认定未达标，需按要求整改"
_MISSING_GAP = "未提供数据，需补报数据及佐证材料"


def county_shortfall(res: IndicatorResult) -> CountyShortfall | None:
    """The shortfall of an unmet or pending county indicator (None when met).

    Numeric: the distance to the threshold, per failing stage in the text when thresholds are per stage.
    Grades and judgements have no amount, only what the county must do.
    """
    ind = res.indicator
    if res.met:
        return None
    if res.met is None or res.value is None:
        return CountyShortfall(None, "", _MISSING_GAP)
    if ind.comparator == "judged":
        return CountyShortfall(None, "", _JUDGED_GAP)
    if ind.comparator == "grade":
        return CountyShortfall(None, "", f"需由{res.value}提升至{ind.threshold}以上")
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


def oversized_schools(table: SchoolTable, standard: Standard) -> tuple[int, list[str]]:
    """G4 from the school table: schools above the size limit (a two-stage school counts as one)."""
    limits = standard.options.school_size_limit
    over = []
    for name, rows in table.schools().items():
        size = float(np.sum(table.figures["students"][rows]))
        limit = limits["through"] if len(rows) > 1 else limits["single"]
        if size > limit:
            over.append(f"{name}（{size:.0f}人，限{limit}人）")
    return len(over), over


def county_figures_from_table(table: SchoolTable, standard: Standard) -> dict[str, CountyFigure]:
    """Figures the school table itself yields (indicators marked `computed` in the standard)."""
    out = {}
    for ind in standard.county_indicators:
        if ind.computed == "oversized_schools":
            count, names = oversized_schools(table, standard)
            out[ind.id] = CountyFigure(count, "超规模学校：" + "、".join(names) if names else "学校数据表")
    return out


def check_county_indicators(standard: Standard, figures: Mapping[str, CountyFigure]) -> list[IndicatorResult]:
    """Check every county-level indicator of the standard against the figures supplied."""
    results = []
    for ind in standard.county_indicators:
        fig = figures.get(ind.id)
        if fig is None or fig.value is None:
            results.append(_missing(ind))
            continue
        try:
            results.append(RULES[ind.comparator].check(ind, fig))
        except (TypeError, ValueError):
            results.append(_missing(ind, f"数据“{fig.value}”无法解读"))
    return results
