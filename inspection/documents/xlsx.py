"""Ledger workbooks (台账, XLSX via openpyxl): 已达标台账 and 未达标台账, one sheet per county.

Each sheet: a merged title row, a header row frozen below it (and repeated when printed), column
widths, number formats, an autofilter, A4 landscape page setup. Unmet sheets add the shortfall and
the deadline. A first sheet 汇总 counts rows per county.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from inspection.documents.ledger import CountyLedger, LedgerRow
from inspection.numerals import arabic_date

KINDS = {"met": "已达标台账", "unmet": "未达标台账"}
FONT = "仿宋_GB2312"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_PENDING_FILL = PatternFill("solid", fgColor="FFF2CC")

# (header, width, number format (or the row's, as the letter writes that unit) or None, value of a row)
_COMMON = [("序号", 6, None, None), ("学校", 30, None, lambda r: r.school), ("学段", 6, None, lambda r: r.stage),
           ("指标", 6, None, lambda r: r.indicator), ("指标内容", 40, None, lambda r: r.wording),
           ("单位", 12, None, lambda r: r.unit), ("现值", 11, "#,##0.00", lambda r: r.value),
           ("标准", 11, "#,##0.00", lambda r: r.threshold), ("达标程度", 10, "0.0%", lambda r: r.ratio)]
_UNMET = [("状态", 8, None, lambda r: "待核实" if r.met is None else "未达标"),
          ("缺口", 11, lambda r: "#,##0.00" if r.shortfall_unit == "万元" else "#,##0", lambda r: r.shortfall),
          ("缺口单位", 8, None, lambda r: r.shortfall_unit),
          ("整改要求", 36, None, lambda r: r.shortfall_text or "达到标准要求"),
          ("完成时限", 14, None, lambda r: arabic_date(r.deadline) if r.deadline else ""),
          ("整改措施（县市填写）", 30, None, lambda r: ""), ("责任单位（县市填写）", 18, None, lambda r: "")]


def sheet_title(county: str) -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of []:*?/\\)."""
    return "".join(ch for ch in county if ch not in "[]:*?/\\")[:31]


def _book(ledgers: list[CountyLedger], kinds: tuple[str, ...]) -> Workbook:
    """A summary sheet per kind, then a sheet per county and kind (named by the kind when both)."""
    wb = Workbook()
    wb.remove(wb.active)
    both = len(kinds) > 1
    for kind in kinds:
        _summary(wb.create_sheet(f"{KINDS[kind]}汇总" if both else "汇总"), ledgers, kind)
    for ledger in ledgers:
        for kind in kinds:
            rows = ledger.met if kind == "met" else ledger.unmet
            title = sheet_title(f"{ledger.county}·{KINDS[kind][:3]}" if both else ledger.county)
            _sheet(wb.create_sheet(title), ledger, rows, _COMMON + (_UNMET if kind == "unmet" else []), kind)
    return wb


def write_ledger(ledgers: list[CountyLedger], kind: str, path: Path) -> Path:
    """Write the `kind` ("met" | "unmet") ledger of every county to `path` (one sheet per county)."""
    path = Path(path)
    _book(ledgers, (kind,)).save(path)
    return path


def write_ledger_book(ledgers: list[CountyLedger], path: Path) -> Path:
    """Both ledgers in one workbook (the web's download): 已达标/未达标 summaries, then each county's two."""
    path = Path(path)
    _book(ledgers, tuple(KINDS)).save(path)
    return path


def write_ledgers(ledgers: list[CountyLedger], out_dir: Path, year: int) -> list[Path]:
    """Both ledgers into `out_dir`: {year}年已达标台账.xlsx and {year}年未达标台账.xlsx."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_ledger(ledgers, kind, out_dir / f"{year}年{label}.xlsx") for kind, label in KINDS.items()]


def _title(ws, text: str, width: int) -> None:
    ws.cell(1, 1, text).font = Font(name="方正小标宋简体", size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30


def _header(ws, headers: list[str], widths: list[int]) -> None:
    for col, (label, width) in enumerate(zip(headers, widths), 1):
        cell = ws.cell(2, col, label)
        cell.font, cell.fill, cell.border = Font(name="黑体", size=11), _HEAD_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[2].height = 28
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def put(ws, row: int, col: int, value):
    """Write a cell; text is always text. openpyxl stores a string starting with "=" as a formula, so
    a school named "=HYPERLINK(…)" in a county's file would run in the committee's Excel (CSV/formula
    injection): such a cell is typed as a string, shown exactly as submitted."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True     # Excel shows it as text and does not re-evaluate it when edited
    return cell


def _sheet(ws, ledger: CountyLedger, rows: tuple[LedgerRow, ...], columns, kind: str) -> None:
    _title(ws, f"{ledger.county}{ledger.year}年度县域义务教育优质均衡发展{KINDS[kind]}"
               f"（创建年份{ledger.recognition_year}年）", len(columns))
    _header(ws, [c[0] for c in columns], [c[1] for c in columns])
    body = Font(name=FONT, size=10)
    for n, row in enumerate(rows, 1):
        r = n + 2
        lines = 1
        for col, (_, width, fmt, get) in enumerate(columns, 1):
            value = n if get is None else get(row)
            cell = put(ws, r, col, value)
            cell.font, cell.border = body, _BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=width >= 18,
                                       horizontal="left" if isinstance(value, str) and len(value) > 4 else "center")
            if fmt and isinstance(value, (int, float)):
                cell.number_format = fmt(row) if callable(fmt) else fmt
            if kind == "unmet" and row.met is None:
                cell.fill = _PENDING_FILL
            if width >= 18 and isinstance(value, str):   # a CJK character is about two width units
                lines = max(lines, math.ceil(len(value) * 2 / (width - 1)))
        ws.row_dimensions[r].height = 14 * lines
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A2:{last}{max(len(rows) + 2, 3)}"


def _summary(ws, ledgers: list[CountyLedger], kind: str) -> None:
    # The letter's words: 资源配置未达标 is the school rule failed; a school may pass it with a gap.
    headers = ["县市", "评估年度", "创建年份", "已达标项", "未达标项", "待核实项", "资源配置未达标学校（学段）",
               "有指标低于标准的学校（学段）"]
    _title(ws, f"县域义务教育优质均衡发展{KINDS[kind]}汇总", len(headers))
    _header(ws, headers, [26, 10, 10, 12, 12, 12, 18, 18])
    body = Font(name=FONT, size=11)
    for r, ledger in enumerate(ledgers, 3):
        unmet = [x for x in ledger.unmet if x.met is False]
        schools = len({(x.school, x.stage) for x in unmet if x.school != "全县"})
        values = [ledger.county, ledger.year, ledger.recognition_year, len(ledger.met), len(unmet),
                  len(ledger.unmet) - len(unmet), len(ledger.failing), schools]
        for col, value in enumerate(values, 1):
            cell = put(ws, r, col, value)
            cell.font, cell.border = body, _BORDER
            cell.alignment = Alignment(horizontal="left" if col == 1 else "center")


_REGISTER = [("发文字号", 22, "number"), ("成文日期", 14, "issued_on"), ("标题", 44, "title"), ("县市", 16, "county"),
             ("种类", 12, "kind"), ("内容摘要（SHA-256）", 30, "content_sha256"), ("签发/经办", 16, "issued_by")]
REGISTER_KINDS = {"verdict": "评估结论", "letter": "督导评估意见书", "rectification": "整改通知",
                  "accountability": "问责通报", "report": "监测报告"}


def write_register(rows: list[dict], path: Path, authority: str) -> Path:
    """The register of issued documents (发文登记簿) as one sheet: a row per document, newest first."""
    wb = Workbook()
    ws = wb.active
    ws.title = "发文登记簿"
    _title(ws, f"{authority}发文登记簿", len(_REGISTER))
    _header(ws, [h for h, _, _ in _REGISTER], [w for _, w, _ in _REGISTER])
    for i, row in enumerate(rows, 3):
        for col, (_, _, key) in enumerate(_REGISTER, 1):
            value = row[key]
            value = arabic_date(value) if key == "issued_on" else REGISTER_KINDS.get(value, value) if key == "kind" \
                else value
            put(ws, i, col, value).border = _BORDER
    ws.auto_filter.ref = f"A2:{get_column_letter(len(_REGISTER))}{max(len(rows) + 2, 2)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
