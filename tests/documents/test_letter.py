"""The letter's facts come from the rule engine's own results and sentences."""

import re
from datetime import date

import pdfplumber

from inspection.documents import Table, default_deadlines
from inspection.documents.model import Figure, Heading
from inspection.numerals import fmt_amount


def test_letter_states_verdict_areas_schools_cvs_vetoes(case, letter):
    assert letter.county == "泽普县" and letter.verdict.outcome == "vetoed"
    assert [a.name for a in letter.areas] == ["资源配置", "政府保障程度", "教育质量", "社会认可度"]
    failing = case.resources.failing_schools()
    assert [(s.school, s.stage) for s in letter.failing] == [(s.name, "小学" if s.stage == "primary" else "初中")
                                                             for s in failing]
    assert failing, "the demo county should have failing schools"
    for school, result in zip(letter.failing, failing):
        unmet = [c for c in result.checks if not c.met]
        assert [i.id for i in school.items] == [c.indicator.id for c in unmet]
        assert [i.sentence for i in school.items] == [c.sentence() for c in unmet]
        assert all(i.shortfall.startswith("需增加") for i in school.items)
    assert len(letter.cvs) == 14 and {c.stage for c in letter.cvs} == {"小学", "初中"}
    assert letter.vetoes[0].quote.startswith("2025年秋季学期") and letter.vetoes[0].source == "自评报告第12页"


def test_rectifications_cover_every_problem_with_deadlines(letter):
    items = [r.item for r in letter.rectifications]
    unmet_ids = sorted({i.id for s in letter.gaps for i in s.items})
    school_items = [r for r in letter.rectifications if r.kind == "school"]
    assert [r.item[:2] for r in school_items] == unmet_ids
    first = next(r for r in school_items if r.item.startswith(unmet_ids[0]))
    count = sum(1 for s in letter.gaps for i in s.items if i.id == unmet_ids[0])
    assert f"{count}所学校（学段）未达到标准" in first.item and "合计需增加" in first.requirement
    assert items[0] == letter.vetoes[0].wording
    assert any("实验班" in r.requirement for r in letter.rectifications)   # the veto comes first
    assert {r.deadline for r in letter.rectifications} <= {letter.deadlines.plan, letter.deadlines.completion}


def test_default_deadlines():
    issued = date(2026, 11, 29)
    overdue = default_deadlines(issued, 2025)
    assert overdue.plan == date(2026, 12, 29) and overdue.completion == date(2027, 2, 27)
    assert default_deadlines(issued, 2027).completion == date(2027, 6, 30)
    assert default_deadlines(issued, 2034).completion == date(2027, 8, 31)


def test_letter_document_structure(letter_doc, letter):
    headings = [b.text for b in letter_doc.body if isinstance(b, Heading) and b.level == 1]
    assert headings == ["一、总体结论", "二、资源配置", "三、政府保障程度", "四、教育质量", "五、社会认可度",
                        "六、不予认定情形核查", "七、整改要求"]
    assert [f.chart for f in letter_doc.blocks() if isinstance(f, Figure)] == [letter.indicator_chart, letter.cv_chart]
    detail = letter_doc.attachments[0].blocks[0]
    assert isinstance(detail, Table) and {r[0] for r in detail.rows} == {s.school for s in letter.gaps}
    assert [r[-1] for r in detail.rows] == ["未达标"] * len(letter.failing) + ["有缺口"] * (len(letter.gaps) - len(letter.failing))
    assert letter_doc.addressee == "泽普县人民政府：" and letter_doc.date_text == "2026年11月29日"
    assert str(letter_doc.issue.number) == "喀教督〔2026〕7号"


def test_public_names_and_light_imports():
    import subprocess
    import sys

    import inspection.documents as documents
    assert all(hasattr(documents, name) for name in documents.__all__)
    code = ("import sys, inspection.documents, inspection.documents.files;"
            "heavy = [m for m in ('sqlmodel', 'weasyprint', 'docx', 'pypdfium2', 'matplotlib') if m in sys.modules];"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"importing the builders loaded {out}"


def _text(doc) -> str:
    from inspection.documents.model import Heading, Paragraph
    return "\n".join(getattr(b, "lead", "") + b.text for b in doc.blocks() if isinstance(b, (Heading, Paragraph)))


def test_a_letter_with_nothing_to_rectify_has_no_rectification_and_no_empty_attachment(standard, schedule, issue,
                                                                                       tmp_path):
    """泽普县 once it has rectified (the demo's 2026): every school ready, every county figure met."""
    from inspection import demo
    from inspection.documents import Renderers, build_letter, case_from_table, figures_from_json, letter_document
    plan = schedule.county("泽普县")
    table = demo.to_table(demo.county_schools(standard, plan.name, plan.recognition_year, ready=True))
    figures = figures_from_json(demo.county_figures(standard, plan.name, plan.recognition_year, 2026))
    letter = build_letter(case_from_table(table, standard, plan, 2026, figures=figures), issue)
    assert letter.verdict.outcome == "met" and not letter.rectifications
    met = letter_document(letter)
    assert met.attachments == ()
    text = _text(met)
    assert "整改" not in text and "附件" not in text and "涉及0所" not in text and "共0项" not in text
    assert not re.search(r"(?<![\d.])0所", text) and "资源配置全部达标" in text and "均达到“7项指标" in text
    with pdfplumber.open(Renderers().write(met, "pdf", tmp_path / "met.pdf")) as pdf:
        assert "附件" not in "".join(p.extract_text() for p in pdf.pages)


def test_with_no_failing_school_the_rectification_list_is_attachment_1(letter):
    from dataclasses import replace

    from inspection.documents import letter_document
    from inspection.documents.notices import rectification_document
    county_only = replace(letter, gaps=(), rectifications=tuple(r for r in letter.rectifications if r.kind != "school"))
    assert county_only.rectifications
    doc = letter_document(county_only)
    assert [a.title for a in doc.attachments] == ["整改事项及完成时限清单"]
    assert "逐项要求和完成时限见附件1" in _text(doc) and "涉及0所" not in _text(doc) and "附件2" not in _text(doc)
    assert "督导评估意见书附件1" in _text(rectification_document(county_only))


def test_a_letter_whose_resources_fail_says_what_passing_will_take(letter, letter_doc):
    assert letter.plan is not None and letter.plan.schools == len(letter.failing) and letter.plan.cost_wan > 0
    text = _text(letter_doc)
    assert "（三）达标测算" in text and f"合计约{fmt_amount(letter.plan.cost_wan, '万元')}万元" in text and "待委员会确认" in text


def test_cv_lines_are_named_for_prose(letter):
    """A CV over its limit is written 小学骨干教师为0.512 in the letter and its rectification, never 小学R2."""
    assert letter.cvs and all(c.name and not re.fullmatch(r"[A-Z]\d+[a-z]?", c.name) for c in letter.cvs)
    assert {c.name for c in letter.cvs} >= {"高学历教师", "骨干教师", "多媒体教室"}


def test_the_body_names_each_failing_school_with_its_value_standard_and_shortfall(letter, letter_doc):
    """As the committee reads it (亚斯墩初级中学 生均教学仪器设备值2000元，为标准2500元的80.0%，需增加…),
    in words: no indicator code, the scope notes of a wording left to the tables."""
    text = _text(letter_doc)
    failing = [s for s in letter.gaps if not s.passed]
    assert failing
    for s in failing[:10]:
        said = next(line for line in text.splitlines() if line.startswith(f"{s.school}（{s.stage}）："))
        for i in s.items:
            assert f"{i.value}" in said and f"为标准{i.threshold}" in said and f"的{i.ratio}" in said, (said, i)
            assert i.shortfall.split("（")[0] in said
        assert not re.search(r"\b[RGQKS]\d", said), said


def test_past_ten_failing_schools_the_body_sets_out_ten_and_names_each_of_the_rest(letter):
    from dataclasses import replace

    from inspection.documents import letter_document
    failing = [s for s in letter.gaps if not s.passed]
    many = tuple(replace(failing[0], school=f"第{k}校",
                         items=tuple(replace(i, ratio=f"{50 + k:.1f}%", ratio_value=(50 + k) / 100)
                                     for i in failing[0].items))
                 for k in range(14))
    text = _text(letter_document(replace(letter, gaps=many)))
    named = [line.split("（")[0] for line in text.splitlines() if re.match(r"第\d+校（", line)]
    assert named == [f"第{k}校" for k in range(10)]               # lowest first
    rest = "、".join(f"第{k}校（{failing[0].stage}）" for k in range(10, 14))     # 第k校 does not say its stage
    assert f"其余4所未达标学校（学段）为：{rest}，逐校逐项的现值、标准和缺口见附件1。" in text.replace("\n", "")
