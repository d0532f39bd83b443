"""督导评估意见书 (evaluation letter to a county): its facts, built from a `CountyCase`.

`build_letter` gathers what the letter says: the verdict and its reasons, the four areas with their
figures against thresholds, each failing school and indicator with its shortfall, CVs per stage,
veto findings with quotes and sources, and the rectifications required with their deadlines.
`inspection.documents.letter_layout` turns it into an `OfficialDocument`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from inspection.documents import facts
from inspection.documents.case import CountyCase
from inspection.documents.charts import CvChart, IndicatorChart
from inspection.documents.model import DocNumber, Issue
from inspection.numerals import fmt_amount, fmt_number
from inspection.planning import load_costs, plan_additions
from inspection.planning_county import PlanSummary, summarise
from inspection.rules.verdict import Verdict
from inspection.standard import AREA_ZH, Schedule


@dataclass(frozen=True)
class Deadlines:
    """整改时限: the rectification plan is due by `plan`, the work done by `completion`."""

    plan: date
    completion: date


def default_deadlines(issued: date, recognition_year: int) -> Deadlines:
    """Plan within 30 days. Completion: a county past its recognition year gets 90 days (限期整改);
    otherwise before the next autumn term, and no later than mid-way through its recognition year."""
    plan = issued + timedelta(days=30)
    if recognition_year <= issued.year:
        return Deadlines(plan, issued + timedelta(days=90))
    return Deadlines(plan, min(date(issued.year + 1, 8, 31), date(recognition_year, 6, 30)))


@dataclass(frozen=True)
class Rectification:
    """A required rectification (整改事项): what, what must be done, by when."""

    item: str
    requirement: str
    deadline: date
    kind: str = "indicator"     # veto | school | cv | indicator | pending


def issue_for(schedule: Schedule, *, serial: int | None, issued: date,
              copy_to: tuple[str, ...] = ("自治区人民政府教育督导委员会办公室",)) -> Issue:
    """The committee's issue details: authority and prefix from the schedule, `serial` from the database
    (`inspection.db.repo.next_document_number`), or None for a draft."""
    p = schedule.prefecture
    return Issue(authority=p.committee, number=DocNumber(p.doc_prefix, issued.year, serial),
                 issued=issued, copy_to=copy_to, signer=p.signer)


@dataclass(frozen=True)
class EvaluationLetter:
    county: str
    year: int
    recognition_year: int
    standard_title: str
    standard_document: str
    verdict: Verdict
    schools_total: int
    schools_passed: int
    areas: tuple[facts.AreaSummary, ...]
    resources: tuple[facts.ResourceLine, ...]
    county_lines: tuple[facts.CountyLine, ...]
    gaps: tuple[facts.SchoolShortfall, ...]     # every school with an indicator below standard
    cvs: tuple[facts.CvLine, ...]
    vetoes: tuple[facts.VetoLine, ...]
    rectifications: tuple[Rectification, ...]
    deadlines: Deadlines
    issue: Issue
    indicator_chart: IndicatorChart
    cv_chart: CvChart
    scanned: tuple[str, ...] | None = None     # documents the veto scan read; None: no scan ran
    follows: str = ""                           # a notice: the 发文字号 of the letter it follows ("" unknown)
    plan: PlanSummary | None = None             # what passing will take (达标测算), when resources fail
    plan_citation: str = ""                     # a saved what-if plan attached to the rectification, cited

    @property
    def failing(self) -> tuple[facts.SchoolShortfall, ...]:
        """The schools that fail the resource rule (资源配置未达标的学校)."""
        return tuple(s for s in self.gaps if not s.passed)

    @property
    def rectification_attachment(self) -> int:
        """The number of the attachment listing the rectifications: the schools' gaps, when there are
        any, are attachment 1 (a letter has no empty attachment)."""
        return 2 if self.gaps else 1


def build_letter(case: CountyCase, issue: Issue, deadlines: Deadlines | None = None) -> EvaluationLetter:
    """The letter's facts for `case`, issued as `issue`; deadlines default by `default_deadlines`."""
    deadlines = deadlines or default_deadlines(issue.issued, case.recognition_year)
    r = case.resources
    gaps = facts.schools_with_gaps(case)
    cvs = facts.cv_lines(case)
    lines = facts.county_lines(case)
    vetoes = facts.veto_lines(case)
    return EvaluationLetter(
        county=case.county, year=case.year, recognition_year=case.recognition_year,
        standard_title=case.standard.standard.title, standard_document=case.standard.standard.document,
        verdict=case.verdict, schools_total=int(r.included.sum()), schools_passed=int((r.included & r.passed).sum()),
        areas=facts.area_summaries(case), resources=facts.resource_lines(case), county_lines=lines,
        gaps=gaps, cvs=cvs, vetoes=vetoes,
        rectifications=rectifications(gaps, cvs, lines, vetoes, deadlines),
        deadlines=deadlines, issue=issue, indicator_chart=indicator_chart(case), cv_chart=cv_chart(case),
        scanned=case.scanned, plan=plan_summary(case))


def plan_summary(case: CountyCase) -> PlanSummary | None:
    """The cheapest additions that make the county's resources pass (inspection/planning.py), at the
    default unit costs; None when they pass already."""
    if case.resources.resource_passed:
        return None
    costs = load_costs()
    return summarise(plan_additions(case.resources.table, case.standard, costs), costs)


def rectifications(gaps, cvs, lines, vetoes, deadlines: Deadlines) -> tuple[Rectification, ...]:
    """One rectification per resource indicator with gaps, CV over its limit, unmet or missing
    indicator, and veto."""
    out = [Rectification(f"{v.wording}", f"核查“{v.quote[:40]}”所涉问题，依规处理并报送处理结果", deadlines.plan,
                       "veto")
           for v in vetoes if v.blocking]
    out += school_rectifications(gaps, deadlines.completion)
    out += [Rectification(f"{c.stage}{c.name}校际差异系数{c.value:.3f}，超过{fmt_number(c.limit)}",
                          "统筹调配师资和办学条件，缩小校际差距", deadlines.completion, "cv") for c in cvs if not c.within]
    out += [Rectification(f"{x.id} {x.wording}", f"达到“{x.requirement}”的要求（现为{x.value}）", deadlines.completion)
            for x in lines if x.conclusion == "未达标"]
    return tuple(out + pending_rectifications(lines, deadlines.plan))


def pending_rectifications(lines, deadline: date) -> list[Rectification]:
    """One item per area for the indicators still 待核实: the same request for each, so one row
    names them all (the letter's tables give each indicator's wording)."""
    by_area: dict[str, list[str]] = {}
    for x in lines:
        if x.conclusion == "待核实":
            by_area.setdefault(x.area, []).append(x.id)
    return [Rectification(f"{AREA_ZH.get(area, area)}：{'、'.join(ids)}共{len(ids)}项指标待核实",
                          "补充报送数据及佐证材料", deadline, "pending") for area, ids in by_area.items()]


def school_rectifications(gaps, deadline: date) -> list[Rectification]:
    """One item per resource indicator: how many schools are below its standard and the total to add
    (school by school in the letter's attachment 1 and in the unmet ledger, which sums the same)."""
    by_id: dict[str, list] = {}
    for s in gaps:
        for i in s.items:
            by_id.setdefault(i.id, []).append(i)
    out = []
    for ind_id, items in sorted(by_id.items()):
        total = sum(i.amount_value for i in items)
        out.append(Rectification(f"{ind_id}{items[0].label}：{len(items)}所学校（学段）未达到标准",
                                 f"逐校补足缺口，合计需增加{fmt_amount(total, items[0].amount_unit)}{items[0].amount_unit}"
                                 "（逐校明细见附件1）", deadline, "school"))
    return out


def indicator_chart(case: CountyCase) -> IndicatorChart:
    r = case.resources
    ratios = r.values[r.included] / r.thresholds[r.included]
    labels = tuple(f"{ind.id}\n{facts.short_label(ind)}" for ind in r.standard.resource_indicators)
    return IndicatorChart(labels, tuple(tuple(round(float(x), 4) for x in ratios[:, k]) for k in range(len(labels))),
                          r.standard.options.school_floor_ratio)


def cv_chart(case: CountyCase) -> CvChart:
    r = case.resources
    by_stage = r.cv_by_stage()
    labels = tuple(f"{ind.id}\n{facts.short_label(ind)}" for ind in r.standard.resource_indicators)
    limits = r.standard.options.cv_limit
    pick = lambda s: tuple(round(by_stage[s][i], 4) for i in r.ids) if by_stage.get(s) else None  # noqa: E731
    return CvChart(labels, pick("primary"), pick("junior"), (limits["primary"], limits["junior"]))
