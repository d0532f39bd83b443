"""创建工作进展情况报告 (the county's yearly progress report to the county people's congress, 方案五（三）:
"向县级人民代表大会报告创建工作进展情况"), from the monitoring ledger's progress data.

The county government issues it (a draft: the county numbers and signs it); the figures are the
ones the annual monitoring recorded, so the report says no more than the ledger holds.
"""

from __future__ import annotations

from datetime import date
from typing import Mapping

from inspection.documents.model import DocNumber, Heading, Issue, OfficialDocument, Paragraph, Table
from inspection.documents.letter_layout import cols
from inspection.numerals import section_number


def progress_document(progress: Mapping, ledgers: Mapping, *, issued: date) -> OfficialDocument:
    """The report for `progress` (`cycle.ledger.progress_summary`) and its ledgers (`build_ledgers`)."""
    county, year = progress["county"], progress["year"]
    short = county.replace("塔吉克自治县", "").rstrip("县市")
    issue = Issue(authority=f"{county}人民政府", number=DocNumber(f"{short}政", issued.year, None), issued=issued)
    met, unmet = ledgers.get("met", {}), ledgers.get("unmet", {})
    rows = (("学校（学段）资源配置", str(len(met.get("schools", []))), str(len(unmet.get("schools", []))), "—"),
            ("校际差异系数", str(len(met.get("cv", []))), str(len(unmet.get("cv", []))), "—"),
            ("县级指标", str(len(met.get("county", []))), str(len(unmet.get("county", []))),
             str(len(unmet.get("pending", [])))))
    body = [Paragraph(f"根据《喀什地区推动县域义务教育优质均衡发展实施方案（2021—2035年）》关于县级人民政府向同级人民代表大会"
                      f"报告创建工作进展情况的要求，现将我{'市' if county.endswith('市') else '县'}{year}年度县域义务教育"
                      f"优质均衡发展创建工作进展情况报告如下。"),
            Heading(f"{section_number(1, 1)}总体进展"),
            Paragraph(progress["text"]),
            Table("表1  年度监测达标与未达标情况（已达标台账、未达标台账）",
                  cols(("项目", 3.2, "left"), ("达标", 1.2, "center"), ("未达标", 1.2, "center"),
                       ("待核实", 1.2, "center")), rows, size="small"),
            Heading(f"{section_number(1, 2)}存在的主要问题")]
    problems = [f"{s['school']}（{'小学' if s['stage'] == 'primary' else '初中'}）资源配置未达标"
                for s in unmet.get("schools", [])[:10]]
    problems += [item["sentence"] for item in unmet.get("county", []) if item.get("sentence")]
    body += [Paragraph(f"{section_number(3, k)}{p}。") for k, p in enumerate(problems, 1)] or [
        Paragraph("本年度监测未发现未达标事项。")]
    if len(unmet.get("schools", [])) > 10:
        body.append(Paragraph(f"其余{len(unmet['schools']) - 10}个未达标学校（学段）见未达标台账。"))
    body += [Heading(f"{section_number(1, 3)}下一步工作"),
             Paragraph("对照未达标台账逐项制定整改措施，明确责任单位和完成时限，所需经费列入政府财政预算；"
                       "按期补报待核实指标的数据和佐证材料，确保按期实现县域义务教育优质均衡发展。"),
             Paragraph("特此报告。")]
    return OfficialDocument("progress", issue, f"{county}人民政府\n关于{year}年度县域义务教育优质均衡发展\n创建工作进展情况的报告",
                            f"{county}人民代表大会常务委员会：", tuple(body), county=county, upward=True)
