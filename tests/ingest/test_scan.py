"""Veto scan: paraphrased findings and denials of every condition; contradictory figures."""

import json

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.ingest import read_document
from inspection.ingest.model import Paragraph
from inspection.ingest.scan import load_lexicon, scan_documents, scan_paragraphs
from tests.ingest.factories import Layout, TableSpec, narrative_pdf, renamed, write_docx, write_xlsx

FINDINGS = {
    "exam_admission": ["第二中学七年级新生须参加入学测试，按成绩录取。", "某校组织小升初选拔考试。",
                       "该校以考试方式招收新生。", "城区初中通过笔试、面试选拔新生。"],
    "school_choice": ["部分家长通过缴纳赞助费择校。", "城区学校存在跨学区招生现象。",
                      "个别学校违规招收学区外学生。", "今年仍有择校生32人。"],
    "key_school_or_class": ["第二中学设有两个实验班，通过考试选拔优秀学生。", "该校按成绩分班，设快慢班。",
                            "县一中设立重点班2个。", "城关小学开设尖子班。"],
    "contract_teachers": ["全县有空编120个未及时补充。", "长期聘用代课教师86人。", "部分学校有编不补。",
                          "编外临聘教师已连续任教5年。"],
    "safety_accident": ["2024年5月，某小学发生校舍坍塌事故，造成2名学生死亡。", "发生一起学生食物中毒事件。",
                        "发生重大安全责任事故1起。", "一名学生在校溺亡。"],
    "serious_violation": ["第三中学校长挪用营养改善计划资金，受到党纪处分。", "该校存在严重违规收费行为。",
                          "两名教师因有偿补课被通报处分。", "原局长被立案审查。"],
    "falsification": ["经核查，某校虚报在校学生数200人。", "个别学校篡改学籍数据。",
                      "迎检时从外校借用仪器设备应付检查。", "存在弄虚作假行为。"],
}
DECLARATIONS = {
    "exam_admission": ["严禁以考试方式招生。", "全面实行免试就近入学，不存在以考试方式选拔学生的情况。",
                       "我县没有任何学校组织入学考试。", "以考试方式招生情况：无。"],
    "school_choice": ["全县未发现违规择校现象。", "严禁跨区域招生。", "择校现象得到有效遏制。", "不收取择校费。"],
    "key_school_or_class": ["全县所有学校均未设置重点班。", "各校均不分快慢班。", "严禁以实验班名义选拔学生。",
                            "全县不设重点学校和重点班。"],
    "contract_teachers": ["我县不存在有编不补问题。", "未长期聘用编外教师。", "杜绝有编不补。", "严禁长期聘用代课教师。"],
    "safety_accident": ["未发生重大安全责任事故。", "全年重大安全事故零发生。", "防止溺水事故。", "严防校舍坍塌事故。"],
    "serious_violation": ["未发现严重违纪违规行为。", "严禁挪用教育经费。", "全县无严重违规行为。", "没有教师受到党纪处分。"],
    "falsification": ["各校数据真实，不存在弄虚作假。", "严禁虚报瞒报。", "杜绝弄虚作假。", "不得篡改数据。"],
}


def _case(table):
    return [pytest.param(c, s, id=f"{c}-{i}") for c, items in table.items() for i, s in enumerate(items)]


@pytest.mark.parametrize("condition,sentence", _case(FINDINGS))
def test_paraphrases_are_findings(condition, sentence):
    result = scan_paragraphs([Paragraph(sentence, 3)], file="报告.pdf")
    assert condition in {f.condition for f in result.findings}
    hit = next(f for f in result.findings if f.condition == condition)
    assert hit.page == 3 and hit.quote in sentence and hit.source == "报告.pdf"


@pytest.mark.parametrize("condition,sentence", _case(DECLARATIONS))
def test_denials_and_prohibitions_are_declarations(condition, sentence):
    result = scan_paragraphs([Paragraph(sentence, 1)])
    assert result.findings == []
    assert condition in {d.condition for d in result.declarations}


def test_every_veto_of_the_standard_is_in_the_lexicon(standard):
    assert {c.id for c in load_lexicon().conditions} == {v.id for v in standard.vetoes}


def test_denial_then_finding_in_one_sentence_is_a_finding():
    result = scan_paragraphs([Paragraph("全县未发现重点班，但第二中学仍按成绩分班。", 2)])
    assert [f.condition for f in result.findings] == ["key_school_or_class"]


def test_pdf_scan_reports_pages(tmp_path):
    paragraphs = ["全县所有学校均未设置重点班。"] * 3 + ["第二中学设有快慢班。"] + ["严禁以考试方式招生。"] * 4
    doc = read_document(narrative_pdf(tmp_path / "r.pdf", paragraphs, pages=2), None)
    assert doc.table is None and doc.pages == 2
    result = scan_documents([doc])
    assert [(f.condition, f.page) for f in result.findings] == [("key_school_or_class", 1)]
    assert {d.page for d in result.declarations} == {1, 2}


def test_contradictions_are_falsification(rows, standard, tmp_path):
    spec = TableSpec.of(rows, renamed(totals=True))
    j = next(i for i, c in enumerate(spec.body[-1]) if c and c[0] and c[0] != "合计")
    spec.body[-1][j] = ("1", 1, 1)
    a = write_docx(tmp_path / "a.docx", spec)
    changed = [dict(r) for r in rows]
    changed[0]["students"] = changed[0]["students"] + 50
    b = write_xlsx(tmp_path / "b.xlsx", TableSpec.of(changed, Layout()))
    result = scan_documents([read_document(a, standard), read_document(b, standard)])
    quotes = [f.quote for f in result.findings if f.condition == "falsification"]
    assert any("合计" in q for q in quotes)
    assert any(q.startswith("第1小学（小学）在校学生数") and "a.docx" in q and "b.xlsx" in q for q in quotes)


def test_scan_cli_json_shape(tmp_path):
    pdf = narrative_pdf(tmp_path / "r.pdf", ["严禁以考试方式招生。", "某校去年发生校车侧翻事故，造成1名学生死亡。"])
    result = CliRunner().invoke(app, ["scan", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"findings", "declarations"}
    assert data["findings"][0]["condition"] == "safety_accident" and data["findings"][0]["page"] == 1
    assert {"condition", "quote", "page"} <= set(data["findings"][0])
    assert data["declarations"][0]["condition"] == "exam_admission"
