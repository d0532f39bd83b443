"""The county's progress report to the county people's congress (方案五（三）), from its ledger."""

from datetime import date

import pdfplumber

from inspection import demo
from inspection.cycle.ledger import build_ledgers, progress_summary
from inspection.documents.progress import progress_document
from inspection.rules import assess
from inspection.services.evaluation import result_json


def test_progress_report_states_the_ledgers_figures(standard, schedule, renderers, tmp_path):
    plan = schedule.county("巴楚县")
    table = demo.to_table(demo.county_schools(standard, plan.name, plan.recognition_year, ready=True))
    figures = demo.county_figures(standard, plan.name, plan.recognition_year, 2026)
    from inspection.rules.county import CountyFigure
    result = result_json(assess(table, standard, {k: CountyFigure(v) for k, v in figures.items()}))
    ledgers = build_ledgers(result, standard)
    progress = progress_summary(result, county=plan.name, year=2026, target_year=2027,
                                cv_limit=standard.options.cv_limit)
    doc = progress_document(progress, ledgers, issued=date(2026, 12, 1))
    assert doc.upward and doc.addressee == "巴楚县人民代表大会常务委员会：" and doc.issue.authority == "巴楚县人民政府"
    path = renderers.write(doc, "pdf", tmp_path / "progress.pdf")
    with pdfplumber.open(path) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
    assert "创建工作进展情况的报告" in text and "特此报告。" in text
    assert "距创建年份2027年还有1年" in text and "K1" in text
    assert "学生体质健康标准达标率达95%以上" in text      # the unmet county indicator, with its sentence
    docx_path = renderers.write(doc, "docx", tmp_path / "progress.docx")
    assert docx_path.stat().st_size > 5000
