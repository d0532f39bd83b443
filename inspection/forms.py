"""Blank forms counties fill (空白表单), generated from the standard so they never drift from it.

    school-table.xlsx            学校数据表: canonical columns, data validation, a 填表说明 sheet, and
                                 the 县级指标 sheet: one row per county-level indicator of the standard
    self-assessment-outline.docx 自评报告提纲: every indicator's wording and threshold, the school
                                 table, one county-indicator table per part, one prompt per veto

`write_forms(out_dir, standard, year)` writes both; `inspection forms --out forms/` calls it. Output
is deterministic (fixed document dates; multi-year columns end at `year`), and a filled copy reads
back through `inspection.ingest`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from inspection.columns import Column, canonical_columns
from inspection.ingest.county_sheet import ID_HEADER, SHEET_NAME, VALUE_HEADER, written
from inspection.standard import AREA_ZH, OP_ZH, STAGE_ZH, Indicator, Standard

XLSX_NAME = "school-table.xlsx"
DOCX_NAME = "self-assessment-outline.docx"
DATA_SHEET, HELP_SHEET, COUNTY_SHEET = "学校数据", "填表说明", SHEET_NAME
COUNTY_HEADERS = (ID_HEADER, "指标", "标准", "单位", VALUE_HEADER, "佐证材料（名称及页码）")
COUNTY_AREAS = ("guarantee", "quality", "recognition")
FORM_YEAR = 2026          # the year the committed forms/ were generated for (`inspection forms --year`)
FIXED_DATE = datetime(2022, 1, 1)
BLANK_ROWS = 500
KIND_ZH = {"text": "文字", "stage": "“小学”或“初中”", "count": "非负整数", "amount": "非负数，可有小数"}
GENERAL = [
    "每所学校每个学段填写一行；九年一贯制、十二年一贯制学校分“小学”“初中”两行填写。",
    "一贯制学校两学段共用的校舍面积、运动场馆、仪器设备、多媒体教室，可只在一行填写合计，另一行填“共用”，"
    "系统按在校生数拆分。",
    "教学仪器设备值以万元为单位；面积以平方米为单位。不要填写合计行、生均值或百分比，系统自动计算。",
    "本表不含特殊教育学校和职业学校。",
    "“班级数”用于核算大班额（每班不超过45人、50人），不填时该项指标待核实。",
    "“租用校外体育场馆面积”只填步行10分钟内可到达、已签订租用协议的校外体育场馆；没有则不填。",
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


def build_workbook(standard: Standard, year: int = FORM_YEAR):
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
    help_sheet.append([])
    for line in COUNTY_GENERAL:
        help_sheet.append([line])
    _county_sheet(book.create_sheet(COUNTY_SHEET), standard, year)
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


def build_outline(standard: Standard, year: int = FORM_YEAR):
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
        else:
            _county_table(document, standard, indicators, year, AREA_ZH[area])
    document.add_heading(f"{numbers[section]}、否决情形说明", level=1)
    for veto in standard.vetoes:
        document.add_paragraph(f"请如实说明是否存在“{veto.wording}”情形。（{veto.source}）")
    document.add_heading(f"{numbers[section + 1]}、存在问题与整改措施", level=1)
    document.add_paragraph("（请列出未达标指标、原因、整改措施和完成时限。）")
    return document


def write_forms(out_dir: str | Path, standard: Standard, year: int = FORM_YEAR) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    xlsx, outline = out / XLSX_NAME, out / DOCX_NAME
    build_workbook(standard, year).save(xlsx)
    build_outline(standard, year).save(outline)
    return [xlsx, outline]


# ── 县级指标 (county-level indicators) ─────────────────────────────────────────────────

COUNTY_GENERAL = [
    f"“{SHEET_NAME}”表：每项县级指标一行，在“{VALUE_HEADER}”列填写本县数值，在“佐证材料”列写明材料名称及页码。",
    "定性指标填“是”或“否”，由督导评估组依据佐证材料认定；等级指标填等级名称；百分比填0至100之间的数。",
    "分学段的指标按“小学100；初中96”的格式填写；多年数据（逐年只增不减）在各年度列逐年填写，不填“本县数值”列。",
    "注明“由学校数据表计算”的指标可不填；如填写，系统与学校数据表核对，不一致的作为数据矛盾提交督导委员会。",
    "标注“暂定，待委员会确认”的标准为来源文件未明确的暂定值。",
]


def year_columns(standard: Standard, year: int) -> list[int]:
    """The years a multi-year figure is asked for: the longest `years` of the standard, ending at `year`."""
    span = max((i.years for i in standard.county_indicators if i.multi_year), default=0)
    return list(range(year - span + 1, year + 1)) if span else []


def requirement(ind: Indicator) -> str:
    """The 标准 cell: the requirement and how to fill the value in."""
    unit = ind.unit.split("（")[0]
    if ind.judged:
        text = "定性指标：填“是”或“否”，由督导评估认定"
    elif ind.comparator == "grade":
        text = f"达到“{ind.threshold}”以上（填：{'、'.join(ind.scale)}之一）"
    elif ind.multi_year:
        text = f"近{ind.years}年逐年只增不减（在各年度列逐年填写）"
    elif isinstance(ind.threshold, dict):
        text = ("，".join(f"{STAGE_ZH[s]}{OP_ZH[ind.comparator]}{v:g}{unit}" for s, v in ind.threshold.items())
                + "（填：" + "；".join(f"{STAGE_ZH[s]}{v:g}" for s, v in ind.threshold.items()) + "）")
    else:
        text = f"{OP_ZH[ind.comparator]}{ind.threshold:g}{unit}"
    if ind.computed:
        text += "；由学校数据表计算，可不填"
    elif ind.cross_check:
        text += "；与学校数据表核对"
    if ind.verify:
        text += f"（暂定，待委员会确认：{ind.verify}）"
    return text


def _county_rows(indicators) -> list[list[str]]:
    return [[ind.id, ind.wording, requirement(ind), ind.unit, "", ""] for ind in indicators]


def _county_sheet(sheet, standard: Standard, year: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    years = year_columns(standard, year)
    sheet.append([*COUNTY_HEADERS, *(f"{y}年" for y in years)])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    judged = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    judged.error, judged.errorTitle = "定性指标应填“是”或“否”", "填写有误"
    sheet.add_data_validation(judged)
    indicators = standard.county_indicators
    for r, (ind, row) in enumerate(zip(indicators, _county_rows(indicators)), start=2):
        sheet.append(row)
        if ind.judged:
            judged.add(f"E{r}")
        elif ind.comparator == "grade":
            grade = DataValidation(type="list", formula1='"' + ",".join(ind.scale) + '"', allow_blank=True)
            grade.add(f"E{r}")
            sheet.add_data_validation(grade)
        for j in (2, 3):
            sheet.cell(r, j).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (8, 48, 30, 14, 14, 28)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"


def _county_table(document, standard: Standard, indicators, year: int, part: str) -> None:
    years = year_columns(standard, year) if any(i.multi_year for i in indicators) else []
    document.add_paragraph(f"{part}指标填报表（在“{VALUE_HEADER}”列填写本县数值；定性指标填“是”或“否”）")
    table = document.add_table(rows=len(indicators) + 1, cols=len(COUNTY_HEADERS) + len(years))
    table.style = "Table Grid"
    for j, head in enumerate([*COUNTY_HEADERS, *(f"{y}年" for y in years)]):
        table.cell(0, j).text = head
    for i, row in enumerate(_county_rows(indicators), start=1):
        for j, text in enumerate(row):
            table.cell(i, j).text = text


def fill_workbook(book, rows: list[dict], county: dict[str, object] | None = None, *,
                  evidence: str = "") -> None:
    """Fill a workbook made by `build_workbook`: `rows` ({field: value}, engine units, stage as
    primary/junior) in 学校数据 with equipment in 万元 as its header says; `county` ({id: value}) in
    县级指标 — 是/否 for True/False, '小学…；初中…' for a per-stage figure, {year: amount} into the year
    columns; an id left out stays blank."""
    sheet = book[DATA_SHEET]
    for i, r in enumerate(rows, start=2):
        for j, c in enumerate(canonical_columns(), start=1):
            value = r.get(c.field)
            if c.field == "stage":
                value = STAGE_ZH.get(value, value)
            elif c.field == "equipment_value" and value not in (None, ""):
                value = float(value) / 10000
            sheet.cell(i, j, None if value == "" else value)
    if not county:
        return
    sheet = book[COUNTY_SHEET]
    heads = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        value = county.get(row[0].value)
        if value is None:
            continue
        if isinstance(value, dict) and all(str(k).isdigit() for k in value):
            for year, amount in value.items():
                row[heads.index(f"{year}年")].value = amount
        else:
            row[heads.index(VALUE_HEADER)].value = written(value)
        if evidence:
            row[heads.index(COUNTY_HEADERS[-1])].value = evidence


