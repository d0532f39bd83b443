"""Blank forms counties fill (空白表单), generated from the standard so they never drift from it.

    school-table.xlsx            学校数据表: canonical columns, data validation, a 填表说明 sheet
    self-assessment-outline.docx 自评报告提纲: every indicator's wording and threshold, the school
                                 table, and one prompt per veto condition

`write_forms(out_dir, standard)` writes both; `inspection forms --out forms/` calls it. Output is
deterministic (fixed document dates), and a filled copy reads back through `inspection.ingest`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from inspection.columns import Column, canonical_columns
from inspection.standard import AREA_ZH, STAGE_ZH, Standard

XLSX_NAME = "school-table.xlsx"
DOCX_NAME = "self-assessment-outline.docx"
DATA_SHEET, HELP_SHEET = "学校数据", "填表说明"
FIXED_DATE = datetime(2022, 1, 1)
BLANK_ROWS = 500
KIND_ZH = {"text": "文字", "stage": "“小学”或“初中”", "count": "非负整数", "amount": "非负数，可有小数"}
GENERAL = [
    "每所学校每个学段填写一行；九年一贯制、十二年一贯制学校分“小学”“初中”两行填写。",
    "一贯制学校两学段共用的校舍面积、运动场馆、仪器设备、多媒体教室，可只在一行填写合计，另一行填“共用”，"
    "系统按在校生数拆分。",
    "教学仪器设备值以万元为单位；面积以平方米为单位。不要填写合计行、生均值或百分比，系统自动计算。",
    "本表不含特殊教育学校和职业学校。",
]


def _uses(col: Column, standard: Standard) -> str:
    used = [i for i in standard.resource_indicators
            if col.field in i.formula.numerator or (col.field == i.formula.denominator)]
    if not used:
        return ""
    return "；".join(f"{i.id} {i.wording}" for i in used[:3]) + ("等" if len(used) > 3 else "")


def _validation(col: Column, rows: str):
    from openpyxl.worksheet.datavalidation import DataValidation
    if col.kind == "stage":
        dv = DataValidation(type="list", formula1='"小学,初中"', allow_blank=True)
    elif col.kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif col.kind == "amount":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    else:
        return None
    dv.error, dv.errorTitle = f"“{col.header}”应填{KIND_ZH[col.kind]}", "填写有误"
    dv.prompt, dv.promptTitle = KIND_ZH[col.kind], col.bare_header
    dv.add(rows)
    return dv


def build_workbook(standard: Standard):
    """The school-data workbook (openpyxl `Workbook`), not yet saved."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    cols = canonical_columns()
    for j, col in enumerate(cols, start=1):
        cell = sheet.cell(1, j, col.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = 22 if col.kind == "text" else 14
        dv = _validation(col, f"{letter}2:{letter}{BLANK_ROWS + 1}")
        if dv is not None:
            sheet.add_data_validation(dv)
    sheet.freeze_panes = "C2"
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append([f"{standard.standard.title}（{standard.id}）学校数据表填表说明"])
    for line in GENERAL:
        help_sheet.append([line])
    help_sheet.append([])
    help_sheet.append(["列名", "填写内容", "用于指标"])
    for col in cols:
        help_sheet.append([col.header, KIND_ZH[col.kind], _uses(col, standard)])
    help_sheet.column_dimensions["A"].width = 32
    help_sheet.column_dimensions["C"].width = 80
    book.properties.creator = "Junheng 均衡督导"
    book.properties.created = book.properties.modified = FIXED_DATE
    return book


def _threshold(ind) -> str:
    t = ind.threshold
    if isinstance(t, dict):
        return "，".join(f"{STAGE_ZH[s]}{v:g}" for s, v in t.items()) + (f"（{ind.unit}）" if ind.unit else "")
    if t is None:
        return "由评估组据佐证材料认定"
    return f"{ind.comparator} {t}{ind.unit}" if not isinstance(t, str) else str(t)


def build_outline(standard: Standard):
    """The self-assessment report outline (python-docx `Document`), not yet saved."""
    import docx
    document = docx.Document()
    document.core_properties.author = "Junheng 均衡督导"
    document.core_properties.created = document.core_properties.modified = FIXED_DATE
    document.add_heading("＿＿县义务教育优质均衡发展自评报告（提纲）", level=0)
    document.add_paragraph(f"依据：{standard.standard.title}。请按提纲逐项填写，删除提示文字；每项注明佐证材料名称及页码。")
    document.add_heading("一、基本情况", level=1)
    document.add_paragraph("（请概述全县义务教育学校数、在校生数、教师数及创建工作开展情况。）")
    numbers = "二三四五六七八九"
    section = 0
    for area in ("resources", "guarantee", "quality", "recognition"):
        indicators = [i for i in standard.indicators if i.area == area]
        document.add_heading(f"{numbers[section]}、{AREA_ZH[area]}", level=1)
        section += 1
        for ind in indicators:
            document.add_heading(f"{ind.id} {ind.wording}", level=2)
            document.add_paragraph(f"标准：{_threshold(ind)}。（请填写本县达成情况、数据及佐证材料。）")
        if area == "resources":
            document.add_paragraph("附表：学校数据表（每校每学段一行；金额单位：万元，面积单位：平方米）")
            cols = canonical_columns()
            table = document.add_table(rows=3, cols=len(cols))
            table.style = "Table Grid"
            for j, col in enumerate(cols):
                table.cell(0, j).text = col.header
    document.add_heading(f"{numbers[section]}、否决情形说明", level=1)
    for veto in standard.vetoes:
        document.add_paragraph(f"请如实说明是否存在“{veto.wording}”情形。（{veto.source}）")
    document.add_heading(f"{numbers[section + 1]}、存在问题与整改措施", level=1)
    document.add_paragraph("（请列出未达标指标、原因、整改措施和完成时限。）")
    return document


def write_forms(out_dir: str | Path, standard: Standard) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    xlsx, outline = out / XLSX_NAME, out / DOCX_NAME
    build_workbook(standard).save(xlsx)
    build_outline(standard).save(outline)
    return [xlsx, outline]
