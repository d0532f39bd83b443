import re

import docx
import pdfplumber
import pytest

from inspection.documents import county_document, issue_for, render_batch
from inspection.documents.model import Figure, Paragraph, Table
from inspection.errors import InspectionError
from tests.documents.conftest import ISSUED, demo_case, pdf_fonts, pdf_text


def test_prefecture_report_lists_every_county_with_progress(prefecture_doc, small_cases):
    table = next(b for b in prefecture_doc.body if isinstance(b, Table))
    assert [r[0] for r in table.rows] == ["泽普县", "岳普湖县", "塔什库尔干塔吉克自治县"]
    assert [r[-1] for r in table.rows] == ["逾期未达标", "未到创建年份", "未到创建年份"]
    charts = [type(b.chart).__name__ for b in prefecture_doc.blocks() if isinstance(b, Figure)]
    assert charts == ["TimelineChart", "ProgressChart"]
    assert prefecture_doc.addressee == "地区行政公署："


def test_prefecture_report_and_notices_render_in_one_batch(prefecture_doc, case, issue, tmp_path):
    jobs = [(prefecture_doc, "pdf", tmp_path / "report.pdf"),
            (county_document(case, issue, "rectification"), "docx", tmp_path / "notice.docx"),
            (county_document(case, issue, "accountability"), "docx", tmp_path / "accountability.docx")]
    paths = render_batch(jobs, workers=2)
    text = pdf_text(paths[0]).replace(" ", "")
    assert "喀什地区2026年度县域义务教育" in text and "塔什库尔干塔吉克自治县" in text and "—1—" in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(paths[0]))
    notice = "\n".join(p.text for p in docx.Document(str(paths[1])).paragraphs)
    assert "关于泽普县限期整改" in notice and "2026年12月29日前制定整改方案" in notice
    blame = "\n".join(p.text for p in docx.Document(str(paths[2])).paragraphs)
    assert "各县（市）人民政府：" in blame and "未按期实现" in blame and "通报批评" in blame


def test_accountability_refused_for_a_county_not_yet_due(standard, schedule):
    case = demo_case(standard, schedule, "莎车县")
    with pytest.raises(InspectionError, match="不适用问责通报"):
        county_document(case, issue_for(schedule, serial=None, issued=ISSUED), "accountability")


def test_no_rectification_notice_for_a_county_with_nothing_to_rectify(letter):
    from dataclasses import replace

    from inspection.documents.notices import rectification_document
    assert letter.rectifications                                   # 泽普县 has failing schools and a veto
    with pytest.raises(InspectionError, match="泽普县2026年度督导评估没有需要整改的事项，不适用整改通知"):
        rectification_document(replace(letter, rectifications=()))


def test_upward_report_names_its_signer_beside_the_number_and_letters_do_not(prefecture_doc, letter_doc, tmp_path):
    from dataclasses import replace

    from inspection.documents import Renderers
    signed = replace(prefecture_doc, issue=replace(prefecture_doc.issue, signer="张三"))
    assert prefecture_doc.upward and not letter_doc.upward
    renderers = Renderers()
    with pdfplumber.open(renderers.write(signed, "pdf", tmp_path / "report.pdf")) as pdf:
        words = pdf.pages[0].extract_words()
    number = next(w for w in words if w["text"].startswith("喀教督〔2026〕8号"))
    signer = next(w for w in words if "签发人" in w["text"])
    assert abs(number["top"] - signer["top"]) < 2 and number["x1"] < signer["x0"]   # one line, number left
    assert "张三" in "".join(w["text"] for w in words if abs(w["top"] - signer["top"]) < 2)
    body = docx.Document(str(renderers.write(signed, "docx", tmp_path / "report.docx"))).paragraphs
    assert any(p.text == "喀教督〔2026〕8号\t签发人：张三" for p in body)
    letter = docx.Document(str(renderers.write(letter_doc, "docx", tmp_path / "letter.docx"))).paragraphs
    assert not any("签发人" in p.text for p in letter)


CODE = re.compile(r"(?<![A-Za-z0-9])[RGKQS]\d{1,2}b?(?![0-9])")


@pytest.mark.parametrize("name", ["prefecture_doc", "letter_doc", "rectification_doc"])
def test_running_text_names_indicators_not_their_codes(name, request):
    """GB/T 9704 register: a reader is not given R5 or G4 in a sentence (tables may carry the codes)."""
    if name == "rectification_doc":
        doc = county_document(request.getfixturevalue("case"), request.getfixturevalue("issue"), "rectification")
    else:
        doc = request.getfixturevalue(name)
    coded = [p.text for p in doc.blocks() if isinstance(p, Paragraph) and CODE.search(p.lead + p.text)]
    assert coded == []


def test_the_monitoring_report_ends_as_a_report(prefecture_doc):
    paragraphs = [b for b in prefecture_doc.body if isinstance(b, Paragraph)]
    assert paragraphs[-1].text == "特此报告。" and prefecture_doc.body[-1] is paragraphs[-1]


def test_letter_notice_report_and_ledger_count_the_same_schools_gaps_and_deadline(case, issue, tmp_path):
    """One definition everywhere (issue 11): the schools below standard, each indicator's total gap and
    the completion deadline are the same in the letter (its attachment 1 and rectification list), the
    rectification notice, the monitoring report's table 2 and the ledger workbook, as rendered."""
    import openpyxl

    from inspection.documents import build_letter
    from inspection.documents.monitoring import _GAP_COLUMNS
    from inspection.documents.xlsx import write_ledger_book
    from inspection.numerals import arabic_date, fmt_amount
    from inspection.documents.produce import ledgers_for, prefecture_document
    letter = build_letter(case, issue)
    (ledger,) = ledgers_for([case], issue.issued)
    gap_schools = {(s.school, s.stage) for s in letter.gaps}
    assert gap_schools == {(r.school, r.stage) for r in ledger.unmet if r.school != "全县" and r.met is False}
    assert len(letter.failing) < len(letter.gaps)            # 泽普县: schools that pass with a gap all the same
    totals = ledger.shortfall_totals()
    for item in (r for r in letter.rectifications if r.kind == "school"):
        ind = item.item[:2]
        amount, unit = totals[ind]
        shown = re.escape(fmt_amount(amount, unit))      # the whole figure: a unit follows, not more digits
        assert re.search(f"合计需增加{shown}[^0-9.,]", item.requirement), (item, totals[ind])
    assert {r.deadline for r in ledger.unmet} == {letter.deadlines.completion}
    notice = county_document(case, issue, "rectification")
    rows = next(b for b in notice.blocks() if isinstance(b, Table) and b.rows).rows
    assert {r[-1] for r in rows if r[0].isdigit()} <= {arabic_date(letter.deadlines.plan),
                                                       arabic_date(letter.deadlines.completion)}
    notice_text = "".join(p.text for p in notice.blocks() if isinstance(p, Paragraph))
    assert f"{len(letter.gaps)}所学校（学段）有指标低于标准" in notice_text
    report = prefecture_document([case], issue, prefecture="喀什地区", year=2026)
    table2 = [b for b in report.body if isinstance(b, Table)][1]
    (row,) = table2.rows
    headers = [c.label for c in table2.columns]
    book = openpyxl.load_workbook(write_ledger_book([ledger], tmp_path / "ledger.xlsx"))
    summary = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert any(len(letter.failing) in r and len(gap_schools) in r for r in summary if r[0] == case.county), summary
    for ind, label, unit in _GAP_COLUMNS:
        amount, ledger_unit = totals.get(ind, (0, unit))
        assert ledger_unit == unit and row[headers.index(label)] == fmt_amount(amount, unit), (ind, row, amount)


def test_the_monitoring_report_says_what_passing_will_take(prefecture_doc, small_cases):
    failing = [c.county for c in small_cases if not c.resources.resource_passed]
    table = next(b for b in prefecture_doc.body if isinstance(b, Table) and b.caption.startswith("表3"))
    assert [r[0] for r in table.rows] == [c for c in ["泽普县", "岳普湖县", "塔什库尔干塔吉克自治县"] if c in failing]
    assert all(float(r[-1].replace(",", "")) > 0 for r in table.rows)
