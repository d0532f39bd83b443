"""年度监测报告 (annual monitoring report to the prefecture): every county's progress against its
recognition year, the ledgers in figures, the timeline and progress charts.

`build_progress` reads one county's case and ledger; `monitoring_document` lays all counties out
as an `OfficialDocument` addressed to the prefecture's administration.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from inspection.documents.case import CountyCase
from inspection.documents.charts import ProgressChart, TimelineChart
from inspection.documents.facts import SHORT
from inspection.documents.ledger import CountyLedger
from inspection.documents.letter_layout import OUTCOME_SENTENCE, cols
from inspection.documents.model import Attachment, Figure, Heading, Issue, OfficialDocument, Paragraph, Table
from inspection.numerals import fmt_amount, fmt_count, fmt_percent, section_number
from inspection.planning_county import PlanSummary

STATUS_ZH = {"met": "已达标", "due": "本年度创建", "overdue": "逾期未达标", "planned": "未到创建年份"}
# (indicator, column head, the unit its gaps are in)
_GAP_COLUMNS = (("R1", "高学历教师（人）", "人"), ("R4", "教学用房（㎡）", "平方米"), ("R5", "体育场馆（㎡）", "平方米"),
                ("R6", "仪器设备（万元）", "万元"), ("R7", "多媒体教室（间）", "间"))


@dataclass(frozen=True)
class CountyProgress:
    county: str
    recognition_year: int
    year: int
    schools: int
    passed: int
    cv_over: int
    county_unmet: int
    county_pending: int
    vetoes: int
    outcome: str
    met_by_indicator: tuple[tuple[str, int], ...]   # (id, schools meeting it)
    ledger: CountyLedger
    label: str = ""                                 # short name for charts
    plan: PlanSummary | None = None                 # what passing will take (达标测算), when resources fail
    plan_citation: str = ""                         # the saved plan attached to the county's annual plan

    @property
    def share(self) -> float:
        return self.passed / self.schools if self.schools else 0.0

    @property
    def status(self) -> str:
        """met | overdue (past its year, not met) | due (this year) | planned."""
        if self.outcome == "met":
            return "met"
        if self.recognition_year < self.year:
            return "overdue"
        return "due" if self.recognition_year == self.year else "planned"


def build_progress(case: CountyCase, ledger: CountyLedger, plan: PlanSummary | None = None) -> CountyProgress:
    r = case.resources
    inc = r.included
    res = case.county_results
    return CountyProgress(case.county, case.recognition_year, case.year, int(inc.sum()), int((inc & r.passed).sum()),
                          int((~r.cv_within_limit).sum()), sum(x.met is False for x in res),
                          sum(x.met is None for x in res), sum(f.status != "dismissed" for f in case.findings),
                          case.verdict.outcome,
                          tuple((ind_id, int(r.met[inc, k].sum())) for k, ind_id in enumerate(r.ids)), ledger,
                          case.label or case.county, plan)


def monitoring_document(progress: list[CountyProgress], issue: Issue, *, prefecture: str, year: int,
                        addressee: str = "地区行政公署：") -> OfficialDocument:
    """The prefecture's annual monitoring report for `year` over the counties in `progress`."""
    P = sorted(progress, key=lambda p: (p.recognition_year, p.county))
    schools, passed = sum(p.schools for p in P), sum(p.passed for p in P)
    by_status = Counter(p.status for p in P)
    overdue = [p.county for p in P if p.status == "overdue"]
    body = [Paragraph(f"按照县域义务教育优质均衡发展创建工作安排，我委对全{prefecture[-2:]}{len(P)}个县市{year}年度"
                      "义务教育优质均衡发展情况进行了监测，建立了已达标、未达标两本台账。现将监测情况报告如下。"),
            Heading(f"{section_number(1, 1)}总体情况"),
            Paragraph(f"全{prefecture[-2:]}纳入监测的{fmt_count(schools)}所学校（学段）中，{fmt_count(passed)}所资源配置达标，"
                      f"达标率{fmt_percent(passed / schools if schools else 0)}。{len(P)}个县市中，"
                      + "，".join(f"{STATUS_ZH[s]}{by_status[s]}个" for s in STATUS_ZH if by_status[s]) + "。"
                      + (f"{'、'.join(overdue)}已过创建年份仍未达到标准。" if overdue else "")),
            Figure("图1  2025—2034年创建时间安排与进展", TimelineChart(
                tuple((p.label or p.county, p.recognition_year, p.status) for p in P), as_of_year=year)),
            Figure("图2  各县市资源配置达标的学校占比", ProgressChart(
                tuple((f"{p.label or p.county}（{p.recognition_year}）", round(p.share, 4)) for p in P))),
            Heading(f"{section_number(1, 2)}各县市推进情况"),
            Table("表1  各县市监测结果", cols(("县市", 3.0, "left"), ("创建年份", 1.2, "center"), ("学校（学段）", 1.3, "right"),
                                          ("达标", 1.0, "right"), ("达标率", 1.2, "right"), ("差异系数超限", 1.3, "center"),
                                          ("县级指标未达标", 1.4, "center"), ("否决情形", 1.1, "center"), ("进度", 2.4, "center")),
                  tuple((p.county, str(p.recognition_year), fmt_count(p.schools), fmt_count(p.passed), fmt_percent(p.share),
                         str(p.cv_over), str(p.county_unmet), str(p.vetoes), STATUS_ZH[p.status]) for p in P),
                  emphasis=tuple(p.status == "overdue" for p in P), size="small")]
    body += [Paragraph(_county_sentence(p), lead=f"{p.county}。") for p in P]
    body += [Heading(f"{section_number(1, 3)}台账情况"),
             Paragraph("各县市已达标台账、未达标台账逐校逐项列明现值、标准、缺口和完成时限（另附电子表格）。"
                       "按指标汇总的资源配置缺口见表2。"),
             Table("表2  各县市资源配置缺口汇总", cols(("县市", 2.6, "left"), ("已达标项", 1.1, "right"), ("未达标项", 1.1, "right"),
                                               *((label, 1.4, "right") for _, label, _ in _GAP_COLUMNS)),
                   tuple(_gap_row(p) for p in P), size="small",
                   note="缺口为各未达标学校（学段）达到标准尚需增加的数量之和。")]
    body += _plans(P)
    body += _problems(P, year)
    attachment = Attachment("各县市资源配置指标达标学校数汇总表", (Table(
        "", cols(("县市", 2.6, "left"), ("学校（学段）", 1.3, "right"), *((f"{i}{SHORT.get(i, '')}", 1.2, "right")
                                                                     for i, _ in P[0].met_by_indicator)),
        tuple((p.county, fmt_count(p.schools), *(str(n) for _, n in p.met_by_indicator)) for p in P), size="small",
        note="表中数字为该项指标达到标准的学校（学段）数。") if P else Paragraph("无监测数据。"),))
    return OfficialDocument("monitoring", issue, f"{prefecture}{year}年度县域义务教育\n优质均衡发展监测报告",
                            addressee, tuple(body), (attachment,), county=None, upward=True,
                            meta={"counties": [p.county for p in P]})


def _plans(P: list[CountyProgress]) -> list:
    """What passing will take in each county whose resources fail, in people and 万元 (达标测算)."""
    planned = [p for p in P if p.plan is not None]
    if not planned:
        return []

    def people(p: CountyProgress) -> float:
        return sum(amount for _, amount, unit in p.plan.totals if unit == "人")
    return [Paragraph(f"按暂定单价（{planned[0].plan.costs_title}，待委员会确认）测算，{len(planned)}个县市使资源配置达标"
                      f"合计约需{fmt_amount(sum(p.plan.cost_wan for p in planned), '万元')}万元，补充教师{fmt_count(int(sum(people(p) for p in planned)))}人，"
                      "各县市见表3。"),
            Table("表3  各县市资源配置达标测算", cols(("县市", 2.6, "left"), ("需补充学校（学段）", 1.8, "right"),
                                              ("教师（人）", 1.4, "right"), ("合计（万元）", 1.8, "right")),
                  tuple((p.county, fmt_count(p.plan.schools), fmt_count(int(people(p))), fmt_amount(p.plan.cost_wan, "万元"))
                        for p in planned), size="small",
                  note="测算为使各校达到“7项指标中至少6项达到要求、其余项目不低于要求的85%”且差异系数不超过限值的最少补充。")]


def _county_sentence(p: CountyProgress) -> str:
    left = p.recognition_year - p.year
    when = (f"应于{p.recognition_year}年实现优质均衡，" + (f"距创建年份还有{left}年；" if left > 0 else
            "本年度为创建年份；" if left == 0 else f"已逾期{-left}年；"))
    return (f"{when}资源配置达标{fmt_count(p.passed)}所，占{fmt_percent(p.share)}，差异系数超限{p.cv_over}项，"
            f"县级指标未达标{p.county_unmet}项、待核实{p.county_pending}项"
            + (f"，发现不予认定情形{p.vetoes}项" if p.vetoes else "") + f"；监测结论为{OUTCOME_SENTENCE[p.outcome]}。"
            + (f"年度计划附推演方案{p.plan_citation}。" if p.plan_citation else ""))


def _gap_row(p: CountyProgress) -> tuple[str, ...]:
    totals = p.ledger.shortfall_totals()
    unmet = sum(r.met is False for r in p.ledger.unmet)
    return (p.county, fmt_count(len(p.ledger.met)), fmt_count(unmet),
            *(fmt_amount(totals.get(i, (0, unit))[0], unit) for i, _, unit in _GAP_COLUMNS))


def _problems(P: list[CountyProgress], year: int) -> list:
    unmet = Counter(r.indicator for p in P for r in p.ledger.unmet if r.met is False and r.school != "全县")
    worst = "、".join(f"{SHORT.get(i, i)}（{n}所次）" for i, n in unmet.most_common(3))
    overdue = [p.county for p in P if p.status == "overdue"]
    due_next = [p.county for p in P if p.recognition_year == year + 1]
    out = [Heading(f"{section_number(1, 4)}存在的主要问题和工作建议"),
           Paragraph(f"从台账看，未达标最集中的资源配置指标是{worst}。" if worst else "资源配置指标均已达标。",
                     lead=f"{section_number(2, 1)}")]
    if overdue:
        out.append(Paragraph(f"{'、'.join(overdue)}已过方案确定的创建年份仍未达到标准，建议依照方案启动问责程序，"
                             "下达整改通知，限期整改。", lead=f"{section_number(2, 2)}"))
    if due_next:
        out.append(Paragraph(f"{'、'.join(due_next)}将于{year + 1}年迎接评估认定，建议加大投入，逐校补齐缺口，"
                             "提前开展自评。", lead=f"{section_number(2, 3 if overdue else 2)}"))
    out.append(Paragraph("建议各县市对照未达标台账逐项制定整改措施，明确责任单位和完成时限，我委每年开展监测复查。"))
    return out + [Paragraph("特此报告。")]
