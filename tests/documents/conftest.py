"""Shared, session-scoped documents: each kind is built and rendered once for the whole run."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from inspection import demo
from inspection.documents import (Attachment, Issue, OfficialDocument, Paragraph, Renderers, build_letter,
                                  case_from_table, figures_from_json, issue_for, letter_document, prefecture_document)
from inspection.documents.model import DocNumber
from inspection.rules import VetoFinding

ISSUED = date(2026, 11, 29)
FIGURES = {"G1": {"value": True, "evidence": "县域学校布局规划（2021—2035年）"}, "Q1": 95.2,
           "G13": {"primary": 100, "junior": 93.5}, "S1": 88.6, "Q6": "良好", "G9": 100}
VETO = VetoFinding("key_school_or_class", "2025年秋季学期起在七年级设立两个实验班，按入学考试成绩择优编班",
                   "自评报告", 12, status="confirmed")


LINE = "县域义务教育优质均衡发展督导评估整改事项逐项落实到校到人，按期报送整改情况。"


def plain_document(body: int, attachments: tuple[int, ...] = ()) -> OfficialDocument:
    """A letter of `body` numbered paragraphs of body text, and attachments of so many paragraphs each."""
    paras = lambda tag, n: tuple(Paragraph(f"【{tag}{k}】{LINE}") for k in range(1, n + 1))
    return OfficialDocument(
        "letter", Issue("测试督导委员会", DocNumber("测督", 2026, 1), ISSUED, copy_to=("自治区督导办",)),
        "版记测试", "测试县人民政府：", paras("正", body),
        tuple(Attachment(f"附件{i}", paras(f"附{i}-", n)) for i, n in enumerate(attachments, 1)))


def demo_case(standard, schedule, county: str, *, figures=None, findings=(), year: int = 2026):
    plan = schedule.county(county)
    table = demo.to_table(demo.county_schools(standard, plan.name, plan.recognition_year))
    return case_from_table(table, standard, plan, year, figures=figures_from_json(figures or {}), findings=findings)


@pytest.fixture(scope="session")
def case(standard, schedule):
    """泽普县 (due 2025, so overdue in 2026), with some county figures and one veto finding."""
    return demo_case(standard, schedule, "泽普县", figures=FIGURES, findings=[VETO])


@pytest.fixture(scope="session")
def issue(schedule):
    return issue_for(schedule, serial=7, issued=ISSUED)


@pytest.fixture(scope="session")
def letter(case, issue):
    return build_letter(case, issue)


@pytest.fixture(scope="session")
def letter_doc(letter):
    return letter_document(letter)


@pytest.fixture(scope="session")
def renderers():
    return Renderers()


@pytest.fixture(scope="session")
def letter_pdf(letter_doc, renderers, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "letter.pdf"
    return renderers.write(letter_doc, "pdf", path)


@pytest.fixture(scope="session")
def letter_docx(letter_doc, renderers, tmp_path_factory):
    return renderers.write(letter_doc, "docx", tmp_path_factory.mktemp("docx") / "letter.docx")


@pytest.fixture(scope="session")
def small_cases(standard, schedule):
    """Three counties at different points of the schedule (small demo systems, to keep tests fast)."""
    return [demo_case(standard, schedule, "泽普县"), demo_case(standard, schedule, "岳普湖县"),
            demo_case(standard, schedule, "塔什库尔干塔吉克自治县")]


@pytest.fixture(scope="session")
def prefecture_doc(small_cases, schedule):
    return prefecture_document(small_cases, issue_for(schedule, serial=8, issued=ISSUED),
                               prefecture=schedule.prefecture.name, year=2026)


def pdf_text(path) -> str:
    """The PDF's text in reading order with all white space removed (lines wrap anywhere in CJK)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def pdf_fonts(path) -> list[dict]:
    """`pdffonts` rows as dicts: name, type, emb, sub."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows
