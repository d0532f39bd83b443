"""Ledgers: one sheet per county, frozen header, formats; rows are the ledger's rows."""

import openpyxl

from inspection.documents import ledgers_for
from inspection.documents.xlsx import write_ledgers
from tests.documents.conftest import ISSUED


def test_met_and_unmet_ledgers(small_cases, tmp_path):
    ledgers = ledgers_for(small_cases, ISSUED)
    met_path, unmet_path = write_ledgers(ledgers, tmp_path, 2026)
    assert met_path.name == "2026年已达标台账.xlsx" and unmet_path.name == "2026年未达标台账.xlsx"
    for path, kind in ((met_path, "met"), (unmet_path, "unmet")):
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["汇总", "泽普县", "岳普湖县", "塔什库尔干塔吉克自治县"]
        for ledger in ledgers:
            ws = wb[ledger.county]
            rows = ledger.met if kind == "met" else ledger.unmet
            assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
            assert ledger.county in ws["A1"].value and "A1" in str(ws.merged_cells)
            assert [c.value for c in ws[2]][:4] == ["序号", "学校", "学段", "指标"]
            assert ws.max_row == len(rows) + 2
            assert ws["B3"].font.name == "仿宋_GB2312" and ws["A2"].font.name == "黑体"
    ws = openpyxl.load_workbook(unmet_path)["泽普县"]
    headers = [c.value for c in ws[2]]
    assert {"缺口", "完成时限", "整改要求"} <= set(headers)
    ratio = ws.cell(3, headers.index("达标程度") + 1)
    assert ratio.number_format == "0.0%" and 0 < ratio.value < 1
    # The gap reads as the letter writes it: 万元 to 0.01, people, rooms and m² whole.
    gap, unit = headers.index("缺口") + 1, headers.index("缺口单位") + 1
    formats = {ws.cell(r, unit).value: ws.cell(r, gap).number_format for r in range(3, ws.max_row + 1)
               if isinstance(ws.cell(r, gap).value, (int, float))}
    assert formats.get("万元", "#,##0.00") == "#,##0.00"
    assert {f for u, f in formats.items() if u != "万元"} == {"#,##0"}, formats


def test_ledger_rows_cover_every_check(small_cases):
    ledger = ledgers_for(small_cases[:1], ISSUED)[0]
    case = small_cases[0]
    resource_rows = [r for r in ledger.met + ledger.unmet if r.school != "全县"]
    assert len(resource_rows) == int(case.resources.included.sum()) * 7
    assert sum(r.met is False for r in resource_rows) == int((~case.resources.met[case.resources.included]).sum())
    assert all(r.shortfall and r.deadline for r in ledger.unmet if r.school != "全县")


def test_county_rows_carry_their_shortfall(case, tmp_path):
    # case: Q1 95.2 (≥ 96), G13 junior 93.5 (≥ 95), Q9b not supplied.
    ledger = ledgers_for([case], ISSUED)[0]
    rows = {r.indicator: r for r in ledger.unmet if r.school == "全县"}
    q1, g13, q9b = rows["Q1"], rows["G13"], rows["Q9b"]
    assert (q1.shortfall, q1.shortfall_unit, q1.shortfall_text) == (0.8, "个百分点", "需提高0.8个百分点")
    assert (g13.shortfall, g13.shortfall_text) == (None, "初中需提高1.5个百分点")
    assert (q9b.shortfall, q9b.shortfall_text) == (None, "未提供数据，需补报数据及佐证材料")
    assert q1.deadline and not any(r.shortfall_text for r in ledger.met)
    totals = ledger.shortfall_totals()
    assert totals["Q1"] == (0.8, "个百分点") and "G13" not in totals and "Q9b" not in totals

    ws = openpyxl.load_workbook(write_ledgers([ledger], tmp_path, 2026)[1])["泽普县"]
    headers = [c.value for c in ws[2]]
    by_id = {ws.cell(r, headers.index("指标") + 1).value: r for r in range(3, ws.max_row + 1)
             if ws.cell(r, headers.index("学校") + 1).value == "全县"}

    def cell(indicator, header):
        return ws.cell(by_id[indicator], headers.index(header) + 1).value
    assert (cell("Q1", "缺口"), cell("Q1", "缺口单位"), cell("Q1", "整改要求")) == (0.8, "个百分点", "需提高0.8个百分点")
    assert cell("G13", "缺口") is None and cell("G13", "整改要求") == "初中需提高1.5个百分点"


def test_a_cell_from_a_submission_that_looks_like_a_formula_stays_text(standard, schedule, tmp_path):
    import zipfile

    from inspection import demo
    from inspection.documents import build_ledger, case_from_table
    plan = schedule.county("泽普县")
    schools = demo.county_schools(standard, plan.name, plan.recognition_year)[:3]
    hostile = ['=HYPERLINK("http://evil.example","点击")', "+1+2", "-3", "@SUM(A1)"]
    table = demo.to_table([demo.DemoSchool(name, s.stage, s.figures) for name, s in zip(hostile, schools)])
    ledger = build_ledger(case_from_table(table, standard, plan, 2026))
    met_path, unmet_path = write_ledgers([ledger], tmp_path, 2026)
    for path in (met_path, unmet_path):
        with zipfile.ZipFile(path) as z:
            sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert all(b"<f>" not in x for x in sheets)
        ws = openpyxl.load_workbook(path)["泽普县"]
        names = {c.value for c in ws["B"][2:]}
        assert names & set(hostile) and all(c.data_type == "s" for c in ws["B"][2:] if c.value in hostile)


def test_both_ledgers_in_one_workbook(small_cases, tmp_path):
    from inspection.documents.xlsx import write_ledger_book
    ledgers = ledgers_for(small_cases, ISSUED)
    wb = openpyxl.load_workbook(write_ledger_book(ledgers, tmp_path / "both.xlsx"))
    assert wb.sheetnames[:2] == ["已达标台账汇总", "未达标台账汇总"]
    assert wb.sheetnames[2:4] == ["泽普县·已达标", "泽普县·未达标"]
    assert wb["泽普县·未达标"].max_row == len(ledgers[0].unmet) + 2
