"""整改通知 (rectification notice) and 问责通报 (accountability notice), from an evaluation letter's facts.

The notice orders a county to rectify what the letter found, by the letter's deadlines, and is
refused for a county with nothing to rectify. The accountability notice goes to every county when
one has missed its recognition year or a veto condition was confirmed; `accountability_document` refuses a county for which neither holds.
"""

from __future__ import annotations

from collections import Counter

from inspection.documents.facts import SHORT
from inspection.documents.letter import EvaluationLetter
from inspection.documents.letter_layout import OUTCOME_SENTENCE, cols, rectification_table, you
from inspection.documents.model import Attachment, Heading, OfficialDocument, Paragraph, Table
from inspection.numerals import arabic_date, fmt_count, section_number
from inspection.errors import InspectionError


def _problems(L: EvaluationLetter, pending_where: str = "附件") -> list[str]:
    out = []
    if L.gaps:   # the same schools and gaps as the letter's attachment 1 and the unmet ledger
        worst = Counter(i.label for s in L.gaps for i in s.items).most_common(3)
        out.append((f"{fmt_count(len(L.failing))}所学校（学段）资源配置未达标，" if L.failing else "")
                   + f"{fmt_count(len(L.gaps))}所学校（学段）有指标低于标准，缺口集中在"
                   + "、".join(f"{k}（{n}所）" for k, n in worst))
    over = [f"{c.stage}{SHORT.get(c.id, c.id)}" for c in L.cvs if not c.within]
    if over:
        out.append(f"校际差异系数超过限值：{'、'.join(over)}")
    unmet = [x.wording for x in L.county_lines if x.conclusion == "未达标"]
    if unmet:
        out.append("县级指标未达标：" + "；".join(unmet))
    pending = [x.id for x in L.county_lines if x.conclusion == "待核实"]
    if pending:
        out.append(f"{len(pending)}项指标未提供数据（逐项见{pending_where}）")
    out += [f"{v.sentence}（{v.status}）" for v in L.vetoes if v.blocking]
    return out


def _letter_attachment(L: EvaluationLetter) -> str:
    """Where the list comes from: the letter's attachment, by the letter's number when it is known."""
    n = L.rectification_attachment
    return f"即{L.follows}督导评估意见书附件{n}" if L.follows else f"即督导评估意见书附件{n}"


def rectification_document(L: EvaluationLetter) -> OfficialDocument:
    """整改通知: the problems found, what must be done and by when, the list attached. A county with
    nothing to rectify gets none (a notice ordering "0项整改事项" is not one to sign)."""
    if not L.rectifications:
        raise InspectionError(f"{L.county}{L.year}年度督导评估没有需要整改的事项，不适用整改通知",
                              f"{L.county} has nothing to rectify for {L.year}: no rectification notice",
                              county=L.county)
    d, y = L.deadlines, you(L.county)
    body = [Paragraph(f"我委对{y}{L.year}年度县域义务教育优质均衡发展情况进行了督导评估，结论为"
                      f"{OUTCOME_SENTENCE[L.verdict.outcome]}。为确保按期实现优质均衡发展目标，现就限期整改有关事项通知如下。"),
            Heading(f"{section_number(1, 1)}存在的主要问题")]
    body += [Paragraph(f"{section_number(3, k)}{text}。") for k, text in enumerate(_problems(L), 1)]
    body += [Heading(f"{section_number(1, 2)}整改要求"),
             Paragraph(f"{y}人民政府要高度重视，对照附件（{_letter_attachment(L)}）所列{len(L.rectifications)}项整改事项，"
                       f"于{arabic_date(d.plan)}前制定整改方案，明确责任单位、整改措施和完成时限，报我委备案。",
                       lead=section_number(2, 1)),
             Paragraph(f"于{arabic_date(d.completion)}前完成全部整改任务，并将整改情况报告（附佐证材料）报送我委。"
                       "涉及学校建设、教师补充和设备购置的，要列入政府财政预算予以保障。", lead=section_number(2, 2)),
             *_plan_paragraphs(L),
             Paragraph("我委将对整改情况开展复查。对整改不力、弄虚作假的，依照有关规定予以通报、约谈和问责。",
                       lead=section_number(2, 4 if L.plan else 3))]
    return OfficialDocument("rectification", L.issue,
                            f"关于{L.county}限期整改县域义务教育\n优质均衡发展督导评估问题的通知",
                            f"{L.county}人民政府：", tuple(body),
                            (Attachment("整改事项及完成时限清单", (rectification_table(L),)),),
                            county=L.county, meta={"verdict": L.verdict.outcome})


def _plan_paragraphs(L: EvaluationLetter) -> list:
    """What passing will take (达标测算), and the saved plan the county attached, when there are."""
    if not L.plan:
        return []
    cited = f"整改方案可参照{L.plan_citation}。" if L.plan_citation else ""
    return [Paragraph(L.plan.sentence() + cited, lead=section_number(2, 3))]


def accountable(L: EvaluationLetter) -> bool:
    """Accountability applies when the county is past its recognition year unmet, or a veto is confirmed."""
    overdue = L.recognition_year <= L.year and L.verdict.outcome != "met"
    return overdue or any(v.status == "已确认" for v in L.vetoes)


def accountability_document(L: EvaluationLetter) -> OfficialDocument:
    """问责通报 to every county: the facts, the decision, the rectification required, a warning to all."""
    if not accountable(L):
        raise InspectionError(f"{L.county}未到创建年份且无已确认的不予认定情形，不适用问责通报",
                              f"{L.county} is neither overdue nor has a confirmed veto: no accountability notice",
                              county=L.county)
    overdue = L.recognition_year <= L.year and L.verdict.outcome != "met"
    facts = (f"按照地区县域义务教育优质均衡发展创建工作安排，{L.county}应于{L.recognition_year}年实现县域义务教育优质均衡发展。"
             f"经督导评估，{L.county}{L.year}年度{OUTCOME_SENTENCE[L.verdict.outcome]}"
             + ("，未能按期实现创建目标。" if overdue else "。"))
    body = [Paragraph(facts), Heading(f"{section_number(1, 1)}基本情况")]
    body += [Paragraph(f"{section_number(3, k)}{text}。")
             for k, text in enumerate(_problems(L, "督导评估意见书"), 1)]
    body += [Heading(f"{section_number(1, 2)}处理决定"),
             Paragraph(f"经研究，决定对{L.county}予以通报批评，由我委约谈{L.county}人民政府主要负责同志。"
                       f"{L.county}人民政府要深刻反思，于{arabic_date(L.deadlines.plan)}前向我委作出书面说明并报送整改方案，"
                       f"于{arabic_date(L.deadlines.completion)}前完成整改，整改情况纳入年度督导复查。"),
             Heading(f"{section_number(1, 3)}有关要求"),
             Paragraph("各县（市）人民政府要引以为戒，对照创建时间安排和已达标、未达标台账，逐校逐项补齐短板，"
                       "确保按期实现县域义务教育优质均衡发展。对工作不力、未按期完成创建任务的，我委将依照有关规定严肃问责。")]
    return OfficialDocument("accountability", L.issue,
                            f"关于{L.county}未按期实现县域义务教育\n优质均衡发展目标的通报" if overdue
                            else f"关于{L.county}县域义务教育优质均衡发展\n督导评估中存在不予认定情形的通报",
                            "各县（市）人民政府：", tuple(body), county=L.county, meta={"verdict": L.verdict.outcome})
