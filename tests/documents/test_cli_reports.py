"""`inspection report`: a quick look from a file, and documents from the database with real numbers."""

import json
from datetime import date

import docx
import openpyxl
from typer.testing import CliRunner

from inspection import demo
from inspection.cli import app
from tests.documents.conftest import FIGURES, VETO, pdf_text

runner = CliRunner()


def _csv(tmp_path, standard, county="泽普县", year=2025):
    path = tmp_path / f"{county}.csv"
    path.write_text(demo.to_csv(demo.county_schools(standard, county, year)), encoding="utf-8")
    return path


def test_quick_look_from_a_file_pdf_and_docx(tmp_path, standard):
    table = _csv(tmp_path, standard)
    out = tmp_path / "letter.docx"
    result = runner.invoke(app, ["report", str(table), "--county", "泽普县", "--format", "docx", "--out", str(out),
                                 "--as-of", "2026-11-29"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "泽普县人民政府：" in text and "喀教督〔2026〕\u3000\u3000号" in text      # a draft: no number yet
    result = runner.invoke(app, ["report", str(table), "--county", "泽普县", "--out", str(tmp_path / "l.pdf"),
                                 "--as-of", "2026-11-29", "--number", "12"])
    assert result.exit_code == 0, result.output
    assert "喀教督〔2026〕12号" in pdf_text(tmp_path / "l.pdf").replace(" ", "")


def test_unknown_county_and_format_are_errors_not_tracebacks(tmp_path, standard):
    table = _csv(tmp_path, standard)
    result = runner.invoke(app, ["report", str(table), "--county", "不存在县", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "不存在县" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["report", str(table), "--county", "泽普县", "--format", "odt",
                                 "--out", str(tmp_path / "x.odt")])
    assert result.exit_code == 1 and "pdf 或 docx" in result.output


def _seed(standard, schedule):
    from inspection.db import init_database, session_scope
    from inspection.db import repo
    from inspection.documents import figures_from_json
    from inspection.services import evaluate_county, make_context
    init_database()
    with session_scope() as session:
        ctx = make_context("test", date(2026, 11, 29))
        repo.seed_schedule(session, schedule=schedule, actor="test")
        for name in ("泽普县", "岳普湖县"):
            county = repo.get_county(session, name=name)
            plan = schedule.county(name)
            repo.store_school_table(session, county=county, year=2026, actor="test",
                                    table=demo.to_table(demo.county_schools(standard, name, plan.recognition_year)))
            evaluate_county(session, ctx, county=county, year=2026,
                            figures=figures_from_json(FIGURES) if name == "泽普县" else None,
                            vetoes=[VETO] if name == "泽普县" else None)


def test_a_document_keeps_its_number_and_a_new_one_takes_the_next(tmp_path, standard, schedule):
    _seed(standard, schedule)
    common = ["--year", "2026", "--as-of", "2026-11-29", "--format", "docx"]
    first = runner.invoke(app, ["report", "--county", "泽普县", "--out", str(tmp_path / "a.docx"), *common])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["report", "--county", "泽普县", "--kind", "rectification",
                                 "--out", str(tmp_path / "b.docx"), *common])
    assert second.exit_code == 0, second.output
    a = "\n".join(p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs)
    b = "\n".join(p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs)
    assert "喀教督〔2026〕1号" in a and "喀教督〔2026〕2号" in b
    assert "对照附件（即喀教督〔2026〕1号督导评估意见书附件2）所列" in b       # the notice names the letter it follows
    assert "实验班" in a and "自评报告第12页" in a            # the veto finding's quote and source survive storage
    report = runner.invoke(app, ["report", "--prefecture", "--out", str(tmp_path / "r.docx"), *common])
    assert report.exit_code == 0, report.output
    r = docx.Document(str(tmp_path / "r.docx"))
    assert [row.cells[0].text for row in r.tables[0].rows][1:] == ["泽普县", "岳普湖县"]
    ledger = runner.invoke(app, ["report", "--ledger", "--year", "2026", "--as-of", "2026-11-29",
                                 "--out", str(tmp_path / "ledgers")])
    assert ledger.exit_code == 0, ledger.output
    wb = openpyxl.load_workbook(tmp_path / "ledgers" / "2026年未达标台账.xlsx")
    assert wb.sheetnames == ["汇总", "泽普县", "岳普湖县"]
    everything = runner.invoke(app, ["report", "--all", "--year", "2026", "--as-of", "2026-11-29", "--format", "docx",
                                     "--workers", "2", "--out", str(tmp_path / "all")])
    assert everything.exit_code == 0, everything.output
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert names == sorted(["泽普县-督导评估意见书.docx", "岳普湖县-督导评估意见书.docx", "喀什地区2026年度监测报告.docx",
                            "2026年已达标台账.xlsx", "2026年未达标台账.xlsx"])
    def text_of(name):
        return "\n".join(p.text for p in docx.Document(str(tmp_path / "all" / name)).paragraphs)
    # Issued above: the letter (1), the notice (2), the report (3); again they keep their numbers; only
    # 岳普湖县's letter is new (4).
    assert "喀教督〔2026〕1号" in text_of("泽普县-督导评估意见书.docx")
    assert "喀教督〔2026〕4号" in text_of("岳普湖县-督导评估意见书.docx")
    assert "喀教督〔2026〕3号" in text_of("喀什地区2026年度监测报告.docx")
    pdf = runner.invoke(app, ["report", "--county", "泽普县", "--out", str(tmp_path / "a.pdf"), "--year", "2026",
                              "--as-of", "2026-12-20"])                             # the same letter, as PDF, later
    assert pdf.exit_code == 0, pdf.output
    text = pdf_text(tmp_path / "a.pdf").replace(" ", "")
    assert "喀教督〔2026〕1号" in text and "2026年11月29日" in text               # its number and its date
    from inspection.db import repo, session_scope
    from inspection.documents import figures_from_json
    from inspection.services import evaluate_county, make_context
    with session_scope() as session:                          # new figures, a new evaluation: a new letter
        zepu = repo.get_county(session, name="泽普县")
        repo.store_school_table(session, county=zepu, year=2026, actor="test",
                                table=demo.to_table(demo.county_schools(standard, "泽普县", 2030)))
        evaluate_county(session, make_context("test", date(2026, 12, 1)), county=zepu, year=2026,
                        figures=figures_from_json(FIGURES))
    again = runner.invoke(app, ["report", "--county", "泽普县", "--out", str(tmp_path / "c.docx"), *common])
    assert "喀教督〔2026〕5号" in "\n".join(p.text for p in docx.Document(str(tmp_path / "c.docx")).paragraphs), again.output
    listed = runner.invoke(app, ["register", "--json"])
    rows = json.loads(listed.output)
    assert [r["number"] for r in rows] == [f"喀教督〔2026〕{n}号" for n in (5, 4, 3, 2, 1)]
    assert rows[-1]["title"] == "泽普县2026年度督导评估意见书" and len(rows[-1]["content_sha256"]) == 64
    book = runner.invoke(app, ["register", "--out", str(tmp_path / "register.xlsx")])
    assert book.exit_code == 0, book.output
    ws = openpyxl.load_workbook(tmp_path / "register.xlsx")["发文登记簿"]
    assert ws["A2"].value == "发文字号" and ws["A7"].value == "喀教督〔2026〕1号" and ws["B7"].value == "2026年11月29日"
