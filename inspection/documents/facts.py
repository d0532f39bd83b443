"""Facts a document states, taken from the rule engine's own results and explanation sentences.

Small frozen records (one line of a table each) and the functions that read them off a
`CountyCase`. Every sentence quoted comes from the rules (`IndicatorCheck.sentence`,
`IndicatorResult.sentence`, `VetoFinding.sentence`), so a letter explains exactly what was judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from inspection.documents.case import CountyCase
from inspection.numerals import fmt_amount, fmt_number, fmt_percent
from inspection.rules.county import IndicatorResult
from inspection.standard import AREA_ZH, OP_ZH, STAGE_ZH, STAGES, Indicator

SHORT = {"R1": "高学历教师", "R2": "骨干教师", "R3": "体艺教师", "R4": "教学用房", "R5": "体育场馆",
         "R6": "仪器设备", "R7": "多媒体教室"}
STATUS_ZH = {"open": "待认定", "confirmed": "已确认", "dismissed": "已排除"}


def short_label(ind: Indicator) -> str:
    return SHORT.get(ind.id, ind.wording[:6])


def bare_unit(unit: str) -> str:
    """'%（达标学校占比）' → '%': the unit without its explanation."""
    return unit.split("（")[0]


@dataclass(frozen=True)
class ResourceLine:
    """One resource indicator for the county: thresholds, student-weighted means, schools meeting, CVs."""

    id: str
    wording: str
    unit: str
    threshold: Mapping[str, float]
    mean: Mapping[str, float]           # student-weighted county mean by stage (X̄ of the CV formula)
    met: int
    total: int
    cv: Mapping[str, float]


@dataclass(frozen=True)
class CountyLine:
    """One county-level indicator: value and requirement as text, conclusion, the rule's sentence."""

    id: str
    area: str
    wording: str
    value: str
    requirement: str
    conclusion: str                     # 达标 | 未达标 | 待核实
    sentence: str
    evidence: str = ""
    pending_why: str = ""               # 未提供数据 | 待督导认定 …, when 待核实


@dataclass(frozen=True)
class AreaSummary:
    """One of the four areas (资源配置、政府保障程度、教育质量、社会认可度) and its conclusion."""

    area: str
    name: str
    total: int
    met: int
    unmet: int
    pending: int

    @property
    def conclusion(self) -> str:
        return "未达标" if self.unmet else ("待核实" if self.pending else "达标")


@dataclass(frozen=True)
class ShortfallItem:
    id: str
    label: str
    value: str
    threshold: str
    ratio: str
    shortfall: str                      # 需增加体育运动场馆面积1,234平方米
    below_floor: bool
    sentence: str
    amount: str = ""                    # +1,234㎡ (compact, for tables)
    amount_value: float = 0.0
    amount_unit: str = ""               # 人 | ㎡ | 万元 | 间
    ratio_value: float = 0.0            # value / threshold, unformatted (`ratio` is for reading)


@dataclass(frozen=True)
class SchoolShortfall:
    """A school (one stage) with an indicator below its standard, each unmet indicator's shortfall, and
    whether it still passes the resource rule (6 of 7, the rest ≥ 85 %): the 未达标台账's schools."""

    school: str
    stage: str                          # 小学 | 初中
    students: int
    reason: str
    items: tuple[ShortfallItem, ...]
    passed: bool = False                # True: passes the rule, with a gap all the same


@dataclass(frozen=True)
class CvLine:
    stage: str
    id: str
    value: float
    limit: float
    within: bool
    name: str = ""          # the indicator's short name, for prose (no codes in running text)


@dataclass(frozen=True)
class VetoLine:
    condition: str
    wording: str
    quote: str
    source: str
    status: str                         # 待认定 | 已确认 | 已排除
    blocking: bool
    sentence: str


def resource_lines(case: CountyCase) -> tuple[ResourceLine, ...]:
    r = case.resources
    inc = r.included
    students = r.table.figures["students"]
    cv = r.cv_by_stage()
    out = []
    for k, ind in enumerate(r.standard.resource_indicators):
        mean = {}
        for stage in STAGES:
            rows = inc & (r.table.stages == stage)
            if rows.any():
                mean[stage] = float(np.average(r.values[rows, k], weights=students[rows]))
        out.append(ResourceLine(ind.id, ind.wording, ind.unit, dict(ind.threshold), mean,
                                int(r.met[inc, k].sum()), int(inc.sum()),
                                {s: v[ind.id] for s, v in cv.items() if v}))
    return tuple(out)


def value_text(res: IndicatorResult) -> str:
    ind, v, unit = res.indicator, res.value, bare_unit(res.indicator.unit)
    if v is None:
        return "未提供"
    if ind.comparator == "judged":
        return "符合" if v else "不符合"
    if ind.multi_year and isinstance(v, Mapping):
        return "，".join(f"{y}年{fmt_number(x)}{unit}" for y, x in v.items())
    if isinstance(v, Mapping):
        return "，".join(f"{STAGE_ZH.get(s, s)}{fmt_number(x)}{unit}" for s, x in v.items())
    if isinstance(v, (int, float)):
        return f"{fmt_number(v)}{unit}"
    return str(v)


def requirement_text(ind: Indicator) -> str:
    unit = bare_unit(ind.unit)
    if ind.comparator == "judged":
        return "督导认定"
    if ind.comparator == "grade":
        return f"{ind.threshold}以上"
    if ind.multi_year:
        return f"近{ind.years}年逐年只增不减"
    if isinstance(ind.threshold, dict):
        return "，".join(f"{STAGE_ZH.get(s, s)}{OP_ZH[ind.comparator]}{fmt_number(t)}{unit}"
                        for s, t in ind.threshold.items())
    return f"{OP_ZH[ind.comparator]}{fmt_number(ind.threshold)}{unit}"


def county_lines(case: CountyCase) -> tuple[CountyLine, ...]:
    return tuple(CountyLine(r.indicator.id, r.indicator.area, r.indicator.wording, value_text(r),
                            requirement_text(r.indicator),
                            {True: "达标", False: "未达标", None: "待核实"}[r.met],
                            r.sentence.removeprefix(f"{r.indicator.id} "), r.evidence,   # prose: no code
                            r.why_pending)
                 for r in case.county_results)


def area_summaries(case: CountyCase) -> tuple[AreaSummary, ...]:
    r = case.resources
    failing = int((r.included & ~r.passed).sum())
    cv_over = int((~r.cv_within_limit).sum())
    out = [AreaSummary("resources", AREA_ZH["resources"], int(r.included.sum()) + r.cv.size,
                       int((r.included & r.passed).sum()) + int(r.cv_within_limit.sum()), failing + cv_over, 0)]
    for area in ("guarantee", "quality", "recognition"):
        res = [x for x in case.county_results if x.indicator.area == area]
        out.append(AreaSummary(area, AREA_ZH[area], len(res), sum(x.met is True for x in res),
                               sum(x.met is False for x in res), sum(x.met is None for x in res)))
    return tuple(out)


def schools_with_gaps(case: CountyCase) -> tuple[SchoolShortfall, ...]:
    """Every school (stage) in scope with an indicator below standard — the schools of the unmet
    ledger — those failing the rule first, so letter, notice, report and ledger count one set."""
    r = case.resources
    results = [r.school_result(i) for i in range(len(r.table)) if r.included[i]]
    out = []
    for s in [x for x in results if not x.passed] + [x for x in results if x.passed]:
        if all(c.met for c in s.checks):
            continue
        items = tuple(ShortfallItem(c.indicator.id, short_label(c.indicator), fmt_number(c.value),
                                    fmt_number(c.threshold), fmt_percent(c.ratio), c.shortfall.sentence(),
                                    c.ratio < c.floor_ratio, c.sentence(), _amount(c.shortfall),
                                    float(c.shortfall.amount), _unit(c.shortfall.unit), float(c.ratio))
                      for c in s.checks if not c.met)
        out.append(SchoolShortfall(s.name, STAGE_ZH[s.stage], s.students, s.reason, items, s.passed))
    return tuple(out)


def _unit(unit: str) -> str:
    return {"平方米": "㎡"}.get(unit, unit)


def _amount(sf) -> str:
    """+1,234㎡, +3人, +12.5万元: areas to the whole square metre, money to 0.01 万元."""
    unit = _unit(sf.unit)
    return f"+{fmt_amount(sf.amount, sf.unit)}{unit}"


def cv_lines(case: CountyCase) -> tuple[CvLine, ...]:
    r = case.resources
    names = {ind.id: short_label(ind) for ind in case.standard.resource_indicators}
    return tuple(CvLine(STAGE_ZH[stage], ind_id, float(v), float(limit), bool(ok), names.get(ind_id, ind_id))
                 for (_, stage), row, limit, oks in zip(r.group_labels, r.cv, r.cv_limits, r.cv_within_limit)
                 for ind_id, v, ok in zip(r.ids, row, oks))


def veto_lines(case: CountyCase) -> tuple[VetoLine, ...]:
    wording = {v.id: v.wording for v in case.standard.vetoes}
    where = lambda f: "".join([f.source, f"第{f.page}页" if f.page else ""])  # noqa: E731
    return tuple(VetoLine(f.condition, wording.get(f.condition, f.condition), f.quote, where(f),
                          STATUS_ZH.get(f.status, f.status), f.status == "confirmed", f.sentence(case.standard))
                 for f in case.findings)
