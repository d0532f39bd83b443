"""Lay the evaluation letter (督导评估意见书) out as an `OfficialDocument`: headings, tables, charts."""

from __future__ import annotations

import re

from inspection.documents.letter import EvaluationLetter
from inspection.documents.model import (Attachment, Column, Figure, Heading, OfficialDocument, Paragraph,
                                        Table)
from inspection.numerals import arabic_date, fmt_count, fmt_number, section_number

OUTCOME_SENTENCE = {"met": "达到县域义务教育优质均衡发展督导评估标准",
                    "not_met": "未达到县域义务教育优质均衡发展督导评估标准",
                    "pending": "尚有指标待补充数据或待督导认定，暂不作出结论",
                    "vetoed": "存在不予认定情形，不予认定"}
METHOD = "《县域义务教育优质均衡发展督导评估办法》（教督〔2017〕6号）"


def you(county: str) -> str:
    """How the letter addresses the county: 你市 for a city, 你县 otherwise."""
    return "你市" if county.endswith("市") else "你县"


def cols(*spec: tuple[str, float, str]) -> tuple[Column, ...]:
    return tuple(Column(label, width, align) for label, width, align in spec)


def letter_document(letter: EvaluationLetter) -> OfficialDocument:
    """The letter as a document: seven numbered sections, two charts, two attachments."""
    L = letter
    body = [Paragraph(_opening(L))]
    body += _conclusion(L) + _resources(L)
    n = 3
    for area in L.areas[1:]:
        body += _county_area(L, area, n)
        n += 1
    body += _vetoes(L, n) + _rectify(L, n + 1)
    attachments = ()   # only those with something in them: a met county's letter has none
    if L.gaps:
        attachments += (Attachment("学校资源配置指标缺口明细表", (gaps_table(L),)),)
    if L.rectifications:
        attachments += (Attachment("整改事项及完成时限清单", (rectification_table(L),)),)
    return OfficialDocument("letter", L.issue, f"{L.county}县域义务教育优质均衡发展\n督导评估意见书",
                            f"{L.county}人民政府：", tuple(body), attachments, county=L.county,
                            meta={"verdict": L.verdict.outcome})


def rectification_table(L: EvaluationLetter) -> Table:
    """整改事项及完成时限清单, the same in the letter and the rectification notice; 完成时限 wide enough
    for "2026年12月29日" on one line in Word's and LibreOffice's digits too."""
    return Table("", cols(("序号", 0.6, "center"), ("整改事项", 4.3, "left"), ("整改要求", 3.5, "left"),
                          ("完成时限", 2.6, "center")),
                 tuple((str(k), r.item, r.requirement, arabic_date(r.deadline)) for k, r in enumerate(L.rectifications, 1)),
                 size="small")


def gaps_table(L: EvaluationLetter):
    """One row per school (stage) below standard in any indicator, those failing the resource rule
    first; an unmet indicator's cell gives how far it reaches and what it lacks ("86.2%" over "+12",
    the unit in the column head), a met one is blank; the last columns name the indicators below the
    floor (85 %) and the school's conclusion. Two lines a row: about 22 schools a page."""
    ids = [r.id for r in L.resources]
    units = {i.id: i.amount_unit for s in L.gaps for i in s.items}
    rows = tuple((s.school, s.stage, fmt_count(s.students),
                  *({i.id: f"{i.ratio}\n{i.amount.removesuffix(i.amount_unit)}" for i in s.items}.get(k, "") for k in ids),
                  " ".join(i.id for i in s.items if i.below_floor), "有缺口" if s.passed else "未达标") for s in L.gaps)
    labels = {r.id: r.wording for r in L.resources}
    return Table("", cols(("学校", 2.4, "left"), ("学段", 0.8, "center"), ("学生数", 0.9, "right"),
                          *((f"{i}\n{units.get(i, '')}", 1.1, "center") for i in ids),
                          (f"低于{L.indicator_chart.floor:.0%}", 1.0, "center"), ("结论", 1.1, "center")),
                 rows, size="tiny", emphasis=tuple(not s.passed for s in L.gaps),
                 note="指标栏中，上行为达到标准的程度（现值占标准的百分比），下行为达到标准尚需增加的数量（单位见栏目），"
                      "空白为已达标。结论栏中，“未达标”为资源配置未达到规定的学校，“有缺口”为达到规定但仍有指标低于标准的学校。"
                      + "；".join(f"{i} {labels[i]}" for i in ids) + "。")


def _opening(L: EvaluationLetter) -> str:
    cite = METHOD if L.standard_title in METHOD else f"{METHOD}和《{L.standard_title}》"
    when = (f"按照地区创建工作安排，{you(L.county)}应于{L.recognition_year}年实现县域义务教育优质均衡发展"
            + ("，现已到期" if L.recognition_year <= L.issue.issued.year else ""))
    return (f"根据{cite}，我委对{you(L.county)}{L.year}年度县域义务教育优质均衡发展情况进行了督导评估。"
            f"{when}。现将督导评估意见通知如下。")


def _conclusion(L: EvaluationLetter) -> list:
    failing = L.schools_total - L.schools_passed
    over = sum(not c.within for c in L.cvs)
    county = [x for x in L.county_lines]
    parts = [(f"纳入评估的{fmt_count(L.schools_total)}所学校（学段）中{fmt_count(L.schools_passed)}所资源配置达标、"
              f"{fmt_count(failing)}所未达标") if failing else
             f"纳入评估的{fmt_count(L.schools_total)}所学校（学段）资源配置全部达标",
             f"校际差异系数{len(L.cvs)}项中{over}项超过限值" if over else f"校际差异系数{len(L.cvs)}项均在限值以内",
             county_count_sentence(county), veto_sentence(L)]
    return [Heading(f"{section_number(1, 1)}总体结论"),
            Paragraph(f"经督导评估，{L.county}{L.year}年度{OUTCOME_SENTENCE[L.verdict.outcome]}。"
                      f"{'；'.join(parts)}。"),
            Table("表1  四个方面评估结果", cols(("评估方面", 2.2, "left"), ("评估项", 1, "center"), ("达标", 1, "center"),
                                          ("未达标", 1, "center"), ("待核实", 1, "center"), ("结论", 1.2, "center")),
                  tuple((a.name, str(a.total), str(a.met), str(a.unmet), str(a.pending), a.conclusion) for a in L.areas),
                  emphasis=tuple(a.conclusion != "达标" for a in L.areas),
                  note="资源配置的评估项为各校（学段）与各项差异系数。")]


def county_count_sentence(lines) -> str:
    """县级指标N项中…: how many were met, not met and pending, and why the pending ones are."""
    met = sum(x.conclusion == "达标" for x in lines)
    unmet = sum(x.conclusion == "未达标" for x in lines)
    waiting = [x for x in lines if x.conclusion == "待核实"]
    text = f"县级指标{len(lines)}项中{met}项达标、{unmet}项未达标、{len(waiting)}项待核实"
    why = {}
    for x in waiting:
        why[x.pending_why or "未提供数据"] = why.get(x.pending_why or "未提供数据", 0) + 1
    if waiting:
        text += "（" + "、".join(f"{k}{v}项" for k, v in why.items()) + "）"
    return text


def veto_sentence(L: EvaluationLetter) -> str:
    """What the veto check found, claiming no more than was checked: the documents scanned are named,
    an unconfirmed finding is 待核实, and with no scan the check is said to be pending."""
    confirmed = sum(v.blocking for v in L.vetoes)
    open_ = sum(v.status == "待认定" for v in L.vetoes)
    if confirmed:
        return f"经督导委员会核实，存在不予认定情形{confirmed}项"
    if open_:
        return f"发现{open_}项疑似不予认定情形，待督导委员会核实"
    if L.scanned is None:
        return "不予认定情形核查待进行（尚未提交自评报告等申报材料）"
    if not L.scanned:
        return "不予认定情形核查待进行（申报材料中没有可核查的叙述材料）"
    names = "、".join(f"《{name}》" for name in L.scanned[:3]) + (f"等{len(L.scanned)}份材料" if len(L.scanned) > 3 else "")
    return f"经核查{names}，未发现以考试方式招生、违规择校、设重点校（班）等不予认定情形"


def _resources(L: EvaluationLetter) -> list:
    stages = [("primary", "小学"), ("junior", "初中")]
    rows = tuple((f"{r.id} {r.wording}（{r.unit}）",
                  *(fmt_number(r.threshold[s]) for s, _ in stages),
                  *(fmt_number(r.mean[s]) if s in r.mean else "—" for s, _ in stages),
                  f"{r.met}/{r.total}",
                  *(f"{r.cv[s]:.3f}" if s in r.cv else "—" for s, _ in stages)) for r in L.resources)
    limits = {c.stage: c.limit for c in L.cvs}
    cv_text = "；".join(f"{c.stage}{c.name}为{c.value:.3f}" for c in L.cvs if not c.within)
    failing = L.schools_total - L.schools_passed
    return [
        Heading(f"{section_number(1, 2)}资源配置"),
        Paragraph((f"{L.county}纳入评估的{fmt_count(L.schools_total)}所学校（学段）中，"
                   f"{fmt_count(L.schools_passed)}所达到“7项指标中至少6项达到要求、其余项目不低于要求的85%”的规定，"
                   f"{fmt_count(failing)}所未达到。" if failing else
                   f"{L.county}纳入评估的{fmt_count(L.schools_total)}所学校（学段）均达到“7项指标中至少6项达到要求、"
                   "其余项目不低于要求的85%”的规定。")
                  + "各项指标的标准、全县按学生数加权的均值和达标学校数见表2，各校达到标准的情况见图1。"),
        Table("表2  资源配置指标与标准", cols(("指标", 4.6, "left"), ("小学标准", 1.1, "right"), ("初中标准", 1.1, "right"),
                                        ("小学均值", 1.1, "right"), ("初中均值", 1.1, "right"), ("达标学校", 1.3, "center"),
                                        ("小学差异系数", 1.3, "right"), ("初中差异系数", 1.3, "right")),
              rows, emphasis=tuple(r.met < r.total for r in L.resources), size="small",
              note="均值按各校在校学生数加权；差异系数上限：" + "，".join(f"{s}{fmt_number(v)}" for s, v in limits.items()) + "。"),
        Figure("图1  各校资源配置指标达到标准的程度", L.indicator_chart),
        Heading(f"{section_number(2, 1)}未达标学校", 2),
        Paragraph(_gaps_sentence(L, failing)),
        *_failing_schools(L),
        Heading(f"{section_number(2, 2)}校际差异系数", 2),
        Paragraph((f"按学段计算的校际差异系数中，{cv_text}，超过规定限值。" if cv_text
                   else "各学段各项指标的校际差异系数均在规定限值以内。") + "各项差异系数与限值的比较见图2。"),
        Figure("图2  校际差异系数与限值", L.cv_chart),
        *([Heading(f"{section_number(2, 3)}达标测算", 2), Paragraph(L.plan.sentence())] if L.plan else []),
    ]


def _gaps_sentence(L: EvaluationLetter, failing: int) -> str:
    short = len(L.gaps) - failing
    if not L.gaps:
        return "所有学校（学段）资源配置均达到要求，各项指标均达到标准。"
    head = (f"共有{fmt_count(failing)}所学校（学段）资源配置未达标" if failing
            else "所有学校（学段）资源配置均达到要求")
    more = (f"，另有{fmt_count(short)}所学校（学段）虽达到要求但仍有指标低于标准" if failing else
            f"，其中{fmt_count(short)}所学校（学段）仍有指标低于标准") if short else ""
    return f"{head}{more}。逐校逐项的现值、标准和缺口见附件1，与未达标台账一致。"


# How many failing schools the body sets out figure by figure, furthest below first; the rest it names
# in one sentence, their figures in attachment 1 (and the unmet ledger). A layout choice: 莎车县 has
# 202 failing schools and 1,255 unmet figures, some 100 pages if all were written out in the body.
BODY_SCHOOLS = 10


def _failing_schools(L: EvaluationLetter) -> list:
    """Each school failing the resource rule, furthest below first: every unmet indicator's value, its
    standard, how far it reaches and what it lacks, in words (no indicator codes)."""
    failing = sorted((s for s in L.gaps if not s.passed), key=lambda s: min(i.ratio_value for i in s.items))
    lines = {r.id: r for r in L.resources}       # every gap is a resource indicator's

    def item(i) -> str:
        line = lines[i.id]
        return (f"{_plain(line.wording)}{i.value}{line.unit}，为标准{i.threshold}{line.unit}的{i.ratio}，"
                f"{_plain(i.shortfall)}")

    out = [Paragraph(f"{s.school}（{s.stage}）：" + "；".join(item(i) for i in s.items) + "。")
           for s in failing[:BODY_SCHOOLS]]
    rest = failing[BODY_SCHOOLS:]
    if rest:
        names = "、".join(school + ("" if _implied(school, stages) else f"（{'、'.join(stages)}）")
                         for school, stages in _by_school(rest))
        out.append(Paragraph(f"其余{fmt_count(len(rest))}所未达标学校（学段）为：{names}，"
                             "逐校逐项的现值、标准和缺口见附件1。"))
    return out


def _implied(school: str, stages: list[str]) -> bool:
    """第3小学 can only be 小学 and 第2中学 only 初中; a 九年一贯制学校 needs its stage said."""
    return stages == ["小学"] and school.endswith("小学") or stages == ["初中"] and school.endswith(("初中", "中学"))


def _by_school(gaps) -> list[tuple[str, list[str]]]:
    """Each school once, with its failing stages (a 九年一贯制学校 may fail in both), in the given order."""
    stages: dict[str, list[str]] = {}
    for s in gaps:
        stages.setdefault(s.school, []).append(s.stage)
    order = {"小学": 0, "初中": 1}
    return [(school, sorted(st, key=lambda x: order.get(x, 2))) for school, st in stages.items()]


def _plain(text: str) -> str:
    """Prose without the parenthetical scope notes of an indicator's full wording."""
    return re.sub(r"（[^（）]*）", "", text)


def _county_area(L: EvaluationLetter, area, n: int) -> list:
    lines = [x for x in L.county_lines if x.area == area.area]
    out = [Heading(f"{section_number(1, n)}{area.name}"),
           Paragraph(f"{area.name}共{area.total}项指标，{area.met}项达标，{area.unmet}项未达标，{area.pending}项待核实。")]
    out += [Paragraph(f"{x.sentence}。") for x in lines if x.conclusion == "未达标"]
    out.append(Table(f"表{n}  {area.name}指标评估情况",
                     cols(("指标", 5.2, "left"), ("县级数值", 2.2, "center"), ("要求", 2.2, "center"), ("结论", 1.1, "center")),
                     tuple((f"{x.id} {x.wording}", x.value, x.requirement, x.conclusion) for x in lines),
                     emphasis=tuple(x.conclusion != "达标" for x in lines), size="small"))
    return out


def _vetoes(L: EvaluationLetter, n: int) -> list:
    out = [Heading(f"{section_number(1, n)}不予认定情形核查")]
    if not L.vetoes:
        return out + [Paragraph(veto_sentence(L) + "。")]
    out.append(Paragraph(f"{veto_sentence(L)}。核查中发现以下{len(L.vetoes)}项可能构成不予认定情形的事实，"
                         "经督导委员会核实属实的，依照督导评估办法不予认定："))
    out += [Paragraph(f"{section_number(3, k)}{v.sentence}。（{v.status}）") for k, v in enumerate(L.vetoes, 1)]
    return out


def _rectify(L: EvaluationLetter, n: int) -> list:
    """The rectification section, or nothing when there is nothing to rectify."""
    if not L.rectifications:
        return []
    d = L.deadlines
    school_items = sum(1 for r in L.rectifications if r.kind == "school")
    schools = f"（其中学校资源配置指标{school_items}项，涉及{fmt_count(len(L.gaps))}所学校（学段））" if school_items else ""
    return [Heading(f"{section_number(1, n)}整改要求"),
            Paragraph(f"请{you(L.county)}人民政府针对上述问题，于{arabic_date(d.plan)}前制定整改方案报我委，"
                      f"于{arabic_date(d.completion)}前完成整改并报送整改情况。整改事项共{len(L.rectifications)}项"
                      f"{schools}，逐项要求和完成时限见附件{L.rectification_attachment}。"),
            Paragraph("逐校补足教师、校舍、场馆和设备缺口，优先解决低于标准85%的指标；统筹县域内教师和办学资源配置，"
                      "缩小校际差距" + ("；按期补报待核实指标的数据和佐证材料" if any(
                          x.conclusion == "待核实" for x in L.county_lines) else "") + "。", lead="整改重点。"),
            Paragraph("我委将对整改情况进行跟踪督导，整改不到位的，将按有关规定予以通报、约谈和问责。")]
